"""Convenience functions over the pipeline: what the CLI and the web workspace call, and what a script should.

    import par_score
    run = par_score.run_source("evidence/examples/tay-ninh-2024")
    print(run.result.totals.self_.points)
    par_score.write_run(run, "ket-qua", formats=("pdf", "html"), force=True)

Everything here composes the stages below it (evidence → catalogue → scoring → audit → outputs); nothing here
scores, words or totals anything itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from par_score.audit.appraisal import appraise_files
from par_score.audit.manifest import MANIFEST_FILE
from par_score.audit.record import audit_trail
from par_score.audit.trace import TRACE_FILE
from par_score.catalogue import load_catalogue
from par_score.catalogue.load import bundled_catalogues
from par_score.errors import OutputError, Problem
from par_score.evidence import Bundle, load_bundle
from par_score.evidence.load import merge_parts, part_from_data
from par_score.evidence.parts import LoadedPart
from par_score.io.atomic import prepare_dir, refuse_existing, sweep_stale, write_set
from par_score.io.text import nfc_deep
from par_score.outputs.excel.evidence_template import template_bytes
from par_score.outputs.report import HTML_FILE, PDF_FILE, render_html, render_pdf
from par_score.scoring.pipeline import CatalogueRef, Run, resolve_catalogue, run_source, score_bundle
from par_score.scoring.result import RESULT_FILE, ScoreResult, load_result

REPORT_FORMATS = {"pdf": PDF_FILE, "html": HTML_FILE}

__all__ = [
    "REPORT_FORMATS",
    "Run",
    "appraise",
    "bundle_from_data",
    "bundled_catalogues",
    "evidence_template",
    "load_bundle",
    "load_catalogue",
    "load_result",
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


def evidence_template(catalogue: CatalogueRef = None, *, agency: str | None = None) -> bytes:
    """The evidence workbook (.xlsx bytes) generated from `catalogue`; with `agency`, only its criteria."""
    return template_bytes(resolve_catalogue(catalogue), agency)


def score_source(source: Path | str, catalogue: CatalogueRef = None, *, agency: str | None = None) -> ScoreResult:
    """Score the bundle at `source` (file, folder or workbook) against `catalogue` (default: the one it names)."""
    return run_source(source, catalogue, agency=agency).result


def appraise(run: Run, appraisal_file: Path | str) -> Run:
    """The run with an appraisal (thẩm định) file applied: its result carries self, appraised and final points."""
    return run.with_result(appraise_files(run.result, Path(appraisal_file)))


def run_files(out_dir: Path | str, formats: Iterable[str] = ()) -> list[Path]:
    """Every file write_run writes into `out_dir` for these report formats (result, reports, audit trail)."""
    out_dir = Path(out_dir)
    reports = [out_dir / REPORT_FORMATS[name] for name in REPORT_FORMATS if name in set(formats)]
    return [out_dir / RESULT_FILE, *reports, out_dir / TRACE_FILE, out_dir / MANIFEST_FILE]


def write_run(
    run: Run,
    out_dir: Path | str,
    *,
    formats: Iterable[str] = (),
    force: bool = False,
    options: dict[str, object] | None = None,
    on_warning=None,
) -> list[Path]:
    """Write ket-qua.json, the reports asked for ("pdf", "html") and the audit trail (trace.jsonl, manifest.json)
    into `out_dir` as one set; an existing output is refused unless `force`. Returns the paths written.

    `options` are recorded in the manifest (the command and the choices that shaped the result); `on_warning`
    receives each warning of the PDF renderer.
    """
    if run.source is None:
        raise OutputError(Problem("chỉ ghi được lần chấm của một bộ tài liệu đọc từ tệp hoặc thư mục"))
    out_dir = Path(out_dir)
    formats = set(formats)
    unknown = formats - set(REPORT_FORMATS)
    if unknown:
        raise OutputError(Problem(f"định dạng không hỗ trợ: {', '.join(sorted(unknown))}", field="--format"))
    targets = run_files(out_dir, formats)
    refuse_existing(targets, force)
    sweep_stale(out_dir, [p.name for p in targets])
    outputs: dict[Path, bytes] = {out_dir / RESULT_FILE: run.result.to_json().encode("utf-8")}
    if formats:
        html = render_html(run.result, run.bundle.report)
        if "pdf" in formats:
            pdf = render_pdf(html)
            outputs[out_dir / PDF_FILE] = pdf.data
            for warning in pdf.warnings:
                if on_warning is not None:
                    on_warning(warning)
        if "html" in formats:
            outputs[out_dir / HTML_FILE] = html.encode("utf-8")
    prepare_dir(out_dir)
    trail = audit_trail(
        out_dir,
        source=run.source,
        result=run.result,
        bundle=run.bundle,
        index=run.catalogue,
        options=dict(options or {}),
        outputs=outputs,
    )
    write_set({**outputs, **trail})
    return [*outputs, *trail]
