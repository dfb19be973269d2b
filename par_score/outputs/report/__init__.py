"""The self-assessment report (báo cáo tự đánh giá, chấm điểm) that the province sends to Bộ Nội vụ.

ScoreResult + ReportInfo → a view model of preformatted Vietnamese strings (document.py) → HTML (jinja2,
autoescape on) → PDF (WeasyPrint), or → DOCX (python-docx). The letter follows Nghị định 30/2020/NĐ-CP; the annex
is the Bảng tổng hợp. User text only ever
enters the templates as escaped variables, never as template source. An appraised result (result.appraisal) adds
the points after thẩm định beside the self-assessed ones; without it the report is the self-assessment alone.

- document.py      the whole report as one view model; building it runs the column check
- kinds.py         the kind of document (letter, after thẩm định, internal preview) and its pre-flight
- figures.py       the columns of points, every figure from the roll-up
- checks.py        every printed total equals the sum of its printed rows (else ReportSumError, exit 1)
- summary.py       section I: totals in words, the areas table, status counts
- explanations.py  section II (giải trình; after thẩm định: ý kiến thẩm định)
- wording.py       why a criterion missed its best band, in plain Vietnamese
- letter.py        letterhead, number, place and date, summary line, opening, signature, recipients
- chart.py         section I's bars (HTML/CSS)
- annex.py         the Phụ lục rows
- register.py      the evidence register (TL01 …) and the citations that point into it
- appraisal.py     an appraised result: the self-assessment it was made from, the appraisal's coverage
- fonts.py         the embedded serif (data: URIs, subset to the document's characters) and its coverage
- formatting.py    Vietnamese dates, capitalisation, paragraphs, shared phrases
- render.py        jinja2 → HTML; WeasyPrint → PDF and its warnings
- docx.py          the same document as DOCX (python-docx): NĐ 30 page setup, named styles
- archive.py       the evidence archive: attached files named by their register numbers
"""

from par_score.outputs.report.document import ReportDocument, build_document
from par_score.outputs.report.fonts import uncovered_characters
from par_score.outputs.report.formatting import vn_date
from par_score.outputs.report.kinds import KINDS, KindError, Preflight, preflight
from par_score.outputs.report.render import (
    HTML_FILE,
    PDF_FILE,
    RenderedPdf,
    render_document,
    render_html,
    render_pdf,
)

__all__ = [
    "HTML_FILE",
    "KINDS",
    "PDF_FILE",
    "KindError",
    "Preflight",
    "RenderedPdf",
    "ReportDocument",
    "build_document",
    "preflight",
    "render_document",
    "render_html",
    "render_pdf",
    "uncovered_characters",
    "vn_date",
]
