"""`par-score score BUNDLE`: score one bundle, print the per-area table, write ket-qua.json."""
from __future__ import annotations

from pathlib import Path

import click

from par_score.audit import audit_files, record_run
from par_score.cli.common import agency_option, catalogue_for, catalogue_option, force_option, out_option
from par_score.evidence import load_bundle
from par_score.outputs.atomic import prepare_dir, refuse_existing, write_text
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
    """Chấm điểm bộ tài liệu kiểm chứng BUNDLE (tệp YAML/JSON hoặc thư mục)."""
    target = out_dir / RESULT_FILE
    refuse_existing([target, *audit_files(out_dir)], force)
    evidence = load_bundle(bundle)
    index = catalogue_for(catalogue_ref or evidence.catalogue)
    result = Scorer(index).score(evidence, agency=agency)
    prepare_dir(out_dir)
    write_text(target, result.to_json())
    record_run(out_dir, source=bundle, result=result, bundle=evidence, index=index,
               options={"command": "score", "agency": agency, "catalogue": catalogue_ref}, outputs=[target])
    click.echo(score_table(result))
    click.echo(f"\nĐã ghi: {target}")
