"""Extraction over the whole corpus, next to the ingest+outline stage alone.

    python benchmarks/extract.py [--runs 7] [--corpus ../shared/corpus]

Targets: extraction adds no more than the outline stage itself costs (ratio <= 2.0), and the
whole of `planwatch extract` over the corpus (read, outline, extract; no interpreter start-up)
takes at most 0.3 s on the 2-core machine. The baseline, run in the same process, is a bare read
of every file + splitlines + one number regex over the same text.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

from ingest import default_corpus, median_time  # sibling script in benchmarks/

from planwatch.extract import extract
from planwatch.ingest import read_document
from planwatch.outline import parse_outline


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--corpus", default=str(default_corpus()))
    args = ap.parse_args()
    from pathlib import Path

    files = sorted(Path(args.corpus).glob("*.txt"))
    if not files:
        print(f"no corpus files under {args.corpus}", file=sys.stderr)
        return 2
    docs = [read_document(f) for f in files]
    chars = sum(len(d.text) for d in docs)
    outlines = [parse_outline(d) for d in docs]
    [extract(o) for o in outlines]

    number = re.compile(r"\d+(?:\.\d+)?")

    def bare():
        return [len(number.findall(line)) for f in files for line in f.read_text(encoding="utf-8").splitlines()]

    t_bare = median_time(bare, args.runs)
    t_whole = median_time(lambda: [extract(parse_outline(read_document(f))) for f in files], args.runs)
    t_outline = median_time(lambda: [parse_outline(read_document(f)) for f in files], args.runs)
    t_extract = median_time(lambda: [extract(o) for o in outlines], args.runs)
    n_targets = sum(len(extract(o).targets) for o in outlines)
    print(f"corpus: {len(files)} files, {chars:,} characters, {n_targets} targets, median of {args.runs} runs")
    print(f"ingest+outline : {t_outline * 1000:8.1f} ms  {chars / t_outline:12,.0f} chars/s")
    print(f"extract        : {t_extract * 1000:8.1f} ms  {chars / t_extract:12,.0f} chars/s")
    print(f"ratio (extract / ingest+outline): {t_extract / t_outline:.2f}x")
    print(f"bare read + splitlines + regex (baseline): {t_bare * 1000:8.1f} ms")
    print(f"whole extract (read, outline, extract): {t_whole * 1000:8.1f} ms  {t_whole / t_bare:.1f}x baseline — "
          f"target 0.3 s: {'met' if t_whole <= 0.3 else 'NOT met'}")
    t_start = median_time(lambda: _run([sys.executable, "-c", "pass"]), 3)
    t_cli = median_time(lambda: _run([sys.executable, "-m", "planwatch", "extract", *map(str, files), "--format", "jsonl",
                                      "--jobs", "1"]), 3)
    print(f"`planwatch extract` over the corpus as a command: {t_cli * 1000:8.1f} ms, {(t_cli - t_start) * 1000:.1f} ms "
          f"after the interpreter's start-up ({t_start * 1000:.1f} ms; imports included)")
    return 0


def _run(command: list[str]) -> None:
    # .pyc files as an installed package has them (a developer's PYTHONDONTWRITEBYTECODE would
    # make every run compile the sources again).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)


if __name__ == "__main__":
    sys.exit(main())
