"""Plans in the ledger: storing an extraction, versions, carrying the ledger over, listing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..model import Extraction
from .access import require
from .audit import record
from .keys import numbered, target_key, task_key
from .schema import Assignment, Comment, MatchLink, Observation, OutlineNode, Plan, ProgressReport, ProjectRow, TargetRow, TaskRow


@dataclass
class IngestResult:
    plan_id: int
    title: str
    version: int
    status: str  # created / unchanged / new-version
    counts: dict[str, int] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    carried: dict[str, int] = field(default_factory=dict)


def content_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def store_extraction(engine: Engine, result: Extraction, actor: str | None = None) -> IngestResult:
    """Store one document's plan, outline, targets, tasks and projects in one transaction.

    Re-storing the same file changes nothing. A changed file under the same title becomes a
    new version: targets added, removed and changed are reported, and the assignments,
    reports, observations and comments of items whose key is unchanged move to the new version.
    """
    doc = result.outline.document
    digest = content_hash(doc.path)
    key = doc.metadata.title or doc.name
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
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
        record(session, who, "create", "plan", plan.id, new={"title": plan.title, "version": plan.version, "file": doc.path})
        out = IngestResult(plan.id, plan.title, plan.version, "new-version" if previous else "created", _counts(session, plan.id))
        if previous is not None:
            previous.superseded_by = plan.id
            _diff_targets(session, previous.id, plan.id, out)
            out.carried = _carry_over(session, previous.id, plan.id)
            record(session, who, "update", "plan", previous.id, old={"superseded_by": None},
                   new={"superseded_by": plan.id, "carried": out.carried})
        return out


def _add_nodes(session: Session, plan: Plan, result: Extraction) -> None:
    """The outline tree, handed to the unit of work whole so it inserts level by level in batches."""
    doc = result.outline.document
    rows = []

    def add(node, parent, position):
        span = doc.original_span(node.start, node.end)
        row = OutlineNode(plan_id=plan.id, parent=parent, position=position, kind=node.kind, label=node.label,
                          title=node.title, level=node.level, inferred=node.inferred, span_start=span.start, span_end=span.end)
        rows.append(row)
        for i, child in enumerate(node.children):
            add(child, row, i)

    add(result.outline.root, None, 0)
    session.add_all(rows)
    session.flush()


def _add_items(session: Session, plan: Plan, result: Extraction) -> None:
    target_keys = numbered(target_key(t.kind, t.metric) for t in result.targets)
    for i, (t, k) in enumerate(zip(result.targets, target_keys, strict=True)):
        session.add(TargetRow(plan_id=plan.id, position=i, key=k, kind=t.kind, metric=t.metric, value=t.value, unit=t.unit,
                              comparator=t.comparator, type=t.type, baseline=t.baseline, year=t.year,
                              year_explicit=t.year_explicit, binding=t.binding, quote=t.quote, section=list(t.section),
                              span_start=t.span.start, span_end=t.span.end))
    task_keys = numbered(task_key(t.title, t.text) for t in result.tasks)
    for i, (t, k) in enumerate(zip(result.tasks, task_keys, strict=True)):
        session.add(TaskRow(plan_id=plan.id, position=i, key=k, label=t.label, title=t.title, text=t.text, section=list(t.section),
                            deadlines=[d.isoformat() for d in t.deadlines], lead=list(t.lead), support=list(t.support),
                            span_start=t.span.start, span_end=t.span.end))
    for i, p in enumerate(result.projects):
        session.add(ProjectRow(plan_id=plan.id, position=i, name=p.name, action=p.action, quote=p.quote,
                               task_title=p.task_title, section=list(p.section), span_start=p.span.start, span_end=p.span.end))
    session.flush()


def _counts(session: Session, plan_id: int) -> dict[str, int]:
    def n(model):
        return session.scalar(select(func.count(model.id)).where(model.plan_id == plan_id))

    return {"nodes": n(OutlineNode), "targets": n(TargetRow), "tasks": n(TaskRow), "projects": n(ProjectRow)}


def _targets_by_key(session: Session, plan_id: int) -> dict[str, TargetRow]:
    return {r.key: r for r in session.scalars(select(TargetRow).where(TargetRow.plan_id == plan_id))}


def _describe(t: TargetRow) -> str:
    year = f" ({t.year})" if t.year else ""
    return f"{t.metric} {t.comparator} {t.value:g}{t.unit}{year}"


def _diff_targets(session: Session, old_plan: int, new_plan: int, out: IngestResult) -> None:
    old, new = _targets_by_key(session, old_plan), _targets_by_key(session, new_plan)
    out.added = sorted(_describe(new[k]) for k in new.keys() - old.keys())
    out.removed = sorted(_describe(old[k]) for k in old.keys() - new.keys())
    out.changed = sorted(
        f"{_describe(old[k])} → {_describe(new[k])}" for k in old.keys() & new.keys() if _describe(old[k]) != _describe(new[k])
    )


def _carry_over(session: Session, old_plan: int, new_plan: int) -> dict[str, int]:
    """Point the ledger of every item whose key survives at the item's new row."""
    moved = {"assignments": 0, "reports": 0, "observations": 0, "comments": 0}
    pairs = {
        "target": _id_pairs(session, TargetRow, old_plan, new_plan),
        "task": _id_pairs(session, TaskRow, old_plan, new_plan),
    }
    for kind, mapping in pairs.items():
        for old_id, new_id in mapping.items():
            for name, model in (("assignments", Assignment), ("reports", ProgressReport), ("comments", Comment)):
                stmt = update(model).where(model.item_kind == kind, model.item_id == old_id).values(item_id=new_id)
                moved[name] += session.execute(stmt, execution_options={"synchronize_session": False}).rowcount
            if kind == "target":
                session.execute(update(MatchLink).where(MatchLink.target_id == old_id).values(target_id=new_id),
                                execution_options={"synchronize_session": False})
                stmt = update(Observation).where(Observation.target_id == old_id).values(target_id=new_id)
                moved["observations"] += session.execute(stmt, execution_options={"synchronize_session": False}).rowcount
    return moved


def _id_pairs(session: Session, model, old_plan: int, new_plan: int) -> dict[int, int]:
    old = dict(session.execute(select(model.key, model.id).where(model.plan_id == old_plan)).all())
    new = dict(session.execute(select(model.key, model.id).where(model.plan_id == new_plan)).all())
    return {old[k]: new[k] for k in old.keys() & new.keys()}


def list_plans(engine: Engine) -> list[dict]:
    with Session(engine) as session:
        plans = session.scalars(select(Plan).order_by(Plan.id)).all()
        return [
            {"id": p.id, "title": p.title, "version": p.version, "current": p.superseded_by is None,
             "period": f"{p.period_start}–{p.period_end}" if p.period_start else None, "source": p.source_file,
             **_counts(session, p.id)}
            for p in plans
        ]


def find_plan(session: Session, ref: str | int) -> Plan:
    """A plan by id, or the current version of a plan by title (a unique part of it will do)."""
    text = str(ref).strip()
    if text.isdigit():
        plan = session.get(Plan, int(text))
        if plan is None:
            raise NotFound(f"no plan #{text}")
        return plan
    current = session.scalars(select(Plan).where(Plan.superseded_by.is_(None), Plan.title.contains(text))).all()
    exact = [p for p in current if p.title == text]
    if len(exact) == 1 or len(current) == 1:
        return (exact or current)[0]
    if not current:
        raise NotFound(f"no plan titled {text!r}")
    raise NotFound(f"{text!r} matches {len(current)} plans: " + "; ".join(f"#{p.id} {p.title}" for p in current))
