"""Batch scoring: a folder whose entries are themselves bundles, scored with one engine host, one result per unit.

Telling a batch from a folder bundle. In a folder, a *header* file is a YAML/JSON file that declares `unit` at its
top level. A *sub-bundle* is a (non-hidden) sub-folder holding a header file. The folder is **one folder bundle**
when it has a top-level YAML/JSON file that is not a header (a loose part to be merged), or when it has just one
entry; it is a **batch** when every top-level YAML/JSON file is a header and it has at least two entries (header
files, sub-bundles, .xlsx workbooks) — or no top-level YAML/JSON file and at least one sub-bundle or workbook.

All or nothing. Every bundle is read and checked before any result appears. Results are written, as they are
scored, into a hidden staging folder inside the output folder (`.dang-ghi-XXXX/<unit>/`); only when every bundle
is valid are they renamed into place (`OUT/<unit>/ket-qua.json`, with manifest.json and trace.jsonl) and the
ranking written (`OUT/xep-hang.json`). If any bundle is invalid (or an output exists without --force), every
problem of every bundle is reported, the staging folder is removed and nothing is written. Memory stays flat:
one bundle and one result are held at a time.
"""

from __future__ import annotations

import itertools
import re
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from par_score.audit.record import audit_trail_files, write_audit_trail
from par_score.batch.reading import read_each
from par_score.batch.writing import helpers_wanted, writer_for
from par_score.catalogue import CatalogueIndex, load_catalogue
from par_score.errors import InputError, OutputError, Problem
from par_score.evidence import Bundle
from par_score.evidence.load import EVIDENCE_SUFFIXES
from par_score.io.atomic import (
    STALE_AFTER_SECONDS,
    commit,
    prepare_dir,
    refuse_existing,
    write_text,
)
from par_score.io.readers import read_bytes_limited
from par_score.outputs.ranking import RankRow, ranked, ranking_json
from par_score.scoring.checks import check_bundle
from par_score.scoring.result import RESULT_FILE
from par_score.scoring.scorer import Scorer

RANKING_FILE = "xep-hang.json"
STAGING_PREFIX = ".dang-ghi-"
MAX_BUNDLES = 10_000
_YAML_UNIT = re.compile(rb"^(unit|\"unit\"|'unit')[ \t]*:", re.MULTILINE)
_JSON_UNIT = re.compile(rb"\"unit\"\s*:")


def _visible(path: Path) -> bool:
    return not path.name.startswith((".", "~$"))


def declares_unit(path: Path) -> bool:
    """Whether an evidence file declares `unit` at its top level (a header file: a whole bundle, or a folder's head)."""
    try:
        raw = read_bytes_limited(path)
    except InputError:
        return True  # unreadable or too large: let loading report it as an entry of its own
    pattern = _JSON_UNIT if path.suffix.lower() == ".json" else _YAML_UNIT
    return pattern.search(raw.removeprefix(b"\xef\xbb\xbf")) is not None


def _evidence_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and _visible(p) and p.suffix.lower() in EVIDENCE_SUFFIXES)


def batch_entries(path: Path) -> list[Path] | None:
    """The bundles of a batch folder, in name order; None when `path` is one bundle (file or folder bundle)."""
    if not path.is_dir():
        return None
    try:
        files = _evidence_files(path)
        if any(not declares_unit(f) for f in files):
            return None  # a loose part: this folder is one bundle whose files are merged
        folders = [
            d
            for d in sorted(path.iterdir())
            if d.is_dir() and _visible(d) and any(declares_unit(f) for f in _evidence_files(d))
        ]
        workbooks = sorted(p for p in path.iterdir() if p.is_file() and _visible(p) and p.suffix.lower() == ".xlsx")
    except OSError:
        return None  # loading the folder as one bundle reports the problem
    entries = sorted([*files, *folders, *workbooks], key=lambda p: p.name)
    if len(entries) >= 2 or (not files and entries):
        return entries
    return None


@dataclass
class BatchOutcome:
    index: CatalogueIndex
    basis: str
    ranking: list[tuple[int, RankRow]]
    out_dir: Path
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    helpers: int = 0  # helper processes used (reading ahead, writing outputs)


def sweep_staging(out_dir: Path, older_than: float = STALE_AFTER_SECONDS) -> None:
    """Remove staging folders of batches killed mid-run (old enough not to belong to a batch still running)."""
    if not out_dir.is_dir():
        return
    limit = time.time() - older_than
    for entry in out_dir.iterdir():
        try:
            if (
                entry.name.startswith(STAGING_PREFIX)
                and entry.is_dir()
                and not entry.is_symlink()
                and entry.stat().st_mtime < limit
            ):
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


class _Batch:
    def __init__(self, entries: list[Path], out_dir: Path, force: bool):
        self.entries = entries
        self.out_dir = out_dir
        self.force = force
        self.problems: list[Problem] = []
        self.output_problems: list[Problem] = []
        self.units: dict[str, Path] = {}
        self.scoring: deque[tuple[Path, Bundle]] = deque()

    def targets(self, unit: str) -> list[Path]:
        folder = self.out_dir / unit
        return [folder / RESULT_FILE, *audit_trail_files(folder)]

    def admit(self, entry: Path, bundle: Bundle, index: CatalogueIndex) -> bool:
        """Check one loaded bundle; record its problems; True when it may be scored."""
        try:
            check_bundle(bundle, index)
        except InputError as exc:
            self.problems.extend(exc.problems)
            return False
        code = bundle.unit.code
        if code in self.units:
            self.problems.append(
                Problem(
                    f"mã đơn vị '{code}' trùng với bộ bằng chứng '{self.units[code]}'; mỗi đơn vị chỉ một bộ",
                    file=str(entry),
                    field="unit.code",
                )
            )
            return False
        self.units[code] = entry
        folder = self.out_dir / code
        if folder.exists() and not folder.is_dir():
            self.output_problems.append(Problem("đã có một tệp trùng tên thư mục kết quả của đơn vị", file=str(folder)))
            return False
        try:
            refuse_existing(self.targets(code), self.force)
        except OutputError as exc:
            self.output_problems.extend(exc.problems)
            return False
        return True


def run_batch(
    entries: list[Path],
    *,
    catalogue_ref: str | None,
    out_dir: Path,
    force: bool,
    agency: str | None,
    audit: bool = True,
    progress: Callable[[int], None] = lambda n: None,
    parallel: bool | None = None,
) -> BatchOutcome:
    """Score every bundle of a batch with one Scorer and one engine host; write all results or none.

    The catalogue is the --catalogue reference, else the first bundle's declared one; `audit`: write each unit's
    audit trail (trace.jsonl, manifest.json) beside its result; `progress(n)` is told after each bundle;
    `parallel`: read ahead and write the outputs in two helper processes
    (None: for large batches on a multi-core machine, see batch.writing.helpers_wanted).
    """
    started = time.perf_counter()
    if len(entries) > MAX_BUNDLES:
        raise InputError(Problem(f"quá nhiều bộ bằng chứng ({len(entries)}; tối đa {MAX_BUNDLES})", file=str(out_dir)))
    refuse_existing([out_dir / RANKING_FILE], force)
    batch = _Batch(entries, out_dir, force)
    created = not out_dir.exists()
    sweep_staging(out_dir)
    staging: Path | None = None
    rows: list[RankRow] = []
    helper = helpers_wanted(len(entries), parallel)
    loaded = read_each(entries, helper=helper)

    # The catalogue comes from --catalogue or from the first bundle that loads.
    first: tuple[Path, Bundle] | None = None
    for entry, bundle, problems in loaded:
        if bundle is not None:
            first = (entry, bundle)
            break
        batch.problems.extend(problems)
        progress(1)
    if first is None:
        raise InputError(batch.problems or [Problem("thư mục không có bộ bằng chứng nào", file=str(out_dir))])
    try:
        index = load_catalogue(catalogue_ref or first[1].catalogue)
    except BaseException:
        loaded.close()  # stops the reading helper
        raise

    def admitted() -> Iterator[Bundle]:
        for entry, bundle, problems in itertools.chain([(*first, [])], loaded):
            if bundle is None:
                batch.problems.extend(problems)
                progress(1)
            elif batch.admit(entry, bundle, index) and not (batch.problems or batch.output_problems):
                batch.scoring.append((entry, bundle))
                yield bundle
            else:
                progress(1)

    options = {"command": "score", "agency": agency, "catalogue": catalogue_ref}
    writer = writer_for(helper=helper, index=index, record=write_audit_trail if audit else None, options=options)
    try:
        for result in Scorer(index).iter_scores(admitted(), agency=agency):
            entry, bundle = batch.scoring.popleft()
            if staging is None:
                prepare_dir(out_dir)
                staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
            unit_dir = staging / result.unit.code
            unit_dir.mkdir()
            writer.submit(unit_dir, entry, result, bundle)
            rows.append(RankRow.of(result, str(entry)))
            progress(1)
        writer.drain()
        problems = batch.problems + batch.output_problems
        if problems:
            raise (InputError if batch.problems else OutputError)(problems)
        written = _commit(staging, out_dir) if staging is not None else []
    except BaseException:
        loaded.close()
        writer.close()  # let the helper finish what it is writing before its folder goes
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if created:
            _remove_if_empty(out_dir)
        raise
    writer.close()
    shutil.rmtree(staging, ignore_errors=True)
    basis, ranking = ranked(rows)
    ranking_path = out_dir / RANKING_FILE
    write_text(ranking_path, ranking_json(basis, ranking, catalogue=index.id, year=index.year, result_file=RESULT_FILE))
    return BatchOutcome(
        index, basis, ranking, out_dir, [*written, ranking_path], time.perf_counter() - started, 2 if helper else 0
    )


def _commit(staging: Path, out_dir: Path) -> list[Path]:
    """Rename every staged file into place: each one atomically replaces the previous output of its unit."""
    written = []
    for unit_dir in sorted(staging.iterdir()):
        final = prepare_dir(out_dir / unit_dir.name)
        for staged in sorted(unit_dir.iterdir()):
            commit(staged, final / staged.name)
            written.append(final / staged.name)
    return written


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


__all__ = ["BatchOutcome", "RANKING_FILE", "batch_entries", "run_batch"]
