"""The append-only audit log: every create, update and delete, with who, when, old and new."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .schema import AuditEntry


def record(session: Session, actor: str, action: str, entity: str, entity_id: int | None,
           old: dict | None = None, new: dict | None = None) -> None:
    session.add(AuditEntry(actor=actor, action=action, entity=entity, entity_id=entity_id, old=_json(old), new=_json(new)))


def snapshot(row, fields: tuple[str, ...]) -> dict:
    return {f: getattr(row, f) for f in fields}


def changes(old: dict, new: dict) -> tuple[dict, dict]:
    """Only the fields that differ, so an update's entry shows what moved."""
    keys = [k for k in new if old.get(k) != new[k]]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def _json(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in values.items()}


def audit_entries(engine: Engine, limit: int = 100, entity: str | None = None) -> list[dict]:
    with Session(engine) as session:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity:
            query = query.where(AuditEntry.entity == entity)
        return [{"id": r.id, "at": r.at, "actor": r.actor, "action": r.action, "entity": r.entity, "entity_id": r.entity_id,
                 "old": r.old, "new": r.new} for r in session.scalars(query)]
