"""The arithmetic the kinds' `plan` hooks share (the types they work with are in _kind.py): which band a value falls
in, the region of a band on one variable, and the value nearest to the current one inside a region on a grid,
exactly.

A proposal is data, never words: the planner (par_score.planning) applies its changes to a copy of the bundle,
re-scores it through the engine and checks the promised points, then words it for people.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

from par_score.rules.bands import Band
from par_score.rules.conditions import Condition
from par_score.scales._kind import Change, Figure, Horizon, IssueDocument, Proposal, SendReport, SetFigure, Standing

__all__ = [
    "Change",
    "Figure",
    "Horizon",
    "IssueDocument",
    "Proposal",
    "Region",
    "SendReport",
    "SetFigure",
    "Standing",
    "best_per_outcome",
    "nearest",
    "outcome",
    "proposal",
    "ratio_of",
    "region",
    "resolution",
]

_EXACT = decimal.Context(prec=40)


# ---- shared arithmetic ---------------------------------------------------------------------------------------------
def outcome(bands: list[Band], maximum: Decimal, values: dict[str, Decimal]) -> tuple[Band, Decimal]:
    """The value band that holds for `values` (exactly one does) and the points it gives."""
    holding = [band for band in bands if band.holds("value", values)]
    if len(holding) != 1:
        raise ValueError(f"expected one band for {values}, found {[b.key for b in holding]}")
    band = holding[0]
    points = band.points.compute(maximum, values)
    assert points is not None
    return band, points


def proposal(
    standing: Standing,
    bands: list[Band],
    values: dict[str, Decimal],
    changes: tuple[Change, ...],
    *,
    blocked: str | None = None,
) -> Proposal | None:
    """The proposal these changes make, when the values they lead to score better than now."""
    band, points = outcome(bands, standing.maximum, values)
    if points <= standing.points:
        return None
    return Proposal(standing.code, band.key, band.label, points, changes, blocked)


def best_per_outcome(proposals: list[Proposal | None]) -> list[Proposal]:
    """One proposal per band and points (the first, i.e. the one listed as smallest), best points first."""
    kept: dict[tuple[str, Decimal], Proposal] = {}
    for found in proposals:
        if found is not None:
            kept.setdefault((found.band, found.points), found)
    return sorted(kept.values(), key=lambda p: -p.points)


@dataclass(frozen=True)
class Region:
    """The values one variable may take in a band: an interval, each end closed or open, or unbounded (None)."""

    low: Decimal | None = None
    low_open: bool = False
    high: Decimal | None = None
    high_open: bool = False

    def holds(self, x: Decimal) -> bool:
        if self.low is not None and (x < self.low or (self.low_open and x == self.low)):
            return False
        return not (self.high is not None and (x > self.high or (self.high_open and x == self.high)))

    def below(self, x: Decimal) -> bool:
        """Whether `x` lies below the region (short of its lower end)."""
        return self.low is not None and (x < self.low or (self.low_open and x == self.low))

    def within(self, other: Region) -> Region:
        """The intersection of two regions."""
        low, low_open = self.low, self.low_open
        if other.low is not None and (low is None or other.low > low or (other.low == low and other.low_open)):
            low, low_open = other.low, other.low_open
        high, high_open = self.high, self.high_open
        if other.high is not None and (high is None or other.high < high or (other.high == high and other.high_open)):
            high, high_open = other.high, other.high_open
        return Region(low, low_open, high, high_open)

    def scaled(self, factor: Decimal) -> Region:
        """The region of `x` when `x / factor` must lie in this one (factor > 0)."""

        def times(v: Decimal | None) -> Decimal | None:
            return None if v is None else _EXACT.multiply(v, factor)

        return Region(times(self.low), self.low_open, times(self.high), self.high_open)


def region(conditions: tuple[Condition, ...] | list[Condition], variable: str) -> Region:
    """The intersection of the conditions on `variable` (others are ignored)."""
    low: Decimal | None = None
    low_open = False
    high: Decimal | None = None
    high_open = False
    for c in conditions:
        if c.variable != variable:
            continue
        t = Decimal(c.threshold)
        if c.op in (">=", ">"):
            if low is None or t > low or (t == low and c.op == ">"):
                low, low_open = t, c.op == ">"
        elif c.op in ("<=", "<"):
            if high is None or t < high or (t == high and c.op == "<"):
                high, high_open = t, c.op == "<"
        elif c.op == "==":
            low, high, low_open, high_open = t, t, False, False
    return Region(low, low_open, high, high_open)


def nearest(
    area: Region,
    current: Decimal | None,
    step: Decimal,
    lowest: Decimal | None = None,
    highest: Decimal | None = None,
) -> Decimal | None:
    """The multiple of `step` inside `area` and within [lowest, highest] nearest to `current`; with no current
    value, the one nearest to the region's lower end (its upper end when it has none). None when there is none."""
    bounded = area.within(Region(lowest, False, highest, False))
    if current is not None and bounded.holds(current) and current % step == 0:
        return current
    upward = bounded.low is not None if current is None else bounded.below(current)
    if upward:
        if bounded.low is None:
            return None
        candidate = Decimal(ceil(Fraction(bounded.low) / Fraction(step))) * step
        if bounded.low_open and candidate == bounded.low:
            candidate += step
    else:
        if bounded.high is None:
            return None
        candidate = Decimal(floor(Fraction(bounded.high) / Fraction(step))) * step
        if bounded.high_open and candidate == bounded.high:
            candidate -= step
    return candidate if bounded.holds(candidate) else None


def resolution(*numbers: Decimal | None, finest: int = 0) -> Decimal:
    """The grid a change moves on: one unit of the last decimal place the numbers (and `finest`) use."""
    places = [finest]
    for n in numbers:
        if n is not None:
            exponent = n.normalize().as_tuple().exponent
            places.append(-int(exponent) if isinstance(exponent, int) and exponent < 0 else 0)
    return Decimal(1).scaleb(-max(places))


def ratio_of(numerator: Decimal, denominator: Decimal) -> Decimal:
    """A ratio exactly as the indicator kinds read it."""
    return _EXACT.divide(numerator, denominator)
