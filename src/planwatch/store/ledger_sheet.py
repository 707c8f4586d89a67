"""The department ledger (台账) as rows: what an Excel export holds, and applying a filled one.

The workbook itself is drawn by ``planwatch.report.ledger``; this module decides which rows a
department gets and validates a returned file completely before applying any of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..errors import ConflictError, NotFound, ValidationError
from ..model import PROJECT_STAGES
from ..tabular import SheetRow
from .access import require
from .ledger import ITEM_MODELS, find_period, lead_and_support, parse_ref, ref_of
from .observations import ObservationInput, store_observation
from .people import find_department
from .plans import find_plan
from .progress import STATUSES, ReportInput, audit_report, write_report
from .schema import Assignment, Department, Observation, Period, Plan, ProgressReport, TargetRow, TaskRow


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    width: int
    editable: bool = False


COLUMNS = (
    Column("seq", "序号", 6),
    Column("ref", "编号", 8),
    Column("section", "章节", 24),
    Column("title", "任务/指标", 48),
    Column("target", "目标值", 10),
    Column("unit", "单位", 8),
    Column("deadline", "时限", 12),
    Column("lead", "牵头单位", 16),
    Column("support", "配合单位", 18),
    Column("narrative", "本期进展", 40, True),
    Column("status", "状态", 9, True),
    Column("percent", "完成比例", 9, True),
    Column("value", "本期数值", 10, True),
    Column("investment", "累计完成投资", 10, True),  # project rows (P…), in the unit of 单位
    Column("stage", "已达节点", 9, True),
    Column("problems", "存在问题", 30, True),
    Column("next_steps", "下步计划", 30, True),
    Column("version", "版本", 6),
)
HEADERS = {c.header: c.field for c in COLUMNS}
INPUT_FIELDS = ("narrative", "status", "percent", "value", "investment", "stage", "problems", "next_steps")
COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", "=": "", "~": "约", ">": ">", "<": "<"}


@dataclass
class LedgerMeta:
    plan_id: int
    plan_title: str
    period: str
    department: str
    exported_at: str = ""


def ledger_rows(engine: Engine, plan: str, period: str, department: str) -> tuple[LedgerMeta, list[dict]]:
    """The rows a department fills in: every task and target assigned to it, with this period's report."""
    with Session(engine) as session:
        plan_row, period_row = find_plan(session, plan), find_period(session, period)
        dep = find_department(session, department)
        meta = LedgerMeta(plan_row.id, plan_row.title, period_row.label, dep.name, datetime.now(UTC).isoformat(timespec="seconds"))
        book = _Book.load(session, plan_row, period_row, dep)
        rows = []
        for kind, item in book.assigned_items():
            report = book.reports.get((kind, item.id))
            units = book.units(kind, item.id)
            rows.append({"seq": len(rows) + 1, "ref": ref_of(kind, item.id), **_describe(kind, item),
                         "lead": units["lead"], "support": "、".join(units["support"]), **_report_fields(report)})
        return meta, rows


@dataclass
class _Book:
    """Everything one department's ledger for one period touches, loaded in a handful of queries."""

    items: dict[str, dict[int, TaskRow | TargetRow]]
    assigned: set[tuple[str, int]]
    reports: dict[tuple[str, int], ProgressReport]
    assignments: dict[tuple[str, int], list[tuple[str, str]]]

    @classmethod
    def load(cls, session: Session, plan: Plan, period: Period, dep: Department) -> _Book:
        items = {kind: {r.id: r for r in session.scalars(select(model).where(model.plan_id == plan.id).order_by(model.position))}
                 for kind, model in ITEM_MODELS.items()}
        rows = plan_assignments(session, plan)
        assignments: dict[tuple[str, int], list[tuple[str, str]]] = {}
        for r in rows:
            assignments.setdefault((r.item_kind, r.item_id), []).append((r.role, r.name))
        assigned = {(r.item_kind, r.item_id) for r in rows if r.department_id == dep.id}
        reports = {(r.item_kind, r.item_id): r for r in session.scalars(select(ProgressReport).where(
            ProgressReport.period_id == period.id, ProgressReport.department_id == dep.id))}
        return cls(items, assigned, reports, assignments)

    def assigned_items(self):
        for kind in ("task", "target", "project"):
            for item in self.items[kind].values():
                if (kind, item.id) in self.assigned:
                    yield kind, item

    def units(self, kind: str, item_id: int) -> dict:
        return lead_and_support(self.assignments.get((kind, item_id), []))


def _describe(kind: str, item: TaskRow | TargetRow) -> dict:
    section = " › ".join(item.section or [])
    if kind == "project":
        return {"section": section, "title": item.name, "target": "" if item.investment is None else f"{item.investment:g}",
                "unit": item.investment_unit or "", "deadline": f"{item.end_year}年" if item.end_year else ""}
    if kind == "task":
        return {"section": section, "title": item.title or item.text[:60], "target": "", "unit": "",
                "deadline": "、".join(item.deadlines or [])}
    sign = COMPARATOR_SIGNS.get(item.comparator, item.comparator)
    return {"section": section, "title": item.metric, "target": f"{sign}{item.value:g}", "unit": item.unit,
            "deadline": f"{item.year}年" if item.year else ""}


def _report_fields(report: ProgressReport | None) -> dict:
    if report is None:
        return {"narrative": "", "status": "", "percent": None, "value": None, "investment": None, "stage": "", "problems": "",
                "next_steps": "", "version": 0}
    return {"narrative": report.narrative, "status": report.status, "percent": report.percent, "value": None,
            "investment": report.investment_done, "stage": report.stage or "", "problems": report.problems,
            "next_steps": report.next_steps, "version": report.version}


def plan_assignments(session: Session, plan: Plan) -> list:
    """Every assignment of the plan's items: (item_kind, item_id, position, role, department_id, name), tasks first."""
    rows = []
    for kind, model in ITEM_MODELS.items():
        rows += session.execute(
            select(Assignment.item_kind, Assignment.item_id, model.position, Assignment.role, Assignment.department_id, Department.name)
            .join(Department, Department.id == Assignment.department_id)
            .join(model, (Assignment.item_kind == kind) & (model.id == Assignment.item_id))
            .where(model.plan_id == plan.id).order_by(Assignment.id)).all()
    return rows


def assigned_departments(engine: Engine, plan: str) -> list[str]:
    """Departments holding at least one task or target of the plan, in name order."""
    with Session(engine) as session:
        return sorted({row.name for row in plan_assignments(session, find_plan(session, plan))})


def missing_reports(engine: Engine, plan: str, period: str) -> list[dict]:
    """Per department: the items it leads with no submitted or approved report for the period (督办清单).

    Cooperating units may report too, but the lead unit answers for the item (牵头单位负责报送)."""
    with Session(engine) as session:
        plan_row, period_row = find_plan(session, plan), find_period(session, period)
        reported = set(session.execute(select(ProgressReport.item_kind, ProgressReport.item_id, ProgressReport.department_id).where(
            ProgressReport.period_id == period_row.id, ProgressReport.review.in_(("submitted", "approved")))).all())
        led: dict[str, list] = {}
        for row in plan_assignments(session, plan_row):
            if row.role == "lead":
                led.setdefault(row.name, []).append(row)
        out = []
        for name in sorted(led):
            rows = sorted(led[name], key=lambda r: (list(ITEM_MODELS).index(r.item_kind), r.position))
            missing = [ref_of(r.item_kind, r.item_id) for r in rows if (r.item_kind, r.item_id, r.department_id) not in reported]
            out.append({"department": name, "assigned": len(rows), "missing": len(missing), "items": missing,
                        "due": period_row.due.isoformat()})
        return out


@dataclass
class _Change:
    kind: str
    item: TaskRow | TargetRow
    data: ReportInput
    value: float | None


def apply_ledger(engine: Engine, meta: LedgerMeta, rows: list[SheetRow], source: str, actor: str | None = None) -> dict:
    """Validate every row of a filled ledger, then apply all of it in one transaction, or none.

    Problems name the sheet, row and column; the returned summary counts what changed.
    """
    try:
        with Session(engine) as session, session.begin():
            plan, period, dep, who = _context(session, meta, source, actor)
            book = _Book.load(session, plan, period, dep)
            changes, problems = [], []
            for row in _unique_rows(rows, problems):
                change = _check_row(book, plan, dep, row, problems)
                if change is not None:
                    changes.append(change)
            if problems:
                raise ValidationError(problems, source)
            return _apply(session, book, who, period, dep, changes, source, len(rows))
    except (StaleDataError, IntegrityError) as exc:
        raise ConflictError(f"{source}: reports in this ledger were changed by someone else during the import; nothing was applied") from exc


def _unique_rows(rows: list[SheetRow], problems: list[str]) -> list[SheetRow]:
    """Filled rows with a 编号 already seen are refused for what they are: the same item twice."""
    first: dict[str, int] = {}
    out = []
    for row in rows:
        ref = str(row.values.get("编号", "")).strip().upper()
        filled = any(row.values.get(c.header) for c in COLUMNS if c.field in INPUT_FIELDS)
        if ref and filled and ref in first:
            problems.append(f"{row.where('编号')}: {ref} is filled in twice (first in row {first[ref]}); keep one row per item")
            continue
        if ref and filled:
            first[ref] = row.row
        out.append(row)
    return out


def _context(session: Session, meta: LedgerMeta, source: str, actor: str | None):
    try:
        plan, period = find_plan(session, meta.plan_id), find_period(session, meta.period)
        dep = find_department(session, meta.department)
    except NotFound as exc:
        raise ValidationError([str(exc)], source) from exc
    who = require(session, actor, "report", dep.id).name
    if period.status != "open":
        raise ValidationError([f"period {period.label} is closed: its ledger can no longer be imported"], source)
    return plan, period, dep, who


def _check_row(book: _Book, plan: Plan, dep: Department, row: SheetRow, problems: list[str]) -> _Change | None:
    values = {HEADERS[h]: v for h, v in row.values.items() if h in HEADERS}
    if not any(values.get(f) for f in INPUT_FIELDS):
        return None
    at = {c.field: row.where(c.header) for c in COLUMNS}
    before = len(problems)
    item = _row_item(book, plan, dep, values.get("ref", ""), at["ref"], problems)
    status = values.get("status", "")
    if not status:
        problems.append(f"{at['status']}: 状态 is required when a row is filled in (one of {'/'.join(STATUSES)})")
    elif status not in STATUSES:
        problems.append(f"{at['status']}: {status!r} is not one of {'/'.join(STATUSES)}")
    percent = _number(values.get("percent", ""), at["percent"], problems, "完成比例")
    if percent is not None and not 0 <= percent <= 100:
        problems.append(f"{at['percent']}: {percent:g} is outside 0–100")
    value = _number(values.get("value", ""), at["value"], problems, "本期数值")
    if value is not None and item is not None and item[0] != "target":
        problems.append(f"{at['value']}: 本期数值 is for indicator rows (I…), not tasks")
    money = _number(values.get("investment", ""), at["investment"], problems, "累计完成投资")
    stage = str(values.get("stage", "") or "").strip() or None
    if (money is not None or stage) and item is not None and item[0] != "project":
        problems.append(f"{at['investment']}: 累计完成投资 and 已达节点 are for project rows (P…)")
    if money is not None and money < 0:
        problems.append(f"{at['investment']}: {money:g} is below zero")
    if stage and stage not in PROJECT_STAGES:
        problems.append(f"{at['stage']}: {stage!r} is not one of {'/'.join(PROJECT_STAGES)}")
    version = int(_number(values.get("version", "") or "0", at["version"], problems, "版本") or 0)
    if item is None or len(problems) > before:
        return None
    existing = book.reports.get((item[0], item[1].id))
    # The sheet has no column for the day a stage was reached: an unchanged stage keeps the day reported before.
    kept_on = existing.stage_on if existing is not None and existing.stage == stage else None
    data = ReportInput(status, percent, values.get("narrative", ""), values.get("problems", ""), values.get("next_steps", ""),
                       money, stage, kept_on)
    if existing is not None and not _same(existing, data):
        if version != existing.version:
            problems.append(f"{at['ref']}: the report on {values['ref']} changed after this file was exported "
                            f"(version {existing.version}, file has {version}); export a fresh ledger")
        elif existing.review == "approved":
            problems.append(f"{at['ref']}: the report on {values['ref']} is approved and can no longer change")
    return _Change(item[0], item[1], data, value) if len(problems) == before else None


def _row_item(book: _Book, plan: Plan, dep: Department, ref: str, at: str, problems: list[str]):
    try:
        kind, item_id = parse_ref(ref)
    except ValidationError:
        problems.append(f"{at}: {ref!r} is not a row key of this ledger (T…, I… or P…)")
        return None
    item = book.items[kind].get(item_id)
    if item is None:
        problems.append(f"{at}: unknown row key {ref!r} for plan #{plan.id}")
        return None
    if (kind, item_id) not in book.assigned:
        problems.append(f"{at}: {ref} is not assigned to {dep.name}")
        return None
    return kind, item


def _number(text: str, at: str, problems: list[str], name: str) -> float | None:
    text = str(text).strip().rstrip("%％").replace(",", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        problems.append(f"{at}: {name} {text!r} is not a number")
        return None
    if not math.isfinite(number):  # float() takes "inf", "nan" and "1e999"; a report figure never is one
        problems.append(f"{at}: {name} {text!r} is not a finite number")
        return None
    return number


def _apply(session: Session, book: _Book, who: str, period: Period, dep: Department, changes: list[_Change], source: str,
           total: int) -> dict:
    summary = {"source": source, "rows": total, "created": 0, "updated": 0, "unchanged": 0, "observations": 0}
    written = []
    for c in changes:
        existing = book.reports.get((c.kind, c.item.id))
        if existing is not None and _same(existing, c.data):
            summary["unchanged"] += 1
            continue
        summary["created" if existing is None else "updated"] += 1
        written.append(write_report(session, who, existing, c.kind, c.item.id, period, dep, c.data, draft=False))
    observed = _observed(session, period)
    for c in changes:
        if c.value is not None and (c.item.id, c.value) not in observed:
            obs = ObservationInput(year=period.end.year, value=c.value, unit=c.item.unit, source="report",
                                   source_ref=f"{source} ({dep.name} {period.label})", period_label=period.label)
            store_observation(session, who, c.item, obs)
            summary["observations"] += 1
    session.flush()  # one batch of inserts and updates, then their audit entries
    for report, change in written:
        audit_report(session, who, report, change)
    return summary


def _same(report: ProgressReport, data: ReportInput) -> bool:
    return (report.status, report.percent, report.narrative, report.problems, report.next_steps, report.investment_done,
            report.stage) == (data.status, data.percent, data.narrative, data.problems, data.next_steps, data.investment_done,
                              data.stage) and report.review == "submitted"


def _observed(session: Session, period: Period) -> set[tuple[int, float]]:
    """Figures already taken from reports for this period, so a re-sent ledger adds none twice."""
    rows = session.execute(select(Observation.target_id, Observation.value).where(
        Observation.period_label == period.label, Observation.source == "report")).all()
    return {(t, v) for t, v in rows}
