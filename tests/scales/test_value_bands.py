"""The value_bands scale kind (par_score.scales.value_bands), scored at and around its thresholds as the reference catalogue
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


# ---- value bands: 8.3.5 PCI change "≥ 0 → 1; > −1 → 0,5; else 0" --------------------------------------------------
@pytest.mark.parametrize(
    "change, points", [("0.01", "1"), ("0", "1"), ("-0.01", "0.5"), ("-0.99", "0.5"), ("-1", "0"), ("-3.2", "0")]
)
def test_value_bands_on_pci_change(score, full_bundle, change, points):
    bundle = set_metric(full_bundle, "thay_doi_diem_pci", value=change)
    assert leaf(score(bundle), "8.3.5").points == D(points)


# ---- plan: the value moved into each better band, on the grid of its decimals (at least 0,01) ----------------------
# The one-leaf declaration: ≥ 0 → 1; > −1 → 0,5.
@pytest.fixture(scope="module")
def one_leaf(tmp_path_factory):
    return one_leaf_catalogue(tmp_path_factory.mktemp("value_bands"), "value_bands")


def test_plan_moves_the_value_just_into_each_better_band(one_leaf):
    data = bundle_for(one_leaf, metrics=[{"indicator": "gia_tri", "value": "-1.5"}])
    proposals = hook_proposals(one_leaf, data, dt.date(2024, 10, 1))
    assert [(p.band, p.points, p.changes[0].after.value) for p in proposals] == [
        ("muc-1", D(1), D(0)),
        ("muc-2", D("0.5"), D("-0.99")),  # "> −1": the next hundredth above it
    ]
    assert [o.text for o in planned(one_leaf, data, dt.date(2024, 10, 1)).options()] == [
        "Nâng giá trị từ -1,5 lên 0, để giá trị ≥ 0, chậm nhất ngày 31/12/2024",
        "Nâng giá trị từ -1,5 lên -0,99, để giá trị > -1, chậm nhất ngày 31/12/2024",
    ]


def test_plan_uses_the_finer_grid_of_a_value_with_more_decimals(one_leaf):
    data = bundle_for(one_leaf, metrics=[{"indicator": "gia_tri", "value": "-1.2345"}])
    proposals = hook_proposals(one_leaf, data, dt.date(2024, 10, 1))
    assert proposals[1].changes[0].after.value == D("-0.9999")


def test_plan_for_a_missing_value_and_at_the_top_band(one_leaf):
    plan = planned(one_leaf, bundle_for(one_leaf), dt.date(2024, 10, 1))
    assert [o.text for o in plan.options()] == [
        "Bổ sung số liệu còn thiếu, đạt giá trị ≥ 0, chậm nhất ngày 31/03/2025",
        "Bổ sung số liệu còn thiếu, đạt giá trị > -1, chậm nhất ngày 31/03/2025",
    ]
    at_top = bundle_for(one_leaf, metrics=[{"indicator": "gia_tri", "value": "0.3"}])
    assert hook_proposals(one_leaf, at_top, dt.date(2024, 10, 1)) == []
