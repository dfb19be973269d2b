"""Not applicable, missing evidence and zero are three different things; totals follow from the leaves."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from builders import drop_topic, set_metric
from conftest import bundle_from

from par_score.errors import InputError

D = Decimal


def with_na(bundle, code, reason="Trong năm không phát sinh", documents=()):
    result = copy.deepcopy(bundle)
    result["metrics"] = [m for m in result["metrics"] if m["indicator"] not in _indicators_of(code)]
    result.setdefault("not_applicable", []).append({"criterion": code, "reason": reason, "documents": list(documents)})
    return result


def _indicators_of(code):
    return {
        "1.3.2": {"ty_le_van_de_qua_kiem_tra_cchc_da_xu_ly"},
        "3.5.1": {"ty_le_phan_anh_kien_nghi_xu_ly_dung_han"},
        "3.4.2": {"ty_le_ho_so_dung_han_cap_huyen"},
        "1.1.2": {"ty_le_hoan_thanh_ke_hoach_cchc"},
    }[code]


def test_not_applicable_full_earns_the_maximum(score, full_bundle):
    result = score(with_na(full_bundle, "3.5.1", "Trong năm không nhận được phản ánh, kiến nghị nào"))
    leaf = result.leaf("3.5.1")
    assert leaf.status == "not_applicable_full" and leaf.points == leaf.max == 1
    assert leaf.not_applicable_reason == "Trong năm không nhận được phản ánh, kiến nghị nào"
    assert result.totals.self_.points == 62 and result.totals.self_.max == 62


def test_not_applicable_exclude_shrinks_the_applicable_maximum(score, full_bundle):
    result = score(with_na(full_bundle, "3.4.2", "Không còn cấp huyện"))
    leaf = result.leaf("3.4.2")
    assert leaf.status == "not_applicable_excluded" and leaf.points is None and not leaf.applicable
    assert result.totals.self_.max == 61 and result.totals.self_.declared_max == 62
    assert result.totals.self_.points == 61 and result.totals.self_pct == 100
    area3 = next(a for a in result.areas if a.code == "3")
    assert area3.self_max == 11 and area3.pct == 100


def test_not_applicable_percentage_is_taken_over_what_is_left(score, full_bundle):
    bundle = with_na(full_bundle, "3.4.2")
    bundle = set_metric(bundle, "ty_le_hoan_thanh_ke_hoach_cchc", numerator=85, denominator=100)
    totals = score(bundle).totals
    assert totals.self_.points == D("60.5") and totals.self_.max == 61
    assert totals.self_pct == D("99.18")  # 60,5 / 61 = 99,180… %


def test_a_criterion_that_cannot_be_declared_not_applicable_is_refused(score, full_bundle):
    with pytest.raises(InputError) as caught:
        score(with_na(full_bundle, "1.1.2"))
    message = caught.value.render()
    assert "not_applicable #1 (criterion: 1.1.2)" in message and "không được khai báo không phát sinh" in message


def test_missing_evidence_scores_zero_and_asks_for_an_explanation(score, full_bundle):
    bundle = drop_topic(full_bundle, "quy_che_lien_thong_tthc")
    leaf = score(bundle).leaf("3.3.5")
    assert leaf.points == 0 and leaf.status == "missing_evidence"
    assert leaf.status_label == "thiếu tài liệu kiểm chứng — cần giải trình"
    assert leaf.rule.id == "3.3.5/thieu-tlkc"
    assert [f.actual_display for f in leaf.failed_conditions] == ["không có tài liệu kiểm chứng"]
    assert leaf.explanation is None


def test_an_explanation_is_attached_to_its_criterion(score, full_bundle):
    bundle = drop_topic(full_bundle, "quy_che_lien_thong_tthc")
    bundle["explanations"] = [{"criterion": "3.3.5", "text": "Quy chế đang trình UBND tỉnh ký ban hành."}]
    assert score(bundle).leaf("3.3.5").explanation == "Quy chế đang trình UBND tỉnh ký ban hành."


def test_zero_is_different_from_missing(score, full_bundle):
    bundle = set_metric(full_bundle, "ty_le_hoan_thanh_ke_hoach_cchc", numerator=10, denominator=100)
    leaf = score(bundle).leaf("1.1.2")
    assert leaf.status == "zero" and leaf.points == 0
    assert [(f.band, f.condition, f.actual_display) for f in leaf.failed_conditions] == [
        ("1.1.2/muc-1", "tỷ lệ ≥ 100 %", "10 %"),
        ("1.1.2/muc-2", "tỷ lệ ≥ 80 %", "10 %"),
    ]


def test_every_leaf_below_max_says_which_conditions_failed_with_actual_values(score, full_bundle):
    bundle = set_metric(full_bundle, "ty_le_ho_so_dung_han_cap_tinh", numerator=9712, denominator=10000)
    bundle = set_metric(bundle, "so_vu_vi_pham_tuyen_dung_vien_chuc", value=1)
    result = score(drop_topic(bundle, "kien_truc_cqdt"))
    below = [c for c in result.criteria if c.source == "self" and c.applicable and c.points < c.max]
    assert {c.code for c in below} == {"3.4.1", "5.2.2", "7.1.1"}
    for leaf in below:
        assert leaf.failed_conditions, leaf.code
        assert all(f.actual_display for f in leaf.failed_conditions)
    hs = result.leaf("3.4.1")
    assert hs.points == D("0.5") and hs.failed_conditions[0].actual_display == "97,12 %"


def test_full_index_is_an_estimate_when_every_survey_item_has_a_preview(score, full_bundle, catalogue):
    bundle = dict(full_bundle)
    bundle["survey"] = [
        {"item": code, "percent": "80"} for code in ["1.7", "2.6", "3.8", "4.5", "5.8", "6.5", "7.6", "8.1", "8.2"]
    ]
    totals = score(bundle).totals
    assert totals.survey.points == D("30.4") and totals.survey.estimated and not totals.survey.pending
    assert totals.index_points == D("92.4") and totals.index_max == 100
    assert totals.index_pct == D("92.4") and totals.index_estimated


def test_parts_sum_to_tc_area_and_total(score, full_bundle):
    bundle = set_metric(full_bundle, "ty_le_ho_so_thanh_toan_truc_tuyen", percent="27")
    result = score(bundle)
    for area in result.areas:
        leaves = [c for c in result.criteria if c.area == area.code and c.source == "self" and c.applicable]
        assert area.self_points == sum(c.points for c in leaves)
        assert area.self_points == sum(tc.self_points for tc in area.criteria)
    assert result.totals.self_.points == sum(a.self_points for a in result.areas) == D("61.5")


def test_evidence_checks_name_file_record_and_field(score, full_bundle):
    bundle = set_metric(full_bundle, "ty_le_hoan_thanh_ke_hoach_cchc", numerator=12, denominator=10)
    with pytest.raises(InputError) as caught:
        score(bundle)
    message = caught.value.render()
    assert "Tệp 'test.yaml'" in message
    assert "metrics #" in message and "(indicator: ty_le_hoan_thanh_ke_hoach_cchc)" in message
    assert "trường 'numerator'" in message and "lớn hơn mẫu số" in message


@pytest.mark.parametrize(
    "change, field, words",
    [
        (
            lambda b: b["metrics"].append({"indicator": "khong_ton_tai", "value": 1}),
            "indicator",
            "không có trong danh mục",
        ),
        (lambda b: b["metrics"][0].update(denominator=0, numerator=0), "denominator", "mẫu số bằng 0"),
        (
            lambda b: b["documents"][0].update(issue_date=__import__("datetime").date(2021, 5, 1)),
            "issue_date",
            "nằm ngoài",
        ),
        (lambda b: b["documents"].append(dict(b["documents"][0])), "id", "bị trùng"),
        (lambda b: b["metrics"][0].update(documents=["khong-co"]), "documents", "không có trong phần documents"),
        (
            lambda b: b.update(not_applicable=[{"criterion": "9.9.9", "reason": "x"}]),
            "criterion",
            "không có trong danh mục",
        ),
    ],
)
def test_inconsistent_evidence_is_refused(scorer, full_bundle, change, field, words):
    bundle = copy.deepcopy(full_bundle)
    change(bundle)
    with pytest.raises(InputError) as caught:
        scorer.score(bundle_from(bundle))
    message = caught.value.render()
    assert f"trường '{field}'" in message and words in message


def test_a_periodic_report_without_its_period_is_refused_not_silently_dropped(scorer, full_bundle):
    bundle = copy.deepcopy(full_bundle)
    report = next(d for d in bundle["documents"] if d.get("period") == "h1")
    del report["period"]
    with pytest.raises(InputError) as caught:
        scorer.score(bundle_from(bundle))
    message = caught.value.render()
    assert f"(id: {report['id']})" in message and "trường 'period'" in message and "q1, h1" not in message


def test_the_zero_denominator_hint_offers_not_applicable_only_where_the_catalogue_allows_it(scorer, full_bundle):
    allowed = set_metric(
        full_bundle, "ty_le_phan_anh_kien_nghi_xu_ly_dung_han", numerator=0, denominator=0
    )  # 3.5.1: full
    refused = set_metric(full_bundle, "ty_le_ho_so_dung_han_cap_tinh", numerator=0, denominator=0)  # 3.4.1: none
    with pytest.raises(InputError) as first:
        scorer.score(bundle_from(allowed))
    with pytest.raises(InputError) as second:
        scorer.score(bundle_from(refused))
    assert "hãy khai báo not_applicable cho tiêu chí 3.5.1" in first.value.render()
    assert "3.4.1 không được khai báo không phát sinh" in second.value.render()
