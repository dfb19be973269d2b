"""Reading a batch's bundles, in order: inline, or read ahead by one helper process while the scorer works.

Parsing (above all YAML) is a large share of a batch; a helper process reads the next bundles while the scorer
scores the current one, and hands each back pickled (a bundle's problems come back as data: exceptions lose their
located problems on the way). At most `ahead` bundles wait, so memory stays flat.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from par_score.errors import InputError, Problem
from par_score.evidence import Bundle, load_bundle

Loaded = tuple[Path, Bundle | None, list[Problem]]


def _read(entry: Path) -> Loaded:
    try:
        return entry, load_bundle(entry, lenient=True), []  # batch.admit's checks report its load problems
    except InputError as exc:
        return entry, None, exc.problems


def _read_pickled(entry: str) -> bytes:
    return pickle.dumps(_read(Path(entry)), protocol=pickle.HIGHEST_PROTOCOL)


def _follow_parent(parent: int) -> None:
    """End the helper when the scorer is gone (killed): a pool's worker would otherwise wait for work forever."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def start_helper(parent: int) -> None:
    threading.Thread(target=_follow_parent, args=(parent,), daemon=True).start()


def helper_pool(initializer=None, initargs: tuple = ()) -> ProcessPoolExecutor:
    """One helper process: forked where possible (instant, nothing to re-import), spawned elsewhere (Windows)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return ProcessPoolExecutor(
        max_workers=1, mp_context=context, initializer=initializer or start_helper, initargs=initargs or (os.getpid(),)
    )


def read_each(entries: list[Path], *, helper: bool, ahead: int = 6) -> Iterator[Loaded]:
    """(entry, bundle or None, problems) for each entry, in order."""
    if not helper:
        for entry in entries:
            yield _read(entry)
        return
    pool = helper_pool()
    waiting: deque[Future] = deque()
    queue = deque(entries)
    try:
        while queue or waiting:
            while queue and len(waiting) < ahead:
                waiting.append(pool.submit(_read_pickled, str(queue.popleft())))
            yield pickle.loads(waiting.popleft().result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
