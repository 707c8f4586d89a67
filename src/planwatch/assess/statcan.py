"""The Statistics Canada progress measure, as Open SDG implements it (sdg-build's
ProgressMeasure), applied to a frame (frame.py).

With a numeric target, from the base year t0 to the latest year t and the target year T:

    CAGR_obs = (x_t / x_0)^(1/(t − t0)) − 1        CAGR_req = (x_T / x_0)^(1/(T − t0)) − 1
    R = s · d · CAGR_obs / |CAGR_req|               s = −1 for a negative base value, d the direction

    target achieved when x_t meets the target; else R ≥ 0.95 on track, ≥ 0.60 needs
    acceleration, ≥ 0 limited progress, < 0 deterioration.

Without a numeric target, the observed CAGR in the desired direction s · d · CAGR_obs against
1.5% / 0.5% / 0, each scaled by C = 1 − (x0/lim)^4.44 near a natural limit lim.

Like Open SDG: a zero base value or target is taken as 0.001; base and latest value of
opposite signs, or less than a year between them, cannot be assessed. A cap or floor the base
already meets is achieved while it holds, and its breach makes R negative (deterioration).
planwatch adds what plans need and the method leaves open: the target year's observation is
final (逾期未完成 when it misses), a 左右 target is met inside its band, and a growth target is
the level its yearly rates compound to.
"""

from __future__ import annotations

import math

from . import status as S
from .frame import EPS, Frame
from .records import Assessment, fmt, pct
from .settings import Thresholds

ZERO_STANDIN = 0.001  # Open SDG's stand-in for a zero base value or target
LIMIT_EXPONENT = 4.44  # Open SDG's exponent of the scaling factor C near a natural limit


def grade_ratio(r: float, th: Thresholds) -> str:
    if r >= th.on_track:
        return S.ON_TRACK
    if r >= th.at_risk:
        return S.ACCELERATE
    return S.LIMITED if r >= 0 else S.DETERIORATION


def ratio_score(r: float) -> float:
    """Open SDG's score (−5 … 5) of a ratio: 2.5 at R = 0.95, 0 at 0.60, −2.5 at 0."""
    return min(7.1429 * r - 4.2857, 5) if r >= 0.6 else max(4.1667 * r - 2.5, -5)


def cagr(x: float, x0: float, years: float) -> float:
    return (x / x0) ** (1 / years) - 1


def limit_coefficient(x0: float, limit: float) -> float:
    """C: 1 far from the limit, falling to 0 as the base value reaches it."""
    base, lim = abs(x0), abs(limit)
    if base >= 2 * lim:
        return 1.0
    if base <= lim:
        return 1 - (base / lim) ** LIMIT_EXPONENT
    return 1 - ((2 * lim - base) / lim) ** LIMIT_EXPONENT


def _ratio_thresholds(th: Thresholds) -> dict:
    return {"on_track": th.on_track, "at_risk": th.at_risk, "limited": 0.0}


def _finish(a: Assessment, code: str, criterion: str) -> Assessment:
    a.code, a.criterion = code, criterion
    return a


def _usable(a: Assessment, f: Frame) -> tuple[float, float] | None:
    """Base and latest value the method can take, or None with the reason as the status."""
    latest = f.latest
    if latest.t - f.t0 < 1 - EPS:
        _finish(a, S.NO_DATA, f"最新观测（{latest.t:g}年）距基期（{f.t0:g}年）不足一年：本方法需要至少两个年度数据点")
        return None
    x0 = f.x0
    if x0 == 0:
        x0 = ZERO_STANDIN
        a.notes.append(f"基期值为0，按方法以{ZERO_STANDIN}代替")
    if (x0 > 0 > latest.value) or (x0 < 0 < latest.value):
        _finish(a, S.NO_DATA, f"基期值 {fmt(x0)} 与最新值 {fmt(latest.value)} 符号相反：复合增长率无定义，本方法不适用")
        return None
    return x0, latest.value


def assess_level(a: Assessment, f: Frame, th: Thresholds) -> Assessment:
    a.basis, a.thresholds = "level", _ratio_thresholds(th)
    latest = a.latest = f.latest
    a.breaches = [p.t for p in f.points if not f.meets(p.value)] if f.held_at_base else []
    if f.due_reached and not f.meets(latest.value):
        return _finish(a, S.OVERDUE, f"目标年（{f.due:g}年）观测值 {fmt(latest.value)} 未达到目标 {_goal_text(f)}")
    if f.meets(latest.value):
        held = "（基期已达标，至今保持）" if f.held_at_base and not a.breaches else ""
        return _finish(a, S.ACHIEVED, f"最新值 {fmt(latest.value)}（{latest.t:g}年）达到目标 {_goal_text(f)}{held}")
    if f.held_at_base and f.band:
        return _finish(a, S.DETERIORATION, f"基期值 {fmt(f.x0)} 已在目标区间内，最新值 {fmt(latest.value)} 离开区间 {_goal_text(f)}")
    if f.beyond(latest.value):
        return _finish(a, S.ACCELERATE, f"最新值 {fmt(latest.value)} 越过“左右”目标区间 {_goal_text(f)}，偏离目标，需调控回区间")
    values = _usable(a, f)
    if values is None:
        return a
    x0, x = values
    goal = f.goal if f.goal != 0 else ZERO_STANDIN
    if (goal > 0) != (x0 > 0):
        return _finish(a, S.NO_DATA, f"目标值 {fmt(f.goal)} 与基期值 {fmt(x0)} 符号相反：所需增长率无定义，本方法不适用")
    sign = -1 if x0 < 0 else 1
    a.cagr_observed = cagr(x, x0, latest.t - f.t0)
    a.cagr_required = cagr(goal, x0, f.due - f.t0)
    a.step("观测年均增长率", "CAGR_obs = (x_t / x_0)^(1/(t − t0)) − 1",
           f"({fmt(x)} / {fmt(x0)})^(1/({latest.t:g} − {f.t0:g})) − 1 = {pct(a.cagr_observed)}")
    a.step("所需年均增长率", "CAGR_req = (x_T / x_0)^(1/(T − t0)) − 1",
           f"({fmt(goal)} / {fmt(x0)})^(1/({f.due:g} − {f.t0:g})) − 1 = {pct(a.cagr_required)}")
    if abs(a.cagr_required) < EPS:
        return _finish(a, S.DETERIORATION, f"保持型目标（目标值等于基期值 {fmt(f.x0)}），最新值 {fmt(x)} 未保持")
    return _by_ratio(a, sign * f.direction * a.cagr_observed / abs(a.cagr_required), sign, f.direction, th)


def _by_ratio(a: Assessment, r: float, sign: int, direction: int, th: Thresholds) -> Assessment:
    a.ratio, a.score = r, ratio_score(r)
    a.step("进展比", "R = s · d · CAGR_obs / |CAGR_req|",
           f"{sign:+d} × {direction:+d} × {pct(a.cagr_observed)} / {pct(abs(a.cagr_required))} = {fmt(r)}")
    code = grade_ratio(r, th)
    rule = {S.ON_TRACK: f"R = {fmt(r)} ≥ {th.on_track:g}", S.ACCELERATE: f"{th.at_risk:g} ≤ R = {fmt(r)} < {th.on_track:g}",
            S.LIMITED: f"0 ≤ R = {fmt(r)} < {th.at_risk:g}", S.DETERIORATION: f"R = {fmt(r)} < 0"}[code]
    return _finish(a, code, rule)


def assess_growth(a: Assessment, f: Frame, th: Thresholds) -> Assessment:
    """A yearly-rate target: the rates compound to a level L = Π(1 + g_i), the target to
    L_T = (1 + r)^(T − t0); the method runs on that level from L_0 = 1."""
    a.basis, a.thresholds = "growth", _ratio_thresholds(th)
    rates = f.points
    a.latest = rates[-1]
    r = f.goal / 100
    level = math.prod(1 + p.value / 100 for p in rates)
    a.cagr_observed, a.cagr_required = level ** (1 / len(rates)) - 1, r
    a.inputs["yearly_rates"] = {f"{p.t:g}": p.value for p in rates}
    a.step("观测年均增速", "CAGR_obs = (Π(1 + g_i))^(1/n) − 1",
           f"({' × '.join(f'{1 + p.value / 100:.4f}' for p in rates)})^(1/{len(rates)}) − 1 = {pct(a.cagr_observed)}")
    obs = a.cagr_observed * 100
    met = f.band[0] - EPS <= obs <= f.band[1] + EPS if f.band else (obs >= f.goal - EPS if f.direction > 0 else obs <= f.goal + EPS)
    goal_text = _goal_text(f, "%")
    if f.due_reached:
        code = S.ACHIEVED if met else S.OVERDUE
        return _finish(a, code, f"至目标年（{f.due:g}年）年均增速 {pct(a.cagr_observed)}{'达到' if met else '未达到'}目标 {goal_text}")
    if f.band:
        if met:
            return _finish(a, S.ON_TRACK, f"年均增速 {pct(a.cagr_observed)} 在目标区间 {goal_text} 内")
        if obs > f.band[1]:
            return _finish(a, S.ACCELERATE, f"年均增速 {pct(a.cagr_observed)} 高于“左右”区间上沿 {f.band[1]:g}%，偏离目标")
    elif (f.direction > 0 and r <= 0) or (f.direction < 0 and r >= 0):  # a floor or cap no growth already meets
        if met:
            return _finish(a, S.ON_TRACK, f"年均增速 {pct(a.cagr_observed)} 符合目标 {goal_text}")
        if r == 0:
            return _finish(a, S.DETERIORATION, f"零增长目标，年均增速 {pct(a.cagr_observed)} > 0")
    elif f.due is not None and f.t0 is not None:
        total = (1 + r) ** (f.due - f.t0)
        if (level - total) * f.direction >= -EPS:
            return _finish(a, S.ACHIEVED, f"累计增长 {fmt(level)} 已达目标期末水平 (1 + r)^(T − t0) = {fmt(total)}")
    return _by_ratio(a, f.direction * a.cagr_observed / abs(r), 1, f.direction, th)


def assess_no_target(a: Assessment, f: Frame, th: Thresholds) -> Assessment:
    """A monitoring indicator: the observed CAGR in the desired direction against fixed rates."""
    a.basis = "no target"
    a.latest = f.latest
    values = _usable(a, f)
    coeff = limit_coefficient(f.x0, f.target.limit) if f.target.limit is not None else 1.0
    a.thresholds = {"high": th.growth_high * coeff, "med": th.growth_med * coeff, "low": 0.0, "C": coeff}
    if values is None:
        return a
    x0, x = values
    sign = -1 if x0 < 0 else 1
    a.cagr_observed = cagr(x, x0, f.latest.t - f.t0)
    g = sign * f.direction * a.cagr_observed
    a.ratio = g
    a.step("观测年均增长率（按期望方向）", "CAGR = s · d · ((x_t / x_0)^(1/(t − t0)) − 1)",
           f"{sign:+d} × {f.direction:+d} × (({fmt(x)} / {fmt(x0)})^(1/({f.latest.t:g} − {f.t0:g})) − 1) = {pct(g)}")
    if f.target.limit is not None:
        a.step("临界缩放系数", "C = 1 − (x_0 / lim)^4.44", f"极限 {fmt(f.target.limit)}：C = {fmt(coeff)}")
    high, med = a.thresholds["high"], a.thresholds["med"]
    a.score = _growth_score(g, high, med, coeff)
    if g >= high:
        return _finish(a, S.ON_TRACK, f"CAGR = {pct(g)} ≥ {pct(high)}")
    if g >= med:
        return _finish(a, S.ACCELERATE, f"{pct(med)} ≤ CAGR = {pct(g)} < {pct(high)}")
    if g >= 0:
        return _finish(a, S.LIMITED, f"0 ≤ CAGR = {pct(g)} < {pct(med)}")
    return _finish(a, S.DETERIORATION, f"CAGR = {pct(g)} < 0")


def _growth_score(g: float, high: float, med: float, coeff: float) -> float:
    if g < 0:
        return max(125 * g - 2.5, -5)
    if coeff == 0:
        return 5.0
    if g >= high:
        return min(500 * g / coeff - 5, 5)
    return 250 * g / coeff - 1.25 if g >= med else 500 * g / coeff - 2.5


def _goal_text(f: Frame, unit: str | None = None) -> str:
    unit = f.target.unit if unit is None else unit
    if f.band:
        return f"{fmt(f.goal)}{unit}左右（{fmt(f.band[0])}—{fmt(f.band[1])}）"
    return f"{'≥' if f.direction > 0 else '≤'} {fmt(f.goal)}{unit}"
