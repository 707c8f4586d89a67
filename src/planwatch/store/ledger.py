"""Items (tasks, targets and projects) and reporting periods.

Items are named by a short reference everywhere (CLI, Excel ledger, JSON): ``T12`` is task
#12, ``I7`` is target (indicator) #7 and ``P3`` is project #3.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFound, ValidationError
from .access import require
from .audit import record
from .plans import find_plan
from .schema import Period, ProjectRow, TargetRow, TaskRow

ITEM_MODELS = {"task": TaskRow, "target": TargetRow, "project": ProjectRow}
REF_PREFIX = {"task": "T", "target": "I", "project": "P"}
KIND_OF_PREFIX = {prefix: kind for kind, prefix in REF_PREFIX.items()}
REF = re.compile(r"^\s*([TIP])(\d+)\s*$", re.IGNORECASE)
# Days after a period's end by which departments report, when --due is not given.
DEFAULT_DUE_DAYS = 10


def ref_of(kind: str, item_id: int) -> str:
    return f"{REF_PREFIX[kind]}{item_id}"


def lead_and_support(pairs: Iterable[tuple[str, str]]) -> dict:
    """One item's (role, department) pairs → ``{"lead": "区水务局", "support": ["区财政局"]}``."""
    pairs = list(pairs)
    return {"lead": next((name for role, name in pairs if role == "lead"), None),
            "support": [name for role, name in pairs if role == "support"]}


def reports_in_plan(kind_column, id_column, plan_id: int):
    """A WHERE clause: the (item kind, item id) columns name an item of the plan, whatever its kind."""
    return or_(*((kind_column == kind) & id_column.in_(select(model.id).where(model.plan_id == plan_id))
                 for kind, model in ITEM_MODELS.items()))


def item_title(kind: str, row: TaskRow | TargetRow | ProjectRow) -> str:
    """What an item is called in lists: a target's metric, a task's title, a project's name."""
    if kind == "target":
        return row.metric
    if kind == "project":
        return row.name
    return row.title or row.text[:40]


def parse_ref(ref: str) -> tuple[str, int]:
    """``"T12"`` → ``("task", 12)``; ``"i7"`` → ``("target", 7)``; ``"P3"`` → ``("project", 3)``."""
    m = REF.match(str(ref))
    if not m:
        raise ValidationError([f"{ref!r} is not an item reference (T<task id>, I<target id> or P<project id>)"])
    return KIND_OF_PREFIX[m.group(1).upper()], int(m.group(2))


def find_item(session: Session, ref: str) -> tuple[str, TaskRow | TargetRow | ProjectRow]:
    kind, item_id = parse_ref(ref)
    row = session.get(ITEM_MODELS[kind], item_id)
    if row is None:
        raise NotFound(f"no {kind} {ref}")
    return kind, row


# Plans run from the first five-year plan on; the bound keeps 9999Q4's "end + 10 days" a date.
PERIOD_YEARS = (1949, 2100)


def period_bounds(label: str) -> tuple[str, date, date]:
    """``"2024Q2"`` → quarter Apr–Jun; ``"2024H1"`` → Jan–Jun; ``"2024"`` → the year."""
    m = re.fullmatch(r"(\d{4})(?:([QqHh])([1-4]))?", label.strip())
    if not m or (m.group(2) or "").upper() == "H" and m.group(3) not in ("1", "2"):
        raise ValidationError([f"period {label!r} is not YYYY, YYYYQ1–Q4 or YYYYH1–H2"])
    year = int(m.group(1))
    if not PERIOD_YEARS[0] <= year <= PERIOD_YEARS[1]:
        raise ValidationError([f"period {label!r}: the year must be from {PERIOD_YEARS[0]} to {PERIOD_YEARS[1]}"])
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
    """Open a reporting period (or change its due date); reports can be filed until it is closed."""
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
        elif period.status != "open":
            raise ConflictError(f"period {label} is closed: reopening it needs an admin and a reason "
                                f"(planwatch period reopen {label} --reason …)")
        elif due:
            old = period_dict(period)
            period.due = due
            record(session, who, "update", "period", period.id, old=old, new=period_dict(period))
        return period_dict(period)


def reopen_period(engine: Engine, label: str, reason: str, actor: str | None = None) -> dict:
    """Reopen a closed period so its reports can change again: an admin's decision, with the reason audited."""
    if not reason.strip():
        raise ValidationError(["reopening a closed period needs a reason (--reason)"], f"period {label}")
    with Session(engine) as session, session.begin():
        who = require(session, actor, "reopen").name
        period = find_period(session, label)
        if period.status != "closed":
            raise ConflictError(f"period {period.label} is not closed")
        period.status = "open"
        record(session, who, "reopen", "period", period.id, old={"status": "closed"}, new={"status": "open", "reason": reason.strip()})
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


def plan_items(engine: Engine, plan_ref: str, what: str = "tasks") -> list[dict]:
    """A plan's tasks, targets or projects as stored, with their references and provenance."""
    with Session(engine) as session:
        plan = find_plan(session, plan_ref)
        if what == "projects":
            rows = session.scalars(select(ProjectRow).where(ProjectRow.plan_id == plan.id).order_by(ProjectRow.position))
            return [{"item": ref_of("project", p.id), "name": p.name, "action": p.action, "task": p.task_title, "section": p.section,
                     "investment": p.investment, "investment_unit": p.investment_unit,
                     "years": [p.start_year, p.end_year] if p.start_year else None, "lead": p.lead, "support": p.support,
                     "quote": p.quote, "start": p.span_start, "end": p.span_end} for p in rows]
        kind = "task" if what == "tasks" else "target"
        model = ITEM_MODELS[kind]
        out = []
        for row in session.scalars(select(model).where(model.plan_id == plan.id).order_by(model.position)):
            base = {"item": ref_of(kind, row.id), "section": row.section}
            if kind == "task":
                base |= {"label": row.label, "title": row.title or row.text[:40], "deadlines": row.deadlines, "lead": row.lead,
                         "support": row.support}
            else:
                base |= {"kind": row.kind, "metric": row.metric, "value": row.value, "unit": row.unit, "comparator": row.comparator,
                         "type": row.type, "year": row.year, "binding": row.binding, "quote": row.quote}
            out.append(base | {"start": row.span_start, "end": row.span_end})
        return out
