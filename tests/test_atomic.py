"""Nothing lost, nothing half-written: atomic outputs, runs killed mid-way, --force, stale temporary files."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batches import make_batch
from clirun import ROOT, files_under, run_main

from par_score.catalogue import load_catalogue
from par_score.errors import OutputError
from par_score.io import atomic
from par_score.scoring.result import ScoreResult
from par_score.testing.synthetic import synthetic_bundle, write_bundle

CATALOGUE = load_catalogue()


def _start(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "par_score", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _visible_files(folder: Path) -> list[Path]:
    """Files a user would take for outputs: nothing hidden (temporary files and staging folders are dot-named)."""
    return [p for p in files_under(folder) if not any(part.startswith(".") for part in p.relative_to(folder).parts)]


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every visible output; a manifest (run id, time) is checked complete, then compared without those two."""
    found = {}
    for p in _visible_files(folder):
        data = p.read_bytes()
        if p.name == "manifest.json":
            manifest = json.loads(data)
            manifest.pop("run_id")
            manifest.pop("created_at")
            data = json.dumps(manifest, sort_keys=True).encode()
        elif p.suffix == ".json":
            json.loads(data)
        elif p.suffix == ".jsonl":
            [json.loads(line) for line in data.splitlines()]
        found[str(p.relative_to(folder))] = data
    return found


# ---- the writer itself ------------------------------------------------------------------------------------------
def test_a_failed_rename_keeps_the_previous_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "ket-qua.json"
    target.write_text("cũ", encoding="utf-8")

    def refuse(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(OutputError) as caught:
        atomic.write_text(target, "mới")
    assert "hết dung lượng đĩa" in caught.value.render()
    assert target.read_text(encoding="utf-8") == "cũ"
    assert [p.name for p in tmp_path.iterdir()] == ["ket-qua.json"]


def test_outputs_get_the_ordinary_file_mode_not_a_private_one(tmp_path):
    target = tmp_path / "ket-qua.json"
    atomic.write_text(target, "{}")
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_stale_temporary_files_are_swept_and_fresh_ones_kept(tmp_path):
    stale = tmp_path / ".ket-qua.json.abcd1234.tmp"
    fresh = tmp_path / ".ket-qua.json.efgh5678.tmp"
    other = tmp_path / ".khac.json.ijkl.tmp"
    for p in (stale, fresh, other):
        p.write_text("x")
    old = time.time() - 2 * atomic.STALE_AFTER_SECONDS
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert atomic.sweep_stale(tmp_path, ["ket-qua.json"]) == [stale]
    assert not stale.exists() and fresh.exists() and other.exists()


# ---- --force ----------------------------------------------------------------------------------------------------
def test_an_existing_result_is_never_overwritten_without_force(tmp_path):
    bundle = write_bundle(synthetic_bundle(CATALOGUE, random.Random(3), 1), tmp_path / "bo.json")
    out = tmp_path / "out"
    assert run_main("score", str(bundle), "--out", str(out)).code == 0
    before = _snapshot(out)
    again = run_main("score", str(bundle), "--out", str(out))
    assert again.code == 2 and "đã tồn tại" in again.err and "--force" in again.err
    assert _snapshot(out) == before
    assert run_main("score", str(bundle), "--out", str(out), "--force").code == 0


def test_an_existing_batch_is_never_overwritten_without_force(tmp_path):
    make_batch(tmp_path / "in", CATALOGUE, 3)
    out = tmp_path / "out"
    assert run_main("score", str(tmp_path / "in"), "--out", str(out)).code == 0
    before = _snapshot(out)
    again = run_main("score", str(tmp_path / "in"), "--out", str(out))
    assert again.code == 2 and "đã tồn tại" in again.err
    assert _snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


# ---- killed mid-run -----------------------------------------------------------------------------------------------
def _running(marker: str) -> list[int]:
    """Processes whose command line holds `marker` (a forked helper keeps its scorer's command line)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            data = cmdline.read_bytes()
        except OSError:
            continue
        if marker.encode() in data and b"par_score" in data:
            found.append(int(cmdline.parent.name))
    return found


def _no_process_left_behind(marker: str) -> None:
    """A killed scorer's helper process (batch_output.ProcessWriter) ends by itself within a few seconds."""
    deadline = time.time() + 5
    while time.time() < deadline and _running(marker):
        time.sleep(0.2)
    left = _running(marker)
    for pid in left:  # never leave them running, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left behind: {left}"


def _check_killed_run(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    now = _snapshot(out)
    assert set(now) == set(old), "a killed run must not remove or add visible outputs"
    for name, data in now.items():
        assert data in (old[name], new[name]), f"{name} is neither the previous nor the new output"
        if name.endswith("ket-qua.json"):
            ScoreResult.model_validate(json.loads(data))


@pytest.mark.parametrize("mode", ["batch", "single"])
def test_a_run_killed_at_any_point_leaves_every_output_whole(tmp_path, mode):
    """SIGKILL `score --force` at several points; every output is the previous one or the new one, whole and valid."""
    count = 36 if mode == "batch" else 1  # ≥ 32: the outputs are written by the helper process (batch_output)
    old_in, new_in = tmp_path / "cu", tmp_path / "moi"
    make_batch(old_in, CATALOGUE, count, seed=1, suffixes=(".json",))
    make_batch(new_in, CATALOGUE, count, seed=2, suffixes=(".json",))  # same units, other figures: all results change
    source_old = old_in if mode == "batch" else next(old_in.iterdir())
    source_new = new_in if mode == "batch" else next(new_in.iterdir())
    pristine, expected = tmp_path / "ban-dau", tmp_path / "mong-doi"
    assert run_main("score", str(source_old), "--out", str(pristine)).code == 0
    assert run_main("score", str(source_new), "--out", str(expected)).code == 0
    old, new = _snapshot(pristine), _snapshot(expected)
    assert all(old[n] != new[n] for n in old if n.endswith("ket-qua.json"))

    # How long a full run takes here, to spread the kills over it.
    out = tmp_path / "out"
    shutil.copytree(pristine, out)
    started = time.perf_counter()
    assert _start("score", str(source_new), "--out", str(out), "--force").wait(timeout=120) == 0
    duration = time.perf_counter() - started
    assert _snapshot(out) == new

    points = (0.3, 0.6, 0.8, 0.88, 0.93, 0.97) if mode == "batch" else (0.3, 0.6, 0.85, 0.95)
    for fraction in points:
        shutil.rmtree(out)
        shutil.copytree(pristine, out)
        process = _start("score", str(source_new), "--out", str(out), "--force")
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        _check_killed_run(out, old, new)
        _no_process_left_behind(str(out))
    # A later complete run replaces everything and leaves no visible stray file.
    assert run_main("score", str(source_new), "--out", str(out), "--force").code == 0
    assert _snapshot(out) == new
