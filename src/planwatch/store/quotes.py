"""The approved progress reports (报送) a bulletin quotes: what each department wrote, with who
approved it and when, so a quotation can be cited to its report."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .ledger import ref_of, reports_in_plan
from .plans import find_plan
from .schema import Department, Period, ProgressReport


def approved_reports(engine: Engine, plan_ref: str, up_to: str | None = None) -> list[dict]:
    """Every approved report on the plan's tasks and targets, oldest period first; with ``up_to``
    (a period label) only periods ending no later than that one's end."""
    with Session(engine) as session:
        plan = find_plan(session, plan_ref)
        in_plan = reports_in_plan(ProgressReport.item_kind, ProgressReport.item_id, plan.id)
        query = (select(ProgressReport.id, ProgressReport.item_kind, ProgressReport.item_id, ProgressReport.status, ProgressReport.percent,
                        ProgressReport.narrative, ProgressReport.problems, ProgressReport.next_steps, ProgressReport.reviewed_by,
                        ProgressReport.investment_done, ProgressReport.stage, ProgressReport.stage_on,
                        ProgressReport.reviewed_at, Period.label, Period.end, Department.name)
                 .join(Period, Period.id == ProgressReport.period_id).join(Department, Department.id == ProgressReport.department_id)
                 .where(in_plan, ProgressReport.review == "approved").order_by(Period.end, ProgressReport.id))
        if up_to:
            end = session.scalar(select(Period.end).where(Period.label == up_to.strip().upper()))
            if end is not None:
                query = query.where(Period.end <= end)
        return [{"id": r.id, "item": ref_of(r.item_kind, r.item_id), "item_kind": r.item_kind, "item_id": r.item_id,
                 "period": r.label, "period_end": r.end, "department": r.name, "status": r.status, "percent": r.percent,
                 "narrative": r.narrative, "problems": r.problems, "next_steps": r.next_steps,
                 "investment_done": r.investment_done, "stage": r.stage, "stage_on": r.stage_on,
                 "approved_by": r.reviewed_by, "approved_at": r.reviewed_at} for r in session.execute(query)]
