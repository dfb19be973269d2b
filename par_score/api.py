"""Convenience functions over the pipeline: what the CLI and the web workspace call, and what a script should.

    import par_score
    run = par_score.run_source("evidence/examples/tay-ninh-2024")
    print(run.result.totals.self_.points)
    par_score.write_run(run, "ket-qua", formats=("pdf", "html"), force=True)

Everything here composes the stages below it (evidence → catalogue → scoring → audit → outputs); nothing here
scores, words or totals anything itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from par_score.audit.appraisal import AppraisalFile, apply_appraisal, appraise_files
from par_score.audit.manifest import MANIFEST_FILE, load_manifest
from par_score.audit.record import audit_trail, previous_outputs
from par_score.audit.rerun import catalogue_path, rerun
from par_score.audit.trace import TRACE_FILE
from par_score.catalogue import load_catalogue
from par_score.catalogue.load import bundled_catalogues
from par_score.errors import InputError, OutputError, Problem
from par_score.evidence import Bundle, load_bundle
from par_score.evidence.load import merge_parts, part_from_data
from par_score.evidence.model import Unit
from par_score.evidence.parts import LoadedPart
from par_score.io.atomic import OutputSet, refuse_existing, refuse_unsafe_folder
from par_score.io.hashing import sha256_file
from par_score.io.text import nfc_deep
from par_score.io.validation import problems_from
from par_score.outputs.excel.evidence_template import template_bytes
from par_score.outputs.report import (
    HTML_FILE,
    PDF_FILE,
    KindError,
    Preflight,
    build_document,
    preflight,
    render_document,
    render_pdf,
)
from par_score.outputs.report.archive import ARCHIVE_FILE, evidence_archive
from par_score.outputs.report.kinds import PREVIEW, default_kind
from par_score.outputs.report.word import DOCX_FILE, render_docx
from par_score.planning import Plan, Target, make_plan
from par_score.planning.view import plan_view
from par_score.scoring.pipeline import CatalogueRef, Run, resolve_catalogue, run_source, score_bundle
from par_score.scoring.result import RESULT_FILE, ScoreResult, is_saved_result, load_result

REPORT_FORMATS = {"pdf": PDF_FILE, "html": HTML_FILE, "docx": DOCX_FILE}

__all__ = [
    "REPORT_FORMATS",
    "Plan",
    "Run",
    "appraise",
    "appraise_data",
    "bundle_from_data",
    "bundled_catalogues",
    "evidence_template",
    "report_preflight",
    "load_bundle",
    "load_catalogue",
    "load_result",
    "plan",
    "plan_source",
    "run_files",
    "run_source",
    "score_bundle",
    "score_source",
    "write_run",
]


def bundle_from_data(parts: Mapping[str, Any], *, root: Path | str = ".", loaded: Iterable[LoadedPart] = ()) -> Bundle:
    """A bundle from plain data, one part per name, each shaped as an evidence file (unit/year in exactly one):
    what a form-based front end holds in memory. Text is NFC-normalised and limited as a file's would be; invalid
    records ride on the bundle and are reported, located by part name, when it is scored.

    `loaded` are parts already read from files (e.g. by evidence.workbook.reader.read_workbook), merged after the
    data parts: their records keep their origin (sheet, row, column) in every problem."""
    from_data = [part_from_data(nfc_deep(data), Path(name)) for name, data in parts.items()]
    return merge_parts([*from_data, *loaded], root=Path(root))


def evidence_template(
    catalogue: CatalogueRef = None,
    *,
    agency: str | None = None,
    unit: Mapping[str, Any] | None = None,
    profile: str | None = None,
) -> bytes:
    """The evidence workbook (.xlsx bytes) generated from `catalogue`; with `agency`, only the criteria it leads or
    co-leads; with `profile`, only those that apply to that kind of unit. With `unit` ({"code", "name"}, as
    `par-score template --unit/--unit-name` takes them) its 'Thông tin' sheet is filled in and locked: unit, year,
    catalogue (and the agency). InputError naming the field when the unit is not a valid one."""
    index = resolve_catalogue(catalogue)
    given = None
    if unit is not None:
        raw = {"code": unit.get("code"), "name": unit.get("name"), "level": index.catalogue.unit_level}
        try:
            given = Unit.model_validate(nfc_deep(raw))
        except ValidationError as exc:
            raise InputError(problems_from(exc, raw, None)) from None
    return template_bytes(index, agency, given, profile)


def score_source(source: Path | str, catalogue: CatalogueRef = None, *, agency: str | None = None) -> ScoreResult:
    """Score the bundle at `source` (file, folder or workbook) against `catalogue` (default: the one it names)."""
    return run_source(source, catalogue, agency=agency).result


def appraise(run: Run, appraisal_file: Path | str) -> Run:
    """The run with an appraisal (thẩm định) file applied: its result carries self, appraised and final points."""
    return run.with_result(appraise_files(run.result, Path(appraisal_file)))


def appraise_data(run: Run, appraisal: Mapping[str, Any], *, file: str, sha256: str) -> Run:
    """The run with an appraisal given as data — the content of an appraisal file (evidence/appraisal.md), e.g. the
    council's points held by the workspace — validated as that file would be and applied by the same code as
    `appraise`. `file` names it in problems and in the result, `sha256` is the hash of the file it stands for."""
    raw = nfc_deep(dict(appraisal))
    try:
        parsed = AppraisalFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, raw, file)) from None
    return run.with_result(apply_appraisal(run.result, parsed, file=file, sha256=sha256))


def run_files(out_dir: Path | str, formats: Iterable[str] = (), *, evidence_zip: bool = False) -> list[Path]:
    """Every file write_run writes into `out_dir` for these report formats (result, reports, evidence archive,
    audit trail)."""
    out_dir = Path(out_dir)
    reports = [out_dir / REPORT_FORMATS[name] for name in REPORT_FORMATS if name in set(formats)]
    archive = [out_dir / ARCHIVE_FILE] if evidence_zip else []
    return [out_dir / RESULT_FILE, *reports, *archive, out_dir / TRACE_FILE, out_dir / MANIFEST_FILE]


def report_preflight(run: Run, kind: str | None = None) -> Preflight:
    """What the report of `kind` (default: the letter, or the appraised report after thẩm định) still lacks before
    it can be signed; a user error (exit 2) when the kind does not fit the result."""
    try:
        return preflight(run.result, run.bundle.report, kind or default_report_kind(run))
    except KindError as exc:
        raise OutputError(Problem(str(exc), field="--kind")) from None


def default_report_kind(run: Run) -> str:
    return default_kind(run.result)


def attached_hashes(run: Run) -> dict[str, str]:
    """sha256 of the attached files that the evidence cites without a declared hash (for the register)."""
    root = Path(run.bundle.root)
    hashes: dict[str, str] = {}
    for doc in run.bundle.documents:
        if doc.file is not None and doc.file.sha256 is None and doc.file.path not in hashes:
            try:
                hashes[doc.file.path] = sha256_file(root / doc.file.path)
            except OSError:
                continue  # the evidence checks have reported it; the register then shows no hash
    return hashes


def write_run(
    run: Run,
    out_dir: Path | str,
    *,
    formats: Iterable[str] = (),
    force: bool = False,
    options: dict[str, object] | None = None,
    on_warning=None,
    kind: str | None = None,
    final: bool = False,
    evidence_zip: bool = False,
    plan_as_of: dt.date | None = None,
) -> list[Path]:
    """Write ket-qua.json, the reports asked for ("pdf", "html", "docx"), the evidence archive when `evidence_zip`
    and the audit trail (trace.jsonl, manifest.json) into `out_dir` as one set (see _write_set); an existing output
    is refused unless `force`. Returns the paths written.

    `kind` is the document made (par_score.outputs.report.kinds; default: the letter, or after thẩm định the
    appraised report); with `final` a letter that would still be a draft (report_preflight lists why) is refused
    and nothing is written. `options` are recorded in the manifest (the command and the choices that shaped the
    result); `on_warning` receives each warning of the PDF renderer. The internal preview (kind "xem-truoc")
    carries the improvement plan as of `plan_as_of` (default: today; record it in `options` to keep runs comparable).
    """
    if run.source is None:
        raise OutputError(Problem("chỉ ghi được lần chấm của một bộ tài liệu đọc từ tệp hoặc thư mục"))
    out_dir = Path(out_dir)
    formats = set(formats)
    unknown = formats - set(REPORT_FORMATS)
    if unknown:
        raise OutputError(Problem(f"định dạng không hỗ trợ: {', '.join(sorted(unknown))}", field="--format"))
    targets = run_files(out_dir, formats, evidence_zip=evidence_zip)
    refuse_unsafe_folder(out_dir, [run.source])
    refuse_existing(targets, force)
    kind = kind or default_report_kind(run)
    if formats or evidence_zip:
        checked = report_preflight(run, kind)
        if final and checked.draft:
            raise OutputError(
                [Problem("văn bản chưa đủ điều kiện ký ban hành (--final); còn thiếu: " + i) for i in checked.missing]
            )
    outputs: dict[Path, bytes] = {out_dir / RESULT_FILE: run.result.to_json().encode("utf-8")}
    if formats or evidence_zip:
        improvement = None
        if kind == PREVIEW:
            improvement = plan_view(make_plan(run, as_of=plan_as_of or dt.date.today()))
        doc = build_document(run.result, run.bundle.report, kind, file_hashes=attached_hashes(run), plan=improvement)
        if "pdf" in formats or "html" in formats:
            html = render_document(doc)
        if "pdf" in formats:
            pdf = render_pdf(html)
            outputs[out_dir / PDF_FILE] = pdf.data
            for warning in pdf.warnings:
                if on_warning is not None:
                    on_warning(warning)
        if "html" in formats:
            outputs[out_dir / HTML_FILE] = html.encode("utf-8")
        if "docx" in formats:
            outputs[out_dir / DOCX_FILE] = render_docx(doc)
        if evidence_zip:
            outputs[out_dir / ARCHIVE_FILE] = evidence_archive(doc.register, run.bundle.root)
    trail = audit_trail(
        out_dir,
        source=run.source,
        result=run.result,
        bundle=run.bundle,
        index=run.catalogue,
        options=dict(options or {}),
        outputs=outputs,
    )
    return _write_set(out_dir, {**outputs, **trail}, force=force, targets=targets)


def _write_set(out_dir: Path, files: dict[Path, bytes], *, force: bool, targets: list[Path]) -> list[Path]:
    """A run's files switched into `out_dir` as one set (io.atomic.OutputSet: all-old or all-new under any kill, one
    run at a time per folder); with `force`, the previous run's outputs that this one does not write go."""
    every_output = [p.name for p in run_files(out_dir, REPORT_FORMATS, evidence_zip=True)]
    with OutputSet(out_dir, force=force, previous=previous_outputs(out_dir, every_output)) as output:
        output.refuse_existing(targets)  # again, under the lock
        written = output.write(files)
        output.commit()
    return written


def plan(
    run: Run,
    *,
    target: Target | str | Decimal | int | None = None,
    as_of: dt.date | None = None,
    agency: str | None = None,
) -> Plan:
    """The improvement plan of a run as of a date (default: today): for every criterion below its maximum, the
    changes of evidence that raise it, each checked by re-scoring; with `target` ("58", "95%"), the smallest set of
    changes that reaches it; with `agency`, only the criteria that agency leads or co-leads are shown."""
    return make_plan(run, as_of=as_of or dt.date.today(), target=target, agency=agency)


def plan_source(
    source: Path | str,
    catalogue: CatalogueRef = None,
    *,
    target: Target | str | Decimal | int | None = None,
    as_of: dt.date | None = None,
    agency: str | None = None,
) -> Plan:
    """plan() of a bundle (file, folder or workbook), or of a saved ket-qua.json whose run can be re-derived: its
    manifest.json beside it, the evidence it names unchanged, and re-scoring it gives the saved result exactly."""
    source = Path(source)
    run = run_of_saved_result(source) if is_saved_result(source) else run_source(source, catalogue)
    return plan(run, target=target, as_of=as_of, agency=agency)


_FILE_STATES = {"changed": "đã sửa", "missing": "không còn", "added": "mới thêm", "same": "không đổi"}
_BUNDLE_NEEDED = (
    "kế hoạch cần chính bộ tài liệu kiểm chứng (văn bản, ngày ban hành, số liệu) để thử từng thay đổi và chấm lại; "
    "tệp kết quả chỉ giữ bản tóm tắt"
)


def run_of_saved_result(path: Path) -> Run:
    """The run behind a saved result, re-derived from the manifest.json beside it (InputError saying why not)."""
    manifest_path = path.parent / MANIFEST_FILE
    if not manifest_path.is_file():
        raise InputError(
            Problem(
                f"không có {MANIFEST_FILE} của lần chấm bên cạnh tệp kết quả; {_BUNDLE_NEEDED}: hãy chạy với bộ tài "
                "liệu kiểm chứng (tệp, thư mục hoặc bảng tính)",
                file=str(path),
            )
        )
    manifest = load_manifest(manifest_path)
    if path.name not in {Path(entry.path).name for entry in manifest.outputs}:
        raise InputError(
            Problem(f"tệp kết quả không phải kết quả ghi trong {manifest_path}; {_BUNDLE_NEEDED}", file=str(path))
        )
    bundle_path = manifest.bundle_path(manifest_path.parent)  # a recorded relative path is the manifest's
    report = rerun(manifest_path)
    changed = [f"{c.path} ({_FILE_STATES[c.state]})" for c in report.input_changes]
    if changed or not report.identical or report.compared_with != path.name:
        reason = (
            f"tài liệu kiểm chứng đã thay đổi sau lần chấm: {', '.join(changed)}"
            if changed
            else "chấm lại bộ tài liệu không cho đúng kết quả đã lưu"
        )
        raise InputError(
            Problem(
                f"{reason}; {_BUNDLE_NEEDED}: hãy chạy với bộ tài liệu hiện tại ({bundle_path})",
                file=str(path),
            )
        )
    index = load_catalogue(catalogue_path(manifest, manifest_path.parent) or manifest.catalogue.id)
    return score_bundle(load_bundle(bundle_path, lenient=True), index, source=bundle_path)
