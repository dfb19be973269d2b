"""Leaves → TC, area and index totals: points over the applicable maximum, and the percentages; then the
catalogue's deduction items (điểm trừ) off their nodes and the bonus (điểm thưởng) onto the index.

The one roll-up of totals: scoring and appraisal (which recomputes from the appraised leaves) both call roll_up.

Parts: self-scored points, the survey and the statistics part. The survey (or statistics) part of a node counts
only when none of its items is pending; the index exists only when no survey or statistics item is pending.
Deductions: a TC's items lower the TC, then an area's items lower the area (already lowered by its TCs' items), then
total items lower the sum — each node floored at 0, so an item takes off at most what its node has. Bonus: at most
`cap` points, added to the points before dividing by the maximum (`added_to: points`) or to the index in percentage
points (`added_to: index`); the index stays at most 100 % unless the catalogue allows more. Rounded once, at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from par_score.numbers import HUNDRED, ZERO, round_half_up
from par_score.scoring.result import (
    AreaOut,
    BonusOut,
    ItemOut,
    LeafOut,
    NodeOut,
    PartTotal,
    StatisticsTotal,
    SurveyTotal,
    Totals,
)
from par_score.vocabulary import Source, Status

NOT_COUNTED = (Status.OUT_OF_SCOPE, Status.NOT_FOR_PROFILE)  # leaves outside the unit's maximum altogether


def pct(points: Decimal | None, maximum: Decimal | None) -> Decimal | None:
    if points is None or not maximum:
        return None
    return round_half_up(points / maximum * HUNDRED)


def _in_scope(leaves: Iterable[LeafOut]) -> list[LeafOut]:
    return [leaf for leaf in leaves if leaf.status not in NOT_COUNTED]


def _self_sums(leaves: list[LeafOut]) -> tuple[Decimal, Decimal]:
    own = [leaf for leaf in leaves if leaf.source == Source.SELF and leaf.applicable]
    return sum((leaf.points or ZERO for leaf in own), ZERO), sum((leaf.max for leaf in own), ZERO)


def _survey_sums(leaves: list[LeafOut]) -> tuple[Decimal | None, Decimal]:
    survey = [leaf for leaf in leaves if leaf.source == Source.SURVEY]
    maximum = sum((leaf.max for leaf in survey), ZERO)
    if any(leaf.points is None for leaf in survey):
        return None, maximum
    return sum((leaf.points for leaf in survey), ZERO), maximum


def _statistics_sums(leaves: list[LeafOut]) -> tuple[Decimal | None, Decimal]:
    given = [leaf for leaf in leaves if leaf.source == Source.STATISTICS and leaf.applicable]
    maximum = sum((leaf.max for leaf in given), ZERO)
    if any(leaf.points is None for leaf in given):
        return None, maximum
    return sum((leaf.points for leaf in given), ZERO), maximum


def node(code: str, name: str, leaves: list[LeafOut], *, with_statistics: bool = False) -> dict:
    scoped = _in_scope(leaves)
    self_points, self_max = _self_sums(scoped)
    survey_points, survey_max = _survey_sums(scoped)
    statistics_points, statistics_max = _statistics_sums(scoped)
    includes_survey = survey_points is not None and survey_max > 0
    includes_statistics = statistics_points is not None and statistics_max > 0
    points = self_points + (survey_points if includes_survey else ZERO)
    maximum = self_max + (survey_max if includes_survey else ZERO)
    if includes_statistics:
        points, maximum = points + statistics_points, maximum + statistics_max
    data = dict(
        code=code,
        name=name,
        points=points,
        max=maximum,
        declared_max=sum((leaf.max for leaf in scoped), ZERO),
        pct=pct(points, maximum),
        self_points=self_points,
        self_max=self_max,
        survey_points=survey_points,
        survey_max=survey_max,
        includes_survey=includes_survey,
        in_scope=bool(scoped),
    )
    if with_statistics:
        data.update(
            statistics_points=statistics_points,
            statistics_max=statistics_max,
            includes_statistics=includes_statistics,
        )
    return data


class OutlineTC(Protocol):
    code: str
    name: str


class OutlineArea(Protocol):
    """An area of the tree the leaves roll up into: a catalogue's Area or a result's AreaOut alike."""

    code: str
    name: str
    agency: str

    @property
    def criteria(self) -> Sequence[OutlineTC]: ...


def _has_statistics(leaves: list[LeafOut]) -> bool:
    return any(leaf.source == Source.STATISTICS for leaf in leaves)


def areas(outline: Iterable[OutlineArea], leaves: list[LeafOut]) -> list[AreaOut]:
    """Every area and TC of `outline`, in its order, totalled from the leaves that name them (leaf.area, leaf.tc)."""
    with_statistics = _has_statistics(leaves)
    by_tc: dict[tuple[str, str], list[LeafOut]] = {}
    for leaf in leaves:
        by_tc.setdefault((leaf.area, leaf.tc), []).append(leaf)
    result = []
    for area in outline:
        area_leaves: list[LeafOut] = []
        criteria = []
        for criterion in area.criteria:
            tc_leaves = by_tc.get((area.code, criterion.code), [])
            area_leaves.extend(tc_leaves)
            criteria.append(NodeOut(**node(criterion.code, criterion.name, tc_leaves, with_statistics=with_statistics)))
        result.append(
            AreaOut(
                **node(area.code, area.name, area_leaves, with_statistics=with_statistics),
                agency=area.agency,
                criteria=criteria,
            )
        )
    return result


# ---- deductions ----------------------------------------------------------------------------------------------------
def _take(node_points: Decimal, items: list[ItemOut]) -> tuple[Decimal, list[ItemOut]]:
    """A node's items in order, each taking off what it asks but never more than the node has left."""
    done = []
    for item in items:
        asked = item.points or ZERO
        effective = min(asked, node_points)
        after = node_points - effective
        done.append(item.model_copy(update={"effective": effective, "node_before": node_points, "node_after": after}))
        node_points = after
    return node_points, done


def _lowered(node_out: NodeOut, taken: Decimal) -> dict:
    """A node's fields with `taken` points off (its percentage taken after the deduction)."""
    points = node_out.points - taken
    return {"points": points, "pct": pct(points, node_out.max), "deducted": taken}


def deduct(area_outs: list[AreaOut], items: list[ItemOut]) -> tuple[list[AreaOut], list[ItemOut], Decimal]:
    """Apply TC, then area deduction items; returns the areas, the items with their effective amounts (total items
    still to apply) and the points taken off the areas."""
    by_target: dict[str, list[ItemOut]] = {}
    for item in items:
        by_target.setdefault(item.applies_to or "total", []).append(item)
    done: dict[str, ItemOut] = {}
    new_areas = []
    taken_in_areas = ZERO
    for area in area_outs:
        criteria = []
        tc_taken = ZERO
        for tc in area.criteria:
            left, applied = _take(tc.points, by_target.get(tc.code, []))
            done.update({i.code: i for i in applied})
            taken = tc.points - left
            tc_taken += taken
            criteria.append(tc.model_copy(update=_lowered(tc, taken)) if applied else tc)
        left, applied = _take(area.points - tc_taken, by_target.get(area.code, []))
        done.update({i.code: i for i in applied})
        taken = area.points - left
        taken_in_areas += taken
        changed = applied or tc_taken
        update = {**_lowered(area, taken), "criteria": criteria} if changed else {}
        new_areas.append(area.model_copy(update=update) if changed else area)
    return new_areas, [done.get(i.code, i) for i in items], taken_in_areas


# ---- the roll-up ---------------------------------------------------------------------------------------------------
def roll_up(
    outline: Iterable[OutlineArea],
    leaves: list[LeafOut],
    *,
    bonus: BonusOut | None = None,
    deductions: list[ItemOut] | None = None,
) -> dict:
    """The parts of a result that follow from its leaves (and its bonus and deduction items, when the catalogue has
    them): the leaves themselves, areas and TCs, totals, and the items with what they added or took off."""
    area_outs = areas(outline, leaves)
    done: dict = {"criteria": leaves}
    taken = ZERO
    if deductions is not None:
        area_outs, deductions, taken = deduct(area_outs, deductions)
    if bonus is not None:
        points = sum((item.points or ZERO for item in bonus.items), ZERO)
        bonus = bonus.model_copy(update={"points": points, "applied": min(bonus.cap, points)})
        done["bonus"] = bonus
    base = totals(leaves)
    if deductions is not None:
        base, deductions = _deduct_total(base, deductions, taken)
        done["deductions"] = deductions
    if bonus is not None:
        base = _add_bonus(base, bonus)
    done.update(areas=area_outs, totals=base)
    return done


def _deduct_total(base: Totals, items: list[ItemOut], taken_in_areas: Decimal) -> tuple[Totals, list[ItemOut]]:
    own = [item for item in items if (item.applies_to or "total") == "total"]
    sum_of_parts = base.self_.points + (base.survey.points or ZERO)
    if base.statistics is not None:
        sum_of_parts += base.statistics.points or ZERO
    left, applied = _take(sum_of_parts - taken_in_areas, own)
    by_code = {i.code: i for i in applied}
    deducted = sum_of_parts - left
    update: dict = {"deducted": deducted}
    if base.index_points is not None:
        update.update(
            index_points=base.index_points - deducted, index_pct=pct(base.index_points - deducted, base.index_max)
        )
    return base.model_copy(update=update), [by_code.get(i.code, i) for i in items]


def _add_bonus(base: Totals, bonus: BonusOut) -> Totals:
    applied = bonus.applied or ZERO
    update: dict = {"bonus": applied, "index_pct_without_bonus": base.index_pct}
    if base.index_points is not None and base.index_max:
        if bonus.added_to == "points":
            raw = (base.index_points + applied) / base.index_max * HUNDRED
        else:
            raw = base.index_points / base.index_max * HUNDRED + applied
        if not bonus.allow_above_max:
            raw = min(raw, HUNDRED)
        update["index_pct"] = round_half_up(raw)
    return base.model_copy(update=update)


def totals(leaves: list[LeafOut]) -> Totals:
    scoped = _in_scope(leaves)
    self_points, self_max = _self_sums(scoped)
    survey_points, survey_max = _survey_sums(scoped)
    survey_leaves = [leaf for leaf in scoped if leaf.source == Source.SURVEY]
    pending = [leaf.code for leaf in survey_leaves if leaf.points is None]
    estimated = any(leaf.estimated for leaf in survey_leaves)
    if survey_points is not None:
        index_points, index_max = self_points + survey_points, self_max + survey_max
    else:
        index_points = index_max = None
    statistics = None
    if _has_statistics(leaves):
        statistics_points, statistics_max = _statistics_sums(scoped)
        given = [leaf for leaf in scoped if leaf.source == Source.STATISTICS]
        statistics = StatisticsTotal(
            points=statistics_points,
            max=statistics_max,
            declared_max=sum((leaf.max for leaf in given), ZERO),
            pending=[leaf.code for leaf in given if leaf.applicable and leaf.points is None],
        )
        if index_points is not None and statistics_points is not None:
            index_points, index_max = index_points + statistics_points, index_max + statistics_max
        else:
            index_points = index_max = None
    return Totals(
        self=PartTotal(
            points=self_points,
            max=self_max,
            declared_max=sum((leaf.max for leaf in scoped if leaf.source == Source.SELF), ZERO),
        ),
        survey=SurveyTotal(
            points=survey_points, max=survey_max, declared_max=survey_max, estimated=estimated, pending=pending
        ),
        self_pct=pct(self_points, self_max),
        index_points=index_points,
        index_max=index_max,
        index_pct=pct(index_points, index_max),
        index_estimated=estimated,
        statistics=statistics,
    )
