"""Audit trail: manifest and trace beside every run, rerun, tampering detection, appraisal, diff, explain from trace.

Everything runs on a small catalogue and bundle written into a temporary folder, so the expected numbers can be
worked out by hand.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from par_score.audit.appraisal import recompute
from par_score.audit.trace import load_trace
from par_score.cli import main
from par_score.scoring.result import ScoreResult

CATALOGUE = """\
format: par-score/catalogue@1
id: thu-nghiem-2024
version: "1"
title: "Danh mục thử nghiệm"
kind: reference
legal_basis: ["Thử nghiệm"]
evaluation_year: 2024
unit_level: tinh
declared_totals: {self: 5, survey: 3, all: 8}
areas:
  - code: "1"
    name: "Lĩnh vực một"
    agency: "Sở Nội vụ"
    declared_totals: {self: 3, survey: 1, all: 4}
    criteria:
      - code: "1.1"
        name: "Kế hoạch"
        items:
          - code: "1.1.1"
            name: "Có kế hoạch"
            max: 1
            source: self
            input: {document: ke_hoach}
            scale: {type: binary}
          - code: "1.1.2"
            name: "Tỷ lệ hoàn thành kế hoạch"
            max: 1
            source: self
            input: {indicator: ty_le_a}
            scale:
              type: ratio_bands
              bands:
                - {min: 1, fraction: 1}
                - {min: 0.8, fraction: 0.5}
      - code: "1.2"
        name: "Sáng kiến"
        max: 1
        source: self
        input: {indicator: so_sang_kien}
        scale: {type: count, per_item: 0.5}
      - code: "1.3"
        name: "Điều tra một"
        max: 1
        source: survey
        input: {survey: "1.3"}
        scale: {type: survey}
  - code: "2"
    name: "Lĩnh vực hai"
    agency: "Sở Tư pháp"
    declared_totals: {self: 2, survey: 2, all: 4}
    criteria:
      - code: "2.1"
        name: "Tỷ lệ B"
        max: 2
        source: self
        input: {indicator: ty_le_b}
        scale: {type: proportional}
        not_applicable: exclude
      - code: "2.2"
        name: "Điều tra hai"
        max: 2
        source: survey
        input: {survey: "2.2"}
        scale: {type: survey}
"""

HEADER = """\
format: par-score/evidence@1
unit: {code: thu-nghiem, name: "Tỉnh Thử Nghiệm", level: tinh}
year: 2024
catalogue: thu-nghiem-2024
"""

NOI_VU = """\
documents:
  - id: kh-2024
    kind: ke_hoach
    number: "1/KH-UBND"
    issuer: "UBND tỉnh Thử Nghiệm"
    issue_date: 2024-01-05
    title: "Kế hoạch năm 2024"
    topics: [ke_hoach]
    file: {path: files/kh-2024.pdf}
metrics:
  - indicator: ty_le_a
    numerator: 45
    denominator: 50
    documents: [kh-2024]
  - indicator: so_sang_kien
    value: 1
"""

TU_PHAP = """\
not_applicable:
  - criterion: "2.1"
    reason: "Năm 2024 không phát sinh nội dung này"
"""

LEAF_CODES = ["1.1.1", "1.1.2", "1.2", "1.3", "2.1", "2.2"]


@pytest.fixture
def setup(tmp_path):
    """A catalogue file and a folder bundle (three evidence files and one attached document)."""
    catalogue = tmp_path / "danh-muc.yaml"
    catalogue.write_text(CATALOGUE, encoding="utf-8")
    bundle = tmp_path / "bo-bang-chung"
    (bundle / "files").mkdir(parents=True)
    (bundle / "bundle.yaml").write_text(HEADER, encoding="utf-8")
    (bundle / "so-noi-vu.yaml").write_text(NOI_VU, encoding="utf-8")
    (bundle / "so-tu-phap.yaml").write_text(TU_PHAP, encoding="utf-8")
    (bundle / "files" / "kh-2024.pdf").write_bytes(b"%PDF-1.4 ke hoach 2024\n")
    return tmp_path, catalogue, bundle


@pytest.fixture
def par(capsys):
    """Run `par-score ARGS…` in-process through the real entry point: (exit code, stdout, stderr)."""

    def run(*args: object) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as done:
            main([str(a) for a in args])
        captured = capsys.readouterr()
        return done.value.code, captured.out, captured.err

    return run


def score(par, setup, name: str) -> Path:
    root, catalogue, bundle = setup
    out = root / name
    code, _, err = par("score", bundle, "--catalogue", catalogue, "--out", out)
    assert code == 0, err
    return out


def criteria_rows(text: str) -> list[str]:
    """The criterion codes that start the rows of a printed change table (area rows have no dot)."""
    return [line.split()[0] for line in text.splitlines() if re.match(r"^\d+(\.\d+)+\s", line)]


def load(path: Path) -> ScoreResult:
    return ScoreResult.model_validate_json(path.read_text(encoding="utf-8"))


# ---- manifest and trace ------------------------------------------------------------------------------------------
def test_two_runs_are_identical_apart_from_run_id_and_created_at(par, setup):
    one, two = score(par, setup, "lan-1"), score(par, setup, "lan-2")
    assert (one / "ket-qua.json").read_bytes() == (two / "ket-qua.json").read_bytes()
    assert (one / "trace.jsonl").read_bytes() == (two / "trace.jsonl").read_bytes()
    m1 = json.loads((one / "manifest.json").read_text(encoding="utf-8"))
    m2 = json.loads((two / "manifest.json").read_text(encoding="utf-8"))
    assert m1["run_id"] != m2["run_id"]
    assert uuid.UUID(m1["run_id"]).version == 4 and m1["created_at"].endswith("Z")
    text1 = (one / "manifest.json").read_text(encoding="utf-8")
    text2 = (two / "manifest.json").read_text(encoding="utf-8")
    for field in ("run_id", "created_at"):
        text1 = text1.replace(m1[field], "X")
        text2 = text2.replace(m2[field], "X")
    assert text1 == text2
    assert "created_at" not in (one / "ket-qua.json").read_text(encoding="utf-8")


def test_manifest_hashes_every_input_and_output(par, setup):
    root, catalogue, bundle = setup
    out = score(par, setup, "ket-qua")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))

    def sha(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    assert manifest["format"] == "par-score/manifest@1"
    assert manifest["catalogue"] == {
        "id": "thu-nghiem-2024",
        "version": "1",
        "sha256": sha(catalogue),
        "path": str(catalogue.resolve()),
    }
    assert manifest["bundle"]["path"] == str(bundle.resolve())
    assert manifest["evidence"] == [
        {"path": "bundle.yaml", "sha256": sha(bundle / "bundle.yaml"), "kind": "evidence"},
        {"path": "so-noi-vu.yaml", "sha256": sha(bundle / "so-noi-vu.yaml"), "kind": "evidence"},
        {"path": "so-tu-phap.yaml", "sha256": sha(bundle / "so-tu-phap.yaml"), "kind": "evidence"},
        {"path": "files/kh-2024.pdf", "sha256": sha(bundle / "files" / "kh-2024.pdf"), "kind": "attachment"},
    ]
    assert manifest["outputs"] == [
        {"path": "ket-qua.json", "sha256": sha(out / "ket-qua.json")},
        {"path": "trace.jsonl", "sha256": sha(out / "trace.jsonl")},
    ]
    assert manifest["options"] == {"agency": None, "catalogue": str(catalogue), "command": "score"}
    assert set(manifest["versions"]) == {"par_score", "durable_rules", "python"}
    assert manifest["versions"]["durable_rules"] == "2.0.28"


def test_trace_has_one_line_per_leaf_in_catalogue_order(par, setup):
    out = score(par, setup, "ket-qua")
    lines = [json.loads(line) for line in (out / "trace.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["code"] for line in lines] == LEAF_CODES
    first = lines[1]
    assert list(first)[:8] == ["format", "code", "name", "area", "area_name", "tc", "tc_name", "agency"]
    assert first["points"] == "0.5" and first["status"] == "partial"
    assert first["rule"]["id"] == "1.1.2/muc-2"
    assert first["inputs"][0]["value"] == "45/50"
    assert [e["id"] for e in first["evidence"]] == ["kh-2024"]
    assert first["failed_conditions"][0]["band"] == "1.1.2/muc-1"
    assert lines[4]["status"] == "not_applicable_excluded"


def test_explain_from_trace_matches_explain_from_result(par, setup):
    out = score(par, setup, "ket-qua")
    code, from_trace, err = par("explain", out / "trace.jsonl", "1")
    assert code == 0, err
    code, from_result, err = par("explain", out / "ket-qua.json", "1")
    assert code == 0, err
    assert from_trace == from_result
    assert "Tiêu chí 1.1.2" in from_trace and "Lĩnh vực 1. Lĩnh vực một › 1.1. Kế hoạch" in from_trace
    assert [leaf.code for leaf in load_trace(out / "trace.jsonl").criteria] == LEAF_CODES


def test_score_refuses_to_overwrite_a_manifest_without_force(par, setup):
    root, catalogue, bundle = setup
    out = score(par, setup, "ket-qua")
    (out / "ket-qua.json").unlink()
    code, _, err = par("score", bundle, "--catalogue", catalogue, "--out", out)
    assert code == 2 and "manifest.json" in err
    code, _, err = par("score", bundle, "--catalogue", catalogue, "--out", out, "--force")
    assert code == 0, err


# ---- rerun -------------------------------------------------------------------------------------------------------
def test_rerun_of_unchanged_inputs_is_identical(par, setup):
    out = score(par, setup, "ket-qua")
    code, stdout, err = par("rerun", out / "manifest.json")
    assert code == 0, err
    assert "giống hệt" in stdout
    assert "ĐÃ THAY ĐỔI" not in stdout


def test_rerun_names_the_one_tampered_evidence_file_and_the_criterion_it_moved(par, setup):
    _, _, bundle = setup
    out = score(par, setup, "ket-qua")
    path = bundle / "so-noi-vu.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("numerator: 45", "numerator: 50"), encoding="utf-8")
    code, stdout, err = par("rerun", out / "manifest.json")
    assert code == 1, err
    changed = [
        line for line in stdout.splitlines() if "ĐÃ THAY ĐỔI" in line or "KHÔNG CÒN" in line or "TỆP MỚI" in line
    ]
    assert len(changed) == 1 and "'so-noi-vu.yaml'" in changed[0]
    assert "giống hệt" not in stdout
    assert criteria_rows(stdout) == ["1.1.2"]
    assert "45/50 = 90 % → 50/50 = 100 %" in stdout


def test_rerun_detects_a_tampered_attachment_even_when_the_points_do_not_move(par, setup):
    _, _, bundle = setup
    out = score(par, setup, "ket-qua")
    (bundle / "files" / "kh-2024.pdf").write_bytes(b"%PDF-1.4 da bi sua\n")
    code, stdout, _ = par("rerun", out / "manifest.json")
    assert code == 1
    assert "tệp đính kèm 'files/kh-2024.pdf': ĐÃ THAY ĐỔI" in stdout
    assert "giống hệt" in stdout  # the result itself did not change


def test_rerun_names_missing_and_new_evidence_files(par, setup):
    _, _, bundle = setup
    out = score(par, setup, "ket-qua")
    (bundle / "so-tu-phap.yaml").unlink()
    (bundle / "giai-trinh.yaml").write_text(
        'explanations:\n  - criterion: "1.1.2"\n    text: "Giải trình"\n', encoding="utf-8"
    )
    code, stdout, _ = par("rerun", out / "manifest.json")
    assert code == 1
    assert "tệp bằng chứng 'so-tu-phap.yaml': KHÔNG CÒN" in stdout
    assert "tệp bằng chứng 'giai-trinh.yaml': TỆP MỚI" in stdout
    assert criteria_rows(stdout) == ["2.1"]  # the not-applicable declaration went away with the file


def test_rerun_refuses_a_file_that_is_not_a_manifest(par, setup):
    out = score(par, setup, "ket-qua")
    code, _, err = par("rerun", out / "ket-qua.json")
    assert code == 2 and "manifest" in err


# ---- appraisal ---------------------------------------------------------------------------------------------------
APPRAISAL = """\
format: par-score/appraisal@1
unit: thu-nghiem
year: 2024
catalogue: thu-nghiem-2024
council: "Hội đồng thẩm định"
appraisals:
  - criterion: "1.1.1"
    points: 0.5
    appraiser: "Nguyễn Văn A"
    comment: "Kế hoạch thiếu nội dung tuyên truyền"
  - criterion: "1.1.2"
    points: 1
    round: 1
    appraiser: "Nguyễn Văn A"
  - criterion: "1.1.2"
    points: 0.75
    round: 2
    appraiser: "Hội đồng"
    comment: "Vòng 2"
  - criterion: "1.3"
    points: 0.8
    appraiser: "Bộ Nội vụ"
  - criterion: "2.2"
    points: 1.5
    appraiser: "Bộ Nội vụ"
"""


def test_appraisal_changes_the_index_as_computed_by_hand(par, setup):
    root, _, _ = setup
    out = score(par, setup, "ket-qua")
    appraisal = root / "tham-dinh.yaml"
    appraisal.write_text(APPRAISAL, encoding="utf-8")
    code, stdout, err = par("appraise", out / "ket-qua.json", appraisal)
    assert code == 0, err
    final = load(out / "ket-qua-tham-dinh.json")
    # Self: 1.1.1 = 1, 1.1.2 = 45/50 → 0.5, 1.2 = 1 × 0.5 = 0.5, 2.1 excluded: 2 / 3.
    # Final: 0.5 + 0.75 (round 2 over round 1) + 0.5 = 1.75 / 3; survey 0.8 + 1.5 = 2.3 / 3;
    # index 4.05 / 6 = 67.5 %; area 1: 1.75 + 0.8 = 2.55 / 4 = 63.75 %; area 2: 1.5 / 2 = 75 %.
    t = final.totals
    assert t.self_.points == Decimal("1.75") and t.self_.max == Decimal("3")
    assert t.survey.points == Decimal("2.3") and t.survey.pending == []
    assert t.index_points == Decimal("4.05") and t.index_max == Decimal("6")
    assert t.index_pct == Decimal("67.50")
    assert [(a.code, a.points, a.max, a.pct) for a in final.areas] == [
        ("1", Decimal("2.55"), Decimal("4"), Decimal("63.75")),
        ("2", Decimal("1.5"), Decimal("2"), Decimal("75.00")),
    ]
    leaf = final.leaf("1.1.2")
    assert leaf.points == Decimal("0.75") and leaf.status == "partial"
    assert leaf.appraisal.self_points == Decimal("0.5") and leaf.appraisal.appraised_points == Decimal("0.75")
    assert leaf.appraisal.round == 2 and [r.round for r in leaf.appraisal.records] == [1, 2]
    untouched = final.leaf("1.2")
    assert untouched.appraisal.appraised_points is None and untouched.appraisal.final_points == Decimal("0.5")
    assert final.appraisal.self_totals.self_.points == Decimal("2")
    assert final.appraisal.appraised == ["1.1.1", "1.1.2", "1.3", "2.2"]
    assert "67,50 %" in stdout
    # explain shows the appraisal; diff self → appraised lists exactly the criteria the appraisal moved
    code, explained, _ = par("explain", out / "ket-qua-tham-dinh.json", "1.1.2")
    assert code == 0 and "điểm thẩm định 0,75 (vòng 2)" in explained
    code, compared, _ = par("diff", out / "ket-qua.json", out / "ket-qua-tham-dinh.json", "--json", "-")
    data = json.loads(compared)
    assert [c["code"] for c in data["criteria"]] == ["1.1.1", "1.1.2", "1.3", "2.2"]
    assert {c["code"]: c["change"] for c in data["criteria"]}["1.1.2"] == "0.25"
    assert all([r["code"] for r in c["reasons"]] == ["appraisal_changed"] for c in data["criteria"])


def test_recomputing_unchanged_leaves_reproduces_the_scored_totals(par, setup):
    result = load(score(par, setup, "ket-qua") / "ket-qua.json")
    again = recompute(result, result.criteria)
    assert again["areas"] == result.areas and again["totals"] == result.totals


def test_bad_appraisal_records_are_refused_with_file_record_and_field(par, setup):
    root, _, _ = setup
    out = score(par, setup, "ket-qua")
    appraisal = root / "sai.yaml"
    appraisal.write_text(
        """\
year: 2024
appraisals:
  - {criterion: "9.9", points: 1, appraiser: "A"}
  - {criterion: "1.1.2", points: 1.5, appraiser: "A"}
  - {criterion: "2.1", points: 1, appraiser: "A"}
  - {criterion: "1.1", points: 1, appraiser: "A"}
  - {criterion: "1.2", points: 0.5, appraiser: "A", round: 2}
  - {criterion: "1.2", points: 1, appraiser: "B", round: 2}
""",
        encoding="utf-8",
    )
    code, _, err = par("appraise", out / "ket-qua.json", appraisal)
    assert code == 2
    assert "Traceback" not in err
    expected = [
        ("appraisals #1 (criterion: 9.9)", "'criterion'", "không có trong kết quả"),
        ("appraisals #2 (criterion: 1.1.2)", "'points'", "vượt điểm tối đa 1"),
        ("appraisals #3 (criterion: 2.1)", "'criterion'", "không phát sinh"),
        ("appraisals #4 (criterion: 1.1)", "'criterion'", "1.1.1, 1.1.2"),
        ("appraisals #6 (criterion: 1.2)", "'round'", "vòng 2"),
    ]
    problems = [line for line in err.splitlines() if line.startswith("  - ")]
    assert len(problems) == len(expected)
    for (record, field, text), line in zip(expected, problems, strict=False):
        assert str(appraisal) in line and record in line and field in line and text in line
    assert not (out / "ket-qua-tham-dinh.json").exists()


def test_appraisal_structure_errors(par, setup):
    root, _, _ = setup
    out = score(par, setup, "ket-qua")
    appraisal = root / "sai.json"
    appraisal.write_text('{"appraisals": [{"criterion": "1.2", "points": -1, "round": 3}]}', encoding="utf-8")
    code, _, err = par("appraise", out / "ket-qua.json", appraisal)
    assert code == 2
    assert "trường 'points'" in err and "trường 'round'" in err and "trường 'appraiser'" in err


# ---- diff --------------------------------------------------------------------------------------------------------
def _leaf(data: dict, code: str) -> dict:
    return next(c for c in data["criteria"] if c["code"] == code)


def test_diff_of_two_hand_made_results_lists_exactly_the_changed_criteria_and_reasons(par, setup):
    root, _, _ = setup
    out = score(par, setup, "ket-qua")
    a = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    b = copy.deepcopy(a)
    # 1.1.2: a better band from a different figure
    leaf = _leaf(b, "1.1.2")
    leaf.update(points="1", status="full", status_label="đạt điểm tối đa", failed_conditions=[])
    leaf["rule"] = {"id": "1.1.2/muc-1", "label": "Tỷ lệ ≥ 100 %: điểm tối đa", "conditions": "tỷ lệ ≥ 100 %"}
    leaf["inputs"][0].update(value="50/50", display="50/50 = 100 %")
    # 1.1.1: same points, one document replaced by another
    leaf = _leaf(b, "1.1.1")
    leaf["evidence"] = [dict(leaf["evidence"][0], id="kh-2024-moi", number="2/KH-UBND")]
    # 2.1: no longer declared not applicable
    leaf = _leaf(b, "2.1")
    leaf.update(points="2", status="full", status_label="đạt điểm tối đa", applicable=True, not_applicable_reason=None)
    leaf["rule"] = {"id": "2.1/ty-le", "label": "Điểm theo tỷ lệ", "conditions": "có số liệu"}
    leaf["inputs"] = [{"name": "ratio", "label": "tỷ lệ", "value": "10/10", "display": "10/10 = 100 %", "source": ""}]
    # 1.2 only in A, 3.1 only in B
    b["criteria"] = [c for c in b["criteria"] if c["code"] != "1.2"]
    b["criteria"].append(dict(_leaf(a, "1.2"), code="3.1", name="Tiêu chí mới"))
    # area 1 and the self total as the other side recorded them
    b["areas"][0]["points"] = "2.5"
    b["totals"]["self"]["points"] = "5"
    file_a, file_b = root / "a.json", root / "b.json"
    file_a.write_text(json.dumps(a, ensure_ascii=False), encoding="utf-8")
    file_b.write_text(json.dumps(b, ensure_ascii=False), encoding="utf-8")

    code, stdout, err = par("diff", file_a, file_b, "--json", root / "so-sanh.json")
    assert code == 0, err
    data = json.loads((root / "so-sanh.json").read_text(encoding="utf-8"))
    assert data["format"] == "par-score/diff@1" and data["catalogue_changed"] is False
    reasons = {c["code"]: [r["code"] for r in c["reasons"]] for c in data["criteria"]}
    assert reasons == {
        "1.1.1": ["evidence_added", "evidence_removed"],
        "1.1.2": ["band_changed", "inputs_changed"],
        "1.2": ["only_in_a"],
        "2.1": ["not_applicable_changed", "band_changed", "inputs_changed"],
        "3.1": ["only_in_b"],
    }
    changes = {c["code"]: (c["a_points"], c["b_points"], c["change"]) for c in data["criteria"]}
    assert changes == {
        "1.1.1": ("1", "1", "0"),
        "1.1.2": ("0.5", "1", "0.5"),
        "1.2": ("0.5", None, None),
        "2.1": (None, "2", None),
        "3.1": (None, "0.5", None),
    }
    assert [(x["code"], x["change"]) for x in data["areas"]] == [("1", "0.5"), ("2", "0")]
    totals = {x["code"]: x["change"] for x in data["totals"]}
    assert totals == {"self": "3", "survey": None, "index": None}
    # the screen table names the same criteria, in Vietnamese
    assert criteria_rows(stdout) == ["1.1.1", "1.1.2", "1.2", "2.1", "3.1"]
    assert "chỉ có trong A" in stdout and "thêm tài liệu kiểm chứng" in stdout


def test_diff_names_a_catalogue_change(par, setup):
    root, _, _ = setup
    out = score(par, setup, "ket-qua")
    a = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    b = copy.deepcopy(a)
    b["catalogue"].update(version="2", sha256="0" * 64)
    _leaf(b, "1.2")["max"] = "2"
    file_a, file_b = root / "a.json", root / "b.json"
    file_a.write_text(json.dumps(a, ensure_ascii=False), encoding="utf-8")
    file_b.write_text(json.dumps(b, ensure_ascii=False), encoding="utf-8")
    code, stdout, _ = par("diff", file_a, file_b, "--json", "-")
    data = json.loads(stdout)
    assert data["catalogue_changed"] is True
    assert [(c["code"], [r["code"] for r in c["reasons"]]) for c in data["criteria"]] == [
        ("1.2", ["catalogue_changed"])
    ]
    assert "điểm tối đa 1 → 2" in data["criteria"][0]["reasons"][0]["text"]


def test_diff_of_identical_results_lists_nothing(par, setup):
    out = score(par, setup, "ket-qua")
    code, stdout, _ = par("diff", out / "ket-qua.json", out / "ket-qua.json")
    assert code == 0 and "Không có tiêu chí nào thay đổi." in stdout
