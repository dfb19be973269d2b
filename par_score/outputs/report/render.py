"""The view model into the jinja2 template (autoescape on) → HTML; HTML → PDF through WeasyPrint, with its warnings."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from par_score.evidence.model import ReportInfo
from par_score.io.resources import bundled_dir, fonts_dir
from par_score.io.text import nfc
from par_score.outputs.report.annex import annex_rows, appraised_annex_rows
from par_score.outputs.report.appraisal import appraisal_view, self_assessed
from par_score.outputs.report.chart import APPRAISED_TITLE, bar_chart
from par_score.outputs.report.explanations import explanation_groups
from par_score.outputs.report.extras import extra_paragraphs
from par_score.outputs.report.fonts import font_faces, uncovered_characters
from par_score.outputs.report.letter import letter
from par_score.outputs.report.summary import (
    area_rows,
    beside_self,
    status_counts,
    total_row,
    totals_text,
)
from par_score.scoring.result import ScoreResult

TEMPLATE = "bao-cao-tu-cham-diem.html.j2"
STYLESHEET = "bao-cao.css"
APPRAISAL_STYLESHEET = "bao-cao-tham-dinh.css"  # added only for an appraised result
PDF_FILE = "bao-cao-tu-cham-diem.pdf"
HTML_FILE = "bao-cao-tu-cham-diem.html"

PERCENT = re.compile(r"\d[\d.,]* %")
LABEL = re.compile(r" (\([^()]*\))$")


def keep_percent_together(value: object) -> object:
    """Escape a plain string and keep "88,54 %" on one line (a no-break space would change the extracted text)."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    return Markup(PERCENT.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', str(escape(value))))


def label_apart(value: str) -> Markup:
    """Escape a cell such as "1,56 (ước tính)" and keep its trailing label whole: a narrow column then breaks before
    "(", never inside the label."""
    return Markup(LABEL.sub(lambda m: f' <span class="nowrap">{m.group(1)}</span>', str(escape(value))))


@lru_cache(maxsize=1)
def _environment(folder: str) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        finalize=keep_percent_together,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["label_apart"] = label_apart
    return environment


def stylesheet(appraised: bool = False) -> Markup:
    names = [STYLESHEET, APPRAISAL_STYLESHEET] if appraised else [STYLESHEET]
    css = [(bundled_dir("reports") / name).read_text(encoding="utf-8") for name in names]
    # Our own files, not user text: safe to place inside <style> verbatim.
    return Markup("\n".join([font_faces(fonts_dir()), *css]))


def context(result: ScoreResult, info: ReportInfo | None) -> dict:
    rows = area_rows(result)
    return dict(
        result=result,
        appraisal=None,
        letter=letter(result, info),
        css=stylesheet(),
        areas=rows,
        total=total_row(result),
        chart=bar_chart(rows),
        self_totals=totals_text(result),
        totals=totals_text(result),
        counts=status_counts(result),
        final_counts=[],
        explanations=explanation_groups(result),
        annex=annex_rows(result),
        reference_catalogue=result.catalogue.kind == "reference",
        extra=extra_paragraphs(result),
    )


def appraised_context(result: ScoreResult, info: ReportInfo | None) -> dict:
    """An appraised result: the letter reports the self-assessment and, beside it, the figures after thẩm định."""
    own = self_assessed(result)
    rows = beside_self(area_rows(result), area_rows(own))
    return {
        **context(result, info),
        "appraisal": appraisal_view(result, own),
        "css": stylesheet(appraised=True),
        "areas": rows,
        "total": beside_self([total_row(result)], [total_row(own)])[0],
        "chart": bar_chart(rows, APPRAISED_TITLE),
        "self_totals": totals_text(own),
        "counts": status_counts(own, capitalise=False),
        "final_counts": status_counts(result, capitalise=False),
        "explanations": explanation_groups(own, result),
        "annex": appraised_annex_rows(own, result),
    }


def render_html(result: ScoreResult, info: ReportInfo | None = None) -> str:
    """The report as one self-contained HTML document (styles inline, chart as inline SVG, no scripts).

    An appraised result (ket-qua-tham-dinh.json, or `report --appraisal`) adds the points after thẩm định beside the
    self-assessed ones.
    """
    template = _environment(str(bundled_dir("reports"))).get_template(TEMPLATE)
    view = context(result, info) if result.appraisal is None else appraised_context(result, info)
    return nfc(template.render(**view))


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
    return URLFetcher(allowed_protocols=("file", "data"))


def render_pdf(html: str) -> RenderedPdf:
    """HTML → PDF bytes; WeasyPrint's warnings and characters missing from the serif are returned, not printed."""
    import weasyprint

    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = weasyprint.HTML(
            string=html, base_url=bundled_dir("reports").as_uri() + "/", url_fetcher=_url_fetcher()
        )
        data = document.write_pdf()
    finally:
        logger.removeHandler(collector)
    warnings = list(collector.messages)
    missing = uncovered_characters(html)
    if missing:
        listed = ", ".join(f"“{ch}” (U+{ord(ch):04X})" for ch in missing)
        warnings.append(f"phông chữ không có ký tự: {listed}")
    return RenderedPdf(data=data, warnings=tuple(warnings))
