"""Pure evaluation of the compiled bands: which band holds, the points it gives, and why a leaf fell short.

It decides independently of durable-rules; scoring requires both to agree on every leaf.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from par_score.errors import EngineError
from par_score.numbers import plain
from par_score.rules.bands import Band
from par_score.rules.conditions import STATE, Condition
from par_score.rules.facts import LeafFacts
from par_score.rules.variables import VARIABLES, number_date
from par_score.scoring.compile import LeafRules
from par_score.scoring.result import FailedConditionOut
from par_score.vocabulary import LeafState


@dataclass(frozen=True)
class Evaluation:
    band: Band
    points: Decimal | None
    failed: tuple[FailedConditionOut, ...]


def matching_bands(rules: LeafRules, facts: LeafFacts) -> list[Band]:
    return [b for b in rules.bands if b.holds(facts.state, facts.values)]


@lru_cache(maxsize=4096)
def _condition_words(condition: Condition) -> tuple[str, str]:
    """A condition's words and threshold text: fixed by the catalogue, so computed once per condition."""
    return condition.describe(), _machine_text(condition.variable, condition.threshold)


def _machine_text(variable: str, value: Decimal | str | None) -> str:
    """A value as a machine reads it in ket-qua.json: state codes as they are, dates ISO, numbers plain."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)
    if VARIABLES[variable].shown_as == "date":
        return number_date(value).isoformat()
    return plain(value)


def _failed(band: Band, facts: LeafFacts, *, state_only: bool = False) -> list[FailedConditionOut]:
    failed = []
    for condition in band.conditions:
        if state_only and condition.variable != STATE:
            continue
        if condition.holds(facts.state, facts.values):
            continue
        actual = facts.state if condition.variable == STATE else facts.values.get(condition.variable)
        words, threshold = _condition_words(condition)
        failed.append(
            FailedConditionOut.model_construct(  # every field is a str built right here: nothing to validate
                band=band.id,
                band_label=band.label,
                condition=words,
                variable=condition.variable,
                operator=condition.op,
                threshold=threshold,
                actual=_machine_text(condition.variable, actual),
                actual_display=condition.actual(facts.state, facts.values),
            )
        )
    return failed


def why_not(rules: LeafRules, facts: LeafFacts, fired: Band) -> tuple[FailedConditionOut, ...]:
    """The conditions that kept the leaf out of the better bands, with the actual values."""
    value_bands = rules.value_bands
    if fired.is_value_band:
        better = value_bands[: value_bands.index(fired)]
        return tuple(fc for band in better for fc in _failed(band, facts))
    if facts.state == LeafState.MISSING and value_bands:
        return tuple(_failed(value_bands[0], facts, state_only=True))
    return ()


def evaluate(rules: LeafRules, facts: LeafFacts) -> Evaluation:
    matches = matching_bands(rules, facts)
    if len(matches) != 1:
        names = ", ".join(b.id for b in matches) or "không có"
        raise EngineError(f"Tiêu chí {rules.code}: cần đúng một mức khớp, có {len(matches)} ({names})")
    band = matches[0]
    maximum = rules.entry.leaf.max
    points = band.points.compute(maximum, facts.values)
    below_max = points is not None and points < maximum
    failed = why_not(rules, facts, band) if below_max or facts.state == LeafState.MISSING else ()
    return Evaluation(band=band, points=points, failed=failed)
