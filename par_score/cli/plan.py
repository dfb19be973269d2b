"""`par-score plan SOURCE`: which changes of evidence gain the most points, by when, and for which agency."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from par_score import api
from par_score.cli.common import catalogue_option, echo, file_target, out_file_option, parse_day
from par_score.io.atomic import prepare_dir, refuse_existing, write_bytes, write_text
from par_score.outputs.excel.plan_workbook import plan_bytes
from par_score.outputs.terminal.plan import plan_text

FORMATS = (".json", ".xlsx")


@click.command("plan")
@click.argument("source", type=click.Path(path_type=Path))
@catalogue_option
@click.option(
    "--agency", default=None, metavar="TÊN", help="Chỉ hiện các tiêu chí do cơ quan này chủ trì hoặc phối hợp."
)
@click.option(
    "--target",
    default=None,
    metavar="ĐIỂM|TỶ LỆ%",
    help="Mục tiêu điểm tự đánh giá: số điểm (vd. 58) hoặc tỷ lệ điểm tối đa (vd. 95%): chọn ít thay đổi nhất để đạt.",
)
@click.option("--as-of", "as_of", default=None, metavar="NGÀY", help="Tính đến ngày (dd/mm/yyyy; mặc định: hôm nay).")
@out_file_option(
    "TỆP.json|TỆP.xlsx",
    "Ghi kế hoạch ra tệp JSON (cho giao diện web) hoặc bảng tính Excel (mỗi cơ quan một trang).",
    required=False,
)
@click.option("--force", is_flag=True, help="Ghi đè tệp kế hoạch đã có.")
def command(
    source: Path,
    catalogue_ref: str | None,
    agency: str | None,
    target: str | None,
    as_of: str | None,
    out_file: Path | None,
    force: bool,
) -> None:
    """Lập kế hoạch khắc phục, nâng điểm: với mỗi tiêu chí chưa đạt tối đa, thay đổi tài liệu kiểm chứng nhỏ nhất để
    lên mức cao hơn, số điểm tăng (đã chấm lại để kiểm tra), hạn chót và cơ quan chịu trách nhiệm.

    SOURCE là bộ tài liệu kiểm chứng (tệp YAML/JSON, thư mục hoặc bảng tính), hoặc tệp ket-qua.json đã lưu còn
    kèm manifest.json và bộ tài liệu chưa thay đổi.
    """
    day = parse_day(as_of) if as_of is not None else dt.date.today()
    if out_file is not None:
        refuse_existing([file_target(out_file, FORMATS, "tệp kế hoạch")], force)
    result = api.plan_source(source, catalogue_ref, target=target, as_of=day, agency=agency)
    echo(plan_text(result))
    if out_file is None:
        return
    prepare_dir(out_file.parent if str(out_file.parent) else Path("."))
    if out_file.suffix.lower() == ".json":
        write_text(out_file, result.to_json(), replace=force)
    else:
        write_bytes(out_file, plan_bytes(result), replace=force)
    echo(f"\nĐã ghi: {out_file}")
