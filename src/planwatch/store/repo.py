"""Every query the ledger makes. Service functions take an Engine and run one transaction each."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..model import Extraction
from .schema import AuditEntry, OutlineNode, Plan, ProjectRow, TargetRow, TaskRow


@dataclass
class IngestResult:
    plan_id: int
    title: str
    version: int
    status: str  # created / unchanged / new-version
    counts: dict[str, int] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def content_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def store_extraction(engine: Engine, result: Extraction, actor: str = "system") -> IngestResult:
    """Store one document's plan, outline, targets, tasks and projects in one transaction.

    Re-storing the same file changes nothing; a changed file under the same title becomes a
    new version, with the targets added and removed reported.
    """
    doc = result.outline.document
    digest = content_hash(doc.path)
    key = doc.metadata.title or doc.name
    with Session(engine) as session, session.begin():
        same = session.scalars(select(Plan).where(Plan.content_hash == digest)).first()
        if same is not None:
            return IngestResult(same.id, same.title, same.version, "unchanged", _counts(session, same.id))
        previous = session.scalars(select(Plan).where(Plan.key == key).order_by(Plan.version.desc())).first()
        plan = Plan(
            key=key, version=(previous.version + 1) if previous else 1, title=key,
            issuer=", ".join(doc.metadata.issuers) or None,
            period_start=doc.metadata.period[0] if doc.metadata.period else None,
            period_end=doc.metadata.period[1] if doc.metadata.period else None,
            source_file=doc.path, content_hash=digest, format=doc.format, script=doc.script,
        )
        session.add(plan)
        session.flush()
        _add_nodes(session, plan, result)
        _add_items(session, plan, result)
        session.add(AuditEntry(actor=actor, action="create", entity="plan", entity_id=plan.id, new={"title": plan.title, "version": plan.version, "file": doc.path}))
        out = IngestResult(plan.id, plan.title, plan.version, "new-version" if previous else "created", _counts(session, plan.id))
        if previous is not None:
            old = _target_keys(session, previous.id)
            new = _target_keys(session, plan.id)
            out.added, out.removed = sorted(new - old), sorted(old - new)
        return out


def _add_nodes(session: Session, plan: Plan, result: Extraction) -> None:
    doc = result.outline.document

    def add(node, parent_id, position):
        span = doc.original_span(node.start, node.end)
        row = OutlineNode(plan_id=plan.id, parent_id=parent_id, position=position, kind=node.kind, label=node.label,
                          title=node.title, level=node.level, inferred=node.inferred, span_start=span.start, span_end=span.end)
        session.add(row)
        session.flush()
        for i, child in enumerate(node.children):
            add(child, row.id, i)

    add(result.outline.root, None, 0)


def _add_items(session: Session, plan: Plan, result: Extraction) -> None:
    for i, t in enumerate(result.targets):
        session.add(TargetRow(plan_id=plan.id, position=i, kind=t.kind, metric=t.metric, value=t.value, unit=t.unit,
                              comparator=t.comparator, type=t.type, baseline=t.baseline, year=t.year,
                              year_explicit=t.year_explicit, binding=t.binding, quote=t.quote, section=list(t.section),
                              span_start=t.span.start, span_end=t.span.end))
    for i, t in enumerate(result.tasks):
        session.add(TaskRow(plan_id=plan.id, position=i, label=t.label, title=t.title, text=t.text, section=list(t.section),
                            deadlines=[d.isoformat() for d in t.deadlines], lead=list(t.lead),
                            span_start=t.span.start, span_end=t.span.end))
    for i, p in enumerate(result.projects):
        session.add(ProjectRow(plan_id=plan.id, position=i, name=p.name, action=p.action, quote=p.quote,
                               task_title=p.task_title, span_start=p.span.start, span_end=p.span.end))
    session.flush()


def _counts(session: Session, plan_id: int) -> dict[str, int]:
    def n(model):
        return len(session.scalars(select(model.id).where(model.plan_id == plan_id)).all())

    return {"nodes": n(OutlineNode), "targets": n(TargetRow), "tasks": n(TaskRow), "projects": n(ProjectRow)}


def _target_keys(session: Session, plan_id: int) -> set[str]:
    rows = session.scalars(select(TargetRow).where(TargetRow.plan_id == plan_id)).all()
    return {f"{r.metric}={r.value:g}{r.unit}" for r in rows}


def list_plans(engine: Engine) -> list[dict]:
    with Session(engine) as session:
        plans = session.scalars(select(Plan).order_by(Plan.id)).all()
        return [
            {"id": p.id, "title": p.title, "version": p.version, "period": f"{p.period_start}–{p.period_end}" if p.period_start else None,
             "source": p.source_file, **_counts(session, p.id)}
            for p in plans
        ]


def audit_entries(engine: Engine, limit: int = 100) -> list[dict]:
    with Session(engine) as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)).all()
        return [{"id": r.id, "at": r.at, "actor": r.actor, "action": r.action, "entity": r.entity, "entity_id": r.entity_id,
                 "old": r.old, "new": r.new} for r in rows]
