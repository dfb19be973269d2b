"""What a scale kind is: one module that owns everything specific to one way of turning evidence into points.

A kind module (par_score/scales/<type>.py) defines:

    TYPE: str                  the `type` a catalogue writes in a leaf's `scale`
    LABEL: str                 its Vietnamese name ("đúng hạn")
    INPUT: str                 what the leaf reads: "document", "indicator" (an indicator, or a statistic read
                               the same way), "survey", or "parts" (several inputs, declared in the scale: see
                               `parts`)
    Model                      the pydantic model of its declaration (with `type: Literal[TYPE]`)
    VARIABLES: tuple[str, ...] the variables its bands compare (par_score.rules.variables)
    value_bands(code, maximum, scale, year) -> list[Band]
                               its bands for a leaf that has a value, mutually exclusive, best first
    read(code, scale, found, year) -> LeafFacts
                               the values it reads from the leaf's evidence (`found`), exactly
    synthesize(builder, scale, given, code) -> None
                               random valid evidence for one leaf (benchmarks, fuzzing)

and may define (defaults below):

    COMBINES: tuple[str, ...]                    how several contributors' evidence combines (catalogue
                                                 `input.combine`): ("one", "sum") for indicators, ("any", "all_of")
                                                 for documents; default: one figure / any document
    periods(scale) -> list                       reporting periods its documents declare (periodic reports)
    earliest_plausible(scale, year, lead_days)   the earliest date a document on its topic can be this year's
    check_metric(metric, given, code, na_policy) -> list[(field, message)]   figures it cannot use
    soft_check(metric, given) -> list[(field, message)]                   figures it can use but that look wrong
                                                 (far from last year's): warnings in the result, never errors
    input_hint(scale, given) -> str              how to enter its figure ("Cách nhập" in the workbook)
    validate(scale, maximum) -> None             raise ValueError when the declaration does not fit the leaf
    parts(scale) -> list[Part]                   a kind that reads several inputs ("parts"): each part's input and
                                                 the kind and declaration that read, check and synthesize its figure
    variables_of(scale) -> tuple[str, ...]       the variables of one declaration (default: VARIABLES)
    unread(code, scale, found, state, year) -> LeafFacts
                                                 the facts of a leaf whose evidence is absent or incomplete (default:
                                                 the state alone); `found` holds what a multi-input leaf did find
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
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType
from typing import Any, Protocol

from par_score.evidence.model import Document, Metric, NotAchieved, SurveyResult
from par_score.numbers import ZERO
from par_score.rules.bands import Band
from par_score.rules.conditions import Condition
from par_score.rules.facts import LeafFacts
from par_score.scales._registry import KINDS

INPUT_KINDS = ("document", "indicator", "survey", "parts")
_REQUIRED = ("TYPE", "LABEL", "INPUT", "Model", "VARIABLES", "value_bands", "read", "synthesize")


def same_agency(a: str, b: str) -> bool:
    """Agency names compare without regard to case, spacing or Unicode form ("Sở Tư pháp" = "sở  tư pháp")."""
    return (
        " ".join(unicodedata.normalize("NFC", a).split()).casefold()
        == " ".join(unicodedata.normalize("NFC", b).split()).casefold()
    )


@dataclass(frozen=True)
class Contribution:
    """One figure of an indicator as given: who gave it (agency or unit) and where it was read."""

    metric: Metric
    contributor: str | None = None
    where: str = ""  # file relative to the bundle root, with its sheet and row or its record


@dataclass(frozen=True)
class Found:
    """The evidence of one leaf, gathered for its kind. Contract:

    - documents: the documents on the leaf's topic, by issue date then id; `deciding` is the one a deadline reads
      (the earliest; with `required` agencies — combine all_of — the latest of each agency's earliest, since the set
      is complete only then; every required agency has one: the scorer checks that before reading);
    - not_achieved: the unit's "không đạt" declarations on the topic (a periodic kind reads their periods);
    - contributions: the indicator's figures, one per contributor when the catalogue sums them (combine: sum),
      in bundle order; `metric` is the figure the kind reads — the one contribution, or their sum (numerators and
      denominators, or values), computed here and nowhere else;
    - survey, answer_weights: the survey item's result and the catalogue's answer weights;
    - parts: for a multi-input kind (INPUT "parts"), each part's own Found (None when that part was not given).
    A statistic is read like an indicator: its figure is a contribution.
    """

    documents: tuple[Document, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    survey: SurveyResult | None = None
    answer_weights: dict[str, Decimal] | None = None
    not_achieved: tuple[NotAchieved, ...] = ()
    required: tuple[str, ...] = ()  # combine all_of: the agencies that must each have sent a document
    parts: dict[str, Found | None] | None = None  # a multi-input leaf: each part's evidence (None: not given)

    @property
    def complete(self) -> bool:
        return self.parts is None or all(found is not None for found in self.parts.values())

    @property
    def metric(self) -> Metric | None:
        if not self.contributions:
            return None
        if len(self.contributions) == 1:
            return self.contributions[0].metric
        return _summed([c.metric for c in self.contributions])

    def documents_of(self, agency: str) -> list[Document]:
        return [d for d in self.documents if any(same_agency(agency, c) for c in d.contributors)]

    def missing_agencies(self) -> list[str]:
        """The required agencies (combine all_of) that sent no document on the topic."""
        return [agency for agency in self.required if not self.documents_of(agency)]

    @property
    def deciding(self) -> Document:
        if not self.required:
            return self.documents[0]
        firsts = [self.documents_of(agency)[0] for agency in self.required]
        return max(firsts, key=lambda d: (d.issue_date, d.id))


def _summed(metrics: list[Metric]) -> Metric:
    """Several contributions as one figure: the sums of their numerators and denominators, or of their values."""
    documents = list(dict.fromkeys(ref for m in metrics for ref in m.documents))
    sources = "; ".join(dict.fromkeys(m.source for m in metrics if m.source))
    periods = {m.period for m in metrics}
    common = {"documents": documents, "source": sources, "period": periods.pop() if len(periods) == 1 else None}
    if all(m.form == "ratio" for m in metrics):
        return Metric(
            indicator=metrics[0].indicator,
            numerator=sum((m.numerator for m in metrics), ZERO),
            denominator=sum((m.denominator for m in metrics), ZERO),
            **common,
        )
    if all(m.form == "value" for m in metrics):
        return Metric(indicator=metrics[0].indicator, value=sum((m.value for m in metrics), ZERO), **common)
    raise ValueError("contributions of different forms cannot be summed (check_bundle refuses them)")


@dataclass(frozen=True)
class Part:
    """One input of a multi-input kind: its id and label, what it reads, and the kind (and declaration) that reads,
    checks and synthesizes its figure."""

    id: str
    label: str
    input: Any
    kind: ScaleKind
    scale: Any


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
    part: str | None = None  # the part of a composite criterion whose figure this is (None: the leaf's own input)


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
    window: tuple[dt.date, dt.date]  # the dates a document of this year's bundle may carry (the evidence window)
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

    def __reduce__(self):
        # Pickled by its type (a module cannot be pickled): the batch hands a loaded catalogue to a helper process.
        return (_registered, (self.type,))

    def value_bands(self, code: str, maximum: Decimal, scale: Any, year: int) -> list[Band]:
        return self.module.value_bands(code, maximum, scale, year)

    def read(self, code: str, scale: Any, found: Found, year: int) -> LeafFacts:
        return self.module.read(code, scale, found, year)

    def synthesize(self, builder: SyntheticBuilder, scale: Any, given: Any, code: str) -> None:
        self.module.synthesize(builder, scale, given, code)

    @property
    def combines(self) -> tuple[str, ...]:
        """How a leaf of this kind may combine several contributors' evidence (catalogue `input.combine`)."""
        default = ("one",) if self.input == "indicator" else ("any",) if self.input == "document" else ()
        return tuple(getattr(self.module, "COMBINES", default))

    def periods(self, scale: Any) -> list:
        hook = getattr(self.module, "periods", None)
        return list(hook(scale)) if hook else []

    def earliest_plausible(self, scale: Any, year: int, lead_days: int) -> dt.date | None:
        hook = getattr(self.module, "earliest_plausible", None)
        return hook(scale, year, lead_days) if hook else None

    def check_metric(self, metric: Metric, given: Any, code: str, na_policy: str) -> list[tuple[str, str]]:
        hook = getattr(self.module, "check_metric", None)
        return hook(metric, given, code, na_policy) if hook else []

    def soft_check(self, metric: Metric, given: Any) -> list[tuple[str, str]]:
        hook = getattr(self.module, "soft_check", None)
        return hook(metric, given) if hook else []

    def input_hint(self, scale: Any, given: Any) -> str:
        hook = getattr(self.module, "input_hint", None)
        return hook(scale, given) if hook else ""

    def validate(self, scale: Any, maximum: Decimal) -> None:
        hook = getattr(self.module, "validate", None)
        if hook:
            hook(scale, maximum)

    def parts(self, scale: Any) -> list[Part] | None:
        """The inputs of a multi-input declaration; None for a kind that reads the leaf's own input."""
        hook = getattr(self.module, "parts", None)
        return list(hook(scale)) if hook else None

    def variables_of(self, scale: Any) -> tuple[str, ...]:
        hook = getattr(self.module, "variables_of", None)
        return tuple(hook(scale)) if hook else self.variables

    def unread(self, code: str, scale: Any, found: Found | None, state: str, year: int) -> LeafFacts:
        hook = getattr(self.module, "unread", None)
        return hook(code, scale, found, state, year) if hook else LeafFacts(code, state)

    def plan(self, standing: Standing, horizon: Horizon) -> list[Proposal] | None:
        hook = getattr(self.module, "plan", None)
        return list(hook(standing, horizon)) if hook else None


def _registered(type_: str) -> ScaleKind:
    return KINDS[type_]
