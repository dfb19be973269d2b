"""`par-score template --out FILE.xlsx`: the evidence workbook generated from the catalogue."""

from __future__ import annotations

from pathlib import Path

import click
from pydantic import ValidationError

from par_score.catalogue import load_catalogue
from par_score.cli.common import (
    WholeNumber,
    agency_option,
    catalogue_option,
    echo,
    file_target,
    force_option,
    out_file_option,
)
from par_score.errors import InputError, Problem
from par_score.evidence.model import Unit
from par_score.io.atomic import prepare_dir, refuse_existing, write_bytes
from par_score.io.validation import problems_from
from par_score.outputs.excel.evidence_template import describe, template_bytes


def unit_of(code: str | None, name: str | None, level: str) -> Unit | None:
    """The unit typed as --unit/--unit-name, validated like a bundle's (InputError naming the option)."""
    if code is None and name is None:
        return None
    if code is None or name is None:
        missing = "--unit-name" if code is not None else "--unit"
        raise InputError(
            Problem(
                'cần cả mã đơn vị (--unit, vd. tay-ninh) và tên đơn vị (--unit-name, vd. "Tỉnh Tây Ninh")',
                field=missing,
            )
        )
    raw = {"code": code.strip(), "name": name.strip(), "level": level}
    try:
        return Unit.model_validate(raw)
    except ValidationError as exc:
        options = {"code": "--unit", "name": "--unit-name"}
        raise InputError(
            [Problem(p.message, field=options.get(p.field or "", p.field)) for p in problems_from(exc, raw, None)]
        ) from None


@click.command("template")
@catalogue_option
@agency_option
@click.option("--unit", "unit_code", metavar="MÃ", default=None, help="Mã đơn vị điền sẵn và khóa (vd. tay-ninh).")
@click.option("--unit-name", metavar="TÊN", default=None, help='Tên đơn vị điền sẵn (vd. "Tỉnh Tây Ninh").')
@click.option(
    "--year", type=WholeNumber(), default=None, metavar="NĂM", help="Năm đánh giá (kiểm tra khớp với danh mục)."
)
@out_file_option("TỆP.xlsx", "Tệp bảng tính cần tạo.")
@click.option(
    "--profile",
    default=None,
    metavar="LOẠI",
    help="Loại đơn vị (danh mục chia loại đơn vị): chỉ gồm các tiêu chí áp dụng cho loại đó.",
)
@force_option
def command(
    catalogue_ref: str | None,
    agency: str | None,
    profile: str | None,
    unit_code: str | None,
    unit_name: str | None,
    year: int | None,
    out_file: Path,
    force: bool,
) -> None:
    """Tạo bảng tính Excel để nhập tài liệu kiểm chứng theo danh mục tiêu chí.

    Với --agency, bảng tính chỉ gồm các tiêu chí do cơ quan đó chủ trì hoặc phối hợp; với --profile, chỉ các tiêu chí
    áp dụng cho loại đơn vị đó (vd. --profile khong-tthc với danh mục của các sở). Với --unit, --unit-name (và
    --year), sheet 'Thông tin' được điền sẵn và khóa: mọi cơ quan gửi lại cùng một đơn vị, cùng một năm.
    """
    target = file_target(out_file, (".xlsx",))
    refuse_existing([target], force)
    index = load_catalogue(catalogue_ref)
    if year is not None and year != index.year:
        raise InputError(
            Problem(
                f"năm {year} khác năm đánh giá của danh mục '{index.id}' ({index.year}); chọn danh mục của năm {year} "
                "bằng --catalogue",
                field="--year",
            )
        )
    unit = unit_of(unit_code, unit_name, index.catalogue.unit_level)
    data = template_bytes(index, agency, unit, profile)
    prepare_dir(target.parent if str(target.parent) else Path("."))
    write_bytes(target, data, replace=force)
    filled = f"; đã điền và khóa đơn vị {unit.name} ({unit.code}), năm {index.year}" if unit else ""
    echo(f"Đã tạo bảng tính: {target} — {describe(index, agency, profile)}{filled}.")
