"""Search across stored plans: SQLite FTS5 trigram and PostgreSQL pg_trgm give the same hits."""

from __future__ import annotations

import json

from planwatch.batch import BatchOptions, ingest_paths
from planwatch.store.search import search
from tests.test_batch import fictional_plan


def _two_plans(engine, tmp_path):
    for i, region in enumerate(("青川市临河区", "江城市南湖区")):
        (tmp_path / f"p{i}.txt").write_text(fictional_plan(region, i + 4), encoding="utf-8")
    assert ingest_paths(engine, [str(tmp_path)], BatchOptions(jobs=1)).stored == 2


def test_a_phrase_is_found_across_plans_with_its_context(fresh_db, tmp_path):
    _two_plans(fresh_db, tmp_path)
    hits = search(fresh_db, "滨河绿道工程")
    assert {h.plan_id for h in hits} == {1, 2}
    text_hit = next(h for h in hits if h.kind == "text")
    assert text_hit.match == "滨河绿道工程" and "加快实施" in text_hit.before
    tasks = search(fresh_db, "滨河绿道工程", what="tasks")
    assert tasks and all(h.kind == "task" and h.ref.startswith("T") for h in tasks)
    assert {h.plan_id for h in search(fresh_db, "滨河绿道工程", plan="2")} == {2}
    assert search(fresh_db, "沙漠治理") == []
    assert {h.plan_id for h in search(fresh_db, "湿地")} == {1, 2}  # two characters: below a trigram, still found


def test_search_command_prints_json_hits(run_cli, db_url, tmp_path):
    from planwatch.store import make_engine, upgrade

    engine = make_engine(db_url)
    upgrade(engine)
    _two_plans(engine, tmp_path)
    engine.dispose()
    result = run_cli("search", "森林覆盖率提高到", "--what", "targets", "--db", db_url, "--format", "json")
    hits = json.loads(result.output)
    assert {h["plan_id"] for h in hits} == {1, 2} and all(h["ref"].startswith("I") for h in hits)


def test_a_target_is_found_where_the_hit_falls_within_its_own_quote(fresh_db, tmp_path):
    plan = tmp_path / "p.txt"
    plan.write_text("临河区生态规划\n一、发展目标\n到2025年,森林覆盖率达到45%,湿地保护率提高到60%。\n", encoding="utf-8")
    assert ingest_paths(fresh_db, [str(plan)], BatchOptions(jobs=1)).stored == 1
    [hit] = search(fresh_db, "湿地保护率", what="targets")
    assert hit.kind == "target" and hit.match == "湿地保护率"
    from planwatch.store import plan_items

    quotes = {r["item"]: r["quote"] for r in plan_items(fresh_db, "1", "targets")}
    assert "湿地保护率" in quotes[hit.ref] and "森林覆盖率" not in quotes[hit.ref]
