"""The durable-rules boundary: the only module that imports durable_rules.

Every band of every leaf becomes one rule; every leaf's facts become one fact (assert_fact, never post: an event
is consumed by the first rule that matches it, a fact is seen by all). Decimals never cross into the engine:
each number is handed over as two integers, its value scaled by 10^6 and rounded down (`_lo`) and up (`_hi`).
Thresholds have at most 6 decimals, so `x ≥ t ⟺ lo ≥ t`, `x > t ⟺ hi > t`, `x ≤ t ⟺ hi ≤ t` and
`x < t ⟺ lo < t` hold exactly, without binary floating point.

A run gets a fresh host and a ruleset with a unique name; each bundle gets its own session id. Exceptions
raised inside an action are collected and re-raised as EngineError after the run, never swallowed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from durable import engine as _durable

from par_score.errors import EngineError
from par_score.rules.bands import Band
from par_score.rules.conditions import STATE, Condition
from par_score.rules.facts import LeafFacts
from par_score.scoring.compile import LeafRules

SCALE = Decimal(10) ** 6
LIMIT = 10**15  # |scaled value| bound: exact as a double, far beyond any threshold

_OPERATORS = {">=": "$gte", ">": "$gt", "<=": "$lte", "<": "$lt"}


class _QuietHost(_durable.Host):
    """A host without the background dispatch threads, which only serve timers and queued events.

    Scoring is synchronous (assert_facts runs the actions before it returns), so those threads would do nothing but
    outlive the run.
    """

    def _run(self) -> None:
        return None


def _scaled(value: Decimal, rounding: str) -> int:
    n = int((value * SCALE).to_integral_value(rounding=rounding))
    return max(-LIMIT, min(LIMIT, n))


def _threshold(value: Decimal) -> int:
    scaled = value * SCALE
    if scaled != scaled.to_integral_value():
        raise EngineError(f"ngưỡng {value} có quá 6 chữ số thập phân")
    return _scaled(value, ROUND_FLOOR)


def _condition_json(condition: Condition) -> list[dict[str, Any]]:
    if condition.variable == STATE:
        return [{"state": str(condition.threshold)}]
    t = _threshold(condition.threshold)  # type: ignore[arg-type]
    if condition.op == "==":
        return [{f"{condition.variable}_lo": t}, {f"{condition.variable}_hi": t}]
    side = "_lo" if condition.op in (">=", "<") else "_hi"
    return [{_OPERATORS[condition.op]: {f"{condition.variable}{side}": t}}]


def _fact(sid: str, facts: LeafFacts) -> dict[str, Any]:
    fact: dict[str, Any] = {"sid": sid, "id": facts.code, "leaf": facts.code, "state": str(facts.state)}
    for name, value in facts.values.items():
        fact[f"{name}_lo"] = _scaled(value, ROUND_FLOOR)
        fact[f"{name}_hi"] = _scaled(value, ROUND_CEILING)
    return fact


class RuleEngine:
    """Fires the compiled bands of one catalogue over the facts of one or more bundles."""

    def __init__(self, rules: Iterable[LeafRules]):
        self._rules = list(rules)
        # Each band's condition as the engine reads it, translated once: an engine may fire many runs (each with its
        # own host and ruleset), and the translation costs more than a small run itself.
        self._conditions: list[tuple[Band, list[dict[str, Any]]]] = []
        for leaf_rules in self._rules:
            for band in leaf_rules.bands:
                conditions: list[dict[str, Any]] = [{"leaf": band.leaf}]
                for condition in band.conditions:
                    conditions.extend(_condition_json(condition))
                self._conditions.append((band, conditions))

    def _definition(self, record: Callable[[str, str, str], None]) -> dict[str, Any]:
        return {
            band.id: {"all": [{"m": {"$and": conditions}}], "run": self._action(band, record)}
            for band, conditions in self._conditions
        }

    @staticmethod
    def _action(band: Band, record: Callable[[str, str, str], None]) -> Callable[[Any], None]:
        def action(c: Any) -> None:
            record(str(c.s.sid), band.leaf, band.key)

        return action

    def fire(self, bundles: list[list[LeafFacts]]) -> list[dict[str, list[str]]]:
        """For each bundle, the band keys that fired per leaf code (exactly one each, or EngineError)."""
        return list(self.fire_each(bundles))

    def fire_each(self, bundles: Iterable[list[LeafFacts]]) -> Iterator[dict[str, list[str]]]:
        """Like fire, one bundle at a time with one host: the next bundle's facts are read only when asked for."""
        fired: dict[str, dict[str, list[str]]] = {}
        failures: list[str] = []

        def record(sid: str, leaf: str, key: str) -> None:
            try:
                fired[sid].setdefault(leaf, []).append(key)
            except Exception as exc:  # an action must never fail silently inside the engine
                failures.append(f"{sid}/{leaf}/{key}: {exc!r}")
                raise

        host = _QuietHost()
        ruleset = f"par_score_{uuid.uuid4().hex}"
        host.set_rulesets({ruleset: self._definition(record)})
        run = uuid.uuid4().hex
        for position, facts in enumerate(bundles):
            sid = f"{run}-{position}"
            fired[sid] = {}
            try:
                state = host.assert_facts(ruleset, [_fact(sid, f) for f in facts])
            except _durable.MessageNotHandledException as exc:
                raise EngineError("Bộ máy luật không xử lý được dữ kiện", [str(exc.message)]) from None
            except Exception as exc:
                raise EngineError("Bộ máy luật gặp lỗi", [repr(exc)]) from exc
            if isinstance(state, dict) and state.get("exception"):
                failures.append(str(state["exception"]))
            engine_state = host.get_state(ruleset, sid)
            if engine_state and engine_state.get("exception"):
                failures.append(str(engine_state["exception"]))
            if failures:
                raise EngineError("Một hành động trong bộ máy luật bị lỗi", failures)
            host.delete_state(ruleset, sid)
            yield fired.pop(sid)
