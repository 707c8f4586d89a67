"""Indicator observations: measured values of targets, with their vintages.

A figure is first published as preliminary (初步核算), may be revised, and is finally
verified (最终核实). All vintages are kept; for each target and time the current figure is
the most final one, then the latest released.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..errors import NotFound, PermissionDenied, ValidationError
from ..tabular import SheetRow
from .access import Actor, resolve_actor
from .audit import record
from .ledger import find_item, parse_ref, ref_of
from .plans import find_plan
from .schema import Assignment, Observation, TargetRow

SOURCES = ("report", "bulletin", "department", "manual", "document")
VINTAGES = ("preliminary", "revised", "final")
VINTAGE_WORDS = {"初步核算": "preliminary", "初步": "preliminary", "快报": "preliminary", "修订": "revised",
                 "修正": "revised", "最终核实": "final", "最终": "final", "核实": "final"}


@dataclass
class ObservationInput:
    year: int
    value: float
    unit: str = ""
    source: str = "manual"
    source_ref: str = ""
    vintage: str = "preliminary"
    released_on: date | None = None
    period_label: str | None = None
    observed_on: date | None = None


def vintage_of(text: str) -> str | None:
    text = (text or "").strip()
    return text.lower() if text.lower() in VINTAGES else VINTAGE_WORDS.get(text)


def observation_problems(obs: ObservationInput, target: TargetRow) -> list[str]:
    problems = []
    if obs.source not in SOURCES:
        problems.append(f"source {obs.source!r} is not one of {', '.join(SOURCES)}")
    if obs.vintage not in VINTAGES:
        problems.append(f"vintage {obs.vintage!r} is not one of {', '.join(VINTAGES)} (or 初步核算/修订/最终核实)")
    if not 1949 <= obs.year <= 2100:
        problems.append(f"year {obs.year} is out of range")
    if not math.isfinite(obs.value):
        problems.append(f"value {obs.value!r} is not a finite number")
    if obs.unit and target.unit and obs.unit != target.unit:
        problems.append(f"unit {obs.unit!r} differs from the target's {target.unit!r}")
    return problems


def add_observation(engine: Engine, ref: str, obs: ObservationInput, actor: str | None = None) -> dict:
    """Record one value of a target's indicator: ``add_observation(engine, "I7", ObservationInput(2024, 45.2, "%"))``."""
    with Session(engine) as session, session.begin():
        kind, target = find_item(session, ref)
        if kind != "target":
            raise ValidationError([f"{ref} is a task; observations belong to targets (I<id>)"])
        who = _observer(session, actor, target.id)
        if problems := observation_problems(obs, target):
            raise ValidationError(problems, f"observation of {ref}")
        return observation_dict(store_observation(session, who.name, target, obs))


def _observer(session: Session, actor: str | None, target_id: int) -> Actor:
    """Reporters may record figures only for targets assigned to their department."""
    deps = session.scalars(select(Assignment.department_id).where(Assignment.item_kind == "target", Assignment.item_id == target_id)).all()
    who = resolve_actor(session, actor)
    if not any(who.can("observe", d) for d in deps or [None]):
        raise PermissionDenied(f"user {who.name!r} ({who.role}) may not record figures for {ref_of('target', target_id)}")
    return who


def store_observation(session: Session, who: str, target: TargetRow, obs: ObservationInput) -> Observation:
    row = Observation(target_id=target.id, year=obs.year, period_label=obs.period_label, observed_on=obs.observed_on,
                      value=obs.value, unit=obs.unit or target.unit, source=obs.source, source_ref=obs.source_ref,
                      vintage=obs.vintage, released_on=obs.released_on, created_by=who)
    session.add(row)
    session.flush()
    record(session, who, "create", "observation", row.id, new={k: v for k, v in observation_dict(row).items() if k != "id"})
    return row


def observation_dict(o: Observation) -> dict:
    return {"id": o.id, "target": ref_of("target", o.target_id), "year": o.year, "period": o.period_label, "value": o.value,
            "unit": o.unit, "source": o.source, "source_ref": o.source_ref, "vintage": o.vintage,
            "released_on": o.released_on.isoformat() if o.released_on else None}


def current(observations: list[Observation]) -> list[Observation]:
    """The figure in force for each year and period: most final vintage, then latest release."""
    best: dict[tuple, Observation] = {}
    for o in observations:
        key = (o.year, o.period_label)
        rank = (VINTAGES.index(o.vintage), o.released_on or date.min, o.id)
        held = best.get(key)
        if held is None or rank > (VINTAGES.index(held.vintage), held.released_on or date.min, held.id):
            best[key] = o
    return sorted(best.values(), key=lambda o: (o.year, o.period_label or ""))


def list_observations(engine: Engine, ref: str | None = None, plan: str | None = None, all_vintages: bool = False) -> list[dict]:
    with Session(engine) as session:
        query = select(Observation).order_by(Observation.target_id, Observation.year, Observation.id)
        if ref:
            kind, target_id = parse_ref(ref)
            query = query.where(Observation.target_id == target_id)
        if plan:
            query = query.join(TargetRow, TargetRow.id == Observation.target_id).where(TargetRow.plan_id == find_plan(session, plan).id)
        rows = list(session.scalars(query))
        by_target: dict[int, list[Observation]] = {}
        for o in rows:
            by_target.setdefault(o.target_id, []).append(o)
        in_force = [o for group in by_target.values() for o in current(group)]
        if not all_vintages:
            return [observation_dict(o) for o in in_force]
        kept = {o.id for o in in_force}
        return [{**observation_dict(o), "current": o.id in kept} for o in rows]


def match_target(session: Session, plan_id: int, ident: str) -> TargetRow:
    """A target by reference (I7) or by its metric name within the plan."""
    ident = ident.strip()
    if ident[:1].upper() == "I" and ident[1:].isdigit():
        target = session.get(TargetRow, int(ident[1:]))
        if target is None or target.plan_id != plan_id:
            raise NotFound(f"no target {ident} in this plan")
        return target
    rows = session.scalars(select(TargetRow).where(TargetRow.plan_id == plan_id, TargetRow.kind == "target",
                                                   TargetRow.metric == ident)).all()
    if not rows:
        raise NotFound(f"no target with metric {ident!r}")
    if len({(r.value, r.unit, r.year) for r in rows}) > 1:
        raise NotFound(f"metric {ident!r} names {len(rows)} targets ({', '.join(ref_of('target', r.id) for r in rows)}): use the id")
    return rows[0]


# Column names a statistics table may use, Chinese or English.
COLUMNS = {
    "target": ("target", "id", "指标编号", "编号"),
    "metric": ("metric", "指标", "指标名称"),
    "year": ("year", "年份", "年度"),
    "value": ("value", "数值", "值", "实际值"),
    "unit": ("unit", "单位"),
    "vintage": ("vintage", "口径", "数据状态"),
    "released_on": ("released_on", "released", "发布日期"),
    "source": ("source", "来源"),
    "period": ("period", "期间"),
}


def import_observations(engine: Engine, plan: str, rows: list[SheetRow], source_name: str, actor: str | None = None) -> dict:
    """Import a statistics table: every row is checked first; any problem applies nothing."""
    with Session(engine) as session, session.begin():
        plan_row = find_plan(session, plan)
        parsed, problems = [], []
        for row in rows:
            try:
                target, obs = _parse_row(session, plan_row.id, row, source_name)
                who = _observer(session, actor, target.id)
                problems.extend(f"{row.where()}: {p}" for p in observation_problems(obs, target))
                parsed.append((who, target, obs))
            except CellProblem as exc:
                problems.append(f"{row.where(exc.column)}: {exc}")
            except PermissionDenied as exc:
                problems.append(f"{row.where()}: {exc}")
        if problems:
            raise ValidationError(problems, source_name)
        stored = [store_observation(session, who.name, target, obs) for who, target, obs in parsed]
        return {"source": source_name, "plan": plan_row.id, "imported": len(stored),
                "targets": len({o.target_id for o in stored})}


def cell_of(row: SheetRow, name: str, columns: dict[str, tuple[str, ...]] = COLUMNS) -> tuple[str, str]:
    """The (header, value) of the first of ``columns[name]``'s headers the row has (any case)."""
    for header in columns[name]:
        for h, v in row.values.items():
            if h.lower() == header:
                return h, v
    return columns[name][0], ""




def _parse_row(session: Session, plan_id: int, row: SheetRow, source_name: str) -> tuple[TargetRow, ObservationInput]:
    header, ident = cell_of(row, "target")
    if not ident:
        header, ident = cell_of(row, "metric")
    if not ident:
        raise CellProblem("no target id or metric name", None)
    target = _located(lambda: match_target(session, plan_id, ident), header)
    year_h, year = cell_of(row, "year")
    value_h, value = cell_of(row, "value")
    vintage_h, vintage = cell_of(row, "vintage")
    released_h, released = cell_of(row, "released_on")
    year_n = _located(lambda: int(float(year)), year_h, f"year {year!r} is not a year")
    value_n = _located(lambda: float(value.replace(",", "").rstrip("%")), value_h, f"value {value!r} is not a number")
    vintage_n = vintage_of(vintage or "preliminary")
    if vintage_n is None:
        raise CellProblem(f"vintage {vintage!r} is not preliminary/revised/final or 初步核算/修订/最终核实", vintage_h)
    obs = ObservationInput(
        year=year_n, value=value_n, unit=cell_of(row, "unit")[1], source=cell_of(row, "source")[1] or "bulletin", source_ref=source_name,
        vintage=vintage_n,
        released_on=_located(lambda: date.fromisoformat(released) if released else None, released_h,
                             f"release date {released!r} is not YYYY-MM-DD"),
        period_label=cell_of(row, "period")[1] or None,
    )
    return target, obs


class CellProblem(Exception):
    """A bad cell, with the column header it sits under."""

    def __init__(self, message: str, column: str | None):
        super().__init__(message)
        self.column = column


def _located(compute, header: str, message: str | None = None):
    try:
        return compute()
    except (ValueError, TypeError, OverflowError) as exc:  # int(float("inf")) overflows
        raise CellProblem(message or str(exc), header) from exc
    except NotFound as exc:
        raise CellProblem(str(exc), header) from exc
