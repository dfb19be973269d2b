"""`par-score score DIR_OF_BUNDLES --out DIR`: the batch form of `score` (the rules live in par_score.batch.run)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import click

from par_score.batch.run import RANKING_FILE, run_batch
from par_score.cli.common import echo
from par_score.numbers import vn
from par_score.outputs.ranking import ranking_table, standings_table
from par_score.scoring.result import RESULT_FILE


@contextlib.contextmanager
def _progress(total: int) -> Iterator:
    """A progress bar on a terminal (stderr); silent when stderr is not a terminal (pipes, files, CI)."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=total, label="Đang chấm điểm", file=sys.stderr, show_pos=True, show_eta=True) as bar:
        yield bar.update


def score_batch(
    entries: list[Path],
    *,
    catalogue_ref: str | None,
    out_dir: Path,
    force: bool,
    agency: str | None,
) -> None:
    with _progress(len(entries)) as advance:
        outcome = run_batch(
            entries,
            catalogue_ref=catalogue_ref,
            out_dir=out_dir,
            force=force,
            agency=agency,
            progress=advance,
        )
    if outcome.publication is not None:
        echo(standings_table(outcome.publication))
    else:
        echo(ranking_table(outcome.basis, outcome.ranking))
    n = len(outcome.ranking)
    each = outcome.seconds / n if n else 0
    echo(
        f"\nĐã chấm {n} bộ bằng chứng trong {vn(round_seconds(outcome.seconds))} giây "
        f"({vn(round_seconds(each * 1000))} ms/bộ); kết quả: {out_dir}/<mã đơn vị>/{RESULT_FILE}; "
        f"xếp hạng: {out_dir / RANKING_FILE}"
    )


def round_seconds(value: float) -> Decimal:
    """A measured duration for display (timing only: no score ever passes through a float)."""
    return Decimal(repr(value)).quantize(Decimal("0.01"))
