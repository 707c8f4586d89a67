"""Plans in the ledger, on a real SQLite file and a real PostgreSQL database (see conftest)."""

from __future__ import annotations

import json

from planwatch.store import list_plans, make_engine, store_extraction, upgrade

from .conftest import DEMO_PLAN


def test_init_is_idempotent(run_cli, db_url):
    assert run_cli("init", "--db", db_url).exit_code == 0
    assert run_cli("init", "--db", db_url).exit_code == 0


def test_ingest_stores_once_and_audits(run_cli, db_url, sample_txt):
    first = run_cli("ingest", DEMO_PLAN, sample_txt, "--db", db_url, "--format", "json")
    assert first.exit_code == 0, first.output
    stored = json.loads(first.output)["stored"]
    assert [s["status"] for s in stored] == ["created", "created"]
    assert stored[0]["counts"]["targets"] > 10 and stored[0]["counts"]["tasks"] >= 5
    again = json.loads(run_cli("ingest", DEMO_PLAN, "--db", db_url, "--format", "json").output)["stored"]
    assert again[0]["status"] == "unchanged" and again[0]["plan_id"] == stored[0]["plan_id"]
    plans = json.loads(run_cli("plans", "--db", db_url, "--format", "json").output)
    assert len(plans) == 2
    audit = json.loads(run_cli("audit", "--db", db_url, "--format", "json").output)
    assert [a["action"] for a in audit] == ["create", "create"]


def test_revised_plan_becomes_a_new_version_with_a_diff_and_keeps_its_ledger(fresh_db, tmp_path):
    from planwatch.pipeline import process
    from planwatch.store import ObservationInput, add_department, add_observation, assign, list_observations

    path = tmp_path / "plan.txt"
    path.write_text("临河区绿化行动计划\n一、目标\n森林覆盖率提高到44%。城市绿道达到300公里。\n", encoding="utf-8")
    first = store_extraction(fresh_db, process(path))
    assert first.status == "created"
    add_department(fresh_db, "区园林绿化局")
    assign(fresh_db, ["I1"], lead="区园林绿化局")
    add_observation(fresh_db, "I1", ObservationInput(2022, 43.1, "%"))
    path.write_text("临河区绿化行动计划\n一、目标\n森林覆盖率提高到45%。新建口袋公园20个。\n", encoding="utf-8")
    result = store_extraction(fresh_db, process(path))
    assert (result.status, result.version) == ("new-version", 2)
    assert result.changed == ["森林覆盖率 = 44% → 森林覆盖率 = 45%"]
    assert any("口袋公园" in a for a in result.added)
    assert any("城市绿道" in r for r in result.removed)
    assert result.carried["assignments"] == 1 and result.carried["observations"] == 1
    plans = list_plans(fresh_db)
    assert [p["current"] for p in plans] == [False, True]
    [obs] = list_observations(fresh_db, plan=str(result.plan_id))
    assert obs["value"] == 43.1


def test_a_bad_file_is_reported_and_stores_nothing_of_itself(run_cli, db_url, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    result = run_cli("ingest", DEMO_PLAN, bad, "--db", db_url)
    assert result.exit_code == 1 and "bad.pdf" in result.output
    engine = make_engine(db_url)
    upgrade(engine)
    assert [p["source"] for p in list_plans(engine)] == [str(DEMO_PLAN)]
    engine.dispose()


def test_stored_items_keep_their_provenance(run_cli, db_url):
    assert run_cli("ingest", DEMO_PLAN, "--db", db_url).exit_code == 0
    original = DEMO_PLAN.read_text(encoding="utf-8")
    for what in ("tasks", "targets", "projects"):
        rows = json.loads(run_cli("items", "--plan", "1", "--what", what, "--db", db_url, "--format", "json").output)
        assert rows, what
        for r in rows:
            assert r["section"] and 0 <= r["start"] < r["end"] <= len(original), (what, r)
            if "quote" in r:
                assert original[r["start"]:r["end"]] == r["quote"]
    targets = json.loads(run_cli("items", "--plan", "1", "--what", "targets", "--db", db_url, "--format", "json").output)
    assert targets[0]["item"] == "I1" and {"metric", "value", "unit", "year"} <= set(targets[0])
