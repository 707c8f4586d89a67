"""Backup and restore on SQLite and PostgreSQL: a backup taken while writers commit restores
every row committed before it, and a backup that was damaged or changed restores nothing."""

from __future__ import annotations

import json
import threading
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from planwatch.errors import PermissionDenied, StoreError, ValidationError
from planwatch.store import add_department, add_user, backup, list_departments, make_engine, restore, verify_audit, verify_backup
from planwatch.store.schema import Department

WRITERS = 4


def _names(engine) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(Department.name)))


def test_a_backup_during_concurrent_writes_restores_every_committed_row(staffed_db, db_url, tmp_path):
    """Writers add departments (a row and an audit record each) without pause; the backup is taken
    while they run. Every department committed before the backup began is in it, each writer's
    rows form an unbroken prefix (no commit half in), and the counts and chain match the manifest."""
    stop, started, committed = threading.Event(), threading.Barrier(WRITERS + 1), {w: 0 for w in range(WRITERS)}

    def write(w: int) -> None:
        engine = make_engine(db_url)
        started.wait()
        n = 0
        while not stop.is_set() or n < 5:
            add_department(engine, f"写入{w}-{n:05d}", actor="admin")
            n += 1
            committed[w] = n  # set only after the commit returned
        engine.dispose()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    started.wait()
    while min(committed.values()) < 3:  # each writer has committed some rows before the backup starts
        threading.Event().wait(0.01)
    before = dict(committed)
    manifest = backup(staffed_db, tmp_path / "ledger.pwbackup", actor="admin")
    stop.set()
    for t in threads:
        t.join()
    after = _names(staffed_db)
    assert all(f"写入{w}-{before[w] - 1:05d}" in after for w in range(WRITERS))

    restored = restore(staffed_db, tmp_path / "ledger.pwbackup", actor="admin", replace=True)
    engine = make_engine(db_url)
    names = _names(engine)
    for w in range(WRITERS):
        mine = sorted(n for n in names if n.startswith(f"写入{w}-"))
        assert len(mine) >= before[w]  # nothing committed before the backup is lost
        assert mine == [f"写入{w}-{i:05d}" for i in range(len(mine))]  # and each writer's rows are a prefix
    with engine.connect() as c:
        assert c.execute(text("SELECT COUNT(*) FROM departments")).scalar_one() == manifest["counts"]["departments"]
        assert c.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one() == manifest["counts"]["audit_log"] + 1  # + the restore
    assert len(names) < len(after)  # what was written after the backup is gone again
    chain = verify_audit(engine, actor="admin")
    assert chain.ok and chain.records == manifest["audit_head"]["records"] + 1
    assert restored["audit_head"] == manifest["audit_head"]
    engine.dispose()


def test_the_manifest_counts_rows_and_names_the_chain_head(staffed_db, tmp_path):
    manifest = backup(staffed_db, tmp_path / "b.pwbackup", actor="admin")
    with zipfile.ZipFile(tmp_path / "b.pwbackup") as archive:
        inside = json.loads(archive.read("manifest.json"))
        assert set(archive.namelist()) == {"manifest.json", "ledger.sqlite3" if staffed_db.dialect.name == "sqlite" else "ledger.pgdump"}
    assert inside["counts"]["users"] == 5 and inside["counts"]["departments"] == 4 and inside["counts"]["alembic_version"] == 1
    assert inside["audit_head"]["id"] and len(inside["audit_head"]["hash"]) == 64
    assert {k: v for k, v in manifest.items() if k != "file"} == inside
    assert verify_backup(tmp_path / "b.pwbackup", staffed_db)["verified"]


def test_only_administrators_back_up(staffed_db, tmp_path):
    with pytest.raises(PermissionDenied, match="may not backup"):
        backup(staffed_db, tmp_path / "b.pwbackup", actor="规划科")
    assert not (tmp_path / "b.pwbackup").exists()


def _rewrite(src: Path, dst: Path, change) -> Path:
    """A copy of the backup archive with ``change(name, data) -> data`` applied to each member."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for name in old.namelist():
            new.writestr(name, change(name, old.read(name)))
    return dst


def _manifest_edit(edit):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()
    return change


def _flip_byte(name, data):
    return data if name == "manifest.json" else data[:2000] + bytes([data[2000] ^ 0xFF]) + data[2001:]


def _fewer_users(manifest):
    manifest["counts"]["users"] -= 1


def _other_head(manifest):
    manifest["audit_head"]["id"] -= 1


BROKEN = {
    "a changed byte": (_flip_byte, "does not match the SHA-256"),
    "a row count that differs": (_manifest_edit(_fewer_users), "table users: 5 rows, the manifest says 4"),
    "an older chain head": (_manifest_edit(_other_head), "audit chain head"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_damaged_or_changed_backup_restores_nothing(staffed_db, db_url, tmp_path, case):
    change, message = BROKEN[case]
    good = tmp_path / "good.pwbackup"
    backup(staffed_db, good, actor="admin")
    add_department(staffed_db, "备份之后", actor="admin")
    bad = _rewrite(good, tmp_path / "bad.pwbackup", change)
    with pytest.raises(ValidationError, match=message):
        restore(staffed_db, bad, actor="admin", replace=True)
    assert "备份之后" in {d["name"] for d in list_departments(make_engine(db_url))}


def test_a_backup_whose_audit_log_was_rewritten_restores_nothing(tmp_path):
    """The SHA-256 is recomputed after the audit record was changed: only the chain can tell."""
    import sqlite3

    live = make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    from planwatch.store import upgrade

    upgrade(live)
    add_department(live, "区水务局")
    add_department(live, "区教委")
    good = tmp_path / "good.pwbackup"
    backup(live, good)

    def tamper(name, data):
        if name == "manifest.json":
            return data
        path = tmp_path / "inner.sqlite3"
        path.write_bytes(data)
        with sqlite3.connect(path) as c:
            c.execute("UPDATE audit_log SET actor = 'someone else' WHERE id = 1")
        c.close()
        return path.read_bytes()

    bad = _rewrite(good, tmp_path / "bad.pwbackup", tamper)
    inner = (tmp_path / "inner.sqlite3").read_bytes()
    import hashlib

    bad = _rewrite(bad, tmp_path / "bad2.pwbackup", _manifest_edit(lambda m: m.update(sha256=hashlib.sha256(inner).hexdigest(),
                                                                                         size=len(inner))))
    with pytest.raises(ValidationError, match="audit chain broken: record #1 was changed"):
        restore(live, bad, replace=True)


def test_restore_over_a_ledger_with_records_needs_replace(staffed_db, tmp_path, run_cli, db_url):
    backup(staffed_db, tmp_path / "b.pwbackup", actor="admin")
    refused = run_cli("restore", tmp_path / "b.pwbackup", "--db", db_url, "--user", "admin")
    assert refused.exit_code == 1 and "--replace" in refused.output
    assert run_cli("restore", tmp_path / "b.pwbackup", "--db", db_url, "--user", "规划科", "--replace").exit_code == 1


def test_the_cli_backs_up_and_restores_into_a_new_sqlite_file(run_cli, tmp_path):
    from .conftest import DEMO_PLAN

    live = tmp_path / "live.db"
    assert run_cli("ingest", DEMO_PLAN, "--db", live).exit_code == 0
    made = run_cli("backup", "-o", tmp_path / "out" / "b.pwbackup", "--db", live, "--format", "json")
    assert made.exit_code == 0, made.output
    checked = run_cli("restore", tmp_path / "out" / "b.pwbackup", "--verify-only", "--format", "json")
    assert checked.exit_code == 0 and json.loads(checked.output)["verified"] is True
    copy = tmp_path / "copy.db"
    done = run_cli("restore", tmp_path / "out" / "b.pwbackup", "--db", copy, "--format", "json")
    assert done.exit_code == 0, done.output
    plans = run_cli("plans", "--db", copy, "--format", "json")
    assert len(json.loads(plans.output)) == 1
    assert run_cli("audit", "verify", "--db", copy).exit_code == 0
    damaged = tmp_path / "junk.pwbackup"
    damaged.write_bytes(b"PK\x03\x04 not really")
    result = run_cli("restore", damaged, "--db", tmp_path / "other.db")
    assert result.exit_code == 1 and "not a planwatch backup" in result.output


def test_a_sqlite_backup_does_not_go_into_postgresql(tmp_path, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("needs the PostgreSQL parameter")
    live = make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    from planwatch.store import upgrade

    upgrade(live)
    backup(live, tmp_path / "b.pwbackup")
    with pytest.raises(ValidationError, match="a sqlite backup cannot be restored into a postgresql ledger"):
        restore(make_engine(db_url), tmp_path / "b.pwbackup")


def test_an_in_memory_ledger_cannot_be_backed_up(tmp_path):
    engine = make_engine("sqlite://")
    with pytest.raises(StoreError, match="in-memory"):
        backup(engine, tmp_path / "b.pwbackup")


def test_users_are_kept(staffed_db, tmp_path):
    backup(staffed_db, tmp_path / "b.pwbackup", actor="admin")
    add_user(staffed_db, "新用户", "viewer", actor="admin")
    restore(staffed_db, tmp_path / "b.pwbackup", actor="admin", replace=True)
    from planwatch.store import list_users

    assert "新用户" not in {u["name"] for u in list_users(staffed_db)}
