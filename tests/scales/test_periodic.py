"""The periodic scale kind (par_score.scales.periodic), scored at and around its thresholds as the reference catalogue
states."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from kinds import bundle_for, document, hook_proposals, one_leaf_catalogue, planned, texts

from par_score.scales import SendReport

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


# ---- plan: reports on time while their due date is ahead, late (by the end of the window) once it has passed -------
# The one-leaf declaration: periods h1 (due 12/06) and nam (due 12/12); late fraction 0,5.
@pytest.fixture(scope="module")
def one_leaf(tmp_path_factory):
    return one_leaf_catalogue(tmp_path_factory.mktemp("periodic"), "periodic")


def report(doc_id: str, period: str, issued: str) -> dict:
    return document(doc_id, "bao_cao", issued, period=period)


def test_plan_sends_every_report_on_time_while_it_can(one_leaf):
    data = bundle_for(one_leaf, documents=[report("h1", "h1", "2024-06-20")])  # h1 late, nam missing
    on_time, late = hook_proposals(one_leaf, data, dt.date(2024, 6, 1))
    assert (on_time.band, on_time.points) == ("du-dung-han", D(1))
    assert on_time.changes == (
        SendReport("h1", "6 tháng", dt.date(2024, 6, 12), dt.date(2024, 6, 12)),
        SendReport("nam", "năm", dt.date(2024, 12, 12), dt.date(2024, 12, 12)),
    )
    assert (late.band, late.points) == ("du-tre-han", D("0.5"))
    assert late.changes == (SendReport("nam", "năm", dt.date(2024, 12, 12), dt.date(2024, 12, 12)),)


def test_plan_after_a_due_date_keeps_the_late_band_only(one_leaf):
    data = bundle_for(one_leaf, documents=[report("h1", "h1", "2024-06-20")])
    plan = planned(one_leaf, data, dt.date(2024, 7, 1))
    assert texts(plan) == [
        "Gửi báo cáo năm đúng hạn, chậm nhất ngày 12/12/2024",
        "đã lỡ: Gửi báo cáo 6 tháng đúng hạn, chậm nhất ngày 12/06/2024; Gửi báo cáo năm đúng hạn, chậm nhất ngày "
        "12/12/2024",
    ]


def test_plan_sends_a_missing_report_late_once_its_due_date_has_passed(one_leaf):
    data = bundle_for(one_leaf, documents=[report("h1", "h1", "2024-06-10")])  # h1 on time, nam missing
    plan = planned(one_leaf, data, dt.date(2024, 12, 20))
    assert texts(plan) == [
        "Gửi báo cáo năm (đã quá hạn 12/12/2024, tính là trễ hạn) chậm nhất ngày 31/03/2025",
        "đã lỡ: Gửi báo cáo năm đúng hạn, chậm nhất ngày 12/12/2024",
    ]
    (option,) = plan.options()
    assert option.points_after == D("0.5") and not option.changes[0].on_time


def test_plan_has_nothing_when_every_report_was_on_time(one_leaf):
    data = bundle_for(one_leaf, documents=[report("h1", "h1", "2024-06-10"), report("n", "nam", "2024-12-01")])
    assert hook_proposals(one_leaf, data, dt.date(2024, 6, 1)) == []
