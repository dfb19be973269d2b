"""`par-score report BUNDLE`: the self-assessment report (PDF and/or HTML) plus ket-qua.json."""
from __future__ import annotations

from pathlib import Path

import click

from par_score.cli.common import catalogue_for, catalogue_option, force_option, out_option
from par_score.cli.score import RESULT_FILE
from par_score.evidence import load_bundle
from par_score.numbers import vn, vn_percent
from par_score.outputs.atomic import prepare_dir, refuse_existing, write_bytes, write_text
from par_score.outputs.report import HTML_FILE, PDF_FILE, render_html, render_pdf
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
    targets = [out_dir / name for name in names]
    result_target = out_dir / RESULT_FILE
    refuse_existing([*targets, result_target], force)
    evidence = load_bundle(bundle)
    result = Scorer(catalogue_for(catalogue_ref or evidence.catalogue)).score(evidence)
    html = render_html(result, evidence.report)
    outputs: dict[Path, bytes] = {}
    if HTML_FILE in names:
        outputs[out_dir / HTML_FILE] = html.encode("utf-8")
    if PDF_FILE in names:
        pdf = render_pdf(html)
        outputs[out_dir / PDF_FILE] = pdf.data
        for warning in pdf.warnings:
            click.echo(f"Cảnh báo khi dựng PDF: {warning}", err=True)
    prepare_dir(out_dir)
    write_text(result_target, result.to_json())
    for path, data in outputs.items():
        write_bytes(path, data)
    t = result.totals
    click.echo(
        f"Báo cáo tự đánh giá năm {result.year} — {result.unit.name}: "
        f"{vn(t.self_.points)}/{vn(t.self_.max)} điểm tự đánh giá ({vn_percent(t.self_pct)})."
    )
    if evidence.report is None:
        click.echo("Lưu ý: bộ tài liệu chưa có mục `report`; số, ngày và người ký để trống (…).", err=True)
    for path in [result_target, *outputs]:
        click.echo(f"Đã ghi: {path}")
