"""The append-only audit log: every create, update and delete, with who, when, old and new,
each record chained to the one before by its SM3 hash (chain.py) so a rewrite shows.

``record`` only queues the entry; the chain is linked when the transaction commits, after
all of its other writes, under the chain lock (SQLite: the BEGIN IMMEDIATE write lock the
transaction already holds; PostgreSQL: a transaction-scoped advisory lock). Taking the lock
last means a writer never waits for it while holding rows another writer needs, and two
writers can never link to the same head (no fork).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session

from ..errors import StoreError, ValidationError
from .chain import GENESIS, ChainReport, at_text, row_hash, verify_rows
from .schema import AuditEntry

PENDING = "planwatch_audit_pending"
# Any constant works; it only has to be the same for every planwatch writer of a database.
CHAIN_LOCK_KEY = 0x706C616E  # "plan"


def record(session: Session, actor: str, action: str, entity: str, entity_id: int | None,
           old: dict | None = None, new: dict | None = None) -> None:
    """Queue an audit entry; it is chained and written when ``session`` commits."""
    entry = AuditEntry(at=datetime.now(UTC), actor=actor, action=action, entity=entity, entity_id=entity_id,
                       old=_json(old), new=_json(new))
    session.info.setdefault(PENDING, []).append(entry)


def log_event(engine: Engine, actor: str | None, action: str, entity: str, entity_id: int | None = None,
              details: dict | None = None) -> None:
    """Audit something that changes no row: an export, a login, a failed login.

    ``log_event(engine, "王芳", "export", "ledger", None, {"file": "台账.xlsx", "rows": 12})``
    """
    with Session(engine) as session, session.begin():
        record(session, actor or "(unnamed)", action, entity, entity_id, new=details)


@event.listens_for(Session, "before_commit")
def _link_pending(session: Session) -> None:
    entries = session.info.pop(PENDING, None)
    if not entries:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    prev = session.scalars(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first() or GENESIS
    for entry in entries:
        entry.prev_hash = prev
        entry.hash = prev = row_hash(prev, entry)
    session.add_all(entries)  # flushed by the commit, in this order, so ids follow the chain


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


def snapshot(row, fields: tuple[str, ...]) -> dict:
    return {f: getattr(row, f) for f in fields}


def changes(old: dict, new: dict) -> tuple[dict, dict]:
    """Only the fields that differ, so an update's entry shows what moved."""
    keys = [k for k in new if old.get(k) != new[k]]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def _json(values: dict | None) -> dict | None:
    """Values exactly as the JSON column gives them back, so the hash of what is stored matches."""
    if values is None:
        return None
    plain = {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in values.items()}
    return json.loads(json.dumps(plain, ensure_ascii=False, default=str))


def audit_entries(engine: Engine, limit: int = 100, entity: str | None = None, actor: str | None = None) -> list[dict]:
    """The newest entries; in a ledger with users only an admin or audit administrator reads them."""
    from .access import require

    with Session(engine) as session:
        require(session, actor, "audit")
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity:
            query = query.where(AuditEntry.entity == entity)
        return [{"id": r.id, "at": r.at, "actor": r.actor, "action": r.action, "entity": r.entity, "entity_id": r.entity_id,
                 "old": r.old, "new": r.new} for r in session.scalars(query)]


def verify_audit(engine: Engine, anchor: dict | None = None, actor: str | None = None) -> ChainReport:
    """Recompute the chain; the report names the first record changed, inserted or deleted."""
    from .access import require

    with Session(engine) as session:
        require(session, actor, "audit")
        columns = (AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id,
                   AuditEntry.old, AuditEntry.new, AuditEntry.prev_hash, AuditEntry.hash)
        rows = session.execute(select(*columns).order_by(AuditEntry.id).execution_options(yield_per=2000))
        return verify_rows(rows, anchor)


def chain_head(session: Session) -> dict:
    """The last record's id, hash and time, and how many records there are."""
    from sqlalchemy import func

    row = session.execute(select(AuditEntry.id, AuditEntry.hash, AuditEntry.at).order_by(AuditEntry.id.desc()).limit(1)).first()
    count = session.scalar(select(func.count(AuditEntry.id)))
    if row is None:
        return {"id": None, "hash": GENESIS, "at": "", "records": 0}
    return {"id": row.id, "hash": row.hash, "at": at_text(row.at), "records": count}


def write_anchor(engine: Engine, output: str | Path, actor: str | None = None) -> dict:
    """Write the chain head to a file (to sign, print or keep elsewhere); verify can check against it."""
    from .access import require

    with Session(engine) as session:
        require(session, actor, "audit")
        head = {"planwatch_audit_anchor": 1, **chain_head(session), "written": at_text(datetime.now(UTC))}
    Path(output).write_text(json.dumps(head, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return head


def read_anchor(path: str | Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{path}: not a readable audit anchor ({exc})") from exc
    if not isinstance(data, dict) or data.get("planwatch_audit_anchor") != 1 or data.get("id") is None or not data.get("hash"):
        raise ValidationError(["not an audit anchor written by `planwatch audit anchor` (needs id and hash)"], str(path))
    return data
