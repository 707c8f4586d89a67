"""The bulletin as a typed record: what every layout (HTML, Markdown, Excel, Word), the web
pages and their JSON twins read. Built once by ``bulletin.compose``; frozen, so a renderer
can only lay it out, never change what another renderer will print.

    Bulletin
      summary: Summary (status counts, lights, sentences)
      chapters, departments: Unit (Rollup of targets and of tasks, light)
      targets: TargetRow (status, numbers, citations, ChartSeries, ReportQuote…)
      tasks: TaskRow (status, reason, ReportQuote…)
      department_reports: DepartmentReports (per department, per late or flagged item, what it reported)
      chapter_narratives: ChapterNarrative (mid-term: each chapter's narrative from the reports)
      verdicts: Verdict (final evaluation: achieved / not achieved with the gap)
      reporting, comments, sources
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Counts:
    """Status label → number of items, in table order (zeros included): read by name, never by position."""

    pairs: tuple[tuple[str, int], ...] = ()

    def items(self) -> tuple[tuple[str, int], ...]:
        return self.pairs

    def get(self, status: str, default: int = 0) -> int:
        return next((n for s, n in self.pairs if s == status), default)

    def __getitem__(self, status: str) -> int:
        return self.get(status)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.pairs)

    def nonzero(self) -> dict[str, int]:
        return {s: n for s, n in self.pairs if n}


@dataclass(frozen=True)
class Source:
    """One numbered citation: a plan clause, a progress report (报送) or an observation."""

    n: int
    kind: str  # plan / report / observation
    text: str


@dataclass(frozen=True)
class PlanInfo:
    id: int
    title: str
    source: str
    period: tuple[int, int] | None = None
    region: str = ""


@dataclass(frozen=True)
class ObservationRow:
    id: int
    year: int
    value: float
    unit: str = ""
    period: str = ""  # a quarter's label for a quarterly figure
    source: str = ""
    source_ref: str = ""
    vintage: str = ""
    t: float = 0.0  # time in year-ends (2024.0 = end of 2024, 2023.5 = end of 2024Q2)


@dataclass(frozen=True)
class ChartSeries:
    """What an indicator chart draws: observations where they fall in time, the target, the
    straight path from the base to it, and the projection (with its band when known)."""

    title: str
    unit: str
    observed: tuple[tuple[float, float], ...]
    base: tuple[float, float] | None = None  # (year, value) of the baseline
    target: tuple[float, float] | None = None  # (target year, goal level)
    projected: float | None = None  # the trend read at the target year
    band: tuple[float, float] | None = None  # projection band at the target year (low, high)
    after_deadline: tuple[tuple[float, float], ...] = ()  # observed after the target year: shown, not counted
    path: bool = True  # False for growth-rate targets, whose path is not a straight line in levels


@dataclass(frozen=True)
class AppraisalRow:
    """One unit's yearly scorecard as a report shows it (assess/appraisal.py computes it)."""

    rank: int | None
    department: str
    level: str
    shares: tuple[tuple[str, str], ...]  # (measure name, "75.0%" or "—")
    binding_missed: tuple[str, ...]
    penalty: float
    score: float | None
    grade: str
    formula: str


@dataclass(frozen=True)
class ReportQuote:
    """What a department reported for one item in one period (本期进展 / 存在问题 / 下步计划),
    quoted as approved and cited to the report."""

    report_id: int
    item: str  # T12 / I7
    item_title: str
    department: str
    period: str
    status: str
    percent: float | None
    progress: str  # 本期进展
    problems: str  # 存在问题
    next_steps: str  # 下步计划
    approved_by: str | None
    approved_at: datetime | None
    cite: int = 0

    @property
    def citation(self) -> str:
        """报送 #12（区水务局，2024Q4，王芳 2025-01-08 审核通过）"""
        who = f"，{self.approved_by} {self.approved_at:%Y-%m-%d} 审核通过" if self.approved_by and self.approved_at else \
            f"，{self.approved_by} 审核通过" if self.approved_by else ""
        return f"进展报告 #{self.report_id}（{self.department}，{self.period}{who}）"


@dataclass(frozen=True)
class TargetRow:
    id: int
    ref: str
    metric: str
    chapter: str
    value: float | None
    unit: str
    comparator: str
    type: str
    baseline: float | None
    year: int | None
    binding: str | None
    quote: str
    section: tuple[str, ...]
    span: tuple[int, int]
    lead: str | None
    support: tuple[str, ...]
    status: str
    code: str
    method: str
    criterion: str
    red: bool
    target_text: str
    completion: float | None
    elapsed: float | None
    projected: float | None
    ratio: float | None
    latest: ObservationRow | None  # the observation the status was judged on
    observations: tuple[ObservationRow, ...]
    notes: tuple[str, ...]
    cites: tuple[int, ...]
    chart: ChartSeries | None
    reports: tuple[ReportQuote, ...] = ()  # this period's approved reports on the target
    behind_plan: str = ""  # the year's figure short of its annual milestone (低于年度计划), when it is

    @property
    def status_text(self) -> str:
        return self.status + ("（红色预警）" if self.red else "") + ("（低于年度计划）" if self.behind_plan else "")

    @property
    def completion_pct(self) -> str:
        return _pct(self.completion)

    @property
    def elapsed_pct(self) -> str:
        return _pct(self.elapsed)

    @property
    def ratio_text(self) -> str:
        return _num(self.ratio)

    @property
    def projected_text(self) -> str:
        return _num(self.projected)

    @property
    def latest_text(self) -> str:
        return f"{self.latest.value:g}（{self.latest.year}）" if self.latest else ""


@dataclass(frozen=True)
class TaskRow:
    id: int
    ref: str
    title: str
    chapter: str
    section: tuple[str, ...]
    span: tuple[int, int]
    lead: str | None
    support: tuple[str, ...]
    deadline: str
    status: str
    reason: str
    report_id: int | None
    percent: float | None
    problems: str
    cites: tuple[int, ...]
    reports: tuple[ReportQuote, ...] = ()

    @property
    def percent_text(self) -> str:
        return _num(self.percent)


@dataclass(frozen=True)
class ProjectRow:
    """A named project (重大项目): its schedule and investment, and where it stands."""

    id: int
    ref: str
    name: str
    action: str
    chapter: str
    section: tuple[str, ...]
    span: tuple[int, int]
    lead: str | None
    support: tuple[str, ...]
    investment: float | None  # planned, in investment_unit
    investment_unit: str
    investment_done: float | None
    stage: str | None  # the last milestone reached
    reached_on: str
    next_stage: str | None
    next_due: str
    status: str
    reason: str
    report_id: int | None
    problems: str
    cites: tuple[int, ...]
    reports: tuple[ReportQuote, ...] = ()

    @property
    def investment_text(self) -> str:
        return "" if self.investment is None else f"{self.investment:g}{self.investment_unit}"

    @property
    def done_text(self) -> str:
        if self.investment_done is None:
            return ""
        share = f"（{self.investment_done / self.investment:.0%}）" if self.investment else ""
        return f"{self.investment_done:g}{self.investment_unit}{share}"

    @property
    def stage_text(self) -> str:
        return f"{self.stage}（{self.reached_on}）" if self.stage else "未开工"

    @property
    def next_text(self) -> str:
        return f"{self.next_stage}（计划 {self.next_due}）" if self.next_stage else ""


@dataclass(frozen=True)
class Rollup:
    """One unit's counts for one kind of item (targets or tasks)."""

    name: str
    kind: str
    total: int
    assessed: int
    counts: Counts
    red_flags: int
    light: str


@dataclass(frozen=True)
class Unit:
    """A chapter or a lead department: its targets' and tasks' roll-ups and the worse light."""

    name: str
    light: str
    targets: Rollup | None = None
    tasks: Rollup | None = None


@dataclass(frozen=True)
class Summary:
    targets: Counts
    tasks: Counts
    target_total: int
    task_total: int
    red_targets: int
    target_light: str
    task_light: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class ReportingRow:
    """Who has reported this period (督办清单)."""

    department: str
    assigned: int
    reported: int
    missing: int
    due: str


@dataclass(frozen=True)
class Comment:
    item: str
    kind: str  # instruction (批示) / comment
    author: str
    body: str

    @property
    def kind_name(self) -> str:
        return "批示" if self.kind == "instruction" else "意见"


@dataclass(frozen=True)
class FlaggedItem:
    """A late or flagged item of a department, with what the department reported on it."""

    ref: str
    title: str
    status: str
    why: str  # the assessment's reason (late, off track, red flag)
    reports: tuple[ReportQuote, ...]


@dataclass(frozen=True)
class DepartmentReports:
    department: str
    items: tuple[FlaggedItem, ...]


@dataclass(frozen=True)
class ChapterNarrative:
    """Mid-term: what departments reported on a chapter's items, quoted item by item."""

    chapter: str
    light: str
    reports: tuple[ReportQuote, ...]


@dataclass(frozen=True)
class Verdict:
    """Final evaluation (总结评估): was the target achieved at the plan's end, and by how much not."""

    ref: str
    metric: str
    target_text: str
    binding: str | None
    final_value: float | None
    final_year: int | None
    achieved: bool | None  # None: no observation to judge
    gap: float | None  # how far short, in the target's unit (positive = short); None when achieved or unknown
    status: str
    cites: tuple[int, ...]

    @property
    def verdict(self) -> str:
        return "无数据" if self.achieved is None else "已实现" if self.achieved else "未实现"

    @property
    def gap_text(self) -> str:
        return "" if self.gap is None else f"{self.gap:.4g}"


@dataclass(frozen=True)
class Bulletin:
    title: str
    kind: str  # quarterly / annual / midterm / final / npc
    kind_name: str
    edition: str  # 内部版 / 公开版
    public: bool
    plan: PlanInfo
    period: str
    as_of: str
    generated: str
    summary: Summary
    chapters: tuple[Unit, ...]
    departments: tuple[Unit, ...]
    targets: tuple[TargetRow, ...]
    tasks: tuple[TaskRow, ...]
    reporting: tuple[ReportingRow, ...]
    comments: tuple[Comment, ...]
    department_reports: tuple[DepartmentReports, ...]
    chapter_narratives: tuple[ChapterNarrative, ...]
    verdicts: tuple[Verdict, ...]
    method: str  # how statuses are decided, in the report's words
    sources: tuple[Source, ...]
    narrative_note: str = ""  # why reported narrative is left out, when it is
    appraisal: tuple[AppraisalRow, ...] = ()  # the annual report's department scorecards (internal edition)
    appraisal_note: str = ""  # the weights and grades they were scored with
    projects: tuple[ProjectRow, ...] = ()

    @property
    def late_projects(self) -> tuple[ProjectRow, ...]:
        return tuple(p for p in self.projects if p.status in LATE)

    @property
    def late_tasks(self) -> tuple[TaskRow, ...]:
        return tuple(t for t in self.tasks if t.status in LATE)

    @property
    def off_track_targets(self) -> tuple[TargetRow, ...]:
        return tuple(t for t in self.targets if t.code in NOT_ON_TRACK_CODES or t.red or t.behind_plan)

    @property
    def indicators(self) -> tuple[TargetRow, ...]:
        """Targets with a chart to draw."""
        return tuple(t for t in self.targets if t.chart is not None)

    @property
    def binding_targets(self) -> tuple[TargetRow, ...]:
        return tuple(t for t in self.targets if t.binding == "约束性")

    def as_dict(self) -> dict:
        """The JSON twin: every field, with the derived lists the pages show."""
        out = to_plain(self)
        out["late_tasks"] = [t.ref for t in self.late_tasks]
        out["late_projects"] = [p.ref for p in self.late_projects]
        out["off_track_targets"] = [t.ref for t in self.off_track_targets]
        return out


from .kinds import KINDS  # noqa: E402, F401  (renderers and bulletin.py read it from the records)

LATE = ("逾期", "滞后", "未报送")
# assess.status.NOT_ON_TRACK as plain codes (records import nothing from planwatch)
NOT_ON_TRACK_CODES = frozenset({"limited", "deterioration", "overdue", "accelerate"})


def to_plain(value):
    """Dataclasses → dicts, Counts → {status: n}, tuples → lists, dates → ISO text (for JSON)."""
    if isinstance(value, Counts):
        return dict(value.pairs)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x:.0%}"


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}".rstrip("0").rstrip(".")
