"""A plan's outline and items written in bulk (Core executemany, not one ORM add per row).

Row-by-row ORM adds cost a round trip and an identity-map entry per row; on PostgreSQL that
made a document's ingest twice as slow as on SQLite. Outline nodes go level by level, each
level one multi-row INSERT … RETURNING, so children can name their parents' ids.
"""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ..model import Extraction
from .keys import numbered, target_key, task_key
from .schema import OutlineNode, ProjectRow, TargetRow, TaskRow


def add_nodes(session: Session, plan_id: int, result: Extraction) -> None:
    doc = result.outline.document
    level = [(result.outline.root, None, 0)]
    while level:
        rows = []
        for node, parent_id, position in level:
            span = doc.original_span(node.start, node.end)
            rows.append({"plan_id": plan_id, "parent_id": parent_id, "position": position, "kind": node.kind, "label": node.label,
                         "title": node.title, "level": node.level, "inferred": node.inferred,
                         "span_start": span.start, "span_end": span.end})
        table = OutlineNode.__table__
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids = session.execute(stmt, rows).scalars().all()
        level = [(child, node_id, i) for (node, _, _), node_id in zip(level, ids, strict=True) for i, child in enumerate(node.children)]


def add_items(session: Session, plan_id: int, result: Extraction) -> None:
    targets = [
        {"plan_id": plan_id, "position": i, "key": k, "kind": t.kind, "metric": t.metric, "value": t.value, "unit": t.unit,
         "comparator": t.comparator, "type": t.type, "baseline": t.baseline, "year": t.year, "year_explicit": t.year_explicit,
         "binding": t.binding, "quote": t.quote, "section": list(t.section), "span_start": t.span.start, "span_end": t.span.end}
        for i, (t, k) in enumerate(zip(result.targets, numbered(target_key(t.kind, t.metric) for t in result.targets), strict=True))
    ]
    tasks = [
        {"plan_id": plan_id, "position": i, "key": k, "label": t.label, "title": t.title, "text": t.text, "section": list(t.section),
         "deadlines": [d.isoformat() for d in t.deadlines], "lead": list(t.lead), "support": list(t.support),
         "span_start": t.span.start, "span_end": t.span.end, "version": 1}
        for i, (t, k) in enumerate(zip(result.tasks, numbered(task_key(t.title, t.text) for t in result.tasks), strict=True))
    ]
    projects = [
        {"plan_id": plan_id, "position": i, "name": p.name, "action": p.action, "quote": p.quote, "task_title": p.task_title,
         "section": list(p.section), "span_start": p.span.start, "span_end": p.span.end}
        for i, p in enumerate(result.projects)
    ]
    for model, rows in ((TargetRow, targets), (TaskRow, tasks), (ProjectRow, projects)):
        if rows:
            session.execute(insert(model.__table__), rows)  # Core: no ORM bookkeeping per row
