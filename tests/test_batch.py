"""Batch ingest and extract: many files, worker processes, failures that do not stop the
batch, resuming, skipping stored content, plan identity by region, a Dask LocalCluster."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planwatch.batch import BatchOptions, collect_paths, ingest_paths
from planwatch.store import list_plans
from planwatch.store.schema import Plan, TargetRow, TaskRow

GENERIC_TITLE = "国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"


def fictional_plan(region: str, seed: int, title: str | None = None) -> str:
    """A small fictional plan whose numbers and place names vary with ``seed`` (never corpus text)."""
    county = region[-3:]
    return (f"{title or region + '生态环境保护行动计划(2021—2025年)'}\n{region}人民政府\n"
            f"一、总体要求\n（一）发展目标\n到2025年,{county}森林覆盖率提高到{40 + seed % 7}%,"
            f"城市污水处理率达到{90 + seed % 5}%以上,新增公园绿地{100 + seed}公顷。\n"
            f"二、重点任务\n（一）扩大绿色空间\n建设第{seed}号湿地公园。加快实施{county}滨河绿道工程,2023年底前完成一期。\n"
            f"（二）治理水环境\n到2024年,建成第{seed + 1}再生水厂。\n三、保障措施\n区发展改革委牵头建立监测制度。\n")


REGIONS = ["青川市临河区", "青川市白沙县", "青川市东岭区", "江城市南湖区", "江城市北山县", "江城市西塘区"]


@pytest.fixture
def plan_dir(tmp_path):
    folder = tmp_path / "plans"
    (folder / "nested").mkdir(parents=True)
    for i, region in enumerate(REGIONS):
        where = folder / "nested" if i % 2 else folder
        (where / f"plan{i}.txt").write_text(fictional_plan(region, i + 3), encoding="utf-8")
    (folder / "notes.xyz").write_text("not a plan", encoding="utf-8")
    return folder


def _items(engine) -> list[tuple]:
    with Session(engine) as s:
        targets = s.execute(select(Plan.source_file, TargetRow.metric, TargetRow.value, TargetRow.span_start)
                            .join(Plan, Plan.id == TargetRow.plan_id)).all()
        tasks = s.execute(select(Plan.source_file, TaskRow.title, TaskRow.span_start).join(Plan, Plan.id == TaskRow.plan_id)).all()
    return sorted(map(tuple, targets)) + sorted(map(tuple, tasks))


def test_paths_come_from_files_directories_and_lists(plan_dir, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text("# plans to read\nplans/plan0.txt\n\nplans/nested\n", encoding="utf-8")
    found = collect_paths([str(plan_dir)])
    assert len(found) == len(REGIONS) and not any(p.endswith(".xyz") for p in found)
    listed = collect_paths([f"@{listing}"])
    assert [p.rsplit("/", 1)[-1] for p in listed] == ["plan0.txt", "plan1.txt", "plan3.txt", "plan5.txt"]


def test_a_broken_file_in_the_middle_is_reported_and_the_others_stored(run_cli, db_url, plan_dir, tmp_path):
    broken = plan_dir / "plan2b.pdf"
    broken.write_bytes(b"%PDF-1.4 truncated")
    errors = tmp_path / "errors.jsonl"
    result = run_cli("ingest", plan_dir, "--jobs", "2", "--errors", errors, "--db", db_url, "--format", "json")
    assert result.exit_code == 1
    out = json.loads(result.output[: result.output.rindex("}") + 1])
    assert len(out["stored"]) == len(REGIONS) and {s["status"] for s in out["stored"]} == {"created"}
    [failed] = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert failed["path"] == str(broken) and "plan2b.pdf" in failed["error"]
    assert "error:" in result.output and "plan2b.pdf" in result.output


def test_stored_content_is_skipped_before_parsing(fresh_db, plan_dir, monkeypatch):
    first = ingest_paths(fresh_db, [str(plan_dir)], BatchOptions(jobs=1))
    assert (first.stored, first.skipped, first.failed) == (len(REGIONS), 0, [])
    import planwatch.batch

    def must_not_parse(*_args, **_kwargs):
        raise AssertionError("a stored file was parsed again")

    monkeypatch.setattr(planwatch.batch, "process_document", must_not_parse)
    again = ingest_paths(fresh_db, [str(plan_dir)], BatchOptions(jobs=1))
    assert (again.stored, again.skipped, again.failed) == (0, len(REGIONS), [])


def test_an_interrupted_batch_resumes_where_it_stopped(fresh_db, plan_dir):
    seen = []

    def stop_after_two(path, outcome, processed):
        seen.append(path)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_paths(fresh_db, [str(plan_dir)], BatchOptions(jobs=1, batch_size=2), on_file=stop_after_two)
    assert len(list_plans(fresh_db)) == 2
    resumed_paths = []
    report = ingest_paths(fresh_db, [], BatchOptions(jobs=1, batch_size=2), resume=True,
                          on_file=lambda path, outcome, processed: resumed_paths.append(path))
    assert (report.total, report.stored, report.skipped) == (len(REGIONS), len(REGIONS) - 2, 2)
    assert not set(resumed_paths) & set(seen)  # the two stored before the stop were not read again
    assert len(list_plans(fresh_db)) == len(REGIONS)


def test_two_regions_plans_with_one_title_stay_apart_and_a_revision_becomes_a_version(fresh_db, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(fictional_plan("青川市临河区", 1, GENERIC_TITLE), encoding="utf-8")
    b.write_text(fictional_plan("青川市白沙县", 2, GENERIC_TITLE), encoding="utf-8")
    ingest_paths(fresh_db, [str(a), str(b)], BatchOptions(jobs=1))
    plans = list_plans(fresh_db)
    assert [(p["title"], p["version"]) for p in plans] == [(GENERIC_TITLE, 1), (GENERIC_TITLE, 1)]
    with Session(fresh_db) as s:
        assert set(s.scalars(select(Plan.region))) == {"青川市白沙县", "青川市临河区"}
    a.write_text(fictional_plan("青川市临河区", 8, GENERIC_TITLE), encoding="utf-8")
    report = ingest_paths(fresh_db, [str(a)], BatchOptions(jobs=1))
    assert report.stored == 1
    with Session(fresh_db) as s:
        rows = s.execute(select(Plan.region, Plan.version, Plan.superseded_by).order_by(Plan.id)).all()
    assert [(r.region, r.version) for r in rows] == [("青川市临河区", 1), ("青川市白沙县", 1), ("青川市临河区", 2)]
    assert rows[0].superseded_by == 3 and rows[1].superseded_by is None


def test_worker_processes_store_what_one_process_stores(db_url, plan_dir, tmp_path):
    from planwatch.store import make_engine, upgrade

    one = make_engine(f"sqlite:///{tmp_path / 'one.db'}")
    upgrade(one)
    ingest_paths(one, [str(plan_dir)], BatchOptions(jobs=1))
    two = make_engine(db_url)
    upgrade(two)
    ingest_paths(two, [str(plan_dir)], BatchOptions(jobs=2, batch_size=2))
    assert _items(one) == _items(two) and len(_items(one)) > 2 * len(REGIONS)
    one.dispose()
    two.dispose()


def test_a_dask_local_cluster_stores_what_the_local_run_stores(fresh_db, plan_dir, tmp_path):
    distributed = pytest.importorskip("distributed")
    from planwatch.store import make_engine, upgrade

    local = make_engine(f"sqlite:///{tmp_path / 'local.db'}")
    upgrade(local)
    ingest_paths(local, [str(plan_dir)], BatchOptions(jobs=1))
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        report = ingest_paths(fresh_db, [str(plan_dir)], BatchOptions(jobs=1, cluster=client))
    assert report.stored == len(REGIONS) and report.ok
    assert _items(fresh_db) == _items(local)
    with Session(fresh_db) as s:
        assert s.scalar(select(func.count(Plan.id))) == len(REGIONS)
    local.dispose()


def test_extract_goes_on_past_a_failing_file(run_cli, plan_dir, tmp_path):
    missing = tmp_path / "gone.txt"
    result = run_cli("extract", plan_dir / "plan0.txt", missing, plan_dir / "plan2.txt", "--format", "jsonl", "--jobs", "2")
    assert result.exit_code == 1 and "gone.txt" in result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert {r["doc"] for r in rows} == {"plan0.txt", "plan2.txt"}


def test_stored_near_duplicates_give_the_exact_shingle_checks_answer_on_the_corpus(fresh_db, corpus):
    from planwatch.ingest import read_document
    from planwatch.ingest.similarity import find_same_plans

    files = sorted(str(p) for p in corpus.glob("*.txt"))
    exact = {frozenset((o.a[:3], o.b[:3])) for o in find_same_plans([read_document(f) for f in files])}
    found = set()

    def note(path, outcome, processed):
        with Session(fresh_db) as s:
            for o in outcome.similar:
                other = s.get(Plan, o["plan_id"]).source_file
                found.add(frozenset((path.rsplit("/", 1)[-1][:3], other.rsplit("/", 1)[-1][:3])))

    ingest_paths(fresh_db, files, BatchOptions(jobs=1), on_file=note)
    assert found == exact == {frozenset(("001", "003"))}


def test_a_small_batch_runs_in_this_process_unless_jobs_are_given():
    from planwatch.batch import FILES_PER_WORKER, sized

    assert sized(BatchOptions(), 5).jobs == 1
    assert sized(BatchOptions(), 1000).jobs == (os.cpu_count() or 1)
    assert sized(BatchOptions(), 2 * FILES_PER_WORKER).jobs == min(2, os.cpu_count() or 1)
    assert sized(BatchOptions(jobs=3), 2).jobs == 3


def test_a_plan_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_stored(fresh_db, tmp_path):
    """On PostgreSQL a batch is first written without savepoints, its rows in one COPY a table;
    a row refused there must still cost only its own file."""
    from dataclasses import replace

    from planwatch.pipeline import process
    from planwatch.store.batch import StoreFailure, ToStore, store_many
    from planwatch.store.bulk import Rows
    from planwatch.store.plans import IngestResult, content_hash
    from planwatch.store.prepared import prepare
    from planwatch.store.schema import SearchEntry

    items = []
    for i, region in enumerate(REGIONS[:3]):
        path = tmp_path / f"p{i}.txt"
        path.write_text(fictional_plan(region, i + 3), encoding="utf-8")
        prepared = prepare(process(path), content_hash(str(path)))
        if i == 1:  # a target without a metric: NOT NULL, known to the database only
            at = prepared.targets.columns.index("metric")
            bad = [(*v[:at], None, *v[at + 1:]) for v in prepared.targets.values]
            prepared = replace(prepared, targets=Rows(prepared.targets.table, prepared.targets.columns, bad))
        items.append(ToStore(str(path), prepared.plan["content_hash"], None, prepared.signature, prepared))
    out = store_many(fresh_db, items)
    assert [type(r) for r in out] == [IngestResult, StoreFailure, IngestResult]
    assert "p1.txt" in out[1].error
    with Session(fresh_db) as s:
        stored = {p.source_file: p.id for p in s.scalars(select(Plan))}
        assert set(stored) == {items[0].path, items[2].path}
        for plan_id in stored.values():
            assert s.scalar(select(func.count(SearchEntry.id)).where(SearchEntry.plan_id == plan_id)) > 5
            assert s.scalar(select(func.count(TargetRow.id)).where(TargetRow.plan_id == plan_id)) == 3
