"""value_bands (giá trị theo mức): the indicator's value against ordered bands (e.g. the PCI change in points)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from par_score.rules.bands import Band, threshold_bands
from par_score.rules.facts import LeafFacts
from par_score.rules.fields import DeclarationModel, ThresholdBand, check_decreasing
from par_score.scales import _figures
from par_score.scales._kind import Found, SyntheticBuilder
from par_score.scales._planning import Horizon, Proposal, Standing

TYPE = "value_bands"
LABEL = "giá trị theo mức"
INPUT = "indicator"
VARIABLES = ("value",)


class Model(DeclarationModel):
    type: Literal["value_bands"]
    bands: list[ThresholdBand] = Field(min_length=1)


def validate(scale: Model, maximum: Decimal) -> None:
    check_decreasing(scale.bands)


def value_bands(code: str, maximum: Decimal, scale: Model, year: int) -> list[Band]:
    return threshold_bands(code, "value", scale.bands)


def read(code: str, scale: Model, found: Found, year: int) -> LeafFacts:
    return _figures.read_value(code, found, "value", "giá trị")


def check_metric(metric, given, code: str, na_policy: str) -> list[tuple[str, str]]:
    return _figures.check_value(metric, code, whole=False)


soft_check = _figures.soft_check_value


def input_hint(scale: Model, given) -> str:
    return "Giá trị: một số"


def plan(standing: Standing, horizon: Horizon) -> list[Proposal]:
    """Each better band's region of the value, reached by the smallest move of the figure."""
    bands = value_bands(standing.code, standing.maximum, standing.scale, horizon.year)
    return _figures.plan_value(standing, horizon, bands, _figures.better_regions(bands, standing, "value"))


def synthesize(builder: SyntheticBuilder, scale: Model, given, code: str) -> None:
    builder.metric(given, {"value": str(Decimal(builder.rng.randint(-300, 300)) / 100)})
