"""The self-assessment report (báo cáo tự đánh giá, chấm điểm) that the province sends to Bộ Nội vụ.

ScoreResult + ReportInfo → a view model of preformatted Vietnamese strings → HTML (jinja2, autoescape on)
→ PDF (WeasyPrint). The letter follows Nghị định 30/2020/NĐ-CP; the annex is the Bảng tổng hợp. User text only ever
enters the templates as escaped variables, never as template source. An appraised result (result.appraisal) adds
the points after thẩm định beside the self-assessed ones; without it the report is the self-assessment alone.

- formatting.py    Vietnamese dates, capitalisation, paragraphs, shared phrases
- letter.py        letterhead, number, place and date, summary line, signature, recipients (from ReportInfo)
- summary.py       section I: totals, the areas table, status counts
- explanations.py  section II (giải trình)
- chart.py         section I's bar chart as inline SVG
- annex.py         the Phụ lục rows
- appraisal.py     an appraised result (thẩm định): the self-assessment it was made from, the letter's appraisal texts
- fonts.py         the embedded serif and its coverage
- render.py        jinja2 environment, HTML, PDF and its warnings
"""

from par_score.outputs.report.fonts import uncovered_characters
from par_score.outputs.report.formatting import vn_date
from par_score.outputs.report.render import (
    HTML_FILE,
    PDF_FILE,
    RenderedPdf,
    render_html,
    render_pdf,
)

__all__ = ["HTML_FILE", "PDF_FILE", "RenderedPdf", "render_html", "render_pdf", "uncovered_characters", "vn_date"]
