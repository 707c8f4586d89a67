"""The audit log's SM3 chain: tampering by UPDATE, DELETE or INSERT is found and named, on
SQLite and PostgreSQL; concurrent writers never fork it; old ledgers get their hashes."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import text

from planwatch.errors import PermissionDenied
from planwatch.store import add_department, add_user, audit_entries, make_engine, upgrade, verify_audit
from planwatch.store.chain import _sm3_gmssl, _sm3_hashlib

# GB/T 32905-2016 example 1
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_both_sm3_implementations_give_the_standard_digest():
    assert _sm3_hashlib(b"abc") == _sm3_gmssl(b"abc") == SM3_ABC


@pytest.fixture
def audited_db(fresh_db):
    for name in ("临河区", "区水务局", "区教委", "区财政局", "滨河街道"):
        add_department(fresh_db, name)
    return fresh_db


def _sql(engine, statement: str, **params) -> None:
    with engine.begin() as c:
        c.execute(text(statement), params)


def _ids(engine) -> list[int]:
    with engine.connect() as c:
        return [r[0] for r in c.execute(text("SELECT id FROM audit_log ORDER BY id"))]


def _row(engine, record_id: int):
    from sqlalchemy.orm import Session

    from planwatch.store.schema import AuditEntry

    with Session(engine) as session:
        row = session.get(AuditEntry, record_id)
        session.expunge(row)
        return row


def test_an_untouched_chain_verifies(audited_db, run_cli, db_url):
    report = verify_audit(audited_db)
    assert report.ok and report.records == 5 and report.head_id == _ids(audited_db)[-1]
    result = run_cli("audit", "verify", "--db", db_url)
    assert result.exit_code == 0 and "5 records" in result.output


def test_an_updated_record_is_named(audited_db, run_cli, db_url):
    third = _ids(audited_db)[2]
    _sql(audited_db, "UPDATE audit_log SET actor = 'someone else' WHERE id = :i", i=third)
    report = verify_audit(audited_db)
    assert (report.ok, report.kind, report.record_id) == (False, "changed", third)
    result = run_cli("audit", "verify", "--db", db_url)
    assert result.exit_code == 1 and f"record #{third} was changed" in result.output


def test_a_record_rewritten_with_a_fresh_hash_still_breaks_the_next_link(audited_db):
    from planwatch.store.chain import row_hash

    ids = _ids(audited_db)
    row = _row(audited_db, ids[1])
    row.actor = "someone else"
    _sql(audited_db, "UPDATE audit_log SET actor = 'someone else', hash = :h WHERE id = :i", h=row_hash(row.prev_hash, row), i=ids[1])
    report = verify_audit(audited_db)
    assert not report.ok and report.record_id == ids[2] and f"#{ids[1]} rewritten" in report.problem


def test_a_deleted_record_is_found(audited_db, run_cli, db_url):
    ids = _ids(audited_db)
    _sql(audited_db, "DELETE FROM audit_log WHERE id = :i", i=ids[2])
    report = verify_audit(audited_db)
    assert (report.ok, report.kind, report.record_id) == (False, "deleted", ids[3])
    result = run_cli("audit", "verify", "--db", db_url)
    assert result.exit_code == 1 and f"after #{ids[1]}" in result.output


def test_an_inserted_record_is_found(audited_db):
    _sql(audited_db, "INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES (CURRENT_TIMESTAMP, 'x', 'delete', 'plan', 1)")
    report = verify_audit(audited_db)
    assert (report.ok, report.kind, report.record_id) == (False, "inserted", _ids(audited_db)[-1])


def test_a_record_inserted_with_a_valid_hash_is_found(audited_db):
    from planwatch.store.chain import row_hash

    ids = _ids(audited_db)
    before = _row(audited_db, ids[-2])
    _sql(audited_db, "UPDATE audit_log SET id = :g WHERE id = :i", g=ids[-1] + 10, i=ids[-1])  # make room after ids[-2]
    fake = _row(audited_db, ids[-2])
    fake.actor, fake.action, fake.entity_id = "x", "delete", 999
    with audited_db.begin() as c:  # a forger who knows the algorithm links it correctly to ids[-2]
        c.execute(text("INSERT INTO audit_log (id, at, actor, action, entity, entity_id, old, new, prev_hash, hash) "
                       "SELECT :i, at, 'x', 'delete', entity, 999, old, new, :p, :h FROM audit_log WHERE id = :src"),
                  {"i": ids[-1], "p": before.hash, "h": row_hash(before.hash, fake), "src": ids[-2]})
    report = verify_audit(audited_db)
    assert (report.ok, report.kind, report.record_id) == (False, "inserted", ids[-1])


def test_an_anchor_catches_a_truncated_tail(audited_db, run_cli, db_url, tmp_path):
    anchor = tmp_path / "anchor.json"
    assert run_cli("audit", "anchor", "-o", anchor, "--db", db_url).exit_code == 0
    head = json.loads(anchor.read_text(encoding="utf-8"))
    assert head["id"] == _ids(audited_db)[-1] and len(head["hash"]) == 64 and head["records"] == 5
    add_department(audited_db, "区林业局")
    assert run_cli("audit", "verify", "--anchor", anchor, "--db", db_url).exit_code == 0  # growth after an anchor is fine
    _sql(audited_db, "DELETE FROM audit_log WHERE id >= :i", i=head["id"])
    assert verify_audit(audited_db).ok  # a cut tail leaves a valid chain...
    result = run_cli("audit", "verify", "--anchor", anchor, "--db", db_url)
    assert result.exit_code == 1 and f"record #{head['id']} of the anchor is missing" in result.output  # ...the anchor does not


def test_concurrent_writers_never_fork_the_chain(fresh_db):
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def write(i):
        barrier.wait()
        try:
            for j in range(5):
                add_department(fresh_db, f"单位{i}-{j}")
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    report = verify_audit(fresh_db)
    assert report.ok and report.records == 20


def test_the_migration_back_fills_hashes_of_existing_records(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0004")
    with engine.begin() as c:
        for n in range(3):
            c.execute(text("INSERT INTO audit_log (actor, action, entity, entity_id, new) VALUES ('admin', 'create', 'plan', :n, :new)"),
                      {"n": n, "new": json.dumps({"title": f"规划{n}", "share": 0.1 * n})})
    upgrade(engine)
    add_department(engine, "区水务局")
    report = verify_audit(engine)
    assert report.ok and report.records == 4
    engine.dispose()


def test_the_audit_administrator_reads_and_verifies_and_changes_nothing(audited_db):
    add_user(audited_db, "admin", "admin")
    add_user(audited_db, "审计员", "auditor", actor="admin")
    add_user(audited_db, "规划科", "planner", actor="admin")
    assert audit_entries(audited_db, actor="审计员") and verify_audit(audited_db, actor="审计员").ok
    with pytest.raises(PermissionDenied, match="auditor"):
        add_department(audited_db, "区林业局", actor="审计员")
    with pytest.raises(PermissionDenied, match="planner"):
        audit_entries(audited_db, actor="规划科")
