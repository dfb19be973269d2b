"""The Phụ lục (Bảng tổng hợp): every area, TC and leaf in catalogue order, one column per quantity of points
(par_score.outputs.report.figures), the evidence cited by register number ("TL07, mục II") and short notes, then the
total row. The register of the documents follows the table."""

from __future__ import annotations

from dataclasses import dataclass

from par_score.numbers import vn, vn_percent
from par_score.outputs.report.explanations import needs_explanation
from par_score.outputs.report.figures import (
    Column,
    Row,
    Sources,
    leaf_cells,
    node_row,
    point_columns,
    total_cells,
)
from par_score.outputs.report.formatting import NO_EXPLANATION, evaluator, sentence, upper_first
from par_score.outputs.report.register import Register, citation
from par_score.scoring.result import AppraisalRecordOut, LeafOut
from par_score.vocabulary import Source, Status

QUIET_STATUSES = (Status.FULL,)  # points = maximum says it all: no note


@dataclass(frozen=True)
class Annex:
    columns: list[Column]
    rows: list[Row]


def record_note(record: AppraisalRecordOut, final_round: int | None) -> str:
    note = f"Thẩm định vòng {record.round} ({record.appraiser}): {vn(record.points)} điểm"
    if record.round != final_round:
        note += f", thay bằng vòng {final_round}"
    return f"{note}. {sentence(record.comment)}" if record.comment else f"{note}."


def leaf_notes(own: LeafOut, shown: LeafOut, final: LeafOut, src: Sources) -> list[str]:
    notes: list[str] = []
    if shown.source == Source.SURVEY:
        if shown.estimated:
            notes.append("Ước tính từ số liệu xem trước, chỉ để tham khảo nội bộ")
        elif final.points is None:
            notes.append(f"Do {evaluator(src.final)} điều tra, đánh giá")
        elif final.appraisal is not None and final.appraisal.appraised_points is not None:
            notes.append(f"Theo kết quả {evaluator(src.final)} công bố")
        return notes
    if own.status == Status.NOT_APPLICABLE_EXCLUDED:
        notes.append(f"Không phát sinh: {vn(own.max)} điểm không tính vào điểm tối đa")
    elif own.status not in QUIET_STATUSES and own.status != Status.OUT_OF_SCOPE:
        notes.append(upper_first(own.status_label))
    if needs_explanation(own):
        notes.append("Giải trình: xem Mục II của Báo cáo" if own.explanation else f"Giải trình: {NO_EXPLANATION}")
    side = final.appraisal
    if src.appraised and side is not None and side.appraised_points is not None:
        notes.extend(record_note(record, side.round) for record in side.records)
        if final.status != side.self_status:
            notes.append(f"Sau thẩm định: {final.status_label}")
    return notes


def no_documents(leaf: LeafOut) -> str:
    if leaf.source == Source.SURVEY:
        if leaf.estimated:
            sources = [i.source for i in leaf.inputs if i.source]
            return "Số liệu xem trước: " + "; ".join(sources) if sources else ""
        return ""
    if leaf.status == Status.OUT_OF_SCOPE:
        return "—"
    return "" if leaf.not_applicable_reason else "Không có"


def leaf_row(src: Sources, register: Register, code: str, level: str) -> Row:
    own, shown, final = src.own.leaf(code), src.shown.leaf(code), src.final.leaf(code)
    assert own is not None and shown is not None and final is not None
    return Row(
        key=code,
        level=level,
        code=code,
        name=own.name,
        cells=leaf_cells(src, code),
        citations=tuple(citation(register, doc) for doc in own.evidence),
        no_documents="" if own.evidence else no_documents(shown),
        reason=f"Lý do không phát sinh: {sentence(own.not_applicable_reason)}" if own.not_applicable_reason else "",
        notes=tuple(leaf_notes(own, shown, final, src)),
    )


def annex(src: Sources, register: Register) -> Annex:
    rows: list[Row] = []
    leaves = src.own.criteria
    area_keys = []
    for area in src.own.areas:
        tc_keys = []
        tc_rows: list[Row] = []
        for tc in area.criteria:
            items = [leaf.code for leaf in leaves if leaf.area == area.code and leaf.tc == tc.code]
            tc_keys.append(tc.code)
            if items == [tc.code]:
                tc_rows.append(leaf_row(src, register, tc.code, "tc"))
                continue
            tc_rows.append(node_row(src, tc, "tc", children=tuple(items)))
            tc_rows.extend(leaf_row(src, register, code, "leaf") for code in items)
        rows.append(node_row(src, area, "area", children=tuple(tc_keys)))
        rows.extend(tc_rows)
        area_keys.append(area.code)
    rows.append(
        Row(
            key="total",
            level="total",
            code="",
            name="Tổng cộng",
            cells=total_cells(src),
            children=tuple(area_keys),
            notes=tuple(total_notes(src)),
        )
    )
    return Annex(columns=point_columns(src), rows=rows)


def total_notes(src: Sources) -> list[str]:
    own, final = src.own.totals, src.final.totals
    notes = [f"Tự đánh giá đạt {vn_percent(own.self_pct)} điểm tối đa phần tự đánh giá"]
    if src.appraised:
        notes.append(f"Sau thẩm định đạt {vn_percent(final.self_pct)}")
    shown = src.shown.totals
    if shown.index_points is not None:
        label = "Chỉ số CCHC ước tính" if src.preview is not None else "Chỉ số CCHC"
        notes.append(f"{label}: {vn_percent(shown.index_pct)}")
    return notes
