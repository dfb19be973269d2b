"""Rerun a recorded run: re-hash every file its manifest names, re-score, compare with the recorded result.

Exit status chosen for `par-score rerun` (see docs/AUDIT.md): 0 when every input and every recorded output is
unchanged, no output was added beside them and the new result is byte-identical to the recorded one; 1 when any of
those differs — the verdict is taken from the very list of checks that is printed; 2 (a user error) when the
manifest or the inputs cannot be read or scored, or the manifest names a file where none of a run can be (an output
outside the run folder, an evidence file outside the bundle folder): nothing is hashed then.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal

from par_score.audit.appraisal import APPRAISED_RESULT_FILE, appraise_files
from par_score.audit.diff import CriterionDiff, catalogues_differ, diff_leaves
from par_score.audit.inputs import input_files, sha256_or_none
from par_score.audit.manifest import (
    MANIFEST_FILE,
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
from par_score.io.readers import read_bytes_limited
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
    unreadable: str | None = None  # why the recorded result could not be compared criterion by criterion

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
    def differences(self) -> list[FileCheck]:
        """Every check that is not "same": changed, missing or added inputs and outputs alike."""
        return [c for c in self.checks if c.state != "same"]

    @property
    def exit_code(self) -> int:
        return 0 if self.identical and not self.differences else 1


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
    recorded output; then list what the run folder holds beside the recorded outputs (an output added or left
    behind)."""
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
    return checks + extra_outputs(manifest, manifest_dir)


# Beside a run's outputs, by design: the manifest itself, and the appraised result `appraise` writes there by default.
NOT_OUTPUTS = (MANIFEST_FILE, APPRAISED_RESULT_FILE)


def extra_outputs(manifest: RunManifest, manifest_dir: Path) -> list[FileCheck]:
    """Entries of the run folder that the manifest does not list (hidden ones aside): a report left from another
    run, a file put there since. Each one is a difference."""
    recorded = {Path(entry.path).parts[0] for entry in manifest.outputs if Path(entry.path).parts}
    try:
        entries = sorted(manifest_dir.iterdir())
    except OSError:
        return []
    return [
        FileCheck("output", entry.name, None, sha256_or_none(entry))
        for entry in entries
        if entry.name not in recorded and entry.name not in NOT_OUTPUTS and not entry.name.startswith(".")
    ]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _plain_relative(text: str) -> bool:
    """A relative path without '..' (as par_score records them); where it leads is checked after resolving."""
    path = PurePosixPath(text.replace("\\", "/"))
    return bool(text) and not path.is_absolute() and ".." not in path.parts and not PureWindowsPath(text).drive


def confine(manifest: RunManifest, manifest_path: Path) -> None:
    """Refuse a manifest that names files where a run's files cannot be: outputs outside the run folder, evidence
    outside the bundle folder, a bundle outside its root, a catalogue or appraisal file that is not a YAML/JSON file.
    Relative paths are read from the manifest's folder. Checked before anything is hashed, so that no file elsewhere
    is read."""
    problems: list[Problem] = []
    where = str(manifest_path)
    folder = manifest_path.parent.resolve()
    for number, entry in enumerate(manifest.outputs):
        target = (manifest_path.parent / entry.path).resolve()
        if not _plain_relative(entry.path) or not _inside(target, folder) or target == folder:
            problems.append(
                Problem(
                    f"tệp kết quả '{entry.path}' nằm ngoài thư mục của manifest; manifest này không phải của par-score "
                    "hoặc đã bị sửa",
                    file=where,
                    field=f"outputs[{number}].path",
                )
            )
    here = manifest_path.parent
    root = manifest.bundle_root(here).resolve()
    if not _inside(manifest.bundle_path(here).resolve(), root):
        problems.append(
            Problem("bộ bằng chứng nằm ngoài thư mục gốc đã ghi (bundle.root)", file=where, field="bundle.path")
        )
    for number, entry in enumerate(manifest.evidence):
        target = (root / entry.path).resolve()
        if not _plain_relative(entry.path) or not _inside(target, root):
            problems.append(
                Problem(
                    f"tệp bằng chứng '{entry.path}' nằm ngoài thư mục bộ bằng chứng (bundle.root)",
                    file=where,
                    field=f"evidence[{number}].path",
                )
            )
    appraisal = appraisal_option(manifest, here)
    for field_name, path in (("catalogue.path", Path(manifest.catalogue.path)), ("options.appraisal", appraisal)):
        if path is not None and path.suffix.lower() not in (".yaml", ".yml", ".json"):
            problems.append(
                Problem("phải là đường dẫn của một tệp .yaml, .yml hoặc .json", file=where, field=field_name)
            )
    if problems:
        raise InputError(problems)


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


def _recorded(manifest: RunManifest, manifest_dir: Path, name: str) -> tuple[str, bytes] | None:
    """(path, bytes) of a recorded output named `name` (ket-qua.json, trace.jsonl), if listed and still there."""
    for entry in manifest.outputs:
        path = manifest_dir / entry.path
        if Path(entry.path).name == name and path.is_file():
            try:
                return entry.path, read_bytes_limited(path)
            except InputError:
                return None
    return None


def _compare(report: RerunReport, result: ScoreResult, manifest_dir: Path) -> None:
    """The new result against the recorded ket-qua.json (else the recorded trace): identical, or the criteria that
    changed. A recorded file that cannot be read back (edited, truncated, not UTF-8) differs; it is said so."""
    recorded = _recorded(report.manifest, manifest_dir, RESULT_FILE)
    if recorded is not None:
        name, data = recorded
        report.compared_with = name
        report.identical = result.to_json().encode("utf-8") == data
        if not report.identical:
            try:
                old = ScoreResult.model_validate_json(data)
            except ValueError:
                report.unreadable = "tệp kết quả đã ghi không còn đọc được (đã bị sửa hoặc hỏng)"
                return
            report.changes = diff_leaves(
                old.criteria, result.criteria, catalogue_changed=catalogues_differ(old, result)
            )
        return
    recorded = _recorded(report.manifest, manifest_dir, TRACE_FILE)
    if recorded is not None:
        name, data = recorded
        report.compared_with = name
        report.identical = trace_text(result).encode("utf-8") == data
        if not report.identical:
            try:
                report.changes = diff_leaves(load_trace(manifest_dir / name).criteria, result.criteria)
            except InputError:
                report.unreadable = "nhật ký quyết định đã ghi không còn đọc được (đã bị sửa hoặc hỏng)"
        return
    report.unreadable = "không còn tệp kết quả (ket-qua.json) hay nhật ký (trace.jsonl) của lần chạy gốc để so sánh"


def rerun(manifest_path: Path, *, on_checked=None) -> RerunReport:
    """Check the files, then re-score and compare. `on_checked(report)` runs before re-scoring (to show the checks
    even when the changed inputs can no longer be scored)."""
    manifest = load_manifest(manifest_path)
    manifest_dir = manifest_path.parent
    confine(manifest, manifest_path)
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
