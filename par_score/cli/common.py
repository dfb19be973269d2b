"""Shared CLI pieces: the catalogue option, loading bundles or saved results, Vietnamese echoing."""
from __future__ import annotations

from pathlib import Path

import click
from pydantic import ValidationError

from par_score.catalogue import CatalogueIndex, load_catalogue
from par_score.errors import InputError
from par_score.readers import read_structured
from par_score.results import RESULT_FORMAT, ScoreResult
from par_score.validation import problems_from

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
agency_option = click.option("--agency", default=None, metavar="TÊN", help="Chỉ xem trước các tiêu chí do cơ quan này chủ trì.")


def catalogue_for(reference: str | None) -> CatalogueIndex:
    return load_catalogue(reference)


def is_saved_result(path: Path) -> bool:
    if not (path.is_file() and path.suffix.lower() == ".json"):
        return False
    try:
        with path.open("rb") as stream:
            head = stream.read(4096).decode("utf-8", errors="ignore")
    except OSError:
        return False
    return f'"{RESULT_FORMAT}"' in head


def load_result(path: Path) -> ScoreResult:
    raw = read_structured(path)
    try:
        return ScoreResult.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, raw, str(path))) from None

