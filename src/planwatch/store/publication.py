"""What a plan's public edition may show: a per-plan choice of fields, the office's own public
summary, and the one function that removes everything else before a public edition is built.

    status     statuses, lights and completion percentages (always public: it is what a
               public edition is for)
    figures    observed values, completion against target, projections
    summary    the office's public summary of the plan's progress (``publication --summary``)
    narrative  departments' 本期进展 text           } internal unless a plan's
    problems   departments' 存在问题 text           } publication names them

Default: status, figures, summary. Bulletins (``report --public``) and the web's /public pages
both call ``public_result`` on the assessment, so the rule is enforced in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ..errors import ValidationError
from .access import require
from .audit import record
from .plans import find_plan
from .schema import PlanPublication

PUBLIC_FIELDS = ("status", "figures", "summary", "narrative", "problems")
DEFAULT_PUBLIC = ("status", "figures", "summary")
ALWAYS_PUBLIC = ("status",)


@dataclass(frozen=True)
class Publication:
    plan_id: int
    fields: tuple[str, ...] = DEFAULT_PUBLIC
    summary: str = ""

    def shows(self, field: str) -> bool:
        return field in self.fields

    def as_dict(self) -> dict:
        return {"plan": self.plan_id, "fields": list(self.fields), "summary": self.summary}


def plan_publication(engine: Engine, plan_ref: str) -> Publication:
    """The plan's publication setting (the default when none was set)."""
    with Session(engine) as session:
        plan = find_plan(session, plan_ref)
        return _publication(session, plan.id)


def public_fields(engine: Engine, plan_ref: str) -> tuple[str, ...]:
    """The fields the plan publishes (report/bulletin.py quotes report text only for these)."""
    return plan_publication(engine, plan_ref).fields


def _publication(session: Session, plan_id: int) -> Publication:
    row = session.get(PlanPublication, plan_id)
    if row is None:
        return Publication(plan_id)
    return Publication(plan_id, tuple(f for f in PUBLIC_FIELDS if f in row.fields), row.summary or "")


def set_publication(engine: Engine, plan_ref: str, fields: list[str] | None = None, summary: str | None = None,
                    actor: str | None = None) -> dict:
    """Choose the plan's public fields and/or its public summary; audited.

    ``set_publication(engine, "1", ["status", "figures", "narrative"], "2024年各项工作有序推进。")``"""
    if fields is not None:
        unknown = [f for f in fields if f not in PUBLIC_FIELDS]
        if unknown:
            raise ValidationError([f"{', '.join(unknown)}: not a public field (choose from {', '.join(PUBLIC_FIELDS)})"], "publication")
        fields = [f for f in PUBLIC_FIELDS if f in {*fields, *ALWAYS_PUBLIC}]
    with Session(engine) as session, session.begin():
        who = require(session, actor, "settings").name
        plan = find_plan(session, plan_ref)
        old = _publication(session, plan.id)
        new = Publication(plan.id, tuple(fields) if fields is not None else old.fields,
                          summary.strip() if summary is not None else old.summary)
        row = session.get(PlanPublication, plan.id)
        if row is None:
            session.add(PlanPublication(plan_id=plan.id, fields=list(new.fields), summary=new.summary))
        else:
            row.fields, row.summary = list(new.fields), new.summary
        record(session, who, "update", "plan_publication", plan.id, old=old.as_dict(), new=new.as_dict())
        return new.as_dict()


def public_result(result: dict, publication: Publication) -> dict:
    """An assessment result (``assess_plan``) with only what the publication allows; pure.

    Internal narrative is emptied, not just hidden, so no renderer or JSON twin can show it."""
    tasks = [_public_task(t, publication) for t in result["tasks"]]
    projects = [_public_task(p, publication) for p in result.get("projects", ())]
    if not publication.shows("figures"):  # a project's investment is a figure like a target's value
        projects = [{**p, "investment_done": None, "share": None} for p in projects]
    targets = result["targets"] if publication.shows("figures") else [_without_figures(t) for t in result["targets"]]
    return {**result, "tasks": tasks, "targets": targets, "projects": projects}


def _public_task(task: dict, publication: Publication) -> dict:
    out = dict(task)
    problems = task.get("problems") or ""
    if not publication.shows("narrative"):
        out["narrative"] = ""
    if not publication.shows("problems"):
        out["problems"] = ""
        if problems and problems in (task.get("reason") or ""):  # a delayed task's reason quotes its problems
            out["reason"] = task["reason"].replace("：" + problems, "").replace(problems, "")
    return out


def _without_figures(target: dict) -> dict:
    return {**target, "observations": [], "numbers": {k: None for k in target.get("numbers", {})}, "explanation": {}}


def public_sentences(publication: Publication) -> list[str]:
    """The public summary as the opening sentences of a public edition (empty unless chosen)."""
    if not publication.shows("summary") or not publication.summary:
        return []
    return [publication.summary]
