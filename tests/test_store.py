"""The ledger on a real SQLite file and a real PostgreSQL database.

PostgreSQL comes from PLANWATCH_TEST_DATABASE_URL (default: the local server at
127.0.0.1:5432, database test). Locally the PostgreSQL run skips when no server answers;
under CI (CI=true) it fails instead.
"""

from __future__ import annotations

import json
import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from planwatch.store import list_plans, make_engine, store_extraction, upgrade

from .conftest import DEMO_PLAN

PG_URL = os.environ.get("PLANWATCH_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_database():
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"pw_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {PG_URL} is required under CI: {exc}")
        pytest.skip(f"no PostgreSQL at {PG_URL}: {exc}")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    return admin, name, url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    admin, name, url = _postgres_database()
    yield url
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_db(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


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


def test_revised_plan_becomes_a_new_version_with_a_diff(fresh_db, tmp_path):
    from planwatch.pipeline import process

    path = tmp_path / "plan.txt"
    path.write_text("临河区绿化行动计划\n一、目标\n森林覆盖率提高到44%。\n", encoding="utf-8")
    assert store_extraction(fresh_db, process(path)).status == "created"
    path.write_text("临河区绿化行动计划\n一、目标\n森林覆盖率提高到45%。\n", encoding="utf-8")
    result = store_extraction(fresh_db, process(path))
    assert (result.status, result.version) == ("new-version", 2)
    assert result.added == ["森林覆盖率=45%"] and result.removed == ["森林覆盖率=44%"]


def test_bad_file_stores_nothing(run_cli, db_url, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    result = run_cli("ingest", DEMO_PLAN, bad, "--db", db_url)
    assert result.exit_code == 1 and "bad.pdf" in result.output
    engine = make_engine(db_url)
    upgrade(engine)
    assert list_plans(engine) == []
    engine.dispose()
