"""Bands: mutually exclusive regions of a leaf's inputs, each with the points it gives and the status it means.

Every band's region excludes the bands above it, so exactly one band holds for any input: the trace can always
name the single band that fired, and the "why not" lists the conditions of the better bands that failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from par_score.numbers import HUNDRED, ONE, ZERO, vn
from par_score.rules.conditions import STATE, Condition, compare, in_state
from par_score.rules.fields import ThresholdBand
from par_score.vocabulary import SCORED, STATE_LABELS, LeafState


@dataclass(frozen=True)
class Points:
    """How a band turns into points. This base gives none (a band about a state, not a score)."""

    def compute(self, maximum: Decimal, values: dict[str, Decimal]) -> Decimal | None:
        return None

    def describe(self) -> str:
        return "chưa có điểm"


@dataclass(frozen=True)
class FixedFraction(Points):
    """A fixed fraction of the leaf's maximum."""

    fraction: Decimal = ZERO

    def compute(self, maximum: Decimal, values: dict[str, Decimal]) -> Decimal | None:
        return maximum * self.fraction

    def describe(self) -> str:
        if self.fraction == ONE:
            return "điểm tối đa"
        if self.fraction == ZERO:
            return "0 điểm"
        return f"{vn(self.fraction * HUNDRED)} % điểm tối đa"


NO_POINTS = Points()
ZERO_POINTS = FixedFraction(ZERO)
FULL_POINTS = FixedFraction(ONE)


@dataclass(frozen=True)
class Band:
    leaf: str
    key: str
    label: str
    status: str  # SCORED (full/partial/zero follow from the points) or a Status that is not about points
    conditions: tuple[Condition, ...]  # the state the leaf must be in first, then conditions on its values
    points: Points

    def __post_init__(self) -> None:
        # Split once: every leaf tries every band, and the state alone rules most of them out.
        first = self.conditions[0] if self.conditions else None
        state = str(first.threshold) if first is not None and first.variable == STATE else None
        object.__setattr__(self, "_state", state)
        object.__setattr__(self, "_on_values", self.conditions[1:] if state is not None else self.conditions)

    @property
    def id(self) -> str:
        return f"{self.leaf}/{self.key}"

    @property
    def is_value_band(self) -> bool:
        return self._state == LeafState.VALUE

    def holds(self, state: str, values: dict[str, Decimal]) -> bool:
        if self._state is not None and state != self._state:
            return False
        for condition in self._on_values:
            if not condition.holds(state, values):
                return False
        return True

    def describe_conditions(self) -> str:
        """The band's conditions in words, leaving out those implied by a tighter one ("< 100 %" beside "< 80 %")."""
        shown = [c for c in self.conditions if c.variable != STATE and not any(o.implies(c) for o in self.conditions)]
        parts = [c.describe() for c in shown]
        return " và ".join(parts) if parts else STATE_LABELS[self.conditions[0].threshold]


def value_band(leaf: str, key: str, label: str, conditions: tuple[Condition, ...], points: Points) -> Band:
    """A band that scores from the evidence: the leaf has a value, and `conditions` hold."""
    return Band(leaf, key, label, SCORED, (in_state(LeafState.VALUE), *conditions), points)


def exclusive_bands(leaf: str, declared: list[tuple[Condition, Decimal, str]]) -> list[Band]:
    """Declared (condition, fraction, label) bands in order, each excluding those above it, then the remainder as
    'không đạt' (0 points)."""
    compiled: list[Band] = []
    earlier: list[Condition] = []
    for i, (condition, fraction, label) in enumerate(declared):
        conditions = (*[c.negated() for c in earlier], condition)
        compiled.append(value_band(leaf, f"muc-{i + 1}", label, conditions, FixedFraction(fraction)))
        earlier.append(condition)
    remainder = tuple(c.negated() for c in earlier)
    compiled.append(value_band(leaf, "khong-dat", "Không đạt mức nào: 0 điểm", remainder, ZERO_POINTS))
    return compiled


def threshold_bands(code: str, variable: str, bands: list[ThresholdBand]) -> list[Band]:
    """Declared threshold bands on `variable` ("tỷ lệ ≥ 80 %: 50 % điểm tối đa"), exclusive, then 0."""
    declared = []
    for band in bands:
        condition = compare(variable, band.operator, band.threshold)
        label = f"{sentence(condition.describe())}: {FixedFraction(band.fraction).describe()}"
        declared.append((condition, band.fraction, label))
    return exclusive_bands(code, declared)


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
