"""The cn-midterm method: completion share against elapsed share (序时进度), with a trend
projection, as mid-term evaluations of Chinese plans read progress. For a target with base x0
at t0, target xT at T and latest value x at t:

    c = (x − x0) / (xT − x0)            completion share
    e = (t − t0) / (T − t0)             elapsed share (序时进度)
    p = (x̂(T) − x0) / (xT − x0)         projected share, x̂ a recency-weighted trend

    已完成 the latest value meets the target; 逾期未完成 the target year's value misses it;
    正常 c ≥ e, or p ≥ on_track; 需加力 c/e or p ≥ at_risk; 进展有限 below; 倒退 c < 0.

Caps, floors and bands the baseline already meets are judged pass/fail on every year and on
the projection; a growth target's completion is that of the level its rates compound to; an
increase or decrease by an amount compares the cumulative amount.
"""

from __future__ import annotations

import math

from . import status as S
from .frame import EPS, Frame
from .records import Assessment, fmt, pct
from .settings import Thresholds
from .statcan import _goal_text


def _thresholds(th: Thresholds) -> dict:
    return {"on_track": th.on_track, "at_risk": th.at_risk, "recency": th.recency}


def _finish(a: Assessment, code: str, criterion: str) -> Assessment:
    a.code, a.criterion = code, criterion
    return a


def assess_level(a: Assessment, f: Frame, th: Thresholds) -> Assessment:
    a.basis, a.thresholds = "level", _thresholds(th)
    latest = a.latest = f.latest
    if f.held_at_base:
        return _pass_fail(a, f, th)
    if f.due_reached and not f.meets(latest.value):
        return _finish(a, S.OVERDUE, f"目标年（{f.due:g}年）观测值 {fmt(latest.value)} 未达到目标 {_goal_text(f)}")
    if f.meets(latest.value):
        return _finish(a, S.ACHIEVED, f"最新值 {fmt(latest.value)}（{latest.t:g}年）达到目标 {_goal_text(f)}")
    if f.beyond(latest.value):
        return _finish(a, S.ACCELERATE, f"最新值 {fmt(latest.value)} 越过“左右”目标区间 {_goal_text(f)}，偏离目标，需调控回区间")
    span = f.goal - f.x0
    a.completion = (latest.value - f.x0) / span
    a.step("完成度", "c = (x − x0) / (xT − x0)", f"({fmt(latest.value)} − {fmt(f.x0)}) / ({fmt(f.goal)} − {fmt(f.x0)}) = {fmt(a.completion)}")
    series = [(f.t0, f.x0)] + [(p.t, p.value) for p in f.points]
    a.projected = trend(series, f.due, th.recency)
    a.projected_share = (a.projected - f.x0) / span
    a.step("趋势预测", "x̂(T) 加权最小二乘（每早一年权重 × recency）；p = (x̂(T) − x0) / (xT − x0)",
           f"x̂({f.due:g}) = {fmt(a.projected)}；p = {fmt(a.projected_share)}")
    return _grade(a, f, latest.t, th)


def _grade(a: Assessment, f: Frame, t: float, th: Thresholds) -> Assessment:
    e = (t - f.t0) / (f.due - f.t0) if f.due > f.t0 else 1.0
    a.step("序时进度", "e = (t − t0) / (T − t0)", f"({t:g} − {f.t0:g}) / ({f.due:g} − {f.t0:g}) = {fmt(e)}")
    c, p = a.completion, a.projected_share
    if c < 0:
        return _finish(a, S.DETERIORATION, f"完成度 c = {fmt(c)} < 0：背离目标方向")
    if c >= e - EPS:
        return _finish(a, S.ON_TRACK, f"完成度 c = {fmt(c)} ≥ 序时进度 e = {fmt(e)}")
    if p is not None and p >= th.on_track:
        return _finish(a, S.ON_TRACK, f"预测完成度 p = {fmt(p)} ≥ {th.on_track:g}")
    pace = c / e if e > 0 else None
    a.ratio = pace
    best = max(x for x in (pace, p) if x is not None)
    if best >= th.at_risk:
        which = "c/e" if best == pace else "p"
        return _finish(a, S.ACCELERATE, f"{which} = {fmt(best)}，介于 {th.at_risk:g} 与 {th.on_track:g} 之间")
    return _finish(a, S.LIMITED, f"c/e = {fmt(pace)}、p = {fmt(p)} 均低于 {th.at_risk:g}")


def _pass_fail(a: Assessment, f: Frame, th: Thresholds) -> Assessment:
    a.basis = "pass/fail"
    a.breaches = [p.t for p in f.points if not f.meets(p.value)]
    if len(f.points) >= 2 and f.due is not None and not f.due_reached:
        a.projected = trend([(p.t, p.value) for p in f.points], f.due, th.recency)
    a.step("逐年是否达标", f"每个观测值满足 {_goal_text(f)}，且预测值 x̂(T) 满足",
           f"未达标年份：{', '.join(f'{t:g}' for t in a.breaches) or '无'}；x̂(T) = {fmt(a.projected)}")
    latest = f.latest
    if not f.meets(latest.value):
        code = S.OVERDUE if f.due_reached else S.DETERIORATION
        return _finish(a, code, f"基期已达标，最新值 {fmt(latest.value)}（{latest.t:g}年）不满足 {_goal_text(f)}")
    if a.breaches:
        return _finish(a, S.ACCELERATE, f"最新值达标，但 {', '.join(f'{t:g}' for t in a.breaches)} 年曾未达标")
    if a.projected is not None and not f.meets(a.projected):
        return _finish(a, S.ACCELERATE, f"逐年达标，但按趋势 {f.due:g} 年预测值 {fmt(a.projected)} 不满足 {_goal_text(f)}")
    return _finish(a, S.ACHIEVED, f"基期已达标，逐年保持 {_goal_text(f)}")


def assess_growth(a: Assessment, f: Frame, th: Thresholds) -> Assessment:
    a.basis, a.thresholds = "growth", _thresholds(th)
    rates = f.points
    a.latest = rates[-1]
    r, n, years = f.goal / 100, len(rates), f.due - f.t0
    level = math.prod(1 + p.value / 100 for p in rates)
    a.cagr_observed, a.cagr_required = level ** (1 / n) - 1, r
    a.inputs["yearly_rates"] = {f"{p.t:g}": p.value for p in rates}
    a.step("观测年均增速", "CAGR_obs = (Π(1 + g_i))^(1/n) − 1", f"{n} 年：{pct(a.cagr_observed)}")
    obs = a.cagr_observed * 100
    met = f.band[0] - EPS <= obs <= f.band[1] + EPS if f.band else (obs >= f.goal - EPS if f.direction > 0 else obs <= f.goal + EPS)
    if f.due_reached:
        return _finish(a, S.ACHIEVED if met else S.OVERDUE,
                       f"至目标年年均增速 {pct(a.cagr_observed)}{'达到' if met else '未达到'}目标 {_goal_text(f, '%')}")
    if met and (f.band or (f.direction > 0 and r <= 0) or (f.direction < 0 and r >= 0)):
        return _finish(a, S.ON_TRACK, f"年均增速 {pct(a.cagr_observed)} 符合目标 {_goal_text(f, '%')}")
    if f.band and obs > f.band[1]:
        return _finish(a, S.ACCELERATE, f"年均增速 {pct(a.cagr_observed)} 高于“左右”区间上沿 {f.band[1]:g}%，偏离目标")
    total = (1 + r) ** years
    if abs(total - 1) < EPS:
        return _finish(a, S.DETERIORATION, f"零增长目标，年均增速 {pct(a.cagr_observed)} > 0")
    a.completion = (level - 1) / (total - 1)
    a.step("完成度", "c = (Π(1 + g_i) − 1) / ((1 + r)^(T − t0) − 1)", f"({fmt(level)} − 1) / ({fmt(total)} − 1) = {fmt(a.completion)}")
    a.projected = a.cagr_observed
    a.projected_share = ((1 + a.cagr_observed) ** years - 1) / (total - 1)
    return _grade(a, f, f.t0 + n, th)


def assess_cumulative(a: Assessment, f: Frame, th: Thresholds) -> Assessment:
    a.basis, a.thresholds = "cumulative", _thresholds(th)
    latest = a.latest = f.latest
    goal = f.goal
    if latest.value >= goal - EPS:
        return _finish(a, S.ACHIEVED, f"累计 {fmt(latest.value)}{f.target.unit} 达到目标量 {fmt(goal)}{f.target.unit}")
    if f.due_reached:
        return _finish(a, S.OVERDUE, f"至目标年累计 {fmt(latest.value)} 未达到目标量 {fmt(goal)}")
    a.completion = latest.value / goal if goal else None
    a.step("完成度", "c = A(t) / A(T)，A 为自基期起的累计量", f"{fmt(latest.value)} / {fmt(goal)} = {fmt(a.completion)}")
    if a.completion is None or f.t0 is None or f.due is None:
        return _finish(a, S.NO_DATA, "缺少目标量或年份，无法计算序时进度")
    a.projected = trend([(f.t0, 0.0)] + [(p.t, p.value) for p in f.points], f.due, th.recency)
    a.projected_share = a.projected / goal
    a.step("趋势预测", "Â(T)，p = Â(T) / A(T)", f"Â({f.due:g}) = {fmt(a.projected)}；p = {fmt(a.projected_share)}")
    return _grade(a, f, latest.t, th)


def trend(points: list[tuple[float, float]], at: float, recency: float) -> float:
    """Weighted least squares line through the points, read at ``at``; weight recency^(age in years)."""
    if len(points) == 1:
        return points[0][1]
    last = points[-1][0]
    w = [recency ** (last - t) for t, _ in points]
    sw = sum(w)
    mt = sum(wi * t for wi, (t, _) in zip(w, points, strict=True)) / sw
    mx = sum(wi * x for wi, (_, x) in zip(w, points, strict=True)) / sw
    var = sum(wi * (t - mt) ** 2 for wi, (t, _) in zip(w, points, strict=True))
    if var == 0:
        return mx
    slope = sum(wi * (t - mt) * (x - mx) for wi, (t, x) in zip(w, points, strict=True)) / var
    return mx + slope * (at - mt)
