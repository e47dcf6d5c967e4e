"""Build-time benchmark (kept apart from the tests): median of several builds of a corpus.

    .venv/bin/python benchmarks/bench_build.py ../shared/reports --runs 3 --jobs 2
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from ofsted_kg.build import build


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--jobs", type=int, default=None)
    args = p.parse_args()
    times = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            report = build(args.paths, Path(tmp) / "kg", jobs=args.jobs)
            times.append(time.perf_counter() - started)
            print(f"run {run + 1}: {times[-1]:.2f} s ({report.totals['ok']} ok, {report.totals['quads']} quads)")
    med = statistics.median(times)
    print(f"median {med:.2f} s over {len(times)} runs (min {min(times):.2f}, max {max(times):.2f})")


if __name__ == "__main__":
    main()
