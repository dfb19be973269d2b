"""Shared CLI pieces: the catalogue option, loading bundles or saved results, Vietnamese echoing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from par_score.errors import InputError, Problem
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
    "agency_option",
    "catalogue_option",
    "force_option",
    "is_saved_result",
    "load_result",
    "out_option",
    "parse_day",
]
