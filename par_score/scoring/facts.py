"""Evidence → the values each leaf reads (its facts), with the records behind them.

This is where a leaf's state is decided (out of scope, not for the unit's profile, survey or statistics pending,
not applicable, missing evidence) and where its evidence is gathered for its scale kind, which reads the values
exactly (par_score.scales). Bonus and deduction items are read the same way (build_item_facts).
"""

from __future__ import annotations

from par_score.catalogue import CatalogueIndex
from par_score.catalogue.index import InputUse, ItemEntry, LeafEntry
from par_score.evidence.model import Bundle
from par_score.rules.facts import LeafFacts
from par_score.scales import Found, kind_of
from par_score.vocabulary import LeafState, Source


class _Evidence:
    """A bundle's records indexed once, by what the inputs of a catalogue look them up by."""

    def __init__(self, index: CatalogueIndex, bundle: Bundle):
        self.sections = {
            "indicator": {m.indicator: m for m in bundle.metrics},
            "statistic": {s.statistic: s for s in bundle.statistics},
        }
        self.surveys = {s.item: s for s in bundle.survey}
        self.weights = index.catalogue.survey_answer_weights
        self.topics: dict[str, list] = {}
        for document in bundle.documents:
            for topic in dict.fromkeys(document.topics):
                self.topics.setdefault(topic, []).append(document)

    def find(self, given) -> Found | None:
        """The evidence of one input, or None when the bundle has none."""
        if given.kind == "document":
            on_topic = sorted(self.topics.get(given.key, ()), key=lambda d: (d.issue_date, d.id))
            return Found(documents=tuple(on_topic)) if on_topic else None
        if given.kind == "survey":
            result = self.surveys.get(given.key)
            return Found(survey=result, answer_weights=self.weights) if result is not None else None
        figure = self.sections[given.kind].get(given.key)
        return Found(metric=figure) if figure is not None else None

    def found(self, uses: tuple[InputUse, ...]) -> Found | None:
        """The evidence of a leaf or an item: of its one input, or of each part of a multi-input scale."""
        if len(uses) == 1 and uses[0].part is None:
            return self.find(uses[0].given)
        return Found(parts={use.part: self.find(use.given) for use in uses})


def found_evidence(index: CatalogueIndex, bundle: Bundle) -> dict[str, Found | None]:
    """Every leaf's evidence as its scale kind reads it (None: nothing found), by leaf code."""
    evidence = _Evidence(index, bundle)
    return {entry.code: evidence.found(entry.uses) for entry in index.leaves}


def _read(owner: LeafEntry | ItemEntry, evidence: _Evidence, missing: str, year: int) -> LeafFacts:
    found = evidence.found(owner.uses)
    kind = kind_of(owner.scale)
    if found is None or not found.complete:
        return kind.unread(owner.code, owner.scale, found, missing, year)
    return kind.read(owner.code, owner.scale, found, year)


def build_facts(index: CatalogueIndex, bundle: Bundle, scope: set[str] | None = None) -> list[LeafFacts]:
    """Facts for every leaf of the catalogue, in catalogue order. `scope`: leaf codes in an agency's preview."""
    evidence = _Evidence(index, bundle)
    declared = {n.criterion: n for n in bundle.not_applicable}
    excluded = index.excluded(bundle.unit.profile)
    year = index.year
    facts: list[LeafFacts] = []
    for entry in index.leaves:
        code = entry.code
        if scope is not None and code not in scope:
            facts.append(LeafFacts(code, LeafState.OUT_OF_SCOPE))
        elif code in excluded:
            facts.append(LeafFacts(code, LeafState.NOT_FOR_PROFILE))
        elif entry.source == Source.SURVEY:
            facts.append(_read(entry, evidence, LeafState.SURVEY_PENDING, year))
        elif code in declared:
            declaration = declared[code]
            facts.append(
                LeafFacts(
                    code,
                    LeafState.NOT_APPLICABLE,
                    documents=tuple(declaration.documents),
                    not_applicable_reason=declaration.reason,
                )
            )
        else:
            missing = LeafState.STATISTICS_PENDING if entry.source == Source.STATISTICS else LeafState.MISSING
            facts.append(_read(entry, evidence, missing, year))
    return facts


def build_item_facts(index: CatalogueIndex, bundle: Bundle, scope: set[str] | None = None) -> list[LeafFacts]:
    """Facts for every bonus and deduction item, in catalogue order: none in an agency's preview; "not for the
    profile" when the item does not apply to the unit's kind."""
    evidence = _Evidence(index, bundle)
    facts: list[LeafFacts] = []
    for entry in index.items:
        if scope is not None:
            facts.append(LeafFacts(entry.code, LeafState.OUT_OF_SCOPE))
        elif not index.applies(entry, bundle.unit.profile):
            facts.append(LeafFacts(entry.code, LeafState.NOT_FOR_PROFILE))
        else:
            facts.append(_read(entry, evidence, LeafState.MISSING, index.year))
    return facts
