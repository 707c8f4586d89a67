"""The parts of a bulletin that gather rows across items: per department what it reported on
its late or flagged items (quarterly, annual), per chapter what departments reported
(mid-term and after), and per target the final evaluation's verdict with its gap."""

from __future__ import annotations

import math

from ..assess.records import ExplainedInputs, Explanation
from .records import (
    LATE,
    NOT_ON_TRACK_CODES,
    ChapterNarrative,
    DepartmentReports,
    FlaggedItem,
    TargetRow,
    TaskRow,
    Unit,
    Verdict,
)

UNASSIGNED = "未分配"


def department_reports(targets: tuple[TargetRow, ...], tasks: tuple[TaskRow, ...]) -> tuple[DepartmentReports, ...]:
    """Each lead department's late tasks and off-track or red-flagged targets, with what it
    reported on each this period (none: the item says so), departments in name order."""
    grouped: dict[str, list[FlaggedItem]] = {}
    for t in tasks:
        if t.status in LATE:
            grouped.setdefault(t.lead or UNASSIGNED, []).append(FlaggedItem(t.ref, t.title, t.status, t.reason, t.reports))
    for t in targets:
        if t.code in NOT_ON_TRACK_CODES or t.red or t.behind_plan:
            why = ("约束性指标红色预警；" if t.red else "") + (f"低于年度计划（{t.behind_plan}）；" if t.behind_plan else "") + t.criterion
            grouped.setdefault(t.lead or UNASSIGNED, []).append(FlaggedItem(t.ref, t.metric, t.status, why, t.reports))
    return tuple(DepartmentReports(name, tuple(items)) for name, items in sorted(grouped.items()))


def chapter_narratives(chapters: tuple[Unit, ...], targets: tuple[TargetRow, ...],
                       tasks: tuple[TaskRow, ...]) -> tuple[ChapterNarrative, ...]:
    """Per chapter (in the plan's order), the latest approved report on each of its items."""
    by_chapter: dict[str, list] = {}
    for item in (*targets, *tasks):
        by_chapter.setdefault(item.chapter, []).extend(item.reports)
    return tuple(ChapterNarrative(u.name, u.light, tuple(by_chapter.get(u.name, ()))) for u in chapters)


def verdicts(targets: tuple[TargetRow, ...], assessed: list[dict]) -> tuple[Verdict, ...]:
    """Final evaluation (总结评估): each target achieved or not at the plan's end, with the gap in
    the target's own unit (how far short of the goal, or of the nearer edge of a 左右 band)."""
    inputs = {t["ref"]: Explanation.from_dict(t["explanation"]).inputs for t in assessed}
    return tuple(_verdict(t, inputs.get(t.ref)) for t in targets)


def _verdict(t: TargetRow, inp: ExplainedInputs | None) -> Verdict:
    achieved = None if t.code == "no_data" else t.code == "achieved"
    value, year = _final_value(t)
    gap = None
    if achieved is False and value is not None:
        gap = _gap(t, inp, value)
    return Verdict(t.ref, t.metric, t.target_text, t.binding, value, year, achieved, gap, t.status, t.cites)


def _final_value(t: TargetRow) -> tuple[float | None, int | None]:
    """The figure the verdict rests on: a growth target's compound average of its counted yearly
    rates, any other target's judged observation."""
    if t.type == "annual_growth":
        rates = [o.value for o in t.observations if t.year is None or o.year <= t.year]
        if not rates:
            return None, None
        growth = math.prod(1 + r / 100 for r in rates) ** (1 / len(rates)) - 1
        return round(growth * 100, 4), t.observations[-1].year
    return (t.latest.value, t.latest.year) if t.latest else (None, None)


def _gap(t: TargetRow, inp: ExplainedInputs | None, value: float) -> float | None:
    if inp and inp.band:
        low, high = inp.band
        return round(low - value if value < low else value - high if value > high else 0.0, 6)
    goal = t.value if t.type == "annual_growth" or inp is None or inp.goal_level is None else inp.goal_level
    if goal is None:
        return None
    direction = (inp.direction if inp else 0) or (-1 if t.comparator in ("<=", "<") else 1)
    return round((goal - value) * direction, 6)
