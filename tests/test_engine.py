"""durable-rules is used with care: facts not events, no Decimal inside, no swallowed exception, no silent pick."""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import set_metric
from conftest import bundle_from

from par_score.errors import EngineError
from par_score.scoring import engine as engine_module
from par_score.scoring import scorer as scoring_module
from par_score.scoring.compile import compile_catalogue
from par_score.scoring.engine import RuleEngine, _fact
from par_score.scoring.evaluator import evaluate
from par_score.scoring.facts import build_facts


def test_only_the_engine_module_imports_durable_rules():
    import pathlib
    import re

    package = pathlib.Path(engine_module.__file__).parent
    pattern = re.compile(r"^\s*(import durable|from durable)", re.MULTILINE)
    importers = sorted(
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    )
    assert importers == ["engine.py"]


def test_facts_handed_to_the_engine_hold_no_decimal_and_no_float(catalogue, full_bundle):
    facts = build_facts(
        catalogue, bundle_from(set_metric(full_bundle, "ty_le_hoan_thanh_ke_hoach_cchc", numerator=2, denominator=3))
    )
    for leaf_facts in facts:
        for value in _fact("sid", leaf_facts).values():
            assert type(value) in (int, str), (leaf_facts.code, value)


def test_engine_and_evaluator_pick_the_same_band_for_every_leaf(catalogue, full_bundle):
    rules = compile_catalogue(catalogue)
    facts = build_facts(catalogue, bundle_from(full_bundle))
    fired = RuleEngine(rules).fire([facts])[0]
    for leaf_rules, leaf_facts in zip(rules, facts, strict=False):
        assert fired[leaf_rules.code] == [evaluate(leaf_rules, leaf_facts).band.key]


def test_scaled_integers_keep_comparisons_exact_at_the_threshold(catalogue, full_bundle):
    # 2/3 against "≥ 66,6667 %" style thresholds is where floats go wrong; the engine sees floor/ceil integers.
    facts = build_facts(
        catalogue, bundle_from(set_metric(full_bundle, "ty_le_hoan_thanh_ke_hoach_cchc", numerator=4, denominator=5))
    )
    leaf = next(f for f in facts if f.code == "1.1.2")
    fact = _fact("s", leaf)
    assert fact["ratio_lo"] == fact["ratio_hi"] == 800000


def test_an_exception_inside_an_action_surfaces_as_an_error(catalogue, full_bundle, monkeypatch):
    rules = compile_catalogue(catalogue)
    facts = build_facts(catalogue, bundle_from(full_bundle))

    def broken(band, record):
        def action(c):
            raise RuntimeError("hỏng")

        return action

    monkeypatch.setattr(RuleEngine, "_action", staticmethod(broken))
    with pytest.raises(EngineError) as caught:
        RuleEngine(rules).fire([facts])
    assert "hỏng" in str(caught.value)


def test_a_disagreement_between_engine_and_evaluator_is_an_error_never_a_silent_pick(scorer, full_bundle, monkeypatch):
    real = scoring_module.evaluate

    def skewed(rules, facts):
        result = real(rules, facts)
        if rules.code == "1.1.2":
            other = next(b for b in rules.bands if b.key != result.band.key and b.is_value_band)
            return type(result)(band=other, points=result.points, failed=result.failed)
        return result

    monkeypatch.setattr(scoring_module, "evaluate", skewed)
    with pytest.raises(EngineError) as caught:
        scorer.score(bundle_from(full_bundle))
    assert "1.1.2" in str(caught.value)


def test_each_run_uses_a_fresh_host_a_fresh_ruleset_and_a_unique_session_per_bundle(
    catalogue, full_bundle, monkeypatch
):
    hosts, rulesets, sessions = [], [], []
    real_set, real_assert = engine_module._QuietHost.set_rulesets, engine_module._QuietHost.assert_facts

    def spy_set(self, definitions):
        hosts.append(id(self))
        rulesets.extend(definitions)
        return real_set(self, definitions)

    def spy_assert(self, ruleset, facts):
        sessions.append({f["sid"] for f in facts})
        return real_assert(self, ruleset, facts)

    monkeypatch.setattr(engine_module._QuietHost, "set_rulesets", spy_set)
    monkeypatch.setattr(engine_module._QuietHost, "assert_facts", spy_assert)
    rules = compile_catalogue(catalogue)
    facts = build_facts(catalogue, bundle_from(full_bundle))
    first = RuleEngine(rules).fire([facts, facts])
    second = RuleEngine(rules).fire([facts])
    assert first[0] == first[1] == second[0]
    assert len(hosts) == 2 and len(set(rulesets)) == 2  # one host and one uniquely named ruleset per run
    assert all(len(s) == 1 for s in sessions)  # every bundle's facts share one session…
    assert len({next(iter(s)) for s in sessions}) == 3  # …and no two bundles share a session


def test_batch_scoring_equals_one_by_one(scorer, full_bundle):
    a = bundle_from(full_bundle)
    b = bundle_from(set_metric(full_bundle, "thay_doi_diem_pci", value="-0.5"))
    together = scorer.score_many([a, b])
    assert [r.to_json() for r in together] == [scorer.score(a).to_json(), scorer.score(b).to_json()]
    assert together[1].leaf("8.3.5").points == Decimal("0.5")
