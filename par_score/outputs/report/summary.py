"""Section I of the letter: the totals in words, the areas table (one column per quantity) and the status counts."""

from __future__ import annotations

from dataclasses import dataclass

from par_score.numbers import vn, vn_percent
from par_score.outputs.report.figures import Column, Row, Sources, node_row, point_columns, total_cells
from par_score.outputs.report.formatting import evaluator
from par_score.scoring import rollup
from par_score.scoring.result import ScoreResult
from par_score.vocabulary import Source


@dataclass(frozen=True)
class AreasTable:
    columns: list[Column]
    rows: list[Row]  # the areas, then the total row (key "total")


def areas_table(src: Sources) -> AreasTable:
    columns = point_columns(src, with_pct=True)
    rows = []
    for area in src.final.areas:
        if area.declared_max == 0:
            continue
        pct_value = rollup.pct(area.self_points, area.self_max) if area.in_scope else None
        rows.append(node_row(src, area, "area", pct_value=pct_value))
    total = Row(
        key="total",
        level="total",
        code="",
        name="Tổng cộng",
        cells=total_cells(src),
        children=tuple(row.key for row in rows),
        pct_value=src.final.totals.self_pct,
    )
    return AreasTable(columns=columns, rows=[*rows, total])


@dataclass(frozen=True)
class TotalsText:
    """Section I.1's sentences, each complete (they end with a full stop)."""

    own: str  # the self-assessed part
    appraised: str  # the self-assessed part after thẩm định (appraised documents)
    survey: str
    index: str


def _points(points, maximum) -> str:
    return f"{vn(points)}/{vn(maximum)} điểm"


def change_text(before, after) -> str:
    change = after - before
    if change > 0:
        return f"tăng {vn(change)} điểm so với điểm tự đánh giá"
    if change < 0:
        return f"giảm {vn(-change)} điểm so với điểm tự đánh giá"
    return "không thay đổi so với điểm tự đánh giá"


def _excluded(result: ScoreResult) -> str:
    t = result.totals.self_
    if t.declared_max <= t.max:
        return ""
    return f" ({vn(t.declared_max - t.max)} điểm của các tiêu chí không phát sinh không tính vào điểm tối đa)"


def survey_sentence(src: Sources) -> str:
    shown = src.shown.totals.survey
    final = src.final.totals.survey
    if not shown.max:
        return ""
    if src.preview is not None and shown.points is not None:
        return (
            f"Phần điều tra xã hội học ước tính từ số liệu xem trước: {_points(shown.points, shown.max)} "
            f"(chỉ để tham khảo nội bộ; điểm chính thức do {evaluator(src.final)} công bố)."
        )
    if final.points is not None:
        return (
            f"Phần điều tra xã hội học theo kết quả {evaluator(src.final)} công bố: {_points(final.points, final.max)}."
        )
    published = [
        leaf
        for leaf in src.final.criteria
        if leaf.source == Source.SURVEY and leaf.points is not None and not leaf.estimated
    ]
    if published:
        part = rollup.totals(published).survey
        survey_leaves = [leaf for leaf in src.final.criteria if leaf.source == Source.SURVEY]
        return (
            f"Phần điều tra xã hội học ({vn(final.max)} điểm) do {evaluator(src.final)} đánh giá: đã có kết quả của "
            f"{len(published)}/"
            f"{len(survey_leaves)} tiêu chí ({_points(part.points, part.max)}), các tiêu chí còn lại chưa có kết quả."
        )
    return f"Phần điều tra xã hội học ({vn(final.max)} điểm) do {evaluator(src.final)} đánh giá."


def index_sentence(src: Sources) -> str:
    t = src.shown.totals
    if t.index_points is None:
        return ""
    figures = f"{_points(t.index_points, t.index_max)} ({vn_percent(t.index_pct)})"
    if src.preview is not None:
        return f"Chỉ số cải cách hành chính ước tính: {figures}, chỉ để tham khảo nội bộ."
    after = " sau thẩm định" if src.appraised else ""
    return f"Chỉ số cải cách hành chính{after}: {figures}."


def totals_text(src: Sources) -> TotalsText:
    own, final = src.own, src.final
    unit = own.unit.name[:1].lower() + own.unit.name[1:]
    points = _points(own.totals.self_.points, own.totals.self_.max)
    own_sentence = (
        f"Tổng điểm tự đánh giá, chấm điểm của {unit} năm {own.year} đạt {points}, "
        f"tương ứng {vn_percent(own.totals.self_pct)} điểm tối đa phần tự đánh giá{_excluded(own)}."
    )
    appraised = ""
    if src.appraised:
        t = final.totals
        appraised = (
            f"Sau thẩm định, tổng điểm phần tự đánh giá đạt {_points(t.self_.points, t.self_.max)}, tương ứng "
            f"{vn_percent(t.self_pct)} điểm tối đa phần tự đánh giá "
            f"({change_text(own.totals.self_.points, t.self_.points)})."
        )
    return TotalsText(own=own_sentence, appraised=appraised, survey=survey_sentence(src), index=index_sentence(src))


def status_counts(result: ScoreResult) -> str:
    """ "đạt điểm tối đa: 74; đạt một phần: 6; …" — lower case after each semicolon, whatever the document."""
    return "; ".join(f"{label}: {n}" for label, n in result.status_counts())
