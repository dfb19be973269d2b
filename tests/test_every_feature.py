"""A catalogue using every feature of the format — profiles, the statistics source, composite criteria (all_of,
min_of, weighted), bonus and deduction items at criterion, area and total level, ratings, clusters — round-trips
through load → score → explain → report → appraise → rerun, and its results say what they add and take off."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal

import pytest
import yaml
from clirun import run_main

from par_score.io.resources import bundled_dir
from par_score.scoring.result import load_result

D = Decimal
SO = bundled_dir("evidence") / "examples" / "minh-hoa-2026" / "so"


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    out = tmp_path_factory.mktemp("sxd")
    ran = run_main("report", str(SO / "so-xay-dung"), "--out", str(out))
    assert ran.code == 0, ran.text
    return out


def test_the_result_carries_every_part(scored):
    result = load_result(scored / "ket-qua.json")
    t = result.totals
    assert (result.unit.profile, result.unit.cluster) == ("co-tthc", "khoi-co-quan-chuyen-mon")
    assert (t.statistics.points, t.statistics.max) == (D("2.16"), D("2.5"))
    assert t.deducted == D(1) and t.bonus == D(0)
    assert t.index_points == t.self_.points + t.survey.points + t.statistics.points - t.deducted
    assert result.leaf("7.3.2").scale == "composite" and result.leaf("7.4.1").scale == "composite"
    assert result.leaf("1.8.1").status == "missing_evidence" and result.leaf("1.8.1").explanation
    data = json.loads((scored / "ket-qua.json").read_text(encoding="utf-8"))
    assert [i["code"] for i in data["deductions"]] == ["TR1", "TR2", "TR3", "TR4"]
    assert [i["code"] for i in data["bonus"]["items"]] == ["T1", "T2", "T3"]


def test_explain_reads_the_parts_and_the_items_back_from_the_trace(scored):
    ran = run_main("explain", str(scored / "trace.jsonl"), "7.3.3")
    assert ran.code == 0, ran.text
    assert (
        "7.3.3/ho_so.muc-1: cần tỷ lệ hồ sơ có phí, lệ phí được thanh toán trực tuyến ≥ 35 %; thực tế: 31 %" in ran.out
    )
    ran = run_main("explain", str(scored / "ket-qua.json"), "TR4")
    assert "Đã trừ 1 điểm: 5 → 4" in ran.out


def test_the_report_states_the_statistics_part_and_the_deductions(scored):
    text = subprocess.run(
        ["pdftotext", "-layout", str(scored / "bao-cao-tu-cham-diem.pdf"), "-"], capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert "Kính gửi: Sở Nội vụ." in flat
    assert "Phần số liệu thống kê: 2,16/2,5 điểm." in flat
    assert "Điểm trừ: 1 điểm — TR4" in flat and "vào tiêu chí 7.3" in flat
    html = (scored / "bao-cao-tu-cham-diem.html").read_text(encoding="utf-8")
    assert html.count(">Số liệu thống kê</th>") >= 4  # its own columns (maximum, points) in both tables


def test_an_appraisal_recomputes_the_deductions_and_keeps_the_bonus(tmp_path):
    out = tmp_path / "ttr"
    assert run_main("score", str(SO / "thanh-tra-tinh"), "--out", str(out)).code == 0
    before = load_result(out / "ket-qua.json").totals
    appraisal = tmp_path / "tham-dinh.yaml"
    appraisal.write_text(
        yaml.safe_dump(
            {"appraisals": [{"criterion": "3.7.1", "points": 0.5, "appraiser": "Hội đồng thẩm định"}]},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    ran = run_main("appraise", str(out / "ket-qua.json"), str(appraisal))
    assert ran.code == 0, ran.text
    after = load_result(out / "ket-qua-tham-dinh.json").totals
    assert after.self_.points == before.self_.points - D("0.5")
    assert (after.deducted, after.bonus) == (before.deducted, before.bonus)
    assert after.index_pct == D("89.55")  # (51,26 − 0,5 − 0,75) / 57 × 100 + 0,5
    refused = tmp_path / "sai.yaml"
    refused.write_text(
        yaml.safe_dump({"appraisals": [{"criterion": "3.3.1", "points": 1, "appraiser": "Hội đồng"}]}),
        encoding="utf-8",
    )
    ran = run_main("appraise", str(out / "ket-qua.json"), str(refused), "--out", str(tmp_path / "x"))
    assert ran.code == 2 and "không áp dụng đối với loại đơn vị 'khong-tthc'" in ran.err


def test_a_rerun_reproduces_the_result(scored):
    ran = run_main("rerun", str(scored / "manifest.json"))
    assert ran.code == 0, ran.text


def test_the_plan_moves_the_part_of_a_composite_criterion_that_falls_short():
    ran = run_main("plan", str(SO / "so-xay-dung"), "--as-of", "15/10/2026")
    assert ran.code == 0, ran.text
    assert (
        "+1 điểm Tăng tử số thêm 168 (từ 1.302 lên 1.470) trên mẫu số 4.200, để tỷ lệ hồ sơ có phí, lệ phí được "
        "thanh toán trực tuyến ≥ 35 %" in " ".join(ran.out.split())
    )
    assert "do Sở Nội vụ đánh giá, đơn vị không tự chấm" in ran.out
