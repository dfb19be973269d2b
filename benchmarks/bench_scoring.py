#!/usr/bin/env python3
"""Benchmark: score N complete synthetic bundles at national scale, compare the engine with the pure evaluator,
render one full report.

    python benchmarks/bench_scoring.py                 # N = 1, 100, 1000; bundles as JSON files
    python benchmarks/bench_scoring.py -n 1000 --format yaml --profile

For each N, the bundles (random but valid, every scale of the reference catalogue: documents on time and late,
periodic reports, ratios as numerator/denominator and as percents, counts, deductions, value changes, "không phát
sinh", survey previews, explanations) are generated and written to a temporary folder (not timed). Each measurement
runs in a fresh process, so that its peak memory (getrusage maxrss) is its own:

  batch      what `par-score score FOLDER --out DIR` does: read and check every file, score them with one Scorer and
             one durable-rules host, write each ket-qua.json (+ manifest.json, trace.jsonl) atomically, the ranking
             (from 32 bundles on, two helper processes read the next bundles and write the outputs beside the
             scorer). Wall time in total and per bundle; peak RSS of the scorer plus each helper's (RSS counts the
             pages a forked helper shares with the scorer twice: an upper bound). Targets: 1 000 bundles < 30 s and
             < 400 MB (all processes together).
  compare    the same bundles, already in memory: facts + durable-rules bands ("engine") against facts + the pure
             Python evaluator ("evaluator"), their ratio, and the full Scorer (checks, both deciders, results, totals).
  report     one full report of one bundle (HTML, then PDF) — target < 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_SECONDS_1000 = 30.0
TARGET_MEGABYTES = 400.0
TARGET_REPORT_SECONDS = 5.0


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


# ---- children: one measurement each -----------------------------------------------------------------------------
def child_batch(folder: Path, audit: bool, profile: bool) -> dict:
    from par_score.batch.run import batch_entries, run_batch

    entries = batch_entries(folder)
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    try:

        def run():
            return run_batch(entries, catalogue_ref=None, out_dir=out / "kq", force=False, agency=None, audit=audit)

        started = time.perf_counter()
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            outcome = profiler.runcall(run)
            seconds = time.perf_counter() - started
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
        else:
            outcome = run()
            seconds = time.perf_counter() - started
        helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest helper process
        return {
            "bundles": len(outcome.ranking),
            "seconds": seconds,
            "peak_mb": peak_megabytes(),
            "helper_mb": helper,
            "helpers": outcome.helpers,
        }
    finally:
        shutil.rmtree(out, ignore_errors=True)


def child_compare(folder: Path) -> dict:
    from par_score.batch.run import batch_entries
    from par_score.catalogue import load_catalogue
    from par_score.evidence import load_bundle
    from par_score.scoring.compile import compile_catalogue
    from par_score.scoring.engine import RuleEngine
    from par_score.scoring.evaluator import evaluate
    from par_score.scoring.facts import build_facts
    from par_score.scoring.scorer import Scorer

    index = load_catalogue()
    rules = compile_catalogue(index)
    bundles = [load_bundle(p) for p in batch_entries(folder)]

    started = time.perf_counter()
    for bundle in bundles:
        for leaf_rules, facts in zip(rules, build_facts(index, bundle), strict=False):
            evaluate(leaf_rules, facts)
    evaluator = time.perf_counter() - started

    started = time.perf_counter()
    all_facts = [build_facts(index, bundle) for bundle in bundles]
    for _ in RuleEngine(rules).fire_each(all_facts):
        pass
    engine = time.perf_counter() - started

    scorer = Scorer(index)
    _ = scorer.rules  # compiled once, outside the timing, as in a batch
    started = time.perf_counter()
    for _ in scorer.iter_scores(bundles):
        pass
    full = time.perf_counter() - started
    return {
        "bundles": len(bundles),
        "evaluator": evaluator,
        "engine": engine,
        "scorer": full,
        "peak_mb": peak_megabytes(),
    }


def child_report(folder: Path) -> dict:
    from par_score.batch.run import batch_entries
    from par_score.catalogue import load_catalogue
    from par_score.evidence import load_bundle
    from par_score.outputs.report import render_html, render_pdf
    from par_score.scoring.scorer import Scorer

    bundle = load_bundle(batch_entries(folder)[0])
    result = Scorer(load_catalogue()).score(bundle)
    started = time.perf_counter()
    html = render_html(result, bundle.report)
    html_seconds = time.perf_counter() - started
    pdf = render_pdf(html)
    total = time.perf_counter() - started
    return {"html": html_seconds, "total": total, "pdf_bytes": len(pdf.data), "peak_mb": peak_megabytes()}


# ---- the parent ---------------------------------------------------------------------------------------------------
def generate(folder: Path, count: int, fmt: str, seed: int) -> None:
    from par_score.catalogue import load_catalogue
    from par_score.testing.synthetic import synthetic_bundle, write_bundle

    index = load_catalogue()
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for number in range(1, count + 1):
        write_bundle(synthetic_bundle(index, rng, number), folder / f"don-vi-{number:04d}.{fmt}")
    if count == 1:  # a batch needs two entries or a sub-folder: put the one bundle in a folder of its own
        inner = folder / "don-vi-0001"
        inner.mkdir()
        (folder / f"don-vi-0001.{fmt}").rename(inner / f"don-vi-0001.{fmt}")


def spawn(kind: str, folder: Path, *extra: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder), *extra], capture_output=True, text=True, env=env
    )
    if done.stderr:
        sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"phép đo '{kind}' thất bại (mã {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ms(seconds: float, count: int) -> str:
    return f"{seconds / max(count, 1) * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "-n", "--sizes", type=int, nargs="+", default=[1, 100, 1000], help="số bộ bằng chứng (mặc định 1 100 1000)"
    )
    parser.add_argument(
        "--format", choices=["json", "yaml"], default="json", help="định dạng tệp bằng chứng (mặc định json)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--no-audit", action="store_true", help="không ghi manifest.json/trace.jsonl (chỉ ket-qua.json)"
    )
    parser.add_argument("--no-compare", action="store_true", help="bỏ phép so sánh engine ÷ evaluator")
    parser.add_argument("--no-report", action="store_true", help="bỏ phép đo dựng báo cáo")
    parser.add_argument("--profile", action="store_true", help="cProfile phép đo batch của N lớn nhất (in ra stderr)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, folder = args.child[0], Path(args.child[1])
        if kind == "batch":
            print(json.dumps(child_batch(folder, audit=not args.no_audit, profile=args.child_profile)))
        elif kind == "compare":
            print(json.dumps(child_compare(folder)))
        else:
            print(json.dumps(child_report(folder)))
        return

    import platform

    print(
        f"par_score benchmark — Python {platform.python_version()}, {os.cpu_count()} CPU, định dạng {args.format}, "
        f"seed {args.seed}{', không ghi audit' if args.no_audit else ''}"
    )
    work = Path(tempfile.mkdtemp(prefix="bench-par-score-"))
    verdicts = []
    try:
        for count in args.sizes:
            folder = work / f"n{count}"
            started = time.perf_counter()
            generate(folder, count, args.format, args.seed)
            print(
                f"\nN = {count}: {count} bộ bằng chứng tổng hợp ({time.perf_counter() - started:.1f} s để sinh, không "
                "tính)"
            )
            extra = ["--child-profile"] if args.profile and count == max(args.sizes) else []
            if args.no_audit:
                extra.append("--no-audit")
            batch = spawn("batch", folder, *extra)
            memory = batch["peak_mb"] + batch["helpers"] * batch["helper_mb"]
            helper = (
                f" + {batch['helpers']} tiến trình phụ (đọc trước, ghi), mỗi tiến trình ≤ {batch['helper_mb']:.0f} MB "
                f"= {memory:.0f} MB"
                if batch["helpers"]
                else ""
            )
            print(
                f"  batch (đọc + kiểm tra + chấm + ghi): {batch['seconds']:.2f} s tổng, "
                f"{ms(batch['seconds'], count)}/bộ, "
                f"đỉnh bộ nhớ {batch['peak_mb']:.0f} MB{helper}"
            )
            if count == 1000:
                verdicts.append(
                    ("1 000 bộ < 30 s", batch["seconds"] < TARGET_SECONDS_1000, f"{batch['seconds']:.2f} s")
                )
                verdicts.append(
                    ("1 000 bộ < 400 MB (cả các tiến trình phụ)", memory < TARGET_MEGABYTES, f"{memory:.0f} MB")
                )
            if not args.no_compare:
                c = spawn("compare", folder)
                print(
                    f"  evaluator thuần Python (facts + evaluate): {c['evaluator']:.2f} s, "
                    f"{ms(c['evaluator'], count)}/bộ"
                )
                print(f"  engine durable-rules (facts + luật):      {c['engine']:.2f} s, {ms(c['engine'], count)}/bộ")
                print(f"  tỷ lệ engine ÷ evaluator: {c['engine'] / c['evaluator']:.2f}")
                print(
                    f"  Scorer đầy đủ (kiểm tra, hai bộ quyết định, kết quả, tổng hợp): {c['scorer']:.2f} s, "
                    f"{ms(c['scorer'], count)}/bộ "
                    f"(bộ nhớ khi giữ {count} bộ trong RAM: {c['peak_mb']:.0f} MB)"
                )
        if not args.no_report:
            folder = work / f"n{args.sizes[0]}"
            r = spawn("report", folder)
            print(
                f"\nbáo cáo đầy đủ của một bộ: HTML {r['html']:.2f} s, HTML + PDF {r['total']:.2f} s "
                f"({r['pdf_bytes']:,} byte PDF)"
            )
            verdicts.append(("một báo cáo < 5 s", r["total"] < TARGET_REPORT_SECONDS, f"{r['total']:.2f} s"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if verdicts:
        print("\nMục tiêu:")
        for name, ok, value in verdicts:
            print(f"  {'ĐẠT ' if ok else 'CHƯA'}  {name}: {value}")


if __name__ == "__main__":
    main()
