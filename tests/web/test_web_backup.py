"""Backing up and restoring a workspace (par_score.web.workspace.backup; `par-score web backup` / `web restore`): the
restored workspace verifies its change log and scores identically; a changed, hostile or foreign archive is refused
before anything is written; a restore goes only into an empty workspace."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from par_score import api
from par_score.web.workspace import backup_archive
from par_score.web.workspace.appraisals import appraised, open_appraisal, save_points
from par_score.web.workspace.backup import dumped_models, restore_backup, write_backup
from par_score.web.workspace.backup_archive import BackupError
from par_score.web.workspace.files import Upload, sha256_of, store, stored_path
from par_score.web.workspace.integrity import verify_all
from par_score.web.workspace.models import Campaign, Record, ScoringRun, StoredFile
from par_score.web.workspace.parts import outcomes, province
from par_score.web.workspace.runs import BUNDLE_DIR, result_dir, run_folder, run_scoring


def appraise_one(campaign, admin) -> str:
    """Round 1 of an appraisal with the council's points for one criterion (lowered to 0)."""
    open_appraisal(admin, campaign, "Hội đồng thẩm định Bộ Nội vụ", None)
    leaf = next(c for c in province(campaign).result.criteria if c.points and c.points > 0)
    save_points(admin, campaign, leaf.code, 1, Decimal("0"), "Thiếu văn bản kiểm chứng", version=None)
    return leaf.code


def empty_workspace(settings, folder: Path) -> None:
    """A fresh workspace in this process: every row deleted, a new data folder, a different log key."""
    for model in reversed(dumped_models()):
        model._base_manager.all().delete()
    folder.mkdir()
    settings.DATA_DIR = folder
    settings.STORE_DIR = folder / "kho"
    settings.RUNS_DIR = folder / "lan-cham"
    settings.LOG_KEY = b"khoa-cua-khong-gian-lam-viec-moi"
    outcomes.clear()


def rewritten(source: Path, target: Path, change) -> Path:
    """A copy of an archive with `change(name, data) -> data | None` applied to each member (None: left out)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info, data)
    return target


def store_pdf(folder: Path, user) -> StoredFile:
    path = folder / "quyet-dinh.pdf"
    path.write_bytes(b"%PDF-1.4\n% Quyet dinh ban hanh ke hoach CCHC\n")
    return store(Upload(path, path.name, path.stat().st_size), user)


@pytest.fixture
def html_runs(monkeypatch):
    """Runs that write their report as HTML only (PDF and DOCX take seconds, and are files like any other here)."""
    monkeypatch.setattr(api, "REPORT_FORMATS", {"html": api.REPORT_FORMATS["html"]})


def test_a_restored_workspace_verifies_its_log_and_scores_identically(logged, accounts, settings, tmp_path, html_runs):
    admin = accounts["admin"]
    code = appraise_one(logged, admin)
    stored = store_pdf(tmp_path, admin)
    run = run_scoring(logged, admin)
    original = appraised(logged).result
    assert original.leaf(code).appraisal is not None  # the council's point is in the result
    recorded = (result_dir(run) / "ket-qua.json").read_bytes()
    assert json.loads(recorded)["totals"] == json.loads(original.to_json())["totals"]
    reports = verify_all()
    assert all(r.intact for r in reports), [f.message for r in reports for f in r.findings]
    entries = {r.chain: r.entries for r in reports}
    assert entries[f"campaign:{logged.pk}"] > 10
    key = settings.LOG_KEY

    archive = tmp_path / "sao-luu.zip"
    summary = write_backup(archive)
    assert summary.files > 3 and not summary.warnings
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    empty_workspace(settings, tmp_path / "moi")
    restored = restore_backup(archive)
    assert restored.rows["workspace.change"] == sum(entries.values())
    assert settings.LOG_KEY == key
    assert (tmp_path / "moi" / "khoa-nhat-ky.txt").read_bytes().strip() == key
    reports = verify_all()
    assert all(r.intact for r in reports), [f.message for r in reports for f in r.findings]
    assert {r.chain: r.entries for r in reports} == entries

    assert sha256_of(stored_path(StoredFile.objects.get(sha256=stored.sha256))) == stored.sha256
    kept = ScoringRun.objects.get(pk=run.pk)
    assert (kept.self_points, kept.index_points) == (run.self_points, run.index_points)
    assert (result_dir(kept) / "ket-qua.json").read_bytes() == recorded
    campaign = Campaign.objects.get(pk=logged.pk)
    assert appraised(campaign).result.to_json() == original.to_json()  # scored again from the restored database
    rescored = api.run_source(run_folder(kept) / BUNDLE_DIR, campaign.catalogue_id)  # and from the restored run
    assert rescored.result.totals == province(campaign).result.totals


@pytest.fixture
def small_backup(imported, tmp_path) -> Path:
    """A backup of the imported example: logged records, no runs."""
    return write_backup(tmp_path / "nho.zip").path


@pytest.fixture
def empty_backup(db, tmp_path) -> Path:
    """A backup of an empty workspace (a valid archive to make hostile ones from, quickly)."""
    return write_backup(tmp_path / "trong.zip").path


def assert_nothing_written(settings, folder: Path) -> None:
    assert not any(m._base_manager.exists() for m in dumped_models())
    assert sorted(p.name for p in folder.iterdir()) == []
    assert settings.LOG_KEY == b"khoa-cua-khong-gian-lam-viec-moi"


def test_a_changed_member_is_refused_before_anything_is_written(small_backup, settings, tmp_path):
    def edit(name, data):
        if name == backup_archive.DATABASE:
            assert b'"tuphap"' in data
            return data.replace(b'"tuphap"', b'"tuphaq"')
        return data

    tampered = rewritten(small_backup, tmp_path / "sua.zip", edit)
    empty_workspace(settings, tmp_path / "moi")
    with pytest.raises(BackupError) as refused:
        restore_backup(tampered)
    message = str(refused.value)
    assert f"thành phần '{backup_archive.DATABASE}'" in message and "mã băm SHA-256" in message
    assert_nothing_written(settings, tmp_path / "moi")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda name, data: None if name == backup_archive.LOG_KEY else data, "không có trong tệp sao lưu"),
        (lambda name, data: None if name == backup_archive.MANIFEST else data, "thiếu manifest.json"),
    ],
)
def test_a_member_left_out_is_refused(empty_backup, settings, tmp_path, change, expected):
    empty_workspace(settings, tmp_path / "moi")
    with pytest.raises(BackupError, match=expected):
        restore_backup(rewritten(empty_backup, tmp_path / "thieu.zip", change))
    assert_nothing_written(settings, tmp_path / "moi")


def add_member(source: Path, target: Path, info: zipfile.ZipInfo, data: bytes, *, listed: bool) -> Path:
    """A copy of an archive with one more member (listed in the manifest with its true hash, or not)."""
    import hashlib

    def change(name, content):
        if name == backup_archive.MANIFEST and listed:
            manifest = json.loads(content)
            manifest["members"].append(
                {"name": info.filename, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            )
            return json.dumps(manifest).encode()
        return content

    rewritten(source, target, change)
    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr(info, data)
    return target


@pytest.mark.parametrize(
    ("name", "mode", "expected"),
    [
        ("../ngoai.txt", 0o100644, "'..'"),
        ("/etc/ngoai.txt", 0o100644, "đường dẫn tuyệt đối"),
        ("kho/../../ngoai.txt", 0o100644, "'..'"),
        ("kho\\..\\ngoai.txt", 0o100644, "ký tự không được phép"),
        ("kho/files/lien-ket.pdf", 0o120777, "liên kết tượng trưng"),
        ("cai-khac/tep.txt", 0o100644, "ngoài các mục của bản sao lưu"),
    ],
)
def test_hostile_member_names_and_kinds_are_refused(empty_backup, settings, tmp_path, name, mode, expected):
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    hostile = add_member(empty_backup, tmp_path / "doc-hai.zip", info, b"/etc/passwd", listed=True)
    empty_workspace(settings, tmp_path / "moi")
    with pytest.raises(BackupError, match=expected):
        restore_backup(hostile)
    assert_nothing_written(settings, tmp_path / "moi")
    assert not (tmp_path / "ngoai.txt").exists()


def test_an_unlisted_member_is_refused(empty_backup, settings, tmp_path):
    hostile = add_member(
        empty_backup, tmp_path / "them.zip", zipfile.ZipInfo("kho/files/them.pdf"), b"%PDF-", listed=False
    )
    empty_workspace(settings, tmp_path / "moi")
    with pytest.raises(BackupError, match="không được ghi trong tệp mô tả"):
        restore_backup(hostile)
    assert_nothing_written(settings, tmp_path / "moi")


def test_a_member_larger_than_declared_stops_at_its_declared_size(empty_backup, settings, tmp_path):
    """A zip bomb's shape: the directory declares a few bytes, the data inflates to far more."""
    import hashlib

    bomb = b"\0" * (8 * 1024 * 1024)
    target = tmp_path / "bom.zip"

    def change(name, content):
        if name == backup_archive.MANIFEST:
            manifest = json.loads(content)
            manifest["members"].append(
                {"name": "kho/files/bom.pdf", "size": 10, "sha256": hashlib.sha256(bomb[:10]).hexdigest()}
            )
            return json.dumps(manifest).encode()
        return content

    rewritten(empty_backup, target, change)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("kho/files/bom.pdf", bomb)
        archive.filelist[-1].file_size = 10  # the central directory, written on close, declares 10 bytes
    empty_workspace(settings, tmp_path / "moi")
    with pytest.raises(BackupError, match="thành phần 'kho/files/bom.pdf': thành phần bị hỏng"):
        restore_backup(target)
    assert_nothing_written(settings, tmp_path / "moi")


def test_sizes_are_bounded_before_anything_is_extracted(empty_backup, settings, tmp_path, monkeypatch):
    monkeypatch.setattr(backup_archive, "MAX_TOTAL_BYTES", 100)
    empty_workspace(settings, tmp_path / "moi")
    with pytest.raises(BackupError, match="tổng dung lượng các thành phần quá lớn"):
        restore_backup(empty_backup)
    assert_nothing_written(settings, tmp_path / "moi")


def test_not_a_backup_is_refused(db, settings, tmp_path):
    empty_workspace(settings, tmp_path / "moi")
    text = tmp_path / "khong-phai.zip"
    text.write_text("xin chào", encoding="utf-8")
    with pytest.raises(BackupError, match="không phải tệp sao lưu par-score \\(không đọc được tệp zip\\)"):
        restore_backup(text)
    other = tmp_path / "zip-khac.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "khac"}))
    other.write_bytes(buffer.getvalue())
    with pytest.raises(BackupError, match="định dạng phải là 'par-score/workspace-backup@1'"):
        restore_backup(other)
    with pytest.raises(BackupError, match="không tìm thấy tệp sao lưu"):
        restore_backup(tmp_path / "khong-co.zip")
    assert_nothing_written(settings, tmp_path / "moi")


def test_a_restore_into_a_workspace_with_data_is_refused(small_backup, settings, tmp_path):
    records = Record.objects.count()
    with pytest.raises(BackupError) as refused:
        restore_backup(small_backup)
    message = str(refused.value)
    assert "cơ sở dữ liệu đích đã có dữ liệu" in message and "chiến dịch" in message
    assert "chỉ khôi phục vào một không gian làm việc trống" in message
    assert Record.objects.count() == records


def test_a_restore_into_a_data_folder_with_files_is_refused(small_backup, settings, tmp_path):
    empty_workspace(settings, tmp_path / "moi")
    (tmp_path / "moi" / "lan-cham" / "1").mkdir(parents=True)
    (tmp_path / "moi" / "lan-cham" / "1" / "ghi-chu.txt").write_text("của người dùng", encoding="utf-8")
    with pytest.raises(BackupError, match="thư mục đã có tệp \\('1/ghi-chu.txt'\\)"):
        restore_backup(small_backup)
    assert not any(m._base_manager.exists() for m in dumped_models())
    assert (tmp_path / "moi" / "lan-cham" / "1" / "ghi-chu.txt").read_text(encoding="utf-8") == "của người dùng"


def test_a_backup_of_a_newer_version_is_refused(empty_backup, settings, tmp_path):
    def newer(name, data):
        if name == backup_archive.MANIFEST:
            manifest = json.loads(data)
            manifest["database"]["migrations"]["workspace"].append("0099_tuong_lai")
            return json.dumps(manifest).encode()
        return data

    empty_workspace(settings, tmp_path / "moi")
    with pytest.raises(BackupError, match="mới hơn phiên bản par-score này \\(workspace: 0099_tuong_lai\\)"):
        restore_backup(rewritten(empty_backup, tmp_path / "moi-hon.zip", newer))
    assert_nothing_written(settings, tmp_path / "moi")


def test_an_existing_backup_file_is_kept_unless_forced(small_backup, tmp_path):
    from par_score.errors import OutputError

    before = small_backup.read_bytes()
    with pytest.raises(OutputError, match="tệp kết quả đã tồn tại"):
        write_backup(small_backup)
    assert small_backup.read_bytes() == before
    write_backup(small_backup, force=True)
    assert zipfile.ZipFile(small_backup).testzip() is None
    assert not [p for p in small_backup.parent.iterdir() if p.name.startswith(".")]


def test_what_a_killed_restore_left_is_removed_by_the_next(empty_backup, settings, tmp_path):
    import os
    import time

    empty_workspace(settings, tmp_path / "moi")
    old, recent = tmp_path / "moi" / ".khoi-phuc-cu", tmp_path / "moi" / ".khoi-phuc-dang-chay"
    for folder in (old, recent):
        (folder / "kho").mkdir(parents=True)
        (folder / "kho" / "tep.pdf").write_bytes(b"%PDF-")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    restore_backup(empty_backup)
    assert not old.exists() and recent.is_dir()
    assert [p.name for p in (tmp_path / "moi").iterdir() if p.name.startswith(".")] == [recent.name]


def test_a_restore_failing_at_its_last_step_leaves_nothing(db, settings, tmp_path, monkeypatch):
    from par_score.web.workspace import backup

    store_pdf(tmp_path, None)
    archive = write_backup(tmp_path / "tep.zip").path
    empty_workspace(settings, tmp_path / "moi")
    (tmp_path / "moi" / "khoa-nhat-ky.txt").write_text("khoa-cu\n", encoding="ascii")
    real, calls = backup._write_key, []

    def failing_once(key: bytes) -> None:
        calls.append(key)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        real(key)

    monkeypatch.setattr(backup, "_write_key", failing_once)
    with pytest.raises(OSError):
        restore_backup(archive)
    assert not any(m._base_manager.exists() for m in dumped_models())
    assert sorted(p.name for p in (tmp_path / "moi").iterdir()) == ["khoa-nhat-ky.txt"]
    assert (tmp_path / "moi" / "khoa-nhat-ky.txt").read_text(encoding="ascii") == "khoa-cu\n"
    monkeypatch.setattr(backup, "_write_key", real)
    restore_backup(archive)  # nothing was left in the way
    assert StoredFile.objects.count() == 1 and (tmp_path / "moi" / "kho" / "files").is_dir()
