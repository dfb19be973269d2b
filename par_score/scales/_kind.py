"""What a scale kind is: one module that owns everything specific to one way of turning evidence into points.

A kind module (par_score/scales/<type>.py) defines:

    TYPE: str                  the `type` a catalogue writes in a leaf's `scale`
    LABEL: str                 its Vietnamese name ("đúng hạn")
    INPUT: str                 what the leaf reads: "document", "indicator" or "survey"
    Model                      the pydantic model of its declaration (with `type: Literal[TYPE]`)
    VARIABLES: tuple[str, ...] the variables its bands compare (par_score.rules.variables)
    value_bands(code, maximum, scale, year) -> list[Band]
                               its bands for a leaf that has a value, mutually exclusive, best first
    read(code, scale, found, year) -> LeafFacts
                               the values it reads from the leaf's evidence (`found`), exactly
    synthesize(builder, scale, given, code) -> None
                               random valid evidence for one leaf (benchmarks, fuzzing)

and may define (defaults below):

    periods(scale) -> list                       reporting periods its documents declare (periodic reports)
    earliest_plausible(scale, year, lead_days)   the earliest date a document on its topic can be this year's
    check_metric(metric, given, code, na_policy) -> list[(field, message)]   figures it cannot use
    input_hint(scale, given) -> str              how to enter its figure ("Cách nhập" in the workbook)
    validate(scale, maximum) -> None             raise ValueError when the declaration does not fit the leaf
    plan(standing, horizon) -> list[Proposal]    for a leaf below its maximum (with a value or missing its
                                                 evidence): for every better band it can still reach, the smallest
                                                 change of evidence that reaches it (None when absent: the kind
                                                 cannot plan)

The `plan` hook works on the types below (its shared arithmetic is in _planning.py): `standing` is where the leaf
stands (its declaration, facts, evidence found and points), `horizon` the dates that bound a change (today, the
evaluation year, the evidence window). Each Proposal names the band reached, the leaf's points then (exact), and
its changes as data: IssueDocument(by), SendReport(period, due, by), SetFigure(how, before, after, goal, by). The
kind returns every better band it can reach (at most one proposal per band and points, alternatives of the same
size side by side), each by its smallest change; none for a leaf at its maximum. It may return changes whose
deadline has passed (the planner lists them as missed, never as something to do) and marks as `blocked` those that
can never be made. Every proposal is applied to a copy of the bundle and re-scored by the planner: one that does
not score exactly its promised points is a defect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType
from typing import Any, Protocol

from par_score.evidence.model import Document, Metric, SurveyResult
from par_score.rules.bands import Band
from par_score.rules.conditions import Condition
from par_score.rules.facts import LeafFacts

INPUT_KINDS = ("document", "indicator", "survey")
_REQUIRED = ("TYPE", "LABEL", "INPUT", "Model", "VARIABLES", "value_bands", "read", "synthesize")


@dataclass(frozen=True)
class Found:
    """The evidence of one leaf, gathered for its kind: documents on its topic (by issue date, then id), or the
    indicator's figure, or the survey item's result with the catalogue's answer weights."""

    documents: tuple[Document, ...] = ()
    metric: Metric | None = None
    survey: SurveyResult | None = None
    answer_weights: dict[str, Decimal] | None = None


# ---- the plan hook: where a leaf stands, what bounds a change, the changes a proposal is made of ----------------
@dataclass(frozen=True)
class Horizon:
    """The dates that bound what can still change: today (`as_of`), the evaluation year and the catalogue's evidence
    window (documents dated from `first_day` to `last_day` count for the year)."""

    year: int
    as_of: dt.date
    first_day: dt.date
    last_day: dt.date
    lead_days: int  # how long before its first deadline a plan of the year may be issued

    @property
    def year_end(self) -> dt.date:
        """The last day a figure of the year can still move, or a document of the year be issued."""
        return min(dt.date(self.year, 12, 31), self.last_day)


@dataclass(frozen=True)
class Standing:
    """Where one leaf stands: its declaration, what it read from its evidence, and that evidence."""

    code: str
    maximum: Decimal
    scale: Any
    given: Any  # the leaf's input declaration (topic, indicator or survey item)
    facts: LeafFacts
    found: Found | None
    points: Decimal  # the points it scores now


# ---- the changes a proposal is made of -----------------------------------------------------------------------------
@dataclass(frozen=True)
class IssueDocument:
    """Issue a document on the leaf's topic at the latest on `by`."""

    by: dt.date


@dataclass(frozen=True)
class SendReport:
    """Deliver the report of one period at the latest on `by` (on time when `by` ≤ `due`)."""

    period: str
    period_name: str
    due: dt.date
    by: dt.date

    @property
    def on_time(self) -> bool:
        return self.by <= self.due


@dataclass(frozen=True)
class Figure:
    """An indicator's figure in one of its forms: numerator/denominator, percent, or a value."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    percent: Decimal | None = None
    value: Decimal | None = None

    def fields(self) -> dict[str, Decimal]:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass(frozen=True)
class SetFigure:
    """Bring the indicator's figure from `before` (None: no figure was given) to `after` by `by`, so that `goal`
    holds. `how` says which part moves: "numerator" (same denominator), "both" (numerator and denominator by the
    same amount), "percent", "value" or "count"."""

    how: str
    before: Figure | None
    after: Figure
    goal: Condition
    by: dt.date


Change = IssueDocument | SendReport | SetFigure


@dataclass(frozen=True)
class Proposal:
    """One way for a leaf to reach a better band: its changes, the band reached and the leaf's points then.

    `blocked` says why the change can never be made (a violation already found cannot be undone): such a proposal
    is still checked, and listed as out of reach, never as something to do."""

    leaf: str
    band: str
    band_label: str
    points: Decimal
    changes: tuple[Change, ...]
    blocked: str | None = None

    @property
    def deadline(self) -> dt.date:
        return min(change.by for change in self.changes)


class SyntheticBuilder(Protocol):
    """What a kind's `synthesize` may ask of the synthetic bundle being built (par_score.testing.synthetic)."""

    rng: Any
    year: int
    answer_weights: dict[str, Decimal]

    def document(
        self, topic: str | None, issue_date: dt.date, *, period: str | None = None, kind: str | None = None
    ) -> str: ...

    def metric(self, given: Any, fields: dict[str, Any]) -> None: ...

    def survey_result(self, given: Any, fields: dict[str, Any]) -> None: ...


class ScaleKind:
    """A kind module seen through one interface, with the optional hooks defaulted."""

    def __init__(self, module: ModuleType):
        missing = [name for name in _REQUIRED if not hasattr(module, name)]
        if missing:
            raise TypeError(f"scale kind module {module.__name__} lacks {', '.join(missing)}")
        if module.INPUT not in INPUT_KINDS:
            raise TypeError(f"scale kind {module.TYPE}: INPUT must be one of {INPUT_KINDS}")
        self.module = module
        self.type: str = module.TYPE
        self.label: str = module.LABEL
        self.input: str = module.INPUT
        self.model: type = module.Model
        self.variables: tuple[str, ...] = tuple(module.VARIABLES)

    def value_bands(self, code: str, maximum: Decimal, scale: Any, year: int) -> list[Band]:
        return self.module.value_bands(code, maximum, scale, year)

    def read(self, code: str, scale: Any, found: Found, year: int) -> LeafFacts:
        return self.module.read(code, scale, found, year)

    def synthesize(self, builder: SyntheticBuilder, scale: Any, given: Any, code: str) -> None:
        self.module.synthesize(builder, scale, given, code)

    def periods(self, scale: Any) -> list:
        hook = getattr(self.module, "periods", None)
        return list(hook(scale)) if hook else []

    def earliest_plausible(self, scale: Any, year: int, lead_days: int) -> dt.date | None:
        hook = getattr(self.module, "earliest_plausible", None)
        return hook(scale, year, lead_days) if hook else None

    def check_metric(self, metric: Metric, given: Any, code: str, na_policy: str) -> list[tuple[str, str]]:
        hook = getattr(self.module, "check_metric", None)
        return hook(metric, given, code, na_policy) if hook else []

    def input_hint(self, scale: Any, given: Any) -> str:
        hook = getattr(self.module, "input_hint", None)
        return hook(scale, given) if hook else ""

    def validate(self, scale: Any, maximum: Decimal) -> None:
        hook = getattr(self.module, "validate", None)
        if hook:
            hook(scale, maximum)

    def plan(self, standing: Standing, horizon: Horizon) -> list[Proposal] | None:
        hook = getattr(self.module, "plan", None)
        return list(hook(standing, horizon)) if hook else None
