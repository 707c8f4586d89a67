"""A plan's outline and items written in bulk (COPY or executemany, not one ORM add per row).

Row-by-row ORM adds cost a round trip and an identity-map entry per row; on PostgreSQL that
made a document's ingest twice as slow as on SQLite. Ids are reserved first (``reserve_ids``),
so a whole outline, parents' ids in its children, is one plain executemany: INSERT … RETURNING in
parameter order went row by row on SQLite and cost PostgreSQL a sorted multi-row statement per
level (a third of what storing a plan cost there).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from ..model import Target
from .bulk import write_rows
from .schema import OutlineNode, TargetRow

if TYPE_CHECKING:  # prepared builds on group_mentions here
    from .prepared import PreparedPlan


def reserve_ids(session: Session, wanted: dict[Table, int]) -> dict[str, list[int]]:
    """Fresh ids for each table, ``n`` of them, in order, in one round trip. PostgreSQL draws them
    from the columns' sequences; SQLite, whose one writer holds the database once this
    transaction has written (the caller has: the plan row), counts on from the largest id."""
    wanted = {table: n for table, n in wanted.items() if n}
    out: dict[str, list[int]] = {table.name: [] for table in wanted}
    if not wanted:
        return out
    if session.bind.dialect.name == "postgresql":
        parts, params = [], {}
        for i, (table, n) in enumerate(wanted.items()):
            parts.append(f"SELECT {i} AS t, nextval(pg_get_serial_sequence(:t{i}, 'id')) AS id FROM generate_series(1, :n{i})")
            params |= {f"t{i}": table.name, f"n{i}": n}
        names = [table.name for table in wanted]
        for i, new_id in session.execute(text(" UNION ALL ".join(parts)), params):
            out[names[i]].append(new_id)
        return {name: sorted(ids) for name, ids in out.items()}
    for table, n in wanted.items():
        first = (session.scalar(select(func.max(table.c.id))) or 0) + 1
        out[table.name] = list(range(first, first + n))
    return out


def add_items(session: Session, plan_id: int, prepared: PreparedPlan) -> None:
    """Write the outline, the targets (each once, with its other mentions), tasks and projects."""
    ids = reserve_ids(session, {OutlineNode.__table__: len(prepared.nodes), TargetRow.__table__: len(prepared.targets)})
    node_ids = ids.get(OutlineNode.__tablename__, [])
    leading = [(node_id, plan_id, node_ids[parent] if parent >= 0 else None)
               for node_id, parent in zip(node_ids, prepared.parents, strict=True)]
    write_rows(session, prepared.nodes, ("id", "plan_id", "parent_id"), leading, hold=True)
    if prepared.targets:
        target_ids = ids[TargetRow.__tablename__]
        write_rows(session, prepared.targets, ("id", "plan_id"), [(target_id, plan_id) for target_id in target_ids], hold=True)
        write_rows(session, prepared.mentions, ("target_id",), [(target_ids[i],) for i in prepared.mention_of], hold=True)
    write_rows(session, prepared.tasks, ("plan_id",), (plan_id,), hold=True)
    write_rows(session, prepared.projects, ("plan_id",), (plan_id,), hold=True)


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
