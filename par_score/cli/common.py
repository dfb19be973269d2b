"""Shared CLI pieces: the catalogue option, loading bundles or saved results, Vietnamese echoing."""

from __future__ import annotations

from pathlib import Path

import click

from par_score.outputs.terminal.safe import terminal_text
from par_score.scoring.result import is_saved_result, load_result

catalogue_option = click.option(
    "--catalogue",
    "catalogue_ref",
    metavar="MÃ|TỆP",
    default=None,
    help="Danh mục tiêu chí: mã danh mục có sẵn hoặc đường dẫn tệp YAML (mặc định: danh mục tham chiếu 2024).",
)
out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("ket-qua"),
    show_default=True,
    help="Thư mục ghi kết quả.",
)
force_option = click.option("--force", is_flag=True, help="Ghi đè kết quả đã có trong thư mục.")
agency_option = click.option(
    "--agency", default=None, metavar="TÊN", help="Chỉ xem trước các tiêu chí do cơ quan này chủ trì."
)


def echo(text: object = "", *, err: bool = False, nl: bool = True, limit: int | None = None) -> None:
    """click.echo through the terminal sanitiser: every text a command prints (see outputs.terminal.safe)."""
    click.echo(terminal_text(text, **({} if limit is None else {"limit": limit})), err=err, nl=nl)


__all__ = [
    "agency_option",
    "catalogue_option",
    "echo",
    "force_option",
    "is_saved_result",
    "load_result",
    "out_option",
]
