"""Is a target on track? Completion share, elapsed share, trend projection and growth ratio.

Time runs in year-ends: 2020 is the end of 2020 (a five-year plan's baseline), 2023.5 the end
of 2024Q2. For a target with baseline x0 at t0, target xT at T and latest value x at t:

    c = (x − x0) / (xT − x0)                         completion share (ESCAP current status)
    e = (t − t0) / (T − t0)                          elapsed share (序时进度)
    p = (x̂(T) − x0) / (xT − x0)                      projected share, x̂ a recency-weighted trend
    R = CAGR_observed / CAGR_required                 Statistics Canada / Open SDG ratio

    status: 已完成 the latest value meets the target; 正常 R or p ≥ 0.95, or c ≥ e;
            预警 between the thresholds; 滞后 below, moving the wrong way, or past due unmet;
            无数据 fewer than two points. Caps (<=) and floors (>=) already met at the baseline
            are judged pass/fail on every observed year and on the projection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .settings import Thresholds

ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "已完成", "正常", "预警", "滞后", "无数据"
STATUS_ORDER = (ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA)
# An index level for 累计下降X% targets with no stated baseline: the decline is measured from 100.
INDEX_BASE = 100.0


@dataclass(frozen=True)
class TargetFacts:
    """What the assessment needs of a target, whatever store it came from."""

    id: int
    metric: str
    value: float
    unit: str = ""
    comparator: str = "="
    type: str = "level"
    baseline: float | None = None
    baseline_year: int | None = None
    year: int | None = None
    binding: str | None = None


@dataclass(frozen=True)
class Point:
    """One observation in force: ``t`` in year-ends (see the module docstring)."""

    t: float
    value: float
    vintage: str = "final"
    observation_id: int | None = None


@dataclass
class Assessment:
    target_id: int
    status: str
    red: bool = False
    completion: float | None = None
    elapsed: float | None = None
    projected: float | None = None
    projected_share: float | None = None
    ratio: float | None = None
    cagr_observed: float | None = None
    cagr_required: float | None = None
    method: str = ""
    formula: str = ""
    inputs: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    observations: list[dict] = field(default_factory=list)

    def explanation(self) -> dict:
        return {"method": self.method, "formula": self.formula, "inputs": self.inputs, "notes": self.notes,
                "observations": self.observations}


def assess_target(target: TargetFacts, points: list[Point], as_of: float, plan_period: tuple[int, int] | None = None,
                  th: Thresholds | None = None) -> Assessment:
    """Assess one target from the observations in force at ``as_of``.

    ``assess_target(TargetFacts(1, "森林覆盖率", 44, "%", baseline=41.5, baseline_year=2020, year=2025),
    [Point(2022, 42.6), Point(2023, 43.1)], as_of=2023.5)`` → 正常: c = 0.64 < e = 0.70, but R = 1.08 ≥ 0.95
    """
    th = th or Thresholds()
    points = sorted((p for p in points if p.t <= as_of + 1e-9), key=lambda p: p.t)
    notes: list[str] = []
    t0, x0, due, points = _frame(target, points, plan_period, notes)
    a = Assessment(target.id, NO_DATA, notes=notes,
                   observations=[{"t": p.t, "value": p.value, "vintage": p.vintage, "id": p.observation_id} for p in points])
    a.inputs = {"target": target.value, "unit": target.unit, "comparator": target.comparator, "type": target.type,
                "baseline": x0, "baseline_year": t0, "target_year": due, "as_of": as_of, "binding": target.binding}
    if target.type == "annual_growth":
        _growth(a, target, points, t0, due, th)
    elif target.type in ("increase", "decrease") and not _is_decline_share(target):
        _cumulative(a, target, points, t0, due, th)
    else:
        _level(a, target, points, x0, t0, due, th)
    if due is not None and t0 is not None and due > t0:
        a.elapsed = _clip((as_of - t0) / (due - t0))
    a.red = target.binding == "约束性" and a.status in (AT_RISK, OFF_TRACK)
    return a


def _frame(target: TargetFacts, points: list[Point], plan_period, notes: list[str]):
    """Baseline and years, filled from the plan's period and the earliest observation where missing."""
    t0 = target.baseline_year
    if t0 is None and plan_period:
        t0 = plan_period[0] - 1
        notes.append(f"基期年份取规划期（{plan_period[0]}—{plan_period[1]}年）起点前一年：{t0}")
    due = target.year
    if due is None and plan_period:
        due = plan_period[1]
        notes.append(f"目标年份取规划期末：{due}")
    x0 = target.baseline
    if _is_decline_share(target) and x0 is None:
        x0 = INDEX_BASE
        notes.append(f"累计下降{target.value:g}%按以{INDEX_BASE:g}为基数的指数水平折算")
    elif x0 is None and target.type == "level" and points:
        first = points[0]
        x0, t0 = first.value, first.t
        points = points[1:]
        notes.append(f"未给出基期值：以最早观测值（{first.t:g}年 {first.value:g}）为基期")
    return t0, x0, due, points


def _is_decline_share(target: TargetFacts) -> bool:
    return target.type == "decrease" and target.unit == "%"


def _goal_level(target: TargetFacts, x0: float | None) -> float:
    if _is_decline_share(target):
        return (x0 if x0 is not None else INDEX_BASE) * (1 - target.value / 100)
    return target.value


def _meets(value: float, goal: float, comparator: str, direction: float, th: Thresholds) -> bool:
    if comparator == "<=" or comparator == "<":
        return value <= goal + 1e-9
    if comparator == ">=" or comparator == ">":
        return value >= goal - 1e-9
    if comparator == "~":
        return abs(value - goal) <= th.tolerance * abs(goal) + 1e-9
    return value >= goal - 1e-9 if direction >= 0 else value <= goal + 1e-9


def _level(a: Assessment, target: TargetFacts, points: list[Point], x0, t0, due, th: Thresholds) -> None:
    goal = _goal_level(target, x0)
    if _is_decline_share(target):
        points = [Point(p.t, (x0 or INDEX_BASE) * (1 - p.value / 100), p.vintage, p.observation_id) for p in points]
        a.notes.append("观测值按累计降幅（%）折算为指数水平")
    a.inputs["goal_level"] = goal
    if not points:
        a.method, a.formula = "无观测值", "基期之后至少需要一个观测值"
        return
    latest = points[-1]
    a.inputs["latest"] = latest.value
    a.inputs["latest_t"] = latest.t
    direction = (goal - x0) if x0 is not None else 0.0
    if x0 is not None and target.comparator in ("<=", ">=", "<", ">") and _meets(x0, goal, target.comparator, direction, th):
        _pass_fail(a, target, points, goal, t0, due, th)
        return
    if x0 is None or goal == x0:
        _pass_fail(a, target, points, goal, t0, due, th)
        return
    a.method = "按水平值进度评估"
    a.formula = "c = (x − x0)/(xT − x0); e = (t − t0)/(T − t0); p = (x̂(T) − x0)/(xT − x0); R = CAGR_obs/CAGR_req"
    a.completion = (latest.value - x0) / (goal - x0)
    series = [Point(t0, x0)] + points if t0 is not None else points
    if due is not None and len(series) >= 2:
        a.projected = _trend(series, due, th.recency)
        a.projected_share = (a.projected - x0) / (goal - x0)
    if t0 is not None and due is not None and latest.t > t0 and x0 > 0 and goal > 0 and latest.value > 0:
        a.cagr_required = (goal / x0) ** (1 / (due - t0)) - 1
        a.cagr_observed = (latest.value / x0) ** (1 / (latest.t - t0)) - 1
        if abs(a.cagr_required) > 1e-12:
            a.ratio = a.cagr_observed / a.cagr_required
    if _meets(latest.value, goal, target.comparator, direction, th):
        a.status = ACHIEVED
        return
    elapsed = (latest.t - t0) / (due - t0) if t0 is not None and due is not None and due > t0 else None
    a.status = _grade(a.completion, elapsed, [a.ratio, a.projected_share], latest.t, due, th)


def _pass_fail(a: Assessment, target: TargetFacts, points: list[Point], goal: float, t0, due, th: Thresholds) -> None:
    a.method = "逐年观测值及预测值是否达标"
    a.formula = f"every x {target.comparator} {goal:g}, and x̂(T) {target.comparator} {goal:g}"
    direction = 1.0 if target.comparator in (">=", ">", "=") else -1.0
    failed = [p.t for p in points if not _meets(p.value, goal, target.comparator, direction, th)]
    a.inputs["failed_years"] = failed
    if due is not None and len(points) >= 2:
        a.projected = _trend(points, due, th.recency)
    latest_ok = points[-1].t not in failed
    projection_ok = a.projected is None or _meets(a.projected, goal, target.comparator, direction, th)
    if not latest_ok:
        a.status = OFF_TRACK
    elif failed or not projection_ok:
        a.status = AT_RISK
    else:
        a.status = ACHIEVED


def _cumulative(a: Assessment, target: TargetFacts, points: list[Point], t0, due, th: Thresholds) -> None:
    a.method = f"累计{'新增' if target.type == 'increase' else '减少'}量对照目标量"
    a.formula = "c = A(t)/A(T), A the cumulative amount since the baseline; p = Â(T)/A(T)"
    if not points:
        a.method += "（无观测值）"
        return
    latest = points[-1]
    a.inputs["latest"], a.inputs["latest_t"] = latest.value, latest.t
    a.completion = latest.value / target.value if target.value else None
    series = ([Point(t0, 0.0)] if t0 is not None else []) + points
    if due is not None and len(series) >= 2:
        a.projected = _trend(series, due, th.recency)
        a.projected_share = a.projected / target.value if target.value else None
    if _meets(latest.value, target.value, target.comparator if target.comparator != "=" else ">=", 1, th):
        a.status = ACHIEVED
        return
    elapsed = (latest.t - t0) / (due - t0) if t0 is not None and due is not None and due > t0 else None
    a.status = _grade(a.completion, elapsed, [a.projected_share], latest.t, due, th)


def _growth(a: Assessment, target: TargetFacts, points: list[Point], t0, due, th: Thresholds) -> None:
    a.method = "实际年均增速对照目标增速"
    a.formula = "CAGR_obs = (Π(1 + g_i))^(1/n) − 1 over the yearly rates g_i; R = CAGR_obs / CAGR_req"
    yearly = [p for p in points if float(p.t).is_integer()]
    if not yearly:
        a.method += "（无年度增速观测）"
        return
    product = math.prod(1 + p.value / 100 for p in yearly)
    a.cagr_observed = (product ** (1 / len(yearly)) - 1) * 100
    a.cagr_required = target.value
    a.inputs["yearly_rates"] = [p.value for p in yearly]
    a.projected = a.cagr_observed
    if target.comparator in ("<=", "<"):
        a.status = ACHIEVED if all(p.value <= target.value + 1e-9 for p in yearly) else OFF_TRACK
        return
    if target.value:
        a.ratio = a.cagr_observed / target.value
        a.completion = a.ratio
    low = target.value * (1 - th.tolerance) if target.comparator == "~" else target.value
    done = due is not None and yearly[-1].t >= due
    if done:
        a.status = ACHIEVED if a.cagr_observed >= low - 1e-9 else OFF_TRACK
        return
    if len(yearly) < 2 and a.cagr_observed < low:
        a.status = AT_RISK if a.ratio is not None and a.ratio >= th.at_risk else OFF_TRACK
        a.notes.append("仅有一年观测：按该年研判")
        return
    a.status = ON_TRACK if a.cagr_observed >= low - 1e-9 else _band(a.ratio, th)


def _grade(completion, elapsed, measures, latest_t, due, th: Thresholds) -> str:
    if completion is not None and completion < 0:
        return OFF_TRACK  # moving away from the target
    if due is not None and latest_t >= due:
        return OFF_TRACK  # due and not met
    known = [m for m in measures if m is not None]
    if (known and max(known) >= th.on_track) or (completion is not None and elapsed is not None and completion >= elapsed):
        return ON_TRACK
    if not known:
        return NO_DATA if completion is None else AT_RISK
    return _band(max(known), th)


def _band(measure, th: Thresholds) -> str:
    if measure is None:
        return NO_DATA
    if measure >= th.on_track:
        return ON_TRACK
    return AT_RISK if measure >= th.at_risk else OFF_TRACK


def _trend(points: list[Point], at: float, recency: float) -> float:
    """Weighted least squares line through the points, read at ``at``; weight recency^(age in years)."""
    if len(points) == 1:
        return points[0].value
    last = points[-1].t
    w = [recency ** (last - p.t) for p in points]
    sw = sum(w)
    mt = sum(wi * p.t for wi, p in zip(w, points, strict=True)) / sw
    mx = sum(wi * p.value for wi, p in zip(w, points, strict=True)) / sw
    var = sum(wi * (p.t - mt) ** 2 for wi, p in zip(w, points, strict=True))
    if var == 0:
        return mx
    slope = sum(wi * (p.t - mt) * (p.value - mx) for wi, p in zip(w, points, strict=True)) / var
    return mx + slope * (at - mt)


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))
