"""Backups of the ledger, and a restore that proves a backup sound before it replaces anything.

A backup is one zip file holding the database and ``manifest.json``::

    ledger.sqlite3 | ledger.pgdump     SQLite's online backup API / pg_dump's custom format
    manifest.json                      format, dialect, schema revision, rows per table,
                                       the audit chain head, SHA-256 and size of the database

Both are taken from one snapshot: SQLite copies in a single backup step (one read
transaction, so writers carry on and none of their commits is half in), PostgreSQL counts
rows inside the REPEATABLE READ transaction whose exported snapshot pg_dump then dumps.
A ``cp`` of a live SQLite ledger misses what is still in its WAL; this never does.

``restore`` checks the SHA-256, then opens the copy on its own (SQLite ``integrity_check``;
PostgreSQL a scratch database) and compares rows per table, revision and the audit chain
(recomputed, and its head against the manifest) before the ledger is replaced, in one step:
SQLite through the backup API into the live file, PostgreSQL in one ``psql`` transaction.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
import zipfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, inspect, select, text
from sqlalchemy.orm import Session

from ..errors import StoreError, ValidationError
from .access import require
from .audit import chain_head, log_event
from .chain import at_text, verify_rows
from .schema import AuditEntry, Base

FORMAT = 1
MANIFEST = "manifest.json"
MEMBERS = {"sqlite": "ledger.sqlite3", "postgresql": "ledger.pgdump"}
# Tables outside the ORM's metadata that a ledger holds and a restore must bring back.
EXTRA_TABLES = ("alembic_version",)


@dataclass(frozen=True)
class Manifest:
    format: int
    dialect: str
    revision: str | None
    created: str
    counts: dict[str, int]
    audit_head: dict
    sha256: str
    size: int

    def as_dict(self) -> dict:
        return asdict(self)


def backup(engine: Engine, output: str | Path, actor: str | None = None) -> dict:
    """Write a backup of the ledger to ``output``; returns its manifest.

    ``backup(engine, "台账-2024Q2.pwbackup")`` → ``{"counts": {"plans": 3, …}, "audit_head": {…}, …}``
    """
    if engine.dialect.name == "sqlite":
        _sqlite_file(engine)
    with Session(engine) as session:
        require(session, actor, "backup")
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    dialect = engine.dialect.name
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".planwatch-backup-") as work:
        db_file = Path(work) / MEMBERS[dialect]
        facts = _sqlite_snapshot(engine, db_file) if dialect == "sqlite" else _pg_snapshot(engine, db_file)
        manifest = Manifest(FORMAT, dialect, facts["revision"], at_text(datetime.now(UTC)), facts["counts"], facts["audit_head"],
                            _sha256(db_file), db_file.stat().st_size)
        partial = Path(work) / "backup.zip"
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest.as_dict(), ensure_ascii=False, indent=1))
            archive.write(db_file, MEMBERS[dialect])
        os.replace(partial, out)  # a reader never sees half a backup under the final name
    log_event(engine, actor, "backup", "ledger", None, {"file": str(out), "rows": sum(manifest.counts.values()),
                                                       "audit_head": manifest.audit_head.get("hash")})
    return {"file": str(out), **manifest.as_dict()}


def verify_backup(path: str | Path, server: Engine | None = None) -> dict:
    """Check a backup without touching any ledger: manifest, hash and contents (a PostgreSQL
    backup is loaded into a scratch database on ``server`` and dropped again)."""
    with _unpacked(path) as (manifest, db_file):
        _check_contents(manifest, db_file, str(path), server)
        return {"file": str(path), "verified": True, **manifest.as_dict()}


def restore(engine: Engine, path: str | Path, actor: str | None = None, replace: bool = False) -> dict:
    """Replace the ledger behind ``engine`` with a verified backup; nothing changes if any check fails.

    A ledger that already holds records is replaced only with ``replace=True``."""
    source = str(path)
    with _unpacked(path) as (manifest, db_file):
        if manifest.dialect != engine.dialect.name:
            raise ValidationError([f"a {manifest.dialect} backup cannot be restored into a {engine.dialect.name} ledger"], source)
        existing = _current_rows(engine)
        if existing:
            with Session(engine) as session:
                require(session, actor, "backup")
            if not replace:
                raise StoreError(f"{source}: the ledger at {_where(engine)} holds {existing} records; "
                                 "restore over it only with --replace")
        _check_contents(manifest, db_file, source, engine)
        (_sqlite_replace if manifest.dialect == "sqlite" else _pg_replace)(engine, db_file, source)
    engine.dispose()  # pooled connections still know the old schema
    log_event(engine, actor, "restore", "ledger", None, {"file": source, "created": manifest.created,
                                                        "audit_head": manifest.audit_head.get("hash")})
    return {"file": source, "restored_into": _where(engine), **manifest.as_dict()}


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _facts(connection) -> dict:
    """Rows per table, revision and chain head, as one connection (and its snapshot) sees them."""
    present = set(inspect(connection).get_table_names())
    names = sorted(t for t in [*Base.metadata.tables, *EXTRA_TABLES] if t in present)
    counts = {name: connection.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one() for name in names}
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar() if "alembic_version" in present else None
    with Session(bind=connection) as session:
        head = chain_head(session) if "audit_log" in present else {}
    return {"counts": counts, "revision": revision, "audit_head": head}


def _sqlite_file(engine: Engine) -> Path:
    name = engine.url.database
    if not name or name == ":memory:":
        raise StoreError("an in-memory SQLite ledger cannot be backed up or restored")
    return Path(name)


def _sqlite_snapshot(engine: Engine, target: Path) -> dict:
    source = sqlite3.connect(_sqlite_file(engine), timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # pages=-1: the whole database in one step, one consistent read
        copy.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file, no -wal beside it
    finally:
        copy.close()
        source.close()
    snap = create_engine(f"sqlite:///{target}")
    try:
        with snap.connect() as connection:
            return _facts(connection)
    finally:
        snap.dispose()


def _pg_url(engine: Engine) -> tuple[str, dict]:
    """A libpq URL for the command-line tools, the password passed in the environment, not argv."""
    url = engine.url.set(drivername="postgresql")
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), env


def _run(args: list[str], env: dict, what: str, invalid: str | None = None, **kwargs) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(args, env=env, capture_output=True, **kwargs)
    except FileNotFoundError as exc:
        raise StoreError(f"{args[0]} is needed for {what} of a PostgreSQL ledger and was not found on PATH") from exc
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", errors="replace").strip()
        last = err.splitlines()[-1] if err else f"exit {done.returncode}"
        if invalid:
            raise ValidationError([f"{args[0]}: {last}"], invalid)
        raise StoreError(f"{what} failed: {args[0]}: {last}")
    return done


def _pg_snapshot(engine: Engine, target: Path) -> dict:
    url, env = _pg_url(engine)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, connection.begin():
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        facts = _facts(connection)  # counted in the very snapshot pg_dump is about to dump
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "--file", str(target), url],
             env, "the backup")
    return facts


@contextmanager
def _unpacked(path: str | Path):
    source = Path(path)
    if not source.is_file():
        raise StoreError(f"{path}: no such backup file")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError([f"not a planwatch backup ({exc})"], str(path)) from exc
    with archive, tempfile.TemporaryDirectory(prefix=".planwatch-restore-") as work:
        manifest = _read_manifest(archive, str(path))
        member = MEMBERS[manifest.dialect]
        db_file = Path(work) / member
        try:
            with archive.open(member) as src, db_file.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError) as exc:  # a missing member or a damaged deflate stream
            raise ValidationError([f"{member}: unreadable ({exc})"], str(path)) from exc
        if db_file.stat().st_size != manifest.size or _sha256(db_file) != manifest.sha256:
            raise ValidationError([f"{member} does not match the SHA-256 and size in {MANIFEST}: the backup was damaged or changed"],
                                  str(path))
        yield manifest, db_file


def _read_manifest(archive: zipfile.ZipFile, source: str) -> Manifest:
    try:
        data = json.loads(archive.read(MANIFEST).decode("utf-8"))
        manifest = Manifest(**{k: data[k] for k in Manifest.__dataclass_fields__})
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile) as exc:
        raise ValidationError([f"{MANIFEST}: missing or damaged ({exc})"], source) from exc
    if manifest.format != FORMAT or manifest.dialect not in MEMBERS:
        raise ValidationError([f"{MANIFEST}: format {manifest.format} / {manifest.dialect!r} is not one this planwatch reads"], source)
    return manifest


def _check_contents(manifest: Manifest, db_file: Path, source: str, server: Engine | None = None) -> None:
    with _opened(manifest.dialect, db_file, source, server) as engine, engine.connect() as connection:
        facts = _facts(connection)
        rows = connection.execute(select(AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.entity,
                                         AuditEntry.entity_id, AuditEntry.old, AuditEntry.new, AuditEntry.prev_hash,
                                         AuditEntry.hash).order_by(AuditEntry.id))
        chain = verify_rows(rows)
    problems = [f"table {name}: {facts['counts'].get(name, 'no table')} rows, the manifest says {n}"
                for name, n in manifest.counts.items() if facts["counts"].get(name) != n]
    problems += [f"table {name} is not in the manifest" for name in facts["counts"] if name not in manifest.counts]
    if facts["revision"] != manifest.revision:
        problems.append(f"schema revision {facts['revision']}, the manifest says {manifest.revision}")
    if not chain.ok:
        problems.append(f"audit chain broken: {chain.problem}")
    elif (chain.head_id, chain.head_hash) != (manifest.audit_head.get("id"), manifest.audit_head.get("hash", chain.head_hash)):
        problems.append(f"audit chain head #{chain.head_id} differs from the manifest's #{manifest.audit_head.get('id')}")
    if problems:
        raise ValidationError(problems, source)


@contextmanager
def _opened(dialect: str, db_file: Path, source: str, server: Engine | None):
    """An engine on the backup's own copy: the SQLite file, or a scratch PostgreSQL database."""
    if dialect == "sqlite":
        _sqlite_integrity(db_file, source)
        engine = create_engine(f"sqlite:///{db_file}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    if server is None or server.dialect.name != "postgresql":
        raise StoreError(f"{source}: checking a PostgreSQL backup needs a PostgreSQL server (--db)")
    name = f"planwatch_restore_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        scratch = server.url.set(database=name)
        url, env = _pg_url(create_engine(scratch))
        try:
            # pg_restore's own errors (a damaged archive) are a bad backup, not a server fault
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", url, str(db_file)], env,
                 "the check of the backup", invalid=source)
            engine = create_engine(scratch)
            try:
                yield engine
            finally:
                engine.dispose()
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _sqlite_integrity(db_file: Path, source: str) -> None:
    try:
        connection = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        try:
            result = [r[0] for r in connection.execute("PRAGMA integrity_check").fetchall()]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise ValidationError([f"{MEMBERS['sqlite']}: not a SQLite database ({exc})"], source) from exc
    if result != ["ok"]:
        raise ValidationError([f"{MEMBERS['sqlite']}: integrity check failed ({'; '.join(result[:3])})"], source)


def _current_rows(engine: Engine) -> int:
    """How many plans and audit records the target holds (0 for a new or empty ledger)."""
    present = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        return sum(connection.execute(select(func.count()).select_from(Base.metadata.tables[name])).scalar_one()
                   for name in ("plans", "audit_log") if name in present)


def _sqlite_replace(engine: Engine, db_file: Path, source: str) -> None:
    target = _sqlite_file(engine)
    engine.dispose()
    if not target.exists():
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.restore")
        shutil.copyfile(db_file, partial)
        os.replace(partial, target)
        return
    # Into the live file through the backup API: one write transaction, so a reader sees the old
    # ledger or the restored one, and the WAL beside the file stays consistent with it.
    copy, live = sqlite3.connect(db_file), sqlite3.connect(target, timeout=30)
    try:
        copy.backup(live)
    except sqlite3.Error as exc:
        raise StoreError(f"{source}: restore into {target} failed, the ledger is unchanged ({exc})") from exc
    finally:
        live.close()
        copy.close()


def _pg_replace(engine: Engine, db_file: Path, source: str) -> None:
    url, env = _pg_url(engine)
    script = _run(["pg_restore", "--no-owner", "--no-privileges", "--file", "-", str(db_file)], env, "the restore").stdout
    engine.dispose()
    reset = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
    # One transaction: a failure anywhere leaves the ledger exactly as it was.
    _run(["psql", "--quiet", "--no-psqlrc", "--single-transaction", "-v", "ON_ERROR_STOP=1", "--dbname", url, "-f", "-"], env,
         "the restore", input=reset + script)
