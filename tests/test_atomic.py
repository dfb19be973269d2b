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
from clirun import ROOT, files_under, run_main, run_process

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


# ---- a kill at every rename: all-old or all-new ---------------------------------------------------------------------
# The run is started through a small driver that counts every rename-like step of the process (os.rename, os.replace,
# and io.atomic.exchange, the RENAME_EXCHANGE switch) and SIGKILLs itself just before, or just after, the Nth.
KILL_DRIVER = """
import os, signal, sys
from par_score.io import atomic

at, when, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
seen = [0]
if mode == "two-renames":  # a system without RENAME_EXCHANGE: the documented fallback
    atomic.exchange = lambda a, b: False

def counted(real):
    def step(*args, **kwargs):
        seen[0] += 1
        if seen[0] == at and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        done = real(*args, **kwargs)
        if seen[0] == at and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return done
    return step

os.rename, os.replace, atomic.exchange = counted(os.rename), counted(os.replace), counted(atomic.exchange)
from par_score.cli import main
try:
    main(sys.argv[4:])
finally:
    sys.stderr.write(f"renames={seen[0]}\\n")
"""


def _driven(at: int, when: str, mode: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PAR_SCORE_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-c", KILL_DRIVER, str(at), when, mode, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _kill_at_every_rename(tmp_path: Path, pristine: Path, mode: str, args: list[str], old, new) -> int:
    """Run `args` (writing into tmp_path/out) once to count its renames, then once per rename killed before it and
    once killed after it; after each kill the folder is all-old or all-new (with two renames: once the next run's
    start has put a set-aside folder back). Returns the number of renames."""
    out = tmp_path / "out"

    def fresh() -> None:
        shutil.rmtree(out, ignore_errors=True)
        for leftover in tmp_path.glob(".out.*"):
            if leftover.is_dir():
                shutil.rmtree(leftover)
        if pristine is not None:
            shutil.copytree(pristine, out)

    fresh()
    done = _driven(0, "never", mode, *args)
    assert done.returncode == 0, done.stderr
    renames = int(done.stderr.rsplit("renames=", 1)[1])
    assert _snapshot(out) == new
    assert renames >= 1
    for at in range(1, renames + 1):
        for when in ("before", "after"):
            fresh()
            killed = _driven(at, when, mode, *args)
            assert killed.returncode == -signal.SIGKILL, (at, when, killed.stderr)
            if mode == "two-renames":
                with atomic.folder_lock(out):  # what the next run does first
                    pass
            now = _snapshot(out)
            assert now in (old, new), f"rename {at} ({when}): neither the previous set nor the new one: {sorted(now)}"
    return renames


@pytest.mark.parametrize("mode", ["exchange", "two-renames"])
def test_a_kill_at_every_rename_of_a_forced_run_leaves_all_old_or_all_new(tmp_path, mode):
    """The case of the hardening report: `report` wrote PDF, HTML, result and audit trail; `score --force` over it
    writes result and audit trail only. Killed at any rename, the folder holds one set or the other, never a mix."""
    old_bundle = write_bundle(synthetic_bundle(CATALOGUE, random.Random(1), 1), tmp_path / "cu.json")
    new_bundle = write_bundle(synthetic_bundle(CATALOGUE, random.Random(2), 1), tmp_path / "moi.json")
    pristine, expected = tmp_path / "ban-dau", tmp_path / "mong-doi"
    assert run_main("report", str(old_bundle), "--out", str(pristine), "--format", "both").code == 0
    assert run_main("score", str(new_bundle), "--out", str(expected)).code == 0
    old, new = _snapshot(pristine), _snapshot(expected)
    assert set(old) == {*new, "bao-cao-tu-cham-diem.pdf", "bao-cao-tu-cham-diem.html"}
    args = ["score", str(new_bundle), "--out", str(tmp_path / "out"), "--force"]
    renames = _kill_at_every_rename(tmp_path, pristine, mode, args, old, new)
    assert renames == (1 if mode == "exchange" else 4)  # the switch, or its attempt and three renames


def test_a_kill_at_every_rename_of_a_first_run_leaves_nothing_or_everything(tmp_path):
    bundle = write_bundle(synthetic_bundle(CATALOGUE, random.Random(3), 1), tmp_path / "bo.json")
    expected = tmp_path / "mong-doi"
    assert run_main("score", str(bundle), "--out", str(expected)).code == 0
    args = ["score", str(bundle), "--out", str(tmp_path / "out")]
    assert _kill_at_every_rename(tmp_path, None, "exchange", args, {}, _snapshot(expected)) == 1


def test_a_kill_at_every_rename_of_a_batch_leaves_all_old_or_all_new(tmp_path):
    """A batch renames inside its staging folder (each unit's files) and switches once; two units."""
    make_batch(tmp_path / "cu", CATALOGUE, 2, seed=1, suffixes=(".json",))
    make_batch(tmp_path / "moi", CATALOGUE, 2, seed=2, suffixes=(".json",))
    pristine, expected = tmp_path / "ban-dau", tmp_path / "mong-doi"
    assert run_main("score", str(tmp_path / "cu"), "--out", str(pristine)).code == 0
    assert run_main("score", str(tmp_path / "moi"), "--out", str(expected)).code == 0
    old, new = _snapshot(pristine), _snapshot(expected)
    args = ["score", str(tmp_path / "moi"), "--out", str(tmp_path / "out"), "--force"]
    assert _kill_at_every_rename(tmp_path, pristine, "exchange", args, old, new) >= 4


# ---- one run at a time; where an output folder may be ---------------------------------------------------------------
def test_a_second_run_into_a_locked_folder_fails_at_once_and_writes_nothing(tmp_path):
    bundle = write_bundle(synthetic_bundle(CATALOGUE, random.Random(4), 1), tmp_path / "bo.json")
    out = tmp_path / "out"
    assert run_main("score", str(bundle), "--out", str(out)).code == 0
    before = _snapshot(out)
    with atomic.folder_lock(out):  # another run, holding the folder
        ran = run_process("score", str(bundle), "--out", str(out), "--force")
    assert ran.code == 2, ran.text
    assert "một lần chạy par-score khác đang ghi vào thư mục kết quả này" in ran.err
    assert _snapshot(out) == before
    assert run_main("score", str(bundle), "--out", str(out), "--force").code == 0  # released


def test_a_batch_into_a_locked_folder_fails_at_once(tmp_path):
    make_batch(tmp_path / "lo", CATALOGUE, 2)
    out = tmp_path / "out"
    with atomic.folder_lock(out):
        ran = run_process("score", str(tmp_path / "lo"), "--out", str(out))
    assert ran.code == 2 and "đang ghi vào thư mục kết quả này" in ran.err, ran.text
    assert not out.exists()


@pytest.mark.parametrize("where", ["the-bundle", "inside-the-bundle", "the-working-folder", "above-the-working-folder"])
def test_an_output_folder_that_would_be_read_back_or_holds_the_working_folder_is_refused(tmp_path, where, monkeypatch):
    bundle = tmp_path / "bo"
    bundle.mkdir()
    write_bundle(synthetic_bundle(CATALOGUE, random.Random(5), 1), bundle / "bo.json")
    work = tmp_path / "lam-viec"
    work.mkdir()
    monkeypatch.chdir(work)
    out = {
        "the-bundle": bundle,
        "inside-the-bundle": bundle / "ket-qua",
        "the-working-folder": Path("."),
        "above-the-working-folder": tmp_path,
    }[where]
    ran = run_main("score", str(bundle), "--out", str(out), "--force")
    assert ran.code == 2, ran.text
    assert "tùy chọn '--out'" in ran.err
    assert sorted(p.name for p in bundle.iterdir()) == ["bo.json"]
    assert list(work.iterdir()) == []


def test_an_output_folder_beside_a_file_bundle_is_the_ordinary_case(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_bundle(synthetic_bundle(CATALOGUE, random.Random(6), 1), tmp_path / "bo.json")
    assert run_main("score", "bo.json").code == 0  # --out ket-qua, beside the bundle file
    assert (tmp_path / "ket-qua" / "ket-qua.json").is_file()


def test_a_failed_write_leaves_no_output_folder_and_no_staging(tmp_path, monkeypatch):
    bundle = write_bundle(synthetic_bundle(CATALOGUE, random.Random(7), 1), tmp_path / "bo.json")
    out = tmp_path / "a" / "out"

    def full(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    ran = run_main("score", str(bundle), "--out", str(out))
    assert ran.code == 2 and "hết dung lượng đĩa" in ran.err, ran.text
    assert not out.exists()
    assert [p.name for p in (tmp_path / "a").iterdir()] == [".out.khoa"]  # the lock file only


def test_the_next_run_puts_back_a_set_aside_folder_and_clears_staging(tmp_path):
    """What a kill between the two renames of the fallback leaves: no folder, the previous set aside."""
    out = tmp_path / "out"
    aside = tmp_path / ".out.cu-abcd1234"
    aside.mkdir()
    (aside / "ket-qua.json").write_text("cũ", encoding="utf-8")
    staging = tmp_path / ".out.dang-ghi-efgh5678"
    staging.mkdir()
    (staging / "ket-qua.json").write_text("dở dang", encoding="utf-8")
    other = tmp_path / ".out.b.dang-ghi-ijkl9012"  # another folder's ("out.b") staging: never touched
    other.mkdir()
    with atomic.folder_lock(out):
        pass
    assert (out / "ket-qua.json").read_text(encoding="utf-8") == "cũ"
    assert not aside.exists() and not staging.exists() and other.exists()


def test_a_single_file_without_force_is_never_put_over_one_that_appeared(tmp_path):
    target = tmp_path / "mau.xlsx"
    atomic.write_bytes(target, b"one", replace=False)
    with pytest.raises(OutputError, match="đã tồn tại"):
        atomic.write_bytes(target, b"two", replace=False)
    assert target.read_bytes() == b"one" and [p.name for p in tmp_path.iterdir()] == ["mau.xlsx"]


def test_appraise_into_a_run_folder_waits_for_no_run_and_never_races_one(tmp_path):
    """`appraise` writes into the result's folder under that folder's lock: refused at once while a run holds it."""
    bundle = write_bundle(synthetic_bundle(CATALOGUE, random.Random(8), 1), tmp_path / "bo.json")
    out = tmp_path / "out"
    assert run_main("score", str(bundle), "--out", str(out)).code == 0
    leaf = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))["criteria"][0]["code"]
    appraisal = tmp_path / "tham-dinh.json"
    appraisal.write_text(
        json.dumps(
            {"format": "par-score/appraisal@1", "appraisals": [{"criterion": leaf, "points": 0, "appraiser": "HĐ"}]}
        ),
        encoding="utf-8",
    )
    with atomic.folder_lock(out):
        ran = run_process("appraise", str(out / "ket-qua.json"), str(appraisal))
    assert ran.code == 2 and "đang ghi vào thư mục kết quả này" in ran.err, ran.text
    assert not (out / "ket-qua-tham-dinh.json").exists()
    assert run_main("appraise", str(out / "ket-qua.json"), str(appraisal)).code == 0


def test_the_lock_is_exclusive_between_threads_and_reentrant_within_one(tmp_path):
    """A server writing from several threads: another thread is refused like another process."""
    import threading

    out = tmp_path / "out"
    refused: list[str] = []

    def other() -> None:
        try:
            with atomic.folder_lock(out):
                pass
        except OutputError as exc:
            refused.append(exc.render())

    with atomic.folder_lock(out), atomic.folder_lock(out):  # re-entered by its own thread
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert len(refused) == 1 and "đang ghi vào thư mục kết quả này" in refused[0]
    other()  # released: now it gets the lock
    assert len(refused) == 1


def test_a_single_file_write_removes_the_old_temporaries_of_that_file(tmp_path):
    stale = tmp_path / ".mau.xlsx.abcd1234.tmp"
    stale.write_bytes(b"do dang")
    old = time.time() - 2 * atomic.STALE_AFTER_SECONDS
    os.utime(stale, (old, old))
    atomic.write_bytes(tmp_path / "mau.xlsx", b"moi")
    assert [p.name for p in tmp_path.iterdir()] == ["mau.xlsx"]
