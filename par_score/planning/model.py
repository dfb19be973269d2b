"""The plan as data: what plan.json holds, what the terminal, the workbook and the report show.

Decimals are written as strings ("0.5"), dates as ISO dates; every instruction is also given as Vietnamese text so
that a front end shows the same words as the command line.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from par_score.scoring.result import CatalogueRef, Dec, UnitRef
from par_score.vocabulary import Status

PLAN_FORMAT = "par-score/plan@1"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChangeOut(_Out):
    """One change of evidence: a document to issue, a report to send, or a figure to reach, with its deadline."""

    kind: Literal["issue_document", "send_report", "set_figure"]
    by: dt.date
    text: str
    document_kind: str | None = None  # issue_document / send_report: the kind of document (evidence kinds)
    period: str | None = None  # send_report: the period id
    period_name: str | None = None  # send_report: the period's name ("Quý III")
    due: dt.date | None = None  # send_report: its due date
    on_time: bool | None = None  # send_report
    how: str | None = None  # set_figure: numerator | both | percent | value | count
    before: dict[str, Dec] | None = None  # set_figure: the figure now (None: no figure given)
    after: dict[str, Dec] | None = None  # set_figure: the figure to reach
    goal: str | None = None  # set_figure: the condition reached, in words ("tỷ lệ ≥ 95 %")
    goal_condition: tuple[str, str, str] | None = None  # set_figure: (variable, operator, threshold) of that condition


class SideEffectOut(_Out):
    """Another leaf whose points the same change moves (leaves reading the same evidence)."""

    leaf: str
    gain: Dec


class OptionOut(_Out):
    """One way to raise a leaf to a better band: its changes (and equivalent alternatives), checked by re-scoring."""

    id: str  # "<leaf>:<points after>"
    leaf: str
    agency: str
    band: str
    band_label: str
    points_before: Dec
    points_after: Dec
    gain: Dec  # points the self-assessed total gains, measured by re-scoring the changed evidence
    size: int  # number of changes
    deadline: dt.date
    text: str  # the instruction, all changes in one line
    changes: list[ChangeOut]
    alternatives: list[list[ChangeOut]] = Field(default_factory=list)
    side_effects: list[SideEffectOut] = Field(default_factory=list)
    in_target: bool = False


class MissedOut(_Out):
    """A better band that can no longer be reached as of the plan's date, and why; never something to do."""

    leaf: str
    band_label: str
    points_after: Dec
    gain: Dec
    deadline: dt.date
    text: str  # what it would have taken
    changes: list[ChangeOut]
    reason: str


class LeafPlanOut(_Out):
    code: str
    name: str
    area: str
    tc: str
    agency: str
    co_agencies: list[str] = Field(default_factory=list)
    scale: str
    max: Dec
    points: Dec
    status: Status
    status_label: str
    options: list[OptionOut] = Field(default_factory=list)
    missed: list[MissedOut] = Field(default_factory=list)
    explanation_needed: bool = False  # missing evidence without giải trình: a document that costs nothing
    required_evidence: str = ""
    note: str | None = None  # why nothing is proposed although the leaf is below its maximum


class AgencyPlanOut(_Out):
    agency: str
    leaves: list[LeafPlanOut]
    options: int  # feasible options (lines to act on)
    best_gain: Dec  # the points its leaves can still gain, taking each leaf's best feasible option
    explanations: int  # giải trình still needed


class SurveyItemOut(_Out):
    """A survey item: Bộ Nội vụ's, never self-scored; its weight and the last values known."""

    code: str
    name: str
    agency: str
    weight: Dec
    status_label: str
    last_known: list[str] = Field(default_factory=list)


class ScoreLineOut(_Out):
    points: Dec
    max: Dec
    pct: Dec | None


class TargetOut(_Out):
    asked: str  # as given: "58" or "95%"
    kind: Literal["points", "percent"]
    value: Dec
    points: Dec  # the self-assessed points the target means
    needed: Dec  # points still to gain (0 when already reached)
    reached_now: bool
    reachable: bool
    selected: list[str] = Field(default_factory=list)  # option ids, the smallest set of changes
    changes: int = 0  # how many changes the selection makes
    gain: Dec  # what the selection gains, checked by re-scoring all of its changes together
    after: ScoreLineOut
    statement: str


class Plan(_Out):
    format: Literal["par-score/plan@1"] = PLAN_FORMAT
    catalogue: CatalogueRef
    unit: UnitRef
    year: int
    as_of: dt.date
    evidence_until: dt.date  # the last day evidence of the year counts (the catalogue's evidence window)
    agency: str | None = None  # the agency whose criteria are shown (lead or co-responsible); None: all
    current: ScoreLineOut  # the self-assessed total now
    attainable: ScoreLineOut  # with every leaf's best feasible option, checked by re-scoring them together
    target: TargetOut | None = None
    agencies: list[AgencyPlanOut]
    survey: list[SurveyItemOut] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"

    def options(self) -> list[OptionOut]:
        return [o for agency in self.agencies for leaf in agency.leaves for o in leaf.options]
