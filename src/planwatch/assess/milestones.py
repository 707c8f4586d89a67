"""Annual milestones: interpolated planned values, and each year's figure against its milestone.

A target on track for its final year can still be behind its annual plan (the year's planned
value): that is flagged as behind plan (低于年度计划) beside the status, which follows the method.

Interpolation, from the base year's value x0 to the goal in the target year (t0 < y ≤ due):
- ``linear``:   x0 + (goal − x0) · (y − t0) / (due − t0)
- ``compound``: x0 · (goal / x0) ^ ((y − t0) / (due − t0)), both positive (else linear);
- a yearly growth target plans its rate in every year, a cumulative one (新增…) its share of the
  goal in proportion to the years elapsed; a monitoring indicator has no milestones.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from ..store.assessments import assessment_inputs
from ..store.milestones import MilestoneInput, set_milestones
from .frame import EPS, build_frame, is_decline_share
from .records import Point, TargetFacts
from .settings import Thresholds

METHODS = ("linear", "compound")


@dataclass(frozen=True)
class MilestoneCheck:
    """The latest counted yearly figure against its year's planned value."""

    year: int
    planned: float
    observed: float
    behind: bool
    gap: float  # observed − planned, in the target's unit

    @property
    def text(self) -> str:
        word = "低于" if self.behind else "达到"
        return f"{self.year}年实际 {self.observed:g}，{word}年度计划 {self.planned:g}"

    def as_dict(self) -> dict:
        return {"year": self.year, "planned": self.planned, "observed": self.observed, "behind": self.behind, "gap": self.gap,
                "text": self.text}


def interpolate(target: TargetFacts, points: list[Point], plan_period: tuple[int, int] | None, method: str = "linear",
                th: Thresholds | None = None) -> tuple[dict[int, float], str]:
    """Planned values by year and the method used (``"linear"`` when ``compound`` cannot apply);
    ``({}, reason)`` when the target has no path to interpolate."""
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {', '.join(METHODS)}")
    frame = build_frame(target, points, float("inf"), plan_period, th or Thresholds())
    if frame.kind == "monitor" or frame.goal is None or frame.due is None:
        return {}, "没有数值目标或目标年份"
    due = int(frame.due)
    if frame.kind == "growth":
        start = int(frame.t0) + 1 if frame.t0 is not None else (plan_period[0] if plan_period else due)
        return {y: frame.goal for y in range(start, due + 1)}, "growth"
    if frame.kind == "cumulative":
        if frame.t0 is None or due <= frame.t0:
            return {}, "没有基期年份"
        t0 = int(frame.t0)
        return {y: round(frame.goal * (y - t0) / (due - t0), 6) for y in range(t0 + 1, due + 1)}, "linear"
    if is_decline_share(target) or frame.x0 is None or frame.t0 is None or due <= frame.t0:
        return {}, "没有基期值"
    x0, t0, goal = frame.x0, int(frame.t0), frame.goal
    if method == "compound" and x0 > 0 and goal > 0:
        return {y: round(x0 * (goal / x0) ** ((y - t0) / (due - t0)), 6) for y in range(t0 + 1, due + 1)}, "compound"
    return {y: round(x0 + (goal - x0) * (y - t0) / (due - t0), 6) for y in range(t0 + 1, due + 1)}, "linear"


def check(target: TargetFacts, points: list[Point], planned: dict[int, float], as_of: float,
          plan_period: tuple[int, int] | None, th: Thresholds) -> MilestoneCheck | None:
    """The latest yearly observation (up to ``as_of`` and the target year) that has a planned value."""
    if not planned or target.value is None or target.type == "monitor":
        return None
    frame = build_frame(target, points, as_of, plan_period, th)
    due = frame.due if frame.due is not None else float("inf")
    yearly = [p for p in points if float(p.t).is_integer() and p.t <= as_of + EPS and p.t <= due + EPS and int(p.t) in planned]
    if not yearly:
        return None
    latest = max(yearly, key=lambda p: p.t)
    goal = planned[int(latest.t)]
    # A 左右 target's milestone is a band as wide as the target's: behind is short of its near edge.
    slack = th.tolerance * abs(goal) if target.comparator == "~" else 0.0
    behind = latest.value < goal - slack - EPS if frame.direction > 0 else latest.value > goal + slack + EPS
    return MilestoneCheck(int(latest.t), goal, latest.value, behind, round(latest.value - goal, 6))


def interpolate_plan(engine: Engine, plan: str, method: str = "linear", refs: list[str] | None = None,
                     replace: bool = False, actor: str | None = None) -> dict:
    """Interpolate milestones for a plan's targets and store them (one transaction, audited).
    Targets that already have milestones keep them unless ``replace``."""
    from .run import target_facts, target_points

    data = assessment_inputs(engine, plan, "2100")
    facts = data["plan"]
    th = Thresholds.from_dict(facts["settings"])
    wanted = {r.upper() for r in refs} if refs else None
    values, skipped = [], []
    for t in data["targets"]:
        if wanted is not None and t["ref"].upper() not in wanted:
            continue
        if t["milestones"] and not replace:
            skipped.append({"ref": t["ref"], "reason": "已有年度计划值（--replace 覆盖）"})
            continue
        planned, used = interpolate(target_facts(t, facts), target_points(t), facts["period"], method, th)
        if not planned:
            skipped.append({"ref": t["ref"], "reason": used})
            continue
        source = method if used == "growth" else used
        values += [MilestoneInput(t["ref"], y, v, source) for y, v in planned.items()]
    stored = set_milestones(engine, values, method, f"interpolated ({method})", actor=actor) if values else \
        {"added": 0, "changed": 0, "targets": 0}
    return {**stored, "method": method, "skipped": skipped}
