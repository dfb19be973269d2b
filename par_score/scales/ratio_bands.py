"""ratio_bands (tỷ lệ theo mức): ratio = numerator ÷ denominator (or percent ÷ 100) against ordered bands."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from par_score.rules.bands import Band, threshold_bands
from par_score.rules.fields import DeclarationModel, ThresholdBand, check_decreasing
from par_score.scales import _figures
from par_score.scales._planning import Horizon, Proposal, Standing

TYPE = "ratio_bands"
LABEL = "tỷ lệ theo mức"
INPUT = "indicator"
VARIABLES = ("ratio",)
COMBINES = ("one", "sum")


class Model(DeclarationModel):
    type: Literal["ratio_bands"]
    bands: list[ThresholdBand] = Field(min_length=1)


def validate(scale: Model, maximum: Decimal) -> None:
    check_decreasing(scale.bands)


def value_bands(code: str, maximum: Decimal, scale: Model, year: int) -> list[Band]:
    return threshold_bands(code, "ratio", scale.bands)


read = _figures.read_ratio
check_metric = _figures.check_ratio
soft_check = _figures.soft_check_ratio
input_hint = _figures.ratio_hint
synthesize = _figures.synthesize_ratio


def plan(standing: Standing, horizon: Horizon) -> list[Proposal]:
    """Each better band's region of the ratio, reached by the smallest move of the figure."""
    bands = value_bands(standing.code, standing.maximum, standing.scale, horizon.year)
    return _figures.plan_ratio(standing, horizon, bands, _figures.better_regions(bands, standing, "ratio"))
