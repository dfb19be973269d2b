"""Evidence → the values each leaf reads (its facts), with the records behind them.

This is where a leaf's state is decided (out of scope, survey pending, not applicable, declared not achieved,
missing evidence) and where its evidence is gathered for its scale kind, which reads the values exactly
(par_score.scales): the documents on its topic with the unit's "không đạt" declarations, or every contribution to
its indicator with who gave it and where it was read.
"""

from __future__ import annotations

import os
from pathlib import Path

from par_score.catalogue import CatalogueIndex, LeafEntry
from par_score.evidence.model import Bundle, NotAchieved
from par_score.rules.facts import InputValue, LeafFacts
from par_score.scales import Contribution, Found, kind_of
from par_score.vocabulary import Combine, LeafState


def record_place(bundle: Bundle, section: str, index: int) -> str:
    """Where a record was read: its file relative to the bundle root, then its sheet and row or its record number."""
    origin = bundle.origin(section, index)
    file = origin.file
    if file and bundle.root:
        try:
            file = Path(os.path.relpath(file, bundle.root)).as_posix()
        except ValueError:  # another drive (Windows)
            pass
    return f"{file}, {origin.record or f'{section} #{origin.index + 1}'}" if file else ""


def contributions_by_indicator(bundle: Bundle) -> dict[str, list[Contribution]]:
    found: dict[str, list[Contribution]] = {}
    for position, metric in enumerate(bundle.metrics):
        where = metric.origin or record_place(bundle, "metrics", position)
        found.setdefault(metric.indicator, []).append(Contribution(metric, metric.contributor, where))
    return found


def _declared_not_achieved(code: str, declarations: tuple[NotAchieved, ...]) -> LeafFacts:
    notes = "; ".join(d.note for d in declarations if d.note)
    shown = InputValue(
        name="khai_bao",
        label="khai báo không đạt",
        value="not_achieved",
        display=notes or "văn bản không được ban hành",
    )
    cited = tuple(dict.fromkeys(ref for d in declarations for ref in d.documents))
    return LeafFacts(code, LeafState.NOT_ACHIEVED, inputs=(shown,), documents=cited)


def _incomplete(code: str, found: Found, missing: list[str]) -> LeafFacts:
    """A document leaf that needs a document from each responsible agency (combine all_of) and lacks some."""
    shown = InputValue(
        name="co_quan_thieu",
        label="văn bản còn thiếu của",
        value="; ".join(missing),
        display=f"{'; '.join(missing)} (cần văn bản của từng cơ quan: {'; '.join(found.required)})",
    )
    return LeafFacts(code, LeafState.MISSING, inputs=(shown,), documents=tuple(d.id for d in found.documents))


def _document_facts(entry: LeafEntry, found: Found, year: int) -> LeafFacts:
    scale_kind = kind_of(entry.leaf.scale)
    if not found.documents:
        if not scale_kind.periods(entry.leaf.scale):
            return _declared_not_achieved(entry.code, found.not_achieved)
        return scale_kind.read(entry.code, entry.leaf.scale, found, year)  # periods declared not reported
    missing = found.missing_agencies()
    if missing:
        return _incomplete(entry.code, found, missing)
    return scale_kind.read(entry.code, entry.leaf.scale, found, year)


def build_facts(index: CatalogueIndex, bundle: Bundle, scope: set[str] | None = None) -> list[LeafFacts]:
    """Facts for every leaf of the catalogue, in catalogue order. `scope`: leaf codes in an agency's preview."""
    contributions = contributions_by_indicator(bundle)
    surveys = {s.item: s for s in bundle.survey}
    declared = {n.criterion: n for n in bundle.not_applicable}
    not_achieved: dict[str, list[NotAchieved]] = {}
    for declaration in bundle.not_achieved:
        not_achieved.setdefault(declaration.topic, []).append(declaration)
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
            if result is None:
                facts.append(LeafFacts(code, LeafState.SURVEY_PENDING))
            else:
                found = Found(survey=result, answer_weights=weights)
                facts.append(kind_of(entry.leaf.scale).read(code, entry.leaf.scale, found, year))
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
        elif kind == "document":
            on_topic = sorted(topics.get(key, ()), key=lambda d: (d.issue_date, d.id))
            declarations = tuple(not_achieved.get(key, ()))
            if not on_topic and not declarations:
                facts.append(LeafFacts(code, LeafState.MISSING))
                continue
            required = entry.agencies if entry.leaf.input.combine == Combine.ALL_OF else ()
            found = Found(documents=tuple(on_topic), not_achieved=declarations, required=required)
            facts.append(_document_facts(entry, found, year))
        else:
            given = contributions.get(key)
            if not given:
                facts.append(LeafFacts(code, LeafState.MISSING))
            else:
                found = Found(contributions=tuple(given))
                facts.append(kind_of(entry.leaf.scale).read(code, entry.leaf.scale, found, year))
    return facts
