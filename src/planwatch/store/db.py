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


def make_engine(url: str | None = None) -> Engine:
    engine = create_engine(database_url(url), future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


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
                # plans would cascade into every target and task. Off for the migration only.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            with connection.begin():
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, revision)
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
    except Exception as exc:  # alembic and drivers raise many kinds; the user needs one line
        raise StoreError(f"cannot create or upgrade the database at {engine.url.render_as_string(hide_password=True)}: {exc}") from exc
