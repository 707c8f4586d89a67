"""A city's targets against its districts' (指标分解衔接): where the lower plans do not add up.

    cascade(engine, parent="青川市…纲要") → CascadeResult(parent=…, children=(…), conflicts=(
        Conflict(kind="floor_below", indicator="森林覆盖率", parent=<city 45%>, children=(<district 40%>,), …),
        Conflict(kind="binding_uncarried", indicator="单位地区生产总值能耗降低", …),
        Conflict(kind="total_short", indicator="城镇新增就业", …)))

The kinds:

- ``floor_below``: a rate, share or growth target (intensive) where a district aims lower than
  the city (higher for an indicator where less is better, or under a city cap);
- ``binding_uncarried``: a binding (约束性) city target that no district plan carries;
- ``total_short`` / ``total_over``: an amount (extensive) that every district carries, whose
  district targets add up to less than the city's (more, under a city cap).

Targets are compared when they name the same canonical indicator (``extract.indicators``), the
same unit and the same year (a target without a year matches any year).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..store.indicators import IndicatorTarget, indicator_targets
from ..store.plans import find_plan
from ..store.schema import Plan

INTENSIVE_UNITS = ("%", "‰", "个百分点", "百分点")
INTENSIVE_ENDINGS = ("率", "比重", "比例", "强度", "增速", "降低", "指数", "寿命", "年限")
INTENSIVE_HEADS = ("人均", "每千", "每万", "每百", "单位")
BINDING = "约束性"
# Values this close are equal: figures are printed to one or two decimals.
EPSILON = 1e-9


@dataclass(frozen=True)
class Conflict:
    kind: str
    indicator: str
    parent: IndicatorTarget
    children: tuple[IndicatorTarget, ...]
    detail: str


@dataclass(frozen=True)
class ChildPlan:
    plan_id: int
    title: str
    region: str | None


@dataclass(frozen=True)
class CascadeResult:
    parent_id: int
    parent: str
    region: str | None
    children: tuple[ChildPlan, ...]
    conflicts: tuple[Conflict, ...]


def is_intensive(t: IndicatorTarget) -> bool:
    name = t.indicator.name
    return (t.unit in INTENSIVE_UNITS or "/" in t.unit or t.type == "annual_growth"
            or name.endswith(INTENSIVE_ENDINGS) or name.startswith(INTENSIVE_HEADS))


def direction(t: IndicatorTarget) -> str:
    """Which way the city wants it: the comparator first (≥ floor, ≤ cap), then the indicator."""
    if t.comparator == ">=":
        return "up"
    if t.comparator == "<=":
        return "down"
    return t.indicator.direction


def _same_year(a: IndicatorTarget, b: IndicatorTarget) -> bool:
    return a.year is None or b.year is None or a.year == b.year


def compare(parents: list[IndicatorTarget], children: list[IndicatorTarget], child_plans: int) -> list[Conflict]:
    """The conflicts between one parent plan's targets and its child plans' (pure)."""
    by_name: dict[str, list[IndicatorTarget]] = {}
    for c in children:
        by_name.setdefault(c.indicator.name, []).append(c)
    out: list[Conflict] = []
    for p in parents:
        carried = by_name.get(p.indicator.name, [])
        if not carried:
            if p.binding == BINDING:
                out.append(Conflict("binding_uncarried", p.indicator.name, p, (),
                                    f"约束性指标“{p.metric}”{_figure(p)}，{child_plans}个下级规划均未分解落实"))
            continue
        matching = [c for c in carried if c.unit == p.unit and _same_year(p, c)]
        if is_intensive(p):
            out += _floors(p, matching)
        else:
            out += _totals(p, matching, child_plans)
    return out


def _floors(p: IndicatorTarget, matching: list[IndicatorTarget]) -> list[Conflict]:
    up = direction(p) == "up"
    lower = [c for c in matching if (c.value < p.value - EPSILON if up else c.value > p.value + EPSILON)]
    if not lower:
        return []
    word = "低于" if up else "高于"
    names = "、".join(f"{c.region or c.plan}{_figure(c)}" for c in lower)
    return [Conflict("floor_below", p.indicator.name, p, tuple(lower), f"“{p.metric}”上级目标{_figure(p)}，{names}，{word}上级目标")]


def _totals(p: IndicatorTarget, matching: list[IndicatorTarget], child_plans: int) -> list[Conflict]:
    plans = {c.plan_id for c in matching}
    if len(plans) < child_plans:  # a district that does not carry it: the sum says nothing yet
        return []
    first = {}
    for c in matching:
        first.setdefault(c.plan_id, c)  # one figure per district: its first mention
    total = sum(c.value for c in first.values())
    up = direction(p) == "up"
    if (total < p.value - EPSILON) if up else (total > p.value + EPSILON):
        kind, word = ("total_short", "小于") if up else ("total_over", "超过")
        return [Conflict(kind, p.indicator.name, p, tuple(first.values()),
                         f"“{p.metric}”上级目标{_figure(p)}，{len(first)}个下级规划合计{_number(total)}{p.unit}，{word}上级目标")]
    return []


def _number(v: float) -> str:
    return f"{v:g}"


def _figure(t: IndicatorTarget) -> str:
    year = f"（{t.year}年）" if t.year else ""
    return f"{_number(t.value)}{t.unit}{year}"


def child_plans(session: Session, parent: Plan) -> list[Plan]:
    """Current plans of the regions inside the parent's (临河区 of 青川市), same period if known."""
    if not parent.region:
        raise NotFound(f"plan #{parent.id} names no region: give its lower plans with --child")
    stmt = select(Plan).where(Plan.superseded_by.is_(None), Plan.id != parent.id, Plan.region.startswith(parent.region, autoescape=True),
                              Plan.region != parent.region)
    plans = session.scalars(stmt.order_by(Plan.region, Plan.id)).all()
    if parent.period_end:
        plans = [p for p in plans if p.period_end in (None, parent.period_end)]
    return plans


def cascade(engine: Engine, parent: str, children: list[str] | None = None) -> CascadeResult:
    """Compare a plan's targets with its lower plans' (found by region, or named)."""
    with Session(engine) as session:
        top = find_plan(session, parent)
        lower = [find_plan(session, c) for c in children] if children else child_plans(session, top)
        info = (top.id, top.title, top.region)
        kids = tuple(ChildPlan(p.id, p.title, p.region) for p in lower)
    if not kids:
        raise NotFound(f"plan #{info[0]} has no lower plans stored for {info[2]}: ingest the districts' plans or give --child")
    parents = indicator_targets(engine, [info[0]])
    below = indicator_targets(engine, [k.plan_id for k in kids])
    return CascadeResult(*info, kids, tuple(compare(parents, below, len(kids))))
