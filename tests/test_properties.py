"""Invariants that hold for any evidence: bounds, exact sums, order independence, monotonicity."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

from builders import full_marks
from conftest import bundle_from
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from par_score.catalogue import load_catalogue
from par_score.scoring.scorer import Scorer

CATALOGUE = load_catalogue()
SCORER = Scorer(CATALOGUE)
BASE = full_marks(CATALOGUE)
INDICATORS = [m["indicator"] for m in BASE["metrics"]]
SCALE_OF = {e.input_key[1]: e.leaf.scale.type for e in CATALOGUE.leaves}
MAY_EXCEED = {e.input_key[1] for e in CATALOGUE.leaves if getattr(e.leaf.input, "ratio_may_exceed_one", False)}
SURVEY_ITEMS = [e.code for e in CATALOGUE.leaves if e.leaf.source == "survey"]
NA_ALLOWED = [e for e in CATALOGUE.leaves if e.leaf.not_applicable != "none"]


@st.composite
def metric_values(draw, indicator):
    kind = SCALE_OF[indicator]
    if kind in ("count", "deduction"):
        return {"value": draw(st.integers(0, 12))}
    if kind == "value_bands":
        return {"value": str(draw(st.decimals(-5, 5, places=2, allow_nan=False)))}
    denominator = draw(st.integers(1, 5000))
    top = denominator * 2 if indicator in MAY_EXCEED else denominator
    return {"numerator": draw(st.integers(0, top)), "denominator": denominator}


@st.composite
def bundles(draw):
    bundle = copy.deepcopy(BASE)
    keep_docs = draw(st.lists(st.booleans(), min_size=len(bundle["documents"]), max_size=len(bundle["documents"])))
    bundle["documents"] = [d for d, keep in zip(bundle["documents"], keep_docs, strict=False) if keep]
    for doc in bundle["documents"]:
        doc["issue_date"] = dt.date(2023, 11, 1) + dt.timedelta(days=draw(st.integers(0, 400)))
    metrics = []
    na = []
    na_codes = {e.input_key[1]: e.code for e in NA_ALLOWED}
    for indicator in INDICATORS:
        choice = draw(st.sampled_from(["value", "value", "value", "missing", "na"]))
        if choice == "value":
            metrics.append({"indicator": indicator, **draw(metric_values(indicator))})
        elif choice == "na" and indicator in na_codes:
            na.append({"criterion": na_codes[indicator], "reason": "Không phát sinh"})
    bundle["metrics"] = metrics
    bundle["not_applicable"] = na
    chosen = draw(st.lists(st.sampled_from(SURVEY_ITEMS), unique=True))
    bundle["survey"] = [
        {"item": code, "percent": str(draw(st.decimals(0, 100, places=2, allow_nan=False)))} for code in chosen
    ]
    return bundle


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(bundles())
def test_points_stay_between_zero_and_max_and_parts_sum_exactly(bundle):
    result = SCORER.score(bundle_from(bundle))
    for leaf in result.criteria:
        if leaf.points is not None:
            assert Decimal(0) <= leaf.points <= leaf.max, leaf.code
    for area in result.areas:
        leaves = [c for c in result.criteria if c.area == area.code]
        assert area.self_points == sum((c.points for c in leaves if c.source == "self" and c.applicable), Decimal(0))
        assert area.self_points == sum((tc.self_points for tc in area.criteria), Decimal(0))
        assert area.self_max <= area.declared_max
    totals = result.totals
    assert totals.self_.points == sum((a.self_points for a in result.areas), Decimal(0))
    assert totals.self_.max == sum((a.self_max for a in result.areas), Decimal(0))
    assert Decimal(0) <= totals.self_.points <= totals.self_.max <= 62
    if totals.index_pct is not None:
        assert Decimal(0) <= totals.index_pct <= 100


@FAST
@given(bundles(), st.randoms(use_true_random=False))
def test_evidence_order_never_changes_a_result(bundle, rnd):
    shuffled = copy.deepcopy(bundle)
    for section in ("documents", "metrics", "not_applicable", "survey"):
        rnd.shuffle(shuffled[section])
    assert SCORER.score(bundle_from(bundle)).to_json() == SCORER.score(bundle_from(shuffled)).to_json()


@FAST
@given(bundles())
def test_adding_a_satisfying_document_never_lowers_a_score(bundle):
    before = SCORER.score(bundle_from(bundle))
    richer = copy.deepcopy(bundle)
    existing = {d["id"] for d in richer["documents"]}
    for doc in BASE["documents"]:
        if doc["id"] not in existing:
            richer["documents"].append(copy.deepcopy(doc))
        else:
            extra = copy.deepcopy(doc)
            extra["id"] = doc["id"] + "-bo-sung"
            richer["documents"].append(extra)
    after = SCORER.score(bundle_from(richer))
    for old, new in zip(before.criteria, after.criteria, strict=False):
        if old.points is not None and new.points is not None:
            assert new.points >= old.points, old.code
    assert after.totals.self_.points >= before.totals.self_.points


def test_same_inputs_give_byte_identical_results():
    bundle = bundle_from(BASE)
    assert SCORER.score(bundle).to_json() == Scorer(load_catalogue()).score(bundle).to_json()
