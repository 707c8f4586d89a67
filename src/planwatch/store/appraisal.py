"""What a department's yearly appraisal (指标考核) reads of the ledger: the units, and for every
period of the year each report a lead unit owed, when it came in and how often it was returned.

The arithmetic is ``planwatch.assess.appraisal``'s; this module only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .ledger import ref_of
from .ledger_sheet import plan_assignments
from .plans import find_plan
from .schema import AuditEntry, Department, Period, ProgressReport


@dataclass(frozen=True)
class Unit:
    name: str
    level: str
    parent: str | None


@dataclass(frozen=True)
class DueReport:
    """One report a lead unit owed for one item in one period."""

    department: str
    item: str  # T12 / I7
    period: str
    due: date
    report_id: int | None
    review: str | None  # None: nothing filed; draft counts as not submitted
    submitted_at: datetime | None
    returned: int  # how often the office returned it for revision

    @property
    def submitted(self) -> bool:
        return self.review in ("submitted", "approved", "returned") and self.submitted_at is not None

    @property
    def on_time(self) -> bool:
        return self.submitted and self.submitted_at.date() <= self.due


def appraisal_inputs(engine: Engine, plan: str, year: int) -> tuple[list[Unit], list[DueReport]]:
    """The ledger's units and every report owed for ``plan`` in the periods that start in ``year``."""
    with Session(engine) as session:
        plan_row = find_plan(session, plan)
        deps = session.scalars(select(Department)).all()
        names = {d.id: d.name for d in deps}
        units = [Unit(d.name, d.level or "", names.get(d.parent_id)) for d in sorted(deps, key=lambda d: d.name)]
        periods = [p for p in session.scalars(select(Period).order_by(Period.start)) if p.start.year == year]
        leads = [r for r in plan_assignments(session, plan_row) if r.role == "lead"]
        if not periods or not leads:
            return units, []
        reports = {(r.item_kind, r.item_id, r.period_id, r.department_id): r for r in session.scalars(
            select(ProgressReport).where(ProgressReport.period_id.in_([p.id for p in periods])))}
        returned = _times_returned(session, [r.id for r in reports.values()])
        due = []
        for p in periods:
            for a in leads:
                r = reports.get((a.item_kind, a.item_id, p.id, a.department_id))
                due.append(DueReport(a.name, ref_of(a.item_kind, a.item_id), p.label, p.due, r.id if r else None,
                                     r.review if r else None, r.submitted_at if r else None, returned.get(r.id, 0) if r else 0))
        return units, due


def _times_returned(session: Session, report_ids: list[int]) -> dict[int, int]:
    """Report id → how often a review set it to returned, read from the audit log (the report row
    keeps only its latest review)."""
    out: dict[int, int] = {}
    if not report_ids:
        return out
    rows = session.execute(select(AuditEntry.entity_id, AuditEntry.new).where(
        AuditEntry.entity == "progress_report", AuditEntry.action == "update", AuditEntry.entity_id.in_(report_ids)))
    for report_id, new in rows:
        if isinstance(new, dict) and new.get("review") == "returned":
            out[report_id] = out.get(report_id, 0) + 1
    return out
