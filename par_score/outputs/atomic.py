"""Atomic writes: a file appears complete or not at all; an existing output is kept unless overwriting is asked."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from par_score.errors import OutputError, Problem


def prepare_dir(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(Problem(f"không tạo được thư mục kết quả ({exc.strerror})", file=str(folder))) from None
    if not folder.is_dir():
        raise OutputError(Problem("đường dẫn kết quả không phải là thư mục", file=str(folder)))
    return folder


def refuse_existing(paths: list[Path], force: bool) -> None:
    """Refuse before any work starts if an output already exists and --force was not given."""
    if force:
        return
    existing = [p for p in paths if p.exists()]
    if existing:
        raise OutputError(
            [Problem("tệp kết quả đã tồn tại; dùng --force để ghi đè hoặc chọn thư mục khác (--out)", file=str(p)) for p in existing]
        )


def write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it."""
    folder = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(Problem(f"không ghi được vào thư mục ({exc.strerror})", file=str(folder))) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
