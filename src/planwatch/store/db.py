"""Engines and schema creation/upgrade through Alembic."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from ..errors import StoreError

DEFAULT_URL = "sqlite:///planwatch.db"
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url(url: str | None = None) -> str:
    """``--db`` beats ``PLANWATCH_DATABASE_URL`` beats ``planwatch.db`` in the working directory.

    A bare path is taken as a SQLite file.
    """
    url = url or os.environ.get("PLANWATCH_DATABASE_URL") or DEFAULT_URL
    if "://" not in url:
        url = f"sqlite:///{url}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


READ_ONLY = "planwatch_read_only"


def make_engine(url: str | None = None, pool_size: int | None = None) -> Engine:
    """An engine for the ledger; ``pool_size`` should be the number of threads that use it at
    once (a web server's worker threads), so none of them waits for a connection."""
    url = database_url(url)
    options = {} if pool_size is None or ":memory:" in url else {"pool_size": pool_size, "max_overflow": 0, "pool_timeout": 60}
    engine = create_engine(url, future=True, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def read_only(engine: Engine) -> Engine:
    """The same engine and pool for transactions that only read (web pages): on SQLite they
    begin DEFERRED under ``PRAGMA query_only``, so in WAL mode they never take or wait for the
    write lock, and a write slipped into one fails instead of racing the writers."""
    return engine.execution_options(**{READ_ONLY: True})


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The driver's own transaction handling begins lazily, at the first write, so two
    # writers could both read and then deadlock on the upgrade to a write lock. We begin
    # ourselves (see _sqlite_begin) and let the driver stay out of the way.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not wait for the writer
    cursor.close()


def _sqlite_begin(connection) -> None:
    # IMMEDIATE takes the write lock at BEGIN: concurrent transactions queue (busy_timeout)
    # instead of failing with "database is locked", and each sees the others' committed rows.
    # A read-only transaction (read_only) needs no lock at all in WAL mode: it reads a snapshot.
    reading = bool(connection.get_execution_options().get(READ_ONLY))
    info = connection.connection.info
    if info.get(READ_ONLY, False) != reading:
        connection.exec_driver_sql(f"PRAGMA query_only={int(reading)}")
        info[READ_ONLY] = reading
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision`` with Alembic, keeping existing data."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as connection:
            if sqlite:
                # Batch migrations rebuild a table by dropping it; with foreign keys on, dropping
                # plans would cascade into every target and task. Off for the migration only
                # (the pragma is ignored inside a transaction, so it goes to the raw connection).
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    cfg.attributes["connection"] = connection
                    command.upgrade(cfg, revision)
            finally:
                if sqlite:
                    connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
    except Exception as exc:  # alembic and drivers raise many kinds; the user needs one line
        raise StoreError(f"cannot create or upgrade the database at {engine.url.render_as_string(hide_password=True)}: {exc}") from exc


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None before ``upgrade``)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def ensure_current(engine: Engine) -> None:
    """Create the schema in an empty database; refuse an older one until ``planwatch init``
    upgrades it, so that one user's newer planwatch never migrates a shared ledger unasked."""
    current, head = schema_revision(engine), head_revision()
    if current is None:
        upgrade(engine)
    elif current != head:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"the ledger at {where} has schema {current}; this planwatch needs {head}: "
                         f"run `planwatch init --db {where}` to upgrade it (data is kept)")
