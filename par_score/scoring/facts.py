"""Evidence → the values each leaf reads (its facts), with the records behind them.

This is where a leaf's state is decided (out of scope, not for the unit's profile, survey or statistics pending, not
applicable, declared not achieved, missing evidence) and where its evidence is gathered for its scale kind, which
reads the values exactly (par_score.scales): the documents on its topic with the unit's "không đạt" declarations, or
every contribution to its indicator with who gave it and where it was read, or a statistic's figure. Bonus and
deduction items are read the same way (build_item_facts).
"""

from __future__ import annotations

import os
from pathlib import Path

from par_score.catalogue import CatalogueIndex
from par_score.catalogue.index import InputUse, ItemEntry, LeafEntry
from par_score.evidence.model import Bundle, NotAchieved
from par_score.rules.facts import InputValue, LeafFacts
from par_score.scales import Contribution, Found, kind_of
from par_score.vocabulary import Combine, LeafState, Source


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


class _Evidence:
    """A bundle's records indexed once, by what the inputs of a catalogue look them up by."""

    def __init__(self, index: CatalogueIndex, bundle: Bundle):
        given: dict[str, list[int]] = {}
        for position, metric in enumerate(bundle.metrics):
            given.setdefault(metric.indicator, []).append(position)
        self.contributions: dict[str, list[Contribution]] = {}
        for indicator, positions in given.items():
            metrics = [bundle.metrics[p] for p in positions]
            # where each was read matters only where contributions are shown: several, or a named contributor
            shown = len(metrics) > 1 or any(m.contributor for m in metrics)
            self.contributions[indicator] = [
                Contribution(m, m.contributor, (m.origin or record_place(bundle, "metrics", p)) if shown else "")
                for m, p in zip(metrics, positions, strict=True)
            ]
        self.statistics = {s.statistic: s for s in bundle.statistics}
        self.surveys = {s.item: s for s in bundle.survey}
        self.not_achieved: dict[str, list[NotAchieved]] = {}
        for declaration in bundle.not_achieved:
            self.not_achieved.setdefault(declaration.topic, []).append(declaration)
        self.weights = index.catalogue.survey_answer_weights
        self.topics: dict[str, list] = {}
        for document in bundle.documents:
            for topic in dict.fromkeys(document.topics):
                self.topics.setdefault(topic, []).append(document)

    def find(self, given, agencies: tuple[str, ...] = ()) -> Found | None:
        """The evidence of one input, or None when the bundle has none. `agencies`: the lead and co-responsible
        agencies, each of which must send a document when the input combines them all (combine: all_of)."""
        if given.kind == "document":
            on_topic = sorted(self.topics.get(given.key, ()), key=lambda d: (d.issue_date, d.id))
            declarations = tuple(self.not_achieved.get(given.key, ()))
            if not on_topic and not declarations:
                return None
            required = agencies if given.combine == Combine.ALL_OF else ()
            return Found(documents=tuple(on_topic), not_achieved=declarations, required=required)
        if given.kind == "survey":
            result = self.surveys.get(given.key)
            return Found(survey=result, answer_weights=self.weights) if result is not None else None
        if given.kind == "statistic":
            figure = self.statistics.get(given.key)
            return Found(contributions=(Contribution(figure),)) if figure is not None else None
        contributions = self.contributions.get(given.key)
        return Found(contributions=tuple(contributions)) if contributions else None

    def found(self, uses: tuple[InputUse, ...], agencies: tuple[str, ...] = ()) -> Found | None:
        """The evidence of a leaf or an item: of its one input, or of each part of a multi-input scale."""
        if len(uses) == 1 and uses[0].part is None:
            return self.find(uses[0].given, agencies)
        return Found(parts={use.part: self.find(use.given, agencies) for use in uses})


def found_evidence(index: CatalogueIndex, bundle: Bundle) -> dict[str, Found | None]:
    """Every leaf's evidence as its scale kind reads it (None: nothing found), by leaf code."""
    evidence = _Evidence(index, bundle)
    return {entry.code: evidence.found(entry.uses, entry.agencies) for entry in index.leaves}


def _declared_not_achieved(code: str, declarations: tuple[NotAchieved, ...]) -> LeafFacts:
    notes = "; ".join(d.note for d in declarations if d.note)
    shown = InputValue(
        name="khai_bao",
        label="khai báo không đạt",
        value=LeafState.NOT_ACHIEVED,
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


def leaf_facts(entry: LeafEntry, found: Found, year: int) -> LeafFacts:
    """The facts of a leaf that has evidence: declared not achieved, lacking an agency's document (all_of), or
    read by its scale kind."""
    scale_kind = kind_of(entry.leaf.scale)
    if found.parts is None and entry.input_key[0] == "document":
        if not found.documents and not scale_kind.periods(entry.leaf.scale):
            return _declared_not_achieved(entry.code, found.not_achieved)
        missing = found.missing_agencies() if found.documents else []
        if missing:
            return _incomplete(entry.code, found, missing)
    return scale_kind.read(entry.code, entry.leaf.scale, found, year)


def _read(owner: LeafEntry | ItemEntry, evidence: _Evidence, missing: str, year: int) -> LeafFacts:
    leaf = isinstance(owner, LeafEntry)
    found = evidence.found(owner.uses, owner.agencies if leaf else ())
    kind = kind_of(owner.scale)
    if found is None or not found.complete:
        return kind.unread(owner.code, owner.scale, found, missing, year)
    if leaf:
        return leaf_facts(owner, found, year)
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
