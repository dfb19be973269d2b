"""The command line end to end: the bundled examples, the JSON it writes, and clean refusals of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from builders import full_marks, write_bundle

from par_score.io.resources import bundled_dir

EXAMPLES = bundled_dir("evidence") / "examples"
TAY_NINH = EXAMPLES / "tay-ninh-2024"
TIEN_GIANG = EXAMPLES / "tien-giang-2024.yaml"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "par_score", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def scored(folder: Path, bundle: Path):
    done = run("score", str(bundle), "--out", str(folder))
    assert done.returncode == 0, done.stderr
    return done, json.loads((folder / "ket-qua.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tay_ninh(tmp_path_factory):
    return scored(tmp_path_factory.mktemp("tay-ninh"), TAY_NINH)


@pytest.fixture(scope="module")
def tien_giang(tmp_path_factory):
    return scored(tmp_path_factory.mktemp("tien-giang"), TIEN_GIANG)


def test_score_prints_the_per_area_table(tay_ninh):
    done, _ = tay_ninh
    assert "Tỉnh Tây Ninh" in done.stdout
    for area in ("Công tác chỉ đạo, điều hành", "Cải cách thể chế", "Cải cách tài chính công"):
        assert area in done.stdout
    assert "chờ Bộ Nội vụ đánh giá" in done.stdout
    assert "Đã ghi:" in done.stdout


def test_result_json_has_91_leaves_self_62_survey_38(tay_ninh):
    _, data = tay_ninh
    assert data["catalogue"]["id"] == "par-tinh-tham-chieu-2024" and len(data["catalogue"]["sha256"]) == 64
    assert data["unit"]["code"] == "tay-ninh" and data["year"] == 2024
    assert len(data["criteria"]) == 91
    assert data["totals"]["self"]["declared_max"] == "62" and data["totals"]["survey"]["max"] == "38"
    assert data["totals"]["survey"]["points"] is None and data["totals"]["index_pct"] is None
    assert len(data["areas"]) == 8


def test_every_self_leaf_has_a_rule_and_every_leaf_below_max_says_why(tay_ninh, tien_giang):
    for _, data in (tay_ninh, tien_giang):
        for leaf in data["criteria"]:
            assert leaf["rule"]["id"].startswith(leaf["code"] + "/") and leaf["status"]
            if leaf["points"] is not None and leaf["applicable"] and Decimal(leaf["points"]) < Decimal(leaf["max"]):
                assert leaf["failed_conditions"], leaf["code"]
                assert all(f["actual_display"] for f in leaf["failed_conditions"])


def test_decimals_are_strings_in_the_json(tay_ninh):
    _, data = tay_ninh
    leaf = data["criteria"][0]
    assert isinstance(leaf["max"], str) and isinstance(leaf["points"], str)
    assert isinstance(data["totals"]["self"]["points"], str)


def test_tien_giang_exercises_every_status_and_an_estimated_index(tien_giang):
    _, data = tien_giang
    statuses = {leaf["status"] for leaf in data["criteria"]}
    assert {
        "not_applicable_full",
        "not_applicable_excluded",
        "missing_evidence",
        "partial",
        "survey_estimated",
    } <= statuses
    assert data["totals"]["index_pct"] is not None and data["totals"]["index_estimated"] is True
    total = Decimal(data["totals"]["self"]["points"]) + Decimal(data["totals"]["survey"]["points"])
    assert Decimal(data["totals"]["index_points"]) == total


def test_explain_prints_a_full_justification(tmp_path):
    done = run("explain", str(TIEN_GIANG), "1.1.1")
    assert done.returncode == 0, done.stderr
    assert "Tiêu chí 1.1.1" in done.stdout and "Luật đã áp dụng: 1.1.1/" in done.stdout
    assert "Giá trị đã đọc" in done.stdout


def test_explain_reads_a_saved_result_without_rescoring(tay_ninh, tmp_path):
    _, data = tay_ninh
    saved = tmp_path / "ket-qua.json"
    saved.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = run("explain", str(saved), "1.2")
    assert done.returncode == 0, done.stderr
    assert "Tiêu chí 1.2.1" in done.stdout


def test_criteria_lists_the_tree_with_maxima():
    done = run("criteria")
    assert done.returncode == 0
    assert "Tổng điểm: 100 (tự đánh giá 62, điều tra 38)" in done.stdout
    assert "8.3.5" in done.stdout and "0,5" in done.stdout


def test_existing_results_are_not_overwritten_without_force(tmp_path, catalogue):
    bundle = write_bundle(full_marks(catalogue), tmp_path / "b.yaml")
    out = tmp_path / "out"
    assert run("score", str(bundle), "--out", str(out)).returncode == 0
    again = run("score", str(bundle), "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr
    assert run("score", str(bundle), "--out", str(out), "--force").returncode == 0


@pytest.mark.parametrize(
    "text, words",
    [
        ("unit: {code: x, name: X, level: tinh}\nyear: '2024'\n", ["trường 'year'", "phải là số nguyên"]),
        (
            "unit: {code: x, name: X, level: tinh}\nyear: 2024\nmetrics:\n  - {indicator: ty_le_hoan_thanh_ke_hoach_cchc, numerator: 9, denominator: 8}\n",
            ["metrics #1 (indicator: ty_le_hoan_thanh_ke_hoach_cchc)", "trường 'numerator'", "lớn hơn mẫu số"],
        ),
        (
            "unit: {code: x, name: X, level: tinh}\nyear: 2024\nmetrics:\n  - {indicator: ty_le_hoan_thanh_ke_hoach_cchc, numerator: abc, denominator: 8}\n",
            ["metrics #1", "trường 'numerator'", "phải là số"],
        ),
        (
            "unit: {code: x, name: X, level: tinh}\nyear: 2024\nnot_applicable:\n  - {criterion: '9.1', reason: x}\n",
            ["not_applicable #1 (criterion: 9.1)", "không có trong danh mục"],
        ),
        (
            "unit: {code: x, name: X, level: tinh}\nyear: 2024\ndocuments:\n  - {id: a, kind: ke_hoach, number: '1/KH', issuer: U, issue_date: 2026-02-01, title: T, topics: [ke_hoach_cchc_nam]}\n",
            ["documents #1 (id: a)", "trường 'issue_date'", "nằm ngoài"],
        ),
    ],
)
def test_invalid_bundles_exit_2_with_a_located_vietnamese_message(tmp_path, text, words):
    path = tmp_path / "sai.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    done = run("score", str(path), "--out", str(out))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "sai.yaml" in done.stderr
    for word in words:
        assert word in done.stderr
    assert not out.exists() or not any(out.iterdir())


def test_usage_errors_and_help_are_in_vietnamese():
    missing = run("score")
    assert missing.returncode == 2 and "Thiếu đối số 'BUNDLE'" in missing.stderr
    typo = run("scor")
    assert typo.returncode == 2 and "Không có lệnh 'scor'" in typo.stderr
    helped = run("--help")
    assert helped.returncode == 0 and "Cách dùng:" in helped.stdout and "Lệnh:" in helped.stdout


def test_a_workbook_inside_a_folder_bundle_is_named_not_silently_ignored(tmp_path, catalogue):
    folder = tmp_path / "bo"
    folder.mkdir()
    whole = full_marks(catalogue)
    write_bundle({k: v for k, v in whole.items() if k != "metrics"}, folder / "bundle.yaml")
    write_bundle({"metrics": whole["metrics"]}, folder / "so-lieu.yaml")  # a part: this folder is one bundle
    (folder / "so-tu-phap.xlsx").write_bytes(b"PK")
    done = run("score", str(folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "so-tu-phap.xlsx" in done.stderr and "par-score merge" in done.stderr
