"""Score bundles: checks → facts → durable-rules and the pure evaluator (which must agree) → leaf results → totals."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from par_score.catalogue import CatalogueIndex
from par_score.catalogue.index import BONUS
from par_score.errors import EngineError, InputError, Problem
from par_score.evidence import Bundle
from par_score.io.text import nfc
from par_score.rules.facts import InputValue, LeafFacts
from par_score.scales import same_agency
from par_score.scoring import rollup
from par_score.scoring.checks import check_bundle, soft_problems
from par_score.scoring.compile import LeafRules, compile_catalogue, compile_items
from par_score.scoring.engine import RuleEngine
from par_score.scoring.evaluator import Evaluation, evaluate, next_step
from par_score.scoring.facts import build_facts, build_item_facts
from par_score.scoring.result import (
    BonusOut,
    CatalogueRef,
    EvidenceOut,
    ItemOut,
    LeafOut,
    NextBandOut,
    RuleRef,
    ScoreResult,
    UnitRef,
    WarningOut,
    points_status,
)
from par_score.vocabulary import SCORED, LeafState, Source, Status, status_label


def agency_scope(index: CatalogueIndex, agency: str | None) -> set[str] | None:
    """Leaf codes an agency answers for, as lead (chủ trì) or co-responsible (phối hợp); None: the whole catalogue."""
    if agency is None:
        return None
    scope = {e.code for e in index.leaves if any(same_agency(a, nfc(agency)) for a in e.agencies)}
    if not scope:
        names = "; ".join(index.agencies())
        raise InputError(
            Problem(
                f"cơ quan '{agency}' không chủ trì hay phối hợp tiêu chí nào trong danh mục. Các cơ quan: {names}",
                field="--agency",
            )
        )
    return scope


def agency_name(index: CatalogueIndex, agency: str) -> str:
    """The catalogue's own spelling of an agency name typed by a person."""
    return next((a for a in index.agencies() if same_agency(a, nfc(agency))), agency)


@dataclass
class Scorer:
    """Scores bundles against one catalogue; one rule-engine host per call of score_many."""

    index: CatalogueIndex

    @cached_property
    def rules(self) -> list[LeafRules]:
        return compile_catalogue(self.index)

    @cached_property
    def item_rules(self) -> list[LeafRules]:
        """The catalogue's bonus items, then its deduction items (none for most catalogues)."""
        return compile_items(self.index)

    @cached_property
    def engine(self) -> RuleEngine:
        """The rules as durable-rules reads them, translated once; every run still gets its own host and ruleset."""
        return RuleEngine(self.rules + self.item_rules)

    def prepared(self) -> Scorer:
        """This scorer with everything it derives from the catalogue built (before threads share it)."""
        _ = (self.engine, self._rule_refs)
        return self

    def score(self, bundle: Bundle, *, agency: str | None = None, verify_files: bool = True) -> ScoreResult:
        return self.score_many([bundle], agency=agency, verify_files=verify_files)[0]

    def score_many(
        self, bundles: list[Bundle], *, agency: str | None = None, verify_files: bool = True
    ) -> list[ScoreResult]:
        """Check every bundle, then score them all with one engine host (nothing is scored if one is invalid).

        `verify_files=False` leaves out the checks of attached files: for a caller that verified them on arrival.
        """
        bundles = list(bundles)
        for bundle in bundles:
            check_bundle(bundle, self.index, other_agencies=agency is not None, verify_files=verify_files)
        return list(self._scores(bundles, agency, checked=True))

    def iter_scores(self, bundles: Iterable[Bundle], *, agency: str | None = None) -> Iterator[ScoreResult]:
        """Score bundles one at a time as they arrive, all with one engine host.

        For batches too large to hold every result in memory: each result is yielded as soon as its bundle is
        scored. Each bundle is checked just before it is scored; an invalid one raises InputError there.
        """
        return self._scores(bundles, agency, checked=False)

    def _scores(self, bundles: Iterable[Bundle], agency: str | None, *, checked: bool) -> Iterator[ScoreResult]:
        scope = agency_scope(self.index, agency)
        pending: deque[tuple[Bundle, list[LeafFacts]]] = deque()  # the engine asks for one bundle at a time

        with_items = bool(self.item_rules)

        def facts_of_each() -> Iterator[list[LeafFacts]]:
            for bundle in bundles:
                if not checked:
                    check_bundle(bundle, self.index, other_agencies=agency is not None)
                facts = build_facts(self.index, bundle, scope)
                if with_items:
                    facts += build_item_facts(self.index, bundle, scope)
                pending.append((bundle, facts))
                yield facts

        for engine_bands in self.engine.fire_each(facts_of_each()):
            bundle, facts = pending.popleft()
            yield self._result(bundle, facts, engine_bands, agency)

    @cached_property
    def _rule_refs(self) -> dict[str, RuleRef]:
        """Every band's RuleRef, built once: a band's words never depend on the evidence (frozen, so shared)."""
        return {
            band.id: RuleRef(id=band.id, label=band.label, conditions=band.describe_conditions())
            for rules in self.rules + self.item_rules
            for band in rules.bands
        }

    def _result(
        self, bundle: Bundle, facts: list[LeafFacts], engine_bands: dict[str, list[str]], agency: str | None
    ) -> ScoreResult:
        disagreements: list[str] = []
        view = _BundleView(bundle)
        rule_refs = self._rule_refs

        def decided(rules: LeafRules, leaf_facts: LeafFacts) -> Evaluation:
            evaluation = evaluate(rules, leaf_facts)
            from_engine = engine_bands.get(rules.code, [])
            if from_engine != [evaluation.band.key]:
                disagreements.append(
                    f"{rules.code}: durable-rules {from_engine or '∅'} ≠ bộ đánh giá {evaluation.band.key}"
                )
            return evaluation

        leaf_facts, item_facts = facts[: len(self.rules)], facts[len(self.rules) :]
        leaves = []
        for rules, one in zip(self.rules, leaf_facts, strict=True):
            evaluation = decided(rules, one)
            leaf = _leaf_out(rules, one, evaluation, view, rule_refs[evaluation.band.id])
            if agency is not None:
                leaf = _with_next_band(leaf, rules, one, evaluation)
            leaves.append(leaf)
        items = []
        for rules, one in zip(self.item_rules, item_facts, strict=True):
            evaluation = decided(rules, one)
            items.append(_item_out(rules, one, evaluation, view, rule_refs[evaluation.band.id]))
        if disagreements:
            raise EngineError("Bộ máy luật và bộ đánh giá thuần không thống nhất", disagreements)
        catalogue = self.index.catalogue
        return ScoreResult(
            catalogue=CatalogueRef(
                id=catalogue.id,
                version=catalogue.version,
                sha256=self.index.sha256,
                title=catalogue.title,
                kind=catalogue.kind,
            ),
            unit=_unit_ref(self.index, bundle),
            year=bundle.year,
            scope_agency=agency_name(self.index, agency) if agency is not None else None,  # as the catalogue spells it
            warnings=_warnings(bundle, self.index),
            **rollup.roll_up(catalogue.areas, leaves, **_adjustments(catalogue, items)),
        )


def _warnings(bundle: Bundle, index: CatalogueIndex) -> list[WarningOut]:
    found = []
    for problem in soft_problems(bundle, index):
        file = problem.file
        if file and bundle.root:
            try:
                file = Path(os.path.relpath(file, bundle.root)).as_posix()
            except ValueError:
                pass
        found.append(WarningOut(message=problem.message, file=file, record=problem.record, field=problem.field))
    return found


def _with_next_band(leaf: LeafOut, rules: LeafRules, facts: LeafFacts, evaluation: Evaluation) -> LeafOut:
    step = next_step(rules, facts, evaluation)
    if step is None:
        return leaf
    words = (
        " và ".join(f"{c.describe()} (hiện {c.actual(facts.state, facts.values)})" for c in step.missing)
        or step.band.describe_conditions()
    )
    out = NextBandOut(band=step.band.id, label=step.band.label, condition=words, points=step.points, gain=step.gain)
    return leaf.model_copy(update={"next_band": out})


def _unit_ref(index: CatalogueIndex, bundle: Bundle) -> UnitRef:
    unit = bundle.unit
    cluster = None
    if index.catalogue.clusters:
        clusters = index.catalogue.clusters
        cluster = (
            index.cluster_of_profile(unit.profile) or unit.cluster or (clusters[0].id if len(clusters) == 1 else None)
        )
    profile = index.profiles.get(unit.profile) if unit.profile else None
    return UnitRef(
        code=unit.code,
        name=unit.name,
        level=unit.level,
        profile=unit.profile,
        profile_name=profile.name if profile else None,
        cluster=cluster,
    )


def _adjustments(catalogue, items: list[ItemOut]) -> dict:
    """The bonus and the deduction items for the roll-up (nothing for a catalogue without them)."""
    found: dict = {}
    if catalogue.bonus is not None:
        bonus = catalogue.bonus
        found["bonus"] = BonusOut(
            name=bonus.name,
            cap=bonus.cap,
            added_to=bonus.added_to,
            allow_above_max=bonus.allow_above_max,
            items=[item for item in items if item.applies_to is None],
        )
    if catalogue.deductions is not None:
        found["deductions"] = [item for item in items if item.applies_to is not None]
    return found


def _status(evaluation: Evaluation, maximum) -> Status:
    status = evaluation.band.status
    return points_status(evaluation.points, maximum) if status == SCORED else Status(status)


class _BundleView:
    """What every leaf of one bundle looks up, indexed once per bundle rather than once per leaf."""

    def __init__(self, bundle: Bundle):
        self.documents = bundle.documents_by_id()
        self._evidence: dict[str, EvidenceOut] = {}
        self._explanations: dict[str, list[tuple[int, str]]] = {}
        for position, explanation in enumerate(bundle.explanations):
            self._explanations.setdefault(explanation.criterion, []).append((position, explanation.text))

    def explanation(self, code: str, tc: str) -> str | None:
        """The explanations given for the leaf or its TC, in the order of the bundle."""
        found = self._explanations.get(code, []) + (self._explanations.get(tc, []) if tc != code else [])
        return "\n".join(text for _, text in sorted(found)) if found else None

    def evidence(self, doc_id: str) -> EvidenceOut:
        out = self._evidence.get(doc_id)
        if out is None:
            doc = self.documents[doc_id]
            out = self._evidence[doc_id] = EvidenceOut(
                id=doc.id,
                kind=doc.kind,
                number=doc.number,
                issue_date=doc.issue_date,
                issuer=doc.issuer,
                title=doc.title,
                locator=doc.locator,
                file=doc.file.path if doc.file else None,
                sha256=doc.file.sha256 if doc.file else None,
            )
        return out


def _leaf_out(rules: LeafRules, facts: LeafFacts, evaluation: Evaluation, view: _BundleView, rule: RuleRef) -> LeafOut:
    entry = rules.entry
    leaf = entry.leaf
    status = _status(evaluation, leaf.max)
    evidence = [view.evidence(doc_id) for doc_id in facts.documents if doc_id in view.documents]
    inputs = list(facts.inputs)
    elsewhere = [doc_id for doc_id in facts.documents if doc_id not in view.documents]
    if elsewhere:  # an agency's preview: documents another agency holds (merging checks that they exist)
        inputs.append(
            InputValue(
                name="van_ban_co_quan_khac",
                label="văn bản do cơ quan khác cung cấp",
                value="; ".join(elsewhere),
                display=f"{'; '.join(elsewhere)} (tham chiếu, được kiểm tra khi hợp nhất các phần)",
            )
        )
    return LeafOut(
        supplied_by=leaf.supplied_by if leaf.source != Source.SELF else None,
        code=leaf.code,
        name=leaf.name,
        area=entry.area.code,
        tc=entry.criterion.code,
        agency=entry.agency,
        co_agencies=list(entry.co_agencies),
        source=leaf.source,
        scale=leaf.scale.type,
        max=leaf.max,
        applicable=status not in (Status.NOT_APPLICABLE_EXCLUDED, Status.OUT_OF_SCOPE, Status.NOT_FOR_PROFILE),
        points=evaluation.points,
        status=status,
        status_label=status_label(status, leaf.supplied_by),
        rule=rule,
        inputs=inputs,
        evidence=evidence,
        failed_conditions=list(evaluation.failed),
        required_evidence=leaf.required_evidence,
        not_applicable_reason=facts.not_applicable_reason,
        explanation=view.explanation(leaf.code, entry.criterion.code),
        estimated=status == Status.SURVEY_ESTIMATED,
        contributions=list(facts.contributions),
    )


def _item_out(rules: LeafRules, facts: LeafFacts, evaluation: Evaluation, view: _BundleView, rule: RuleRef) -> ItemOut:
    entry = rules.entry
    status = _status(evaluation, entry.maximum)
    if entry.role != BONUS and evaluation.band.status == SCORED:
        status = Status.DEDUCTED if evaluation.points else Status.NO_DEDUCTION
    return ItemOut(
        code=entry.code,
        name=entry.name,
        max=entry.maximum,
        points=evaluation.points,
        status=status,
        status_label=status.label,
        rule=rule,
        inputs=list(facts.inputs),
        evidence=[view.evidence(doc_id) for doc_id in facts.documents],
        failed_conditions=list(evaluation.failed) if facts.state != LeafState.MISSING else [],
        required_evidence=entry.required_evidence,
        supplied_by=entry.supplied_by,
        applies_to=None if entry.role == BONUS else entry.applies_to,
    )
