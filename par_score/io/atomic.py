"""Atomic writes: a file appears complete or not at all; an existing output is kept unless overwriting is asked.

Every output is first written to a hidden temporary file beside it (`.NAME.XXXXXXXX.tmp`, fsynced), then renamed
over the target in one step. A run killed at any moment therefore leaves each output either as it was or as the new
complete file — never half-written. A killed run may leave a hidden temporary file behind; `sweep_stale` removes
those of a folder's outputs once they are old enough not to belong to a run still writing.
"""

from __future__ import annotations

import os
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from par_score.errors import OutputError, Problem, os_reason

TEMP_SUFFIX = ".tmp"
STALE_AFTER_SECONDS = 600


def prepare_dir(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(Problem(f"không tạo được thư mục kết quả ({os_reason(exc)})", file=str(folder))) from None
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
            [
                Problem("tệp kết quả đã tồn tại; dùng --force để ghi đè hoặc chọn thư mục khác (--out)", file=str(p))
                for p in existing
            ]
        )


@lru_cache(maxsize=1)
def _file_mode() -> int:
    """The mode an ordinary new file gets under the process umask (mkstemp would leave it private, 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def is_temporary(path: Path) -> bool:
    """A hidden temporary file of this module: never an output."""
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)


def stage_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to a hidden temporary file beside `path`, fsynced; `commit` renames it into place."""
    folder = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise OutputError(Problem(f"không ghi được vào thư mục ({os_reason(exc)})", file=str(folder))) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            if hasattr(os, "fchmod"):  # not on Windows, where mkstemp's files are not private anyway
                os.fchmod(stream.fileno(), _file_mode())
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException as exc:
        discard(Path(temporary))
        if isinstance(exc, OSError):
            raise OutputError(Problem(f"không ghi được tệp kết quả ({os_reason(exc)})", file=str(path))) from None
        raise
    return Path(temporary)


def commit(staged: Path, path: Path) -> None:
    """Rename a staged temporary file over `path` (one atomic step on the same file system)."""
    try:
        os.replace(staged, path)
    except OSError as exc:
        discard(staged)
        raise OutputError(Problem(f"không ghi được tệp kết quả ({os_reason(exc)})", file=str(path))) from None


def discard(staged: Path) -> None:
    try:
        os.unlink(staged)
    except OSError:
        pass


def write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it."""
    staged = stage_bytes(path, data)
    try:
        commit(staged, path)
    except BaseException:
        discard(staged)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_set(files: dict[Path, bytes]) -> None:
    """Write several outputs as one set: stage every file first, then rename them in order.

    A failure while staging leaves every previous output untouched; a kill can only fall between two renames, a
    window of microseconds, and the manifest (renamed last) hashes the others, so `rerun` would notice.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((stage_bytes(path, data), path))
    except BaseException:
        for temporary, _ in staged:
            discard(temporary)
        raise
    for position, (temporary, path) in enumerate(staged):
        try:
            commit(temporary, path)
        except BaseException:
            for rest, _ in staged[position + 1 :]:
                discard(rest)
            raise


def sweep_stale(folder: Path, names: list[str], older_than: float = STALE_AFTER_SECONDS) -> list[Path]:
    """Remove the hidden temporary files of outputs `names` in `folder` left by a killed run (older than
    `older_than` seconds)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    prefixes = tuple(f".{name}." for name in names)
    limit = time.time() - older_than
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(prefixes) and is_temporary(entry)):
            continue
        try:
            if entry.is_file() and not entry.is_symlink() and entry.stat().st_mtime < limit:
                entry.unlink()
                removed.append(entry)
        except OSError:
            continue
    return removed
