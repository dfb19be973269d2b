"""The audit trail of a run: trace.jsonl and manifest.json beside its results, written with them as one set."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from par_score.audit.inputs import input_files, relative_path, relative_to_root, sha256_file, sha256_or_none
from par_score.audit.manifest import (
    MANIFEST_FILE,
    BundleInfo,
    FileHash,
    InputFileHash,
    RunManifest,
    load_manifest,
    new_manifest,
)
from par_score.audit.trace import TRACE_FILE, trace_text
from par_score.catalogue import CatalogueIndex
from par_score.errors import InputError
from par_score.evidence import Bundle
from par_score.io.atomic import write_bytes
from par_score.scoring.result import ScoreResult


def previous_outputs(out_dir: Path, names: Iterable[str]) -> Callable[[Path], bool]:
    """Which entries of an existing run folder are outputs of the previous run: the names a run may write
    (`names`) and whatever its manifest.json lists (it may name a report format this version no longer writes)."""
    known = set(names)
    try:
        recorded = load_manifest(Path(out_dir) / MANIFEST_FILE).outputs
    except (InputError, OSError):
        recorded = []
    known.update(Path(entry.path).parts[0] for entry in recorded if Path(entry.path).parts)
    return lambda entry: entry.name in known


def audit_trail_files(out_dir: Path) -> list[Path]:
    """The files write_audit_trail writes into `out_dir` (for refuse_existing before a run starts)."""
    return [out_dir / TRACE_FILE, out_dir / MANIFEST_FILE]


def hash_inputs(bundle: Bundle) -> list[InputFileHash]:
    """Every input file with its sha256 now; a merged part that is gone keeps the sha256 recorded when it was merged
    (rerun then reports it as missing)."""
    root = Path(bundle.root)
    hashes = []
    for f in input_files(bundle):
        digest = sha256_or_none(f.location(root)) if f.kind == "part" else sha256_file(f.location(root))
        hashes.append(
            InputFileHash(path=f.path, kind=f.kind, sha256=digest or f.sha256 or "0" * 64, contributor=f.contributor)
        )
    return hashes


def audit_trail(
    out_dir: Path,
    *,
    source: Path | str,
    result: ScoreResult,
    bundle: Bundle,
    index: CatalogueIndex,
    options: dict[str, object],
    outputs: dict[Path, bytes],
) -> dict[Path, bytes]:
    """The trace.jsonl and manifest.json of a run, as bytes, for the outputs (path → content) it is about to write.

    `source` is the bundle path as given (file, folder or workbook); `options` are the command's scoring options
    (command, agency, catalogue reference, format, …) — not the output folder or --force, so that runs into
    different folders stay comparable. Paths are recorded relative to `out_dir` (see audit.manifest). Writing
    everything as one set (io.atomic.OutputSet) keeps results and audit trail together even when the run is killed.
    """
    out_dir = Path(out_dir)
    trace_path = out_dir / TRACE_FILE
    trace = trace_text(result).encode("utf-8")
    written = {**outputs, trace_path: trace}
    hashes = [
        FileHash(path=relative_to_root(Path(p), out_dir), sha256=hashlib.sha256(data).hexdigest())
        for p, data in written.items()
    ]
    recorded = dict(options)
    if isinstance(recorded.get("appraisal"), str):  # an input too: found again from the manifest's folder
        recorded["appraisal"] = relative_path(recorded["appraisal"], out_dir)
    manifest = new_manifest(
        index=index,
        bundle=BundleInfo(
            path=relative_path(source, out_dir),
            root=relative_path(bundle.root or ".", out_dir),
            unit=bundle.unit.code,
            year=bundle.year,
        ),
        evidence=hash_inputs(bundle),
        options=recorded,
        outputs=hashes,
        manifest_dir=out_dir,
    )
    return {trace_path: trace, out_dir / MANIFEST_FILE: manifest.to_json().encode("utf-8")}


def write_audit_trail(
    out_dir: Path,
    *,
    source: Path | str,
    result: ScoreResult,
    bundle: Bundle,
    index: CatalogueIndex,
    options: dict[str, object],
    outputs: Iterable[Path] = (),
) -> RunManifest:
    """Write trace.jsonl and manifest.json beside outputs already written (`outputs`: their paths)."""
    files = audit_trail(
        out_dir,
        source=source,
        result=result,
        bundle=bundle,
        index=index,
        options=options,
        outputs={Path(p): Path(p).read_bytes() for p in outputs},
    )
    for path, data in files.items():
        write_bytes(path, data)
    return RunManifest.model_validate_json(files[Path(out_dir) / MANIFEST_FILE])
