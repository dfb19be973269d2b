"""The evidence archive (`report --evidence-zip`): the attached files of the register's documents, each named by its
register number ("TL07-ke-hoach-cchc.pdf"), and DANH-MUC.txt listing every document of the register with its full
sha256. Deterministic: entries in register order with a fixed timestamp."""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from pathlib import Path, PurePosixPath

from par_score.errors import OutputError, Problem, os_reason
from par_score.outputs.report.register import Register

ARCHIVE_FILE = "tai-lieu-kiem-chung.zip"
LIST_FILE = "DANH-MUC.txt"
MAX_FILE_BYTES = 200 * 1024 * 1024  # as the evidence checks allow for one attached file
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _attached(root: Path, relative: str) -> Path:
    """The attached file inside the bundle folder: a regular file reached without symlinks, never outside it."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or "\\" in relative:
        raise OutputError(Problem("đường dẫn tệp đính kèm phải nằm trong thư mục bộ tài liệu", file=relative))
    current = root
    for part in path.parts:
        current = current / part
        if current.is_symlink():
            raise OutputError(Problem("tệp đính kèm không được là liên kết (symlink)", file=relative))
    try:
        mode = current.stat().st_mode
    except OSError as exc:
        raise OutputError(Problem(f"không đọc được tệp đính kèm ({os_reason(exc)})", file=relative)) from None
    if not stat.S_ISREG(mode):
        raise OutputError(Problem("tệp đính kèm phải là tệp thông thường", file=relative))
    return current


def _read(path: Path, relative: str) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise OutputError(Problem(f"không đọc được tệp đính kèm ({os_reason(exc)})", file=relative)) from None
    if len(data) > MAX_FILE_BYTES:
        raise OutputError(Problem("tệp đính kèm quá lớn (tối đa 200 MB)", file=relative))
    return data


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def evidence_archive(register: Register, root: Path | str) -> bytes:
    """The archive's bytes; OutputError when no document has an attached file, a file is missing, leaves the bundle
    folder, or no longer matches the sha256 the evidence declares."""
    root = Path(root)
    attached = [entry for entry in register.entries if entry.file_path]
    if not attached:
        raise OutputError(
            Problem(
                "không có tài liệu kiểm chứng nào kèm tệp (documents[].file) để đóng gói; bỏ --evidence-zip",
                field="--evidence-zip",
            )
        )
    lines = ["Số TT\tSố, ký hiệu\tNgày ban hành\tCơ quan ban hành\tTrích yếu\tTệp trong gói\tSHA-256"]
    out = io.BytesIO()
    total = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in register.entries:
            name, digest = "", ""
            if entry.file_path:
                data = _read(_attached(root, entry.file_path), entry.file_path)
                total += len(data)
                if total > MAX_ARCHIVE_BYTES:
                    raise OutputError(Problem("tổng dung lượng tệp đính kèm quá lớn để đóng gói (tối đa 1 GB)"))
                digest = hashlib.sha256(data).hexdigest()
                if entry.sha256 and not digest.startswith(entry.sha256):
                    raise OutputError(
                        Problem("mã băm sha256 của tệp không còn khớp với tài liệu kiểm chứng", file=entry.file_path)
                    )
                name = f"{entry.code}-{entry.file}"
                archive.writestr(_entry(name), data)
            fields = [entry.code, entry.number, entry.date, entry.issuer, entry.title, name or "—", digest or "—"]
            lines.append("\t".join(" ".join(f.split()) for f in fields))
        archive.writestr(_entry(LIST_FILE), ("\n".join(lines) + "\n").encode("utf-8"))
    return out.getvalue()
