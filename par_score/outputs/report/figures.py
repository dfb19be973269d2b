"""The report's points, column by column: every figure of every row is taken from the roll-up (par_score.scoring.rollup)
of one result, never added up here.

A table of points has one column per quantity, never mixed: maxima of the self-assessed and the survey part, the
self-assessed points, the appraised points (after thẩm định), the survey points published by Bộ Nội vụ, the survey
points estimated from preview figures (internal previews only) and the total. A cell is a printed number, blank
(not part of this column: a survey item has no self-assessed points), "—" (counted nowhere: a criterion declared not
applicable and excluded from the maximum) or PENDING (not known yet: a survey item Bộ Nội vụ has not published).
par_score.outputs.report.checks then verifies that every printed total is the sum of its printed rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from par_score.audit.appraisal import recompute
from par_score.numbers import vn, vn_percent
from par_score.outputs.report.appraisal import self_assessed
from par_score.outputs.report.formatting import evaluator
from par_score.scoring import rollup
from par_score.scoring.result import LeafOut, NodeOut, ScoreResult
from par_score.vocabulary import STATUS_LABELS, Source, Status

PENDING = "chưa có"
EXCLUDED = "—"
BLANK = ""


@dataclass(frozen=True)
class Column:
    key: str
    group: str  # the header over several columns ("Điểm tối đa"); empty: the column stands alone
    label: str
    summed: bool = True  # percentages are shown, never added


@dataclass(frozen=True)
class Row:
    """A row of a table of points: its printed cells by column key, and the keys of the rows that add up to it."""

    key: str
    level: str  # "area" | "tc" | "leaf" | "total"
    code: str
    name: str
    cells: dict[str, str]
    children: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()  # annex: "TL07, mục II"
    no_documents: str = ""  # annex: what the evidence cell says when nothing is cited
    reason: str = ""  # annex: why the criterion did not arise (không phát sinh), under the citations
    notes: tuple[str, ...] = ()  # annex: Ghi chú
    pct_value: Decimal | None = None  # letter: the percentage the chart draws

    @property
    def label(self) -> str:
        return self.code or self.name


@dataclass(frozen=True)
class Sources:
    """The results a report's columns are read from.

    `own` is the self-assessment; `final` the result the document reports (after thẩm định when appraised), without
    survey estimates in a document that leaves the province; `preview` is `final` with the estimates (internal
    previews only, else None).
    """

    own: ScoreResult
    final: ScoreResult
    preview: ScoreResult | None
    appraised: bool

    @property
    def shown(self) -> ScoreResult:
        """The result whose survey points and totals the document states."""
        return self.preview or self.final


def without_estimates(result: ScoreResult) -> ScoreResult:
    """The result as Bộ Nội vụ would read it: survey items estimated from preview figures are pending again, and the
    areas and totals are rolled up anew (par_score.scoring.rollup) without them."""
    if not any(leaf.estimated for leaf in result.criteria):
        return result
    leaves = [
        leaf.model_copy(
            update={
                "points": None,
                "status": Status.SURVEY_PENDING,
                "status_label": STATUS_LABELS[Status.SURVEY_PENDING],
                "estimated": False,
                "failed_conditions": [],
            }
        )
        if leaf.estimated
        else leaf
        for leaf in result.criteria
    ]
    return result.model_copy(update=recompute(result, leaves))


def sources(result: ScoreResult, *, estimates: bool) -> Sources:
    appraised = result.appraisal is not None
    own = self_assessed(result) if appraised else result
    final = without_estimates(result)
    preview = result if estimates and final is not result else None
    return Sources(own=without_estimates(own), final=final, preview=preview, appraised=appraised)


def has_official_survey(result: ScoreResult) -> bool:
    return any(
        leaf.source == Source.SURVEY and leaf.points is not None and not leaf.estimated for leaf in result.criteria
    )


def point_columns(src: Sources, *, with_pct: bool = False) -> list[Column]:
    """The columns of points a document shows, in order; `with_pct` adds the self-assessed part's percentage."""
    maxima = "Điểm tối đa"
    scored = "Điểm đạt"
    columns = [Column("self_max", maxima, "Tự đánh giá"), Column("survey_max", maxima, "Điều tra xã hội học")]
    statistics = src.final.totals.statistics is not None
    if statistics:
        columns.append(Column("statistics_max", maxima, "Số liệu thống kê"))
    columns.append(Column("self", scored, "Tự đánh giá"))
    if src.appraised:
        columns.append(Column("appraised", scored, "Thẩm định"))
    if statistics:
        columns.append(Column("statistics", scored, "Số liệu thống kê"))
    shown = src.shown
    if src.final.totals.survey.max:
        if has_official_survey(shown):
            columns.append(Column("survey", scored, f"Điều tra xã hội học ({evaluator(src.final)})"))
        if src.preview is not None:
            columns.append(Column("estimate", scored, "Điều tra xã hội học (ước tính)"))
        if src.appraised or src.preview is not None:
            label = "Tổng điểm (ước tính)" if src.preview is not None else "Tổng điểm"
            columns.append(Column("final", scored, label))
    if with_pct:
        label = "Tỷ lệ sau thẩm định" if src.appraised else "Tỷ lệ tự đánh giá"
        columns.append(Column("pct", "", label, summed=False))
    return columns


# ---- cells of a leaf -----------------------------------------------------------------------------------------------
def _counted(leaf: LeafOut) -> bool:
    return leaf.status not in (Status.OUT_OF_SCOPE, Status.NOT_APPLICABLE_EXCLUDED, Status.NOT_FOR_PROFILE)


ALL_KEYS = ("self_max", "survey_max", "statistics_max", "self", "appraised", "statistics", "pct", "survey", "estimate")


def _points(leaf: LeafOut) -> str:
    return PENDING if leaf.points is None else vn(leaf.points)


def leaf_cells(src: Sources, code: str) -> dict[str, str]:
    own, final, shown = src.own.leaf(code), src.final.leaf(code), src.shown.leaf(code)
    assert own is not None and final is not None and shown is not None
    if leaf_out_of_scope(shown):
        return dict.fromkeys((*ALL_KEYS, "final"), "—")
    if shown.source == Source.SELF:
        counted = _counted(own)
        own_points = vn(own.points or Decimal(0)) if counted else EXCLUDED
        return {
            **dict.fromkeys(ALL_KEYS, BLANK),
            "self_max": vn(own.max) if counted else EXCLUDED,
            "self": own_points,
            "appraised": vn(final.points or Decimal(0)) if counted else EXCLUDED,
            "final": (vn(final.points or Decimal(0)) if counted else EXCLUDED),
        }
    if shown.source == Source.STATISTICS:
        counted = _counted(final)
        return {
            **dict.fromkeys(ALL_KEYS, BLANK),
            "statistics_max": vn(final.max) if counted else EXCLUDED,
            "statistics": _points(final) if counted else EXCLUDED,
            "final": _points(final) if counted else EXCLUDED,
        }
    if shown.status == Status.NOT_FOR_PROFILE:
        return {**dict.fromkeys(ALL_KEYS, BLANK), "survey_max": EXCLUDED, "survey": EXCLUDED, "final": EXCLUDED}
    official = final.points is not None
    return {
        **dict.fromkeys(ALL_KEYS, BLANK),
        "survey_max": vn(shown.max),
        "survey": _points(final),
        "estimate": vn(shown.points) if shown.estimated else (BLANK if official else PENDING),
        "final": _points(shown),
    }


def leaf_out_of_scope(leaf: LeafOut) -> bool:
    return leaf.status == Status.OUT_OF_SCOPE


# ---- cells of a TC, an area and the totals -------------------------------------------------------------------------
def _survey_cell(node: NodeOut) -> str:
    if not node.survey_max:
        return BLANK
    return PENDING if node.survey_points is None else vn(node.survey_points)


def _final_cell(node: NodeOut) -> str:
    if node.survey_max and not node.includes_survey:
        return PENDING
    if node.statistics_max and not node.includes_statistics:
        return PENDING
    return vn(node.points + (node.deducted or Decimal(0)))  # deductions are stated apart, under the totals


def _statistics_cell(node: NodeOut) -> str:
    if not node.statistics_max:
        return BLANK
    return PENDING if node.statistics_points is None else vn(node.statistics_points)


def _estimate_cell(src: Sources, code: str) -> str:
    """The estimated survey points of a TC or an area: the roll-up of its estimated and still pending survey items."""
    assert src.preview is not None
    leaves = [
        leaf
        for leaf in src.preview.criteria
        if code in (leaf.area, leaf.tc) and leaf.source == Source.SURVEY and (leaf.estimated or leaf.points is None)
    ]
    if not leaves:
        return BLANK
    return _survey_cell(NodeOut(**rollup.node(code, "", leaves)))


def node_row(src: Sources, node, level: str, **more) -> Row:
    """The row of an area or a TC (`node`: its code and name), its cells read from the sources."""
    return Row(key=node.code, level=level, code=node.code, name=node.name, cells=node_cells(src, node.code), **more)


def node_cells(src: Sources, code: str) -> dict[str, str]:
    own, final, shown = (_node(result, code) for result in (src.own, src.final, src.shown))
    if not shown.in_scope:
        return dict.fromkeys((*ALL_KEYS, "final"), "—")
    pct = rollup.pct(final.self_points, final.self_max)
    return {
        "self_max": vn(own.self_max),
        "survey_max": vn(own.survey_max) if own.survey_max else BLANK,
        "statistics_max": vn(final.statistics_max) if final.statistics_max else BLANK,
        "statistics": _statistics_cell(final),
        "self": vn(own.self_points),
        "appraised": vn(final.self_points),
        "pct": vn_percent(pct),
        "survey": _survey_cell(final),
        "estimate": _estimate_cell(src, code) if src.preview is not None else BLANK,
        "final": _final_cell(shown),
    }


def _node(result: ScoreResult, code: str) -> NodeOut:
    for area in result.areas:
        if area.code == code:
            return area
        for tc in area.criteria:
            if tc.code == code:
                return tc
    raise KeyError(code)


def total_cells(src: Sources) -> dict[str, str]:
    own, final, shown = src.own.totals, src.final.totals, src.shown.totals
    estimate = BLANK
    if src.preview is not None:
        leaves = [
            leaf
            for leaf in src.preview.criteria
            if leaf.source == Source.SURVEY and (leaf.estimated or leaf.points is None)
        ]
        if leaves:
            survey = rollup.totals(leaves).survey
            estimate = PENDING if survey.points is None else vn(survey.points)
    statistics = final.statistics
    before_deductions = None if shown.index_points is None else shown.index_points + (shown.deducted or Decimal(0))
    return {
        "self_max": vn(own.self_.max),
        "survey_max": vn(own.survey.max) if own.survey.max else BLANK,
        "statistics_max": vn(statistics.max) if statistics is not None and statistics.max else BLANK,
        "statistics": (PENDING if statistics.points is None else vn(statistics.points))
        if statistics is not None and statistics.max
        else BLANK,
        "self": vn(own.self_.points),
        "appraised": vn(final.self_.points),
        "pct": vn_percent(final.self_pct),
        "survey": (PENDING if final.survey.points is None else vn(final.survey.points)) if final.survey.max else BLANK,
        "estimate": estimate,
        "final": PENDING if before_deductions is None else vn(before_deductions),
    }
