"""Section II of the letter (giải trình): every self-scored leaf with missing evidence, zero or partial points,
why it missed its best band, and the unit's explanation."""

from __future__ import annotations

from dataclasses import dataclass

from par_score.numbers import vn
from par_score.outputs.report.formatting import paragraphs, sentence
from par_score.outputs.report.wording import shortfall_sentence
from par_score.scoring.result import LeafOut, ScoreResult
from par_score.vocabulary import Source, Status

EXPLAINED_STATUSES = (Status.MISSING_EVIDENCE, Status.ZERO, Status.PARTIAL)


@dataclass(frozen=True)
class ExplanationItem:
    code: str
    heading: str
    score: str
    shortfall: list[str]
    required: str
    text: list[str]
    appraisal: list[str]


@dataclass(frozen=True)
class ExplanationGroup:
    heading: str
    items: list[ExplanationItem]


def needs_explanation(leaf: LeafOut) -> bool:
    return leaf.source == Source.SELF and leaf.status in EXPLAINED_STATUSES


def criterion_kind(leaf: LeafOut) -> str:
    return "Tiêu chí" if leaf.code == leaf.tc else "Tiêu chí thành phần"


def shortfall(leaf: LeafOut) -> list[str]:
    """Why the leaf missed its best band (the failed conditions of that band only), in plain Vietnamese."""
    if not leaf.failed_conditions:
        return []
    best = leaf.failed_conditions[0].band
    return [shortfall_sentence([f for f in leaf.failed_conditions if f.band == best])]


def score_line(leaf: LeafOut, after: LeafOut | None) -> str:
    """Maximum and self-assessed points; the appraised points too when `after` (the leaf after thẩm định) has them."""
    points = "0" if leaf.points is None else vn(leaf.points)
    line = f"Điểm tối đa: {vn(leaf.max)}; điểm tự đánh giá: {points} ({leaf.status_label})"
    if after is not None and after.appraisal is not None and after.appraisal.appraised_points is not None:
        line += f"; điểm thẩm định: {vn(after.appraisal.appraised_points)}"
    return line + "."


def appraisal_lines(after: LeafOut | None) -> list[str]:
    """The council's word on an appraised leaf: who gave the governing points and why."""
    side = after.appraisal if after is not None else None
    if side is None or side.appraised_points is None:
        return []
    line = f"Ý kiến thẩm định ({side.appraiser})" if side.appraiser else "Ý kiến thẩm định"
    return [f"{line}: {sentence(side.comment)}" if side.comment else f"{line}: cho {vn(side.appraised_points)} điểm."]


def explanation_item(leaf: LeafOut, after: LeafOut | None = None) -> ExplanationItem:
    return ExplanationItem(
        code=leaf.code,
        heading=f"{criterion_kind(leaf)} {leaf.code}. {leaf.name}",
        score=score_line(leaf, after),
        shortfall=[] if leaf.status == Status.MISSING_EVIDENCE else shortfall(leaf),
        required=leaf.required_evidence if leaf.status == Status.MISSING_EVIDENCE else "",
        text=paragraphs(leaf.explanation or ""),
        appraisal=appraisal_lines(after),
    )


def changed_by_appraisal(leaf: LeafOut | None) -> bool:
    side = leaf.appraisal if leaf is not None else None
    return side is not None and side.appraised_points is not None and side.appraised_points != side.self_points


def explanation_groups(result: ScoreResult, appraised: ScoreResult | None = None) -> list[ExplanationGroup]:
    """The self-assessed leaves needing giải trình, by area; with an appraised result, also every self-scored leaf
    whose appraised points differ from the self-assessed ones, with the council's comment."""
    after = {leaf.code: leaf for leaf in appraised.criteria} if appraised is not None else {}
    groups = []
    for area in result.areas:
        items = [
            explanation_item(leaf, after.get(leaf.code))
            for leaf in result.criteria
            if leaf.area == area.code
            and (needs_explanation(leaf) or (leaf.source == Source.SELF and changed_by_appraisal(after.get(leaf.code))))
        ]
        if items:
            groups.append(ExplanationGroup(heading=f"Lĩnh vực {area.code}. {area.name}", items=items))
    return groups
