"""The workspace backup archive: a zip holding `manifest.json` (format, par_score version, the database's migration
state and row counts, and every other member with its size and sha256), the database dump (`co-so-du-lieu.json`),
the change log's key (`khoa-nhat-ky.txt`), the stored files (`kho/…`) and the run folders (`lan-cham/…`), each
member at the path it has under the data folder.

Reading one is reading hostile input: the archive's size, its number of members, each member's name (no absolute
path, no `..`, no backslash, no control character, only the folders above), kind (regular files only: no symlink,
no folder entry, no encryption) and size are checked before anything is extracted; a member is extracted with its
declared size as a hard limit (a zip bomb stops there) and its sha256 compared with the manifest. Nothing here
knows Django: the workspace side is par_score.web.workspace.backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from par_score.errors import ParScoreError, Problem, os_reason

FORMAT = "par-score/workspace-backup@1"
MANIFEST = "manifest.json"
DATABASE = "co-so-du-lieu.json"
LOG_KEY = "khoa-nhat-ky.txt"
STORE = "kho"
RUNS = "lan-cham"
FILE_FOLDERS = (STORE, RUNS)

MAX_ARCHIVE_BYTES = 64 * 1024**3
MAX_TOTAL_BYTES = 64 * 1024**3  # every member, extracted
MAX_MEMBERS = 200_000
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_DATABASE_BYTES = 2 * 1024**3  # read whole to be loaded
MAX_KEY_BYTES = 1024
MAX_NAME_CHARS = 1000
MAX_DEPTH = 32
CHUNK = 1 << 20
DAMAGED = "thành phần bị hỏng (dữ liệu nén hoặc mã kiểm tra CRC không đúng)"

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\\:*?\"<>|\u202a-\u202e\u2066-\u2069]")


class BackupError(ParScoreError):
    headline = "Lỗi: không sao lưu hoặc khôi phục được không gian làm việc"


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str


@dataclass
class Manifest:
    data: dict[str, Any]
    members: dict[str, Member]

    @property
    def migrations(self) -> dict[str, list[str]]:
        return self.data["database"]["migrations"]

    @property
    def rows(self) -> dict[str, int]:
        return self.data["database"]["rows"]


def manifest_data(
    *, version: str, created_at: str, vendor: str, migrations: dict, rows: dict, members: list[Member]
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "par_score_version": version,
        "created_at": created_at,
        "database": {"vendor": vendor, "migrations": migrations, "rows": rows},
        "members": [{"name": m.name, "size": m.size, "sha256": m.sha256} for m in members],
    }


def refuse(archive: Path | str, message: str, member: str | None = None) -> BackupError:
    return BackupError(Problem(f"thành phần '{member}': {message}" if member else message, file=str(archive)))


def check_name(name: str) -> str | None:
    """Why a member name cannot be extracted into the data folder (None when it can)."""
    if not name or len(name) > MAX_NAME_CHARS:
        return "tên thành phần rỗng hoặc quá dài"
    if _UNSAFE_NAME.search(name):
        return "tên thành phần có ký tự không được phép (ký tự điều khiển, \\, :, …)"
    if name.startswith("/"):
        return "đường dẫn tuyệt đối không được phép"
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "đường dẫn có '..', '.' hoặc '//' không được phép"
    if len(parts) > MAX_DEPTH:
        return "đường dẫn quá sâu"
    if name in (MANIFEST, DATABASE, LOG_KEY):
        return None
    if len(parts) < 2 or parts[0] not in FILE_FOLDERS:
        return f"thành phần ngoài các mục của bản sao lưu ({DATABASE}, {LOG_KEY}, {STORE}/, {RUNS}/)"
    return None


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0: an archiver that records no file type
    if info.is_dir() or kind not in (0, stat.S_IFREG):
        return "chỉ nhận tệp thường: liên kết tượng trưng (symlink), thư mục và tệp đặc biệt không được phép"
    if info.flag_bits & 0x1:
        return "thành phần được mã hóa không được phép"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return "kiểu nén không được hỗ trợ (chỉ nhận không nén hoặc deflate)"
    return None


def open_archive(path: Path) -> tuple[zipfile.ZipFile, Manifest]:
    """The archive opened and its manifest read and checked against its entries (names, kinds, sizes); BackupError
    naming the archive and the member otherwise. Nothing is extracted."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise refuse(path, "không phải tệp thường")
    except FileNotFoundError:
        raise refuse(path, "không tìm thấy tệp sao lưu") from None
    except OSError as exc:
        raise refuse(path, f"không đọc được tệp sao lưu ({os_reason(exc)})") from None
    if size > MAX_ARCHIVE_BYTES:
        raise refuse(path, f"tệp sao lưu quá lớn (tối đa {MAX_ARCHIVE_BYTES:,} byte)".replace(",", "."))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(path, "không phải tệp sao lưu par-score (không đọc được tệp zip)") from None
    try:
        manifest = _checked_manifest(path, archive)
    except BaseException:
        archive.close()
        raise
    return archive, manifest


def _checked_manifest(path: Path, archive: zipfile.ZipFile) -> Manifest:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise refuse(path, f"quá nhiều thành phần ({len(infos)}; tối đa {MAX_MEMBERS})")
    seen: set[str] = set()
    for info in infos:
        problem = check_name(info.filename) or _entry_problem(info)
        if problem:
            raise refuse(path, problem, info.filename)
        if info.filename in seen:
            raise refuse(path, "thành phần xuất hiện hai lần", info.filename)
        seen.add(info.filename)
    if MANIFEST not in seen:
        raise refuse(path, f"không phải tệp sao lưu par-score (thiếu {MANIFEST})")
    info = archive.getinfo(MANIFEST)
    if info.file_size > MAX_MANIFEST_BYTES:
        raise refuse(path, "tệp mô tả quá lớn", MANIFEST)
    raw = _read_member(path, archive, info, MAX_MANIFEST_BYTES)
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise refuse(path, "tệp mô tả không phải văn bản UTF-8", MANIFEST) from None
    except json.JSONDecodeError as exc:
        raise refuse(path, f"tệp mô tả không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})", MANIFEST) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise refuse(path, f"không phải tệp sao lưu par-score (định dạng phải là '{FORMAT}')", MANIFEST)
    database = data.get("database")
    if (
        not isinstance(database, dict)
        or not isinstance(database.get("migrations"), dict)
        or not all(isinstance(v, list) and all(isinstance(n, str) for n in v) for v in database["migrations"].values())
        or not isinstance(database.get("rows"), dict)
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in database["rows"].values())
    ):
        raise refuse(path, "tệp mô tả thiếu hoặc sai mục 'database' (trạng thái cơ sở dữ liệu)", MANIFEST)
    listed = data.get("members")
    if not isinstance(listed, list):
        raise refuse(path, "tệp mô tả thiếu danh sách thành phần ('members')", MANIFEST)
    members: dict[str, Member] = {}
    total = 0
    for position, item in enumerate(listed, start=1):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("name"), str)
            or not isinstance(item.get("size"), int)
            or isinstance(item.get("size"), bool)
            or item["size"] < 0
            or not isinstance(item.get("sha256"), str)
            or not _HEX64.match(item["sha256"])
        ):
            raise refuse(path, f"mục thứ {position} của danh sách thành phần không hợp lệ", MANIFEST)
        name = item["name"]
        if name == MANIFEST or name in members or name not in seen:
            raise refuse(path, "thành phần ghi trong tệp mô tả không có trong tệp sao lưu (hoặc ghi hai lần)", name)
        if archive.getinfo(name).file_size != item["size"]:
            raise refuse(path, "kích thước thành phần khác với tệp mô tả", name)
        members[name] = Member(name, item["size"], item["sha256"])
        total += item["size"]
    extra = sorted(seen - set(members) - {MANIFEST})
    if extra:
        raise refuse(path, "thành phần không được ghi trong tệp mô tả (tệp sao lưu đã bị thêm thành phần)", extra[0])
    for required in (DATABASE, LOG_KEY):
        if required not in members:
            raise refuse(path, f"tệp sao lưu thiếu {required}")
    if members[DATABASE].size > MAX_DATABASE_BYTES:
        raise refuse(path, "bản kết xuất cơ sở dữ liệu quá lớn", DATABASE)
    if members[LOG_KEY].size > MAX_KEY_BYTES:
        raise refuse(path, "khóa nhật ký quá lớn", LOG_KEY)
    if total > MAX_TOTAL_BYTES:
        limit = f"{MAX_TOTAL_BYTES:,}".replace(",", ".")
        raise refuse(path, f"tổng dung lượng các thành phần quá lớn (tối đa {limit} byte)")
    return Manifest(data, members)


def _read_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    chunks, read = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                read += len(chunk)
                if read > min(limit, info.file_size):
                    raise refuse(path, "thành phần lớn hơn kích thước đã khai", info.filename)
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, zlib.error):
        raise refuse(path, DAMAGED, info.filename) from None
    return b"".join(chunks)


def total_size(manifest: Manifest) -> int:
    return sum(m.size for m in manifest.members.values())


def extract(path: Path, archive: zipfile.ZipFile, manifest: Manifest, staging: Path) -> None:
    """Every member into `staging` (an empty folder), each read with its declared size as a limit and its sha256
    compared with the manifest; BackupError naming the first member that differs (the caller removes `staging`)."""
    root = staging.resolve()
    for member in manifest.members.values():
        target = root.joinpath(*member.name.split("/"))
        if root not in target.parents:  # names are checked already; never write outside the staging folder
            raise refuse(path, "đường dẫn ra ngoài thư mục khôi phục", member.name)
        digest = hashlib.sha256()
        read = 0
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(descriptor, "wb") as out, archive.open(member.name) as stream:
                while chunk := stream.read(CHUNK):
                    read += len(chunk)
                    if read > member.size:
                        raise refuse(path, "thành phần lớn hơn kích thước đã khai", member.name)
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except (zipfile.BadZipFile, EOFError, ValueError, RuntimeError, zlib.error):
            raise refuse(path, DAMAGED, member.name) from None
        except OSError as exc:
            raise refuse(path, f"không ghi được thành phần ra đĩa ({os_reason(exc)})", member.name) from None
        if read != member.size:
            raise refuse(path, "thành phần nhỏ hơn kích thước đã khai", member.name)
        if digest.hexdigest() != member.sha256:
            raise refuse(
                path,
                "mã băm SHA-256 của thành phần khác với tệp mô tả: tệp sao lưu đã bị sửa hoặc bị hỏng; không khôi phục",
                member.name,
            )
