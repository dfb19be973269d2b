"""`par-score report BUNDLE`: the self-assessment report (PDF and/or HTML), ket-qua.json and the audit trail."""

from __future__ import annotations

from pathlib import Path

import click

from par_score import api
from par_score.cli.common import (
    catalogue_option,
    force_option,
    out_option,
)
from par_score.io.atomic import refuse_existing
from par_score.outputs.terminal.audit import appraisal_summary
from par_score.outputs.terminal.tables import score_table
from par_score.scoring.result import ScoreResult

FORMATS = {"pdf": ("pdf",), "html": ("html",), "both": ("pdf", "html")}


def run_options(
    catalogue_ref: str | None, output_format: str, appraisal_file: Path | None, result: ScoreResult
) -> dict:
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
    help="Tệp thẩm định (YAML/JSON, xem evidence/appraisal.md): báo cáo kèm cột điểm thẩm định; ket-qua.json là kết "
    "quả sau thẩm định.",
)
@force_option
def command(
    bundle: Path, catalogue_ref: str | None, out_dir: Path, output_format: str, appraisal_file: Path | None, force: bool
) -> None:
    """Lập Báo cáo kết quả tự đánh giá, chấm điểm (kèm Phụ lục bảng tổng hợp) từ bộ tài liệu kiểm chứng BUNDLE.

    Thông tin văn bản (số, ngày, người ký, nơi nhận, khó khăn, kiến nghị) lấy từ mục `report` của bộ tài liệu.
    Với --appraisal, tệp thẩm định được áp dụng như lệnh `appraise`: báo cáo nêu điểm tự đánh giá và điểm thẩm định.
    """
    formats = FORMATS[output_format]
    refuse_existing(api.run_files(out_dir, formats), force)
    run = api.run_source(bundle, catalogue_ref)
    if appraisal_file is not None:
        run = api.appraise(run, appraisal_file)
    written = api.write_run(
        run,
        out_dir,
        formats=formats,
        force=force,
        options=run_options(catalogue_ref, output_format, appraisal_file, run.result),
        on_warning=lambda warning: click.echo(f"Cảnh báo khi dựng PDF: {warning}", err=True),
    )
    click.echo(score_table(run.result))
    if run.result.appraisal is not None:
        click.echo("")
        click.echo(appraisal_summary(run.result))
    if run.bundle.report is None:
        click.echo("Lưu ý: bộ tài liệu chưa có mục `report`; số, ngày và người ký để trống (…).", err=True)
    click.echo("")
    for path in written:
        click.echo(f"Đã ghi: {path}")
