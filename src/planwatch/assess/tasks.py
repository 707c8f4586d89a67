"""Is a task on schedule? Judged from its approved progress reports and its deadlines.

    已完成 completed    the latest approved report says 已完成 or 100%
    逾期   overdue      its last deadline has passed and it is not completed
    未报送 not reported no approved report for the period assessed
    滞后   delayed      reported 滞后 or 暂缓, or its percent trails the time elapsed to its deadline
    未启动 not started  reported 未启动
    按期推进 on schedule otherwise
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

COMPLETED, OVERDUE, NOT_REPORTED, DELAYED, NOT_STARTED, ON_SCHEDULE = "已完成", "逾期", "未报送", "滞后", "未启动", "按期推进"
TASK_STATUS_ORDER = (COMPLETED, ON_SCHEDULE, NOT_STARTED, NOT_REPORTED, DELAYED, OVERDUE)
# A task whose reported percent trails the share of time elapsed to its deadline by more than
# this is delayed even if the department calls it 推进中 (a quarter of the way is a clear lag).
PERCENT_LAG = 0.25


@dataclass(frozen=True)
class ReportFacts:
    period: str
    period_end: date
    status: str
    percent: float | None = None
    narrative: str = ""
    problems: str = ""
    report_id: int | None = None
    department: str = ""
    # A project's report: investment completed so far and the last milestone reached.
    investment_done: float | None = None
    stage: str | None = None
    stage_on: date | None = None


@dataclass(frozen=True)
class TaskFacts:
    id: int
    title: str
    chapter: str = ""
    deadlines: tuple[date, ...] = ()
    lead: str | None = None
    start: date | None = None  # the plan's start, for the share of time elapsed


@dataclass
class TaskAssessment:
    task_id: int
    status: str
    reason: str
    report_id: int | None = None
    percent: float | None = None
    deadline: date | None = None
    notes: list[str] = field(default_factory=list)


def assess_task(task: TaskFacts, approved: list[ReportFacts], period: str, period_end: date) -> TaskAssessment:
    """``assess_task(TaskFacts(3, "治理水环境", deadlines=(date(2024, 12, 31),)), [], "2025Q1", date(2025, 3, 31))`` → 逾期"""
    reports = sorted((r for r in approved if r.period_end <= period_end), key=lambda r: r.period_end)
    latest = reports[-1] if reports else None
    deadline = max(task.deadlines) if task.deadlines else None
    out = TaskAssessment(task.id, ON_SCHEDULE, "", latest.report_id if latest else None, latest.percent if latest else None, deadline)
    if latest and (latest.status == "已完成" or (latest.percent or 0) >= 100):
        out.status, out.reason = COMPLETED, f"{latest.period} 报告已完成"
    elif deadline and deadline < period_end:
        out.status, out.reason = OVERDUE, f"时限 {deadline.isoformat()} 已过，尚未完成"
    elif latest is None or latest.period != period:
        out.status = NOT_REPORTED
        out.reason = f"{period} 未报送或未审核通过" + (f"（最近一次：{latest.period}）" if latest else "")
    elif latest.status in ("滞后", "暂缓"):
        out.status, out.reason = DELAYED, f"报告状态为{latest.status}" + (f"：{latest.problems}" if latest.problems else "")
    elif latest.status == "未启动":
        out.status, out.reason = NOT_STARTED, "报告尚未启动"
    elif _trails(task, latest, deadline, period_end):
        out.status = DELAYED
        out.reason = f"完成比例 {latest.percent:g}% 落后于时间进度 {_elapsed(task, deadline, period_end):.0%}"
    else:
        out.reason = f"{latest.period} 报告{latest.status}" + (f" {latest.percent:g}%" if latest.percent is not None else "")
    return out


def _elapsed(task: TaskFacts, deadline: date | None, at: date) -> float:
    if not deadline or not task.start or deadline <= task.start:
        return 0.0
    return max(0.0, min(1.0, (at - task.start).days / (deadline - task.start).days))


def _trails(task: TaskFacts, latest: ReportFacts, deadline: date | None, at: date) -> bool:
    if latest.percent is None or deadline is None:
        return False
    return latest.percent / 100 < _elapsed(task, deadline, at) - PERCENT_LAG
