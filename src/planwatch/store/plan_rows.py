"""A plan's outline and items written in bulk (COPY or executemany, not one ORM add per row).

Row-by-row ORM adds cost a round trip and an identity-map entry per row; on PostgreSQL that
made a document's ingest twice as slow as on SQLite. Ids are reserved first (``reserve_ids``),
so a whole outline, parents' ids in its children, is one plain executemany: INSERT … RETURNING in
parameter order went row by row on SQLite and cost PostgreSQL a sorted multi-row statement per
level (a third of what storing a plan cost there).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..model import Extraction, Target
from .bulk import insert_rows
from .keys import numbered, project_key, target_key, task_key
from .schema import OutlineNode, ProjectRow, TargetMention, TargetRow, TaskRow


def reserve_ids(session: Session, table, n: int) -> list[int]:
    """``n`` fresh ids for ``table``, in order. PostgreSQL draws them from the column's sequence;
    SQLite, whose one writer holds the database once this transaction has written (the caller
    has: the plan row), counts on from the largest id."""
    if n == 0:
        return []
    if session.bind.dialect.name == "postgresql":
        seq = text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)")
        return list(session.scalars(seq, {"t": table.name, "n": n}))
    first = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(first, first + n))


def add_nodes(session: Session, plan_id: int, result: Extraction) -> None:
    doc = result.outline.document
    nodes = list(result.outline.root.walk())  # document order: a parent before its children
    id_of = {id(node): node_id for node, node_id in zip(nodes, reserve_ids(session, OutlineNode.__table__, len(nodes)), strict=True)}
    place = {id(child): (id_of[id(node)], i) for node in nodes for i, child in enumerate(node.children)}
    rows = []
    for node in nodes:
        parent_id, position = place.get(id(node), (None, 0))
        span = doc.original_span(node.start, node.end)
        rows.append({"id": id_of[id(node)], "plan_id": plan_id, "parent_id": parent_id, "position": position, "kind": node.kind,
                     "label": node.label, "title": node.title, "level": node.level, "inferred": node.inferred,
                     "span_start": span.start, "span_end": span.end})
    insert_rows(session, OutlineNode.__table__, rows)


def same_target(t: Target) -> tuple | None:
    """What makes two mentions one commitment: the same metric, value, unit and year. Reported
    figures (kind "actual") stay one row each."""
    if t.kind != "target":
        return None
    return (t.metric, t.value, t.unit, t.year)


def restated(a: Target, b: Target) -> bool:
    """Whether one of two equal statements restates the other: one of them is an indicator table's
    row or lies in an annex (附件, 附表). Two sentences of running text saying the same thing in
    different chapters may be two commitments (the same figure for two programmes) and stay two."""
    return any(t.in_table or any(s.startswith("附") for s in t.section) for t in (a, b))


def group_mentions(targets: list[Target]) -> list[tuple[Target, list[Target]]]:
    """Each target once, in the order first stated, with its restatements (an annex or indicator
    table repeating the text). The item takes from them what its first mention leaves out: a
    comparator more specific than "=", the binding attribute, the baseline."""
    groups: dict[tuple, list[Target]] = {}
    out: list[list[Target]] = []
    for t in targets:
        key = same_target(t)
        if key is not None and key in groups and restated(groups[key][0], t):
            groups[key].append(t)
            continue
        group = [t]
        out.append(group)
        if key is not None and key not in groups:
            groups[key] = group
    return [(_folded(g), g[1:]) for g in out]


def _folded(group: list[Target]) -> Target:
    first, others = group[0], group[1:]
    changes = {}
    if first.comparator == "=" and (c := next((o.comparator for o in others if o.comparator != "="), None)):
        changes["comparator"] = c
    for name in ("binding", "baseline"):
        if getattr(first, name) is None and (v := next((getattr(o, name) for o in others if getattr(o, name) is not None), None)) is not None:
            changes[name] = v
    return replace(first, **changes) if changes else first


def add_items(session: Session, plan_id: int, result: Extraction) -> int:
    """Write the targets (each once, with its other mentions), tasks and projects; the number of targets kept."""
    grouped = group_mentions(list(result.targets))
    items = [t for t, _ in grouped]
    targets = [
        {"plan_id": plan_id, "position": i, "key": k, "kind": t.kind, "metric": t.metric, "value": t.value, "unit": t.unit,
         "comparator": t.comparator, "type": t.type, "baseline": t.baseline, "year": t.year, "year_explicit": t.year_explicit,
         "binding": t.binding, "quote": t.quote, "section": list(t.section), "span_start": t.span.start, "span_end": t.span.end}
        for i, (t, k) in enumerate(zip(items, numbered(target_key(t.kind, t.metric) for t in items), strict=True))
    ]
    tasks = [
        {"plan_id": plan_id, "position": i, "key": k, "label": t.label, "title": t.title, "text": t.text, "section": list(t.section),
         "deadlines": [d.isoformat() for d in t.deadlines], "lead": list(t.lead), "support": list(t.support),
         "span_start": t.span.start, "span_end": t.span.end, "version": 1}
        for i, (t, k) in enumerate(zip(result.tasks, numbered(task_key(t.title, t.text) for t in result.tasks), strict=True))
    ]
    projects = [
        {"plan_id": plan_id, "position": i, "key": k, "name": p.name, "action": p.action, "quote": p.quote, "task_title": p.task_title,
         "section": list(p.section), "span_start": p.span.start, "span_end": p.span.end, "lead": list(p.lead),
         "support": list(p.support), "investment": p.investment, "investment_unit": p.investment_unit,
         "start_year": p.years[0] if p.years else None, "end_year": p.years[1] if p.years else None}
        for i, (p, k) in enumerate(zip(result.projects, numbered(project_key(p.name) for p in result.projects), strict=True))
    ]
    if targets:
        ids = reserve_ids(session, TargetRow.__table__, len(targets))
        for row, target_id in zip(targets, ids, strict=True):
            row["id"] = target_id
        insert_rows(session, TargetRow.__table__, targets)
        mentions = [{"target_id": target_id, "quote": m.quote, "section": list(m.section), "span_start": m.span.start,
                     "span_end": m.span.end} for target_id, (_, again) in zip(ids, grouped, strict=True) for m in again]
        insert_rows(session, TargetMention.__table__, mentions)
    insert_rows(session, TaskRow.__table__, tasks)
    insert_rows(session, ProjectRow.__table__, projects)
    return len(targets)
