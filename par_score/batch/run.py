"""Batch scoring: a folder whose entries are themselves bundles, scored with one engine host, one result per unit.

Telling a batch from a folder bundle. In a folder, a *header* file is a YAML/JSON file that declares `unit` at its
top level. A *sub-bundle* is a (non-hidden) sub-folder holding a header file. The folder is **one folder bundle**
when it has a top-level YAML/JSON file that is not a header (a loose part to be merged), or when it has just one
entry; it is a **batch** when every top-level YAML/JSON file is a header and it has at least two entries (header
files, sub-bundles, .xlsx workbooks) — or no top-level YAML/JSON file and at least one sub-bundle or workbook.

All or nothing. Every bundle is read and checked before any result appears. Results are written, as they are
scored, into the hidden staging folder of the output set (io.atomic.OutputSet, beside the output folder):
`<unit>/ket-qua.json` with manifest.json and trace.jsonl, then the ranking `xep-hang.json`; only when every bundle
is valid is the whole set switched in at once. If any bundle is invalid (or an output exists without --force), every
problem of every bundle is reported, the staging folder is removed and nothing is written. With --force, unit folders
and the ranking of the previous batch that this one does not write go; a second batch into the same folder fails at
once. Memory stays flat: one bundle and one result are held at a time.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from par_score.audit.manifest import MANIFEST_FILE
from par_score.audit.record import audit_trail_files, write_audit_trail
from par_score.audit.trace import TRACE_FILE
from par_score.batch.reading import read_each
from par_score.batch.writing import helpers_wanted, writer_for
from par_score.catalogue import CatalogueIndex, load_catalogue
from par_score.errors import InputError, OutputError, Problem
from par_score.evidence import Bundle
from par_score.evidence.advice import merge_command
from par_score.evidence.load import EVIDENCE_SUFFIXES
from par_score.io.atomic import OutputSet, refuse_existing, refuse_unsafe_folder
from par_score.io.readers import read_bytes_limited
from par_score.outputs.excel.ranking_table import ranking_workbook_bytes
from par_score.outputs.ranking import (
    Publication,
    RankRow,
    cluster_ranking_json,
    publication,
    ranked,
    ranking_json,
    ranks_by_clusters,
)
from par_score.scoring.checks import check_bundle
from par_score.scoring.result import RESULT_FILE
from par_score.scoring.scorer import Scorer, agency_name

RANKING_FILE = "xep-hang.json"
UNIT_FILES = (RESULT_FILE, TRACE_FILE, MANIFEST_FILE)
RANKING_WORKBOOK = "xep-hang.xlsx"  # catalogues ranked by clusters (a province's own index)
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
    publication: Publication | None = None  # catalogues ranked by clusters: the rankings and ratings published


class _Batch:
    def __init__(self, entries: list[Path], out_dir: Path, force: bool):
        self.entries = entries
        self.out_dir = out_dir
        self.force = force
        self.problems: list[Problem] = []
        self.output_problems: list[Problem] = []
        self.units: dict[str, Path] = {}
        self.parts_of: dict[tuple[str, int], list[Path]] = {}  # (unit, year) → every entry that declares it
        self.scoring: deque[tuple[Path, Bundle]] = deque()

    def merge_advice(self) -> list[Problem]:
        """Entries that declare the same unit and year are an agency's parts of one bundle, not several units: the
        exact command that merges them (then scores the result)."""
        advice = []
        for (code, year), entries in self.parts_of.items():
            if len(entries) < 2:
                continue
            out = self.entries[0].parent / f"{code}-{year}.yaml"
            advice.append(
                Problem(
                    f"{len(entries)} tệp cùng khai báo đơn vị '{code}', năm {year}: đó là các phần của một bộ tài liệu "
                    "(mỗi cơ quan một phần), không phải nhiều đơn vị — hãy hợp nhất rồi chấm: "
                    + merge_command(entries, out)
                )
            )
        return advice

    def targets(self, unit: str) -> list[Path]:
        folder = self.out_dir / unit
        return [folder / RESULT_FILE, *audit_trail_files(folder)]

    def admit(self, entry: Path, bundle: Bundle, index: CatalogueIndex) -> bool:
        """Check one loaded bundle; record its problems; True when it may be scored."""
        self.parts_of.setdefault((bundle.unit.code, bundle.year), []).append(entry)
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
    `parallel`: read ahead and write the outputs in two helper processes (None: for large batches on a multi-core
    machine, see batch.writing.helpers_wanted).
    """
    started = time.perf_counter()
    if len(entries) > MAX_BUNDLES:
        raise InputError(Problem(f"quá nhiều bộ bằng chứng ({len(entries)}; tối đa {MAX_BUNDLES})", file=str(out_dir)))
    refuse_unsafe_folder(out_dir, {*entries, *(entry.parent for entry in entries)})
    with OutputSet(out_dir, force=force, previous=is_previous_output) as output:
        output.refuse_existing([out_dir / RANKING_FILE, out_dir / RANKING_WORKBOOK])
        outcome = _score_all(
            entries,
            output,
            catalogue_ref=catalogue_ref,
            agency=agency,
            audit=audit,
            progress=progress,
            parallel=parallel,
        )
        output.commit()
    outcome.seconds = time.perf_counter() - started
    return outcome


def is_previous_output(entry: Path) -> bool:
    """An entry of a batch's output folder written by an earlier batch: the ranking, or a unit's folder."""
    if entry.name in (RANKING_FILE, RANKING_WORKBOOK):
        return True
    return entry.is_dir() and not entry.is_symlink() and any((entry / name).is_file() for name in UNIT_FILES)


def _score_all(
    entries: list[Path],
    output: OutputSet,
    *,
    catalogue_ref: str | None,
    agency: str | None,
    audit: bool,
    progress: Callable[[int], None],
    parallel: bool | None,
) -> BatchOutcome:
    """Score, writing each unit's files into the output set's staging folder, then the ranking; nothing is
    committed here (run_batch switches the set in when everything succeeded)."""
    out_dir = output.out_dir
    batch = _Batch(entries, out_dir, output.force)
    rows: list[RankRow] = []
    written: list[Path] = []
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

    agency = agency_name(index, agency) if agency is not None else None  # as the catalogue spells it
    options = {"command": "score", "agency": agency, "catalogue": catalogue_ref}
    writer = writer_for(helper=helper, index=index, record=write_audit_trail if audit else None, options=options)
    try:
        for result in Scorer(index).iter_scores(admitted(), agency=agency):
            entry, bundle = batch.scoring.popleft()
            unit_dir = output.staged(out_dir / result.unit.code)
            unit_dir.mkdir()
            writer.submit(unit_dir, entry, result, bundle)
            written += [out_dir / result.unit.code / name for name in (UNIT_FILES if audit else UNIT_FILES[:1])]
            rows.append(RankRow.of(result, str(entry)))
            progress(1)
        writer.drain()
        problems = batch.merge_advice() + batch.problems + batch.output_problems
        if problems:
            raise (InputError if batch.problems else OutputError)(problems)
    except BaseException:
        loaded.close()
        raise
    finally:
        writer.close()  # let the helper finish what it is writing before its folder goes
    basis, ranking = ranked(rows)
    ranking_path = out_dir / RANKING_FILE
    files: dict[Path, bytes] = {}
    published = None
    if ranks_by_clusters(index):
        published = publication(rows, index)
        files[ranking_path] = cluster_ranking_json([(published, "")], result_file=RESULT_FILE).encode("utf-8")
        files[out_dir / RANKING_WORKBOOK] = ranking_workbook_bytes([published], year=index.year)
    else:
        ranking_text = ranking_json(basis, ranking, catalogue=index.id, year=index.year, result_file=RESULT_FILE)
        files[ranking_path] = ranking_text.encode("utf-8")
    output.write(files)
    return BatchOutcome(index, basis, ranking, out_dir, [*written, *files], 0.0, 2 if helper else 0, published)


__all__ = ["BatchOutcome", "RANKING_FILE", "batch_entries", "run_batch"]
