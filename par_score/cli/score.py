"""`par-score score BUNDLE`: score one bundle, print the per-area table, write ket-qua.json and the audit trail."""

from __future__ import annotations

from pathlib import Path

import click

from par_score import api
from par_score.batch.run import batch_entries
from par_score.cli.batch import score_batch
from par_score.cli.common import (
    agency_option,
    catalogue_option,
    echo,
    force_option,
    out_option,
)
from par_score.io.atomic import folder_lock, refuse_existing, refuse_unsafe_folder
from par_score.outputs.ranking import rating_of
from par_score.outputs.terminal.tables import score_table


@click.command("score")
@click.argument("bundle", type=click.Path(path_type=Path))
@catalogue_option
@out_option
@force_option
@agency_option
def command(bundle: Path, catalogue_ref: str | None, out_dir: Path, force: bool, agency: str | None) -> None:
    """Chấm điểm bộ tài liệu kiểm chứng BUNDLE (tệp YAML/JSON hoặc thư mục).

    BUNDLE có thể là thư mục chứa nhiều bộ (mỗi thư mục con / tệp là một bộ đầy đủ có unit, year): chấm cả loạt,
    ghi OUT/<mã đơn vị>/ket-qua.json và bảng xếp hạng OUT/xep-hang.json.
    """
    entries = batch_entries(bundle)
    if entries is not None:
        score_batch(entries, catalogue_ref=catalogue_ref, out_dir=out_dir, force=force, agency=agency)
        return
    refuse_unsafe_folder(out_dir, [bundle])
    with folder_lock(out_dir):  # from the start: a second run into the same folder fails at once
        refuse_existing(api.run_files(out_dir), force)
        run = api.run_source(bundle, catalogue_ref, agency=agency)
        options = {"command": "score", "agency": run.result.scope_agency, "catalogue": catalogue_ref}
        api.write_run(run, out_dir, force=force, options=options)
    echo(score_table(run.result))
    rating = rating_of(run.result.totals.index_pct, run.catalogue)
    if rating is not None:
        estimated = " (ước tính)" if run.result.totals.index_estimated else ""
        echo(f"Xếp loại{estimated}: {rating.name}.")
    echo(f"\nĐã ghi: {out_dir / api.RESULT_FILE}")
