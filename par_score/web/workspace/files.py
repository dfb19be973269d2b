"""Attached files stored by content: kho/files/<sha256>.<ext> under the data folder, with size and type limits.

A file's type is decided by its first bytes, never by its name; a name that says otherwise is refused.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from par_score.numbers import round_half_up, vn
from par_score.web.workspace.models import StoredFile
from par_score.web.workspace.naming import safe_file_name

# extension → (content type, label); the accepted kinds of scanned or office evidence
KINDS = {
    "pdf": ("application/pdf", "PDF"),
    "png": ("image/png", "ảnh PNG"),
    "jpg": ("image/jpeg", "ảnh JPEG"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word .docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel .xlsx"),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument .odt"),
}
ALIASES = {"jpeg": "jpg"}
ACCEPT = ",".join(f".{ext}" for ext in [*KINDS, *ALIASES])


class FileRefused(ValueError):
    """An upload that is not stored; the message says why in Vietnamese."""


@dataclass(frozen=True)
class Upload:
    path: Path
    name: str
    size: int


def store_root() -> Path:
    return Path(settings.STORE_DIR)


def stored_path(stored: StoredFile) -> Path:
    return store_root() / stored.relative_path


def _sniff(head: bytes, path: Path) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype")[:64] == b"application/vnd.oasis.opendocument.text":
                    return "odt"
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def kind_of(upload: Upload) -> str:
    """The kind of an uploaded file, checked against its name's extension; FileRefused when unknown or mismatched."""
    if upload.size > settings.MAX_ATTACHMENT_BYTES:
        limit = size_text(settings.MAX_ATTACHMENT_BYTES)
        raise FileRefused(f"tệp '{upload.name}' quá lớn ({size_text(upload.size)}; tối đa {limit})")
    if upload.size == 0:
        raise FileRefused(f"tệp '{upload.name}' rỗng")
    suffix = Path(upload.name).suffix.lower().lstrip(".")
    suffix = ALIASES.get(suffix, suffix)
    allowed = ", ".join(label for _, label in KINDS.values())
    if suffix not in KINDS:
        raise FileRefused(f"không nhận loại tệp của '{upload.name}'; chỉ nhận: {allowed}")
    with upload.path.open("rb") as stream:
        head = stream.read(16)
    found = _sniff(head, upload.path)
    if found != suffix:
        raise FileRefused(
            f"nội dung tệp '{upload.name}' không phải {KINDS[suffix][1]} như đuôi tệp cho biết; chỉ nhận: {allowed}"
        )
    return found


def size_text(size: int) -> str:
    """A size as a person reads it: "20 MB", "1,5 MB", "2.048 byte"."""
    if size < 1024 * 1024:
        return f"{vn(Decimal(size))} byte"
    return f"{vn(round_half_up(Decimal(size) / (1024 * 1024), Decimal('0.1')))} MB"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def store(upload: Upload, user) -> StoredFile:
    """Store an uploaded file by its sha256 (once, whoever uploads it again); FileRefused when it is not accepted."""
    extension = kind_of(upload)
    digest = sha256_of(upload.path)
    target = store_root() / "files" / f"{digest}.{extension}"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, staged = tempfile.mkstemp(dir=target.parent, prefix=".tai-len-")
        try:
            with os.fdopen(handle, "wb") as out, upload.path.open("rb") as source:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if sha256_of(Path(staged)) != digest:  # the upload changed under us: never store a wrong name
                raise FileRefused(f"tệp '{upload.name}' thay đổi trong khi lưu; hãy tải lên lại")
            os.replace(staged, target)
        finally:
            if os.path.exists(staged):
                os.unlink(staged)
    stored, _ = StoredFile.objects.get_or_create(
        sha256=digest,
        defaults={
            "extension": extension,
            "content_type": KINDS[extension][0],
            "size": upload.size,
            "original_name": Path(upload.name).name[:255],
            "created_by": user,
        },
    )
    return stored


@contextmanager
def upload_on_disk(django_file, name: str | None = None) -> Iterator[Upload]:
    """An uploaded file (Django's UploadedFile) as a file on disk, named as the user named it (so that problems
    name it too); removed afterwards."""
    shown = safe_file_name(name or django_file.name or "tep")
    with tempfile.TemporaryDirectory(prefix="par-score-tai-len-") as folder:
        target = Path(folder) / shown
        with target.open("wb") as out:
            for chunk in django_file.chunks():
                out.write(chunk)
        yield Upload(target, shown, target.stat().st_size)
