"""proportional (tỷ lệ thuận): max × ratio, at most max, rounded half up to 0,01."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from par_score.numbers import ONE, round_half_up
from par_score.rules.bands import FULL_POINTS, Band, Points, value_band
from par_score.rules.conditions import compare
from par_score.rules.fields import DeclarationModel
from par_score.scales import _figures
from par_score.scales._planning import Horizon, Proposal, Region, Standing

TYPE = "proportional"
LABEL = "tỷ lệ thuận"
INPUT = "indicator"
VARIABLES = ("ratio",)
COMBINES = ("one", "sum")


class Model(DeclarationModel):
    type: Literal["proportional"]


@dataclass(frozen=True)
class TimesRatio(Points):
    def compute(self, maximum: Decimal, values: dict[str, Decimal]) -> Decimal | None:
        return min(maximum, round_half_up(maximum * values["ratio"]))

    def describe(self) -> str:
        return "điểm tối đa × tỷ lệ"


def value_bands(code: str, maximum: Decimal, scale: Model, year: int) -> list[Band]:
    return [
        value_band(code, "du", "Tỷ lệ ≥ 100 %: điểm tối đa", (compare("ratio", ">=", ONE),), FULL_POINTS),
        value_band(code, "ty-le", "Tỷ lệ < 100 %: điểm tối đa × tỷ lệ", (compare("ratio", "<", ONE),), TimesRatio()),
    ]


read = _figures.read_ratio
check_metric = _figures.check_ratio
soft_check = _figures.soft_check_ratio
input_hint = _figures.ratio_hint
synthesize = _figures.synthesize_ratio


MILESTONE = Decimal("0.1")


def plan(standing: Standing, horizon: Horizon) -> list[Proposal]:
    """Points grow with the ratio: 100 % (full marks), and the next multiple of 10 % above the present ratio (with no
    figure yet, 100 % only)."""
    bands = value_bands(standing.code, standing.maximum, standing.scale, horizon.year)
    present = standing.facts.values.get("ratio")
    following = ONE if present is None else min(ONE, (present // MILESTONE + 1) * MILESTONE)
    milestones = [Region(low=m) for m in dict.fromkeys((ONE, following))]
    return _figures.plan_ratio(standing, horizon, bands, milestones)
