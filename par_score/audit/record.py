"""record_run(): write manifest.json and trace.jsonl beside a run's results (each atomically)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from par_score.audit.hashing import input_files, relative_to_root, sha256_file
from par_score.audit.manifest import MANIFEST_FILE, BundleInfo, FileHash, InputFileHash, RunManifest, new_manifest
from par_score.audit.trace import TRACE_FILE, trace_text
from par_score.catalogue import CatalogueIndex
from par_score.evidence import Bundle
from par_score.outputs.atomic import write_text
from par_score.results import ScoreResult


def audit_files(out_dir: Path) -> list[Path]:
    """The files record_run writes into `out_dir` (for refuse_existing before a run starts)."""
    return [out_dir / TRACE_FILE, out_dir / MANIFEST_FILE]


def hash_inputs(bundle: Bundle) -> list[InputFileHash]:
    root = Path(bundle.root)
    return [InputFileHash(path=f.path, kind=f.kind, sha256=sha256_file(f.location(root))) for f in input_files(bundle)]


def _output_path(path: Path, out_dir: Path) -> str:
    return relative_to_root(path, out_dir)


def record_run(
    out_dir: Path,
    *,
    source: Path | str,
    result: ScoreResult,
    bundle: Bundle,
    index: CatalogueIndex,
    options: dict[str, object],
    outputs: Iterable[Path] = (),
) -> RunManifest:
    """Write trace.jsonl, then manifest.json (which hashes the outputs and the trace) into `out_dir`.

    `source` is the bundle path as given (file, folder or workbook); `options` are the command's scoring options
    (command, agency, catalogue reference, format, …) — not the output folder or --force, so that runs into
    different folders stay comparable; `outputs` are the files the command wrote (ket-qua.json, reports…).
    Call it after the outputs are written; `out_dir` must exist (prepare_dir).
    """
    out_dir = Path(out_dir)
    trace_path = out_dir / TRACE_FILE
    write_text(trace_path, trace_text(result))
    written = [*outputs, trace_path]
    hashes = [FileHash(path=_output_path(Path(p), out_dir), sha256=sha256_file(Path(p))) for p in written]
    manifest = new_manifest(
        index=index,
        bundle=BundleInfo(
            path=str(Path(source).resolve()),
            root=str(Path(bundle.root).resolve()),
            unit=bundle.unit.code,
            year=bundle.year,
        ),
        evidence=hash_inputs(bundle),
        options=options,
        outputs=hashes,
    )
    write_text(out_dir / MANIFEST_FILE, manifest.to_json())
    return manifest
