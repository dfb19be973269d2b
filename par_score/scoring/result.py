"""The scored result: what ket-qua.json holds, what reports, traces, diffs and exports read.

Decimals are written as strings ("0.5", "88.54") so that no reader has to trust binary floating point.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_serializer,
)

from par_score.io.readers import read_structured
from par_score.io.validation import validated
from par_score.numbers import bounded_decimal, plain
from par_score.rules.facts import ContributionValue, InputValue
from par_score.vocabulary import Source, Status

# A figure of a result as read back (a saved result is input too): 15 integer digits at most, as in the evidence, and
# 30 decimals (computed ratios carry up to 28 significant digits), so that formatting can never overflow.
MAX_RESULT_PLACES = 30


def _result_number(value: object) -> Decimal:
    return bounded_decimal(value, integer_digits=15, places=MAX_RESULT_PLACES)


Dec = Annotated[Decimal, BeforeValidator(_result_number), PlainSerializer(plain, return_type=str)]

RESULT_FORMAT = "par-score/result@1"
RESULT_FILE = "ket-qua.json"


def points_status(points: Decimal, maximum: Decimal) -> Status:
    """The status of a scored leaf from its points: full, partial or zero."""
    if points >= maximum:
        return Status.FULL
    return Status.PARTIAL if points > 0 else Status.ZERO


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Optional(_Out):
    """A model whose `OPTIONAL` fields are written only when present (not None): a result of a catalogue that does
    not use a feature keeps the exact shape it had before the feature existed."""

    OPTIONAL: ClassVar[frozenset[str]] = frozenset()
    OPTIONAL_EMPTY: ClassVar[frozenset[str]] = frozenset()  # lists written only when they hold something

    @model_serializer(mode="wrap")
    def _serialize(self, handler):
        data = handler(self)
        if isinstance(data, dict):
            for key in self.OPTIONAL:
                if key in data and data[key] is None:
                    del data[key]
            for key in self.OPTIONAL_EMPTY:
                if key in data and data[key] == []:
                    del data[key]
        return data


class CatalogueRef(_Out):
    id: str
    version: str
    sha256: str
    title: str
    kind: str


class UnitRef(_Optional):
    code: str
    name: str
    level: str
    profile: str | None = None  # catalogues with unit profiles: the unit's kind (loại đơn vị) …
    profile_name: str | None = None  # … and its name
    cluster: str | None = None  # catalogues with ranking clusters: the unit's cluster (khối)

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"profile", "profile_name", "cluster"})


class RuleRef(_Out):
    id: str
    label: str
    conditions: str


class EvidenceOut(_Out):
    id: str
    kind: str
    number: str
    issue_date: dt.date
    issuer: str
    title: str
    locator: str | None = None
    file: str | None = None
    sha256: str | None = None


class FailedConditionOut(_Out):
    """A condition of a better band that the leaf's values failed, with the actual value (the "why not")."""

    band: str
    band_label: str
    condition: str
    variable: str
    operator: str
    threshold: str
    actual: str
    actual_display: str


class AppraisalRecordOut(_Out):
    """One line of an appraisal file as applied: a round's points, who gave them and why."""

    round: int
    points: Dec
    appraiser: str
    comment: str = ""


class LeafAppraisalOut(_Out):
    """Self-assessed, appraised and final points of one leaf, side by side (present on appraised results only)."""

    self_points: Dec | None
    self_status: Status
    appraised_points: Dec | None = None
    final_points: Dec | None
    round: int | None = None
    appraiser: str | None = None
    comment: str | None = None
    records: list[AppraisalRecordOut] = Field(default_factory=list)


class NextBandOut(_Out):
    """In an agency's preview, for a leaf scored below its maximum: the next better band, what it needs and the
    points it would add."""

    band: str
    label: str
    condition: str  # what is missing, in words, with the value read ("tỷ lệ ≥ 100 % (hiện 97,92 %)")
    points: Dec  # the leaf's points in that band (at its threshold, for a band that computes them)
    gain: Dec  # points it would add


class WarningOut(_Out):
    """A figure the checks let through but a person should look at again (far from last year's)."""

    message: str
    file: str | None = None  # relative to the bundle root
    record: str | None = None
    field: str | None = None


class LeafOut(_Optional):
    code: str
    name: str
    area: str
    tc: str
    agency: str
    co_agencies: list[str] = Field(default_factory=list)
    source: Source
    scale: str
    max: Dec
    applicable: bool
    points: Dec | None
    status: Status
    status_label: str
    rule: RuleRef
    inputs: list[InputValue] = Field(default_factory=list)
    evidence: list[EvidenceOut] = Field(default_factory=list)
    failed_conditions: list[FailedConditionOut] = Field(default_factory=list)
    required_evidence: str = ""
    not_applicable_reason: str | None = None
    explanation: str | None = None
    estimated: bool = False
    contributions: list[ContributionValue] = Field(default_factory=list)
    next_band: NextBandOut | None = None
    appraisal: LeafAppraisalOut | None = None  # appraised results only (written only when present, as below)
    supplied_by: str | None = None  # survey and statistics criteria that name who supplies the figure

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"appraisal", "supplied_by", "next_band"})
    OPTIONAL_EMPTY: ClassVar[frozenset[str]] = frozenset({"co_agencies", "contributions"})


class PartTotal(_Out):
    points: Dec | None
    max: Dec
    declared_max: Dec


class SurveyTotal(PartTotal):
    estimated: bool
    pending: list[str] = Field(default_factory=list)


class StatisticsTotal(PartTotal):
    pending: list[str] = Field(default_factory=list)


class Totals(_Optional):
    self_: PartTotal = Field(alias="self")
    survey: SurveyTotal
    self_pct: Dec | None
    index_points: Dec | None
    index_max: Dec | None
    index_pct: Dec | None
    index_estimated: bool
    # Written only for catalogues that use them:
    statistics: StatisticsTotal | None = None  # the statistics part (số liệu thống kê)
    deducted: Dec | None = None  # points taken off by deduction items (điểm trừ), after each node's floor
    bonus: Dec | None = None  # bonus points applied (điểm thưởng, within the cap)
    index_pct_without_bonus: Dec | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"statistics", "deducted", "bonus", "index_pct_without_bonus"})


class NodeOut(_Optional):
    """A TC or an area: its points over its applicable maximum."""

    code: str
    name: str
    points: Dec
    max: Dec
    declared_max: Dec
    pct: Dec | None
    self_points: Dec
    self_max: Dec
    survey_points: Dec | None
    survey_max: Dec
    includes_survey: bool
    in_scope: bool = True  # False in an agency preview when none of its leaves is the agency's: nothing was scored
    # Written only for catalogues that use them:
    statistics_points: Dec | None = None
    statistics_max: Dec | None = None
    includes_statistics: bool | None = None
    deducted: Dec | None = None  # points taken off this node by its own and its TCs' deduction items

    OPTIONAL: ClassVar[frozenset[str]] = frozenset(
        {"statistics_points", "statistics_max", "includes_statistics", "deducted"}
    )


class AreaOut(NodeOut):
    agency: str
    criteria: list[NodeOut] = Field(default_factory=list)


class AreaSelfOut(_Out):
    code: str
    points: Dec
    max: Dec
    pct: Dec | None


class ResultAppraisalOut(_Out):
    """What an appraised result (ket-qua-tham-dinh.json) adds: the appraisal file and the self-assessed totals."""

    file: str
    sha256: str
    council: str | None = None
    date: dt.date | None = None
    appraised: list[str] = Field(default_factory=list)
    self_totals: Totals
    self_areas: list[AreaSelfOut] = Field(default_factory=list)


class ItemOut(_Optional):
    """A bonus item (điểm thưởng) or a deduction item (điểm trừ), scored from its input like a leaf.

    A deduction item's `points` is the amount it asks to deduct (per item × count, at most `max`, its cap);
    `effective` what was taken off after its node's floor, and the node's points before and after."""

    code: str
    name: str
    max: Dec
    points: Dec | None
    status: Status
    status_label: str
    rule: RuleRef
    inputs: list[InputValue] = Field(default_factory=list)
    evidence: list[EvidenceOut] = Field(default_factory=list)
    failed_conditions: list[FailedConditionOut] = Field(default_factory=list)
    required_evidence: str = ""
    supplied_by: str | None = None
    applies_to: str | None = None  # deductions: "total", an area or a TC code
    effective: Dec | None = None  # deductions: what was taken off
    node_before: Dec | None = None  # deductions: the points of the node before this item
    node_after: Dec | None = None  # … and after it

    OPTIONAL: ClassVar[frozenset[str]] = frozenset(
        {"supplied_by", "applies_to", "effective", "node_before", "node_after"}
    )


class BonusOut(_Out):
    """The bonus (điểm thưởng): its items, their sum and what applies within the cap."""

    name: str
    cap: Dec
    added_to: Literal["index", "points"]
    allow_above_max: bool
    items: list[ItemOut]
    points: Dec | None = None  # the items' sum (filled in by the roll-up)
    applied: Dec | None = None  # min(cap, points)


class ScoreResult(_Optional):
    format: Literal["par-score/result@1"] = RESULT_FORMAT
    catalogue: CatalogueRef
    unit: UnitRef
    year: int
    scope_agency: str | None = None
    totals: Totals
    areas: list[AreaOut]
    criteria: list[LeafOut]
    warnings: list[WarningOut] = Field(default_factory=list)
    appraisal: ResultAppraisalOut | None = None
    bonus: BonusOut | None = None
    deductions: list[ItemOut] | None = None

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"appraisal", "bonus", "deductions"})
    OPTIONAL_EMPTY: ClassVar[frozenset[str]] = frozenset({"warnings"})

    def status_counts(self) -> list[tuple[str, int]]:
        """(status label, number of leaves) in the fixed order of STATUS_LABELS."""
        counts: dict[str, int] = {}
        for leaf in self.criteria:
            counts[leaf.status] = counts.get(leaf.status, 0) + 1
        return [(status.label, counts[status]) for status in Status if status in counts]

    def leaf(self, code: str) -> LeafOut | None:
        return next((c for c in self.criteria if c.code == code), None)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2) + "\n"


def is_saved_result(path: Path) -> bool:
    """Whether `path` is a saved result (ket-qua.json and its kin), recognised from the head of the file."""
    if not (path.is_file() and path.suffix.lower() == ".json"):
        return False
    try:
        with path.open("rb") as stream:
            head = stream.read(4096).decode("utf-8", errors="ignore")
    except OSError:
        return False
    return '"par-score/result@' in head  # any version: an unknown one is then refused by its format, as a result


def load_result(path: Path | str) -> ScoreResult:
    """A saved result, validated (InputError naming the file and the field when it is not one)."""
    path = Path(path)
    raw = read_structured(path)
    return validated(ScoreResult, raw, str(path))
