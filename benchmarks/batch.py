"""Batch ingest on a synthetic corpus made from the bundled fictional plan: docs/s with
--jobs 1 (the baseline) and --jobs 2 beside the machine's own ceiling for two processes, re-ingest as a share of the first ingest, peak memory,
and near-duplicate lookup (LSH bands) against a linear scan at 100 and 1,000 stored plans.

    python benchmarks/batch.py [--docs 200] [--repeat 3] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

The corpus is deterministic: each document takes the demo plan's chapters shuffled, numbers
changed, region names and common words varied, repeated to ``--rounds`` copies; every tenth
document is a light revision of an earlier one, so the lookup has true matches to find.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import insert
from sqlalchemy.orm import Session
from store import databases  # sibling script in benchmarks/

from planwatch.batch import BatchOptions, ingest_paths
from planwatch.demo import demo_plan_path
from planwatch.ingest.similarity import Signature, band_keys, signature
from planwatch.store import make_engine, upgrade
from planwatch.store.plans import similar_plans
from planwatch.store.schema import Plan, PlanBand

CITIES = ("青川市", "江城市", "云岭市", "海阳市", "北原市", "南浦市", "西峡市", "东桥市")
# County names made of two characters and a suffix (394 of them, 8 cities × 394 regions), so documents
# are versions of one plan only where the corpus means them to be (every tenth is a revision).
COUNTY_FIRST = "临白东南北西青金玉松云海江山河湖石桥林泉"
COUNTY_SECOND = "河沙岭湖山塘石水泉林阳川溪源峰宁安平远丰"
COUNTIES = tuple(f"{a}{b}{'区' if (i + j) % 2 else '县'}" for i, a in enumerate(COUNTY_FIRST) for j, b in enumerate(COUNTY_SECOND) if a != b)
# Words swapped at random so that documents differ in most 8-character shingles, as real plans do.
SWAPS = (("推进", "加快", "加强", "深化", "完善", "优化", "提升", "强化"), ("生态", "产业", "交通", "文化", "教育", "医疗", "科技", "农业"),
         ("城市", "乡村", "园区", "社区", "街道", "新城", "老城", "片区"), ("建设", "改造", "培育", "打造", "布局", "保障", "治理", "服务"))


def document(seed: int, rounds: int) -> str:
    rng = random.Random(seed)
    text = demo_plan_path().read_text(encoding="utf-8")
    head, *chapters = re.split(r"\n(?=第[一二三四五六七八九十]+章)", text)
    city, county = CITIES[seed % len(CITIES)], COUNTIES[(seed // len(CITIES)) % len(COUNTIES)]
    body = []
    for _ in range(rounds):
        rng.shuffle(chapters)
        body.extend(chapters)
    out = "\n".join([head, *body])
    out = re.sub(r"\d+(?:\.\d+)?", lambda m: _changed(m.group(), rng), out)
    for group in SWAPS:
        out = re.sub("|".join(group), lambda _m, g=group: rng.choice(g), out)
    return out.replace("青川市", city).replace("临河区", county).replace("临河", county[:2])


def distinct_document(seed: int) -> str:
    """A document sharing boilerplate but few 8-character shingles with the others, as plans of
    different regions do (corpus plans: Jaccard < 0.01): a third of its character pairs swapped."""
    rng = random.Random(seed)
    text = document(seed, 1)
    pool = [text[i : i + 2] for i in range(0, len(text) - 1, 2) if "\u4e00" <= text[i] <= "\u9fff" and "\u4e00" <= text[i + 1] <= "\u9fff"]
    return re.sub(r"[\u4e00-\u9fff]{2}", lambda m: rng.choice(pool) if rng.random() < 0.35 else m.group(), text)


def _changed(number: str, rng: random.Random) -> str:
    if len(number) == 4 and number.startswith("20"):
        return number  # years stay years
    value = float(number) * rng.uniform(0.8, 1.2)
    return f"{value:.1f}" if "." in number else str(max(1, round(value)))


def write_corpus(folder: Path, docs: int, rounds: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(docs):
        text = document(i - 5 if i % 10 == 9 else i, rounds)  # every tenth: a revision of doc i-5
        if i % 10 == 9:
            text = text.replace("到2025年", "到2025年底", 1)
        path = folder / f"plan{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, workers


def bench_ingest(url: str, folder: Path, docs: int, jobs: int) -> dict:
    engine = make_engine(url)
    upgrade(engine)
    report, first = timed(lambda: ingest_paths(engine, [str(folder)], BatchOptions(jobs=jobs)))
    assert report.ok and report.stored == docs, (report.stored, report.failed[:3])
    again, second = timed(lambda: ingest_paths(engine, [str(folder)], BatchOptions(jobs=jobs)))
    assert again.skipped == docs
    engine.dispose()
    return {"first": first, "again": second}


def bench_lookup(url: str, signatures: list[Signature], sizes: tuple[int, ...], queries: int = 20) -> list[tuple[int, float, float]]:
    """Mean time to find one plan's near-duplicates by LSH bands, and by scanning every signature."""
    engine = make_engine(url)
    upgrade(engine)
    out, stored = [], 0
    for size in sizes:
        with Session(engine) as s, s.begin():
            for sig in signatures[stored:size]:
                plan = Plan(key=f"bench|{stored}", title="bench", source_file="-", content_hash=f"{stored:064d}", format="txt",
                            script="simplified", minhash=sig.hashvalues, shingles=sig.size)
                s.add(plan)
                s.flush()
                s.execute(insert(PlanBand), [{"plan_id": plan.id, "band_key": k} for k in band_keys(sig)])
                stored += 1
        probe = signatures[size : size + queries]
        with Session(engine) as s:
            _, t_lsh = timed(lambda s=s, probe=probe: [similar_plans(s, q) for q in probe])
            _, t_scan = timed(lambda s=s, probe=probe: [_scan(s, q) for q in probe])
        out.append((size, t_lsh / len(probe), t_scan / len(probe)))
    engine.dispose()
    return out


def _spin(n: int = 3_000_000) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def machine_ceiling() -> float:
    """How much faster two processes do two equal pieces of pure-Python work than one process
    does both: the most --jobs 2 can gain on this machine at this moment. On this VM it moves
    from 1.3× to 2.3× within minutes (both vCPUs slow down when both are busy), so each round
    measures it beside its own ingest runs."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_spin, [10, 10]))  # the workers started before the clock
        _, serial = timed(lambda: (_spin(), _spin()))
        _, parallel = timed(lambda: list(pool.map(_spin, [3_000_000, 3_000_000])))
    return serial / parallel


def _scan(session: Session, sig: Signature) -> int:
    """The baseline: every stored signature compared (what the pairwise check amounted to)."""
    rows = session.execute(Plan.__table__.select().with_only_columns(Plan.minhash)).scalars().all()
    stack = np.frombuffer(b"".join(rows), dtype=np.uint32).reshape(len(rows), -1)
    return int(((stack == sig.values()).mean(axis=1) > 0.2).sum())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="documents in the synthetic corpus (the issue's run: 1000)")
    parser.add_argument("--rounds", type=int, default=4, help="copies of the demo's chapters per document (≈ 2,800 chars each)")
    parser.add_argument("--lookup", type=int, nargs="+", default=[100, 1000], help="stored plans at which to time the lookup")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of --jobs 1 and --jobs 2, taken in turn")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        paths, t_gen = timed(lambda: write_corpus(folder, args.docs, args.rounds))
        chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
        print(f"corpus: {args.docs} documents, {chars:,} characters ({chars // args.docs:,} a document), written in {t_gen:.1f} s")
        # Rounds of --jobs 1 and --jobs 2 taken in turn, after one warm-up run: this machine's speed
        # drifts by a third within a minute, so one run of each compares two different machines.
        for _name, url, _ in databases(Path(tmp), args.pg):
            bench_ingest(url, folder, args.docs, 1)  # warm-up: caches, first imports, the database server
        runs: dict[str, dict[int, list[dict]]] = {}
        ceilings = []
        for _ in range(args.repeat):
            ceilings.append(machine_ceiling())
            for jobs in (1, 2):  # a fresh database for each run
                for name, url, _ in databases(Path(tmp), args.pg):
                    runs.setdefault(name, {}).setdefault(jobs, []).append(bench_ingest(url, folder, args.docs, jobs))
            ceilings.append(machine_ceiling())
        ceiling = statistics.median(ceilings)
        print(f"machine's ceiling for two processes (pure-Python work, 2 processes against 1): {ceiling:.2f}× "
              f"(median of {len(ceilings)}, {min(ceilings):.2f}–{max(ceilings):.2f})")
        for name, by_jobs in runs.items():
            ones, twos = [r["first"] for r in by_jobs[1]], [r["first"] for r in by_jobs[2]]
            ratios = sorted(a / b for a, b in zip(ones, twos, strict=True))
            one, two = statistics.median(ones), statistics.median(twos)
            again = statistics.median(r["again"] / r["first"] for r in by_jobs[2])
            speedup = statistics.median(ratios)
            print(f"{name}: --jobs 1 {args.docs / one:.1f} docs/s ({chars / one / 1e6:.2f} M chars/s, the baseline); "
                  f"--jobs 2 {args.docs / two:.1f} docs/s; speed-up {speedup:.2f}× "
                  f"(median of {len(ratios)} rounds, {ratios[0]:.2f}–{ratios[-1]:.2f}; {speedup / ceiling:.0%} of the machine's "
                  f"ceiling; target 1.7×: {'met' if speedup >= 1.7 else 'NOT met'}); re-ingest unchanged: {again:.1%} of the first")
            print(f"  400 M characters at the --jobs 2 rate: {400e6 / (chars / two) / 3600:.1f} h on this machine")
        own, workers = peak_mb()
        print(f"peak memory: writer process {own:.0f} MB, largest worker {workers:.0f} MB")
        texts = [distinct_document(i + 100_000) for i in range(max(args.lookup) + 20)]
        sigs = [signature(t) for t in texts]
        for name, url, _ in databases(Path(tmp), args.pg):
            for size, lsh, scan in bench_lookup(url, sigs, tuple(args.lookup)):
                print(f"{name}: near-duplicate lookup at {size:,} stored plans: LSH {lsh * 1000:.2f} ms, "
                      f"linear scan {scan * 1000:.2f} ms ({lsh / scan:.2f}× the scan)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
