"""Evidence → the values each leaf reads (its facts), with the records behind them.

This is where a leaf's state is decided (out of scope, survey pending, not applicable, missing evidence) and where
its evidence is gathered for its scale kind, which reads the values exactly (par_score.scales).
"""

from __future__ import annotations

from par_score.catalogue import CatalogueIndex, LeafEntry
from par_score.evidence.model import Bundle
from par_score.rules.facts import LeafFacts
from par_score.scales import Found, kind_of
from par_score.vocabulary import LeafState


class _Evidence:
    """The bundle's records indexed the way leaves look them up: by topic, indicator, survey item, declaration."""

    def __init__(self, index: CatalogueIndex, bundle: Bundle):
        self.metrics = {m.indicator: m for m in bundle.metrics}
        self.surveys = {s.item: s for s in bundle.survey}
        self.declared = {n.criterion: n for n in bundle.not_applicable}
        self.weights = index.catalogue.survey_answer_weights
        self.topics: dict[str, list] = {}
        for document in bundle.documents:
            for topic in dict.fromkeys(document.topics):
                self.topics.setdefault(topic, []).append(document)

    def found(self, entry: LeafEntry) -> Found | None:
        """The leaf's evidence for its scale kind, or None when there is none."""
        kind, key = entry.input_key
        if kind == "survey":
            result = self.surveys.get(key)
            return Found(survey=result, answer_weights=self.weights) if result is not None else None
        if kind == "document":
            on_topic = sorted(self.topics.get(key, ()), key=lambda d: (d.issue_date, d.id))
            return Found(documents=tuple(on_topic)) if on_topic else None
        metric = self.metrics.get(key)
        return Found(metric=metric) if metric is not None else None


def found_evidence(index: CatalogueIndex, bundle: Bundle) -> dict[str, Found | None]:
    """Every leaf's evidence as its scale kind reads it (None: nothing found), by leaf code."""
    evidence = _Evidence(index, bundle)
    return {entry.code: evidence.found(entry) for entry in index.leaves}


def build_facts(index: CatalogueIndex, bundle: Bundle, scope: set[str] | None = None) -> list[LeafFacts]:
    """Facts for every leaf of the catalogue, in catalogue order. `scope`: leaf codes in an agency's preview."""
    evidence = _Evidence(index, bundle)
    year = index.year
    facts: list[LeafFacts] = []
    for entry in index.leaves:
        code = entry.code
        if scope is not None and code not in scope:
            facts.append(LeafFacts(code, LeafState.OUT_OF_SCOPE))
            continue
        if entry.input_key[0] != "survey" and code in evidence.declared:
            declaration = evidence.declared[code]
            facts.append(
                LeafFacts(
                    code,
                    LeafState.NOT_APPLICABLE,
                    documents=tuple(declaration.documents),
                    not_applicable_reason=declaration.reason,
                )
            )
            continue
        found = evidence.found(entry)
        if found is None:
            missing = LeafState.SURVEY_PENDING if entry.input_key[0] == "survey" else LeafState.MISSING
            facts.append(LeafFacts(code, missing))
        else:
            facts.append(kind_of(entry.leaf.scale).read(code, entry.leaf.scale, found, year))
    return facts
