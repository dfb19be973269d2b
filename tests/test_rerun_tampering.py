"""`rerun` fails (exit 1) on every tampered, missing or added output, with the very list that decides it; a manifest
naming files outside the run folder or the bundle is refused (exit 2) before anything is hashed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from test_audit import par, score, setup  # noqa: F401 - the audit tests' small catalogue, bundle and CLI runner

PDF = "bao-cao-tu-cham-diem.pdf"
HTML = "bao-cao-tu-cham-diem.html"


@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> Path:
    """One `report` run (PDF and HTML) of the audit tests' bundle, copied afresh for each test."""
    from test_audit import CATALOGUE, HEADER, NOI_VU, TU_PHAP

    from par_score.cli import main

    root = tmp_path_factory.mktemp("report")
    (root / "danh-muc.yaml").write_text(CATALOGUE, encoding="utf-8")
    bundle = root / "bo-bang-chung"
    (bundle / "files").mkdir(parents=True)
    (bundle / "bundle.yaml").write_text(HEADER, encoding="utf-8")
    (bundle / "so-noi-vu.yaml").write_text(NOI_VU, encoding="utf-8")
    (bundle / "so-tu-phap.yaml").write_text(TU_PHAP, encoding="utf-8")
    (bundle / "files" / "kh-2024.pdf").write_bytes(b"%PDF-1.4 ke hoach 2024\n")
    with pytest.raises(SystemExit) as done:
        main(["report", str(bundle), "--catalogue", str(root / "danh-muc.yaml"), "--out", str(root / "kq")])
    assert done.value.code == 0
    return root / "kq"


@pytest.fixture
def run_folder(reported, tmp_path) -> Path:
    # The manifest records paths relative to the run folder: copy the run with its bundle and catalogue beside it.
    copy = tmp_path / "lan-cham"
    shutil.copytree(reported.parent, copy)
    return copy / "kq"


def _rerun(par, folder: Path) -> tuple[int, str, str]:  # noqa: F811
    return par("rerun", folder / "manifest.json")


def _failed(code: int, stdout: str, line: str) -> None:
    assert code == 1, stdout
    assert line in stdout, stdout
    assert "Kết luận: KHÔNG tái lập được" in stdout and "Kết luận: tái lập được" not in stdout


def test_an_untouched_report_run_reruns_identically(par, run_folder):  # noqa: F811
    code, stdout, err = _rerun(par, run_folder)
    assert code == 0, stdout + err
    assert "Kết luận: tái lập được" in stdout


@pytest.mark.parametrize(
    "name, tamper, line",
    [
        (PDF, lambda p: p.write_bytes(p.read_bytes() + b"\n"), f"tệp kết quả '{PDF}': ĐÃ THAY ĐỔI"),
        (HTML, lambda p: p.write_text(p.read_text(encoding="utf-8") + " ", encoding="utf-8"), f"'{HTML}': ĐÃ THAY ĐỔI"),
        (
            "trace.jsonl",
            lambda p: p.write_text(
                p.read_text(encoding="utf-8").replace("Có kế hoạch", "Có kế hoach"), encoding="utf-8"
            ),
            "tệp kết quả 'trace.jsonl': ĐÃ THAY ĐỔI",
        ),
        ("ket-qua.json", lambda p: p.unlink(), "tệp kết quả 'ket-qua.json': KHÔNG CÒN"),
        (
            "ket-qua.json",
            lambda p: p.write_bytes(p.read_bytes().replace("Lĩnh vực một".encode(), b"L\xffnh v\xfdc m\xf4t", 1)),
            "tệp kết quả 'ket-qua.json': ĐÃ THAY ĐỔI",
        ),
    ],
    ids=["pdf-byte-appended", "html-edited", "trace-edited", "result-deleted", "result-not-utf8"],
)
def test_a_tampered_output_fails_the_rerun(par, run_folder, name, tamper, line):  # noqa: F811
    tamper(run_folder / name)
    code, stdout, err = _rerun(par, run_folder)
    _failed(code, stdout, line)
    assert "Traceback" not in err


def test_a_result_that_cannot_be_read_back_is_said_so(par, run_folder):  # noqa: F811
    (run_folder / "ket-qua.json").write_bytes(b"\xff\xfe not a result")
    code, stdout, _ = _rerun(par, run_folder)
    _failed(code, stdout, "không so sánh được từng tiêu chí — tệp kết quả đã ghi không còn đọc được")


def test_no_result_and_no_trace_left_fails_instead_of_erring(par, run_folder):  # noqa: F811
    (run_folder / "ket-qua.json").unlink()
    (run_folder / "trace.jsonl").unlink()
    code, stdout, _ = _rerun(par, run_folder)
    _failed(code, stdout, "không còn tệp kết quả (ket-qua.json) hay nhật ký (trace.jsonl)")


def test_an_output_listed_but_never_written_fails(par, run_folder):  # noqa: F811
    manifest = json.loads((run_folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"].append({"path": "bao-cao-khac.pdf", "sha256": "0" * 64})
    (run_folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, stdout, _ = _rerun(par, run_folder)
    _failed(code, stdout, "tệp kết quả 'bao-cao-khac.pdf': KHÔNG CÒN")


def test_a_file_added_beside_the_outputs_fails(par, run_folder):  # noqa: F811
    shutil.copy(run_folder / PDF, run_folder / "bao-cao-cu.pdf")
    code, stdout, _ = _rerun(par, run_folder)
    _failed(code, stdout, "tệp kết quả 'bao-cao-cu.pdf': TỆP MỚI")


def test_an_appraised_result_beside_the_run_is_not_an_extra_output(par, run_folder):  # noqa: F811
    (run_folder / "ket-qua-tham-dinh.json").write_text("{}", encoding="utf-8")
    code, stdout, _ = _rerun(par, run_folder)
    assert code == 0, stdout


# ---- hostile manifests -----------------------------------------------------------------------------------------------
def _secret(tmp_path: Path) -> tuple[Path, str]:
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("mật khẩu", encoding="utf-8")
    return secret, hashlib.sha256(secret.read_bytes()).hexdigest()


def _edit(folder: Path, change) -> None:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("how", ["dot-dot", "absolute", "symlink"])
def test_a_manifest_naming_an_output_outside_the_run_folder_is_refused_unhashed(par, run_folder, tmp_path, how):  # noqa: F811
    secret, digest = _secret(tmp_path)
    if how == "dot-dot":
        path = os.path.relpath(secret, run_folder)
    elif how == "absolute":
        path = str(secret)
    else:
        (run_folder / "lien-ket.txt").symlink_to(secret)
        path = "lien-ket.txt"
    _edit(run_folder, lambda m: m["outputs"].append({"path": path, "sha256": "0" * 64}))
    code, stdout, err = _rerun(par, run_folder)
    assert code == 2, stdout + err
    assert "nằm ngoài thư mục của manifest" in err and "outputs[" in err
    assert digest[:12] not in stdout + err and "ĐÃ THAY ĐỔI" not in stdout


@pytest.mark.parametrize("where", ["absolute", "dot-dot"])
def test_a_manifest_naming_evidence_outside_the_bundle_is_refused_unhashed(par, run_folder, tmp_path, where):  # noqa: F811
    secret, digest = _secret(tmp_path)
    manifest = json.loads((run_folder / "manifest.json").read_text(encoding="utf-8"))
    root = Path(manifest["bundle"]["root"])
    path = str(secret) if where == "absolute" else os.path.relpath(secret, root)
    _edit(run_folder, lambda m: m["evidence"].append({"path": path, "sha256": "0" * 64, "kind": "evidence"}))
    code, stdout, err = _rerun(par, run_folder)
    assert code == 2 and "nằm ngoài thư mục bộ bằng chứng" in err, stdout + err
    assert digest[:12] not in stdout + err


def test_force_over_a_report_leaves_no_report_behind_and_reruns_identically(par, setup, tmp_path):  # noqa: F811
    root, catalogue, bundle = setup
    out = root / "kq"
    code, _, err = par("report", bundle, "--catalogue", catalogue, "--out", out)
    assert code == 0, err
    (out / "ghi-chu.txt").write_text("ghi chú của người dùng", encoding="utf-8")
    code, _, err = par("score", bundle, "--catalogue", catalogue, "--out", out, "--force")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["ghi-chu.txt", "ket-qua.json", "manifest.json", "trace.jsonl"]
    (out / "ghi-chu.txt").unlink()  # a file of the user's, kept by --force; not an output of the run
    code, stdout, _ = par("rerun", out / "manifest.json")
    assert code == 0, stdout
