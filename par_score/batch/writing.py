"""Writing a batch's per-unit outputs (ket-qua.json, the audit trail) into its staging folder.

`InlineWriter` writes in the scoring process. `ProcessWriter` hands each unit to one helper process, so that on a
machine with two cores the scorer (checks, facts, durable-rules, results) and the writer (JSON, fsync, audit
hashes and trace) run side by side: the scorer serialises the result once (JSON text) and pickles the bundle; the
helper reads the result back from that JSON — the very text it writes — and records the audit trail from it. At
most `max_pending` units wait for the helper, so memory stays flat. Either writer gives the same files.
"""

from __future__ import annotations

import os
import pickle
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from par_score.batch.reading import helper_pool, start_helper
from par_score.catalogue import CatalogueIndex
from par_score.errors import OutputError, ParScoreError, Problem
from par_score.evidence import Bundle
from par_score.io.atomic import write_text
from par_score.scoring.result import RESULT_FILE, ScoreResult

Record = Callable[..., object]
PARALLEL_FROM = 32  # bundles: below this, starting a helper process costs more than it saves


class InlineWriter:
    def __init__(self, *, index: CatalogueIndex, record: Record | None, options: dict):
        self.index, self.record, self.options = index, record, options

    def submit(self, unit_dir: Path, entry: Path, result: ScoreResult, bundle: Bundle) -> None:
        target = unit_dir / RESULT_FILE
        write_text(target, result.to_json())
        if self.record is not None:
            self.record(
                unit_dir,
                source=entry,
                result=result,
                bundle=bundle,
                index=self.index,
                options=self.options,
                outputs=[target],
            )

    def drain(self) -> None:
        pass

    def close(self) -> None:
        pass


# ---- the helper process -------------------------------------------------------------------------------------------
_HELPER: dict[str, object] = {}


def _start_helper(index: bytes, record: Record | None, options: dict, parent: int) -> None:
    _HELPER.update(index=pickle.loads(index), record=record, options=options)
    start_helper(parent)


def _write_unit(unit_dir: str, entry: str, result_json: str, bundle: bytes) -> list[Problem]:
    """In the helper: write one unit's files; a user-facing problem comes back as data (exceptions lose it)."""
    try:
        folder = Path(unit_dir)
        target = folder / RESULT_FILE
        write_text(target, result_json)
        record = _HELPER["record"]
        if record is not None:
            result = ScoreResult.model_validate_json(result_json)
            record(
                folder,
                source=Path(entry),
                result=result,
                bundle=pickle.loads(bundle),
                index=_HELPER["index"],
                options=_HELPER["options"],
                outputs=[target],
            )
    except ParScoreError as exc:
        return exc.problems
    return []


class ProcessWriter:
    def __init__(self, *, index: CatalogueIndex, record: Record | None, options: dict, max_pending: int = 8):
        self.pool = helper_pool(_start_helper, (pickle.dumps(index), record, options, os.getpid()))
        self.pending: deque[Future] = deque()
        self.max_pending = max_pending

    def submit(self, unit_dir: Path, entry: Path, result: ScoreResult, bundle: Bundle) -> None:
        data = pickle.dumps(bundle, protocol=pickle.HIGHEST_PROTOCOL)
        self.pending.append(self.pool.submit(_write_unit, str(unit_dir), str(entry), result.to_json(), data))
        while len(self.pending) > self.max_pending:
            self._settle(self.pending.popleft())

    def drain(self) -> None:
        while self.pending:
            self._settle(self.pending.popleft())

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _settle(future: Future) -> None:
        problems = future.result()
        if problems:
            raise OutputError(problems)


def helpers_wanted(count: int, parallel: bool | None) -> bool:
    """Helper processes for large batches on a machine with more than one core (PAR_SCORE_PARALLEL=0: never)."""
    if parallel is not None:
        return parallel
    return count >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 and os.environ.get("PAR_SCORE_PARALLEL", "1") != "0"


def writer_for(*, helper: bool, **kwargs) -> InlineWriter | ProcessWriter:
    return ProcessWriter(**kwargs) if helper else InlineWriter(**kwargs)
