"""`par-score template --out FILE.xlsx`: the evidence workbook generated from the catalogue."""

from __future__ import annotations

from pathlib import Path

import click

from par_score.catalogue import load_catalogue
from par_score.cli.common import (
    agency_option,
    catalogue_option,
    force_option,
)
from par_score.errors import OutputError, Problem
from par_score.io.atomic import prepare_dir, refuse_existing, write_bytes
from par_score.outputs.excel.evidence_template import describe, template_bytes


def xlsx_target(path: Path) -> Path:
    if path.suffix.lower() != ".xlsx":
        raise OutputError(Problem("tệp ghi ra phải có đuôi .xlsx", file=str(path), field="--out"))
    if path.is_dir():
        raise OutputError(Problem("đường dẫn là một thư mục, cần tên tệp .xlsx", file=str(path), field="--out"))
    return path


@click.command("template")
@catalogue_option
@agency_option
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="TỆP.xlsx",
    help="Tệp bảng tính cần tạo.",
)
@click.option(
    "--profile",
    default=None,
    metavar="LOẠI",
    help="Loại đơn vị (danh mục chia loại đơn vị): chỉ gồm các tiêu chí áp dụng cho loại đó.",
)
@force_option
def command(catalogue_ref: str | None, agency: str | None, profile: str | None, out_file: Path, force: bool) -> None:
    """Tạo bảng tính Excel để nhập tài liệu kiểm chứng theo danh mục tiêu chí.

    Với --agency, bảng tính chỉ gồm các tiêu chí do cơ quan đó chủ trì; với --profile, chỉ các tiêu chí áp dụng cho
    loại đơn vị đó (vd. --profile khong-tthc với danh mục của các sở).
    """
    target = xlsx_target(out_file)
    refuse_existing([target], force)
    index = load_catalogue(catalogue_ref)
    data = template_bytes(index, agency, profile)
    prepare_dir(target.parent if str(target.parent) else Path("."))
    write_bytes(target, data)
    click.echo(f"Đã tạo bảng tính: {target} — {describe(index, agency, profile)}.")
