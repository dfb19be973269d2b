"""`par-score report BUNDLE`: the self-assessment report (PDF and/or HTML), ket-qua.json and the audit trail."""
from __future__ import annotations

from pathlib import Path

import click

from par_score.audit import audit_files, run_record
from par_score.cli.common import catalogue_for, catalogue_option, force_option, out_option
from par_score.cli.score import RESULT_FILE
from par_score.evidence import load_bundle
from par_score.outputs.atomic import prepare_dir, refuse_existing, write_set
from par_score.outputs.report import HTML_FILE, PDF_FILE, render_html, render_pdf
from par_score.outputs.terminal import score_table
from par_score.scoring import Scorer

FORMATS = {"pdf": (PDF_FILE,), "html": (HTML_FILE,), "both": (PDF_FILE, HTML_FILE)}


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
@force_option
def command(bundle: Path, catalogue_ref: str | None, out_dir: Path, output_format: str, force: bool) -> None:
    """Lập Báo cáo kết quả tự đánh giá, chấm điểm (kèm Phụ lục bảng tổng hợp) từ bộ tài liệu kiểm chứng BUNDLE.

    Thông tin văn bản (số, ngày, người ký, nơi nhận, khó khăn, kiến nghị) lấy từ mục `report` của bộ tài liệu.
    """
    names = FORMATS[output_format]
    result_target = out_dir / RESULT_FILE
    targets = [out_dir / name for name in names]
    refuse_existing([result_target, *targets, *audit_files(out_dir)], force)
    evidence = load_bundle(bundle)
    index = catalogue_for(catalogue_ref or evidence.catalogue)
    result = Scorer(index).score(evidence)
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
                       options={"command": "report", "catalogue": catalogue_ref, "format": output_format},
                       outputs=outputs)
    write_set({**outputs, **trail})
    click.echo(score_table(result))
    if evidence.report is None:
        click.echo("Lưu ý: bộ tài liệu chưa có mục `report`; số, ngày và người ký để trống (…).", err=True)
    click.echo("")
    for path in [*outputs, *audit_files(out_dir)]:
        click.echo(f"Đã ghi: {path}")
