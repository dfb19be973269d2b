"""Time one province report: scoring, HTML, PDF (issue #3 target: under 5 s for the report).

python benchmarks/bench_report.py [BUNDLE] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from par_score.catalogue import load_catalogue
from par_score.evidence import load_bundle
from par_score.io.resources import example_bundle
from par_score.outputs.report import render_html, render_pdf
from par_score.scoring.scorer import Scorer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle", nargs="?", default=str(example_bundle()))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    bundle = load_bundle(Path(args.bundle))
    result = Scorer(load_catalogue(bundle.catalogue)).score(bundle)
    scored = time.perf_counter() - started

    html_times, pdf_times = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        html = render_html(result, bundle.report)
        t1 = time.perf_counter()
        render_pdf(html)
        t2 = time.perf_counter()
        html_times.append(t1 - t0)
        pdf_times.append(t2 - t1)
    total = [h + p for h, p in zip(html_times, pdf_times, strict=False)]
    print(f"bundle: {args.bundle}")
    print(f"load + score (first, engine start included): {scored:.2f} s")
    print(f"HTML: median {statistics.median(html_times):.3f} s")
    print(f"PDF:  median {statistics.median(pdf_times):.2f} s")
    print(
        f"report (HTML + PDF): median {statistics.median(total):.2f} s, max {max(total):.2f} s over {args.repeat} runs"
    )


if __name__ == "__main__":
    main()
