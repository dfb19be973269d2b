"""The scored result: what ket-qua.json holds, what reports, traces, diffs and exports read.

Decimals are written as strings ("0.5", "88.54") so that no reader has to trust binary floating point.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    model_serializer,
)

from par_score.errors import InputError
from par_score.io.readers import read_structured
from par_score.io.validation import problems_from
from par_score.numbers import plain, to_decimal
from par_score.rules.facts import InputValue
from par_score.vocabulary import Source, Status

Dec = Annotated[Decimal, BeforeValidator(to_decimal), PlainSerializer(plain, return_type=str)]

RESULT_FORMAT = "par-score/result@1"
RESULT_FILE = "ket-qua.json"


def points_status(points: Decimal, maximum: Decimal) -> Status:
    """The status of a scored leaf from its points: full, partial or zero."""
    if points >= maximum:
        return Status.FULL
    return Status.PARTIAL if points > 0 else Status.ZERO


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CatalogueRef(_Out):
    id: str
    version: str
    sha256: str
    title: str
    kind: str


class UnitRef(_Out):
    code: str
    name: str
    level: str


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


def _omit_absent_appraisal(model: BaseModel, handler) -> dict:
    """`appraisal` is written only when present, so that a self-assessed ket-qua.json keeps its exact shape."""
    data = handler(model)
    if isinstance(data, dict) and data.get("appraisal", 0) is None:
        del data["appraisal"]
    return data


class LeafOut(_Out):
    code: str
    name: str
    area: str
    tc: str
    agency: str
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
    appraisal: LeafAppraisalOut | None = None

    @model_serializer(mode="wrap")
    def _serialize(self, handler):
        return _omit_absent_appraisal(self, handler)


class PartTotal(_Out):
    points: Dec | None
    max: Dec
    declared_max: Dec


class SurveyTotal(PartTotal):
    estimated: bool
    pending: list[str] = Field(default_factory=list)


class Totals(_Out):
    self_: PartTotal = Field(alias="self")
    survey: SurveyTotal
    self_pct: Dec | None
    index_points: Dec | None
    index_max: Dec | None
    index_pct: Dec | None
    index_estimated: bool

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class NodeOut(_Out):
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


class ScoreResult(_Out):
    format: Literal["par-score/result@1"] = RESULT_FORMAT
    catalogue: CatalogueRef
    unit: UnitRef
    year: int
    scope_agency: str | None = None
    totals: Totals
    areas: list[AreaOut]
    criteria: list[LeafOut]
    appraisal: ResultAppraisalOut | None = None

    @model_serializer(mode="wrap")
    def _serialize(self, handler):
        return _omit_absent_appraisal(self, handler)

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
    return f'"{RESULT_FORMAT}"' in head


def load_result(path: Path | str) -> ScoreResult:
    """A saved result, validated (InputError naming the file and the field when it is not one)."""
    path = Path(path)
    raw = read_structured(path)
    try:
        return ScoreResult.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, raw, str(path))) from None
