"""Backing up and restoring a workspace: the database, the stored files, the run folders and the change log's key in
one archive (par_score.web.workspace.backup_archive), so that the restored workspace verifies its change log (the
seals need the key) and scores exactly as the original did.

The database is dumped with Django's serializers as plain data (datetimes with their microseconds, which the change
log's hashes cover; accounts' permissions by natural key), so that a backup of an SQLite workspace restores into
PostgreSQL and the other way round; the dump, and the list of files it names, are read in one snapshot (a
repeatable-read transaction on PostgreSQL, SQLite's transaction otherwise). Files are content-addressed or written
once per run before their row is committed, so the files the snapshot names are complete.

A restore goes only into an empty workspace (no row in the database, no file in the store or the runs). Every member
is extracted into a hidden folder of the data folder and its hash checked before anything is written to the
workspace; the rows are loaded and the files moved into place in one transaction, undone together on any failure.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from par_score._version import __version__
from par_score.errors import Problem, os_reason
from par_score.io import atomic
from par_score.web import config
from par_score.web.workspace import backup_archive as archive_format
from par_score.web.workspace.backup_archive import BackupError, Member, refuse
from par_score.web.workspace.models import ScoringRun, StoredFile

DUMP_FORMAT = "par-score/workspace-dump@1"
STAGING_PREFIX = ".khoi-phuc-"  # a restore's hidden folder in the data folder, removed when it ends
MIGRATED_APPS = ("auth", "workspace")  # the apps whose rows a backup holds
ALREADY_COMPRESSED = {"pdf", "png", "jpg", "docx", "xlsx", "odt"}
MODEL_NAMES = {
    "auth.group": "nhóm quyền",
    "auth.user": "tài khoản",
    "workspace.campaign": "chiến dịch",
    "workspace.record": "bản ghi",
    "workspace.change": "mục nhật ký",
    "workspace.storedfile": "tệp đính kèm",
    "workspace.scoringrun": "lần chấm",
}


def dumped_models() -> list:
    """Every model a backup holds, each after the models it refers to."""
    from django.apps import apps

    workspace = apps.get_app_config("workspace").get_models()
    return [apps.get_model("auth", "Group"), apps.get_model("auth", "User"), *workspace]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # every microsecond: the change log's hashes cover them
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"cannot dump {type(value).__name__}")


def applied_migrations() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app in MIGRATED_APPS:
            found.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(found.items())}


@contextmanager
def snapshot():
    """One consistent reading of the database for the block."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


# ---- backup -----------------------------------------------------------------------------------------------------
@dataclass
class BackupSummary:
    path: Path
    rows: dict[str, int]
    files: int
    size: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Source:
    name: str
    data: bytes | None = None
    path: Path | None = None


def write_backup(out: Path, *, force: bool = False) -> BackupSummary:
    """Write the workspace's backup archive to `out`, atomically (a hidden temporary file renamed into place); an
    existing `out` is refused unless `force`."""
    out = Path(out)
    atomic.prepare_dir(out.parent)
    atomic.refuse_existing([out], force)
    data_dir = Path(settings.DATA_DIR)
    with snapshot():
        rows: list[dict[str, Any]] = []
        counts: dict[str, int] = {}
        for model in dumped_models():
            dumped = serializers.serialize(
                "python", model._base_manager.order_by("pk").iterator(), use_natural_foreign_keys=True
            )
            counts[model._meta.label_lower] = len(dumped)
            rows.extend(dumped)
        migrations = applied_migrations()
        stored = list(StoredFile.objects.order_by("sha256").values_list("sha256", "extension"))
        run_folders = list(ScoringRun.objects.order_by("pk").values_list("folder", flat=True))
    dump = json.dumps({"format": DUMP_FORMAT, "objects": rows}, default=_plain, ensure_ascii=False, indent=1)
    sources = [
        _Source(archive_format.DATABASE, data=dump.encode("utf-8")),
        _Source(archive_format.LOG_KEY, data=bytes(settings.LOG_KEY) + b"\n"),
    ]
    warnings: list[str] = []
    for sha, extension in stored:
        relative = f"files/{sha}.{extension}"
        path = Path(settings.STORE_DIR) / relative
        if path.is_file() and not path.is_symlink():
            sources.append(_Source(f"{archive_format.STORE}/{relative}", path=path))
        else:
            warnings.append(f"tệp đính kèm {relative} không có trong kho; bản sao lưu không có tệp này")
    for folder in run_folders:
        sources.extend(_run_sources(data_dir, folder, warnings))
    size, members = _write_archive(out, sources, force, counts, migrations)
    return BackupSummary(out, counts, len(sources) - 2, size, warnings)


def _run_sources(data_dir: Path, folder: str, warnings: list[str]) -> list[_Source]:
    if archive_format.check_name(folder + "/x") is not None or not folder.startswith(archive_format.RUNS + "/"):
        warnings.append(f"thư mục lần chấm '{folder}' nằm ngoài thư mục {archive_format.RUNS}/; bỏ qua")
        return []
    root = data_dir / folder
    if not root.is_dir():
        warnings.append(f"thư mục lần chấm '{folder}' không còn trên đĩa; bản sao lưu không có thư mục này")
        return []
    found = []
    for current, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            path = Path(current) / name
            if path.is_symlink() or not path.is_file():
                warnings.append(f"bỏ qua '{path.relative_to(data_dir).as_posix()}': không phải tệp thường")
            elif not atomic.is_temporary(path):
                found.append(_Source(path.relative_to(data_dir).as_posix(), path=path))
    return found


def _write_archive(
    out: Path, sources: list[_Source], force: bool, counts: dict[str, int], migrations: dict[str, list[str]]
) -> tuple[int, list[Member]]:
    atomic.sweep_stale(out.parent, [out.name])
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=atomic.TEMP_SUFFIX, dir=out.parent)
    except OSError as exc:
        raise BackupError(Problem(f"không ghi được vào thư mục ({os_reason(exc)})", file=str(out.parent))) from None
    staged = Path(temporary)
    try:
        with os.fdopen(handle, "w+b") as stream:
            members = []
            with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                for source in sources:
                    members.append(_add(archive, source))
                manifest = archive_format.manifest_data(
                    version=__version__,
                    created_at=timezone.now().isoformat(),
                    vendor=connection.vendor,
                    migrations=migrations,
                    rows=counts,
                    members=members,
                )
                _add(archive, _Source(archive_format.MANIFEST, data=json.dumps(manifest, indent=1).encode()))
            stream.flush()
            os.fsync(stream.fileno())
            size = stream.tell()
        os.chmod(staged, 0o600)  # the archive holds the log key and the accounts' password hashes
    except OSError as exc:
        atomic.discard(staged)
        raise BackupError(Problem(f"không ghi được tệp sao lưu ({os_reason(exc)})", file=str(out))) from None
    except BaseException:
        atomic.discard(staged)
        raise
    atomic.commit(staged, out, replace=force)
    return size, members


def _add(archive: zipfile.ZipFile, source: _Source) -> Member:
    info = zipfile.ZipInfo(source.name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o100600 << 16  # a regular file
    compressed = source.name.rsplit(".", 1)[-1] in ALREADY_COMPRESSED
    info.compress_type = zipfile.ZIP_STORED if compressed else zipfile.ZIP_DEFLATED
    digest = hashlib.sha256()
    size = 0
    with archive.open(info, "w", force_zip64=True) as out:
        if source.data is not None:
            digest.update(source.data)
            out.write(source.data)
            size = len(source.data)
        else:
            try:
                with source.path.open("rb") as stream:  # type: ignore[union-attr]
                    while chunk := stream.read(archive_format.CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
            except OSError as exc:
                raise BackupError(Problem(f"không đọc được tệp ({os_reason(exc)})", file=str(source.path))) from None
    return Member(source.name, size, digest.hexdigest())


# ---- restore ----------------------------------------------------------------------------------------------------
@dataclass
class RestoreSummary:
    rows: dict[str, int]
    files: int
    version: str


def occupied() -> list[Problem]:
    """What the workspace already holds (a restore goes only into an empty one)."""
    problems = []
    held = []
    for model in dumped_models():
        count = model._base_manager.count()
        if count:
            label = model._meta.label_lower
            held.append(f"{count} {MODEL_NAMES.get(label, label)}")
    if held:
        problems.append(Problem(f"cơ sở dữ liệu đích đã có dữ liệu ({', '.join(held)})", field="--database"))
    for folder in (Path(settings.STORE_DIR), Path(settings.RUNS_DIR)):
        first = _first_entry(folder)
        if first is not None:
            problems.append(Problem(f"thư mục đã có tệp ('{first.relative_to(folder).as_posix()}')", file=str(folder)))
    return problems


def _first_entry(folder: Path) -> Path | None:
    """The first file (anything but a folder) under `folder`, or None."""
    if not folder.is_dir():
        return folder if os.path.lexists(folder) else None
    for current, folders, files in os.walk(folder):
        folders.sort()
        entries = sorted(files) + [f for f in folders if (Path(current) / f).is_symlink()]
        if entries:
            return Path(current) / entries[0]
    return None


def _refuse_occupied() -> None:
    problems = occupied()
    if problems:
        problems.append(
            Problem(
                "chỉ khôi phục vào một không gian làm việc trống: chọn thư mục dữ liệu mới (--data) và cơ sở dữ liệu "
                "mới, chưa có tài khoản hay chiến dịch nào (--database)"
            )
        )
        raise BackupError(problems)


def restore_backup(path: Path) -> RestoreSummary:
    """Restore the archive at `path` into this (empty) workspace; BackupError (nothing written) otherwise."""
    path = Path(path)
    _refuse_occupied()
    opened, manifest = archive_format.open_archive(path)
    with opened:
        _check_migrations(path, manifest)
        data_dir = Path(settings.DATA_DIR)
        needed = archive_format.total_size(manifest) + 16 * 1024 * 1024
        free = shutil.disk_usage(data_dir).free
        if free < needed:
            raise refuse(path, f"không đủ chỗ trống trong thư mục dữ liệu (cần {needed:,} byte)".replace(",", "."))
        _sweep_staging(data_dir)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=data_dir))
        try:
            archive_format.extract(path, opened, manifest, staging)
            objects = _read_dump(path, staging / archive_format.DATABASE)
            key = _read_key(path, staging / archive_format.LOG_KEY)
            placed: list[tuple[Path, Path]] = []
            old_key = _key_file().read_bytes() if _key_file().is_file() else None
            try:
                with transaction.atomic():
                    _refuse_occupied()
                    _load(path, objects, manifest)
                    _place_files(staging, placed)
                    _write_key(key)
            except BaseException:
                _undo(placed, old_key)
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    settings.LOG_KEY = key
    files = sum(1 for name in manifest.members if name.split("/", 1)[0] in archive_format.FILE_FOLDERS)
    return RestoreSummary(dict(manifest.rows), files, str(manifest.data.get("par_score_version", "")))


def _sweep_staging(data_dir: Path) -> None:
    """The hidden folders that killed restores left (old enough that no restore still writes them)."""
    limit = time.time() - atomic.STALE_AFTER_SECONDS
    for entry in data_dir.iterdir():
        try:
            if entry.name.startswith(STAGING_PREFIX) and entry.is_dir() and not entry.is_symlink():
                if entry.stat().st_mtime < limit:
                    shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def _check_migrations(path: Path, manifest) -> None:
    here = applied_migrations()
    for app in MIGRATED_APPS:
        theirs, ours = set(manifest.migrations.get(app, [])), set(here.get(app, []))
        newer = sorted(theirs - ours)
        if newer:
            raise refuse(
                path,
                f"bản sao lưu có cấu trúc cơ sở dữ liệu mới hơn phiên bản par-score này ({app}: {', '.join(newer)}); "
                f"hãy khôi phục bằng par-score {manifest.data.get('par_score_version', '')} hoặc mới hơn",
            )
        older = sorted(ours - theirs)
        if older:
            raise refuse(
                path,
                f"bản sao lưu có cấu trúc cơ sở dữ liệu cũ hơn phiên bản par-score này ({app}: thiếu "
                f"{', '.join(older)}); hãy khôi phục bằng par-score {manifest.data.get('par_score_version', '')} "
                "rồi nâng cấp (par-score web migrate)",
            )


def _read_dump(path: Path, file: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise refuse(path, "bản kết xuất cơ sở dữ liệu không phải văn bản UTF-8", archive_format.DATABASE) from None
    except json.JSONDecodeError as exc:
        reason = f"bản kết xuất cơ sở dữ liệu không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})"
        raise refuse(path, reason, archive_format.DATABASE) from None
    if not isinstance(data, dict) or data.get("format") != DUMP_FORMAT or not isinstance(data.get("objects"), list):
        raise refuse(path, f"bản kết xuất cơ sở dữ liệu phải có định dạng '{DUMP_FORMAT}'", archive_format.DATABASE)
    order = {model._meta.label_lower: position for position, model in enumerate(dumped_models())}
    for number, row in enumerate(data["objects"], start=1):
        if (
            not isinstance(row, dict)
            or row.get("model") not in order
            or not isinstance(row.get("fields"), dict)
            or "pk" not in row
        ):
            raise refuse(
                path,
                f"đối tượng thứ {number} của bản kết xuất không hợp lệ hoặc thuộc bảng không được phép",
                archive_format.DATABASE,
            )
    return sorted(data["objects"], key=lambda row: order[row["model"]])  # stable: each table in its own order


def _read_key(path: Path, file: Path) -> bytes:
    key = file.read_bytes().strip()
    if not key or not key.isascii() or any(c <= 32 or c == 127 for c in key):
        raise refuse(path, "khóa nhật ký không hợp lệ", archive_format.LOG_KEY)
    return key


def _load(path: Path, objects: list[dict[str, Any]], manifest) -> None:
    try:
        for obj in serializers.deserialize("python", objects, handle_forward_references=False):
            obj.save()
        connection.check_constraints()
    except (DeserializationError, ValidationError, ObjectDoesNotExist, DatabaseError, ValueError, TypeError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise refuse(path, f"không nạp được bản kết xuất cơ sở dữ liệu ({reason})", archive_format.DATABASE) from None
    models = dumped_models()
    for model in models:
        label = model._meta.label_lower
        count = model._base_manager.count()
        if count != manifest.rows.get(label, 0):
            raise refuse(
                path,
                f"số dòng của bảng {label} sau khi nạp ({count}) khác với tệp mô tả ({manifest.rows.get(label, 0)})",
                archive_format.DATABASE,
            )
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _place_files(staging: Path, placed: list[tuple[Path, Path]]) -> None:
    """Move the staged store and runs into the data folder, each recorded in `placed` (for undoing) once moved."""
    for name, target in ((archive_format.STORE, settings.STORE_DIR), (archive_format.RUNS, settings.RUNS_DIR)):
        source, target = staging / name, Path(target)
        if not source.is_dir():
            continue
        if target.is_dir():
            _remove_empty_tree(target)
        os.rename(source, target)
        placed.append((source, target))


def _remove_empty_tree(folder: Path) -> None:
    for current, _folders, _files in os.walk(folder, topdown=False):
        os.rmdir(current)  # fails (OSError) if a file appeared meanwhile: the restore stops, undone


def _key_file() -> Path:
    return Path(settings.DATA_DIR) / config.LOG_KEY_FILE


def _write_key(key: bytes) -> None:
    target = _key_file()
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=atomic.TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:  # mkstemp's file is owner-only, as the key file must be
            stream.write(key + b"\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    finally:
        atomic.discard(Path(temporary))


def _undo(placed: list[tuple[Path, Path]], old_key: bytes | None) -> None:
    for _source, target in placed:
        shutil.rmtree(target, ignore_errors=True)  # the folder was empty before the restore
    if old_key is not None:
        _write_key(old_key.strip())
