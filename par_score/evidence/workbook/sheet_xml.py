"""What openpyxl's read-only reader does not tell: a sheet's merged cells, and the numeric cells it cannot read.

Both are read from the worksheet's XML part of the very bytes that were checked (workbook/package.py: bounded sizes,
no DTD), streamed through defusedxml. A merged range keeps its value in its first cell only, so every other row of
it would read as empty; a numeric cell holding "NaN" makes openpyxl stop with an English error. Here each is found
with its cell reference, so that the reader can name the sheet, the row and the column.
"""

from __future__ import annotations

import io
import re
import zipfile

from defusedxml.ElementTree import iterparse

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


def split_ref(ref: str) -> tuple[int, int] | None:
    """("C", 7) → (column index from 0, row number) for "C7"; None when it is not a cell reference."""
    found = _REF.match(ref)
    if found is None:
        return None
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - 64
    return column - 1, int(found.group(2))


def _elements(data: bytes, part: str, tags: set[str]):
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part.lstrip("/")) as stream:
        for _, element in iterparse(stream):
            if element.tag in tags:
                yield element
            if element.tag == f"{_MAIN}row":
                element.clear()


def merged_ranges(data: bytes, part: str | None) -> list[str]:
    """The merged ranges of a sheet ("C5:C7"), in the order the file lists them."""
    if not part:
        return []
    return [e.get("ref", "") for e in _elements(data, part, {f"{_MAIN}mergeCell"}) if e.get("ref")]


def _castable(text: str) -> bool:
    """Whether openpyxl reads this cached numeric value (it tries int(), or float() when it sees '.', 'e' or 'E')."""
    try:
        float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        return False
    return True


def unreadable_numbers(data: bytes, part: str | None) -> list[tuple[str, str]]:
    """(cell reference, text) of the numeric cells whose value is not a number ("NaN", "1,5"), in sheet order."""
    if not part:
        return []
    found = []
    for cell in _elements(data, part, {f"{_MAIN}c"}):
        if cell.get("t", "n") != "n":
            continue
        value = cell.find(f"{_MAIN}v")
        text = value.text if value is not None else None
        if text and not _castable(text.strip()):
            found.append((cell.get("r", ""), text))
    return found


def bounds(ref: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """((first column, first row), (last column, last row)) of "B5:D7" (or of one cell)."""
    first, _, last = ref.partition(":")
    start, end = split_ref(first), split_ref(last or first)
    if start is None or end is None:
        return None
    return start, end
