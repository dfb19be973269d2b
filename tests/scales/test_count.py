"""The count scale kind (par_score.scales.count), scored at and around its thresholds as the reference catalogue
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


# ---- count: 1.5.1 "0,5 per initiative, capped at 1" ---------------------------------------------------------------
@pytest.mark.parametrize("count, points", [(0, "0"), (1, "0.5"), (2, "1"), (7, "1")])
def test_count_scale(score, full_bundle, count, points):
    bundle = set_metric(full_bundle, "so_sang_kien_cchc_duoc_cong_nhan", value=count)
    assert leaf(score(bundle), "1.5.1").points == D(points)
