"""Annual milestones (年度计划分解): a target's planned value for each year of the plan.

A plan is carried out through annual plans, so each year's figure is judged against that year's
planned value as well as against the final target. Milestones are set by the planner, imported
from the annual plan's table, or interpolated (``planwatch.assess.milestones``); each write is
one transaction and audited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from ..errors import NotFound, PermissionDenied, ValidationError
from ..tabular import SheetRow
from .access import resolve_actor
from .audit import record
from .ledger import find_item, ref_of
from .observations import CellProblem, _located, cell_of, match_target
from .plans import find_plan
from .schema import Milestone, TargetRow

SOURCES = ("planner", "annual_plan", "linear", "compound")
COLUMNS = {
    "target": ("target", "id", "指标编号", "编号"),
    "metric": ("metric", "指标", "指标名称"),
    "year": ("year", "年份", "年度"),
    "value": ("value", "planned", "计划值", "年度目标", "目标值"),
}


@dataclass(frozen=True)
class MilestoneInput:
    ref: str  # I7
    year: int
    value: float
    source: str | None = None  # overrides the call's source for this value


def set_milestones(engine: Engine, values: list[MilestoneInput], source: str = "planner", source_ref: str = "",
                   actor: str | None = None) -> dict:
    """Set planned values, replacing a target's value for the same year; all or nothing.

    ``set_milestones(engine, [MilestoneInput("I7", 2023, 42.6), MilestoneInput("I7", 2024, 43.3)])``
    """
    with Session(engine) as session, session.begin():
        who = _planner(session, actor)
        problems, rows = [], []
        for v in values:
            try:
                kind, target = find_item(session, v.ref)
            except (NotFound, ValidationError) as exc:
                problems.append(f"{v.ref}: {exc}")
                continue
            if kind != "target":
                problems.append(f"{v.ref} is a task; milestones belong to targets (I<id>)")
                continue
            problems += [f"{v.ref} {v.year}: {p}" for p in milestone_problems(v.year, v.value, v.source or source)]
            rows.append((target, v.year, v.value, v.source or source))
        if problems:
            raise ValidationError(problems, "milestones")
        return _store(session, who.name, rows, source_ref)


def import_milestones(engine: Engine, plan: str, rows: list[SheetRow], source_name: str, actor: str | None = None) -> dict:
    """The annual plan's table (指标编号 or 指标, 年份, 计划值), every row checked first."""
    with Session(engine) as session, session.begin():
        who = _planner(session, actor)
        plan_row = find_plan(session, plan)
        parsed, problems = [], []
        for row in rows:
            try:
                target, year, value = _parse(session, plan_row.id, row)
                problems += [f"{row.where()}: {p}" for p in milestone_problems(year, value, "annual_plan")]
                parsed.append((target, year, value, "annual_plan"))
            except CellProblem as exc:
                problems.append(f"{row.where(exc.column)}: {exc}")
        seen: dict[tuple[int, int], str] = {}
        for (target, year, _, _), row in zip(parsed, rows, strict=False):
            if (target.id, year) in seen:
                problems.append(f"{row.where()}: {ref_of('target', target.id)} {year} is also on {seen[target.id, year]}")
            seen.setdefault((target.id, year), row.where())
        if problems:
            raise ValidationError(problems, source_name)
        return {"source": source_name, "plan": plan_row.id, **_store(session, who.name, parsed, source_name)}


def clear_milestones(engine: Engine, refs: list[str], actor: str | None = None) -> dict:
    with Session(engine) as session, session.begin():
        who = _planner(session, actor)
        ids = []
        for ref in refs:
            kind, target = find_item(session, ref)
            if kind != "target":
                raise ValidationError([f"{ref} is a task; milestones belong to targets (I<id>)"])
            ids.append(target.id)
        gone = session.scalars(select(Milestone).where(Milestone.target_id.in_(ids))).all()
        for m in gone:
            record(session, who.name, "delete", "milestone", m.id, old=_dict(m))
        session.execute(delete(Milestone).where(Milestone.target_id.in_(ids)))
        return {"cleared": len(gone), "targets": len(ids)}


def list_milestones(engine: Engine, plan: str | None = None, ref: str | None = None) -> list[dict]:
    with Session(engine) as session:
        q = select(Milestone).join(TargetRow, TargetRow.id == Milestone.target_id)
        if ref:
            _, target = find_item(session, ref)
            q = q.where(Milestone.target_id == target.id)
        if plan:
            q = q.where(TargetRow.plan_id == find_plan(session, plan).id)
        return [_dict(m) for m in session.scalars(q.order_by(Milestone.target_id, Milestone.year))]


def milestones_by_target(session: Session, target_ids: list[int]) -> dict[int, dict[int, float]]:
    """Target id → {year: planned value}, for the assessment's inputs."""
    out: dict[int, dict[int, float]] = {}
    if target_ids:
        for m in session.scalars(select(Milestone).where(Milestone.target_id.in_(target_ids))):
            out.setdefault(m.target_id, {})[m.year] = m.value
    return out


def milestone_problems(year: int, value: float, source: str) -> list[str]:
    problems = []
    if source not in SOURCES:
        problems.append(f"source {source!r} is not one of {', '.join(SOURCES)}")
    if not 1949 <= year <= 2100:
        problems.append(f"year {year} is out of range")
    if not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(f"planned value {value!r} is not a finite number")
    return problems


def _planner(session: Session, actor: str | None):
    who = resolve_actor(session, actor)
    if not who.can("plans"):
        raise PermissionDenied(f"{who.name} ({who.role}) may not set a plan's milestones")
    return who


def _store(session: Session, actor: str, rows: list[tuple[TargetRow, int, float, str]], source_ref: str) -> dict:
    existing = {(m.target_id, m.year): m for m in session.scalars(
        select(Milestone).where(Milestone.target_id.in_({r[0].id for r in rows})))}
    added = changed = 0
    for target, year, value, source in rows:
        m = existing.get((target.id, year))
        if m is None:
            m = Milestone(target_id=target.id, year=year, value=float(value), source=source, source_ref=source_ref, created_by=actor)
            session.add(m)
            session.flush()
            record(session, actor, "create", "milestone", m.id, new=_dict(m))
            existing[target.id, year] = m
            added += 1
        elif (m.value, m.source, m.source_ref) != (float(value), source, source_ref):
            old = _dict(m)
            m.value, m.source, m.source_ref, m.created_by = float(value), source, source_ref, actor
            record(session, actor, "update", "milestone", m.id, old=old, new=_dict(m))
            changed += 1
    return {"added": added, "changed": changed, "targets": len({r[0].id for r in rows})}


def _parse(session: Session, plan_id: int, row: SheetRow) -> tuple[TargetRow, int, float]:
    header, ident = _cell(row, "target")
    if not ident:
        header, ident = _cell(row, "metric")
    if not ident:
        raise CellProblem("no target id or metric name", None)
    target = _located(lambda: match_target(session, plan_id, ident), header)
    year_h, year = _cell(row, "year")
    value_h, value = _cell(row, "value")
    year_n = _located(lambda: int(float(year)), year_h, f"year {year!r} is not a year")
    value_n = _located(lambda: float(value.replace(",", "")), value_h, f"planned value {value!r} is not a number")
    return target, year_n, value_n


def _cell(row: SheetRow, name: str) -> tuple[str, str]:
    header, value = cell_of(row, name, COLUMNS)
    return header, (value or "").strip()


def _dict(m: Milestone) -> dict:
    return {"id": m.id, "target": ref_of("target", m.target_id), "year": m.year, "value": m.value, "source": m.source,
            "source_ref": m.source_ref, "by": m.created_by}
