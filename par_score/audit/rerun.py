"""Rerun a recorded run: re-hash every file its manifest names, re-score, compare with the recorded result.

Exit status chosen for `par-score rerun` (see docs/AUDIT.md): 0 when every input is unchanged and the new result
is byte-identical to the recorded one; 1 when an input file changed, disappeared or appeared, or the result
differs; 2 (a user error) when the manifest or the inputs cannot be read or scored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from par_score.audit.appraisal import appraise_files
from par_score.audit.diff import CriterionDiff, catalogues_differ, diff_leaves
from par_score.audit.inputs import input_files, sha256_or_none
from par_score.audit.manifest import (
    RunManifest,
    Versions,
    current_versions,
    load_manifest,
)
from par_score.audit.trace import TRACE_FILE, load_trace, trace_text
from par_score.catalogue import CatalogueIndex, load_catalogue
from par_score.catalogue.load import bundled_catalogues
from par_score.errors import InputError, Problem
from par_score.evidence import Bundle, load_bundle
from par_score.scoring.pipeline import score_bundle
from par_score.scoring.result import RESULT_FILE, ScoreResult

Role = Literal["catalogue", "evidence", "attachment", "part", "appraisal", "output"]
State = Literal["same", "changed", "missing", "added"]


@dataclass(frozen=True)
class FileCheck:
    role: Role
    path: str  # as shown: relative to the bundle root for evidence, to the manifest's folder for outputs
    recorded: str | None
    actual: str | None
    contributor: str | None = None  # who sent the file (an agency's part)

    @property
    def state(self) -> State:
        if self.recorded is None:
            return "added"
        if self.actual is None:
            return "missing"
        return "same" if self.actual == self.recorded else "changed"


@dataclass
class RerunReport:
    manifest: RunManifest
    manifest_path: Path
    checks: list[FileCheck]
    versions: Versions
    result: ScoreResult | None = None
    compared_with: str | None = None  # the recorded file the new result was compared with
    identical: bool = False
    changes: list[CriterionDiff] = field(default_factory=list)

    @property
    def input_changes(self) -> list[FileCheck]:
        return [c for c in self.checks if c.role != "output" and c.state != "same"]

    @property
    def output_changes(self) -> list[FileCheck]:
        return [c for c in self.checks if c.role == "output" and c.state != "same"]

    @property
    def version_changes(self) -> list[tuple[str, str, str]]:
        old, new = self.manifest.versions, self.versions
        return [
            (k, getattr(old, k), getattr(new, k))
            for k in ("par_score", "durable_rules", "python")
            if getattr(old, k) != getattr(new, k)
        ]

    @property
    def exit_code(self) -> int:
        return 0 if self.identical and not self.input_changes else 1


def appraisal_option(manifest: RunManifest, manifest_dir: Path) -> Path | None:
    """The appraisal file a `report --appraisal` run applied (recorded in its options with its sha256)."""
    path = manifest.options.get("appraisal")
    if not isinstance(path, str):
        return None
    candidate = Path(path)
    return candidate if candidate.is_absolute() else Path(os.path.normpath(manifest_dir / candidate))


def catalogue_path(manifest: RunManifest, manifest_dir: Path) -> Path | None:
    """The catalogue file the run read: where the manifest says, else the bundled catalogue of that id (the run
    folder was moved, or copied to a machine where par_score is installed elsewhere)."""
    recorded = Path(manifest.catalogue.path)
    path = recorded if recorded.is_absolute() else manifest_dir / recorded
    if path.is_file():
        return path
    return bundled_catalogues().get(manifest.catalogue.id)


def check_files(manifest: RunManifest, manifest_dir: Path) -> list[FileCheck]:
    """Re-hash the catalogue, every evidence, attached and merged-part file, the appraisal file if any, and every
    recorded output."""
    catalogue = catalogue_path(manifest, manifest_dir)
    checks = [
        FileCheck(
            "catalogue",
            manifest.catalogue.path,
            manifest.catalogue.sha256,
            sha256_or_none(catalogue) if catalogue is not None else None,
        )
    ]
    for entry in manifest.evidence:
        actual = sha256_or_none(manifest.evidence_path(entry, manifest_dir))
        checks.append(FileCheck(entry.kind, entry.path, entry.sha256, actual, entry.contributor))
    appraisal = appraisal_option(manifest, manifest_dir)
    if appraisal is not None:
        recorded = manifest.options.get("appraisal_sha256")
        checks.append(
            FileCheck(
                "appraisal", str(appraisal), recorded if isinstance(recorded, str) else None, sha256_or_none(appraisal)
            )
        )
    for entry in manifest.outputs:
        checks.append(FileCheck("output", entry.path, entry.sha256, sha256_or_none(manifest_dir / entry.path)))
    return checks


def added_files(manifest: RunManifest, bundle: Bundle) -> list[FileCheck]:
    """Files the bundle reads now that the recorded run did not (a new evidence file, a newly attached document)."""
    known = {e.path for e in manifest.evidence}
    root = Path(bundle.root)
    return [
        FileCheck(f.kind, f.path, None, sha256_or_none(f.location(root)), f.contributor)  # type: ignore[arg-type]
        for f in input_files(bundle)
        if f.path not in known
    ]


def _catalogue(manifest: RunManifest, manifest_dir: Path) -> CatalogueIndex:
    path = catalogue_path(manifest, manifest_dir)
    if path is None:
        raise InputError(
            Problem(
                "không tìm thấy tệp danh mục tiêu chí đã dùng trong lần chạy gốc",
                file=str(manifest_dir / manifest.catalogue.path),
            )
        )
    return load_catalogue(path)


def _recorded_result(manifest: RunManifest, manifest_dir: Path) -> tuple[str, str] | None:
    """(name, text) of the recorded ket-qua.json, if the manifest names one and it is still there."""
    for entry in manifest.outputs:
        if Path(entry.path).name == RESULT_FILE and (manifest_dir / entry.path).is_file():
            return entry.path, (manifest_dir / entry.path).read_text(encoding="utf-8")
    return None


def _compare(report: RerunReport, result: ScoreResult, manifest_dir: Path) -> None:
    recorded = _recorded_result(report.manifest, manifest_dir)
    if recorded is not None:
        name, text = recorded
        report.compared_with = name
        report.identical = result.to_json() == text
        if not report.identical:
            try:
                old = ScoreResult.model_validate_json(text)
            except ValueError as exc:
                raise InputError(Problem("tệp kết quả đã ghi không đọc được", file=str(manifest_dir / name))) from exc
            report.changes = diff_leaves(
                old.criteria, result.criteria, catalogue_changed=catalogues_differ(old, result)
            )
        return
    trace = manifest_dir / TRACE_FILE
    if any(Path(e.path).name == TRACE_FILE for e in report.manifest.outputs) and trace.is_file():
        report.compared_with = TRACE_FILE
        report.identical = trace_text(result) == trace.read_text(encoding="utf-8")
        if not report.identical:
            report.changes = diff_leaves(load_trace(trace).criteria, result.criteria)
        return
    raise InputError(
        Problem(
            "không còn tệp kết quả (ket-qua.json) hay nhật ký (trace.jsonl) của lần chạy gốc để so sánh",
            file=str(manifest_dir),
        )
    )


def rerun(manifest_path: Path, *, on_checked=None) -> RerunReport:
    """Check the files, then re-score and compare. `on_checked(report)` runs before re-scoring (to show the checks
    even when the changed inputs can no longer be scored)."""
    manifest = load_manifest(manifest_path)
    manifest_dir = manifest_path.parent
    report = RerunReport(manifest, manifest_path, check_files(manifest, manifest_dir), current_versions())
    bundle_error: InputError | None = None
    bundle: Bundle | None = None
    try:
        bundle = load_bundle(manifest.bundle_path(manifest_dir), lenient=True)  # the Scorer reports its load problems
        report.checks.extend(added_files(manifest, bundle))
    except InputError as exc:
        bundle_error = exc
    if on_checked is not None:
        on_checked(report)
    if bundle_error is not None:
        raise bundle_error
    assert bundle is not None
    agency = manifest.options.get("agency")
    catalogue = _catalogue(manifest, manifest_dir)
    result = score_bundle(bundle, catalogue, agency=agency if isinstance(agency, str) else None).result
    appraisal = appraisal_option(manifest, manifest_dir)
    if appraisal is not None:
        result = appraise_files(result, appraisal)
    report.result = result
    _compare(report, result, manifest_dir)
    return report
