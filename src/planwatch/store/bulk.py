"""Many rows into one table in one statement: PostgreSQL COPY, one executemany on SQLite.

psycopg sends an executemany as one statement per row (pipelined); COPY streams the rows as
data. On SQLite, Core's executemany spent more time building each row's parameters than SQLite
spent inserting them; the driver's own executemany on plain tuples does not (benchmarks/batch.py).
Neither path applies Python-side column defaults or JSON serialisation, so both are done here,
as Core's insert would do them.

In a batch on PostgreSQL, rows nothing reads back before the commit are held (``hold_rows``) and
sent as one COPY per table for the whole batch: each COPY costs a round trip and the server's
set-up whatever its size, and seven small ones per plan were a fifth of what storing it cost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import JSON, Table
from sqlalchemy.exc import DBAPIError
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


HELD = "planwatch.held_rows"  # the key of a session's RowBuffer in ``Session.info``


class RowBuffer:
    """Rows held back for one COPY per table, grouped by table and columns in the order first
    written (parents before the rows that refer to them)."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, tuple[str, ...]], list[tuple]] = {}

    def add(self, table: str, columns: tuple[str, ...], values: list[tuple]) -> None:
        self.groups.setdefault((table, columns), []).extend(values)


def hold_rows(session: Session) -> RowBuffer | None:
    """Start holding ``write_rows(…, hold=True)`` rows in ``session`` (PostgreSQL only: SQLite's
    statements cost nothing to start). ``send_held`` sends them; it must run before the commit."""
    if session.bind.dialect.name != "postgresql":
        return None
    buffer = session.info[HELD] = RowBuffer()
    return buffer


def send_held(session: Session) -> None:
    """Send the rows held so far, one COPY per table, before anything reads them back."""
    buffer: RowBuffer | None = session.info.get(HELD)
    if buffer is None or not buffer.groups:
        return
    groups, buffer.groups = buffer.groups, {}
    session.flush()
    for (table, columns), values in groups.items():
        if values:
            _copy(session, table, columns, values)


def write_rows(session: Session, rows: Rows, lead: tuple[str, ...] = (), leading: tuple | list[tuple] = (),
               hold: bool = False) -> None:
    """Send ``rows`` in one statement. ``lead`` names columns written before each row's values
    (ids, the plan, parents: what only the writer knows): ``leading`` holds their values, one
    tuple for every row alike, or a list of one tuple a row. ``hold``: rows that may wait for
    ``send_held`` where the session holds rows."""
    if not rows.values:
        return
    columns = (*lead, *rows.columns)
    if not lead:
        values = rows.values
    elif isinstance(leading, tuple):
        values = [(*leading, *v) for v in rows.values]
    else:
        values = [(*a, *v) for a, v in zip(leading, rows.values, strict=True)]
    if hold and (buffer := session.info.get(HELD)) is not None:
        buffer.add(rows.table, columns, values)
        return
    session.flush()  # the ORM's pending rows (the plan these rows belong to) go first
    if session.bind.dialect.name == "postgresql":
        _copy(session, rows.table, columns, values)
        return
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    session.connection().exec_driver_sql(f'INSERT INTO "{rows.table}" ({names}) VALUES ({marks})', values)


def _copy(session: Session, table: str, columns: tuple[str, ...], values: list[tuple]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'COPY "{table}" ({names}) FROM STDIN'
    raw = session.connection().connection.dbapi_connection  # psycopg, inside this session's transaction
    dbapi = session.bind.dialect.loaded_dbapi
    try:
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for value in values:
                copy.write_row(value)
    except dbapi.Error as exc:  # as SQLAlchemy's own statements raise it (IntegrityError, …)
        raise DBAPIError.instance(sql, None, exc, dbapi.Error) from exc


def _json(column, value):
    return json.dumps(value, ensure_ascii=False) if isinstance(column.type, JSON) and value is not None else value
