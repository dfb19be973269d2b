"""`par-score merge PARTS… --out BUNDLE`: combine the agencies' workbooks and bundles into the province's bundle."""

from __future__ import annotations

from pathlib import Path

import click

from par_score.catalogue import load_catalogue
from par_score.cli.common import catalogue_option, echo, file_target, force_option, out_file_option
from par_score.evidence.merge import merge_sources, read_sources
from par_score.io.atomic import prepare_dir, refuse_existing, write_text
from par_score.outputs.evidence_yaml import bundle_yaml
from par_score.scoring.checks import check_bundle


@click.command("merge")
@click.argument("parts", nargs=-1, required=True, type=click.Path(path_type=Path))
@out_file_option("TỆP.yaml", "Tệp bộ tài liệu hợp nhất (YAML).")
@catalogue_option
@force_option
def command(parts: tuple[Path, ...], out_file: Path, catalogue_ref: str | None, force: bool) -> None:
    """Hợp nhất các phần (bảng tính .xlsx, tệp YAML/JSON hoặc thư mục) của các cơ quan thành một bộ tài liệu.

    Bản ghi trùng lặp giống hệt nhau được gộp; văn bản đồng ký do nhiều cơ quan gửi được gộp và ghi đủ các cơ quan.
    Chỉ số mà danh mục cho cộng dồn (combine: sum) giữ số liệu của từng đơn vị đóng góp; số liệu, khai báo không
    phát sinh, không đạt hoặc văn bản cùng mã nhưng khác nội dung bị từ chối, nêu rõ cả hai nguồn.
    """
    file_target(out_file, (".yaml", ".yml"), "bộ tài liệu hợp nhất được ghi dạng YAML: tệp")
    refuse_existing([out_file], force)
    out_dir = out_file.parent if str(out_file.parent) else Path(".")
    sources = read_sources(list(parts))
    declared = next((s.part.catalogue for s in sources if s.part.catalogue), None)
    index = load_catalogue(catalogue_ref or declared)
    merged = merge_sources(sources, out_dir, index.combine_policies())
    check_bundle(merged.bundle, index)
    names = [str(s.path) for s in merged.sources]
    text = bundle_yaml(
        merged.part, ["Bộ tài liệu kiểm chứng hợp nhất bằng `par-score merge` từ:", *(f"  - {n}" for n in names)]
    )
    prepare_dir(out_dir)
    write_text(out_file, text, replace=force)
    part = merged.part
    counts = (
        f"{len(part.documents)} văn bản, {len(part.metrics)} số liệu, {len(part.not_applicable)} khai báo không phát "
        f"sinh, {len(part.not_achieved)} khai báo không đạt, {len(part.survey)} kết quả điều tra, "
        f"{len(part.explanations)} giải trình"
    )
    echo(f"Đã hợp nhất {len(names)} phần: {counts}.")
    if merged.duplicates:
        echo(f"Đã gộp {merged.duplicates} bản ghi trùng lặp giống hệt nhau.")
    echo(f"Đã ghi: {out_file}")
