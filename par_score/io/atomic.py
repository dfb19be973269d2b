"""Atomic outputs: a run's whole set of outputs appears at once, or not at all; one run at a time per folder.

Output sets (`OutputSet`: a run's ket-qua.json, reports, trace.jsonl and manifest.json; a batch's unit folders and
ranking). Everything is written into a hidden staging folder beside the output folder (`.NAME.dang-ghi-XXXXXXXX`,
each file fsynced), then the staging folder and the output folder are switched in ONE step: Linux's
renameat2(RENAME_EXCHANGE) swaps the two directory entries atomically, or, for a folder that does not exist yet, one
rename creates it. A run killed at any moment therefore leaves the output folder holding either the whole previous
set or the whole new set. The previous set, now in the staging folder's place, is then deleted.

Files in the output folder that the new set does not write are carried over into the new folder (hard links, so no
copy) — except, with --force, the outputs of the previous set (the caller says which entries those are), which
disappear with it. Where RENAME_EXCHANGE is not available (another system, or a file system without it), the switch
takes two renames (output folder aside as `.NAME.cu-XXXXXXXX`, staging folder in its place); a kill between them
leaves no output folder for an instant, and the next run into it puts the previous set back before anything else.

One run at a time: an exclusive lock (flock) on a hidden lock file beside the output folder (`.NAME.khoa`, never
deleted, so that its inode stays the same) is held for the whole run; a second run into the same folder fails at
once with a clear message. Under that lock, what killed runs left beside the folder is removed at the start.

Single files (a template, an export, an appraised result, a merged bundle) are written to a hidden temporary file
beside the target (`.NAME.XXXXXXXX.tmp`, fsynced) and renamed over it in one step; without --force they are linked
into place, which fails if the target appeared meanwhile, so that no concurrent run is silently overwritten.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from par_score.errors import OutputError, Problem, os_reason

TEMP_SUFFIX = ".tmp"
STALE_AFTER_SECONDS = 600
STAGING_MARK = ".dang-ghi-"
ASIDE_MARK = ".cu-"
LOCK_SUFFIX = ".khoa"

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: no lock there (documented)
    fcntl = None  # type: ignore[assignment]


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
    existing = [p for p in paths if p.exists() or p.is_symlink()]
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


# ---- single files ---------------------------------------------------------------------------------------------------
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


def commit(staged: Path, path: Path, *, replace: bool = True) -> None:
    """Put a staged temporary file at `path` in one step: renamed over it, or (not `replace`) linked into place,
    which fails if `path` exists — a concurrent writer's file is never overwritten silently."""
    try:
        if replace:
            os.replace(staged, path)
            return
        try:
            os.link(staged, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: checked, then renamed (a narrow window remains there)
            if os.path.lexists(path):
                raise FileExistsError(path) from None
            os.replace(staged, path)
            return
    except FileExistsError:
        discard(staged)
        raise OutputError(
            Problem("tệp kết quả đã tồn tại; dùng --force để ghi đè hoặc chọn thư mục khác (--out)", file=str(path))
        ) from None
    except OSError as exc:
        discard(staged)
        raise OutputError(Problem(f"không ghi được tệp kết quả ({os_reason(exc)})", file=str(path))) from None
    discard(staged)


def discard(staged: Path) -> None:
    try:
        os.unlink(staged)
    except OSError:
        pass


def write_bytes(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write to a temporary file beside `path`, fsync, then put it in place in one step (see `commit`); old
    temporaries of `path` that a killed writer left are removed first."""
    sweep_stale(path.parent, [path.name])
    staged = stage_bytes(path, data)
    try:
        commit(staged, path, replace=replace)
    except BaseException:
        discard(staged)
        raise


def write_text(path: Path, text: str, *, replace: bool = True) -> None:
    write_bytes(path, text.encode("utf-8"), replace=replace)


def sweep_stale(folder: Path, names: list[str], older_than: float = STALE_AFTER_SECONDS) -> list[Path]:
    """Remove the hidden temporary files of outputs `names` in `folder` left by a killed run (older than
    `older_than` seconds, so that a file still being written by a live run is left alone)."""
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


# ---- where an output folder may be ----------------------------------------------------------------------------------
def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def output_folder(out_dir: Path) -> Path:
    """The real, absolute output folder (a symlink to a folder is followed: its target is what gets switched)."""
    return Path(os.path.realpath(out_dir))


def refuse_unsafe_folder(out_dir: Path, sources: Iterable[Path] = ()) -> None:
    """Refuse an output folder that cannot be switched as a whole, or that would be read back as input: the
    working folder or one that holds it, the root, and a folder equal to or inside a source folder."""
    real = output_folder(out_dir)
    here = Path(os.path.realpath(os.getcwd()))
    if real.parent == real or _inside(here, real):
        raise OutputError(
            Problem(
                "không dùng thư mục đang làm việc (hoặc thư mục chứa nó) làm thư mục kết quả: cả thư mục được thay "
                "khi ghi; hãy chọn một thư mục con riêng, ví dụ --out ket-qua",
                file=str(out_dir),
                field="--out",
            )
        )
    if real.exists() and not real.is_dir():
        raise OutputError(Problem("đường dẫn kết quả không phải là thư mục", file=str(out_dir), field="--out"))
    for source in sources:
        folder = Path(os.path.realpath(source))
        if folder.is_dir() and (_inside(real, folder) or _inside(folder, real)):
            raise OutputError(
                Problem(
                    f"thư mục kết quả trùng, nằm trong hoặc chứa thư mục bộ bằng chứng '{source}': lần chạy sau sẽ đọc "
                    "kết quả như tài liệu kiểm chứng; hãy chọn thư mục khác (--out)",
                    file=str(out_dir),
                    field="--out",
                )
            )


# ---- one run at a time per output folder ----------------------------------------------------------------------------
# lock file → (descriptor, depth), per thread: a thread may re-enter its own lock (the CLI locks before scoring,
# write_run locks again to write); another thread opens the file anew, and flock refuses it like another process.
_LOCAL = threading.local()


def lock_file(out_dir: Path) -> Path:
    """The hidden lock file of an output folder (beside it)."""
    real = output_folder(Path(out_dir))
    return real.parent / f".{real.name}{LOCK_SUFFIX}"


@contextlib.contextmanager
def folder_lock(out_dir: Path) -> Iterator[None]:
    """Hold the exclusive lock of an output folder for the block; OutputError at once if another run holds it.

    Re-entrant within one thread (the CLI locks before scoring; write_run locks again to write); exclusive between
    threads and processes. Creates the folder's parent if needed (the lock file lives there). No lock where the
    system has no flock (Windows).
    """
    real = output_folder(out_dir)
    key = str(lock_file(real))
    if fcntl is None:  # pragma: no cover
        yield
        return
    _HELD: dict[str, tuple[int, int]] = _LOCAL.__dict__.setdefault("held", {})
    if key in _HELD:
        descriptor, depth = _HELD[key]
        _HELD[key] = (descriptor, depth + 1)
        try:
            yield
        finally:
            descriptor, depth = _HELD[key]
            _HELD[key] = (descriptor, depth - 1)
        return
    prepare_dir(real.parent)
    try:
        descriptor = os.open(key, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise OutputError(
            Problem(f"không tạo được tệp khóa của thư mục kết quả ({os_reason(exc)})", file=key)
        ) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(descriptor)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise OutputError(
                Problem(
                    "một lần chạy par-score khác đang ghi vào thư mục kết quả này; hãy đợi lần chạy đó kết thúc "
                    "hoặc chọn thư mục khác (--out)",
                    file=str(out_dir),
                )
            ) from None
        raise OutputError(Problem(f"không khóa được thư mục kết quả ({os_reason(exc)})", file=key)) from None
    _HELD[key] = (descriptor, 1)
    try:
        _recover(real)
        yield
    finally:
        depth = _HELD[key][1] - 1
        if depth:
            _HELD[key] = (descriptor, depth)
        else:
            del _HELD[key]
            os.close(descriptor)  # releases the lock


def folder_lock_if_switchable(folder: Path) -> contextlib.AbstractContextManager:
    """The lock of `folder` for a single-file write into it (appraise into a run folder), so that it never races a
    run switching that folder; none for the working folder or one above it, which no run may switch."""
    real = output_folder(folder)
    here = Path(os.path.realpath(os.getcwd()))
    if real.parent == real or _inside(here, real):
        return contextlib.nullcontext()
    return folder_lock(folder)


def _recover(real: Path) -> None:
    """Under the lock: what killed runs left beside the folder. A folder set aside by a two-rename switch (no
    RENAME_EXCHANGE) comes back if the output folder is missing; every staging or set-aside folder goes."""
    parent = real.parent
    ours = re.compile(
        rf"^\.{re.escape(real.name)}(?P<mark>{re.escape(STAGING_MARK)}|{re.escape(ASIDE_MARK)})[a-z0-9_]+$"
    )
    try:
        leftovers = [e for e in parent.iterdir() if ours.match(e.name) and e.is_dir() and not e.is_symlink()]
    except OSError:
        return
    aside = [e for e in leftovers if ours.match(e.name).group("mark") == ASIDE_MARK]  # type: ignore[union-attr]
    if len(aside) == 1 and not os.path.lexists(real):
        with contextlib.suppress(OSError):
            os.rename(aside[0], real)
            _fsync_dir(parent)
    for entry in leftovers:
        shutil.rmtree(entry, ignore_errors=True)


# ---- the switch ---------------------------------------------------------------------------------------------------
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@lru_cache(maxsize=1)
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # glibc before 2.28, or another C library
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(a: Path, b: Path) -> bool:
    """Swap two directory entries in one atomic step; False where the system or file system cannot."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _carry(entry: Path, target: Path) -> None:
    """A foreign entry of the previous folder into the new one: hard links for files, the same tree for folders."""
    if entry.is_symlink():
        os.symlink(os.readlink(entry), target)
    elif entry.is_dir():
        target.mkdir()
        for child in entry.iterdir():
            _carry(child, target / child.name)
    elif entry.is_file():
        try:
            os.link(entry, target)
        except OSError:  # a file system without hard links
            shutil.copy2(entry, target)


class OutputSet:
    """The outputs of one run (or batch) in one output folder, written as a set; use as a context manager.

        with OutputSet(out_dir, force=force, previous=is_previous_output) as output:
            output.refuse_existing(targets)
            output.write({out_dir / "ket-qua.json": data, …})   # or write into output.staging directly
            output.commit()

    `previous(entry)`: whether an entry of the existing folder is an output of the previous set (removed with
    --force when the new set does not write it); everything else there is carried over. Leaving the block without
    commit() removes the staging folder: the output folder is untouched.
    """

    def __init__(self, out_dir: Path, *, force: bool, previous: Callable[[Path], bool] = lambda entry: False):
        self.out_dir = Path(out_dir)
        self.real = output_folder(self.out_dir)
        self.force = force
        self.previous = previous
        self._staging: Path | None = None
        self._lock = folder_lock(self.out_dir)
        self.committed = False

    def __enter__(self) -> OutputSet:
        self._lock.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            if self._staging is not None and not self.committed:
                shutil.rmtree(self._staging, ignore_errors=True)
        finally:
            self._lock.__exit__(*exc_info)

    def refuse_existing(self, paths: list[Path]) -> None:
        refuse_existing(paths, self.force)

    @property
    def staging(self) -> Path:
        """The hidden folder the new set is written into (created on first use, beside the output folder)."""
        if self._staging is None:
            prepare_dir(self.real.parent)
            try:
                self._staging = Path(tempfile.mkdtemp(prefix=f".{self.real.name}{STAGING_MARK}", dir=self.real.parent))
                os.chmod(self._staging, 0o777 & ~_umask())
            except OSError as exc:
                raise OutputError(
                    Problem(f"không ghi được vào thư mục ({os_reason(exc)})", file=str(self.real.parent))
                ) from None
        return self._staging

    def staged(self, path: Path) -> Path:
        """Where an output `path` (inside the output folder) is written before the switch."""
        try:
            relative = Path(path).relative_to(self.out_dir)
        except ValueError:
            relative = output_folder(Path(path).parent).relative_to(self.real) / Path(path).name
        return self.staging / relative

    def write(self, files: dict[Path, bytes]) -> list[Path]:
        """Write outputs (their final paths → bytes) into the staging folder, each fsynced."""
        for path, data in files.items():
            target = self.staged(path)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _file_mode())
                with os.fdopen(descriptor, "wb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
            except OSError as exc:
                raise OutputError(Problem(f"không ghi được tệp kết quả ({os_reason(exc)})", file=str(path))) from None
        return list(files)

    def commit(self) -> None:
        """Switch the staged set in, in one atomic step; then delete the previous set."""
        staging = self.staging
        real = self.real
        try:
            if os.path.lexists(real):
                if not real.is_dir():
                    raise OutputError(Problem("đường dẫn kết quả không phải là thư mục", file=str(self.out_dir)))
                self._carry_over(real, staging)
                os.chmod(staging, real.stat().st_mode & 0o7777)  # the folder keeps its permissions
            for folder in [staging, *(p for p in staging.rglob("*") if p.is_dir() and not p.is_symlink())]:
                _fsync_dir(folder)
            if not os.path.lexists(real):
                os.rename(staging, real)
            elif not exchange(staging, real):
                aside = real.parent / f".{real.name}{ASIDE_MARK}{secrets.token_hex(4)}"
                os.rename(real, aside)
                os.rename(staging, real)
                os.rename(aside, staging)
            _fsync_dir(real.parent)
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError(
                Problem(f"không ghi được thư mục kết quả ({os_reason(exc)})", file=str(self.out_dir))
            ) from None
        self.committed = True
        shutil.rmtree(staging, ignore_errors=True)  # the previous set, swapped into the staging folder's place

    def _carry_over(self, real: Path, staging: Path) -> None:
        for entry in real.iterdir():
            target = staging / entry.name
            if os.path.lexists(target):
                continue  # the new set writes it
            if is_temporary(entry) or entry.name.startswith(STAGING_MARK):
                continue  # what a killed run of an earlier version left inside
            if self.force and self.previous(entry):
                continue  # an output of the previous set that the new set does not write
            _carry(entry, target)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
