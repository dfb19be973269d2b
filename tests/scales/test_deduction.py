"""The deduction scale kind (par_score.scales.deduction), scored at and around its thresholds as the reference catalogue
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


# ---- deduction: 5.2.1 "0,75 − 0,25 per violation, floor 0"; 5.3.1 "1 − 0,5 per violation" -------------------------
@pytest.mark.parametrize("count, points", [(0, "0.75"), (1, "0.5"), (2, "0.25"), (3, "0"), (4, "0")])
def test_deduction_scale(score, full_bundle, count, points):
    bundle = set_metric(full_bundle, "so_vu_vi_pham_tuyen_dung_cong_chuc", value=count)
    assert leaf(score(bundle), "5.2.1").points == D(points)


@pytest.mark.parametrize("count, points", [(0, "1"), (1, "0.5"), (2, "0"), (3, "0")])
def test_deduction_of_half_a_point(score, full_bundle, count, points):
    bundle = set_metric(full_bundle, "so_vu_vi_pham_bo_nhiem_lanh_dao", value=count)
    assert leaf(score(bundle), "5.3.1").points == D(points)


# ---- plan: violations found cannot be undone; a missing figure can still be given ----------------------------------
# The one-leaf declaration: 1 point, 0,25 off per violation.
@pytest.fixture(scope="module")
def one_leaf(tmp_path_factory):
    return one_leaf_catalogue(tmp_path_factory.mktemp("deduction"), "deduction")


def test_plan_never_proposes_undoing_violations_already_found(one_leaf):
    data = bundle_for(one_leaf, metrics=[{"indicator": "so_vi_pham", "value": 2}])
    (proposal,) = hook_proposals(one_leaf, data, dt.date(2024, 3, 1))
    assert proposal.blocked and proposal.points == D(1)
    plan = planned(one_leaf, data, dt.date(2024, 3, 1))
    assert plan.options() == []
    (missed,) = plan.agencies[0].leaves[0].missed
    assert missed.gain == D("0.5")
    assert missed.reason == "vi phạm đã bị phát hiện không giảm được bằng bổ sung tài liệu"
    assert missed.text == "Không để phát sinh 2 trường hợp (từ 2 xuống 0)"


def test_plan_for_a_missing_count_of_violations(one_leaf):
    plan = planned(one_leaf, bundle_for(one_leaf), dt.date(2024, 10, 1))
    assert [o.text for o in plan.options()] == [
        "Bổ sung số liệu còn thiếu: 0 trường hợp (số lượng = 0), chậm nhất ngày 31/03/2025"
    ]
    none_found = bundle_for(one_leaf, metrics=[{"indicator": "so_vi_pham", "value": 0}])
    assert hook_proposals(one_leaf, none_found, dt.date(2024, 10, 1)) == []
