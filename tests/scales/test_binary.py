"""The binary scale kind (par_score.scales.binary), scored at and around its thresholds as the reference catalogue
states."""

from __future__ import annotations

from decimal import Decimal

from builders import drop_topic

D = Decimal


def leaf(result, code):
    found = result.leaf(code)
    assert found is not None
    return found


# ---- binary -------------------------------------------------------------------------------------------------------
def test_binary_document_present_or_missing(score, full_bundle):
    assert leaf(score(full_bundle), "1.6.1").points == D("0.5")
    missing = leaf(score(drop_topic(full_bundle, "quy_dinh_thi_dua_cchc")), "1.6.1")
    assert (missing.points, missing.status) == (0, "missing_evidence")
