"""Leaves → TC, area and index totals: points over the applicable maximum, and the percentages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from par_score.numbers import HUNDRED, ZERO, round_half_up
from par_score.scoring.result import (
    AreaOut,
    LeafOut,
    NodeOut,
    PartTotal,
    SurveyTotal,
    Totals,
)
from par_score.vocabulary import Source, Status


def pct(points: Decimal | None, maximum: Decimal | None) -> Decimal | None:
    if points is None or not maximum:
        return None
    return round_half_up(points / maximum * HUNDRED)


def _in_scope(leaves: Iterable[LeafOut]) -> list[LeafOut]:
    return [leaf for leaf in leaves if leaf.status != Status.OUT_OF_SCOPE]


def _self_sums(leaves: list[LeafOut]) -> tuple[Decimal, Decimal]:
    own = [leaf for leaf in leaves if leaf.source == Source.SELF and leaf.applicable]
    return sum((leaf.points or ZERO for leaf in own), ZERO), sum((leaf.max for leaf in own), ZERO)


def _survey_sums(leaves: list[LeafOut]) -> tuple[Decimal | None, Decimal]:
    survey = [leaf for leaf in leaves if leaf.source == Source.SURVEY]
    maximum = sum((leaf.max for leaf in survey), ZERO)
    if any(leaf.points is None for leaf in survey):
        return None, maximum
    return sum((leaf.points for leaf in survey), ZERO), maximum


def node(code: str, name: str, leaves: list[LeafOut]) -> dict:
    scoped = _in_scope(leaves)
    self_points, self_max = _self_sums(scoped)
    survey_points, survey_max = _survey_sums(scoped)
    includes_survey = survey_points is not None and survey_max > 0
    points = self_points + (survey_points if includes_survey else ZERO)
    maximum = self_max + (survey_max if includes_survey else ZERO)
    return dict(
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


def areas(outline: Iterable[OutlineArea], leaves: list[LeafOut]) -> list[AreaOut]:
    """Every area and TC of `outline`, in its order, totalled from the leaves that name them (leaf.area, leaf.tc)."""
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
            criteria.append(NodeOut(**node(criterion.code, criterion.name, tc_leaves)))
        result.append(AreaOut(**node(area.code, area.name, area_leaves), agency=area.agency, criteria=criteria))
    return result


def roll_up(outline: Iterable[OutlineArea], leaves: list[LeafOut]) -> dict:
    """The parts of a result that follow from its leaves: the leaves themselves, areas and TCs, totals."""
    return {"criteria": leaves, "areas": areas(outline, leaves), "totals": totals(leaves)}


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
    )
