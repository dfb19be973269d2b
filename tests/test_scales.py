"""Every scale type, scored at and around each of its thresholds, exactly as the reference catalogue states."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from builders import drop_topic, set_metric

D = Decimal


def leaf(result, code):
    found = result.leaf(code)
    assert found is not None
    return found


# ---- ratio bands: "≥ 100 % → 1; ≥ 80 % → 0,5; else 0" (1.1.2, max 1) -----------------------------------------
@pytest.mark.parametrize(
    "numerator, denominator, points, rule",
    [
        (10000, 10000, "1", "muc-1"),
        (9999, 10000, "0.5", "muc-2"),
        (8001, 10000, "0.5", "muc-2"),
        (8000, 10000, "0.5", "muc-2"),  # 80 % itself passes "≥ 80 %"
        (7999, 10000, "0", "khong-dat"),  # 79,99 %
        (0, 10, "0", "khong-dat"),
    ],
)
def test_ratio_bands_at_and_around_80_and_100_percent(score, full_bundle, numerator, denominator, points, rule):
    bundle = set_metric(full_bundle, "ty_le_hoan_thanh_ke_hoach_cchc", numerator=numerator, denominator=denominator)
    result = leaf(score(bundle), "1.1.2")
    assert result.points == D(points)
    assert result.rule.id == f"1.1.2/{rule}"


@pytest.mark.parametrize(
    "percent, points", [("79.99", "0"), ("80", "0.5"), ("80.01", "0.5"), ("99.99", "0.5"), ("100", "1")]
)
def test_ratio_given_as_a_percentage(score, full_bundle, percent, points):
    bundle = set_metric(full_bundle, "ty_le_hoan_thanh_ke_hoach_cchc", percent=percent)
    assert leaf(score(bundle), "1.1.2").points == D(points)


# ---- strict bound: 6.1.1 "> 90 % → 1; ≥ 80 % → 0,5" (max 1,5) ----------------------------------------------------
@pytest.mark.parametrize("percent, points", [("90.01", "1.5"), ("90", "0.75"), ("80", "0.75"), ("79.99", "0")])
def test_strictly_above_90_percent_fails_at_90(score, full_bundle, percent, points):
    bundle = set_metric(full_bundle, "ty_le_giai_ngan_von_dau_tu_cong", percent=percent)
    assert leaf(score(bundle), "6.1.1").points == D(points)


# ---- ratio that may exceed 100 %: 4.2.1 "used ≤ assigned → 1" ----------------------------------------------------
@pytest.mark.parametrize("used, assigned, points", [(1450, 1460, "1"), (1460, 1460, "1"), (1461, 1460, "0")])
def test_staff_used_within_the_assigned_quota(score, full_bundle, used, assigned, points):
    bundle = set_metric(
        full_bundle, "ty_le_bien_che_cong_chuc_su_dung_tren_duoc_giao", numerator=used, denominator=assigned
    )
    assert leaf(score(bundle), "4.2.1").points == D(points)


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


# ---- binary -------------------------------------------------------------------------------------------------------
def test_binary_document_present_or_missing(score, full_bundle):
    assert leaf(score(full_bundle), "1.6.1").points == D("0.5")
    missing = leaf(score(drop_topic(full_bundle, "quy_dinh_thi_dua_cchc")), "1.6.1")
    assert (missing.points, missing.status) == (0, "missing_evidence")


# ---- count: 1.5.1 "0,5 per initiative, capped at 1" ---------------------------------------------------------------
@pytest.mark.parametrize("count, points", [(0, "0"), (1, "0.5"), (2, "1"), (7, "1")])
def test_count_scale(score, full_bundle, count, points):
    bundle = set_metric(full_bundle, "so_sang_kien_cchc_duoc_cong_nhan", value=count)
    assert leaf(score(bundle), "1.5.1").points == D(points)


# ---- deduction: 5.2.1 "0,75 − 0,25 per violation, floor 0"; 5.3.1 "1 − 0,5 per violation" -------------------------
@pytest.mark.parametrize("count, points", [(0, "0.75"), (1, "0.5"), (2, "0.25"), (3, "0"), (4, "0")])
def test_deduction_scale(score, full_bundle, count, points):
    bundle = set_metric(full_bundle, "so_vu_vi_pham_tuyen_dung_cong_chuc", value=count)
    assert leaf(score(bundle), "5.2.1").points == D(points)


@pytest.mark.parametrize("count, points", [(0, "1"), (1, "0.5"), (2, "0"), (3, "0")])
def test_deduction_of_half_a_point(score, full_bundle, count, points):
    bundle = set_metric(full_bundle, "so_vu_vi_pham_bo_nhiem_lanh_dao", value=count)
    assert leaf(score(bundle), "5.3.1").points == D(points)


# ---- value bands: 8.3.5 PCI change "≥ 0 → 1; > −1 → 0,5; else 0" --------------------------------------------------
@pytest.mark.parametrize(
    "change, points", [("0.01", "1"), ("0", "1"), ("-0.01", "0.5"), ("-0.99", "0.5"), ("-1", "0"), ("-3.2", "0")]
)
def test_value_bands_on_pci_change(score, full_bundle, change, points):
    bundle = set_metric(full_bundle, "thay_doi_diem_pci", value=change)
    assert leaf(score(bundle), "8.3.5").points == D(points)


# ---- survey: never self-scored; a preview value is an estimate -----------------------------------------------------
def test_survey_items_wait_for_bnv_without_preview_values(score, full_bundle):
    result = score(full_bundle)
    sipas = leaf(result, "8.1")
    assert sipas.points is None and sipas.status == "survey_pending"
    assert sipas.status_label == "chờ Bộ Nội vụ đánh giá"
    assert result.totals.self_.points == 62 and result.totals.self_.max == 62
    assert result.totals.index_pct is None


@pytest.mark.parametrize(
    "percent, points", [("83.94", "8.39"), ("91.17", "9.12"), ("91.15", "9.12"), ("91.149", "9.11"), ("100", "10")]
)
def test_sipas_preview_is_max_times_percent_rounded_half_up(score, full_bundle, percent, points):
    bundle = {**full_bundle, "survey": [{"item": "8.1", "percent": percent}]}
    sipas = leaf(score(bundle), "8.1")
    assert sipas.points == D(points) and sipas.status == "survey_estimated" and sipas.estimated


def test_survey_answers_are_weighted_100_60_20_0(score, full_bundle):
    bundle = {**full_bundle, "survey": [{"item": "8.2", "answers": {"A": 50, "B": 30, "C": 15, "D": 5}}]}
    # (50×1 + 30×0,6 + 15×0,2 + 5×0) / 100 = 71 % → 6 × 0,71 = 4,26
    assert leaf(score(bundle), "8.2").points == D("4.26")


def test_a_periodic_report_sent_after_its_due_date_is_late_even_if_issued_on_time(score, full_bundle):
    bundle = copy.deepcopy(full_bundle)
    report = next(d for d in bundle["documents"] if d.get("period") == "q3")
    report["sent_date"] = dt.date(2024, 9, 13)  # issued 10/09, sent the day after the 12/09 deadline
    result = leaf(score(bundle), "1.2.1")
    assert (result.points, result.rule.id) == (D("0.5"), "1.2.1/du-tre-han")
    assert any("gửi ngày 13/09/2024" in i.display for i in result.inputs)
