"""The binary scale kind (par_score.scales.binary), scored at and around its thresholds as the reference catalogue
states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from builders import drop_topic
from kinds import bundle_for, document, hook_proposals, one_leaf_catalogue, planned, texts

from par_score.scales import IssueDocument

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


# ---- plan: the document a leaf lacks, issued within the evaluation year ------------------------------------------
@pytest.fixture(scope="module")
def one_leaf(tmp_path_factory):
    return one_leaf_catalogue(tmp_path_factory.mktemp("binary"), "binary")


def test_plan_issues_the_missing_document_by_the_end_of_the_year(one_leaf):
    data = bundle_for(one_leaf)
    (proposal,) = hook_proposals(one_leaf, data, dt.date(2024, 10, 1))
    assert proposal.points == D(1) and proposal.changes == (IssueDocument(dt.date(2024, 12, 31)),)
    assert texts(planned(one_leaf, data, dt.date(2024, 10, 1))) == ["Ban hành văn bản chậm nhất ngày 31/12/2024"]


def test_plan_after_the_year_lists_the_document_as_missed(one_leaf):
    plan = planned(one_leaf, bundle_for(one_leaf), dt.date(2025, 1, 2))
    assert plan.options() == []
    assert texts(plan) == ["đã lỡ: Ban hành văn bản chậm nhất ngày 31/12/2024"]


def test_plan_has_nothing_for_a_leaf_with_its_document(one_leaf):
    data = bundle_for(one_leaf, documents=[document("qc", "quy_che", "2024-05-02")])
    assert hook_proposals(one_leaf, data, dt.date(2024, 6, 1)) == []
    assert planned(one_leaf, data, dt.date(2024, 6, 1)).agencies == []
