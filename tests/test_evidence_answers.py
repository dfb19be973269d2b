"""Evidence as people write it, in YAML: numbers typed as text, percentages typed as fractions, decimal counts, the
three answers (không phát sinh, không đạt, thiếu tài liệu), located messages with the expected form."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
from builders import drop_topic, full_marks, set_metric, write_bundle
from clirun import run_main

from par_score.audit.trace import trace_text
from par_score.errors import InputError
from par_score.evidence import load_bundle
from par_score.outputs.terminal.tables import explain_leaf, score_table

RATIO = "ty_le_hoan_thanh_ke_hoach_cchc"  # 1.1.2: ≥ 100 % → 1; ≥ 80 % → 0,5


@pytest.fixture
def base(catalogue):
    return full_marks(catalogue)


def scored(scorer, tmp_path: Path, data: dict, **kwargs):
    return scorer.score(load_bundle(write_bundle(data, tmp_path / "bundle.yaml"), lenient=True), **kwargs)


def refused(scorer, tmp_path: Path, data: dict) -> list[str]:
    with pytest.raises(InputError) as caught:
        scored(scorer, tmp_path, data)
    return [p.render() for p in caught.value.problems]


def metric_of(bundle, indicator):
    return next(m for m in bundle.metrics if m.indicator == indicator)


# ---- numbers typed as text ----------------------------------------------------------------------------------------
def test_quoted_numbers_are_read_the_vietnamese_way(scorer, tmp_path, base):
    data = set_metric(base, RATIO, numerator="10.120", denominator="10 240")
    data = set_metric(data, "ty_le_hoan_thanh_ke_hoach_tuyen_truyen", percent="97,5")
    bundle = load_bundle(write_bundle(data, tmp_path / "bundle.yaml"))
    assert (metric_of(bundle, RATIO).numerator, metric_of(bundle, RATIO).denominator) == (10120, 10240)
    assert metric_of(bundle, "ty_le_hoan_thanh_ke_hoach_tuyen_truyen").percent == Decimal("97.5")
    result = scored(scorer, tmp_path, data)
    assert result.leaf("1.1.2").inputs[0].display == "10.120/10.240 ≈ 98,8281 %"


def test_a_quoted_number_that_reads_two_ways_is_refused_with_both_readings(scorer, tmp_path, base):
    problems = refused(scorer, tmp_path, set_metric(base, RATIO, numerator="10,000", denominator=10000))
    assert any(
        f"indicator: {RATIO}), trường 'numerator': '10,000' đọc được hai cách: 10 (dấu ',' là dấu thập phân) hoặc "
        "10000 (dấu ',' phân cách hàng nghìn); không đoán — hãy viết 10 hoặc 10000" in p
        for p in problems
    )


def test_a_percent_sign_is_read_in_a_percentage_and_refused_elsewhere(scorer, tmp_path, base):
    data = set_metric(base, RATIO, percent="85%")
    assert metric_of(load_bundle(write_bundle(data, tmp_path / "bundle.yaml")), RATIO).percent == 85
    problems = refused(scorer, tmp_path, set_metric(base, RATIO, numerator="85%", denominator=100))
    assert any("trường 'numerator': '85%': dấu % chỉ dùng cho tỷ lệ phần trăm" in p for p in problems)


@pytest.mark.parametrize("fraction", [Decimal("0.85"), "0,85", 1])
def test_a_fraction_typed_as_a_percentage_is_refused(scorer, tmp_path, base, fraction):
    problems = refused(scorer, tmp_path, set_metric(base, RATIO, percent=fraction))
    shown = "1" if fraction == 1 else "0,85"
    assert any(
        f"trường 'percent': tỷ lệ {shown} đọc được hai cách" in p
        and "tỷ lệ (%) (percent) nhập phần trăm" in p
        and f"hãy ghi kèm dấu %: '{shown} %'" in p
        for p in problems
    ), problems


def test_a_small_percentage_is_accepted_when_its_unit_is_written(scorer, tmp_path, base):
    data = set_metric(base, "ty_le_giam_chi_nsnn_truc_tiep_cho_dvsncl", percent="0,8 %")  # 6.3.2: > 0 % → 0,5
    result = scored(scorer, tmp_path, data)
    assert result.leaf("6.3.2").points == Decimal("0.5") and result.leaf("6.3.2").inputs[0].display == "0,8 %"


def test_a_decimal_count_is_refused_and_an_amount_is_not(scorer, tmp_path, base):
    problems = refused(scorer, tmp_path, set_metric(base, RATIO, numerator="10,12", denominator=12))
    assert any(
        f"trường 'numerator': tử số (numerator) phải là số nguyên (đang là 10,12): chỉ số '{RATIO}' đếm số lượng" in p
        for p in problems
    ), problems
    amount = set_metric(base, "ty_le_giai_ngan_von_dau_tu_cong", numerator="6.158,25", denominator="6.842,5")
    assert scored(scorer, tmp_path, amount).leaf("6.1.1").points == Decimal("0.75")  # exactly 90 %: not > 90 %


def test_a_wrong_id_shows_the_form_an_example_and_a_suggestion(scorer, tmp_path, base):
    data = copy.deepcopy(base)
    data["documents"][0]["id"] = "KH số 12/KH-UBND"
    problems = refused(scorer, tmp_path, data)
    assert any(
        "trường 'id': 'KH số 12/KH-UBND' sai định dạng: cần chữ cái không dấu, chữ số và các dấu - _ . (không dấu "
        "cách, không dấu /), bắt đầu bằng chữ hoặc số; vd. kh-cchc-2024; gợi ý: kh-so-12-kh-ubnd" in p
        for p in problems
    ), problems


def test_every_pattern_of_every_model_has_an_expected_form_and_an_example():
    from par_score.audit.appraisal import AppraisalFile
    from par_score.audit.manifest import RunManifest
    from par_score.catalogue.model import Catalogue
    from par_score.evidence.model import Bundle, BundlePart
    from par_score.io.formats import FORMATS

    def patterns(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                yield node["pattern"]
            for value in node.values():
                yield from patterns(value)
        elif isinstance(node, list):
            for value in node:
                yield from patterns(value)

    found = set()
    for model in (BundlePart, Bundle, Catalogue, AppraisalFile, RunManifest):
        found |= set(patterns(model.model_json_schema()))
    assert found and found <= set(FORMATS), found - set(FORMATS)


# ---- three answers ------------------------------------------------------------------------------------------------
def test_a_document_declared_not_issued_scores_zero_as_not_achieved(scorer, tmp_path, base):
    data = drop_topic(base, "quy_dinh_thi_dua_cchc")  # 1.6.1, binary
    missing = scored(scorer, tmp_path, data).leaf("1.6.1")
    data["not_achieved"] = [{"topic": "quy_dinh_thi_dua_cchc", "note": "Chưa ban hành; đưa vào kế hoạch 2025"}]
    result = scored(scorer, tmp_path, data)
    leaf = result.leaf("1.6.1")
    assert (missing.status, leaf.status) == ("missing_evidence", "not_achieved")
    assert leaf.points == 0 and leaf.rule.id == "1.6.1/khai-bao-khong-dat"
    assert leaf.status_label == "không đạt — đơn vị khai báo chưa thực hiện"
    assert leaf.inputs[0].display == "Chưa ban hành; đưa vào kế hoạch 2025"
    text = explain_leaf(result, leaf)
    assert "Điểm: 0 / 0,5 — không đạt — đơn vị khai báo chưa thực hiện" in text
    assert "khai báo không đạt: Chưa ban hành" in text and "Giải trình: chưa có" not in text
    assert '"status":"not_achieved"' in trace_text(result)
    assert "không đạt — đơn vị khai báo chưa thực hiện: 1" in score_table(result)


def test_a_periodic_report_declared_not_sent(scorer, tmp_path, base):
    data = copy.deepcopy(base)
    data["documents"] = [d for d in data["documents"] if d.get("period") != "q3"]
    data["not_achieved"] = [{"topic": "bao_cao_cchc", "period": "q3"}]
    leaf = scored(scorer, tmp_path, data).leaf("1.2.1")
    assert (leaf.status, leaf.points) == ("zero", 0)
    assert any(v.name == "ky_q3" and v.display.startswith("khai báo không gửi báo cáo") for v in leaf.inputs)
    none = copy.deepcopy(base)
    none["documents"] = [d for d in none["documents"] if "bao_cao_cchc" not in d["topics"]]
    none["not_achieved"] = [{"topic": "bao_cao_cchc"}]  # no period: no report of the year
    assert scored(scorer, tmp_path, none).leaf("1.2.1").status == "not_achieved"
    none["not_achieved"] = [{"topic": "bao_cao_cchc", "period": "q1"}]  # the other periods: no evidence at all
    assert scored(scorer, tmp_path, none).leaf("1.2.1").status == "missing_evidence"


@pytest.mark.parametrize(
    "declaration, words",
    [
        ({"topic": "quy_dinh_thi_dua_cchc"}, "vừa khai báo không đạt vừa có văn bản ('vb-1-6-1')"),
        ({"topic": "bao_cao_cchc", "period": "q1"}, "vừa khai báo không đạt vừa có báo cáo kỳ 'q1' ('bc-q1')"),
        ({"topic": "chu_de_khong_co"}, "chủ đề 'chu_de_khong_co' không có trong danh mục"),
        ({"topic": "quy_dinh_thi_dua_cchc", "period": "q1"}, "không phải báo cáo định kỳ"),
    ],
)
def test_a_declaration_that_contradicts_the_evidence_is_refused(scorer, tmp_path, base, declaration, words):
    data = copy.deepcopy(base)
    data["not_achieved"] = [declaration]
    problems = refused(scorer, tmp_path, data)
    assert any("not_achieved #1" in p and words in p for p in problems), problems


# ---- warnings -----------------------------------------------------------------------------------------------------
def test_a_figure_far_from_last_years_is_a_warning_not_an_error(scorer, tmp_path, base):
    data = set_metric(base, RATIO, numerator=45, denominator=100, last_year="92 %")
    result = scored(scorer, tmp_path, data)
    assert result.leaf("1.1.2").points == 0
    (warning,) = result.warnings
    assert warning.file == "bundle.yaml" and warning.field == "last_year" and "metrics #" in warning.record
    assert "tỷ lệ năm nay 45 % khác xa năm trước 92 % (chênh 47 điểm phần trăm" in warning.message
    assert "Cảnh báo (1)" in score_table(result)
    near = set_metric(base, RATIO, numerator=95, denominator=100, last_year=92)
    assert scored(scorer, tmp_path, near).warnings == []
    assert '"warnings"' not in scored(scorer, tmp_path, near).to_json()  # a result without them keeps its shape


def test_the_cli_reports_every_problem_of_a_yaml_file_with_its_field(tmp_path, base):
    data = set_metric(base, RATIO, numerator="1.234", denominator=2000)
    ran = run_main("score", str(write_bundle(data, tmp_path / "bundle.yaml")), "--out", str(tmp_path / "kq"))
    assert ran.code == 2 and "'1.234' đọc được hai cách: 1234" in ran.err and "hãy viết 1234 hoặc 1,2340" in ran.err
