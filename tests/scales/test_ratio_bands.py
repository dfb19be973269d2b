"""The ratio_bands scale kind (par_score.scales.ratio_bands), scored at and around its thresholds as the reference catalogue
states."""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import set_metric

D = Decimal


def leaf(result, code):
    found = result.leaf(code)
    assert found is not None
    return found


# ---- ratio bands: "≥ 100 % → 1; ≥ 80 % → 0,5; else 0" (1.1.2, max 1) -----------------------------------------
@pytest.mark.parametrize(
    "numerator, denominator, points, rule",
    [
        (10000, 10000, "1", "muc-1"),
        (9999, 10000, "0.5", "muc-2"),
        (8001, 10000, "0.5", "muc-2"),
        (8000, 10000, "0.5", "muc-2"),  # 80 % itself passes "≥ 80 %"
        (7999, 10000, "0", "khong-dat"),  # 79,99 %
        (0, 10, "0", "khong-dat"),
    ],
)
def test_ratio_bands_at_and_around_80_and_100_percent(score, full_bundle, numerator, denominator, points, rule):
    bundle = set_metric(full_bundle, "ty_le_hoan_thanh_ke_hoach_cchc", numerator=numerator, denominator=denominator)
    result = leaf(score(bundle), "1.1.2")
    assert result.points == D(points)
    assert result.rule.id == f"1.1.2/{rule}"


@pytest.mark.parametrize(
    "percent, points", [("79.99", "0"), ("80", "0.5"), ("80.01", "0.5"), ("99.99", "0.5"), ("100", "1")]
)
def test_ratio_given_as_a_percentage(score, full_bundle, percent, points):
    bundle = set_metric(full_bundle, "ty_le_hoan_thanh_ke_hoach_cchc", percent=percent)
    assert leaf(score(bundle), "1.1.2").points == D(points)


# ---- strict bound: 6.1.1 "> 90 % → 1; ≥ 80 % → 0,5" (max 1,5) ----------------------------------------------------
@pytest.mark.parametrize("percent, points", [("90.01", "1.5"), ("90", "0.75"), ("80", "0.75"), ("79.99", "0")])
def test_strictly_above_90_percent_fails_at_90(score, full_bundle, percent, points):
    bundle = set_metric(full_bundle, "ty_le_giai_ngan_von_dau_tu_cong", percent=percent)
    assert leaf(score(bundle), "6.1.1").points == D(points)


# ---- ratio that may exceed 100 %: 4.2.1 "used ≤ assigned → 1" ----------------------------------------------------
@pytest.mark.parametrize("used, assigned, points", [(1450, 1460, "1"), (1460, 1460, "1"), (1461, 1460, "0")])
def test_staff_used_within_the_assigned_quota(score, full_bundle, used, assigned, points):
    bundle = set_metric(
        full_bundle, "ty_le_bien_che_cong_chuc_su_dung_tren_duoc_giao", numerator=used, denominator=assigned
    )
    assert leaf(score(bundle), "4.2.1").points == D(points)
