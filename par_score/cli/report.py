"""`par-score report BUNDLE`: the self-assessment report (PDF and/or HTML), ket-qua.json and the audit trail."""
from __future__ import annotations

from pathlib import Path

import click

from par_score.audit import audit_files, run_record
from par_score.audit.appraisal import appraise_files
from par_score.cli.common import (
    catalogue_for,
    catalogue_option,
    force_option,
    out_option,
)
from par_score.cli.score import RESULT_FILE
from par_score.evidence import load_bundle
from par_score.outputs.atomic import prepare_dir, refuse_existing, write_set
from par_score.outputs.audit_text import appraisal_summary
from par_score.outputs.report import HTML_FILE, PDF_FILE, render_html, render_pdf
from par_score.outputs.terminal import score_table
from par_score.results import ScoreResult
from par_score.scoring import Scorer

FORMATS = {"pdf": (PDF_FILE,), "html": (HTML_FILE,), "both": (PDF_FILE, HTML_FILE)}


def run_options(catalogue_ref: str | None, output_format: str, appraisal_file: Path | None, result: ScoreResult) -> dict:
    """The manifest's options. The appraisal file is an input that shapes the result, so its path and sha256 are
    recorded here (the manifest's evidence list holds the bundle's files only)."""
    options: dict[str, object] = {"command": "report", "catalogue": catalogue_ref, "format": output_format}
    if appraisal_file is not None and result.appraisal is not None:
        options.update(appraisal=str(appraisal_file.resolve()), appraisal_sha256=result.appraisal.sha256)
    return options


@click.command("report")
@click.argument("bundle", type=click.Path(path_type=Path))
@catalogue_option
@out_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(FORMATS)),
    default="both",
    show_default=True,
    help="Định dạng báo cáo: pdf, html hoặc cả hai.",
)
@click.option(
    "--appraisal",
    "appraisal_file",
    type=click.Path(path_type=Path),
    default=None,
    metavar="TỆP",
    help="Tệp thẩm định (YAML/JSON, xem evidence/appraisal.md): báo cáo kèm cột điểm thẩm định; ket-qua.json là kết quả sau thẩm định.",
)
@force_option
def command(
    bundle: Path, catalogue_ref: str | None, out_dir: Path, output_format: str, appraisal_file: Path | None, force: bool
) -> None:
    """Lập Báo cáo kết quả tự đánh giá, chấm điểm (kèm Phụ lục bảng tổng hợp) từ bộ tài liệu kiểm chứng BUNDLE.

    Thông tin văn bản (số, ngày, người ký, nơi nhận, khó khăn, kiến nghị) lấy từ mục `report` của bộ tài liệu.
    Với --appraisal, tệp thẩm định được áp dụng như lệnh `appraise`: báo cáo nêu điểm tự đánh giá và điểm thẩm định.
    """
    names = FORMATS[output_format]
    result_target = out_dir / RESULT_FILE
    targets = [out_dir / name for name in names]
    refuse_existing([result_target, *targets, *audit_files(out_dir)], force)
    evidence = load_bundle(bundle, lenient=True)  # the Scorer's checks report its load problems
    index = catalogue_for(catalogue_ref or evidence.catalogue)
    result = Scorer(index).score(evidence)
    if appraisal_file is not None:
        result = appraise_files(result, appraisal_file)
    html = render_html(result, evidence.report)
    outputs: dict[Path, bytes] = {}
    if PDF_FILE in names:
        pdf = render_pdf(html)
        outputs[out_dir / PDF_FILE] = pdf.data
        for warning in pdf.warnings:
            click.echo(f"Cảnh báo khi dựng PDF: {warning}", err=True)
    if HTML_FILE in names:
        outputs[out_dir / HTML_FILE] = html.encode("utf-8")
    prepare_dir(out_dir)
    outputs = {result_target: result.to_json().encode("utf-8"), **outputs}
    trail = run_record(out_dir, source=bundle, result=result, bundle=evidence, index=index,
                       options=run_options(catalogue_ref, output_format, appraisal_file, result), outputs=outputs)
    write_set({**outputs, **trail})
    click.echo(score_table(result))
    if result.appraisal is not None:
        click.echo("")
        click.echo(appraisal_summary(result))
    if evidence.report is None:
        click.echo("Lưu ý: bộ tài liệu chưa có mục `report`; số, ngày và người ký để trống (…).", err=True)
    click.echo("")
    for path in [*outputs, *audit_files(out_dir)]:
        click.echo(f"Đã ghi: {path}")
