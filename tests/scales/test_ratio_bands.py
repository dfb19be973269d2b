"""The ratio_bands scale kind (par_score.scales.ratio_bands), scored at and around its thresholds as the reference catalogue
states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from builders import set_metric
from conftest import bundle_from
from kinds import bundle_for, hook_proposals, one_leaf_catalogue, planned

from par_score.planning import make_plan
from par_score.scales import Figure
from par_score.scoring.pipeline import score_bundle

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


# ---- plan: the smallest whole change of the numerator; or numerator and denominator together; or the percent -------
# The one-leaf declaration: ≥ 100 % → 1; > 80 % → 0,5.
@pytest.fixture(scope="module")
def one_leaf(tmp_path_factory):
    return one_leaf_catalogue(tmp_path_factory.mktemp("ratio_bands"), "ratio_bands")


def figures(proposals):
    return [(p.band, p.points, p.changes[0].how, p.changes[0].after) for p in proposals]


def test_plan_finds_the_smallest_numerator_for_each_better_band(one_leaf):
    data = bundle_for(one_leaf, metrics=[{"indicator": "ty_le", "numerator": 1200, "denominator": 1530}])
    assert figures(hook_proposals(one_leaf, data, dt.date(2024, 10, 1))) == [
        ("muc-1", D(1), "numerator", Figure(numerator=D(1530), denominator=D(1530))),
        # > 80 % of 1 530 is 1 224 exactly, which is not above it: 1 225
        ("muc-2", D("0.5"), "numerator", Figure(numerator=D(1225), denominator=D(1530))),
        # (1 200 + k) / (1 530 + k) > 80 % first holds at k = 121 (k = 120 gives 1 320/1 650 = 80 % exactly)
        ("muc-2", D("0.5"), "both", Figure(numerator=D(1321), denominator=D(1651))),
    ]
    plan = planned(one_leaf, data, dt.date(2024, 10, 1))
    assert [o.text for o in plan.options()] == [
        "Tăng tử số thêm 330 (từ 1.200 lên 1.530) trên mẫu số 1.530, để tỷ lệ ≥ 100 %, chậm nhất ngày 31/12/2024",
        "Tăng tử số thêm 25 (từ 1.200 lên 1.225) trên mẫu số 1.530, để tỷ lệ > 80 %, chậm nhất ngày 31/12/2024",
    ]
    assert [c.text for c in plan.options()[1].alternatives[0]] == [
        "Tăng cả tử số và mẫu số thêm 121 (thành 1.321/1.651), để tỷ lệ > 80 %, chậm nhất ngày 31/12/2024"
    ]


def test_plan_moves_a_percent_on_its_own_grid(one_leaf):
    data = bundle_for(one_leaf, metrics=[{"indicator": "ty_le", "percent": "79.995"}])
    assert figures(hook_proposals(one_leaf, data, dt.date(2024, 10, 1))) == [
        ("muc-1", D(1), "percent", Figure(percent=D(100))),
        ("muc-2", D("0.5"), "percent", Figure(percent=D("80.001"))),
    ]


def test_plan_for_a_missing_figure_reports_what_each_band_needs(one_leaf):
    plan = planned(one_leaf, bundle_for(one_leaf), dt.date(2025, 2, 1))  # the year is over; the window is not
    assert [o.text for o in plan.options()] == [
        "Bổ sung số liệu còn thiếu, đạt tỷ lệ ≥ 100 %, chậm nhất ngày 31/03/2025",
        "Bổ sung số liệu còn thiếu, đạt tỷ lệ > 80 %, chậm nhất ngày 31/03/2025",
    ]


def test_plan_after_the_year_cannot_move_a_figure_any_more(one_leaf):
    data = bundle_for(one_leaf, metrics=[{"indicator": "ty_le", "numerator": 1200, "denominator": 1530}])
    plan = planned(one_leaf, data, dt.date(2025, 1, 1))
    assert plan.options() == []
    assert [m.reason for m in plan.agencies[0].leaves[0].missed] == ["đã quá hạn ngày 31/12/2024"] * 2


def test_plan_has_nothing_at_the_top_band(one_leaf):
    data = bundle_for(one_leaf, metrics=[{"indicator": "ty_le", "numerator": 7, "denominator": 7}])
    assert hook_proposals(one_leaf, data, dt.date(2024, 10, 1)) == []


def test_plan_on_the_reference_catalogue_lowers_a_ratio_that_must_stay_at_most_one(catalogue, full_bundle):
    """4.2.1: staff used ≤ staff assigned → 1 point; 1 461 used of 1 460 needs one fewer."""
    data = set_metric(full_bundle, "ty_le_bien_che_cong_chuc_su_dung_tren_duoc_giao", numerator=1461, denominator=1460)
    run = score_bundle(bundle_from(data), catalogue)
    plan = make_plan(run, as_of=dt.date(2024, 9, 1))
    (option,) = plan.options()
    assert option.leaf == "4.2.1" and option.gain == D(1)
    assert option.text.startswith("Giảm số biên chế sử dụng bớt 1 (từ 1.461 xuống 1.460) trên 1.460")
