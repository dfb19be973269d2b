"""`par-score merge PARTS… --out BUNDLE`: combine the agencies' workbooks and bundles into the province's bundle."""

from __future__ import annotations

from pathlib import Path

import click

from par_score.catalogue import load_catalogue
from par_score.cli.common import catalogue_option, force_option
from par_score.errors import OutputError, Problem
from par_score.evidence.merge import merge_paths
from par_score.io.atomic import prepare_dir, refuse_existing, write_text
from par_score.outputs.evidence_yaml import bundle_yaml
from par_score.scoring.checks import check_bundle


@click.command("merge")
@click.argument("parts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="TỆP.yaml",
    help="Tệp bộ tài liệu hợp nhất (YAML).",
)
@catalogue_option
@force_option
def command(parts: tuple[Path, ...], out_file: Path, catalogue_ref: str | None, force: bool) -> None:
    """Hợp nhất các phần (bảng tính .xlsx, tệp YAML/JSON hoặc thư mục) của các cơ quan thành một bộ tài liệu.

    Bản ghi trùng lặp giống hệt nhau được gộp; số liệu, khai báo không phát sinh hoặc văn bản cùng mã nhưng khác
    nội dung bị từ chối, nêu rõ cả hai nguồn.
    """
    if out_file.suffix.lower() not in (".yaml", ".yml"):
        raise OutputError(
            Problem(
                "bộ tài liệu hợp nhất được ghi dạng YAML: tệp phải có đuôi .yaml hoặc .yml",
                file=str(out_file),
                field="--out",
            )
        )
    refuse_existing([out_file], force)
    out_dir = out_file.parent if str(out_file.parent) else Path(".")
    merged = merge_paths(list(parts), out_dir)
    check_bundle(merged.bundle, load_catalogue(catalogue_ref or merged.bundle.catalogue))
    names = [str(s.path) for s in merged.sources]
    text = bundle_yaml(
        merged.part, ["Bộ tài liệu kiểm chứng hợp nhất bằng `par-score merge` từ:", *(f"  - {n}" for n in names)]
    )
    prepare_dir(out_dir)
    write_text(out_file, text)
    part = merged.part
    counts = (
        f"{len(part.documents)} văn bản, {len(part.metrics)} số liệu, {len(part.not_applicable)} khai báo không phát "
        "sinh, "
        f"{len(part.survey)} kết quả điều tra, {len(part.explanations)} giải trình"
    )
    click.echo(f"Đã hợp nhất {len(names)} phần: {counts}.")
    if merged.duplicates:
        click.echo(f"Đã gộp {merged.duplicates} bản ghi trùng lặp giống hệt nhau.")
    click.echo(f"Đã ghi: {out_file}")
