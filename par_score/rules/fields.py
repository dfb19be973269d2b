"""Field types shared by the scale declarations (par_score.scales) and the catalogue (par_score.catalogue.model)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from par_score.io import formats
from par_score.numbers import to_decimal

# Bounds keep every catalogue number representable, exactly, where the engine compares it (|value| × 10^6 < 10^15).
Dec = Annotated[Decimal, BeforeValidator(to_decimal), Field(gt=-(10**9), lt=10**9)]
PointsValue = Annotated[Decimal, BeforeValidator(to_decimal), Field(gt=0, le=1000)]
UnitFraction = Annotated[Decimal, BeforeValidator(to_decimal), Field(ge=0, le=1)]
Identifier = Annotated[str, Field(pattern=formats.IDENTIFIER.pattern)]
Code = Annotated[str, Field(pattern=formats.CODE.pattern)]
BOUND_KEYS = ("min", "above", "max", "below")


END_OF_MONTH = "end"


def _existing_month_day(value: str) -> str:
    month, day = value.split("-")
    if day == END_OF_MONTH:
        return value
    try:
        dt.date(2023, int(month), int(day))  # a common year: 29/02 is not a deadline every year has
    except ValueError:
        hint = f"; cuối tháng 02 viết '{month}-end'" if month == "02" else ""
        raise ValueError(f"ngày '{value}' không có trong mọi năm{hint}") from None
    return value


# "MM-DD", or "MM-end" for the last day of the month (28/02 or 29/02, as the year has it).
MonthDay = Annotated[str, Field(pattern=formats.MONTH_DAY.pattern), AfterValidator(_existing_month_day)]
YearOffset = Annotated[int, Field(ge=-5, le=5)]


def month_day_in(month_day: str, year: int) -> dt.date:
    """The date of a catalogue "MM-DD" (or "MM-end") in `year`."""
    month, day = month_day.split("-")
    if day == END_OF_MONTH:
        following = dt.date(year + int(month) // 12, int(month) % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(year, int(month), int(day))


class DeclarationModel(BaseModel):
    """Base of every catalogue declaration: unknown keys refused, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Fraction(DeclarationModel):
    fraction: Dec

    @field_validator("fraction")
    @classmethod
    def _in_unit_interval(cls, value: Decimal) -> Decimal:
        if not Decimal(0) <= value <= Decimal(1):
            raise ValueError("phải nằm trong khoảng 0 – 1")
        return value


class Bound(DeclarationModel):
    """One bound on a number, without points: min (≥), above (>), max (≤) or below (<)."""

    WHAT: ClassVar[str] = "điều kiện"  # what one declaration is called in messages

    min: Dec | None = None
    above: Dec | None = None
    max: Dec | None = None
    below: Dec | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Bound:
        given = [k for k in BOUND_KEYS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"mỗi {self.WHAT} cần đúng một ngưỡng: min (≥), above (>), max (≤) hoặc below (<)")
        if getattr(self, given[0]).as_tuple().exponent < -6:
            raise ValueError("ngưỡng có tối đa 6 chữ số thập phân")
        return self

    @property
    def operator(self) -> str:
        return {"min": ">=", "above": ">", "max": "<=", "below": "<"}[self.bound_key]

    @property
    def bound_key(self) -> str:
        return next(k for k in BOUND_KEYS if getattr(self, k) is not None)

    @property
    def threshold(self) -> Decimal:
        return getattr(self, self.bound_key)


class ThresholdBand(Bound, Fraction):
    """A band on a number: its fraction of the maximum and exactly one bound among min (≥), above (>), max (≤),
    below (<)."""

    WHAT: ClassVar[str] = "bậc"


def check_decreasing(bands: list[Fraction]) -> None:
    """Bands are declared best first: their fractions never increase (ValueError otherwise)."""
    fractions = [b.fraction for b in bands]
    if any(a < b for a, b in pairwise(fractions)):
        raise ValueError("các bậc phải xếp theo điểm giảm dần")
