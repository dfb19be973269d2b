"""Hostile workbooks under a memory cap: exit code, seconds and peak memory of `par-score score` for each case.

python benchmarks/bench_hostile_workbooks.py [--cap-mb 1536] [--timeout 120] [--only NAME …]

The corpus is par_score.testing.workbooks.hostile_corpus (made from the current evidence template), plus a few
heavier cases built here: sparse wide rows twice as many, shared strings that are large but pass the ratio check,
and two legitimate extremes (the template with 9 000 more rows of 18 filled cells, near the cell limit; the empty
template). Each case runs in
a fresh process running the `par-score score CASE.xlsx --out …` entry point with its address space capped by
resource.setrlimit(RLIMIT_AS) (1,5 GB by default) and a timeout; the peak memory is the child's own high-water
resident set size (VmHWM). A script, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from par_score.catalogue import load_catalogue  # noqa: E402 - after the path above
from par_score.outputs.excel.evidence_template import template_bytes  # noqa: E402
from par_score.testing import workbooks as w  # noqa: E402


def extra_cases(template: bytes) -> dict[str, bytes]:
    parts = w.parts_of(template)
    info = w.info_sheet(parts)
    documents = w.sheet_parts(parts)[2]
    rng = random.Random(7)

    def noisy_strings(count: int, length: int) -> bytes:
        letters = "abcdefghijklmnopqrstuvwxyz"
        items = "".join(f"<si><t>{''.join(rng.choices(letters, k=length))}</t></si>" for _ in range(count))
        return f'<sst xmlns="{w.MAIN_NS.decode()}" count="{count}">{items}</sst>'.encode()

    return {
        "sparse-wide-rows-8000": w.changed(template, lambda p: p.__setitem__(info, w.sparse_wide_rows(p[info], 8_000))),
        "shared-strings-15MB-random": w.changed(
            template, lambda p: w.add_shared_strings(p, noisy_strings(1_500, 10_000))
        ),
        "legit-9000-rows-x-18-cells": w.changed(
            template, lambda p: p.__setitem__(documents, w.many_cells(p[documents], 9_000, 18, first=1_000))
        ),
        "legit-empty-template": template,
    }


# The child caps its own address space, runs the real entry point, and at exit writes its peak resident memory as the
# kernel counts it for its own image (VmHWM: the rusage of a forked-then-exec'd child would include its parent's).
CHILD = """
import atexit, resource, sys
cap, report = int(sys.argv[1]), sys.argv[2]
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(report, "w").write(line.split()[1])

atexit.register(peak)
from par_score.cli import main
main(sys.argv[3:])
"""


def run_case(path: Path, out: Path, cap: int, timeout: float) -> tuple[int | str, float, float | None, str]:
    """(exit code or 'timeout', seconds, peak memory in MB or None, last line of stderr) of one capped child."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PAR_SCORE_DEBUG", None)
    report = out.with_suffix(".peak")
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(cap), str(report), "score", str(path), "--out", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=timeout,
        )
        code: int | str = done.returncode
        err = done.stderr
    except subprocess.TimeoutExpired as exc:
        code, err = "timeout", exc.stderr or b""
    seconds = time.perf_counter() - started
    peak = int(report.read_text()) / 1024 if report.exists() else None
    lines = err.decode("utf-8", "replace").strip().splitlines()
    return code, seconds, peak, lines[-1].strip() if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap-mb", type=int, default=1536, help="address-space cap of each run (MB)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a run is killed")
    parser.add_argument("--only", nargs="*", default=None, help="run only these cases")
    args = parser.parse_args()

    template = template_bytes(load_catalogue(), None)
    cases = {**w.hostile_corpus(template), **extra_cases(template)}
    if args.only:
        cases = {name: data for name, data in cases.items() if name in args.only}
    cap = args.cap_mb * 1024 * 1024
    print(f"{len(cases)} cases, each capped at {args.cap_mb} MB (RLIMIT_AS), timeout {args.timeout:.0f} s")
    print(f"{'case':32} {'bytes':>10} {'exit':>7} {'seconds':>8} {'peak MB':>8}  message")
    worst_seconds = worst_memory = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, data in cases.items():
            path = Path(folder) / f"{name}.xlsx"
            path.write_bytes(data)
            code, seconds, peak, message = run_case(path, Path(folder) / f"ket-qua-{name}", cap, args.timeout)
            worst_seconds, worst_memory = max(worst_seconds, seconds), max(worst_memory, peak or 0.0)
            shown = message.removeprefix("- ").replace(folder + "/", "")[:110]
            memory = f"{peak:>8.0f}" if peak is not None else f"{'—':>8}"
            print(f"{name:32} {len(data):>10} {code!s:>7} {seconds:>8.2f} {memory}  {shown}")
    print(f"slowest: {worst_seconds:.2f} s; largest peak: {worst_memory:.0f} MB")


if __name__ == "__main__":
    main()
