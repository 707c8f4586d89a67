"""Ingest + outline of the whole corpus, against a plain splitlines()+regex pass as the floor.

    python benchmarks/ingest.py [--runs 7] [--corpus ../shared/corpus]

Reports characters per second (median of several runs) and the ratio to the floor measured
in the same process.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

from planwatch.ingest import read_document
from planwatch.outline import parse_outline

FLOOR_RE = re.compile(r"^(第[一二三四五六七八九十]+[章节]|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])")


def default_corpus() -> Path:
    return Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--corpus", type=Path, default=default_corpus())
    args = ap.parse_args()
    files = sorted(args.corpus.glob("*.txt"))
    if not files:
        print(f"no corpus files under {args.corpus}", file=sys.stderr)
        return 2
    texts = [f.read_text(encoding="utf-8") for f in files]
    chars = sum(len(t) for t in texts)

    def floor():
        for text in texts:
            [FLOOR_RE.match(line) for line in text.splitlines()]

    def stage():
        for f in files:
            parse_outline(read_document(f))

    stage()  # warm caches (OpenCC, selectolax) once, as a running service would
    t_floor, t_stage = median_time(floor, args.runs), median_time(stage, args.runs)
    print(f"corpus: {len(files)} files, {chars:,} characters, median of {args.runs} runs")
    print(f"floor  splitlines+regex : {t_floor * 1000:8.1f} ms  {chars / t_floor:14,.0f} chars/s")
    print(f"ingest+outline          : {t_stage * 1000:8.1f} ms  {chars / t_stage:14,.0f} chars/s")
    print(f"ratio (stage / floor)   : {t_stage / t_floor:8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
