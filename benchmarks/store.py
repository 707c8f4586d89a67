"""The ledger's speed on SQLite and PostgreSQL: ingesting the corpus, and a department ledger
of 5,000 rows exported to Excel and imported back.

    python benchmarks/store.py [--corpus ../shared/corpus] [--rows 5000] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

Baselines run in the same process: the extraction pipeline alone for ingest, and openpyxl
writing / reading a plain workbook of the same size for export / import. Times per 1,000 rows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

from ingest import default_corpus  # sibling script in benchmarks/
from openpyxl import Workbook, load_workbook
from sqlalchemy import create_engine, text
from synthetic import write_plan

from planwatch.pipeline import process
from planwatch.report.ledger import read_ledger, write_ledger
from planwatch.store import (
    add_department,
    apply_ledger,
    assign,
    ledger_rows,
    list_plans,
    make_engine,
    open_period,
    store_extraction,
    upgrade,
)

DEP = "区城市更新局"


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def databases(tmp: Path, pg: str | None):
    yield "sqlite", f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.db'}", None
    if not pg:
        return
    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    name = f"pw_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        print(f"postgresql: skipped ({exc.__class__.__name__}: {exc})".splitlines()[0])
        return
    try:
        yield "postgresql", admin.url.set(database=name).render_as_string(hide_password=False), None
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bench_ingest(url: str, files: list[Path]) -> dict:
    results, t_extract = timed(lambda: [process(str(f)) for f in files])
    engine = make_engine(url)
    upgrade(engine)
    _, t_store = timed(lambda: [store_extraction(engine, r) for r in results])
    rows = sum(sum(p[k] for k in ("nodes", "targets", "tasks", "projects")) for p in list_plans(engine))
    engine.dispose()
    return {"rows": rows, "extract": t_extract, "store": t_store}


def bench_ledger(url: str, plan_path: Path, tmp: Path) -> dict:
    engine = make_engine(url)
    upgrade(engine)
    stored, t_ingest = timed(lambda: store_extraction(engine, process(str(plan_path))))
    add_department(engine, DEP)
    refs = [f"T{i}" for i in _ids(engine, "tasks", stored.plan_id)] + [f"I{i}" for i in _ids(engine, "targets", stored.plan_id)]
    _, t_assign = timed(lambda: assign(engine, refs, lead=DEP))
    open_period(engine, "2024Q4")
    out = tmp / "ledger.xlsx"
    (meta, rows), t_rows = timed(lambda: ledger_rows(engine, str(stored.plan_id), "2024Q4", DEP))
    _, t_write = timed(lambda: write_ledger(meta, rows, out))
    filled = _fill(out, tmp / "filled.xlsx")
    (meta2, sheet_rows), t_read = timed(lambda: read_ledger(filled))
    summary, t_apply = timed(lambda: apply_ledger(engine, meta2, sheet_rows, str(filled)))
    assert summary["created"] == len(rows), summary
    engine.dispose()
    _, t_plain_write = timed(lambda: _plain_workbook(tmp / "plain.xlsx", rows))
    _, t_plain_read = timed(lambda: list(load_workbook(tmp / "plain.xlsx").active.iter_rows(values_only=True)))
    return {"rows": len(rows), "ingest": t_ingest, "assign": t_assign, "export": t_rows + t_write, "import": t_read + t_apply,
            "apply": t_apply, "plain_write": t_plain_write, "plain_read": t_plain_read}


def _ids(engine, table: str, plan_id: int) -> list[int]:
    with engine.connect() as c:
        return [r[0] for r in c.execute(text(f"SELECT id FROM {table} WHERE plan_id = :p ORDER BY position"), {"p": plan_id})]


def _fill(src: Path, dst: Path) -> Path:
    book = load_workbook(src)
    sheet = book["台账"]
    for n, row in enumerate(sheet.iter_rows(min_row=3), start=1):
        row[9].value, row[10].value, row[11].value = f"第{n}项按计划推进,完成年度投资{n % 90}%", "推进中", n % 100
    book.save(dst)
    return dst


def _plain_workbook(path: Path, rows: list[dict]) -> None:
    book = Workbook()
    sheet = book.active
    for r in rows:
        sheet.append([str(v) if isinstance(v, list) else v for v in r.values()])
    book.save(path)


def per_k(seconds: float, rows: int) -> str:
    return f"{seconds * 1000:8.0f} ms  ({seconds * 1000 / max(rows, 1) * 1000:7.0f} ms per 1,000 rows)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(default_corpus()))
    ap.add_argument("--rows", type=int, default=5000, help="ledger rows (half tasks, half targets)")
    ap.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test", help="PostgreSQL server ('' to skip)")
    args = ap.parse_args()
    files = sorted(Path(args.corpus).glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        plan = write_plan(tmp / "synthetic_plan.txt", chapters=max(1, args.rows // 100))
        for backend, url, _ in databases(tmp, args.pg or None):
            print(f"== {backend}")
            if files:
                r = bench_ingest(url, files)
                print(f"corpus ingest ({len(files)} files, {r['rows']:,} rows)")
                print(f"  extract (baseline) {per_k(r['extract'], r['rows'])}")
                print(f"  store              {per_k(r['store'], r['rows'])}   ratio store/extract {r['store'] / r['extract']:.2f}x")
        for backend, url, _ in databases(tmp, args.pg or None):
            r = bench_ledger(url, plan, tmp)
            n = r["rows"]
            print(f"== {backend}: ledger of {n:,} rows")
            print(f"  ingest plan        {per_k(r['ingest'], n)}")
            print(f"  assign             {per_k(r['assign'], n)}")
            print(f"  export             {per_k(r['export'], n)}   ratio to plain openpyxl write {r['export'] / r['plain_write']:.2f}x")
            print(f"  import             {per_k(r['import'], n)}   ratio to plain openpyxl read  {r['import'] / r['plain_read']:.2f}x")
            print(f"    of which apply   {per_k(r['apply'], n)}")
    if not files:
        print(f"(no corpus under {args.corpus}: corpus ingest not measured)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
