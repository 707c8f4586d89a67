"""A project's schedule: when it is planned to reach each milestone (开工, 主体完工, 竣工, 投用).

The plan's project table gives the construction years (建设年限 2023—2025), which the
assessment reads as "works start in 2023, completion by the end of 2025"; a planner sets exact
dates here (from the project's own approval, 批复), and those take precedence. Reports say
when a stage was reached (``ReportInput.stage``, ``stage_on``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..model import PROJECT_STAGES
from .access import require
from .audit import record
from .ledger import find_item, ref_of
from .plans import find_plan
from .schema import ProjectRow, ProjectStage

INVESTMENT_UNITS = ("亿元", "万元", "元")


@dataclass(frozen=True)
class StageInput:
    stage: str  # model.PROJECT_STAGES
    planned_on: date


def schedule_project(engine: Engine, ref: str, stages: list[StageInput], actor: str | None = None,
                     investment: float | None = None, unit: str | None = None) -> dict:
    """Set a project's planned dates, replacing the same stages' earlier dates, and (from its
    approval, 批复) its planned total investment; all or nothing.

    ``schedule_project(engine, "P3", [StageInput("开工", date(2024, 3, 31)), StageInput("竣工", date(2025, 12, 31))], investment=8.5)``
    """
    problems = [f"stage {s.stage!r} is not one of {'/'.join(PROJECT_STAGES)}" for s in stages if s.stage not in PROJECT_STAGES]
    dated = sorted((PROJECT_STAGES.index(s.stage), s.planned_on, s.stage) for s in stages if s.stage in PROJECT_STAGES)
    problems += [f"{b[2]} on {b[1].isoformat()} is planned before {a[2]} on {a[1].isoformat()}"
                 for a, b in zip(dated, dated[1:], strict=False) if b[1] < a[1]]
    if len({s.stage for s in stages}) < len(stages):
        problems.append("a stage is given twice")
    if not stages and investment is None:
        problems.append("no stage given (开工=2024-03-31 …) and no investment")
    if investment is not None and not 0 < investment < 1e12:
        problems.append(f"investment {investment!r} is not a positive amount")
    if unit is not None and unit not in INVESTMENT_UNITS:
        problems.append(f"unit {unit!r} is not one of {'/'.join(INVESTMENT_UNITS)}")
    if problems:
        raise ValidationError(problems, f"schedule of {ref}")
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        project = _project(session, ref)
        if investment is not None:
            old = {"investment": project.investment, "investment_unit": project.investment_unit}
            project.investment, project.investment_unit = investment, unit or project.investment_unit or "亿元"
            record(session, who, "update", "project", project.id, old=old,
                   new={"investment": project.investment, "investment_unit": project.investment_unit})
        existing = {s.stage: s for s in session.scalars(select(ProjectStage).where(ProjectStage.project_id == project.id))}
        for s in stages:
            row = existing.get(s.stage)
            if row is None:
                row = ProjectStage(project_id=project.id, stage=s.stage, planned_on=s.planned_on, source="planner", created_by=who)
                session.add(row)
                session.flush()
                record(session, who, "create", "project_stage", row.id, new=_dict(row))
            elif row.planned_on != s.planned_on:
                old = _dict(row)
                row.planned_on, row.source = s.planned_on, "planner"
                record(session, who, "update", "project_stage", row.id, old=old, new=_dict(row))
        return project_schedule(session, project)


def clear_schedule(engine: Engine, ref: str, actor: str | None = None) -> dict:
    """Drop a project's planned dates: the assessment falls back on the plan's 建设年限."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        project = _project(session, ref)
        for row in session.scalars(select(ProjectStage).where(ProjectStage.project_id == project.id)):
            record(session, who, "delete", "project_stage", row.id, old=_dict(row))
        session.execute(delete(ProjectStage).where(ProjectStage.project_id == project.id))
        return project_schedule(session, project)


def list_schedules(engine: Engine, plan: str) -> list[dict]:
    with Session(engine) as session:
        plan_row = find_plan(session, plan)
        projects = session.scalars(select(ProjectRow).where(ProjectRow.plan_id == plan_row.id).order_by(ProjectRow.position))
        return [project_schedule(session, p) for p in projects]


def project_schedule(session: Session, project: ProjectRow) -> dict:
    stages = {s.stage: s.planned_on for s in session.scalars(select(ProjectStage).where(ProjectStage.project_id == project.id))}
    return {"item": ref_of("project", project.id), "name": project.name,
            "years": [project.start_year, project.end_year] if project.start_year else None,
            "investment": project.investment, "investment_unit": project.investment_unit,
            "stages": {s: stages[s].isoformat() for s in PROJECT_STAGES if s in stages}}


def _project(session: Session, ref: str) -> ProjectRow:
    kind, row = find_item(session, ref)
    if kind != "project":
        raise ValidationError([f"{ref} is a {kind}; a schedule belongs to a project (P<id>)"])
    return row


def _dict(row: ProjectStage) -> dict:
    return {"project": ref_of("project", row.project_id), "stage": row.stage, "planned_on": row.planned_on, "source": row.source}
