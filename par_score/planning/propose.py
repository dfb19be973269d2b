"""Every leaf below its maximum asks its scale kind for proposals; every proposal is applied to a copy of the
bundle and re-scored through the engine, and must give exactly the points it promised.

A proposal that does not is a defect of par_score, never a line of a plan: EngineError is raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from par_score.catalogue import CatalogueIndex, LeafEntry
from par_score.errors import EngineError, InputError
from par_score.evidence import Bundle
from par_score.numbers import ZERO, plain
from par_score.planning.apply import apply_changes
from par_score.scales import Change, Found, Horizon, Proposal, Standing, kind_of
from par_score.scoring.facts import build_facts, found_evidence
from par_score.scoring.result import ScoreResult
from par_score.scoring.scorer import Scorer
from par_score.vocabulary import LeafState, Source, Status

PLANNED = (Status.PARTIAL, Status.ZERO, Status.MISSING_EVIDENCE)


@dataclass(frozen=True)
class Checked:
    """A proposal with what re-scoring its changes measured: the self-assessed total's gain and the other leaves
    (reading the same evidence) it moved."""

    entry: LeafEntry
    proposal: Proposal
    gain: Decimal
    side_effects: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class LeafProposals:
    entry: LeafEntry
    standing: Standing
    proposals: list[Checked]
    plannable: bool  # False when the leaf's scale kind has no plan hook


def horizon_of(index: CatalogueIndex, as_of) -> Horizon:
    window = index.catalogue.evidence_window
    first, last = window.dates(index.year)
    return Horizon(index.year, as_of, first, last, window.plan_lead_days)


def standings(index: CatalogueIndex, bundle: Bundle, baseline: ScoreResult) -> list[tuple[LeafEntry, Standing]]:
    """The self-scored leaves below their maximum, with a value or missing their evidence, in catalogue order."""
    facts = build_facts(index, bundle)
    found: dict[str, Found | None] = found_evidence(index, bundle)
    below = []
    for entry, leaf_facts, leaf in zip(index.leaves, facts, baseline.criteria, strict=True):
        if leaf.source != Source.SELF or leaf.status not in PLANNED:
            continue
        if leaf_facts.state not in (LeafState.VALUE, LeafState.MISSING):
            continue
        points = leaf.points if leaf.points is not None else ZERO
        standing = Standing(
            entry.code, entry.leaf.max, entry.leaf.scale, entry.leaf.input, leaf_facts, found[entry.code], points
        )
        below.append((entry, standing))
    return below


def propose(
    index: CatalogueIndex, bundle: Bundle, baseline: ScoreResult, horizon: Horizon, scorer: Scorer
) -> list[LeafProposals]:
    """Every leaf below its maximum with its proposals, each checked by re-scoring."""
    gathered: list[tuple[LeafEntry, Standing, list[Proposal] | None]] = []
    for entry, standing in standings(index, bundle, baseline):
        proposals = kind_of(entry.leaf.scale).plan(standing, horizon)
        for p in proposals or ():
            _check_shape(entry, standing, p)
        gathered.append((entry, standing, proposals))
    flat = [(entry, standing, p) for entry, standing, proposals in gathered for p in proposals or ()]
    checked = iter(verify(index, bundle, baseline, scorer, [(e, p) for e, _, p in flat]))
    return [
        LeafProposals(entry, standing, [next(checked) for _ in proposals or ()], proposals is not None)
        for entry, standing, proposals in gathered
    ]


def _check_shape(entry: LeafEntry, standing: Standing, proposal: Proposal) -> None:
    if proposal.leaf != entry.code or not proposal.changes:
        raise EngineError(f"Kế hoạch: đề xuất không hợp lệ cho tiêu chí {entry.code}: {proposal!r}")
    if not standing.points < proposal.points <= entry.leaf.max:
        raise EngineError(
            f"Kế hoạch: đề xuất cho tiêu chí {entry.code} hứa {plain(proposal.points)} điểm, "
            f"không nằm trong khoảng ({plain(standing.points)}; {plain(entry.leaf.max)}]"
        )


def verify(
    index: CatalogueIndex,
    bundle: Bundle,
    baseline: ScoreResult,
    scorer: Scorer,
    items: Sequence[tuple[LeafEntry, Proposal]],
) -> list[Checked]:
    """Apply each proposal to its own copy of the bundle, re-score them all, and check the promised points."""
    changed = [apply_changes(bundle, entry, proposal.changes) for entry, proposal in items]
    results = _rescore(scorer, changed, [entry.code for entry, _ in items])
    checked = []
    for (entry, proposal), result in zip(items, results, strict=True):
        moved = _moved(baseline, result)
        leaf = moved.get(entry.code)
        now = result.leaf(entry.code)
        if now is None or now.points != proposal.points:
            raise EngineError(
                f"Kế hoạch: đề xuất cho tiêu chí {entry.code} hứa {plain(proposal.points)} điểm nhưng chấm lại "
                f"được {plain(now.points) if now is not None and now.points is not None else 'không có điểm'}",
                [repr(proposal)],
            )
        others = tuple((code, gain) for code, gain in moved.items() if code != entry.code)
        strangers = [code for code, _ in others if index.by_code[code].input_key != entry.input_key]
        if strangers:
            raise EngineError(
                f"Kế hoạch: đề xuất cho tiêu chí {entry.code} làm đổi điểm tiêu chí khác: {', '.join(strangers)}"
            )
        gain = measured_gain(baseline, result)
        if leaf is None or sum((g for _, g in moved.items()), ZERO) != gain:
            raise EngineError(f"Kế hoạch: điểm tổng chấm lại không khớp với điểm tiêu chí {entry.code}")
        checked.append(Checked(entry, proposal, gain, others))
    return checked


def measured_gain(baseline: ScoreResult, result: ScoreResult) -> Decimal:
    before, after = baseline.totals.self_, result.totals.self_
    if after.max != before.max:
        raise EngineError("Kế hoạch: một thay đổi làm đổi điểm tối đa áp dụng")
    return (after.points or ZERO) - (before.points or ZERO)


def _moved(baseline: ScoreResult, result: ScoreResult) -> dict[str, Decimal]:
    """The leaves whose points a change moved, with how much."""
    moved = {}
    for old, new in zip(baseline.criteria, result.criteria, strict=True):
        if old.points != new.points:
            moved[old.code] = (new.points or ZERO) - (old.points or ZERO)
    return moved


def _rescore(scorer: Scorer, bundles: list[Bundle], codes: Iterable[str]) -> list[ScoreResult]:
    try:
        return scorer.score_many(bundles)
    except InputError as exc:
        raise EngineError(
            f"Kế hoạch: bộ tài liệu sau thay đổi đề xuất (tiêu chí {', '.join(dict.fromkeys(codes))}) không hợp lệ",
            [p.render() for p in exc.problems],
        ) from exc


def verify_together(
    index: CatalogueIndex,
    bundle: Bundle,
    baseline: ScoreResult,
    scorer: Scorer,
    chosen: Sequence[tuple[LeafEntry, tuple[Change, ...]]],
    expected_gain: Decimal,
) -> ScoreResult:
    """Apply several options' changes to one copy of the bundle and check that the total gains exactly the sum of
    their gains (options on different evidence add up)."""
    changed = bundle
    for entry, changes in chosen:
        changed = apply_changes(changed, entry, changes)
    (result,) = _rescore(scorer, [changed], [entry.code for entry, _ in chosen])
    gain = measured_gain(baseline, result)
    if gain != expected_gain:
        raise EngineError(
            f"Kế hoạch: các thay đổi chọn cùng lúc cho {plain(gain)} điểm, khác tổng {plain(expected_gain)} điểm"
        )
    return result
