"""The same indicator across stored plans: every current plan's targets by canonical indicator.

    indicator_targets(engine) → [IndicatorTarget(indicator=Indicator("森林覆盖率", …), plan_id=3,
                                 region="青川市临河区", level="区县", value=45.0, unit="%", …)]
    indicators(engine) → [IndicatorSummary(name="森林覆盖率", targets=(…one per plan mention…))]

Canonical names come from ``extract.indicators`` at query time, so a better synonym table
regroups every stored plan without a migration.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..extract.indicators import Indicator, indicator
from .schema import Plan, TargetRow


@dataclass(frozen=True)
class IndicatorTarget:
    indicator: Indicator
    target_id: int
    plan_id: int
    plan: str
    region: str | None
    level: str | None
    metric: str
    value: float
    unit: str
    comparator: str
    type: str
    year: int | None
    binding: str | None
    quote: str
    section: tuple[str, ...]
    span_start: int
    span_end: int

    @property
    def ref(self) -> str:
        return f"I{self.target_id}"


@dataclass(frozen=True)
class IndicatorSummary:
    name: str
    direction: str
    targets: tuple[IndicatorTarget, ...]

    @property
    def plans(self) -> int:
        return len({t.plan_id for t in self.targets})


def indicator_targets(engine: Engine, plan_ids: list[int] | None = None) -> list[IndicatorTarget]:
    """Targets (not reported figures) of current plans, or of ``plan_ids``, with their indicator."""
    stmt = (select(TargetRow, Plan.title, Plan.region, Plan.level).join(Plan, Plan.id == TargetRow.plan_id)
            .where(TargetRow.kind == "target").order_by(TargetRow.plan_id, TargetRow.position))
    stmt = stmt.where(Plan.id.in_(plan_ids)) if plan_ids is not None else stmt.where(Plan.superseded_by.is_(None))
    with Session(engine) as session:
        return [IndicatorTarget(indicator(t.metric, t.type), t.id, t.plan_id, title, region, level, t.metric, t.value, t.unit,
                                t.comparator, t.type, t.year, t.binding, t.quote, tuple(t.section or ()), t.span_start, t.span_end)
                for t, title, region, level in session.execute(stmt)]


def indicators(engine: Engine, query: str | None = None, min_plans: int = 1) -> list[IndicatorSummary]:
    """Each indicator with every current plan's target for it, most widely targeted first."""
    groups: dict[tuple[str, str], list[IndicatorTarget]] = defaultdict(list)
    for t in indicator_targets(engine):
        groups[t.indicator.name, t.indicator.direction].append(t)
    out = [IndicatorSummary(name, direction, tuple(ts)) for (name, direction), ts in groups.items()
           if (not query or query in name or any(query in t.metric for t in ts))]
    out = [s for s in out if s.plans >= min_plans]
    return sorted(out, key=lambda s: (-s.plans, -len(s.targets), s.name))
