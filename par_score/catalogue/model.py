"""The criteria catalogue as pydantic models: area → TC (criterion) → TCTP (leaf)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from par_score.io import formats
from par_score.numbers import to_decimal
from par_score.rules.fields import Bound, Dec, DeclarationModel, MonthDay, PointsValue, month_day_in
from par_score.rules.inputs import DocumentInput, IndicatorInput, LeafInput, StatisticInput, SurveyInput
from par_score.scales import KINDS, Scale
from par_score.vocabulary import Combine, NotApplicablePolicy, Source

TotalValue = Annotated[Decimal, BeforeValidator(to_decimal), Field(ge=0, le=100000)]
Code = Annotated[str, Field(pattern=formats.CODE.pattern)]
AgencyName = Annotated[str, Field(min_length=1, max_length=200)]
Name = Annotated[str, Field(min_length=1, max_length=500)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Supplier = Annotated[str, Field(min_length=1, max_length=300)]
_Model = DeclarationModel


class Totals(_Model):
    self_: TotalValue = Field(alias="self")
    statistics: TotalValue = Decimal(0)
    survey: TotalValue
    all: TotalValue

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# Inputs live in par_score.rules.inputs (the scale kinds read them too); re-exported here.
SCALE_LABELS = {kind.type: kind.label for kind in KINDS.values()}
__all__ = [
    "Area",
    "Bonus",
    "BonusItem",
    "Catalogue",
    "Cluster",
    "Criterion",
    "DeductionItem",
    "DocumentInput",
    "IndicatorInput",
    "Leaf",
    "LeafInput",
    "Profile",
    "Ranking",
    "RatingBand",
    "Ratings",
    "SCALE_LABELS",
    "StatisticInput",
    "SurveyInput",
    "Totals",
]


# ---- the tree -----------------------------------------------------------------------------------------------------
def check_fit(source: Source, given: LeafInput | None, scale, maximum, supplied_by: str | None) -> None:
    """A scored item's source, input(s) and scale fit together (ValueError otherwise)."""
    kind = KINDS[scale.type]
    parts = kind.parts(scale)
    if parts is None:
        if given is None:
            raise ValueError("tiêu chí cần khai báo đầu vào (input)")
        if given.figure != kind.input:
            raise ValueError(f"thang điểm '{scale.type}' cần đầu vào '{kind.input}'")
        inputs = [(given, kind)]
    else:
        if given is not None:
            raise ValueError(
                f"thang điểm '{scale.type}' khai báo đầu vào ở từng thành phần (parts), không có input riêng"
            )
        inputs = [(part.input, part.kind) for part in parts]
    for one, reader in inputs:
        combine = getattr(one, "combine", None)
        if combine is not None and combine != Combine.ONE and combine not in reader.combines:
            raise ValueError(
                f"thang điểm '{reader.type}' không dùng được combine: {combine}; chỉ: {', '.join(reader.combines)}"
            )
    if (source == Source.SURVEY) != (kind.input == "survey"):
        raise ValueError("chỉ tiêu chí điều tra (source: survey) mới dùng thang điểm 'survey' và ngược lại")
    for one, _ in inputs:
        if (one.kind == "statistic") != (source == Source.STATISTICS):
            raise ValueError(
                "chỉ tiêu chí số liệu thống kê (source: statistics) mới đọc đầu vào 'statistic', và chỉ đọc đầu vào đó"
            )
    if source == Source.STATISTICS and not supplied_by:
        raise ValueError("tiêu chí số liệu thống kê (source: statistics) phải nêu cơ quan cung cấp (supplied_by)")
    if source == Source.SELF and supplied_by:
        raise ValueError("supplied_by chỉ dùng cho tiêu chí điều tra (survey) hoặc số liệu thống kê (statistics)")
    kind.validate(scale, maximum)


class Leaf(_Model):
    """A scored item: a TCTP, or a TC without TCTP."""

    code: Code
    name: str = Field(min_length=1)
    max: PointsValue
    source: Source
    input: LeafInput | None = None  # None for a scale that declares its inputs in its parts (composite)
    scale: Scale
    not_applicable: NotApplicablePolicy = NotApplicablePolicy.NONE
    required_evidence: str = ""
    agency: AgencyName | None = None
    co_agencies: list[AgencyName] = Field(default_factory=list)  # phối hợp: agencies that share the criterion
    supplied_by: Supplier | None = None  # survey and statistics: who supplies the figure

    @model_validator(mode="after")
    def _scale_fits(self) -> Leaf:
        check_fit(self.source, self.input, self.scale, self.max, self.supplied_by)
        return self


class Criterion(_Model):
    """A TC: either a leaf itself (max, input, scale…) or a parent of TCTP `items`."""

    code: Code
    name: str = Field(min_length=1)
    agency: AgencyName | None = None
    co_agencies: list[AgencyName] = Field(default_factory=list)
    items: list[Leaf] | None = None
    # Leaf fields, used when the TC has no items.
    max: PointsValue | None = None
    source: Source | None = None
    input: LeafInput | None = None
    scale: Scale | None = None
    not_applicable: NotApplicablePolicy = NotApplicablePolicy.NONE
    required_evidence: str = ""
    supplied_by: Supplier | None = None

    @model_validator(mode="after")
    def _leaf_or_parent(self) -> Criterion:
        leaf_fields = [self.max, self.source, self.scale]
        if self.items:
            if any(f is not None for f in [*leaf_fields, self.input, self.supplied_by]):
                raise ValueError("tiêu chí có 'items' không được khai báo max/source/input/scale riêng")
        elif any(f is None for f in leaf_fields):
            raise ValueError("tiêu chí không có 'items' phải khai báo max, source, input và scale")
        else:
            check_fit(self.source, self.input, self.scale, self.max, self.supplied_by)
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
            co_agencies=self.co_agencies,
            supplied_by=self.supplied_by,
        )


class Area(_Model):
    code: Code
    name: str = Field(min_length=1)
    agency: AgencyName
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


# ---- unit profiles, bonus and deduction items, ratings, clusters ----------------------------------------------------
class Profile(_Model):
    """A kind of unit (loại đơn vị): the criteria that do not apply to it, and the maxima that follow."""

    id: Slug
    name: Name
    description: str = ""
    excludes: list[Code] = Field(default_factory=list)  # codes of areas, TCs or leaves that do not apply
    declared_totals: Totals


class BonusItem(_Model):
    """An item of điểm thưởng: scored like a leaf from its own input, outside the maximum."""

    code: Annotated[str, Field(pattern=formats.BONUS_CODE.pattern)]
    name: Name
    max: PointsValue
    source: Literal[Source.SELF, Source.STATISTICS] = Source.SELF
    input: DocumentInput | IndicatorInput | StatisticInput
    scale: Scale
    required_evidence: str = ""
    supplied_by: Supplier | None = None

    @model_validator(mode="after")
    def _scale_fits(self) -> BonusItem:
        check_fit(self.source, self.input, self.scale, self.max, self.supplied_by)
        return self


class Bonus(_Model):
    name: Name = "Điểm thưởng"
    cap: PointsValue  # the most bonus points in all
    added_to: Literal["index", "points"]  # index: percentage points after normalising; points: to P before ÷ M
    allow_above_max: bool = False  # may the index exceed 100 %?
    items: list[BonusItem] = Field(min_length=1)


class DeductionItem(_Model):
    """An item of điểm trừ: per_item × the count of findings, at most cap, off a TC, an area or the total."""

    code: Annotated[str, Field(pattern=formats.DEDUCTION_CODE.pattern)]
    name: Name
    applies_to: Annotated[str, Field(pattern=formats.DEDUCTION_TARGET.pattern)]  # "total", an area or a TC code
    input: IndicatorInput
    per_item: PointsValue
    cap: PointsValue
    supplied_by: Supplier | None = None
    required_evidence: str = ""


class RatingBand(Bound):
    """A named band of the index; its bound is in percent (80 = 80 %)."""

    id: Slug
    name: Name


class Ratings(_Model):
    basis: Literal["index"] = "index"
    bands: list[RatingBand] = Field(min_length=1)


class Cluster(_Model):
    """A ranking cluster (khối). Members: the units of the listed profiles, or the units that name the cluster."""

    id: Slug
    name: Name
    profiles: list[Slug] = Field(default_factory=list)


class Ranking(_Model):
    within: Literal["cluster"] = "cluster"
    overall: bool = False  # also one list of every unit
    order: Literal["index_desc"] = "index_desc"
    precision: int = Field(default=2, ge=0, le=2)  # decimals of the index compared
    ties: Literal["shared"] = "shared"  # equal index → same rank, the next rank skips (1, 2, 2, 4)


class Catalogue(_Model):
    format: Literal["par-score/catalogue@1"]
    id: Annotated[str, Field(pattern=formats.CATALOGUE_ID.pattern)]
    version: str = Field(min_length=1)
    title: str
    kind: Literal["reference", "official"]
    notice: str = ""
    legal_basis: list[str] = Field(min_length=1)
    evaluation_year: int = Field(ge=2000, le=2100)
    unit_level: Literal["tinh", "so", "huyen", "xa"]
    declared_totals: Totals
    survey_answer_weights: dict[Annotated[str, Field(pattern=formats.ANSWER_LETTER.pattern)], Dec] = Field(
        default_factory=lambda: {"A": Decimal(1), "B": Decimal("0.6"), "C": Decimal("0.2"), "D": Decimal(0)}
    )
    evidence_window: EvidenceWindow = Field(default_factory=EvidenceWindow)
    areas: list[Area] = Field(min_length=1)
    profiles: list[Profile] | None = Field(default=None, min_length=1)
    bonus: Bonus | None = None
    deductions: list[DeductionItem] | None = Field(default=None, min_length=1)
    ratings: Ratings | None = None
    clusters: list[Cluster] | None = Field(default=None, min_length=1)
    ranking: Ranking | None = None

    @field_validator("survey_answer_weights")
    @classmethod
    def _weights_are_fractions(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        for key, weight in value.items():
            if not Decimal(0) <= weight <= Decimal(1):
                raise ValueError(f"trọng số '{key}' phải nằm trong khoảng 0 – 1")
        return value
