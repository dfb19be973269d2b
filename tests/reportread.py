"""Reading a rendered report back as a reviewer would: the HTML's tables cell by cell, the PDF's text per page
(poppler-utils), and word boxes with their page size (pdftotext -bbox)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install Debian's poppler-utils (apt-get install poppler-utils)")
    return path


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def page_text(pdf: Path, page: int, *, layout: bool = False) -> str:
    args = [tool("pdftotext"), "-enc", "UTF-8", "-f", str(page), "-l", str(page), *(["-layout"] if layout else [])]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")


def flat(text: str) -> str:
    return " ".join(text.split())


class _Tables(HTMLParser):
    """Every <table> with a <caption>: its rows as lists of cell texts (colspans expanded as empty cells)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._current: list[list[str]] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._current = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._current is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            self._span = int(dict(attrs).get("colspan") or 1)

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self._name = flat("".join(self._caption))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(flat("".join(self._cell)))
            self._row.extend([""] * (self._span - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._current is not None:
            self._current.append(self._row)
            self._row = None
        elif tag == "table" and self._current is not None:
            name = getattr(self, "_name", None)
            if name:
                self.tables[name] = self._current
            self._current, self._name = None, None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def table_rows(html: str, caption_start: str) -> dict[str, list[str]]:
    """The body rows of the table whose caption starts with `caption_start`, by their first cell (the code; the
    total row by "Tổng cộng")."""
    name = next(n for n in html_tables(html) if n.startswith(caption_start))
    rows = {}
    for cells in html_tables(html)[name]:
        key = cells[0] or (cells[1] if len(cells) > 1 else "")
        rows.setdefault(key, cells)
    return rows
