"""The periodic scale kind (par_score.scales.periodic), scored at and around its thresholds as the reference catalogue
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


# ---- periodic reports: 1.2.1 ----------------------------------------------------------------------------------------
def _reports(bundle, **dates):
    bundle = copy.deepcopy(bundle)
    for doc in list(bundle["documents"]):
        if doc.get("period") in dates:
            if dates[doc["period"]] is None:
                bundle["documents"].remove(doc)
            else:
                doc["issue_date"] = dates[doc["period"]]
    return bundle


@pytest.mark.parametrize(
    "dates, points, rule",
    [
        ({}, "1", "du-dung-han"),
        ({"h1": dt.date(2024, 6, 12)}, "1", "du-dung-han"),  # on the due date itself
        ({"h1": dt.date(2024, 6, 13)}, "0.5", "du-tre-han"),
        ({"nam": None}, "0", "thieu-ky"),
    ],
)
def test_periodic_reports(score, full_bundle, dates, points, rule):
    result = leaf(score(_reports(full_bundle, **dates)), "1.2.1")
    assert (result.points, result.rule.id) == (D(points), f"1.2.1/{rule}")


def test_periodic_reports_all_missing_is_missing_evidence(score, full_bundle):
    result = leaf(score(_reports(full_bundle, q1=None, h1=None, q3=None, nam=None)), "1.2.1")
    assert result.status == "missing_evidence" and result.points == 0


def test_a_periodic_report_sent_after_its_due_date_is_late_even_if_issued_on_time(score, full_bundle):
    bundle = copy.deepcopy(full_bundle)
    report = next(d for d in bundle["documents"] if d.get("period") == "q3")
    report["sent_date"] = dt.date(2024, 9, 13)  # issued 10/09, sent the day after the 12/09 deadline
    result = leaf(score(bundle), "1.2.1")
    assert (result.points, result.rule.id) == (D("0.5"), "1.2.1/du-tre-han")
    assert any("gửi ngày 13/09/2024" in i.display for i in result.inputs)
