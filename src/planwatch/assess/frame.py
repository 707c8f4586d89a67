"""The frame of a target's assessment: base year and value, target year, the desired
direction, the level to reach, and which observations count.

Only observations after the base year and up to the target year count toward a target; later
ones are kept apart (``after``) and shown as after the deadline, so a target missed in its year
stays missed whatever came later. Missing years and baselines are filled the way the
Statistics Canada method does (the base value is the base year's observation, or the next
available one), and every filling leaves a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import Point, TargetFacts, fmt
from .settings import Thresholds

EPS = 1e-9
# An index level for 累计下降X% targets with no stated baseline: the decline is measured from 100.
INDEX_BASE = 100.0
UP_COMPARATORS, DOWN_COMPARATORS = (">=", ">"), ("<=", "<")


@dataclass
class Frame:
    target: TargetFacts
    kind: str  # level / growth / cumulative / monitor
    t0: float | None
    x0: float | None
    due: float | None
    goal: float | None  # the level to reach; for growth the yearly rate in %
    band: tuple[float, float] | None  # a 左右 target's band around ``goal``
    direction: int  # +1 the desired values are higher, −1 lower
    points: list[Point] = field(default_factory=list)
    after: list[Point] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def due_reached(self) -> bool:
        """The target year's own observation is in: the verdict is final."""
        return self.due is not None and self.latest is not None and self.latest.t >= self.due - EPS

    def meets(self, value: float) -> bool:
        if self.band:
            return self.band[0] - EPS <= value <= self.band[1] + EPS
        return value >= self.goal - EPS if self.direction > 0 else value <= self.goal + EPS

    def beyond(self, value: float) -> bool:
        """Past a 左右 band on the far side: overshot, not short."""
        if not self.band:
            return False
        return value > self.band[1] + EPS if self.direction > 0 else value < self.band[0] - EPS

    @property
    def held_at_base(self) -> bool:
        """A cap, floor or band the baseline already meets (or a target equal to the baseline):
        the question is whether it still holds, not how fast it is approached."""
        return self.x0 is not None and self.goal is not None and self.kind == "level" and self.meets(self.x0)


def is_decline_share(target: TargetFacts) -> bool:
    return target.type == "decrease" and target.unit == "%"


def kind_of(target: TargetFacts) -> str:
    if target.value is None or target.type == "monitor":
        return "monitor"
    if target.type == "annual_growth":
        return "growth"
    if target.type in ("increase", "decrease") and not is_decline_share(target):
        return "cumulative"
    return "level"


def build_frame(target: TargetFacts, points: list[Point], as_of: float, plan_period: tuple[int, int] | None,
                th: Thresholds) -> Frame:
    """``build_frame(TargetFacts(1, "森林覆盖率", 44, "%", baseline=41.5, baseline_year=2020, year=2025),
    [Point(2020, 41.4), Point(2022, 42.6), Point(2026, 44.5)], 2026, None, Thresholds())`` → t0 2020, x0 41.5,
    points [2022], after [2026]"""
    kind = kind_of(target)
    notes: list[str] = []
    t0, due = _years(target, kind, plan_period, notes)
    points = sorted((p for p in points if p.t <= as_of + EPS), key=lambda p: p.t)
    x0 = target.baseline
    if is_decline_share(target):
        x0 = INDEX_BASE if x0 is None else x0
        notes.append(f"累计下降{target.value:g}%按以{x0:g}为基数的指数水平折算，观测值（累计降幅%）同样折算")
        points = [Point(p.t, x0 * (1 - p.value / 100), p.vintage, p.observation_id) for p in points]
    after = [p for p in points if due is not None and p.t > due + EPS]
    points = [p for p in points if due is None or p.t <= due + EPS]
    if after:
        notes.append(f"目标年份（{due:g}年）之后的观测值 {', '.join(f'{p.t:g}年 {p.value:g}' for p in after)} 不计入评估，仅列示")
    if kind == "growth":
        points = _growth_window(points, t0, notes)
    elif t0 is not None:
        x0, t0, points = _base(points, x0, t0, kind, notes)
    elif x0 is None and points and kind != "cumulative":
        first, points = points[0], points[1:]
        x0, t0 = first.value, first.t
        notes.append(f"未给出基期：以最早观测值（{first.t:g}年 {first.value:g}）为基期")
    goal = _goal(target, x0)
    band = None
    if target.comparator == "~" and goal is not None:
        band = (goal - th.tolerance * abs(goal), goal + th.tolerance * abs(goal))
    direction = _direction(target, kind, goal, x0, notes)
    return Frame(target, kind, t0, x0, due, goal, band, direction, points, after, notes)


def _years(target: TargetFacts, kind: str, plan_period, notes: list[str]) -> tuple[float | None, float | None]:
    t0 = target.baseline_year
    if t0 is None and plan_period:
        t0 = plan_period[0] - 1
        notes.append(f"基期年份取规划期（{plan_period[0]}—{plan_period[1]}年）起点前一年：{t0}")
    due = target.year
    if due is None and plan_period and kind != "monitor":
        due = plan_period[1]
        notes.append(f"目标年份取规划期末：{due}")
    return t0, due


def _growth_window(points: list[Point], t0, notes: list[str]) -> list[Point]:
    """Yearly rates of the years after the base year; the base year's own rate describes the
    previous plan, and part-year (quarterly cumulative) rates are not a year's growth."""
    yearly = [p for p in points if float(p.t).is_integer()]
    if len(yearly) < len(points):
        notes.append("季度/半年累计增速不计入年均增速")
    inside = [p for p in yearly if t0 is None or p.t > t0 + EPS]
    if len(inside) < len(yearly):
        notes.append(f"基期年（{t0:g}年）及以前的增速不计入")
    return inside


def _base(points: list[Point], x0, t0, kind: str, notes: list[str]):
    """The base value and year, and the observations after the base year."""
    at_base = [p for p in points if abs(p.t - t0) <= EPS]
    later = [p for p in points if p.t > t0 + EPS]
    if x0 is not None or kind == "cumulative":
        return x0, t0, later
    if at_base:
        notes.append(f"未给出基期值：取基期年（{t0:g}年）观测值 {fmt(at_base[-1].value)}")
        return at_base[-1].value, t0, later
    if later:
        # Statistics Canada: a base year without data moves to the next year with data.
        first = later[0]
        notes.append(f"未给出基期值，基期年（{t0:g}年）无观测：以其后最早观测值（{first.t:g}年 {fmt(first.value)}）为基期")
        return first.value, first.t, later[1:]
    return None, t0, []


def _goal(target: TargetFacts, x0: float | None) -> float | None:
    if target.value is None:
        return None
    if is_decline_share(target):
        return (x0 if x0 is not None else INDEX_BASE) * (1 - target.value / 100)
    return target.value


def _direction(target: TargetFacts, kind: str, goal, x0, notes: list[str]) -> int:
    if target.comparator in UP_COMPARATORS:
        return 1
    if target.comparator in DOWN_COMPARATORS:
        return -1
    if kind == "growth":
        if goal == 0:
            notes.append("零增长目标：年均增速不高于0即达标")
            return -1
        return 1 if goal > 0 else -1
    if kind == "cumulative" or is_decline_share(target):
        return -1 if is_decline_share(target) else 1
    if goal is not None and x0 is not None and goal != x0:
        return 1 if goal > x0 else -1
    if goal is not None and x0 is not None:
        notes.append("目标值与基期值相同：视为保持目标（不低于基期水平）")
    return 1
