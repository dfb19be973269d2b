"""The criteria catalogue as pydantic models: area → TC (criterion) → TCTP (leaf)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from par_score.numbers import to_decimal

# Bounds keep every catalogue number representable, exactly, where the engine compares it (|value| × 10^6 < 10^15).
Dec = Annotated[Decimal, BeforeValidator(to_decimal), Field(gt=-(10**9), lt=10**9)]
PointsValue = Annotated[Decimal, BeforeValidator(to_decimal), Field(gt=0, le=1000)]
TotalValue = Annotated[Decimal, BeforeValidator(to_decimal), Field(ge=0, le=100000)]
Code = Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)*$")]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$")]


def _existing_month_day(value: str) -> str:
    month, day = (int(x) for x in value.split("-"))
    try:
        dt.date(2023, month, day)  # a common year: 29/02 is not a deadline every year has
    except ValueError:
        raise ValueError(f"ngày '{value}' không có trong mọi năm") from None
    return value


MonthDay = Annotated[
    str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"), AfterValidator(_existing_month_day)
]


def month_day_in(month_day: str, year: int) -> dt.date:
    """The date of a catalogue "MM-DD" in `year`."""
    month, day = (int(x) for x in month_day.split("-"))
    return dt.date(year, month, day)


BOUND_KEYS = ("min", "above", "max", "below")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Totals(_Model):
    self_: TotalValue = Field(alias="self")
    survey: TotalValue
    all: TotalValue

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# ---- inputs -------------------------------------------------------------------------------------------------------
class DocumentInput(_Model):
    document: Identifier


class IndicatorInput(_Model):
    indicator: Identifier
    ratio_may_exceed_one: bool = False


class SurveyInput(_Model):
    survey: Code


LeafInput = Union[DocumentInput, IndicatorInput, SurveyInput]


# ---- scales -------------------------------------------------------------------------------------------------------
class Fraction(_Model):
    fraction: Dec

    @field_validator("fraction")
    @classmethod
    def _in_unit_interval(cls, value: Decimal) -> Decimal:
        if not Decimal(0) <= value <= Decimal(1):
            raise ValueError("phải nằm trong khoảng 0 – 1")
        return value


class ThresholdBand(Fraction):
    """A band on a number: exactly one bound among min (≥), above (>), max (≤), below (<)."""

    min: Dec | None = None
    above: Dec | None = None
    max: Dec | None = None
    below: Dec | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> ThresholdBand:
        given = [k for k in BOUND_KEYS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("mỗi bậc cần đúng một ngưỡng: min (≥), above (>), max (≤) hoặc below (<)")
        value = getattr(self, given[0])
        if value.as_tuple().exponent < -6:
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


class DeadlineBand(Fraction):
    by: MonthDay
    year_offset: int = Field(default=0, ge=-5, le=5)

    def date(self, evaluation_year: int) -> dt.date:
        return month_day_in(self.by, evaluation_year + self.year_offset)


class Period(_Model):
    id: Identifier
    name: str
    due: MonthDay
    year_offset: int = Field(default=0, ge=-5, le=5)

    def due_date(self, evaluation_year: int) -> dt.date:
        return month_day_in(self.due, evaluation_year + self.year_offset)


class BinaryScale(_Model):
    type: Literal["binary"]


class DeadlineScale(_Model):
    type: Literal["deadline"]
    bands: list[DeadlineBand] = Field(min_length=1)


class PeriodicScale(_Model):
    type: Literal["periodic"]
    periods: list[Period] = Field(min_length=1)
    on_time_fraction: Annotated[Decimal, BeforeValidator(to_decimal), Field(ge=0, le=1)] = Decimal(1)
    late_fraction: Annotated[Decimal, BeforeValidator(to_decimal), Field(ge=0, le=1)]

    @model_validator(mode="after")
    def _late_earns_less(self) -> PeriodicScale:
        if self.late_fraction > self.on_time_fraction:
            raise ValueError("late_fraction không được lớn hơn on_time_fraction")
        ids = [p.id for p in self.periods]
        if len(ids) != len(set(ids)):
            raise ValueError("mã kỳ báo cáo (periods[].id) phải duy nhất")
        return self


class RatioBandsScale(_Model):
    type: Literal["ratio_bands"]
    bands: list[ThresholdBand] = Field(min_length=1)


class ValueBandsScale(_Model):
    type: Literal["value_bands"]
    bands: list[ThresholdBand] = Field(min_length=1)


class ProportionalScale(_Model):
    type: Literal["proportional"]


class CountScale(_Model):
    type: Literal["count"]
    per_item: PointsValue


class DeductionScale(_Model):
    type: Literal["deduction"]
    per_item: PointsValue


class SurveyScale(_Model):
    type: Literal["survey"]


Scale = Annotated[
    BinaryScale
    | DeadlineScale
    | PeriodicScale
    | RatioBandsScale
    | ValueBandsScale
    | ProportionalScale
    | CountScale
    | DeductionScale
    | SurveyScale,
    Field(discriminator="type"),
]

SCALE_INPUT = {
    "binary": DocumentInput,
    "deadline": DocumentInput,
    "periodic": DocumentInput,
    "ratio_bands": IndicatorInput,
    "value_bands": IndicatorInput,
    "proportional": IndicatorInput,
    "count": IndicatorInput,
    "deduction": IndicatorInput,
    "survey": SurveyInput,
}

SCALE_LABELS = {
    "binary": "có / không",
    "deadline": "đúng hạn",
    "periodic": "báo cáo định kỳ",
    "ratio_bands": "tỷ lệ theo mức",
    "value_bands": "giá trị theo mức",
    "proportional": "tỷ lệ thuận",
    "count": "đếm số lượng",
    "deduction": "trừ điểm",
    "survey": "điều tra xã hội học",
}


# ---- the tree -----------------------------------------------------------------------------------------------------
class Leaf(_Model):
    """A scored item: a TCTP, or a TC without TCTP."""

    code: Code
    name: str = Field(min_length=1)
    max: PointsValue
    source: Literal["self", "survey"]
    input: LeafInput
    scale: Scale
    not_applicable: Literal["none", "full", "exclude"] = "none"
    required_evidence: str = ""
    agency: str | None = None

    @model_validator(mode="after")
    def _scale_fits(self) -> Leaf:
        expected = SCALE_INPUT[self.scale.type]
        if not isinstance(self.input, expected):
            kind = {DocumentInput: "document", IndicatorInput: "indicator", SurveyInput: "survey"}[expected]
            raise ValueError(f"thang điểm '{self.scale.type}' cần đầu vào '{kind}'")
        if (self.source == "survey") != (self.scale.type == "survey"):
            raise ValueError("chỉ tiêu chí điều tra (source: survey) mới dùng thang điểm 'survey' và ngược lại")
        bands = getattr(self.scale, "bands", None)
        if bands:
            fractions = [b.fraction for b in bands]
            if any(a < b for a, b in zip(fractions, fractions[1:])):
                raise ValueError("các bậc phải xếp theo điểm giảm dần")
        return self


class Criterion(_Model):
    """A TC: either a leaf itself (max, input, scale…) or a parent of TCTP `items`."""

    code: Code
    name: str = Field(min_length=1)
    agency: str | None = None
    items: list[Leaf] | None = None
    # Leaf fields, used when the TC has no items.
    max: PointsValue | None = None
    source: Literal["self", "survey"] | None = None
    input: LeafInput | None = None
    scale: Scale | None = None
    not_applicable: Literal["none", "full", "exclude"] = "none"
    required_evidence: str = ""

    @model_validator(mode="after")
    def _leaf_or_parent(self) -> Criterion:
        leaf_fields = [self.max, self.source, self.input, self.scale]
        if self.items:
            if any(f is not None for f in leaf_fields):
                raise ValueError("tiêu chí có 'items' không được khai báo max/source/input/scale riêng")
        elif any(f is None for f in leaf_fields):
            raise ValueError("tiêu chí không có 'items' phải khai báo max, source, input và scale")
        return self

    def as_leaf(self) -> Leaf:
        return Leaf(
            code=self.code,
            name=self.name,
            max=self.max,
            source=self.source,
            input=self.input,
            scale=self.scale,
            not_applicable=self.not_applicable,
            required_evidence=self.required_evidence,
            agency=self.agency,
        )


class Area(_Model):
    code: Code
    name: str = Field(min_length=1)
    agency: str
    declared_totals: Totals
    criteria: list[Criterion] = Field(min_length=1)


class EvidenceWindow(_Model):
    """Which document dates a bundle of this catalogue's year may carry: from `start` of the year
    `start_year_offset` (plans and quotas issued the year before) to `end` of the year `end_year_offset` (year-end
    reports). A document on a deadline topic (a yearly plan) may not predate its first deadline by more than
    `plan_lead_days`: it would be last year's plan."""

    start: MonthDay = "01-01"
    start_year_offset: int = Field(default=-1, ge=-5, le=0)
    end: MonthDay = "03-31"
    end_year_offset: int = Field(default=1, ge=0, le=5)
    plan_lead_days: int = Field(default=183, ge=0, le=3660)

    def dates(self, evaluation_year: int) -> tuple[dt.date, dt.date]:
        return (
            month_day_in(self.start, evaluation_year + self.start_year_offset),
            month_day_in(self.end, evaluation_year + self.end_year_offset),
        )


class Catalogue(_Model):
    format: Literal["par-score/catalogue@1"]
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: str = Field(min_length=1)
    title: str
    kind: Literal["reference", "official"]
    notice: str = ""
    legal_basis: list[str] = Field(min_length=1)
    evaluation_year: int = Field(ge=2000, le=2100)
    unit_level: Literal["tinh", "so", "huyen", "xa"]
    declared_totals: Totals
    survey_answer_weights: dict[Annotated[str, Field(pattern=r"^[A-Z]$")], Dec] = Field(
        default_factory=lambda: {"A": Decimal(1), "B": Decimal("0.6"), "C": Decimal("0.2"), "D": Decimal(0)}
    )
    evidence_window: EvidenceWindow = Field(default_factory=EvidenceWindow)
    areas: list[Area] = Field(min_length=1)

    @field_validator("survey_answer_weights")
    @classmethod
    def _weights_are_fractions(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        for key, weight in value.items():
            if not Decimal(0) <= weight <= Decimal(1):
                raise ValueError(f"trọng số '{key}' phải nằm trong khoảng 0 – 1")
        return value


UNIT_LEVEL_NAMES = {"tinh": "cấp tỉnh", "so": "cấp sở", "huyen": "cấp huyện", "xa": "cấp xã"}
