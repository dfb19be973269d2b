"""Score bundles: checks → facts → durable-rules and the pure evaluator (which must agree) → leaf results → totals."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from par_score.catalogue import CatalogueIndex
from par_score.errors import EngineError, InputError, Problem
from par_score.evidence import Bundle
from par_score.io.text import nfc
from par_score.rules.facts import LeafFacts
from par_score.scoring import rollup
from par_score.scoring.checks import check_bundle
from par_score.scoring.compile import LeafRules, compile_catalogue
from par_score.scoring.engine import RuleEngine
from par_score.scoring.evaluator import Evaluation, evaluate
from par_score.scoring.facts import build_facts
from par_score.scoring.result import (
    CatalogueRef,
    EvidenceOut,
    LeafOut,
    RuleRef,
    ScoreResult,
    UnitRef,
    points_status,
)
from par_score.vocabulary import SCORED, Status


def agency_scope(index: CatalogueIndex, agency: str | None) -> set[str] | None:
    """Leaf codes an agency answers for; None means the whole catalogue."""
    if agency is None:
        return None
    wanted = nfc(agency).strip().casefold()
    scope = {e.code for e in index.leaves if e.agency.casefold() == wanted}
    if not scope:
        names = "; ".join(index.agencies())
        raise InputError(
            Problem(
                f"cơ quan '{agency}' không chủ trì tiêu chí nào trong danh mục. Các cơ quan: {names}", field="--agency"
            )
        )
    return scope


@dataclass
class Scorer:
    """Scores bundles against one catalogue; one rule-engine host per call of score_many."""

    index: CatalogueIndex

    @cached_property
    def rules(self) -> list[LeafRules]:
        return compile_catalogue(self.index)

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
            check_bundle(bundle, self.index, verify_files=verify_files)
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

        def facts_of_each() -> Iterator[list[LeafFacts]]:
            for bundle in bundles:
                if not checked:
                    check_bundle(bundle, self.index)
                facts = build_facts(self.index, bundle, scope)
                pending.append((bundle, facts))
                yield facts

        for engine_bands in RuleEngine(self.rules).fire_each(facts_of_each()):
            bundle, facts = pending.popleft()
            yield self._result(bundle, facts, engine_bands, agency)

    @cached_property
    def _rule_refs(self) -> dict[str, RuleRef]:
        """Every band's RuleRef, built once: a band's words never depend on the evidence (frozen, so shared)."""
        return {
            band.id: RuleRef(id=band.id, label=band.label, conditions=band.describe_conditions())
            for rules in self.rules
            for band in rules.bands
        }

    def _result(
        self, bundle: Bundle, facts: list[LeafFacts], engine_bands: dict[str, list[str]], agency: str | None
    ) -> ScoreResult:
        leaves = []
        disagreements = []
        view = _BundleView(bundle)
        rule_refs = self._rule_refs
        for rules, leaf_facts in zip(self.rules, facts, strict=True):
            evaluation = evaluate(rules, leaf_facts)
            from_engine = engine_bands.get(rules.code, [])
            if from_engine != [evaluation.band.key]:
                disagreements.append(
                    f"{rules.code}: durable-rules {from_engine or '∅'} ≠ bộ đánh giá {evaluation.band.key}"
                )
            leaves.append(_leaf_out(rules, leaf_facts, evaluation, view, rule_refs[evaluation.band.id]))
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
            unit=UnitRef(code=bundle.unit.code, name=bundle.unit.name, level=bundle.unit.level),
            year=bundle.year,
            scope_agency=agency,
            **rollup.roll_up(catalogue.areas, leaves),
        )


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
    evidence = [view.evidence(doc_id) for doc_id in facts.documents]
    return LeafOut(
        code=leaf.code,
        name=leaf.name,
        area=entry.area.code,
        tc=entry.criterion.code,
        agency=entry.agency,
        source=leaf.source,
        scale=leaf.scale.type,
        max=leaf.max,
        applicable=status not in (Status.NOT_APPLICABLE_EXCLUDED, Status.OUT_OF_SCOPE),
        points=evaluation.points,
        status=status,
        status_label=status.label,
        rule=rule,
        inputs=list(facts.inputs),
        evidence=evidence,
        failed_conditions=list(evaluation.failed),
        required_evidence=leaf.required_evidence,
        not_applicable_reason=facts.not_applicable_reason,
        explanation=view.explanation(leaf.code, entry.criterion.code),
        estimated=status == Status.SURVEY_ESTIMATED,
    )
