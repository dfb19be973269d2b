"""An appraised result (thẩm định) in the report: the self-assessment it was made from, and what the letter says
about the appraisal. The appraisal itself is applied by par_score.audit.appraisal; the report only reads it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from par_score.audit.appraisal import recompute
from par_score.numbers import vn
from par_score.outputs.report.formatting import vn_date
from par_score.scoring.result import LeafOut, ScoreResult
from par_score.vocabulary import STATUS_LABELS


@dataclass(frozen=True)
class AppraisalView:
    source: str  # " của Hội đồng thẩm định … ngày 20 tháng 3 năm 2025", for running text; may be empty
    file: str
    change: str  # of the self-assessed part's total: "giảm 0,25 điểm so với điểm tự đánh giá"
    coverage: str  # how many leaves were appraised, how many changed


def self_leaf(leaf: LeafOut) -> LeafOut:
    """The leaf as it was self-assessed: an appraised leaf keeps its self points and status beside the final ones."""
    side = leaf.appraisal
    if side is None:
        return leaf
    update: dict = {"appraisal": None}
    if side.appraised_points is not None:
        update.update(
            points=side.self_points,
            status=side.self_status,
            status_label=STATUS_LABELS[side.self_status],
            estimated=side.self_status == "survey_estimated",
        )
    return leaf.model_copy(update=update)


def self_assessed(result: ScoreResult) -> ScoreResult:
    """The self-assessed result an appraised one was made from, its areas and totals aggregated as appraisal does."""
    leaves = [self_leaf(leaf) for leaf in result.criteria]
    return result.model_copy(update={**recompute(result, leaves), "appraisal": None})


def change_text(before: Decimal | None, after: Decimal | None) -> str:
    change = (after or Decimal(0)) - (before or Decimal(0))
    if change > 0:
        return f"tăng {vn(change)} điểm so với điểm tự đánh giá"
    if change < 0:
        return f"giảm {vn(-change)} điểm so với điểm tự đánh giá"
    return "không thay đổi so với điểm tự đánh giá"


def appraised_leaves(result: ScoreResult) -> list[LeafOut]:
    return [
        leaf for leaf in result.criteria if leaf.appraisal is not None and leaf.appraisal.appraised_points is not None
    ]


def coverage_text(result: ScoreResult) -> str:
    appraised = appraised_leaves(result)
    changed = [leaf for leaf in appraised if leaf.appraisal.appraised_points != leaf.appraisal.self_points]
    return (
        f"Kết quả thẩm định cho điểm {len(appraised)} tiêu chí, tiêu chí thành phần, trong đó {len(changed)} tiêu chí, "
        "tiêu chí thành phần có điểm thẩm định khác điểm tự đánh giá; các tiêu chí, tiêu chí thành phần còn lại giữ "
        "điểm tự đánh giá"
    )


def appraisal_view(result: ScoreResult, own: ScoreResult) -> AppraisalView:
    """`result` is the appraised result, `own` the self-assessment it was made from."""
    info = result.appraisal
    assert info is not None
    source = (f" của {info.council}" if info.council else "") + (f" {vn_date(info.date)}" if info.date else "")
    return AppraisalView(
        source=source,
        file=info.file,
        change=change_text(own.totals.self_.points, result.totals.self_.points),
        coverage=coverage_text(result),
    )
