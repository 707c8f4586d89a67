"""Is a named project (重大项目) on schedule? Judged from its approved progress reports against
its schedule: the milestones it should have reached by now and the investment it should have
completed. The statuses are the tasks' (``tasks.py``), so projects roll up beside them.

    已完成  completed   reported 竣工 or 投用, 已完成 or 100%
    逾期    overdue     its planned completion (竣工) has passed and it is not completed
    未报送  not reported no approved report for the period assessed
    滞后    delayed     a milestone due by now is not reached; reported 滞后 or 暂缓; or the
                        investment completed trails the time elapsed by more than PERCENT_LAG
    未启动  not started reported 未启动 and works are not yet due to start
    按期推进 on schedule otherwise

The schedule is the planner's dates where set (``planwatch projects schedule``), else the
plan's construction years: works start by the end of the first year, completion by the end of
the last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model import PROJECT_STAGES
from .tasks import COMPLETED, DELAYED, NOT_REPORTED, NOT_STARTED, ON_SCHEDULE, OVERDUE, PERCENT_LAG, ReportFacts

DONE_STAGES = ("竣工", "投用")


@dataclass(frozen=True)
class ProjectFacts:
    id: int
    name: str
    investment: float | None = None  # planned total, in ``unit``
    unit: str = ""
    years: tuple[int, int] | None = None  # 建设年限
    planned: dict[str, date] = field(default_factory=dict)  # stage → planned date, set by the planner
    lead: str | None = None


@dataclass
class ProjectAssessment:
    project_id: int
    status: str
    reason: str
    report_id: int | None = None
    stage: str | None = None  # the last milestone reached
    reached_on: date | None = None
    next_stage: str | None = None
    next_due: date | None = None
    investment_done: float | None = None
    share: float | None = None  # investment completed / planned
    elapsed: float | None = None  # share of the construction time gone
    schedule: dict[str, date] = field(default_factory=dict)


def schedule(project: ProjectFacts) -> dict[str, date]:
    """The planned date of each milestone: the planner's, else read from the construction years."""
    out = {}
    if project.years:
        out = {"开工": date(project.years[0], 12, 31), "竣工": date(project.years[1], 12, 31)}
    out |= project.planned
    return {s: out[s] for s in PROJECT_STAGES if s in out}


def assess_project(project: ProjectFacts, approved: list[ReportFacts], period: str, period_end: date) -> ProjectAssessment:
    """``assess_project(ProjectFacts(3, "青溪第二再生水厂", years=(2023, 2024)), [], "2025Q1", date(2025, 3, 31))`` → 逾期"""
    reports = sorted((r for r in approved if r.period_end <= period_end), key=lambda r: r.period_end)
    latest = reports[-1] if reports else None
    plan = schedule(project)
    stage, reached_on = _reached(reports)
    at = PROJECT_STAGES.index(stage) if stage else -1
    due = [(s, d) for s, d in plan.items() if PROJECT_STAGES.index(s) > at]
    out = ProjectAssessment(project.id, ON_SCHEDULE, "", latest.report_id if latest else None, stage, reached_on,
                            due[0][0] if due else None, due[0][1] if due else None, schedule=plan)
    money = next((r.investment_done for r in reversed(reports) if r.investment_done is not None), None)
    out.investment_done = money
    if money is not None and project.investment:
        out.share = money / project.investment
    out.elapsed = _elapsed(plan, project, period_end)
    missed = [(s, d) for s, d in due if d < period_end]
    if stage in DONE_STAGES or (latest and (latest.status == "已完成" or (latest.percent or 0) >= 100)):
        out.status, out.reason = COMPLETED, f"{stage}（{reached_on.isoformat()}）" if stage in DONE_STAGES else f"{latest.period} 报告已完成"
    elif "竣工" in plan and plan["竣工"] < period_end:
        out.status, out.reason = OVERDUE, f"计划 {plan['竣工'].isoformat()} 竣工，尚未竣工"
    elif latest is None or latest.period != period:
        out.status = NOT_REPORTED
        out.reason = f"{period} 未报送或未审核通过" + (f"（最近一次：{latest.period}）" if latest else "")
    elif missed:
        s, d = missed[-1]
        out.status, out.reason = DELAYED, f"计划 {d.isoformat()} {s}，尚未{s}" + (f"（已{stage}）" if stage else "")
    elif latest.status in ("滞后", "暂缓"):
        out.status, out.reason = DELAYED, f"报告状态为{latest.status}" + (f"：{latest.problems}" if latest.problems else "")
    elif out.share is not None and out.elapsed is not None and out.share < out.elapsed - PERCENT_LAG:
        out.status = DELAYED
        out.reason = f"完成投资 {money:g}{project.unit}（{out.share:.0%}）落后于时间进度 {out.elapsed:.0%}"
    elif latest.status == "未启动" and at < 0:
        out.status, out.reason = NOT_STARTED, "报告尚未启动"
    else:
        parts = [f"{latest.period} 报告{latest.status}"]
        if stage:
            parts.append(f"已{stage}")
        if out.share is not None:
            parts.append(f"完成投资 {out.share:.0%}")
        out.reason = "，".join(parts)
    return out


def _reached(reports: list[ReportFacts]) -> tuple[str | None, date | None]:
    """The furthest milestone the reports say was reached, and the day it first was."""
    best, when = None, None
    for r in reports:
        if r.stage in PROJECT_STAGES and (best is None or PROJECT_STAGES.index(r.stage) > PROJECT_STAGES.index(best)):
            best, when = r.stage, r.stage_on or r.period_end
    return best, when


def _elapsed(plan: dict[str, date], project: ProjectFacts, at: date) -> float | None:
    """The share of the construction time gone: from the start of works (or of the first
    construction year) to the planned completion."""
    end = plan.get("竣工") or plan.get("投用")
    start = date(project.years[0], 1, 1) if project.years else None
    if "开工" in project.planned:
        start = project.planned["开工"]
    if start is None or end is None or end <= start:
        return None
    return max(0.0, min(1.0, (at - start).days / (end - start).days))
