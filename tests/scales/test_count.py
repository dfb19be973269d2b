"""The count scale kind (par_score.scales.count), scored at and around its thresholds as the reference catalogue
states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from builders import set_metric
from kinds import bundle_for, hook_proposals, one_leaf_catalogue, planned

D = Decimal


def leaf(result, code):
    found = result.leaf(code)
    assert found is not None
    return found


# ---- count: 1.5.1 "0,5 per initiative, capped at 1" ---------------------------------------------------------------
@pytest.mark.parametrize("count, points", [(0, "0"), (1, "0.5"), (2, "1"), (7, "1")])
def test_count_scale(score, full_bundle, count, points):
    bundle = set_metric(full_bundle, "so_sang_kien_cchc_duoc_cong_nhan", value=count)
    assert leaf(score(bundle), "1.5.1").points == D(points)


# ---- plan: one more case, and as many as full marks need ------------------------------------------------------------
# The one-leaf declaration: 0,5 per case, max 1 (two cases give full marks).
@pytest.fixture(scope="module")
def one_leaf(tmp_path_factory):
    return one_leaf_catalogue(tmp_path_factory.mktemp("count"), "count")


def test_plan_adds_one_case_and_the_cases_full_marks_need(one_leaf):
    data = bundle_for(one_leaf, metrics=[{"indicator": "so_luong", "value": 0}])
    proposals = hook_proposals(one_leaf, data, dt.date(2024, 10, 1))
    assert [(p.points, p.changes[0].after.value) for p in proposals] == [(D(1), D(2)), (D("0.5"), D(1))]
    assert [o.text for o in planned(one_leaf, data, dt.date(2024, 10, 1)).options()] == [
        "Thêm 2 trường hợp (từ 0 lên 2), để số lượng ≥ 2, chậm nhất ngày 31/12/2024",
        "Thêm 1 trường hợp (từ 0 lên 1), để số lượng ≥ 1, chậm nhất ngày 31/12/2024",
    ]


def test_plan_one_case_short_of_full_marks(one_leaf):
    data = bundle_for(one_leaf, metrics=[{"indicator": "so_luong", "value": 1}])
    (proposal,) = hook_proposals(one_leaf, data, dt.date(2024, 10, 1))
    assert proposal.points == D(1) and proposal.changes[0].after.value == D(2)


def test_plan_for_a_missing_count_and_at_full_marks(one_leaf):
    plan = planned(one_leaf, bundle_for(one_leaf), dt.date(2024, 10, 1))
    assert [o.text for o in plan.options()][0] == (
        "Bổ sung số liệu còn thiếu: 2 trường hợp (số lượng ≥ 2), chậm nhất ngày 31/03/2025"
    )
    full = bundle_for(one_leaf, metrics=[{"indicator": "so_luong", "value": 5}])
    assert hook_proposals(one_leaf, full, dt.date(2024, 10, 1)) == []
