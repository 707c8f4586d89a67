"""What the web's pages read, in the reader's scope: stored assessments (never a recomputation),
an item with its figures and reports, a reporter's quarter, the review queue's inputs.

Reading follows the store's roles: admin, planner and viewer read every plan; a reporter reads
only items assigned to their department's subtree; the MLPS administrators (sysadmin, secadmin,
auditor) read no plan data. Each function resolves its reader once, like the write functions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, PermissionDenied
from .access import DEPARTMENT_BOUND_ROLES, Actor, resolve_actor
from .ledger import ITEM_MODELS, find_item, find_period, item_title, ref_of
from .plans import find_plan
from .schema import (
    AssessmentRow,
    Assignment,
    AuditEntry,
    Comment,
    Department,
    Evidence,
    Observation,
    Period,
    Plan,
    ProgressReport,
    ProjectStage,
    TargetMention,
)

READERS = frozenset({"admin", "planner", "viewer", "reporter"})


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = 50

    @property
    def offset(self) -> int:
        return (max(self.number, 1) - 1) * self.size


def reader_of(session: Session, name: str | None) -> Actor:
    actor = resolve_actor(session, name)
    if actor.role not in READERS:
        raise PermissionDenied(f"user {actor.name!r} ({actor.role}) does not read plan data")
    return actor


def bound(actor: Actor) -> bool:
    return actor.role in DEPARTMENT_BOUND_ROLES


def _scoped_ids(session: Session, actor: Actor, kind: str) -> select | None:
    """The ids of items of ``kind`` the actor may read (None: all of them)."""
    if not bound(actor):
        return None
    return select(Assignment.item_id).where(Assignment.item_kind == kind, Assignment.department_id.in_(actor.departments or ()))


def _leads(session: Session, kind: str, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Assignment.item_id, Department.name).join(Department, Department.id == Assignment.department_id)
                           .where(Assignment.item_kind == kind, Assignment.role == "lead", Assignment.item_id.in_(ids))
                           .order_by(Assignment.id))
    out: dict[int, str] = {}
    for item_id, name in rows:
        out.setdefault(item_id, name)
    return out


def stored_assessment(engine: Engine, plan_ref: str, as_of: str, actor: str | None, kind: str = "target",
                      status: str | None = None, binding: str | None = None, department: str | None = None,
                      page: Page = Page()) -> dict:
    """A page of the plan's stored assessment as of ``as_of`` and every row's (unit, status, red)
    for the roll-ups. ``assessed_at`` is None when nothing is stored yet (run ``assess``)."""
    with Session(engine) as session:
        reader = reader_of(session, actor)
        plan = find_plan(session, plan_ref)
        key = (engine.url.render_as_string(), plan.id, as_of.upper(), kind, reader.role, reader.departments, _version(session))
        every, assessed_at = _VIEWS.get_or_make(key, lambda: _assessed_rows(session, reader, plan, as_of, kind))
        chosen = [r for r in every if (not status or r["status"] == status) and (not binding or r["binding"] == binding)
                  and (not department or r["lead"] == department)]
        return {"plan": _plan(plan), "as_of": as_of.upper(), "kind": kind, "assessed_at": assessed_at, "all": every,
                "total": len(chosen), "page": page.number, "pages": max(1, -(-len(chosen) // page.size)),
                "items": chosen[page.offset:page.offset + page.size]}


def _version(session: Session) -> int:
    """The newest audit entry's id: every write to the ledger is audited in its own transaction,
    so a view keyed by it is current until the next write, on every server process."""
    return session.scalar(select(func.max(AuditEntry.id))) or 0


class _ViewCache:
    """The last few dashboards' rows, by ledger version: a view read again before anything changed
    costs one indexed query instead of a thousand rows. After a write, the many readers who
    arrive together wait for one of them to read the rows rather than each reading them."""

    def __init__(self, size: int = 32):
        self.size, self.rows, self.lock = size, OrderedDict(), threading.Lock()
        self.making: dict = {}  # key → the lock held by the one reader making it

    def get_or_make(self, key, make):
        with self.lock:
            if key in self.rows:
                self.rows.move_to_end(key)
                return self.rows[key]
            maker = self.making.setdefault(key, threading.Lock())
        with maker:
            with self.lock:
                if key in self.rows:
                    return self.rows[key]
            try:
                value = make()
            finally:
                with self.lock:
                    self.making.pop(key, None)
            with self.lock:
                self.rows[key] = value
                while len(self.rows) > self.size:
                    self.rows.popitem(last=False)
            return value


_VIEWS = _ViewCache()
_PAGES = _ViewCache(256)


def ledger_view(engine: Engine, key: tuple, make):
    """``make()``'s value, made once per ledger version (and day: statuses read the date) for this
    key and reused by every request until the next audited write. ``key`` names the reader and
    everything else the view depends on, so no reader ever gets another's view; a refusal
    (``PermissionDenied``, ``NotFound``) is raised each time, never kept."""
    with Session(engine) as session:
        version = _version(session)
    return _PAGES.get_or_make((engine.url.render_as_string(), version, date.today(), *key), make)


def _assessed_rows(session: Session, reader: Actor, plan: Plan, as_of: str, kind: str) -> tuple[tuple[dict, ...], object]:
    """Every stored row's dashboard fields, and when they were assessed. Columns, not ORM rows: a
    dashboard of 1,000 targets must not load each explanation (the largest column) nor build
    2,000 mapped objects."""
    model = ITEM_MODELS[kind]
    fields = {"target": lambda: (model.metric, model.binding, model.value, model.unit, model.year),
              "task": lambda: (model.title, model.text), "project": lambda: (model.name,)}[kind]()
    query = (select(AssessmentRow.status, AssessmentRow.red, AssessmentRow.criterion, AssessmentRow.method,
                    AssessmentRow.numbers, AssessmentRow.created_at, model.id, model.section, *fields)
             .join(model, model.id == AssessmentRow.item_id)
             .where(AssessmentRow.plan_id == plan.id, AssessmentRow.as_of == as_of.upper(), AssessmentRow.item_kind == kind))
    if (scope := _scoped_ids(session, reader, kind)) is not None:
        query = query.where(AssessmentRow.item_id.in_(scope))
    rows = session.execute(query.order_by(model.position)).all()
    leads = _leads(session, kind, [r.id for r in rows])
    every = tuple(_row(r, kind, leads.get(r.id)) for r in rows)
    return every, max((r.created_at for r in rows), default=None)


def _plan(plan: Plan) -> dict:
    return {"id": plan.id, "title": plan.title, "period": [plan.period_start, plan.period_end], "settings": plan.settings or {}}


def _row(r, kind: str, lead: str | None) -> dict:
    base = {"ref": ref_of(kind, r.id), "status": r.status, "red": r.red, "criterion": r.criterion, "method": r.method,
            "lead": lead or "未分配", "chapter": r.section[0] if r.section else "（未分章）"}
    if kind == "target":
        return {**base, "title": r.metric, "binding": r.binding, "value": r.value, "unit": r.unit,
                "latest": (r.numbers or {}).get("latest"), "year": r.year}
    if kind == "project":
        return {**base, "title": r.name, "binding": None, "percent": (r.numbers or {}).get("percent")}
    return {**base, "title": r.title or r.text[:40], "binding": None, "percent": (r.numbers or {}).get("percent")}


def can_read_item(session: Session, actor: Actor, kind: str, item_id: int) -> bool:
    if not bound(actor):
        return True
    owners = set(session.scalars(select(Assignment.department_id).where(Assignment.item_kind == kind, Assignment.item_id == item_id)))
    return bool(owners & (actor.departments or frozenset()))


def item_detail(engine: Engine, ref: str, actor: str | None, as_of: str | None = None) -> dict:
    """One target or task: its source clause, baseline and target, observations with vintages,
    its stored status and explanation, reports over time, comments and 批示."""
    with Session(engine) as session:
        reader = reader_of(session, actor)
        kind, item = find_item(session, ref)
        if not can_read_item(session, reader, kind, item.id):
            raise PermissionDenied(f"user {reader.name!r} ({reader.role}) may not read {ref}: it is not their department's")
        plan = session.get(Plan, item.plan_id)
        query = select(AssessmentRow).where(AssessmentRow.item_kind == kind, AssessmentRow.item_id == item.id)
        if as_of:
            query = query.where(AssessmentRow.as_of == as_of.upper())
        assessment = session.scalars(query.order_by(AssessmentRow.created_at.desc(), AssessmentRow.id.desc()).limit(1)).first()
        out = {"ref": ref_of(kind, item.id), "kind": kind, "plan": _plan(plan), "section": item.section,
               "span": [item.span_start, item.span_end], "assignments": _assignments(session, kind, item.id),
               "assessment": None if assessment is None else {
                   "as_of": assessment.as_of, "status": assessment.status, "red": assessment.red, "method": assessment.method,
                   "criterion": assessment.criterion, "numbers": assessment.numbers, "explanation": assessment.explanation,
                   "at": assessment.created_at},
               "reports": _reports(session, kind, item.id), "comments": _comments(session, kind, item.id)}
        if kind == "target":
            out.update(title=item.metric, metric=item.metric, value=item.value, unit=item.unit, comparator=item.comparator,
                       type=item.type, baseline=item.baseline, year=item.year, binding=item.binding, quote=item.quote,
                       observations=_observations(session, item.id),
                       mentions=[{"quote": m.quote, "section": m.section, "span": [m.span_start, m.span_end]} for m in session.scalars(
                           select(TargetMention).where(TargetMention.target_id == item.id).order_by(TargetMention.span_start))])
        elif kind == "project":
            out.update(title=item.name, name=item.name, action=item.action, quote=item.quote, task=item.task_title,
                       investment=item.investment, investment_unit=item.investment_unit,
                       years=[item.start_year, item.end_year] if item.start_year else None,
                       stages=[{"stage": s.stage, "planned_on": s.planned_on, "source": s.source}
                               for s in session.scalars(select(ProjectStage).where(ProjectStage.project_id == item.id))])
        else:
            out.update(title=item.title or item.text[:40], text=item.text, deadlines=item.deadlines, label=item.label)
        return out


def _assignments(session: Session, kind: str, item_id: int) -> list[dict]:
    rows = session.execute(select(Assignment.role, Department.name).join(Department, Department.id == Assignment.department_id)
                           .where(Assignment.item_kind == kind, Assignment.item_id == item_id).order_by(Assignment.id))
    return [{"role": role, "department": name} for role, name in rows]


def _observations(session: Session, target_id: int) -> list[dict]:
    rows = session.scalars(select(Observation).where(Observation.target_id == target_id)
                           .order_by(Observation.year, Observation.period_label, Observation.id))
    return [{"id": o.id, "year": o.year, "period": o.period_label, "value": o.value, "unit": o.unit, "source": o.source,
             "ref": o.source_ref, "vintage": o.vintage,
             "released": o.released_on} for o in rows]


def _reports(session: Session, kind: str, item_id: int) -> list[dict]:
    evidence = select(func.count(Evidence.id)).where(Evidence.report_id == ProgressReport.id).scalar_subquery()
    rows = session.execute(select(ProgressReport, Period.label, Department.name, evidence)
                           .join(Period, Period.id == ProgressReport.period_id)
                           .join(Department, Department.id == ProgressReport.department_id)
                           .where(ProgressReport.item_kind == kind, ProgressReport.item_id == item_id)
                           .order_by(Period.start, ProgressReport.id))
    return [report_row(r, label, dep, n) for r, label, dep, n in rows]


def report_row(r: ProgressReport, period: str, department: str, evidence: int) -> dict:
    return {"id": r.id, "item": ref_of(r.item_kind, r.item_id), "period": period, "department": department, "status": r.status,
            "percent": r.percent, "narrative": r.narrative, "problems": r.problems, "next_steps": r.next_steps,
            "review": r.review, "review_comment": r.review_comment, "submitted_by": r.submitted_by,
            "investment_done": r.investment_done, "stage": r.stage, "stage_on": r.stage_on,
            "reviewed_by": r.reviewed_by, "evidence": evidence, "version": r.version}


def _comments(session: Session, kind: str, item_id: int) -> list[dict]:
    rows = session.scalars(select(Comment).where(Comment.item_kind == kind, Comment.item_id == item_id).order_by(Comment.id))
    return [{"id": c.id, "kind": c.kind, "author": c.author, "body": c.body, "public": not c.internal, "at": c.created_at}
            for c in rows]


def my_quarter(engine: Engine, actor: str | None, period: str | None = None) -> dict:
    """A reporter's open period: each item assigned to their department's subtree (lead and
    support), with this period's report (draft, submitted, returned with the reviewer's comment,
    approved) and the last approved one before it."""
    with Session(engine) as session:
        reader = reader_of(session, actor)
        if period:
            period_row = find_period(session, period)
        else:
            period_row = session.scalars(select(Period).where(Period.status == "open").order_by(Period.end.desc()).limit(1)).first()
        if period_row is None:
            raise NotFound("no open reporting period (a planner opens one on the periods page)")
        deps = sorted(reader.departments or ()) if bound(reader) else []
        rows = session.execute(select(Assignment, Department.name).join(Department, Department.id == Assignment.department_id)
                               .where(Assignment.department_id.in_(deps)).order_by(Assignment.item_kind, Assignment.item_id)).all()
        items = [_quarter_item(session, a, dep, period_row) for a, dep in rows]
        return {"period": {"label": period_row.label, "due": period_row.due, "status": period_row.status},
                "items": [i for i in items if i is not None]}


def _quarter_item(session: Session, a: Assignment, department: str, period: Period) -> dict | None:
    item = session.get(ITEM_MODELS[a.item_kind], a.item_id)
    if item is None:
        return None
    reports = session.execute(select(ProgressReport, Period).join(Period, Period.id == ProgressReport.period_id)
                              .where(ProgressReport.item_kind == a.item_kind, ProgressReport.item_id == a.item_id,
                                     ProgressReport.department_id == a.department_id).order_by(Period.end)).all()
    current = next((r for r, p in reports if p.id == period.id), None)
    approved = [(r, p) for r, p in reports if r.review == "approved" and p.end < period.start]
    evidence = {r.id: n for r, n in session.execute(select(ProgressReport, func.count(Evidence.id))
                                                    .join(Evidence, Evidence.report_id == ProgressReport.id)
                                                    .where(ProgressReport.id == (current.id if current else -1))
                                                    .group_by(ProgressReport.id))}
    return {"ref": ref_of(a.item_kind, a.item_id), "kind": a.item_kind, "role": a.role, "department": department,
            "title": item_title(a.item_kind, item),
            "unit": getattr(item, "unit", None), "investment_unit": getattr(item, "investment_unit", None),
            "report": None if current is None else report_row(current, period.label, department, evidence.get(current.id, 0)),
            "last_approved": None if not approved else report_row(approved[-1][0], approved[-1][1].label, department, 0)}


def audit_page(engine: Engine, actor: str | None, entity: str | None = None, who: str | None = None, action: str | None = None,
               page: Page = Page()) -> dict:
    """The audit log, newest first, filtered; admins and audit administrators only."""
    from .access import require

    with Session(engine) as session:
        require(session, actor, "audit")
        query = select(AuditEntry)
        if entity:
            query = query.where(AuditEntry.entity == entity)
        if who:
            query = query.where(AuditEntry.actor == who)
        if action:
            query = query.where(AuditEntry.action == action)
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        rows = session.scalars(query.order_by(AuditEntry.id.desc()).offset(page.offset).limit(page.size))
        return {"total": total, "page": page.number, "pages": max(1, -(-total // page.size)),
                "entries": [{"id": r.id, "at": r.at, "actor": r.actor, "action": r.action, "entity": r.entity,
                             "entity_id": r.entity_id, "old": r.old, "new": r.new} for r in rows]}


def report_scope(engine: Engine, report_id: int, actor: str | None) -> dict:
    """A report, if the actor may read it (its department is theirs, or they are not bound)."""
    with Session(engine) as session:
        reader = reader_of(session, actor)
        r = session.get(ProgressReport, report_id)
        if r is None:
            raise NotFound(f"no progress report #{report_id}")
        if bound(reader) and r.department_id not in (reader.departments or ()):
            raise PermissionDenied(f"user {reader.name!r} may not read report #{report_id}: another department's")
        period, dep = session.get(Period, r.period_id), session.get(Department, r.department_id)
        n = session.scalar(select(func.count(Evidence.id)).where(Evidence.report_id == r.id))
        return report_row(r, period.label, dep.name, n)


def ledger_version(engine: Engine) -> int:
    """A number that grows with every audited write: what caches of derived pages key on."""
    with Session(engine) as session:
        return _version(session)
