"""`par-score score BUNDLE`: score one bundle, print the per-area table, write ket-qua.json."""
from __future__ import annotations

from pathlib import Path

import click

from par_score.audit import audit_files, record_run, run_record
from par_score.batch import batch_entries
from par_score.cli.batch import score_batch
from par_score.cli.common import (
    agency_option,
    catalogue_for,
    catalogue_option,
    force_option,
    out_option,
)
from par_score.evidence import load_bundle
from par_score.outputs.atomic import (
    prepare_dir,
    refuse_existing,
    sweep_stale,
    write_set,
)
from par_score.outputs.terminal import score_table
from par_score.scoring import Scorer

RESULT_FILE = "ket-qua.json"


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
        score_batch(entries, catalogue_ref=catalogue_ref, out_dir=out_dir, force=force, agency=agency,
                    result_file=RESULT_FILE, record=record_run, audit_files=audit_files)
        return
    target = out_dir / RESULT_FILE
    refuse_existing([target, *audit_files(out_dir)], force)
    sweep_stale(out_dir, [p.name for p in (target, *audit_files(out_dir))])
    evidence = load_bundle(bundle, lenient=True)  # the Scorer's checks report its load problems
    index = catalogue_for(catalogue_ref or evidence.catalogue)
    result = Scorer(index).score(evidence, agency=agency)
    prepare_dir(out_dir)
    outputs = {target: result.to_json().encode("utf-8")}
    trail = run_record(out_dir, source=bundle, result=result, bundle=evidence, index=index,
                       options={"command": "score", "agency": agency, "catalogue": catalogue_ref}, outputs=outputs)
    write_set({**outputs, **trail})
    click.echo(score_table(result))
    click.echo(f"\nĐã ghi: {target}")
