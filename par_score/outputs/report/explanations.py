"""Section II of the letter (giải trình): every self-scored leaf with missing evidence, zero or partial points,
why it missed its best band, and the unit's explanation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from par_score.numbers import HUNDRED, round_half_up, vn, vn_percent
from par_score.outputs.report.formatting import paragraphs
from par_score.rules.variables import VARIABLES
from par_score.scoring.result import FailedConditionOut, LeafOut, ScoreResult

EXPLAINED_STATUSES = ("missing_evidence", "zero", "partial")


@dataclass(frozen=True)
class ExplanationItem:
    heading: str
    score: str
    shortfall: list[str]
    required: str
    text: list[str]


@dataclass(frozen=True)
class ExplanationGroup:
    heading: str
    items: list[ExplanationItem]


def needs_explanation(leaf: LeafOut) -> bool:
    return leaf.source == "self" and leaf.status in EXPLAINED_STATUSES


def criterion_kind(leaf: LeafOut) -> str:
    return "Tiêu chí" if leaf.code == leaf.tc else "Tiêu chí thành phần"


def actual_text(failed: FailedConditionOut) -> str:
    """The actual value as read: an exact ratio is shown to 2 decimals, more only where 2 would hide the shortfall."""
    if VARIABLES[failed.variable].shown_as != "ratio":
        return failed.actual_display
    try:
        actual, threshold = Decimal(failed.actual) * HUNDRED, Decimal(failed.threshold) * HUNDRED
    except InvalidOperation:
        return failed.actual_display
    for places in range(2, 7):
        if round_half_up(actual, Decimal(1).scaleb(-places)) != threshold:
            return vn_percent(actual, places)
    return failed.actual_display


def shortfall(leaf: LeafOut) -> list[str]:
    """Why the leaf missed its best band: the failed conditions of that band only."""
    if not leaf.failed_conditions:
        return []
    best = leaf.failed_conditions[0].band
    failed = [f for f in leaf.failed_conditions if f.band == best]
    label = failed[0].band_label
    details = "; ".join(f"cần {f.condition}, thực tế: {actual_text(f)}" for f in failed)
    return [f"Chưa đạt mức “{label}”: {details}."]


def score_line(leaf: LeafOut, after: LeafOut | None) -> str:
    """Maximum and self-assessed points; the appraised points too when `after` (the leaf after thẩm định) has them."""
    points = "0" if leaf.points is None else vn(leaf.points)
    line = f"Điểm tối đa: {vn(leaf.max)}; điểm tự đánh giá: {points} ({leaf.status_label})"
    if after is not None and after.appraisal is not None and after.appraisal.appraised_points is not None:
        line += f"; điểm thẩm định: {vn(after.appraisal.appraised_points)}"
    return line + "."


def explanation_item(leaf: LeafOut, after: LeafOut | None = None) -> ExplanationItem:
    return ExplanationItem(
        heading=f"{criterion_kind(leaf)} {leaf.code}. {leaf.name}",
        score=score_line(leaf, after),
        shortfall=[] if leaf.status == "missing_evidence" else shortfall(leaf),
        required=leaf.required_evidence if leaf.status == "missing_evidence" else "",
        text=paragraphs(leaf.explanation or ""),
    )


def explanation_groups(result: ScoreResult, appraised: ScoreResult | None = None) -> list[ExplanationGroup]:
    """The self-assessed leaves needing giải trình, by area; with their appraised points when `appraised` is given."""
    after = {leaf.code: leaf for leaf in appraised.criteria} if appraised is not None else {}
    groups = []
    for area in result.areas:
        items = [
            explanation_item(leaf, after.get(leaf.code))
            for leaf in result.criteria
            if leaf.area == area.code and needs_explanation(leaf)
        ]
        if items:
            groups.append(ExplanationGroup(heading=f"Lĩnh vực {area.code}. {area.name}", items=items))
    return groups
