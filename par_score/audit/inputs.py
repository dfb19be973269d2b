"""sha256 of files, streamed; the files a bundle was read from."""

from __future__ import annotations

import os
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
    kind: str  # "evidence" | "attachment" | "part" (a file merged into the bundle by `par-score merge`)
    contributor: str | None = None  # who sent it (evidence files of a folder bundle, parts of a merged bundle)
    sha256: str | None = None  # a part's sha256 when it was merged (the bundle records it)

    def location(self, root: Path) -> Path:
        candidate = Path(self.path)
        return candidate if candidate.is_absolute() else root / candidate


def relative_to_root(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def relative_path(path: Path | str, folder: Path | str) -> str:
    """`path` relative to `folder` (POSIX, with '..' where needed): what a manifest stores, so that a run folder
    moved or copied together with its bundle still finds it. Absolute only across drives (Windows)."""
    try:
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(folder))).as_posix()
    except ValueError:
        return Path(os.path.abspath(path)).as_posix()


def input_files(bundle: Bundle) -> list[InputFile]:
    """Every evidence file the bundle was read from, then every attached document file, then the files merged into
    it (its `parts`), without repeats."""
    root = Path(bundle.root)
    seen: set[str] = set()
    result: list[InputFile] = []
    for name in bundle.files:
        relative = relative_to_root(Path(name), root)
        if relative not in seen:
            seen.add(relative)
            result.append(InputFile(relative, "evidence", bundle.contributors.get(name)))
    for document in bundle.documents:
        if document.file is None:
            continue
        relative = Path(document.file.path).as_posix()
        if relative not in seen:
            seen.add(relative)
            result.append(InputFile(relative, "attachment"))
    for part in bundle.parts:
        if part.path not in seen:
            seen.add(part.path)
            result.append(InputFile(part.path, "part", part.contributor, part.sha256))
    return result
