"""An appraised result (thẩm định) in the report: the self-assessment it was made from, and how many criteria the
appraisal covered. The appraisal itself is applied by par_score.audit.appraisal; the report only reads it."""

from __future__ import annotations

from par_score.audit.appraisal import recompute
from par_score.scoring.result import LeafOut, ScoreResult
from par_score.vocabulary import STATUS_LABELS, Status


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
            estimated=side.self_status == Status.SURVEY_ESTIMATED,
        )
    return leaf.model_copy(update=update)


def self_assessed(result: ScoreResult) -> ScoreResult:
    """The self-assessed result an appraised one was made from, its areas and totals aggregated as appraisal does."""
    leaves = [self_leaf(leaf) for leaf in result.criteria]
    return result.model_copy(update={**recompute(result, leaves), "appraisal": None})


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
