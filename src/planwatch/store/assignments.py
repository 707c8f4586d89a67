"""Assignments: which department leads (牵头) and which cooperate (配合) on each task, target and project."""

from __future__ import annotations

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from .access import require
from .audit import record
from .ledger import ITEM_MODELS, find_item, lead_and_support, parse_ref, ref_of
from .people import ensure_departments, find_department
from .plans import find_plan
from .schema import Assignment, Department


def assign(engine: Engine, refs: list[str], lead: str | None, support: tuple[str, ...] = (), actor: str | None = None) -> list[dict]:
    """Give items a lead department (replacing any other lead) and cooperating departments.

    ``assign(engine, ["T3", "I7"], lead="区水务局", support=("区财政局",))``
    """
    with Session(engine) as session, session.begin():
        who = require(session, actor, "assign").name
        lead_dep = find_department(session, lead) if lead else None
        support_deps = [find_department(session, s) for s in support]
        items = _existing_items(session, [parse_ref(r) for r in refs])
        held = _Batch.load(session, items)
        for kind, item_id in items:
            if lead_dep is not None:
                held.set(session, who, kind, item_id, lead_dep, "lead")
            for dep in support_deps:
                held.set(session, who, kind, item_id, dep, "support")
        held.flush(session, who)
        return [{"item": ref_of(kind, item_id), **held.summary(kind, item_id)} for kind, item_id in items]


def assign_from_text(engine: Engine, plan_ref: str, actor: str | None = None) -> list[dict]:
    """Assign each task and project to the units its text or its row of a task or project table
    names: the first lead (牵头, 责任单位) unit leads, the others and the 配合单位 cooperate.
    Missing departments are created."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "assign").name
        plan = find_plan(session, plan_ref)
        named = [(kind, row) for kind in ("task", "project") for row in session.scalars(
            select(ITEM_MODELS[kind]).where(ITEM_MODELS[kind].plan_id == plan.id).order_by(ITEM_MODELS[kind].position)) if row.lead]
        deps = {(k, r.id): ensure_departments(session, list(dict.fromkeys([*r.lead, *(r.support or [])])), who) for k, r in named}
        items = [(k, r.id) for k, r in named]
        held = _Batch.load(session, items)
        for item in items:
            for i, dep in enumerate(deps[item]):
                held.set(session, who, *item, dep, "lead" if i == 0 else "support")
        held.flush(session, who)
        return [{"item": ref_of(k, i), **held.summary(k, i)} for k, i in items]


def unassign(engine: Engine, refs: list[str] | str, department: str, actor: str | None = None) -> None:
    """Take items away from a department: all of them, or (if one is not assigned there) none."""
    refs = [refs] if isinstance(refs, str) else refs
    with Session(engine) as session, session.begin():
        who = require(session, actor, "assign").name
        dep = find_department(session, department)
        for ref in refs:
            kind, row = find_item(session, ref)
            gone = session.execute(delete(Assignment).where(Assignment.item_kind == kind, Assignment.item_id == row.id,
                                                            Assignment.department_id == dep.id).returning(Assignment.id)).all()
            if not gone:
                raise NotFound(f"{ref} is not assigned to {dep.name}")
            record(session, who, "delete", "assignment", gone[0][0], old={"item": ref, "department": dep.name})


def _existing_items(session: Session, keys: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The keys without repeats, in their order, checked to exist (one query per kind)."""
    for kind, model in ITEM_MODELS.items():
        wanted = {i for k, i in keys if k == kind}
        found = set(session.scalars(select(model.id).where(model.id.in_(wanted)))) if wanted else set()
        if missing := sorted(wanted - found):
            raise NotFound(f"no {kind} {', '.join(ref_of(kind, i) for i in missing[:10])}")
    return list(dict.fromkeys(keys))


class _Batch:
    """The assignments of a batch of items, changed in memory and written with one flush."""

    def __init__(self, rows: list[Assignment], names: dict[int, str]):
        self.by_item: dict[tuple[str, int], list[Assignment]] = {}
        for row in rows:
            self.by_item.setdefault((row.item_kind, row.item_id), []).append(row)
        self.names = names
        self.new: list[Assignment] = []

    @classmethod
    def load(cls, session: Session, items: list[tuple[str, int]]) -> _Batch:
        rows: list[Assignment] = []
        for kind in ITEM_MODELS:
            ids = [i for k, i in items if k == kind]
            if ids:
                rows += session.scalars(select(Assignment).where(Assignment.item_kind == kind, Assignment.item_id.in_(ids))).all()
        return cls(rows, dict(session.execute(select(Department.id, Department.name)).all()))

    def set(self, session: Session, who: str, kind: str, item_id: int, dep: Department, role: str) -> None:
        mine = self.by_item.setdefault((kind, item_id), [])
        if role == "lead":
            for other in mine:
                if other.role == "lead" and other.department_id != dep.id:
                    other.role = "support"
                    record(session, who, "update", "assignment", other.id, old={"role": "lead"}, new={"role": "support"})
        row = next((a for a in mine if a.department_id == dep.id), None)
        if row is None:
            row = Assignment(item_kind=kind, item_id=item_id, department_id=dep.id, role=role)
            session.add(row)
            mine.append(row)
            self.new.append(row)
        elif row.role != role and role == "lead":
            record(session, who, "update", "assignment", row.id, old={"role": row.role}, new={"role": role})
            row.role = role

    def flush(self, session: Session, who: str) -> None:
        session.flush()
        for row in self.new:
            record(session, who, "create", "assignment", row.id,
                   new={"item": ref_of(row.item_kind, row.item_id), "department": self.names[row.department_id], "role": row.role})

    def summary(self, kind: str, item_id: int) -> dict:
        rows = sorted(self.by_item.get((kind, item_id), []), key=lambda a: a.id or 0)
        return lead_and_support((a.role, self.names[a.department_id]) for a in rows)
