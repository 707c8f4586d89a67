"""Many rows into one table in one statement: PostgreSQL COPY, one executemany on SQLite.

psycopg sends an executemany as one statement per row (pipelined); COPY streams the rows as
data. On SQLite, Core's executemany spent more time building each row's parameters than SQLite
spent inserting them; the driver's own executemany on plain tuples does not (benchmarks/batch.py).
Neither path applies Python-side column defaults or JSON serialisation, so both are done here,
as Core's insert would do them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import JSON, Table
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Rows:
    """Rows ready for one table: column names and one tuple of plain values per row (JSON
    already serialised, Python-side defaults filled). Built without a database, so a batch
    worker can build them and the writer only sends them."""

    table: str
    columns: tuple[str, ...]
    values: list[tuple]

    def __len__(self) -> int:
        return len(self.values)


def row_values(table: Table, rows: list[dict]) -> Rows:
    """``rows`` (dicts of column values, all with the same keys) as ``Rows`` of ``table``."""
    if not rows:
        return Rows(table.name, (), [])
    given = [c for c in table.columns if c.name in rows[0]]
    defaulted = [c for c in table.columns if c.name not in rows[0] and c.default is not None and not c.primary_key]
    constants = tuple(_json(c, c.default.arg(None) if c.default.is_callable else c.default.arg) for c in defaulted)
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
    return Rows(table.name, tuple(c.name for c in given + defaulted), values)


def write_rows(session: Session, rows: Rows, lead: tuple[str, ...] = (), leading: tuple | list[tuple] = ()) -> None:
    """Send ``rows`` in one statement. ``lead`` names columns written before each row's values
    (ids, the plan, parents: what only the writer knows): ``leading`` holds their values, one
    tuple for every row alike, or a list of one tuple a row."""
    if not rows.values:
        return
    columns = (*lead, *rows.columns)
    if not lead:
        values = rows.values
    elif isinstance(leading, tuple):
        values = [(*leading, *v) for v in rows.values]
    else:
        values = [(*a, *v) for a, v in zip(leading, rows.values, strict=True)]
    names = ", ".join(f'"{c}"' for c in columns)
    session.flush()  # the ORM's pending rows (the plan these rows belong to) go first
    connection = session.connection()
    if session.bind.dialect.name == "postgresql":
        raw = connection.connection.dbapi_connection  # psycopg, inside this session's transaction
        with raw.cursor() as cursor, cursor.copy(f'COPY "{rows.table}" ({names}) FROM STDIN') as copy:
            for value in values:
                copy.write_row(value)
        return
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f'INSERT INTO "{rows.table}" ({names}) VALUES ({marks})', values)


def _json(column, value):
    return json.dumps(value, ensure_ascii=False) if isinstance(column.type, JSON) and value is not None else value
