"""A condition: one variable compared with a threshold, or the leaf's state; it holds, negates and words itself."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal

from par_score.numbers import ONE
from par_score.rules.variables import VARIABLES, show_value
from par_score.vocabulary import STATE_LABELS, LeafState

OPERATOR_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
NEGATION = {">=": "<", ">": "<=", "<=": ">", "<": ">="}
_COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}
STATE = "state"


@dataclass(frozen=True)
class Condition:
    variable: str
    op: str
    threshold: Decimal | str

    def holds(self, state: str, values: dict[str, Decimal]) -> bool:
        if self.variable == STATE:
            return state == self.threshold
        actual = values.get(self.variable)
        if actual is None:
            return False
        return _COMPARE[self.op](actual, self.threshold)

    def describe(self) -> str:
        if self.variable == STATE:
            return STATE_LABELS[self.threshold]
        variable = VARIABLES[self.variable]
        if variable.whole and self.op == "<" and self.threshold == ONE:
            return f"{variable.label} = 0"
        symbol = OPERATOR_SYMBOLS[self.op]
        return f"{variable.label} {symbol} {show_value(self.variable, self.threshold)}"

    def actual(self, state: str, values: dict[str, Decimal]) -> str:
        if self.variable == STATE:
            return STATE_LABELS[state]
        return show_value(self.variable, values.get(self.variable))

    def negated(self) -> Condition:
        return Condition(self.variable, NEGATION[self.op], self.threshold)

    def implies(self, other: Condition) -> bool:
        """True when this condition implies `other` and is not the same condition ("< 80 %" implies "< 100 %")."""
        if self is other or self.variable != other.variable or self.variable == STATE:
            return False
        below, above = ("<", "<="), (">", ">=")
        if self.op in below and other.op in below:
            return self.threshold < other.threshold or (
                self.threshold == other.threshold and self.op == "<" != other.op
            )
        if self.op in above and other.op in above:
            return self.threshold > other.threshold or (
                self.threshold == other.threshold and self.op == ">" != other.op
            )
        return False


def in_state(state: LeafState) -> Condition:
    return Condition(STATE, "==", state.value)


def compare(variable: str, op: str, threshold: Decimal) -> Condition:
    return Condition(variable, op, threshold)
