"""deduction (trừ điểm): max minus per_item points for each violation, at least 0."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from math import ceil
from typing import Literal

from par_score.numbers import ONE, ZERO, vn
from par_score.rules.bands import FULL_POINTS, ZERO_POINTS, Band, Points, value_band
from par_score.rules.conditions import compare
from par_score.rules.fields import DeclarationModel, PointsValue
from par_score.scales import _figures
from par_score.scales._planning import Figure, Horizon, Proposal, SetFigure, Standing, best_per_outcome, proposal
from par_score.vocabulary import LeafState

TYPE = "deduction"
LABEL = "trừ điểm"
INPUT = "indicator"
VARIABLES = ("count",)
COMBINES = ("one", "sum")


class Model(DeclarationModel):
    type: Literal["deduction"]
    per_item: PointsValue


@dataclass(frozen=True)
class MinusPerItem(Points):
    per_item: Decimal

    def compute(self, maximum: Decimal, values: dict[str, Decimal]) -> Decimal | None:
        return max(ZERO, maximum - self.per_item * values["count"])

    def describe(self) -> str:
        return f"điểm tối đa trừ {vn(self.per_item)} điểm mỗi trường hợp, thấp nhất 0"


def value_bands(code: str, maximum: Decimal, scale: Model, year: int) -> list[Band]:
    exhausted = Decimal(ceil(maximum / scale.per_item))
    bands = [
        value_band(code, "khong-vi-pham", "Không có vi phạm: điểm tối đa", (compare("count", "<", ONE),), FULL_POINTS)
    ]
    if exhausted > ONE:
        bands.append(
            value_band(
                code,
                "tru-diem",
                f"Có từ 1 đến dưới {vn(exhausted)} trường hợp: trừ {vn(scale.per_item)} điểm mỗi trường hợp",
                (compare("count", ">=", ONE), compare("count", "<", exhausted)),
                MinusPerItem(scale.per_item),
            )
        )
    bands.append(
        value_band(
            code,
            "tru-het",
            f"Từ {vn(exhausted)} trường hợp trở lên: 0 điểm",
            (compare("count", ">=", exhausted),),
            ZERO_POINTS,
        )
    )
    return bands


read = _figures.read_count
check_metric = _figures.check_count
soft_check = _figures.soft_check_value
synthesize = _figures.synthesize_count


def input_hint(scale: Model, given) -> str:
    return "Giá trị: số trường hợp vi phạm (số nguyên ≥ 0)"


FOUND_VIOLATIONS = "vi phạm đã bị phát hiện không giảm được bằng bổ sung tài liệu"


def plan(standing: Standing, horizon: Horizon) -> list[Proposal]:
    """With no figure yet: reporting none found (when none was) gives full marks. Violations already found cannot
    be undone: none at all is listed, as out of reach, to show what they cost."""
    scale = standing.scale
    bands = value_bands(standing.code, standing.maximum, scale, horizon.year)
    goal = compare("count", "<", ONE)
    if standing.facts.state == LeafState.MISSING:
        change = SetFigure("count", None, Figure(value=ZERO), goal, horizon.last_day)
        return best_per_outcome([proposal(standing, bands, {"count": ZERO}, (change,))])
    if standing.facts.state != LeafState.VALUE:
        return []
    change = SetFigure(
        "count", Figure(value=standing.facts.values["count"]), Figure(value=ZERO), goal, horizon.year_end
    )
    return best_per_outcome([proposal(standing, bands, {"count": ZERO}, (change,), blocked=FOUND_VIOLATIONS)])
