"""composite (tiêu chí hợp thành): one criterion decided from several inputs (its parts) together.

    combine: all_of    bands tried top-down; a band holds when every part meets its bound ("≥ 50 % of procedures
                       have online dossiers and ≥ 50 % of dossiers are online"); no band → 0
    combine: min_of    each part scored by its own scale; the criterion gets the lowest ("the lower of")
    combine: weighted  each part scored by its own scale on weight × max; the criterion gets the sum, rounded half up
                       to 0,01 (weights add up to exactly 1)

Compiled as the product of the parts' regions: each part's axis is cut into mutually exclusive regions — its own
scale's bands (min_of, weighted), or the intervals between the thresholds the declared bands name (all_of) — and each
combination of regions is one band of the criterion. Exactly one holds for any values, and the rule engine decides
it like any other band; a band's "why not" lists the parts' better regions (all_of: the better declared bands) that
failed. A part without evidence leaves the whole criterion without evidence; "không phát sinh" is declared for the
whole criterion.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from par_score.numbers import ONE, ZERO, round_half_up, vn
from par_score.rules.bands import ZERO_POINTS, Band, FixedFraction, Points, sentence, value_band
from par_score.rules.conditions import Condition, in_state
from par_score.rules.facts import InputValue, LeafFacts
from par_score.rules.fields import Bound, DeclarationModel, Fraction, Identifier, UnitFraction, check_decreasing
from par_score.rules.inputs import PartInput
from par_score.rules.variables import part_variable
from par_score.scales._kind import (
    Figure,
    Found,
    Horizon,
    Part,
    Proposal,
    ScaleKind,
    SetFigure,
    Standing,
    SyntheticBuilder,
)
from par_score.scales._planning import nearest, region, resolution
from par_score.scales._registry import KINDS
from par_score.vocabulary import SCORED, LeafState

TYPE = "composite"
LABEL = "hợp thành từ nhiều chỉ số"
INPUT = "parts"
VARIABLES = ("ratio", "value")  # what all_of bounds compare; min_of and weighted parts bring their own kinds' variables
NOT_A_PART = ("composite", "survey")
COMBINE_WORDS = {"all_of": "đạt đồng thời", "min_of": "lấy mức thấp hơn", "weighted": "cộng theo trọng số"}


def _kinds() -> dict[str, ScaleKind]:
    return KINDS  # filled in after every kind module (this one included) is imported


class PartDeclaration(DeclarationModel):
    id: Identifier
    label: str = Field(min_length=1, max_length=300)
    input: PartInput
    measure: Literal["ratio", "value"] | None = None  # all_of: what the bounds compare (default: the ratio)
    scale: Any = None  # min_of, weighted: the part's own scale
    weight: UnitFraction | None = None  # weighted only

    @field_validator("scale", mode="before")
    @classmethod
    def _known_scale(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise ValueError("thang điểm của thành phần phải là một bản ghi (type: …)")
        kind = _kinds().get(str(value.get("type")))
        if kind is None or kind.type in NOT_A_PART:
            allowed = ", ".join(t for t in _kinds() if t not in NOT_A_PART)
            raise ValueError(f"thang điểm của thành phần phải là một trong: {allowed}")
        return kind.model.model_validate(value)

    @property
    def reads(self) -> str:
        return "value" if self.measure == "value" else "ratio"


class AllOfBand(Fraction):
    when: dict[Identifier, Bound] = Field(min_length=1)


class Model(DeclarationModel):
    type: Literal["composite"]
    combine: Literal["all_of", "min_of", "weighted"]
    parts: list[PartDeclaration] = Field(min_length=2, max_length=6)
    bands: list[AllOfBand] | None = None

    @model_validator(mode="after")
    def _fits_combine(self) -> Model:
        ids = [p.id for p in self.parts]
        if len(set(ids)) != len(ids):
            raise ValueError("mã thành phần (id) phải khác nhau")
        if self.combine == "all_of":
            if not self.bands:
                raise ValueError("combine: all_of cần các bậc (bands), mỗi bậc nêu ngưỡng của mọi thành phần (when)")
            for part in self.parts:
                if part.scale is not None or part.weight is not None:
                    raise ValueError(f"thành phần '{part.id}': combine all_of không dùng scale hay weight riêng")
                if part.input.figure != "indicator":
                    raise ValueError(f"thành phần '{part.id}': combine all_of so ngưỡng trên số liệu (indicator)")
            for n, band in enumerate(self.bands, start=1):
                if set(band.when) != set(ids):
                    raise ValueError(f"bậc {n}: 'when' phải nêu ngưỡng cho đúng các thành phần {', '.join(ids)}")
            check_decreasing(self.bands)
            return self
        if self.bands is not None:
            raise ValueError(f"combine {self.combine}: mỗi thành phần có thang điểm riêng, không khai báo bands")
        for part in self.parts:
            if part.scale is None:
                raise ValueError(f"thành phần '{part.id}': combine {self.combine} cần thang điểm (scale) riêng")
            if part.measure is not None:
                raise ValueError(f"thành phần '{part.id}': 'measure' chỉ dùng với combine all_of")
            if _kinds()[part.scale.type].input != part.input.figure:
                raise ValueError(f"thành phần '{part.id}': thang điểm '{part.scale.type}' không đọc được đầu vào này")
            if (part.weight is None) == (self.combine == "weighted"):
                raise ValueError(f"thành phần '{part.id}': trọng số (weight) chỉ và phải dùng với combine weighted")
            if part.weight is not None and (part.weight == 0 or part.weight.as_tuple().exponent < -6):
                raise ValueError(f"thành phần '{part.id}': trọng số phải lớn hơn 0, tối đa 6 chữ số thập phân")
        if self.combine == "weighted" and sum((p.weight for p in self.parts), ZERO) != ONE:
            raise ValueError("tổng trọng số của các thành phần phải bằng đúng 1")
        return self


def validate(scale: Model, maximum: Decimal) -> None:
    for part in scale.parts:
        if part.scale is not None:
            _kinds()[part.scale.type].validate(part.scale, maximum)


def parts(scale: Model) -> list[Part]:
    kinds = _kinds()
    found = []
    for part in scale.parts:
        kind = kinds[part.scale.type] if part.scale is not None else kinds[f"{part.reads}_bands"]
        found.append(Part(part.id, part.label, part.input, kind, part.scale))
    return found


def variables_of(scale: Model) -> tuple[str, ...]:
    names = []
    for part in parts(scale):
        bases = part.kind.variables_of(part.scale)
        names.extend(part_variable(base, part.id) for base in bases)
    return tuple(names)


# ---- points of a combination -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PartPoints(Points):
    """A part's own points, computed from its (part-qualified) values."""

    inner: Points
    part: str
    variables: tuple[str, ...]

    def compute(self, maximum: Decimal, values: dict[str, Decimal]) -> Decimal | None:
        own = {v: values[part_variable(v, self.part)] for v in self.variables if part_variable(v, self.part) in values}
        return self.inner.compute(maximum, own)

    def describe(self) -> str:
        return self.inner.describe()


@dataclass(frozen=True)
class LowestOf(Points):
    parts: tuple[PartPoints, ...]

    def compute(self, maximum: Decimal, values: dict[str, Decimal]) -> Decimal | None:
        return min(p.compute(maximum, values) for p in self.parts)

    def describe(self) -> str:
        return "mức thấp hơn: " + " / ".join(p.describe() for p in self.parts)


@dataclass(frozen=True)
class WeightedSum(Points):
    parts: tuple[tuple[PartPoints, Decimal], ...]

    def compute(self, maximum: Decimal, values: dict[str, Decimal]) -> Decimal | None:
        total = sum((p.compute(maximum * weight, values) for p, weight in self.parts), ZERO)
        return min(maximum, round_half_up(total))

    def describe(self) -> str:
        if all(isinstance(p.inner, FixedFraction) for p, _ in self.parts):
            fraction = sum((p.inner.fraction * w for p, w in self.parts), ZERO)
            return FixedFraction(fraction).describe()
        return "cộng theo trọng số: " + " + ".join(f"{vn(w)} × ({p.describe()})" for p, w in self.parts)


# ---- the regions of one part -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Region:
    key: str
    label: str
    conditions: tuple[Condition, ...]  # on the part-qualified variable, without the state condition
    points: Points | None = None  # min_of, weighted: the part's own points here
    representative: Decimal | None = None  # all_of: one value inside the region
    better: tuple[Band, ...] = ()  # min_of, weighted: the part's bands above this one


def _qualified(condition: Condition, part: Part) -> Condition:
    return Condition(part_variable(condition.variable, part.id), condition.op, condition.threshold, part.label)


def _scale_regions(code: str, maximum: Decimal, part: Part, year: int) -> list[Region]:
    """A part's own value bands (each excluding those above it), qualified by the part."""
    bands = part.kind.value_bands(code, maximum, part.scale, year)
    variables = part.kind.variables_of(part.scale)
    regions: list[Region] = []
    qualified: list[Band] = []
    for band in bands:
        state, *on_values = band.conditions
        assert state == in_state(LeafState.VALUE), "a value band starts with the value state"
        conditions = tuple(_qualified(c, part) for c in on_values)
        regions.append(
            Region(
                key=f"{part.id}.{band.key}",
                label=f"{part.label}: {band.label[:1].lower()}{band.label[1:]}",
                conditions=conditions,
                points=PartPoints(band.points, part.id, variables),
                better=tuple(qualified),
            )
        )
        qualified.append(
            Band(code, f"{part.id}.{band.key}", regions[-1].label, band.status, (state, *conditions), band.points)
        )
    return regions


_LOWER = {">=": True, ">": False}  # a lower bound: is the threshold itself inside?
_UPPER = {"<": False, "<=": True}


def _interval_regions(part: Part, bounds: list[Bound]) -> list[Region]:
    """The intervals between the thresholds that all_of bands name for one part, as exclusive regions."""
    variable = part_variable(part.kind.variables[0], part.id)
    # A cut at t either starts the upper side at t (≥ t / < t) or just after t (> t / ≤ t); at one t, the first
    # kind of cut comes first.
    cuts = sorted({(b.threshold, b.operator in (">", "<=")) for b in bounds})
    regions = []
    for n in range(len(cuts) + 1):
        low = cuts[n - 1] if n > 0 else None
        high = cuts[n] if n < len(cuts) else None
        conditions = []
        if low is not None:
            conditions.append(Condition(variable, ">" if low[1] else ">=", low[0], part.label))
        if high is not None:
            conditions.append(Condition(variable, "<=" if high[1] else "<", high[0], part.label))
        if low is not None and high is not None:
            representative = low[0] if low[0] == high[0] else (low[0] + high[0]) / 2
        elif low is not None:
            representative = low[0] + 1
        elif high is not None:
            representative = high[0] - 1
        else:
            representative = ZERO
        regions.append(
            Region(key=f"{part.id}.{n + 1}", label="", conditions=tuple(conditions), representative=representative)
        )
    return regions


def _holds(bound: Bound, value: Decimal) -> bool:
    return Condition("value", bound.operator, bound.threshold).holds(LeafState.VALUE, {"value": value})


def _declared_band(code: str, n: int, band: AllOfBand, by_id: dict[str, Part]) -> Band:
    conditions = tuple(
        Condition(part_variable(by_id[pid].kind.variables[0], pid), bound.operator, bound.threshold, by_id[pid].label)
        for pid, bound in band.when.items()
    )
    words = " và ".join(c.describe() for c in conditions)
    label = f"Mức {n}: {words}: {FixedFraction(band.fraction).describe()}"
    return Band(code, f"muc-{n}", label, SCORED, (in_state(LeafState.VALUE), *conditions), FixedFraction(band.fraction))


# ---- the bands -----------------------------------------------------------------------------------------------------
def value_bands(code: str, maximum: Decimal, scale: Model, year: int) -> list[Band]:
    found = parts(scale)
    if scale.combine == "all_of":
        return _all_of_bands(code, scale, found)
    weights = {p.id: p.weight for p in scale.parts}
    per_part = [
        _scale_regions(code, maximum * weights[p.id] if scale.combine == "weighted" else maximum, p, year)
        for p in found
    ]
    bands = []
    for combination in itertools.product(*per_part):
        if scale.combine == "min_of":
            points: Points = LowestOf(tuple(r.points for r in combination))
            if all(isinstance(r.points.inner, FixedFraction) for r in combination):
                points = FixedFraction(min(r.points.inner.fraction for r in combination))
        else:
            points = WeightedSum(tuple((r.points, weights[r.key.split(".", 1)[0]]) for r in combination))
        label = f"{sentence(COMBINE_WORDS[scale.combine])} — " + "; ".join(r.label for r in combination)
        label += f" → {points.describe()}"
        conditions = tuple(c for r in combination for c in r.conditions)
        better = tuple(b for r in combination for b in r.better)
        band = value_band(code, "+".join(r.key for r in combination), label, conditions, points)
        bands.append(Band(band.leaf, band.key, band.label, band.status, band.conditions, band.points, better))
    return bands


def _all_of_bands(code: str, scale: Model, found: list[Part]) -> list[Band]:
    by_id = {p.id: p for p in found}
    declared = [_declared_band(code, n, band, by_id) for n, band in enumerate(scale.bands, start=1)]
    per_part = [_interval_regions(p, [band.when[p.id] for band in scale.bands]) for p in found]
    bands = []
    for combination in itertools.product(*per_part):
        at = {p.id: region.representative for p, region in zip(found, combination, strict=True)}
        level = next(
            (
                n
                for n, band in enumerate(scale.bands)
                if all(_holds(bound, at[pid]) for pid, bound in band.when.items())
            ),
            None,
        )
        if level is None:
            label, points, better = "Không đạt mức nào: 0 điểm", ZERO_POINTS, tuple(declared)
        else:
            label, points, better = declared[level].label, declared[level].points, tuple(declared[:level])
        conditions = tuple(c for r in combination for c in r.conditions)
        band = value_band(code, "+".join(r.key for r in combination), label, conditions, points)
        bands.append(Band(band.leaf, band.key, band.label, band.status, band.conditions, band.points, better))
    return bands


# ---- reading -------------------------------------------------------------------------------------------------------
def _part_facts(code: str, part: Part, found: Found, year: int) -> LeafFacts:
    facts = part.kind.read(code, part.scale, found, year)
    values = {part_variable(name, part.id): value for name, value in facts.values.items()}
    inputs = tuple(
        value.model_copy(update={"name": part_variable(value.name, part.id), "label": f"{value.label} {part.label}"})
        for value in facts.inputs
    )
    return LeafFacts(code, facts.state, values, inputs, facts.documents)


def read(code: str, scale: Model, found: Found, year: int) -> LeafFacts:
    assert found.parts is not None
    values: dict[str, Decimal] = {}
    inputs: list[InputValue] = []
    documents: dict[str, None] = {}
    for part in parts(scale):
        facts = _part_facts(code, part, found.parts[part.id], year)
        values.update(facts.values)
        inputs.extend(facts.inputs)
        documents.update(dict.fromkeys(facts.documents))
    return LeafFacts(code, LeafState.VALUE, values, tuple(inputs), tuple(documents))


def unread(code: str, scale: Model, found: Found | None, state: str, year: int) -> LeafFacts:
    """A criterion with a part missing: what the other parts read, and which parts have no figure."""
    inputs: list[InputValue] = []
    documents: dict[str, None] = {}
    given = found.parts if found is not None and found.parts is not None else {}
    for part in parts(scale):
        part_found = given.get(part.id)
        if part_found is None:
            inputs.append(InputValue(name=part.id, label=part.label, value="", display="chưa có số liệu"))
            continue
        facts = _part_facts(code, part, part_found, year)
        inputs.extend(facts.inputs)
        documents.update(dict.fromkeys(facts.documents))
    return LeafFacts(code, state, {}, tuple(inputs), tuple(documents))


def synthesize(builder: SyntheticBuilder, scale: Model, given, code: str) -> None:
    for part in parts(scale):
        part.kind.synthesize(builder, part.scale, part.input, code)


# ---- planning: the smallest change of the parts' figures that reaches each better band ---------------------------
PLANNED_VARIABLES = ("ratio", "value", "count")  # document parts and counts of violations are never moved here
HUNDRED = Decimal(100)


def plan(standing: Standing, horizon: Horizon) -> list[Proposal]:
    """For each better band of the criterion, the parts' figures moved (each by the smallest step on its own grid)
    into that band's region; bands that need a document, or fewer violations, are left to those parts' own plans
    (none here). One proposal per points reached: the one with the fewest changes."""
    scale = standing.scale
    bands = value_bands(standing.code, standing.maximum, scale, horizon.year)
    values = standing.facts.values
    given = standing.found.parts if standing.found is not None and standing.found.parts is not None else {}
    candidates: list[tuple[int, Proposal]] = []
    for band in bands:
        points = band.points.compute(standing.maximum, values) if values else None
        changes = []
        new_values = dict(values)
        for part in parts(scale):
            variable = part_variable(_planned_variable(part), part.id)
            area = region(band.conditions, variable)
            current = values.get(variable)
            if current is not None and area.holds(current):
                continue
            change = _part_change(part, variable, area, given.get(part.id), current, horizon)
            if change is None:
                break
            changes.append(change[0])
            new_values[variable] = change[1]
        else:
            if not changes or len(new_values) < len(variables_of(scale)):
                continue
            if not band.holds("value", new_values):
                continue
            points = band.points.compute(standing.maximum, new_values)
            if points is None or points <= standing.points:
                continue
            candidates.append((len(changes), Proposal(standing.code, band.key, band.label, points, tuple(changes))))
    best: dict[Decimal, tuple[int, Proposal]] = {}
    for size, found in candidates:
        if found.points not in best or size < best[found.points][0]:
            best[found.points] = (size, found)
    return sorted((p for _, p in best.values()), key=lambda p: -p.points)


def _planned_variable(part: Part) -> str:
    return part.kind.variables_of(part.scale)[0]


def _part_change(part: Part, variable: str, area, found: Found | None, current, horizon: Horizon):
    """The change bringing one part's figure into `area`, with the part's new value; None when none can."""
    base = variable.split("__", 1)[0]
    if base not in PLANNED_VARIABLES or part.kind.type == "deduction":
        return None
    metric = found.metric if found is not None else None
    may_exceed = getattr(part.input, "ratio_may_exceed_one", False)
    upward = current is None or area.below(current)
    goal = _goal(variable, area, upward, part.label)
    if goal is None:
        return None
    if metric is None:  # no figure yet: the percent (or value) to report, by the end of the evidence window
        if base == "ratio":
            scaled = area.scaled(HUNDRED)
            percent = nearest(
                scaled, None, resolution(scaled.low, scaled.high, finest=2), ZERO, None if may_exceed else HUNDRED
            )
            if percent is None:
                return None
            after = Figure(percent=percent)
            return SetFigure("percent", None, after, goal, horizon.last_day, part.id), percent / HUNDRED
        value = nearest(area, None, resolution(area.low, area.high), ZERO if base == "count" else None)
        if value is None:
            return None
        how = "count" if base == "count" else "value"
        return SetFigure(how, None, Figure(value=value), goal, horizon.last_day, part.id), value
    by = horizon.year_end
    if base == "ratio" and metric.form == "ratio":
        n, d = metric.numerator, metric.denominator
        moved = nearest(area.scaled(d), n, resolution(n, d), ZERO, None if may_exceed else d)
        if moved is None:
            return None
        before, after = Figure(numerator=n, denominator=d), Figure(numerator=moved, denominator=d)
        return SetFigure("numerator", before, after, goal, by, part.id), moved / d
    if base == "ratio":
        scaled = area.scaled(HUNDRED)
        moved = nearest(scaled, metric.percent, resolution(metric.percent, scaled.low, scaled.high, finest=2), ZERO)
        if moved is None or (not may_exceed and moved > HUNDRED):
            return None
        before, after = Figure(percent=metric.percent), Figure(percent=moved)
        return SetFigure("percent", before, after, goal, by, part.id), moved / HUNDRED
    moved = nearest(
        area, metric.value, resolution(metric.value, area.low, area.high), ZERO if base == "count" else None
    )
    if moved is None:
        return None
    how = "count" if base == "count" else "value"
    return SetFigure(how, Figure(value=metric.value), Figure(value=moved), goal, by, part.id), moved


def _goal(variable: str, area, upward: bool, label: str) -> Condition | None:
    if upward and area.low is not None:
        return Condition(variable, ">" if area.low_open else ">=", area.low, label)
    if not upward and area.high is not None:
        return Condition(variable, "<" if area.high_open else "<=", area.high, label)
    return None
