"""The Phụ lục (Bảng tổng hợp): every area, TC and leaf in catalogue order with points, evidence and notes,
then the totals."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from par_score.numbers import vn, vn_percent
from par_score.outputs.report.explanations import needs_explanation
from par_score.outputs.report.formatting import (
    NO_EXPLANATION,
    SURVEY_BY_BNV,
    short_date,
    upper_first,
)
from par_score.scoring.result import (
    AppraisalRecordOut,
    AreaOut,
    EvidenceOut,
    LeafOut,
    NodeOut,
    ScoreResult,
    SurveyTotal,
)
from par_score.scoring.rollup import pct


@dataclass(frozen=True)
class DocumentLine:
    number: str
    date: str
    issuer: str
    title: str
    locator: str


@dataclass(frozen=True)
class AnnexRow:
    level: str  # "area" | "tc" | "leaf" | "total"
    code: str
    name: str
    max: str
    points: str
    points_note: bool = False
    documents: list[DocumentLine] = field(default_factory=list)
    no_documents: str = ""
    notes: list[str] = field(default_factory=list)
    appraised: str = ""  # appraised reports: the points after thẩm định, beside the self-assessed `points`
    appraised_note: bool = False


def document_line(doc: EvidenceOut) -> DocumentLine:
    return DocumentLine(
        number=doc.number,
        date=short_date(doc.issue_date),
        issuer=doc.issuer,
        title=doc.title,
        locator=doc.locator or "",
    )


def leaf_points(leaf: LeafOut) -> tuple[str, bool]:
    """The annex's points cell, and whether it is a note rather than a number."""
    if leaf.status == "survey_pending":
        return SURVEY_BY_BNV, True
    if leaf.status == "survey_estimated":
        return f"{vn(leaf.points)} (ước tính)", False
    if leaf.status in ("out_of_scope", "not_applicable_excluded") or leaf.points is None:
        return "—", False
    return vn(leaf.points), False


def leaf_notes(leaf: LeafOut) -> list[str]:
    if leaf.status == "survey_pending":
        return ["Điều tra xã hội học"]
    notes = ["Điều tra xã hội học"] if leaf.source == "survey" else []
    notes.append(upper_first(leaf.status_label))
    if leaf.not_applicable_reason:
        notes.append(f"Lý do không phát sinh: {leaf.not_applicable_reason}")
    if needs_explanation(leaf):
        notes.append("Giải trình: xem Mục II của Báo cáo" if leaf.explanation else f"Giải trình: {NO_EXPLANATION}")
    return notes


def leaf_row(leaf: LeafOut, level: str) -> AnnexRow:
    points, note = leaf_points(leaf)
    no_documents = ""
    if not leaf.evidence:
        no_documents = "Không có" if leaf.source == "self" and leaf.status != "out_of_scope" else "—"
        sources = [i.source for i in leaf.inputs if i.source]
        if leaf.status == "survey_estimated" and sources:
            no_documents = "Số liệu xem trước: " + "; ".join(sources)
    return AnnexRow(
        level=level,
        code=leaf.code,
        name=leaf.name,
        max=vn(leaf.max),
        points=points,
        points_note=note,
        documents=[document_line(d) for d in leaf.evidence],
        no_documents=no_documents,
        notes=leaf_notes(leaf),
    )


def node_notes(node: NodeOut, estimated: bool) -> list[str]:
    notes = []
    if node.survey_max:
        if node.includes_survey:
            label = "ước tính" if estimated else "điều tra"
            notes.append(f"Gồm {vn(node.survey_points)}/{vn(node.survey_max)} điểm điều tra xã hội học ({label})")
        else:
            notes.append(f"{vn(node.survey_max)} điểm điều tra xã hội học {SURVEY_BY_BNV}")
    pending = node.survey_max if not node.includes_survey else Decimal(0)
    excluded = node.declared_max - node.max - pending
    if excluded > 0:
        notes.append(f"{vn(excluded)} điểm không phát sinh, không tính vào điểm tối đa")
    if node.self_max and node.survey_max:
        notes.append(
            f"Tự đánh giá: {vn(node.self_points)}/{vn(node.self_max)} "
            f"({vn_percent(pct(node.self_points, node.self_max))})"
        )
    return notes


def node_row(node: NodeOut, level: str, leaves: list[LeafOut]) -> AnnexRow:
    """The row of an area or a TC: its declared maximum, its points, and notes on how they were made."""
    return AnnexRow(
        level=level,
        code=node.code,
        name=node.name,
        max=vn(node.declared_max),
        points=vn(node.points),
        notes=node_notes(node, any(leaf.estimated for leaf in leaves)),
    )


def area_annex_rows(result: ScoreResult, area: AreaOut) -> list[AnnexRow]:
    leaves = [leaf for leaf in result.criteria if leaf.area == area.code]
    rows = [node_row(area, "area", leaves)]
    for tc in area.criteria:
        items = [leaf for leaf in leaves if leaf.tc == tc.code]
        if len(items) == 1 and items[0].code == tc.code:
            rows.append(leaf_row(items[0], "tc"))
            continue
        rows.append(node_row(tc, "tc", items))
        rows.extend(leaf_row(leaf, "leaf") for leaf in items)
    return rows


def survey_points(survey: SurveyTotal) -> tuple[str, bool]:
    """The survey total's points cell, and whether it is a note rather than a number."""
    if survey.points is None:
        return SURVEY_BY_BNV, True
    return (f"{vn(survey.points)} (ước tính)" if survey.estimated else vn(survey.points)), False


def index_label(estimated: bool) -> str:
    return "Tổng cộng (ước tính)" if estimated else "Tổng cộng"


def total_rows(result: ScoreResult) -> list[AnnexRow]:
    t = result.totals
    notes = [f"Đạt {vn_percent(t.self_pct)} điểm tối đa phần tự đánh giá"]
    if t.self_.declared_max > t.self_.max:
        notes.append(f"{vn(t.self_.declared_max - t.self_.max)} điểm không phát sinh, không tính vào điểm tối đa")
    rows = [
        AnnexRow(
            level="total",
            code="",
            name="Cộng điểm tự đánh giá",
            max=vn(t.self_.max),
            points=vn(t.self_.points),
            notes=notes,
        )
    ]
    if t.survey.max:
        points, note = survey_points(t.survey)
        rows.append(
            AnnexRow(
                level="total",
                code="",
                name="Điểm điều tra xã hội học",
                max=vn(t.survey.max),
                points=points,
                points_note=note,
            )
        )
    if t.index_points is not None:
        notes = [f"Chỉ số CCHC: {vn_percent(t.index_pct)}"]
        if t.index_estimated:
            notes.append("Gồm điểm điều tra xã hội học ước tính từ số liệu xem trước, chỉ để tham khảo")
        rows.append(
            AnnexRow(
                level="total",
                code="",
                name=index_label(t.index_estimated),
                max=vn(t.index_max),
                points=vn(t.index_points),
                notes=notes,
            )
        )
    return rows


def annex_rows(result: ScoreResult) -> list[AnnexRow]:
    return [row for area in result.areas for row in area_annex_rows(result, area)] + total_rows(result)


# ---- appraised results: self-assessed and appraised points side by side --------------------------------------------
def record_note(record: AppraisalRecordOut, final_round: int | None) -> str:
    note = f"Thẩm định vòng {record.round}, {record.appraiser}: {vn(record.points)} điểm"
    if record.round != final_round:
        note += f" (thay bằng vòng {final_round})"
    return f"{note}. {record.comment}" if record.comment else note


def appraisal_notes(leaf: LeafOut) -> list[str]:
    """The appraisal records of a leaf after thẩm định, and its new status where the appraisal changed it."""
    side = leaf.appraisal
    if side is None or side.appraised_points is None:
        return []
    notes = [record_note(record, side.round) for record in side.records]
    if leaf.status != side.self_status:
        notes.append(f"Sau thẩm định: {leaf.status_label}")
    return notes


def _estimated(result: ScoreResult, code: str) -> bool:
    return any(leaf.estimated for leaf in result.criteria if code in (leaf.area, leaf.tc))


def survey_change_notes(own: NodeOut, after: NodeOut, was_estimated: bool, estimated: bool) -> list[str]:
    """A note when the appraised points of an area or TC include other survey points than the self-assessed ones."""
    if not after.includes_survey:
        return []
    if own.includes_survey and (own.survey_points, was_estimated) == (after.survey_points, estimated):
        return []
    label = "ước tính" if estimated else "điều tra"
    return [f"Điểm thẩm định gồm {vn(after.survey_points)}/{vn(after.survey_max)} điểm điều tra xã hội học ({label})"]


def appraised_row(row: AnnexRow, after: AnnexRow, notes: list[str]) -> AnnexRow:
    return replace(row, appraised=after.points, appraised_note=after.points_note, notes=row.notes + notes)


def appraised_annex_rows(own: ScoreResult, result: ScoreResult) -> list[AnnexRow]:
    """The annex of an appraised `result`: rows of the self-assessment `own`, the appraised points beside them."""
    leaves = {leaf.code: leaf for leaf in result.criteria}
    nodes = {node.code: node for area in result.areas for node in [area, *area.criteria]}
    own_nodes = {node.code: node for area in own.areas for node in [area, *area.criteria]}
    rows = []
    for own_area, area in zip(own.areas, result.areas, strict=True):
        for row, after in zip(area_annex_rows(own, own_area), area_annex_rows(result, area), strict=True):
            if row.code in leaves:
                notes = appraisal_notes(leaves[row.code])
            else:
                was, now = _estimated(own, row.code), _estimated(result, row.code)
                notes = survey_change_notes(own_nodes[row.code], nodes[row.code], was, now)
            rows.append(appraised_row(row, after, notes))
    return rows + appraised_total_rows(own, result)


def appraised_total_rows(own: ScoreResult, result: ScoreResult) -> list[AnnexRow]:
    before, t = own.totals, result.totals
    notes = [
        f"Tự đánh giá đạt {vn_percent(before.self_pct)}, sau thẩm định đạt {vn_percent(t.self_pct)} "
        "điểm tối đa phần tự đánh giá"
    ]
    if t.self_.declared_max > t.self_.max:
        notes.append(f"{vn(t.self_.declared_max - t.self_.max)} điểm không phát sinh, không tính vào điểm tối đa")
    rows = [
        AnnexRow(
            level="total",
            code="",
            name="Cộng điểm phần tự đánh giá",
            max=vn(t.self_.max),
            points=vn(before.self_.points),
            appraised=vn(t.self_.points),
            notes=notes,
        )
    ]
    if t.survey.max:
        (points, note), (after, after_note) = survey_points(before.survey), survey_points(t.survey)
        rows.append(
            AnnexRow(
                level="total",
                code="",
                name="Điểm điều tra xã hội học",
                max=vn(t.survey.max),
                points=points,
                points_note=note,
                appraised=after,
                appraised_note=after_note,
            )
        )
    if t.index_points is not None:
        if before.index_points is None:
            points = "—"
        else:
            points = f"{vn(before.index_points)} (ước tính)" if before.index_estimated else vn(before.index_points)
        notes = [f"Chỉ số CCHC sau thẩm định: {vn_percent(t.index_pct)}"]
        if t.index_estimated:
            notes.append("Gồm điểm điều tra xã hội học ước tính từ số liệu xem trước, chỉ để tham khảo")
        rows.append(
            AnnexRow(
                level="total",
                code="",
                name=index_label(t.index_estimated),
                max=vn(t.index_max),
                points=points,
                appraised=vn(t.index_points),
                notes=notes,
            )
        )
    return rows
