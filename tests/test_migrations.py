"""Schema migrations: an old ledger upgrades with its data, and the models match the migrations."""

from __future__ import annotations

from sqlalchemy import text

from planwatch.store import list_plans, make_engine, upgrade

PLAN = {"key": "临河区绿化行动计划", "version": 1, "title": "临河区绿化行动计划", "source_file": "plan.txt", "content_hash": "ab" * 32,
        "format": "txt", "script": "simplified"}


def _fill_0001(engine) -> None:
    with engine.begin() as c:
        plan_id = c.execute(text("INSERT INTO plans (key, version, title, source_file, content_hash, format, script) "
                                 "VALUES (:key, :version, :title, :source_file, :content_hash, :format, :script) RETURNING id"),
                            PLAN).scalar_one()
        for pos, metric in enumerate(["森林覆盖率", "森林覆盖率", "城市绿道长度"]):
            c.execute(text("INSERT INTO targets (plan_id, position, kind, metric, value, unit, comparator, type, year_explicit, quote, "
                           "section, span_start, span_end) VALUES (:p, :pos, 'target', :m, 44, '%', '=', 'level', false, 'q', '[]', 0, 1)"),
                      {"p": plan_id, "pos": pos, "m": metric})
        c.execute(text("INSERT INTO tasks (plan_id, position, label, title, text, section, deadlines, lead, span_start, span_end, version) "
                       "VALUES (:p, 0, '一', '', '建设北湖湿地公园，完善配套设施。', '[]', '[]', '[]', 0, 10, 1)"), {"p": plan_id})


def test_a_ledger_made_with_the_first_migration_upgrades_with_its_data(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    _fill_0001(engine)
    upgrade(engine)
    [plan] = list_plans(engine)
    assert (plan["title"], plan["targets"], plan["tasks"], plan["current"]) == (PLAN["title"], 3, 1, True)
    with engine.connect() as c:
        keys = [r[0] for r in c.execute(text("SELECT key FROM targets ORDER BY position"))]
        task_key = c.execute(text("SELECT key FROM tasks")).scalar_one()
        assert c.execute(text("SELECT count(*) FROM progress_reports")).scalar_one() == 0
    assert keys == ["target|森林覆盖率", "target|森林覆盖率#2", "target|城市绿道长度"]
    assert task_key == "建设北湖湿地公园，完善配套设施。"
    engine.dispose()


def test_models_match_the_migrations(fresh_db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from planwatch.store.schema import Base

    def modelled(obj, name, type_, reflected, compare_to):
        # The search index lives outside the models: FTS5's virtual and shadow tables, pg_trgm's GIN index.
        return not (name or "").startswith(("search_fts", "search_entries_body_trgm"))

    with fresh_db.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c, opts={"include_object": modelled}), Base.metadata)
    assert diff == []


def test_commands_refuse_an_old_ledger_until_init_upgrades_it(run_cli, db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0002")
    refused = run_cli("plans", "--db", db_url)
    assert refused.exit_code == 1 and "planwatch init" in refused.output and "0002" in refused.output
    assert run_cli("init", "--db", db_url).exit_code == 0
    assert run_cli("plans", "--db", db_url).exit_code == 0
    engine.dispose()
