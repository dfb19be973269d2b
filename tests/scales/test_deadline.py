"""The deadline scale kind (par_score.scales.deadline), scored at and around its thresholds as the reference catalogue
states."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from kinds import bundle_for, document, hook_proposals, one_leaf_catalogue, planned, texts

from par_score.scales import IssueDocument

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


# ---- plan: each better band's date; a date already past is missed, never proposed ---------------------------------
# The one-leaf declaration: by 31/12 of the year before → full marks; by 31/01 → half.
@pytest.fixture(scope="module")
def one_leaf(tmp_path_factory):
    return one_leaf_catalogue(tmp_path_factory.mktemp("deadline"), "deadline")


def test_plan_proposes_each_better_band_by_its_date(one_leaf):
    data = bundle_for(one_leaf, documents=[document("kh", "ke_hoach", "2024-03-01")])
    proposals = hook_proposals(one_leaf, data, dt.date(2023, 12, 1))
    assert [(p.band, p.points, p.changes) for p in proposals] == [
        ("muc-1", D(1), (IssueDocument(dt.date(2023, 12, 31)),)),
        ("muc-2", D("0.5"), (IssueDocument(dt.date(2024, 1, 31)),)),
    ]
    assert texts(planned(one_leaf, data, dt.date(2023, 12, 1))) == [
        "Ban hành Kế hoạch chậm nhất ngày 31/12/2023 (văn bản hiện có ngày 01/03/2024)",
        "Ban hành Kế hoạch chậm nhất ngày 31/01/2024 (văn bản hiện có ngày 01/03/2024)",
    ]


@pytest.mark.parametrize(
    "as_of, options, missed",
    [
        ("2024-01-10", ["muc-2"], ["muc-1"]),
        ("2024-01-31", ["muc-2"], ["muc-1"]),  # the deadline day itself is still on time
        ("2024-02-01", [], ["muc-1", "muc-2"]),
    ],
)
def test_plan_never_proposes_a_date_already_past(one_leaf, as_of, options, missed):
    data = bundle_for(one_leaf, documents=[document("kh", "ke_hoach", "2024-03-01")])
    plan = planned(one_leaf, data, dt.date.fromisoformat(as_of))
    (leaf,) = plan.agencies[0].leaves
    assert [o.band for o in leaf.options] == options
    assert [m.band_label.startswith("Ban hành đến hết ngày") for m in leaf.missed] == [True] * len(missed)
    assert all(m.reason.startswith("đã quá hạn ngày") for m in leaf.missed)


def test_plan_for_a_missing_plan_document(one_leaf):
    plan = planned(one_leaf, bundle_for(one_leaf), dt.date(2024, 1, 5))
    assert texts(plan) == [
        "Ban hành văn bản chậm nhất ngày 31/01/2024",  # the declaration names no kind of document
        "đã lỡ: Ban hành văn bản chậm nhất ngày 31/12/2023",
    ]


def test_plan_has_nothing_for_a_plan_issued_on_time(one_leaf):
    data = bundle_for(one_leaf, documents=[document("kh", "ke_hoach", "2023-12-20")])
    assert hook_proposals(one_leaf, data, dt.date(2023, 12, 1)) == []
