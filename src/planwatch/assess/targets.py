"""Is a target on track? The plan's method (``Thresholds.method``) decides:

    statcan     the Statistics Canada / Open SDG progress measure (statcan.py)
    cn-midterm  completion share against elapsed share, with the projection (midterm.py)

Time runs in year-ends: 2020 is the end of 2020 (a five-year plan's baseline), 2023.5 the end
of 2024Q2. frame.py sets the base year and value, the target year, the desired direction and
the observations that count (base year .. target year). Monitoring indicators without a
numeric target take the no-target measure of the statcan method under either method; an
increase or decrease by an amount (a cumulative quantity from zero, which a growth rate cannot
measure) is judged by completion against elapsed share under either method, and says so.

Every assessment names its method and the criterion that decided its status, and carries each
formula with its numbers filled in (``Assessment.steps``).
"""

from __future__ import annotations

from . import midterm, statcan
from . import status as S
from .frame import build_frame
from .records import Assessment, Point, TargetFacts
from .settings import Thresholds
from .status import STATUS_ORDER

__all__ = ["STATUS_ORDER", "Assessment", "Point", "TargetFacts", "assess_target"]

METHOD_NAMES = {"statcan": "统计加拿大/Open SDG进展测度（statcan）", "cn-midterm": "完成进度对照序时进度（cn-midterm）"}


def assess_target(target: TargetFacts, points: list[Point], as_of: float, plan_period: tuple[int, int] | None = None,
                  th: Thresholds | None = None) -> Assessment:
    """Assess one target from the observations in force at ``as_of``.

    ``assess_target(TargetFacts(1, "森林覆盖率", 44, "%", baseline=41.5, baseline_year=2020, year=2025),
    [Point(2022, 42.6), Point(2023, 43.1)], as_of=2023.5)`` → 正常 (statcan: R = 1.24/1.18 ≥ 0.95)
    """
    th = th or Thresholds()
    f = build_frame(target, points, as_of, plan_period, th)
    a = Assessment(target.id, "", method=th.method, notes=f.notes,
                   observations=[_obs(p) for p in f.points], after_deadline=[_obs(p) for p in f.after])
    a.inputs = {"target": target.value, "unit": target.unit, "comparator": target.comparator, "type": target.type,
                "baseline": f.x0, "baseline_year": f.t0, "target_year": f.due, "goal_level": f.goal, "band": f.band,
                "direction": f.direction, "as_of": as_of, "binding": target.binding, "limit": target.limit}
    _dispatch(a, f, th)
    if a.latest is not None:
        a.inputs["latest"], a.inputs["latest_t"] = a.latest.value, a.latest.t
    if f.due is not None and f.t0 is not None and f.due > f.t0:
        a.elapsed = max(0.0, min(1.0, (as_of - f.t0) / (f.due - f.t0)))
    a.status = S.label_map(th.labels)[a.code]
    a.red = target.binding == "约束性" and a.code in S.NOT_ON_TRACK
    return a


def _obs(p: Point) -> dict:
    return {"t": p.t, "value": p.value, "vintage": p.vintage, "id": p.observation_id}


def _dispatch(a: Assessment, f, th: Thresholds) -> None:
    missing = _missing(f)
    if missing and _met_at_only_observation(f, th):
        # Open SDG rates a series whose only data point meets the target as achieved.
        a.latest = Point(f.t0, f.x0)
        a.code, a.criterion = S.ACHIEVED, f"唯一观测值（{f.t0:g}年 {f.x0:g}）已达到目标"
        return
    if missing:
        a.code, a.criterion = S.NO_DATA, missing
        return
    if f.kind == "monitor":
        a.method = "statcan"
        a.notes.append("无数值目标的监测指标：按统计加拿大方法的无目标测度评估")
        statcan.assess_no_target(a, f, th)
    elif f.kind == "cumulative":
        if th.method == "statcan":
            a.method = "cn-midterm"
            a.notes.append("累计新增/减少量自基期零值起算，复合增长率无从计算：statcan 方法不适用，本项按完成进度对照序时进度评估")
        midterm.assess_cumulative(a, f, th)
    elif f.kind == "growth":
        (statcan if th.method == "statcan" else midterm).assess_growth(a, f, th)
    else:
        (statcan if th.method == "statcan" else midterm).assess_level(a, f, th)


def _met_at_only_observation(f, th: Thresholds) -> bool:
    """The base came from the only observation (no baseline was given) and meets a level target."""
    return (th.method == "statcan" and not f.points and f.kind == "level" and f.target.baseline is None
            and f.x0 is not None and f.goal is not None and f.meets(f.x0))


def _missing(f) -> str:
    """Why the frame cannot be assessed, or ''."""
    if not f.points:
        if f.kind != "growth" and f.target.baseline is None and f.x0 is not None:
            return f"仅有一个观测值（{f.t0:g}年 {f.x0:g}），已作为基期：至少还需一个后续观测值"
        if f.after:
            return "基期至目标年之间无观测值（其后的观测值已过目标年，不计入）"
        return "基期之后至目标年尚无观测值" if f.kind != "growth" else "基期之后至目标年尚无年度增速观测值"
    if f.kind == "growth":
        return "" if f.t0 is not None and f.due is not None else "缺少基期或目标年份"
    if f.t0 is None or f.x0 is None and f.kind != "cumulative":
        return "缺少基期值或基期年份"
    if f.kind in ("level", "cumulative") and f.due is None:
        return "缺少目标年份"
    return ""
