"""`par-score publish PROVINCE_FOLDER --out DIR`: score the sở and the xã of a province in one go, rank them per
cluster with their ratings, and write the rankings and the Quyết định công bố (rules: par_score.batch.publish)."""

from __future__ import annotations

from pathlib import Path

import click

from par_score.batch.publish import HEADER_FILE, count_units, publish
from par_score.cli.batch import _progress
from par_score.cli.common import force_option, out_option
from par_score.outputs.ranking import standings_table


@click.command("publish")
@click.argument("folder", type=click.Path(path_type=Path))
@out_option
@force_option
@click.option("--no-pdf", is_flag=True, help="Chỉ ghi Quyết định dạng HTML (không dựng PDF).")
def command(folder: Path, out_dir: Path, force: bool, no_pdf: bool) -> None:
    """Chấm điểm, xếp hạng và lập Quyết định công bố Chỉ số CCHC của các sở, ban, ngành và UBND các xã, phường.

    FOLDER là thư mục của tỉnh: mỗi thư mục con là một loạt bộ bằng chứng chấm theo một danh mục (vd. so/, xa/);
    tệp cong-bo.yaml (nếu có) ghi tên tỉnh, số, ngày Quyết định và người ký. Ghi OUT/<thư mục con>/<mã đơn vị>/,
    bảng xếp hạng OUT/xep-hang.json và OUT/xep-hang.xlsx, Quyết định công bố OUT/quyet-dinh-cong-bo.pdf (.html).
    """
    with _progress(count_units(folder)) as advance:
        outcome = publish(folder, out_dir=out_dir, force=force, progress=advance, pdf=not no_pdf)
    for pub, _ in outcome.publications:
        click.echo(standings_table(pub))
        click.echo("")
    for warning in outcome.warnings:
        click.echo(f"Cảnh báo khi dựng PDF: {warning}", err=True)
    header = "" if (folder / HEADER_FILE).is_file() else f" (chưa có {HEADER_FILE}: số, ngày Quyết định để trống)"
    click.echo(
        f"Đã chấm {outcome.units} đơn vị; đã ghi kết quả, bảng xếp hạng và Quyết định công bố vào {out_dir}{header}."
    )
