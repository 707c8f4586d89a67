"""Items (tasks and targets), their assignments to departments, and reporting periods.

Items are named by a short reference everywhere (CLI, Excel ledger, JSON): ``T12`` is task
#12 and ``I7`` is target (indicator) #7.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFound, ValidationError
from .access import require
from .audit import record
from .people import ensure_departments, find_department
from .plans import find_plan
from .schema import Assignment, Department, Period, TargetRow, TaskRow

ITEM_MODELS = {"task": TaskRow, "target": TargetRow}
REF_PREFIX = {"task": "T", "target": "I"}
REF = re.compile(r"^\s*([TI])(\d+)\s*$", re.IGNORECASE)
# Days after a period's end by which departments report, when --due is not given.
DEFAULT_DUE_DAYS = 10


def ref_of(kind: str, item_id: int) -> str:
    return f"{REF_PREFIX[kind]}{item_id}"


def parse_ref(ref: str) -> tuple[str, int]:
    """``"T12"`` → ``("task", 12)``; ``"i7"`` → ``("target", 7)``."""
    m = REF.match(str(ref))
    if not m:
        raise ValidationError([f"{ref!r} is not an item reference (T<task id> or I<target id>)"])
    return ("task" if m.group(1).upper() == "T" else "target"), int(m.group(2))


def find_item(session: Session, ref: str) -> tuple[str, TaskRow | TargetRow]:
    kind, item_id = parse_ref(ref)
    row = session.get(ITEM_MODELS[kind], item_id)
    if row is None:
        raise NotFound(f"no {kind} {ref}")
    return kind, row


def assign(engine: Engine, refs: list[str], lead: str | None, support: tuple[str, ...] = (), actor: str | None = None) -> list[dict]:
    """Give items a lead department (replacing any other lead) and cooperating departments."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "assign").name
        lead_dep = find_department(session, lead) if lead else None
        support_deps = [find_department(session, s) for s in support]
        out = []
        for ref in refs:
            kind, row = find_item(session, ref)
            if lead_dep is not None:
                _set(session, who, kind, row.id, lead_dep, "lead")
            for dep in support_deps:
                _set(session, who, kind, row.id, dep, "support")
            out.append({"item": ref_of(kind, row.id), **assignments_of(session, kind, row.id)})
        return out


def _set(session: Session, who: str, kind: str, item_id: int, dep: Department, role: str) -> None:
    if role == "lead":
        for old in session.scalars(select(Assignment).where(Assignment.item_kind == kind, Assignment.item_id == item_id,
                                                           Assignment.role == "lead", Assignment.department_id != dep.id)):
            old.role = "support"
            record(session, who, "update", "assignment", old.id, old={"role": "lead"}, new={"role": "support"})
    row = session.scalars(select(Assignment).where(Assignment.item_kind == kind, Assignment.item_id == item_id,
                                                   Assignment.department_id == dep.id)).first()
    if row is None:
        row = Assignment(item_kind=kind, item_id=item_id, department_id=dep.id, role=role)
        session.add(row)
        session.flush()
        record(session, who, "create", "assignment", row.id, new={"item": ref_of(kind, item_id), "department": dep.name, "role": role})
    elif row.role != role and role == "lead":
        record(session, who, "update", "assignment", row.id, old={"role": row.role}, new={"role": role})
        row.role = role


def assign_from_text(engine: Engine, plan_ref: str, actor: str | None = None) -> list[dict]:
    """Assign each task to the units its own text names as lead (…牵头), creating the departments."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "assign").name
        plan = find_plan(session, plan_ref)
        out = []
        for task in session.scalars(select(TaskRow).where(TaskRow.plan_id == plan.id).order_by(TaskRow.position)):
            deps = ensure_departments(session, list(task.lead), who)
            for i, dep in enumerate(deps):
                _set(session, who, "task", task.id, dep, "lead" if i == 0 else "support")
            if deps:
                out.append({"item": ref_of("task", task.id), **assignments_of(session, "task", task.id)})
        return out


def unassign(engine: Engine, ref: str, department: str, actor: str | None = None) -> None:
    with Session(engine) as session, session.begin():
        who = require(session, actor, "assign").name
        kind, row = find_item(session, ref)
        dep = find_department(session, department)
        gone = session.execute(delete(Assignment).where(Assignment.item_kind == kind, Assignment.item_id == row.id,
                                                        Assignment.department_id == dep.id).returning(Assignment.id)).all()
        if not gone:
            raise NotFound(f"{ref} is not assigned to {dep.name}")
        record(session, who, "delete", "assignment", gone[0][0], old={"item": ref, "department": dep.name})


def assignments_of(session: Session, kind: str, item_id: int) -> dict:
    rows = session.execute(select(Assignment.role, Department.name).join(Department, Assignment.department_id == Department.id)
                           .where(Assignment.item_kind == kind, Assignment.item_id == item_id).order_by(Assignment.id)).all()
    return {"lead": next((n for r, n in rows if r == "lead"), None), "support": [n for r, n in rows if r == "support"]}


def period_bounds(label: str) -> tuple[str, date, date]:
    """``"2024Q2"`` → quarter Apr–Jun; ``"2024H1"`` → Jan–Jun; ``"2024"`` → the year."""
    m = re.fullmatch(r"(\d{4})(?:([QqHh])([1-4]))?", label.strip())
    if not m or (m.group(2) or "").upper() == "H" and m.group(3) not in ("1", "2"):
        raise ValidationError([f"period {label!r} is not YYYY, YYYYQ1–Q4 or YYYYH1–H2"])
    year = int(m.group(1))
    if not m.group(2):
        return "year", date(year, 1, 1), date(year, 12, 31)
    n = int(m.group(3))
    months = 3 if m.group(2).upper() == "Q" else 6
    start = date(year, (n - 1) * months + 1, 1)
    end = (date(year + 1, 1, 1) if n * months == 12 else date(year, n * months + 1, 1)) - timedelta(days=1)
    return ("quarter" if months == 3 else "half"), start, end


def normal_label(label: str) -> str:
    return label.strip().upper()


def open_period(engine: Engine, label: str, due: date | None = None, actor: str | None = None) -> dict:
    """Open (or reopen) a reporting period; reports can be filed until it is closed."""
    label = normal_label(label)
    kind, start, end = period_bounds(label)
    with Session(engine) as session, session.begin():
        who = require(session, actor, "periods").name
        period = session.scalars(select(Period).where(Period.label == label)).first()
        if period is None:
            period = Period(label=label, kind=kind, start=start, end=end, due=due or end + timedelta(days=DEFAULT_DUE_DAYS), status="open")
            session.add(period)
            session.flush()
            record(session, who, "create", "period", period.id, new=period_dict(period))
        elif period.status != "open" or due:
            old = period_dict(period)
            period.status, period.due = "open", due or period.due
            record(session, who, "update", "period", period.id, old=old, new=period_dict(period))
        return period_dict(period)


def close_period(engine: Engine, label: str, actor: str | None = None) -> dict:
    """Close (lock) a period: no report in it can be filed or changed until it is reopened."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "periods").name
        period = find_period(session, label)
        if period.status == "closed":
            raise ConflictError(f"period {period.label} is closed already")
        period.status = "closed"
        record(session, who, "update", "period", period.id, old={"status": "open"}, new={"status": "closed"})
        return period_dict(period)


def find_period(session: Session, label: str) -> Period:
    period = session.scalars(select(Period).where(Period.label == normal_label(label))).first()
    if period is None:
        raise NotFound(f"no period {label!r} (open it with: planwatch period open {label})")
    return period


def list_periods(engine: Engine) -> list[dict]:
    with Session(engine) as session:
        return [period_dict(p) for p in session.scalars(select(Period).order_by(Period.start, Period.end))]


def period_dict(p: Period) -> dict:
    return {"label": p.label, "kind": p.kind, "start": p.start.isoformat(), "end": p.end.isoformat(),
            "due": p.due.isoformat(), "status": p.status}
