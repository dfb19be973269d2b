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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType
from typing import Any, Protocol

from par_score.evidence.model import Document, Metric, SurveyResult
from par_score.rules.bands import Band
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
