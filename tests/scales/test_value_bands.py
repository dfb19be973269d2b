"""The value_bands scale kind (par_score.scales.value_bands), scored at and around its thresholds as the reference catalogue
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


# ---- value bands: 8.3.5 PCI change "≥ 0 → 1; > −1 → 0,5; else 0" --------------------------------------------------
@pytest.mark.parametrize(
    "change, points", [("0.01", "1"), ("0", "1"), ("-0.01", "0.5"), ("-0.99", "0.5"), ("-1", "0"), ("-3.2", "0")]
)
def test_value_bands_on_pci_change(score, full_bundle, change, points):
    bundle = set_metric(full_bundle, "thay_doi_diem_pci", value=change)
    assert leaf(score(bundle), "8.3.5").points == D(points)
