"""The proportional scale kind (par_score.scales.proportional): max × ratio, capped at max, half up to 0,01."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import bundle_from
from kinds import bundle_for, hook_proposals, one_leaf_catalogue, planned

from par_score.scoring.scorer import Scorer

D = Decimal


@pytest.mark.parametrize(
    "numerator, denominator, points, rule",
    [
        (100, 100, "2", "du"),
        (1, 3, "0.67", "ty-le"),  # 2 × 0,3333… = 0,6666… → 0,67
        (1, 8, "0.25", "ty-le"),  # 2 × 0,125 = 0,25 exactly
        (1, 400, "0.01", "ty-le"),  # 0,005 rounds half up
        (0, 5, "0", "ty-le"),
    ],
)
def test_points_are_max_times_the_ratio_rounded_half_up(tmp_path, numerator, denominator, points, rule):
    index = one_leaf_catalogue(tmp_path, "proportional")
    metric = {"indicator": "ty_le_thuan", "numerator": numerator, "denominator": denominator}
    leaf = Scorer(index).score(bundle_from(bundle_for(index, metrics=[metric]))).leaf("1.1")
    assert (leaf.points, leaf.rule.id) == (D(points), f"1.1/{rule}")


def test_a_full_percentage_earns_the_maximum(tmp_path):
    index = one_leaf_catalogue(tmp_path, "proportional")
    metric = {"indicator": "ty_le_thuan", "percent": "100"}
    leaf = Scorer(index).score(bundle_from(bundle_for(index, metrics=[metric]))).leaf("1.1")
    assert leaf.points == 2 and leaf.status == "full"


def test_a_partial_ratio_explains_the_band_it_missed(tmp_path):
    index = one_leaf_catalogue(tmp_path, "proportional")
    metric = {"indicator": "ty_le_thuan", "numerator": 3, "denominator": 4}
    leaf = Scorer(index).score(bundle_from(bundle_for(index, metrics=[metric]))).leaf("1.1")
    assert leaf.points == D("1.5") and leaf.status == "partial"
    assert [(f.condition, f.actual_display) for f in leaf.failed_conditions] == [("tỷ lệ ≥ 100 %", "75 %")]


# ---- plan: 100 % (full marks) and the next multiple of 10 % --------------------------------------------------------
@pytest.fixture(scope="module")
def one_leaf(tmp_path_factory):
    return one_leaf_catalogue(tmp_path_factory.mktemp("proportional"), "proportional")


def test_plan_offers_full_marks_and_the_next_ten_percent(one_leaf):
    data = bundle_for(one_leaf, metrics=[{"indicator": "ty_le_thuan", "numerator": 17, "denominator": 20}])
    proposals = hook_proposals(one_leaf, data, dt.date(2024, 10, 1))
    assert [(p.points, p.changes[0].how, p.changes[0].after.numerator) for p in proposals] == [
        (D(2), "numerator", D(20)),
        (D("1.80"), "numerator", D(18)),
        (D("1.80"), "both", D(27)),  # 27/30 = 90 %
    ]
    plan = planned(one_leaf, data, dt.date(2024, 10, 1))
    assert [(o.gain, o.size) for o in plan.options()] == [(D("0.3"), 1), (D("0.1"), 1)]


def test_plan_skips_a_milestone_that_gains_nothing_after_rounding(one_leaf):
    data = bundle_for(one_leaf, metrics=[{"indicator": "ty_le_thuan", "percent": "89.9999"}])  # 1,80 already
    assert [p.points for p in hook_proposals(one_leaf, data, dt.date(2024, 10, 1))] == [D(2)]


def test_plan_for_a_missing_ratio_and_at_full_marks(one_leaf):
    plan = planned(one_leaf, bundle_for(one_leaf), dt.date(2024, 10, 1))
    assert [o.text for o in plan.options()] == [
        "Bổ sung số liệu còn thiếu, đạt tỷ lệ ≥ 100 %, chậm nhất ngày 31/03/2025"
    ]
    full = bundle_for(one_leaf, metrics=[{"indicator": "ty_le_thuan", "numerator": 20, "denominator": 20}])
    assert hook_proposals(one_leaf, full, dt.date(2024, 10, 1)) == []
