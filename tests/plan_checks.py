"""Checks every plan must pass, made independently of the planner: each option (and each alternative, and each
missed band) is rebuilt from the plan's JSON data, applied to the evidence and re-scored on its own."""

from __future__ import annotations

from par_score.numbers import ZERO
from par_score.planning.apply import apply_changes, change_from
from par_score.planning.model import ChangeOut, Plan
from par_score.scoring.pipeline import Run
from par_score.scoring.scorer import Scorer
from par_score.vocabulary import Source


def _apply(run: Run, leaf: str, changes: list[ChangeOut]):
    return apply_changes(run.bundle, run.catalogue.by_code[leaf], [change_from(c) for c in changes])


def check_plan(run: Run, plan: Plan) -> None:
    scorer = Scorer(run.catalogue)
    base = scorer.score(run.bundle)
    before = base.totals.self_.points or ZERO
    at_max = {leaf.code for leaf in base.criteria if leaf.points is not None and leaf.points >= leaf.max}
    survey = {leaf.code for leaf in base.criteria if leaf.source == Source.SURVEY}
    planned = [leaf for agency in plan.agencies for leaf in agency.leaves]
    assert not {leaf.code for leaf in planned} & (at_max | survey), "a leaf at its maximum (or a survey item) planned"
    trials = []  # (leaf, promised points, promised gain, changed bundle)
    for leaf in planned:
        for option in leaf.options:
            assert option.gain > 0 and option.points_after > leaf.points
            assert option.deadline >= plan.as_of, f"{option.id}: deadline {option.deadline} before {plan.as_of}"
            for changes in (option.changes, *option.alternatives):
                assert all(change.by >= plan.as_of for change in changes), option.id
                trials.append((leaf.code, option.points_after, option.gain, _apply(run, leaf.code, changes)))
        for missed in leaf.missed:
            assert missed.deadline < plan.as_of or missed.reason, missed
            trials.append((leaf.code, missed.points_after, missed.gain, _apply(run, leaf.code, missed.changes)))
    results = scorer.score_many([bundle for *_, bundle in trials]) if trials else []
    for (code, points, gain, _), result in zip(trials, results, strict=True):
        assert result.leaf(code).points == points, (code, points, result.leaf(code).points)
        assert (result.totals.self_.points or ZERO) - before == gain, (code, gain)
    assert plan.current.points == before
    target = plan.target
    if target is not None and target.reachable and target.selected and plan.agency is None:
        options = {o.id: o for o in plan.options()}
        changed = run.bundle
        for option_id in target.selected:
            option = options[option_id] if option_id in options else None
            assert option is not None, f"{option_id} selected but not shown"
            changed = apply_changes(
                changed, run.catalogue.by_code[option.leaf], [change_from(c) for c in option.changes]
            )
        after = scorer.score(changed).totals.self_.points
        assert after == target.after.points and after >= target.points
