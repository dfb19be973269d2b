"""Evidence → the values each leaf reads (its facts), with the records behind them.

This is where a leaf's state is decided (out of scope, survey pending, not applicable, missing evidence) and where
its evidence is gathered for its scale kind, which reads the values exactly (par_score.scales).
"""

from __future__ import annotations

from par_score.catalogue import CatalogueIndex
from par_score.evidence.model import Bundle
from par_score.rules.facts import LeafFacts
from par_score.scales import Found, kind_of
from par_score.vocabulary import LeafState


def build_facts(index: CatalogueIndex, bundle: Bundle, scope: set[str] | None = None) -> list[LeafFacts]:
    """Facts for every leaf of the catalogue, in catalogue order. `scope`: leaf codes in an agency's preview."""
    metrics = {m.indicator: m for m in bundle.metrics}
    surveys = {s.item: s for s in bundle.survey}
    declared = {n.criterion: n for n in bundle.not_applicable}
    weights = index.catalogue.survey_answer_weights
    topics: dict[str, list] = {}
    for document in bundle.documents:
        for topic in dict.fromkeys(document.topics):
            topics.setdefault(topic, []).append(document)
    year = index.year
    facts: list[LeafFacts] = []
    for entry in index.leaves:
        code = entry.code
        kind, key = entry.input_key
        if scope is not None and code not in scope:
            facts.append(LeafFacts(code, LeafState.OUT_OF_SCOPE))
            continue
        if kind == "survey":
            result = surveys.get(key)
            found = Found(survey=result, answer_weights=weights) if result is not None else None
            missing = LeafState.SURVEY_PENDING
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
            continue
        elif kind == "document":
            on_topic = sorted(topics.get(key, ()), key=lambda d: (d.issue_date, d.id))
            found = Found(documents=tuple(on_topic)) if on_topic else None
            missing = LeafState.MISSING
        else:
            metric = metrics.get(key)
            found = Found(metric=metric) if metric is not None else None
            missing = LeafState.MISSING
        if found is None:
            facts.append(LeafFacts(code, missing))
        else:
            facts.append(kind_of(entry.leaf.scale).read(code, entry.leaf.scale, found, year))
    return facts
