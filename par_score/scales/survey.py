"""survey (điều tra xã hội học): supplied by Bộ Nội vụ, never self-scored; with preview values, max × percent ÷ 100,
rounded half up to 0,01, as an estimate."""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from par_score.numbers import HUNDRED, ZERO, plain, round_half_up, vn
from par_score.rules.bands import FULL_POINTS, Band, Points
from par_score.rules.conditions import compare, in_state
from par_score.rules.facts import InputValue, LeafFacts
from par_score.rules.fields import DeclarationModel
from par_score.scales._kind import Found, SyntheticBuilder
from par_score.scales._planning import Horizon, Proposal, Standing
from par_score.vocabulary import LeafState, Status

TYPE = "survey"
LABEL = "điều tra xã hội học"
INPUT = "survey"
VARIABLES = ("percent",)
_EXACT = decimal.Context(prec=40)


class Model(DeclarationModel):
    type: Literal["survey"]


@dataclass(frozen=True)
class TimesSurveyPercent(Points):
    def compute(self, maximum: Decimal, values: dict[str, Decimal]) -> Decimal | None:
        return min(maximum, round_half_up(maximum * values["percent"] / HUNDRED))

    def describe(self) -> str:
        return "điểm tối đa × tỷ lệ điều tra (ước tính)"


def value_bands(code: str, maximum: Decimal, scale: Model, year: int) -> list[Band]:
    value = in_state(LeafState.VALUE)
    estimated = Status.SURVEY_ESTIMATED
    return [
        Band(
            code,
            "uoc-tinh-toi-da",
            "Ước tính: tỷ lệ điều tra 100 % → điểm tối đa",
            estimated,
            (value, compare("percent", ">=", HUNDRED)),
            FULL_POINTS,
        ),
        Band(
            code,
            "uoc-tinh",
            "Ước tính từ số liệu điều tra: điểm tối đa × tỷ lệ",
            estimated,
            (value, compare("percent", "<", HUNDRED)),
            TimesSurveyPercent(),
        ),
    ]


def read(code: str, scale: Model, found: Found, year: int) -> LeafFacts:
    result = found.survey
    assert result is not None and found.answer_weights is not None
    if result.percent is not None:
        shown = InputValue(
            name="percent",
            label="tỷ lệ điều tra",
            value=plain(result.percent),
            display=f"{vn(result.percent)} %",
            source=result.source,
        )
        return LeafFacts(code, LeafState.VALUE, {"percent": result.percent}, (shown,))
    answers = result.answers or {}
    total = sum(answers.values())
    weighted = sum((found.answer_weights[k] * v for k, v in answers.items()), ZERO)
    percent = _EXACT.divide(weighted * HUNDRED, Decimal(total))
    given = ", ".join(f"{k}: {v}" for k, v in sorted(answers.items()))
    shown = InputValue(
        name="percent",
        label="tỷ lệ điều tra",
        value=str(percent),
        display=f"{given} → {vn(round_half_up(percent))} %",
        source=result.source,
    )
    return LeafFacts(code, LeafState.VALUE, {"percent": percent}, (shown,))


def plan(standing: Standing, horizon: Horizon) -> list[Proposal]:
    """Nothing: the survey is Bộ Nội vụ's, never scored by the province, so no change of its evidence is a plan (the
    planner lists survey items with their weight and last known values instead)."""
    return []


def synthesize(builder: SyntheticBuilder, scale: Model, given, code: str) -> None:
    rng = builder.rng
    if rng.random() < 0.5:
        percent = str(Decimal(rng.randint(50 * 100, 100 * 100)) / 100)
        builder.survey_result(given, {"percent": percent, "source": "Số liệu điều tra minh họa"})
    else:
        weights = builder.answer_weights
        answers = {k: rng.randint(0, 200) for k in weights}
        answers[next(iter(weights))] += 1  # never all zero
        builder.survey_result(given, {"answers": answers, "source": "Phiếu điều tra minh họa"})
