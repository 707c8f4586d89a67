"""Many rows into one table in one statement: PostgreSQL COPY, one executemany on SQLite.

psycopg sends an executemany as one statement per row (pipelined); COPY streams the rows as
data. On SQLite, Core's executemany spent more time building each row's parameters than SQLite
spent inserting them; the driver's own executemany on plain tuples does not (benchmarks/batch.py).
Neither path applies Python-side column defaults or JSON serialisation, so both are done here,
as Core's insert would do them.
"""

from __future__ import annotations

import json
from operator import itemgetter

from sqlalchemy import JSON, Table
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts of column values, all with the same keys) into ``table``."""
    if not rows:
        return
    given = [c for c in table.columns if c.name in rows[0]]
    defaulted = [c for c in table.columns if c.name not in rows[0] and c.default is not None and not c.primary_key]
    constants = [_json(c, c.default.arg(None) if c.default.is_callable else c.default.arg) for c in defaulted]
    as_json = [i for i, c in enumerate(given) if isinstance(c.type, JSON)]
    pick = itemgetter(*(c.name for c in given))
    values = []
    for row in rows:
        picked = pick(row)
        value = list(picked) if len(given) > 1 else [picked]
        for i in as_json:
            if value[i] is not None:
                value[i] = json.dumps(value[i], ensure_ascii=False)
        values.append((*value, *constants))
    columns = given + defaulted
    names = ", ".join(f'"{c.name}"' for c in columns)
    session.flush()  # the ORM's pending rows (the plan these rows belong to) go first
    connection = session.connection()
    if session.bind.dialect.name == "postgresql":
        raw = connection.connection.dbapi_connection  # psycopg, inside this session's transaction
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for value in values:
                copy.write_row(value)
        return
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', values)


def _json(column, value):
    return json.dumps(value, ensure_ascii=False) if isinstance(column.type, JSON) and value is not None else value
