"""What assessments read from the ledger, and where their results are kept.

The assess package does the arithmetic on the plain dicts returned here; this module only
loads and saves.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from .access import require
from .audit import record
from .ledger import ITEM_MODELS, find_period, lead_and_support, period_bounds, ref_of, reports_in_plan
from .milestones import milestones_by_target
from .observations import current
from .plans import find_plan
from .schema import (
    AssessmentRow,
    Assignment,
    Comment,
    Department,
    Evidence,
    Observation,
    Period,
    Plan,
    ProgressReport,
    ProjectRow,
    ProjectStage,
    TargetRow,
    TaskRow,
)


def plan_facts(session: Session, plan: Plan) -> dict:
    return {"id": plan.id, "title": plan.title, "issuer": plan.issuer, "version": plan.version,
            "period": (plan.period_start, plan.period_end) if plan.period_start else None, "settings": plan.settings or {},
            "source": plan.source_file}


def assessment_inputs(engine: Engine, plan_ref: str, period_label: str) -> dict:
    """The plan, the period, and every target and task with what the assessment reads of them."""
    with Session(engine) as session:
        plan = find_plan(session, plan_ref)
        period = _period(session, period_label)
        leads = _leads(session)
        targets = [_target(t, leads) for t in session.scalars(select(TargetRow).where(TargetRow.plan_id == plan.id,
                                                                                     TargetRow.kind == "target").order_by(TargetRow.position))]
        _attach_observations(session, targets)
        planned = milestones_by_target(session, [t["id"] for t in targets])
        for t in targets:
            t["milestones"] = planned.get(t["id"], {})
        tasks = [_task(t, leads) for t in session.scalars(select(TaskRow).where(TaskRow.plan_id == plan.id).order_by(TaskRow.position))]
        projects = [_project(p, leads) for p in session.scalars(select(ProjectRow).where(ProjectRow.plan_id == plan.id)
                                                                .order_by(ProjectRow.position))]
        _attach_stages(session, projects)
        _attach_reports(session, plan.id, {"task": tasks, "target": targets, "project": projects})
        return {"plan": plan_facts(session, plan), "period": period, "targets": targets, "tasks": tasks, "projects": projects}


def _period(session: Session, label: str) -> dict:
    """A period from the ledger, or one computed from its label when it was never opened."""
    try:
        p = find_period(session, label)
        return {"label": p.label, "start": p.start, "end": p.end}
    except NotFound:  # a period nobody opened can still be assessed on observations and deadlines
        _, start, end = period_bounds(label)
        return {"label": label.strip().upper(), "start": start, "end": end}


def _leads(session: Session) -> dict[tuple[str, int], dict]:
    rows = session.execute(select(Assignment.item_kind, Assignment.item_id, Assignment.role, Department.name)
                           .join(Department, Department.id == Assignment.department_id).order_by(Assignment.id)).all()
    pairs: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for kind, item_id, role, name in rows:
        pairs.setdefault((kind, item_id), []).append((role, name))
    return {item: lead_and_support(p) for item, p in pairs.items()}


def _target(t: TargetRow, leads) -> dict:
    return {"id": t.id, "ref": ref_of("target", t.id), "metric": t.metric, "value": t.value, "unit": t.unit,
            "comparator": t.comparator, "type": t.type, "baseline": t.baseline, "year": t.year, "binding": t.binding,
            "limit": t.natural_limit,
            "quote": t.quote, "section": list(t.section or []), "span": (t.span_start, t.span_end),
            **leads.get(("target", t.id), {"lead": None, "support": []}), "observations": [], "reports": [], "milestones": {}}


def _task(t: TaskRow, leads) -> dict:
    return {"id": t.id, "ref": ref_of("task", t.id), "title": t.title or t.text[:30], "text": t.text,
            "section": list(t.section or []), "deadlines": [date.fromisoformat(d) for d in t.deadlines or []],
            "span": (t.span_start, t.span_end), **leads.get(("task", t.id), {"lead": None, "support": []}), "reports": []}


def _project(p: ProjectRow, leads) -> dict:
    return {"id": p.id, "ref": ref_of("project", p.id), "title": p.name, "action": p.action, "task": p.task_title,
            "section": list(p.section or []), "span": (p.span_start, p.span_end), "investment": p.investment,
            "investment_unit": p.investment_unit, "years": (p.start_year, p.end_year) if p.start_year else None,
            **leads.get(("project", p.id), {"lead": None, "support": []}), "reports": [], "stages": {}}


def _attach_stages(session: Session, projects: list[dict]) -> None:
    by_id = {p["id"]: p for p in projects}
    if not by_id:
        return
    for row in session.scalars(select(ProjectStage).where(ProjectStage.project_id.in_(list(by_id)))):
        by_id[row.project_id]["stages"][row.stage] = row.planned_on


def _attach_observations(session: Session, targets: list[dict]) -> None:
    by_id = {t["id"]: t for t in targets}
    if not by_id:
        return
    rows = session.scalars(select(Observation).where(Observation.target_id.in_(list(by_id))).order_by(Observation.id)).all()
    grouped: dict[int, list[Observation]] = {}
    for o in rows:
        grouped.setdefault(o.target_id, []).append(o)
    for target_id, group in grouped.items():
        by_id[target_id]["observations"] = [
            {"id": o.id, "year": o.year, "period": o.period_label, "value": o.value, "unit": o.unit, "source": o.source,
             "source_ref": o.source_ref, "vintage": o.vintage, "released_on": o.released_on,
             "period_end": period_bounds(o.period_label)[2] if o.period_label else None}
            for o in current(group)
        ]


def _attach_reports(session: Session, plan_id: int, by_kind: dict[str, list[dict]]) -> None:
    items = {(kind, t["id"]): t for kind, rows in by_kind.items() for t in rows}
    if not items:
        return
    evidence = dict(session.execute(select(Evidence.report_id, func.count(Evidence.id)).group_by(Evidence.report_id)).all())
    in_plan = reports_in_plan(ProgressReport.item_kind, ProgressReport.item_id, plan_id)
    # Plain rows, not ORM objects: a five-year ledger holds tens of thousands of reports.
    rows = session.execute(select(ProgressReport.id, ProgressReport.item_kind, ProgressReport.item_id, ProgressReport.status,
                                  ProgressReport.percent, ProgressReport.narrative, ProgressReport.problems, ProgressReport.next_steps,
                                  ProgressReport.review, ProgressReport.version, ProgressReport.investment_done,
                                  ProgressReport.stage, ProgressReport.stage_on, Period.label, Period.end, Department.name)
                           .join(Period, Period.id == ProgressReport.period_id)
                           .join(Department, Department.id == ProgressReport.department_id)
                           .where(in_plan).order_by(Period.end, ProgressReport.id))
    for r in rows:
        item = items.get((r.item_kind, r.item_id))
        if item is not None:
            item["reports"].append({
                "id": r.id, "period": r.label, "period_end": r.end, "department": r.name, "status": r.status, "percent": r.percent,
                "narrative": r.narrative, "problems": r.problems, "next_steps": r.next_steps, "review": r.review,
                "evidence": evidence.get(r.id, 0), "version": r.version, "investment_done": r.investment_done,
                "stage": r.stage, "stage_on": r.stage_on})


def save_assessments(engine: Engine, plan_id: int, as_of: str, rows: list[dict], actor: str | None = None) -> int:
    """Replace the plan's assessments for ``as_of`` with ``rows`` (one transaction)."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "review").name
        session.execute(delete(AssessmentRow).where(AssessmentRow.plan_id == plan_id, AssessmentRow.as_of == as_of))
        session.add_all([AssessmentRow(plan_id=plan_id, as_of=as_of, created_by=who, **r) for r in rows])
        counts: dict[str, int] = {}
        for r in rows:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        record(session, who, "create", "assessment", plan_id, new={"as_of": as_of, "counts": counts})
        return len(rows)


def load_assessments(engine: Engine, plan_ref: str, as_of: str) -> list[dict]:
    with Session(engine) as session:
        plan = find_plan(session, plan_ref)
        rows = session.scalars(select(AssessmentRow).where(AssessmentRow.plan_id == plan.id, AssessmentRow.as_of == as_of.upper())
                               .order_by(AssessmentRow.id))
        return [{"item": ref_of(r.item_kind, r.item_id), "status": r.status, "method": r.method, "criterion": r.criterion,
                 "red": r.red, "numbers": r.numbers,
                 "explanation": r.explanation, "at": r.created_at} for r in rows]


def plan_comments(engine: Engine, plan_ref: str) -> list[dict]:
    """Comments and instructions on the plan's items, for the internal edition of a report."""
    with Session(engine) as session:
        plan = find_plan(session, plan_ref)
        out = []
        for kind, model in ITEM_MODELS.items():
            ids = select(model.id).where(model.plan_id == plan.id)
            for c in session.scalars(select(Comment).where(Comment.item_kind == kind, Comment.item_id.in_(ids)).order_by(Comment.id)):
                out.append({"item": ref_of(kind, c.item_id), "kind": c.kind, "author": c.author, "body": c.body,
                            "public": not c.internal, "at": c.created_at})
        return out


def plan_projects(engine: Engine, plan_ref: str) -> list[dict]:
    with Session(engine) as session:
        plan = find_plan(session, plan_ref)
        return [{"ref": ref_of("project", p.id), "name": p.name, "action": p.action, "task": p.task_title,
                 "section": list(p.section or []), "span": (p.span_start, p.span_end)}
                for p in session.scalars(select(ProjectRow).where(ProjectRow.plan_id == plan.id).order_by(ProjectRow.position))]


def plan_settings(engine: Engine, plan_ref: str) -> dict:
    with Session(engine) as session:
        return dict(find_plan(session, plan_ref).settings or {})


def replace_plan_settings(engine: Engine, plan_ref: str, settings: dict, actor: str | None = None) -> dict:
    """Store the plan's whole settings (checked by the caller: assess.settings.merge_settings)."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        plan = find_plan(session, plan_ref)
        old = dict(plan.settings or {})
        plan.settings = dict(settings)
        record(session, who, "update", "plan", plan.id, old={"settings": old}, new={"settings": plan.settings})
        return plan.settings


def set_plan_settings(engine: Engine, plan_ref: str, values: dict, actor: str | None = None) -> dict:
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        plan = find_plan(session, plan_ref)
        old = dict(plan.settings or {})
        plan.settings = {**old, **values}
        record(session, who, "update", "plan", plan.id, old={"settings": old}, new={"settings": plan.settings})
        return plan.settings


def review_inputs(engine: Engine, period_label: str, plan_ref: str | None = None) -> list[dict]:
    """The period's submitted reports with what the review queue weighs: deadlines, evidence,
    the department's previous report on the item, the task's projects, its targets' statuses."""
    with Session(engine) as session:
        period = find_period(session, period_label)
        plan = find_plan(session, plan_ref) if plan_ref else None
        evidence = dict(session.execute(select(Evidence.report_id, func.count(Evidence.id)).group_by(Evidence.report_id)).all())
        rows = session.execute(select(ProgressReport, Department.name).join(Department, Department.id == ProgressReport.department_id)
                               .where(ProgressReport.period_id == period.id, ProgressReport.review == "submitted")
                               .order_by(ProgressReport.id)).all()
        out = []
        for r, dep in rows:
            item = session.get(ITEM_MODELS[r.item_kind], r.item_id)
            if item is None or (plan and item.plan_id != plan.id):
                continue
            before = _previous(session, r, period)
            out.append({"report_id": r.id, "item": ref_of(r.item_kind, r.item_id), "department": dep, "status": r.status,
                        "percent": r.percent, "narrative": r.narrative, "period_start": period.start, "period_end": period.end,
                        "evidence": evidence.get(r.id, 0), "previous": before.narrative if before else "",
                        "investment_done": r.investment_done, "stage": r.stage,
                        "previous_investment": before.investment_done if before else None,
                        "previous_stage": before.stage if before else None,
                        **_item_context(session, r.item_kind, item, period)})
        return out


def _previous(session: Session, r: ProgressReport, period: Period):
    """The same department's last report on the item before this period (narrative, investment, stage)."""
    return session.execute(select(ProgressReport.narrative, ProgressReport.investment_done, ProgressReport.stage)
                           .join(Period, Period.id == ProgressReport.period_id)
                           .where(ProgressReport.item_kind == r.item_kind, ProgressReport.item_id == r.item_id,
                                  ProgressReport.department_id == r.department_id, Period.end < period.start)
                           .order_by(Period.end.desc()).limit(1)).first()


def _item_context(session: Session, kind: str, item, period: Period) -> dict:
    if kind == "target":
        return {"title": item.metric, "deadlines": (), "projects": (), "plan_id": item.plan_id, "target_ids": (item.id,)}
    if kind == "project":
        deadline = (date(item.end_year, 12, 31),) if item.end_year else ()
        return {"title": item.name, "deadlines": deadline, "projects": (item.name,), "plan_id": item.plan_id, "target_ids": (),
                "planned_investment": item.investment}
    projects = tuple(session.scalars(select(ProjectRow.name).where(ProjectRow.plan_id == item.plan_id,
                                                                   ProjectRow.span_start >= item.span_start,
                                                                   ProjectRow.span_end <= item.span_end)))
    inside = tuple(session.scalars(select(TargetRow.id).where(TargetRow.plan_id == item.plan_id, TargetRow.kind == "target",
                                                              TargetRow.span_start >= item.span_start, TargetRow.span_end <= item.span_end)))
    return {"title": item.title or item.text[:30], "deadlines": tuple(date.fromisoformat(d) for d in item.deadlines or []),
            "projects": projects, "plan_id": item.plan_id, "target_ids": inside}


def assessments_after(engine: Engine, report_ids: list[int]) -> list[tuple[int, str]]:
    """The (plan, as of) assessments that approving these reports makes stale: each report's own
    period and every later one already stored for its plan, oldest first."""
    with Session(engine) as session:
        wanted: set[tuple[int, str]] = set()
        for report in session.scalars(select(ProgressReport).where(ProgressReport.id.in_(report_ids))):
            model = ITEM_MODELS[report.item_kind]
            plan_id = session.scalar(select(model.plan_id).where(model.id == report.item_id))
            period = session.get(Period, report.period_id)
            wanted.add((plan_id, period.label))
            stored = session.scalars(select(AssessmentRow.as_of).where(AssessmentRow.plan_id == plan_id).distinct())
            wanted |= {(plan_id, label) for label in stored if period_bounds(label)[2] >= period.end}
        return sorted(wanted, key=lambda pair: (pair[0], period_bounds(pair[1])[2]))
