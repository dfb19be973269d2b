"""`par-score diff A B`: per criterion, per area and total differences between two saved results."""

from __future__ import annotations

from pathlib import Path

import click

from par_score.audit.diff import diff_results
from par_score.cli.common import echo, force_option, load_result
from par_score.io.atomic import prepare_dir, refuse_existing, write_text
from par_score.outputs.terminal.audit import diff_text


@click.command("diff")
@click.argument("a_file", metavar="A", type=click.Path(path_type=Path))
@click.argument("b_file", metavar="B", type=click.Path(path_type=Path))
@click.option(
    "--json",
    "json_file",
    metavar="TỆP",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Ghi thêm bảng so sánh dạng JSON vào TỆP ('-' để in ra màn hình thay cho bảng).",
)
@force_option
def command(a_file: Path, b_file: Path, json_file: Path | None, force: bool) -> None:
    """So sánh hai kết quả A và B (ket-qua.json hoặc ket-qua-tham-dinh.json).

    Từng tiêu chí: điểm trước/sau, thay đổi và lý do (mức khác, số liệu khác, thêm/bớt tài liệu, không phát sinh,
    thẩm định, danh mục khác, chỉ có ở một bên); từng lĩnh vực và tổng.
    """
    diff = diff_results(load_result(a_file), load_result(b_file), a_file=str(a_file), b_file=str(b_file))
    if json_file is not None and str(json_file) == "-":
        echo(diff.to_json(), nl=False, limit=len(diff.to_json()))
        return
    if json_file is not None:
        refuse_existing([json_file], force)
    echo(diff_text(diff))
    if json_file is not None:
        prepare_dir(json_file.parent if str(json_file.parent) else Path("."))
        write_text(json_file, diff.to_json(), replace=force)
        echo(f"\nĐã ghi: {json_file}")
