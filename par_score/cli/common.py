"""Shared CLI pieces: the catalogue option, loading bundles or saved results, Vietnamese echoing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from par_score.errors import InputError, OutputError, Problem
from par_score.numbers import NumberError, read_number
from par_score.outputs.terminal.safe import terminal_text
from par_score.scoring.result import is_saved_result, load_result


class WholeNumber(click.ParamType):
    """A whole number typed in an option, read like every number typed by a person (numbers.read_number)."""

    name = "số nguyên"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            number = read_number(str(value), whole=True).value
        except NumberError as exc:
            self.fail(str(exc), param, ctx)
        if number != number.to_integral_value():
            self.fail(f"'{value}' phải là số nguyên", param, ctx)
        return int(number)


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


def out_file_option(metavar: str, help: str, *, required: bool = True):
    """`--out` naming one file to write (its kinds in `metavar`, e.g. "TỆP.xlsx")."""
    return click.option(
        "--out",
        "out_file",
        type=click.Path(dir_okay=False, path_type=Path),
        required=required,
        default=None,
        metavar=metavar,
        help=help,
    )


def file_target(path: Path, suffixes: tuple[str, ...], called: str = "tệp ghi ra") -> Path:
    """`--out` as a file with one of `suffixes` (OutputError naming the option otherwise); `called` is what the
    message calls the file ("tệp kế hoạch phải có đuôi .json hoặc .xlsx")."""
    kinds = " hoặc ".join(suffixes)
    if path.suffix.lower() not in suffixes:
        raise OutputError(Problem(f"{called} phải có đuôi {kinds}", file=str(path), field="--out"))
    if path.is_dir():
        raise OutputError(Problem(f"đường dẫn là một thư mục, cần tên tệp {kinds}", file=str(path), field="--out"))
    return path


agency_option = click.option(
    "--agency", default=None, metavar="TÊN", help="Chỉ xem trước các tiêu chí do cơ quan này chủ trì hoặc phối hợp."
)


def echo(text: object = "", *, err: bool = False, nl: bool = True, limit: int | None = None) -> None:
    """click.echo through the terminal sanitiser: every text a command prints (see outputs.terminal.safe)."""
    click.echo(terminal_text(text, **({} if limit is None else {"limit": limit})), err=err, nl=nl)


_VIETNAMESE_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: str) -> dt.date:
    """A date as typed: dd/mm/yyyy or yyyy-mm-dd (nothing else: 03/04 alone could be read two ways)."""
    text = text.strip()
    try:
        found = _VIETNAMESE_DAY.match(text)
        if found:
            day, month, year = (int(part) for part in found.groups())
            return dt.date(year, month, day)
        if _ISO_DAY.match(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(Problem(f"ngày '{text}' không có thật", field="--as-of")) from None
    raise InputError(Problem(f"ngày '{text}' không đúng dạng dd/mm/yyyy (vd. 15/10/2026)", field="--as-of"))


__all__ = [
    "WholeNumber",
    "agency_option",
    "catalogue_option",
    "echo",
    "file_target",
    "force_option",
    "is_saved_result",
    "load_result",
    "out_file_option",
    "out_option",
    "parse_day",
]
