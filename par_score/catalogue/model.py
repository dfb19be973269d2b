"""The criteria catalogue as pydantic models: area → TC (criterion) → TCTP (leaf)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from par_score.numbers import to_decimal
from par_score.rules.fields import Dec, DeclarationModel, Identifier, MonthDay, PointsValue, month_day_in
from par_score.scales import KINDS, Scale
from par_score.vocabulary import NotApplicablePolicy, Source

TotalValue = Annotated[Decimal, BeforeValidator(to_decimal), Field(ge=0, le=100000)]
Code = Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)*$")]
_Model = DeclarationModel


class Totals(_Model):
    self_: TotalValue = Field(alias="self")
    survey: TotalValue
    all: TotalValue

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# ---- inputs -------------------------------------------------------------------------------------------------------
class DocumentInput(_Model):
    kind: ClassVar[str] = "document"
    document: Identifier

    @property
    def key(self) -> str:
        return self.document


class IndicatorInput(_Model):
    kind: ClassVar[str] = "indicator"
    indicator: Identifier
    ratio_may_exceed_one: bool = False

    @property
    def key(self) -> str:
        return self.indicator


class SurveyInput(_Model):
    kind: ClassVar[str] = "survey"
    survey: Code

    @property
    def key(self) -> str:
        return self.survey


LeafInput = DocumentInput | IndicatorInput | SurveyInput


SCALE_LABELS = {kind.type: kind.label for kind in KINDS.values()}


# ---- the tree -----------------------------------------------------------------------------------------------------
class Leaf(_Model):
    """A scored item: a TCTP, or a TC without TCTP."""

    code: Code
    name: str = Field(min_length=1)
    max: PointsValue
    source: Source
    input: LeafInput
    scale: Scale
    not_applicable: NotApplicablePolicy = NotApplicablePolicy.NONE
    required_evidence: str = ""
    agency: str | None = None

    @model_validator(mode="after")
    def _scale_fits(self) -> Leaf:
        kind = KINDS[self.scale.type]
        if self.input.kind != kind.input:
            raise ValueError(f"thang điểm '{self.scale.type}' cần đầu vào '{kind.input}'")
        if (self.source == Source.SURVEY) != (kind.input == "survey"):
            raise ValueError("chỉ tiêu chí điều tra (source: survey) mới dùng thang điểm 'survey' và ngược lại")
        kind.validate(self.scale, self.max)
        return self


class Criterion(_Model):
    """A TC: either a leaf itself (max, input, scale…) or a parent of TCTP `items`."""

    code: Code
    name: str = Field(min_length=1)
    agency: str | None = None
    items: list[Leaf] | None = None
    # Leaf fields, used when the TC has no items.
    max: PointsValue | None = None
    source: Source | None = None
    input: LeafInput | None = None
    scale: Scale | None = None
    not_applicable: NotApplicablePolicy = NotApplicablePolicy.NONE
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
