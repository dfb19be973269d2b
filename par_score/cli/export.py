"""`par-score export RESULT --out FILE.xlsx`: the scored table as a workbook for appraisers."""

from __future__ import annotations

from pathlib import Path

import click

from par_score import api
from par_score.cli.common import (
    agency_option,
    catalogue_option,
    echo,
    file_target,
    force_option,
    is_saved_result,
    load_result,
    out_file_option,
)
from par_score.io.atomic import prepare_dir, refuse_existing, write_bytes
from par_score.outputs.excel.result_table import export_bytes


@click.command("export")
@click.argument("source", type=click.Path(path_type=Path), metavar="RESULT")
@out_file_option("TỆP.xlsx", "Tệp bảng tính kết quả.")
@force_option
@catalogue_option
@agency_option
def command(source: Path, out_file: Path, force: bool, catalogue_ref: str | None, agency: str | None) -> None:
    """Xuất bảng điểm ra Excel cho người thẩm định.

    RESULT là tệp kết quả ket-qua.json đã lưu, hoặc một bộ tài liệu kiểm chứng (sẽ được chấm trước khi xuất).
    """
    target = file_target(out_file, (".xlsx",))
    refuse_existing([target], force)
    if is_saved_result(source):
        result = load_result(source)
    else:
        result = api.score_source(source, catalogue_ref, agency=agency)
    data = export_bytes(result)
    prepare_dir(target.parent if str(target.parent) else Path("."))
    write_bytes(target, data, replace=force)
    echo(f"Đã ghi: {target}")
