"""`par-score report BUNDLE`: the report (PDF, HTML and/or DOCX), ket-qua.json and the audit trail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from par_score import api
from par_score.cli.common import (
    catalogue_option,
    force_option,
    out_option,
    parse_day,
)
from par_score.io.atomic import refuse_existing
from par_score.outputs.report.kinds import KIND_NAMES, KINDS, PREVIEW
from par_score.outputs.terminal.audit import appraisal_summary
from par_score.outputs.terminal.tables import score_table
from par_score.scoring.result import ScoreResult

FORMATS = {
    "pdf": ("pdf",),
    "html": ("html",),
    "docx": ("docx",),
    "both": ("pdf", "html"),
    "all": ("pdf", "html", "docx"),
}


def run_options(
    catalogue_ref: str | None,
    output_format: str,
    appraisal_file: Path | None,
    result: ScoreResult,
    kind: str,
    draft: bool,
    evidence_zip: bool,
) -> dict:
    """The manifest's options. The appraisal file is an input that shapes the result, so its path and sha256 are
    recorded here (the manifest's evidence list holds the bundle's files only)."""
    options: dict[str, object] = {
        "command": "report",
        "catalogue": catalogue_ref,
        "format": output_format,
        "kind": kind,
        "draft": draft,
    }
    if evidence_zip:
        options["evidence_zip"] = True
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
    type=click.Choice(list(FORMATS)),
    default="both",
    show_default=True,
    help="Định dạng: pdf, html, docx (Word, để chỉnh sửa), both (pdf và html) hoặc all (cả ba).",
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="Loại văn bản: bao-cao (báo cáo tự đánh giá gửi Bộ Nội vụ, mặc định), tham-dinh (báo cáo tiếp thu, giải "
    "trình sau thẩm định, mặc định khi có --appraisal), xem-truoc (bản xem trước nội bộ, có điểm điều tra ước tính).",
)
@click.option(
    "--final",
    is_flag=True,
    help="Chỉ lập văn bản đủ điều kiện ký ban hành: nếu còn thiếu giải trình, số, ngày, người ký… thì dừng (mã 2) "
    "và không ghi gì, thay vì lập bản DỰ THẢO.",
)
@click.option(
    "--appraisal",
    "appraisal_file",
    type=click.Path(path_type=Path),
    default=None,
    metavar="TỆP",
    help="Tệp thẩm định (YAML/JSON, xem evidence/appraisal.md): báo cáo sau thẩm định; ket-qua.json là kết quả "
    "sau thẩm định.",
)
@click.option(
    "--evidence-zip",
    is_flag=True,
    help="Đóng gói các tệp đính kèm của tài liệu kiểm chứng, đặt tên theo số thứ tự trong Danh mục (TL01…), vào "
    "tai-lieu-kiem-chung.zip.",
)
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="NGÀY",
    help="Bản xem trước nội bộ (--kind xem-truoc): ngày tính kế hoạch khắc phục (dd/mm/yyyy; mặc định: hôm nay).",
)
@force_option
def command(
    bundle: Path,
    catalogue_ref: str | None,
    out_dir: Path,
    output_format: str,
    kind: str | None,
    final: bool,
    appraisal_file: Path | None,
    evidence_zip: bool,
    as_of: str | None,
    force: bool,
) -> None:
    """Lập báo cáo (kèm Phụ lục bảng tổng hợp và Danh mục tài liệu kiểm chứng) từ bộ tài liệu kiểm chứng BUNDLE.

    Thông tin văn bản (số, ngày, người ký, nơi nhận, công văn hướng dẫn, khó khăn, kiến nghị) lấy từ mục `report`
    của bộ tài liệu. Khi còn thiếu giải trình hoặc số, ngày, người ký, văn bản được lập dưới dạng DỰ THẢO (đóng dấu
    trên mọi trang) và danh sách còn thiếu được in ra; --final thì từ chối. Văn bản gửi Bộ Nội vụ không bao giờ nêu
    điểm điều tra xã hội học ước tính; bản xem trước nội bộ (--kind xem-truoc) thì có.
    """
    formats = FORMATS[output_format]
    refuse_existing(api.run_files(out_dir, formats, evidence_zip=evidence_zip), force)
    run = api.run_source(bundle, catalogue_ref)
    if appraisal_file is not None:
        run = api.appraise(run, appraisal_file)
    checked = api.report_preflight(run, kind)
    plan_day = (parse_day(as_of) if as_of is not None else dt.date.today()) if checked.kind == PREVIEW else None
    options = run_options(
        catalogue_ref, output_format, appraisal_file, run.result, checked.kind, checked.draft, evidence_zip
    )
    if plan_day is not None:
        options["plan_as_of"] = plan_day.isoformat()  # the plan in the preview depends on it
    written = api.write_run(
        run,
        out_dir,
        formats=formats,
        force=force,
        kind=checked.kind,
        final=final,
        evidence_zip=evidence_zip,
        plan_as_of=plan_day,
        options=options,
        on_warning=lambda warning: click.echo(f"Cảnh báo khi dựng PDF: {warning}", err=True),
    )
    click.echo(score_table(run.result))
    if run.result.appraisal is not None:
        click.echo("")
        click.echo(appraisal_summary(run.result))
    click.echo("")
    click.echo(f"Văn bản: {KIND_NAMES[checked.kind]}{' — DỰ THẢO' if checked.draft else ''}.")
    if checked.draft:
        click.echo("Văn bản được lập dưới dạng DỰ THẢO vì còn thiếu:", err=True)
        for item in checked.missing:
            click.echo(f"  - {item}", err=True)
        click.echo("Bổ sung vào bộ tài liệu rồi lập lại; dùng --final để chỉ nhận văn bản đủ điều kiện ký.", err=True)
    if checked.estimates_left_out:
        click.echo(
            f"Lưu ý: {len(checked.estimates_left_out)} tiêu chí điều tra xã hội học có số liệu xem trước "
            f"({', '.join(checked.estimates_left_out)}); văn bản gửi đi không nêu điểm ước tính "
            "(xem bản nội bộ: --kind xem-truoc).",
            err=True,
        )
    click.echo("")
    for path in written:
        click.echo(f"Đã ghi: {path}")
