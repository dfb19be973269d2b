"""count (đếm số lượng): per_item points for each case (e.g. each recognised initiative), at most max."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from math import ceil
from typing import Literal

from par_score.numbers import ONE, vn
from par_score.rules.bands import FULL_POINTS, ZERO_POINTS, Band, Points, value_band
from par_score.rules.conditions import compare
from par_score.rules.fields import DeclarationModel, PointsValue
from par_score.scales import _figures
from par_score.scales._planning import Figure, Horizon, Proposal, SetFigure, Standing, best_per_outcome, proposal
from par_score.vocabulary import LeafState

TYPE = "count"
LABEL = "đếm số lượng"
INPUT = "indicator"
VARIABLES = ("count",)
COMBINES = ("one", "sum")


class Model(DeclarationModel):
    type: Literal["count"]
    per_item: PointsValue


@dataclass(frozen=True)
class PerItem(Points):
    per_item: Decimal

    def compute(self, maximum: Decimal, values: dict[str, Decimal]) -> Decimal | None:
        return min(maximum, self.per_item * values["count"])

    def describe(self) -> str:
        return f"{vn(self.per_item)} điểm mỗi trường hợp, không quá điểm tối đa"


def value_bands(code: str, maximum: Decimal, scale: Model, year: int) -> list[Band]:
    enough = Decimal(ceil(maximum / scale.per_item))
    bands = [
        value_band(
            code,
            "du-diem",
            f"Từ {vn(enough)} trường hợp trở lên: điểm tối đa",
            (compare("count", ">=", enough),),
            FULL_POINTS,
        )
    ]
    if enough > ONE:
        bands.append(
            value_band(
                code,
                "theo-so-luong",
                f"Từ 1 đến dưới {vn(enough)} trường hợp: {vn(scale.per_item)} điểm mỗi trường hợp",
                (compare("count", ">=", ONE), compare("count", "<", enough)),
                PerItem(scale.per_item),
            )
        )
    bands.append(
        value_band(code, "khong-co", "Không có trường hợp nào: 0 điểm", (compare("count", "<", ONE),), ZERO_POINTS)
    )
    return bands


read = _figures.read_count
check_metric = _figures.check_count
soft_check = _figures.soft_check_value
synthesize = _figures.synthesize_count


def input_hint(scale: Model, given) -> str:
    return "Giá trị: số trường hợp (số nguyên ≥ 0)"


def plan(standing: Standing, horizon: Horizon) -> list[Proposal]:
    """One more case, and as many as full marks need (with no figure yet: one case, and full marks)."""
    scale = standing.scale
    bands = value_bands(standing.code, standing.maximum, scale, horizon.year)
    enough = Decimal(ceil(standing.maximum / scale.per_item))
    if standing.facts.state == LeafState.MISSING:
        before, present, by = None, Decimal(0), horizon.last_day
    elif standing.facts.state == LeafState.VALUE:
        present = standing.facts.values["count"]
        before, by = Figure(value=present), horizon.year_end
    else:
        return []
    found = []
    for wanted in dict.fromkeys((enough, max(present + ONE, ONE))):
        if wanted <= present:
            continue
        change = SetFigure("count", before, Figure(value=wanted), compare("count", ">=", wanted), by)
        found.append(proposal(standing, bands, {"count": wanted}, (change,)))
    return best_per_outcome(found)
