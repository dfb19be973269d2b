"""The whole report as one view model of preformatted Vietnamese strings, shared by the HTML/PDF and the DOCX writers:
the kind of document and its pre-flight, the letter, section I's tables, section II, the annex and the register.

Building it runs the column check (par_score.outputs.report.checks): every printed total of the areas table and of
the annex is compared with the sum of its printed rows, whatever the format written afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from par_score.evidence.model import ReportInfo
from par_score.outputs.report.annex import Annex, annex
from par_score.outputs.report.appraisal import coverage_text
from par_score.outputs.report.chart import APPRAISED_TITLE, SELF_TITLE, Bar, bars
from par_score.outputs.report.checks import check_sums
from par_score.outputs.report.explanations import ExplanationGroup, explanation_groups
from par_score.outputs.report.figures import Column, Sources, sources
from par_score.outputs.report.kinds import APPRAISED, PREVIEW, Preflight, default_kind, preflight
from par_score.outputs.report.letter import Letter, letter
from par_score.outputs.report.register import Register, build_register
from par_score.outputs.report.summary import AreasTable, TotalsText, areas_table, status_counts, totals_text
from par_score.planning.view import PlanView
from par_score.scoring.result import ScoreResult


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    group: bool = False  # spans several columns (scope="colgroup")


@dataclass(frozen=True)
class ReportDocument:
    kind: str
    preflight: Preflight
    result: ScoreResult
    src: Sources
    letter: Letter
    totals: TotalsText
    areas: AreasTable
    chart_title: str
    bars: list[Bar]
    counts: str
    final_counts: str
    coverage: str
    explanations: list[ExplanationGroup]
    annex: Annex
    register: Register
    annex_title: str
    notes: list[str]  # below the annex table
    metadata: dict[str, str] = field(default_factory=dict)
    plan: PlanView | None = None  # the improvement plan: internal preview only

    @property
    def appraised(self) -> bool:
        return self.src.appraised

    @property
    def preview(self) -> bool:
        return self.kind == PREVIEW

    @property
    def stamp(self) -> str:
        return self.preflight.stamp

    @property
    def annex_label(self) -> str:
        return "Phụ lục (bản xem trước, tài liệu nội bộ)" if self.preview else "Phụ lục"

    @property
    def section_one(self) -> str:
        after = " VÀ KẾT QUẢ THẨM ĐỊNH" if self.appraised else ""
        return f"I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM{after}"

    @property
    def section_two(self) -> str:
        return "II. TIẾP THU, GIẢI TRÌNH" if self.appraised else "II. GIẢI TRÌNH"

    @property
    def areas_caption(self) -> str:
        return "Bảng 1. Điểm theo lĩnh vực" + (" trước và sau thẩm định" if self.appraised else "")

    @property
    def explanations_intro(self) -> str:
        if self.appraised:
            return (
                "Các tiêu chí, tiêu chí thành phần có điểm thẩm định khác điểm tự đánh giá, thiếu tài liệu kiểm chứng "
                "hoặc chưa đạt điểm tối đa, kèm ý kiến thẩm định và giải trình của cơ quan, đơn vị:"
            )
        return (
            "Các tiêu chí, tiêu chí thành phần thiếu tài liệu kiểm chứng, tài liệu kiểm chứng chưa đầy đủ hoặc chưa "
            "đạt điểm tối đa, kèm giải trình của cơ quan, đơn vị:"
        )

    @property
    def preview_note(self) -> str:
        return (
            "(Bản xem trước để rà soát nội bộ, gồm điểm điều tra xã hội học ước tính từ số liệu xem trước; không phải "
            "văn bản gửi Bộ Nội vụ)"
        )

    @property
    def closing_sentence(self) -> str:
        subject = "tiếp thu, giải trình kết quả thẩm định" if self.appraised else "kết quả tự đánh giá, chấm điểm"
        purpose = "tổng hợp" if self.appraised else "thẩm định"
        return (
            f"Trên đây là báo cáo {subject} xác định Chỉ số cải cách hành chính năm {self.result.year} của "
            f"{self.letter.author}, kính gửi {self.letter.recipient} xem xét, {purpose}./."
        )

    @property
    def title(self) -> str:
        """The document's title as a file's metadata gives it."""
        head = "Bản xem trước (nội bộ)" if self.preview else "Báo cáo"
        draft = " (dự thảo)" if self.preflight.draft else ""
        return f"{head}{draft}: {self.letter.summary}"


def header_rows(lead: list[str], columns: list[Column], tail: list[str] = ()) -> list[list[HeaderCell]]:
    """Two header rows: the lead and tail columns span both; columns sharing a group get one cell above them."""
    first: list[HeaderCell] = [HeaderCell(text, rowspan=2) for text in lead]
    second: list[HeaderCell] = []
    index = 0
    while index < len(columns):
        column = columns[index]
        if not column.group:
            first.append(HeaderCell(column.label, rowspan=2))
            index += 1
            continue
        span = 1
        while index + span < len(columns) and columns[index + span].group == column.group:
            span += 1
        first.append(HeaderCell(column.group, colspan=span, group=True))
        second.extend(HeaderCell(c.label) for c in columns[index : index + span])
        index += span
    first.extend(HeaderCell(text, rowspan=2) for text in tail)
    return [first, second]


def annex_title(result: ScoreResult, kind: str) -> str:
    subject = "KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM"
    if kind == APPRAISED or (kind == PREVIEW and result.appraisal is not None):
        subject += " VÀ KẾT QUẢ THẨM ĐỊNH"
    return f"BẢNG TỔNG HỢP {subject} CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {result.year} CỦA {result.unit.name.upper()}"


def annex_notes(result: ScoreResult, src: Sources) -> list[str]:
    notes = [
        "Cột (3), (4): điểm tối đa phần tự đánh giá và phần điều tra xã hội học; các cột điểm đạt cộng dồn theo từng "
        "tiêu chí, lĩnh vực. Điểm ghi đúng giá trị, không làm tròn; tỷ lệ phần trăm làm tròn đến hai chữ số thập phân."
    ]
    catalogue = f"Bộ tiêu chí: {result.catalogue.title}"
    if result.catalogue.kind == "reference":
        catalogue += " (danh mục tham chiếu, không phải Phụ lục chính thức của Bộ Nội vụ)"
    notes.append(catalogue + ".")
    if src.appraised:
        notes.append("Tiêu chí, tiêu chí thành phần không có điểm thẩm định giữ điểm tự đánh giá.")
    return notes


def metadata(result: ScoreResult) -> dict[str, str]:
    """Identifiers for machines (PDF/DOCX metadata and the manifest), kept out of the document's body."""
    c = result.catalogue
    keywords = ["par-score", f"danh mục {c.id}", f"phiên bản {c.version}", f"sha256 {c.sha256[:16]}"]
    if result.appraisal is not None:
        keywords += [f"tệp thẩm định {result.appraisal.file}", f"sha256 {result.appraisal.sha256[:16]}"]
    return {"keywords": "; ".join(keywords)}


def build_document(
    result: ScoreResult,
    info: ReportInfo | None = None,
    kind: str | None = None,
    *,
    file_hashes: dict[str, str] | None = None,
    plan: PlanView | None = None,
) -> ReportDocument:
    """The report of `result` as a document of `kind` (default: the letter, or after thẩm định the appraised
    report); raises KindError for a kind that does not fit, ReportSumError when a printed column does not add up.
    `file_hashes` (path → sha256) completes the register for attached files whose evidence declares no hash;
    `plan` (par_score.planning.view) becomes the preview's section on what to improve, and only the preview's."""
    kind = kind or default_kind(result)
    checked = preflight(result, info, kind)
    src = sources(result, estimates=kind == PREVIEW)
    register = build_register(src.own.criteria, file_hashes)
    areas = areas_table(src)
    appendix = annex(src, register)
    check_sums(
        [("Bảng kết quả theo lĩnh vực", areas.columns, areas.rows), ("Phụ lục", appendix.columns, appendix.rows)]
    )
    return ReportDocument(
        kind=kind,
        preflight=checked,
        result=result,
        src=src,
        letter=letter(result, info, kind),
        totals=totals_text(src),
        areas=areas,
        chart_title=APPRAISED_TITLE if src.appraised else SELF_TITLE,
        bars=bars(areas.rows),
        counts=status_counts(src.own),
        final_counts=status_counts(src.shown) if src.appraised else "",
        coverage=coverage_text(result) if src.appraised else "",
        explanations=explanation_groups(src.own, src.final if src.appraised else None),
        annex=appendix,
        register=register,
        annex_title=annex_title(result, kind),
        notes=annex_notes(result, src),
        metadata=metadata(result),
        plan=plan if kind == PREVIEW else None,
    )
