"""sha256 of files, streamed; the files a bundle was read from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from par_score.errors import InputError, Problem
from par_score.evidence import Bundle
from par_score.io import hashing


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file; InputError (naming the file) when it cannot be read."""
    try:
        return hashing.sha256_file(path)
    except OSError as exc:
        raise InputError(Problem(f"không đọc được tệp để tính mã băm ({exc.strerror})", file=str(path))) from None


def sha256_or_none(path: Path) -> str | None:
    """Hex sha256, or None when the file is missing or unreadable (rerun reports it)."""
    if not path.is_file():
        return None
    try:
        return sha256_file(path)
    except InputError:
        return None


@dataclass(frozen=True)
class InputFile:
    """One file a bundle was read from: `path` relative to the bundle root (POSIX) when inside it."""

    path: str
    kind: str  # "evidence" | "attachment"

    def location(self, root: Path) -> Path:
        candidate = Path(self.path)
        return candidate if candidate.is_absolute() else root / candidate


def relative_to_root(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def input_files(bundle: Bundle) -> list[InputFile]:
    """Every evidence file the bundle was read from, then every attached document file, without repeats."""
    root = Path(bundle.root)
    seen: set[str] = set()
    result: list[InputFile] = []
    for name in bundle.files:
        relative = relative_to_root(Path(name), root)
        if relative not in seen:
            seen.add(relative)
            result.append(InputFile(relative, "evidence"))
    for document in bundle.documents:
        if document.file is None:
            continue
        relative = Path(document.file.path).as_posix()
        if relative not in seen:
            seen.add(relative)
            result.append(InputFile(relative, "attachment"))
    return result
