"""The deduction scale kind (par_score.scales.deduction), scored at and around its thresholds as the reference catalogue
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


# ---- deduction: 5.2.1 "0,75 − 0,25 per violation, floor 0"; 5.3.1 "1 − 0,5 per violation" -------------------------
@pytest.mark.parametrize("count, points", [(0, "0.75"), (1, "0.5"), (2, "0.25"), (3, "0"), (4, "0")])
def test_deduction_scale(score, full_bundle, count, points):
    bundle = set_metric(full_bundle, "so_vu_vi_pham_tuyen_dung_cong_chuc", value=count)
    assert leaf(score(bundle), "5.2.1").points == D(points)


@pytest.mark.parametrize("count, points", [(0, "1"), (1, "0.5"), (2, "0"), (3, "0")])
def test_deduction_of_half_a_point(score, full_bundle, count, points):
    bundle = set_metric(full_bundle, "so_vu_vi_pham_bo_nhiem_lanh_dao", value=count)
    assert leaf(score(bundle), "5.3.1").points == D(points)
