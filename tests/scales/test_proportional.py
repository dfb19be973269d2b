"""The proportional scale kind (par_score.scales.proportional): max × ratio, capped at max, half up to 0,01."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import bundle_from
from kinds import bundle_for, one_leaf_catalogue

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
