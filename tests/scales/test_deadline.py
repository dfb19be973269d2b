"""The deadline scale kind (par_score.scales.deadline), scored at and around its thresholds as the reference catalogue
states."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

D = Decimal


def leaf(result, code):
    found = result.leaf(code)
    assert found is not None
    return found


# ---- deadline: 1.1.1 "≤ 31/12/(Y−1) → 1; ≤ 31/01/Y → 0,5; else 0" (max 0,5) ---------------------------------------
@pytest.mark.parametrize(
    "issued, points, rule",
    [
        (dt.date(2023, 12, 31), "0.5", "muc-1"),
        (dt.date(2024, 1, 1), "0.25", "muc-2"),
        (dt.date(2024, 1, 31), "0.25", "muc-2"),
        (dt.date(2024, 2, 1), "0", "tre-han"),
    ],
)
def test_deadline_bands(score, full_bundle, issued, points, rule):
    bundle = copy.deepcopy(full_bundle)
    for doc in bundle["documents"]:
        if "ke_hoach_cchc_nam" in doc["topics"]:
            doc["issue_date"] = issued
    result = leaf(score(bundle), "1.1.1")
    assert (result.points, result.rule.id) == (D(points), f"1.1.1/{rule}")


def test_the_earliest_document_on_a_topic_counts(score, full_bundle):
    bundle = copy.deepcopy(full_bundle)
    late = next(d for d in bundle["documents"] if "ke_hoach_cchc_nam" in d["topics"])
    late = {**late, "id": "kh-sua-doi", "issue_date": dt.date(2024, 6, 1)}
    bundle["documents"].append(late)
    assert leaf(score(bundle), "1.1.1").points == D("0.5")
