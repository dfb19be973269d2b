"""The view model (par_score.outputs.report.document) into the jinja2 template (autoescape on) → HTML; HTML → PDF
through WeasyPrint, with its warnings."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from par_score.evidence.model import ReportInfo
from par_score.io.resources import bundled_dir
from par_score.io.text import nfc
from par_score.outputs.report.document import ReportDocument, build_document, header_rows
from par_score.outputs.report.figures import PENDING, Row
from par_score.outputs.report.fonts import font_faces, uncovered_characters
from par_score.scoring.result import ScoreResult

TEMPLATE = "bao-cao-tu-cham-diem.html.j2"
STYLESHEET = "bao-cao.css"
PDF_FILE = "bao-cao-tu-cham-diem.pdf"
HTML_FILE = "bao-cao-tu-cham-diem.html"
FONTS_MARKER = "/* @font-face rules of the embedded serif */"

PERCENT = re.compile(r"\d[\d.,]* %")


def keep_percent_together(value: object) -> object:
    """Escape a plain string and keep "88,54 %" on one line (a no-break space would change the extracted text)."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    return Markup(PERCENT.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', str(escape(value))))


@lru_cache(maxsize=1)
def _environment(folder: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        finalize=keep_percent_together,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_template(template: str, stylesheet: str, **context: object) -> str:
    """One of the bundled templates (reports/) as one self-contained HTML document: its stylesheet inline (as `css`),
    the embedded serif's faces for the characters the text uses, NFC."""
    folder = bundled_dir("reports")
    css = (folder / stylesheet).read_text(encoding="utf-8")
    # Our own file, not user text: safe to place inside <style> verbatim; the fonts follow the text.
    style = Markup(f"{FONTS_MARKER}\n{css}")
    html = nfc(_environment(str(folder)).get_template(template).render(css=style, **context))
    return html.replace(FONTS_MARKER, font_faces(html), 1)


def annex_rows(rows: list[Row]) -> list[tuple[Row, str]]:
    """Each annex row with its CSS classes: its level, and "first-child" on the row right after a group row (an area
    or a TC with TCTP) so that a page never ends on a heading whose children are overleaf."""
    classed = []
    for index, row in enumerate(rows):
        previous = rows[index - 1] if index else None
        after_group = previous is not None and bool(previous.children) and previous.level != "total"
        classed.append((row, f"{row.level} first-child" if after_group else row.level))
    return classed


def render_document(doc: ReportDocument) -> str:
    return render_template(
        TEMPLATE,
        STYLESHEET,
        doc=doc,
        pending=PENDING,
        areas_header=header_rows(["TT", "Lĩnh vực"], doc.areas.columns),
        annex_header=header_rows(
            ["Mã", "Lĩnh vực, tiêu chí, tiêu chí thành phần"],
            doc.annex.columns,
            ["Tài liệu kiểm chứng (số thứ tự trong Danh mục; vị trí)", "Ghi chú"],
        ),
        annex_rows=annex_rows(doc.annex.rows),
    )


def render_html(result: ScoreResult, info: ReportInfo | None = None, kind: str | None = None) -> str:
    """The report as one self-contained HTML document (styles and fonts inline, no scripts, no outside files).

    `kind` is one of par_score.outputs.report.kinds.KINDS (default: the letter, or the appraised report for an
    appraised result)."""
    return render_document(build_document(result, info, kind))


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    warnings: tuple[str, ...]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # Without Debian's libharfbuzz-subset0 WeasyPrint subsets fonts with fontTools instead: the same embedded
        # glyphs, only slower. That is a note about the machine, not a flaw in the document.
        if not message.startswith("Using fontTools instead of HarfBuzz-Subset"):
            self.messages.append(message)


def _url_fetcher():
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint < 67 has only the default fetcher function
        return None
    return URLFetcher(allowed_protocols=("data",))


def render_pdf(html: str) -> RenderedPdf:
    """HTML → PDF bytes; WeasyPrint's warnings and characters missing from the serif are returned, not printed."""
    import weasyprint

    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = weasyprint.HTML(string=html, url_fetcher=_url_fetcher())
        data = document.write_pdf()
    finally:
        logger.removeHandler(collector)
    warnings = list(collector.messages)
    missing = uncovered_characters(html)
    if missing:
        listed = ", ".join(f"“{ch}” (U+{ord(ch):04X})" for ch in missing)
        warnings.append(f"phông chữ không có ký tự: {listed}")
    return RenderedPdf(data=data, warnings=tuple(warnings))
