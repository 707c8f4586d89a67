"""Department appraisal (指标考核, 绩效评价): a yearly scorecard per lead unit.

Five measures, each a share of the unit's own items, weighted (per plan: ``planwatch thresholds
appraisal.weight_targets=50``…):

- 指标达标率 (targets): targets achieved or on track / targets assessed (无数据 left out);
- 任务按期率 (tasks): tasks done or on schedule / tasks assessed;
- 项目推进率 (projects): named projects done or on schedule / projects led (milestones, investment);
- 报送及时率 (timeliness): reports submitted by the period's due date / reports owed;
- 报送质量 (quality): 1 − times returned / reports submitted (not below 0).

score = 100 · Σ wᵢ·shareᵢ / Σ wᵢ over the measures the unit has items for (a measure with none is
left out and says so), less ``binding_penalty`` points for each binding target (约束性) that is
in limited progress, deteriorating or overdue; kept within 0–100. Grades: 优秀 / 良好 / 合格 /
不合格 from ``excellent`` / ``good`` / ``passing``. Units are ranked by score (ties share a rank).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date

from sqlalchemy import Engine

from ..store.appraisal import DueReport, appraisal_inputs
from ..store.assessments import assessment_inputs
from .run import assess_data
from .settings import AppraisalSettings

GOOD_TARGET_CODES = frozenset({"achieved", "on_track"})
MISSED_CODES = frozenset({"limited", "deterioration", "overdue"})
GOOD_TASK_STATUSES = frozenset({"已完成", "按期推进"})
MEASURES = (("targets", "指标达标率"), ("tasks", "任务按期率"), ("projects", "项目推进率"), ("timeliness", "报送及时率"),
            ("quality", "报送质量"))


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    good: float
    total: int
    weight: float

    @property
    def share(self) -> float | None:
        return None if self.total == 0 else self.good / self.total

    @property
    def text(self) -> str:
        if self.share is None:
            return f"{self.name} 无考核事项（不计权重）"
        return f"{self.name} {self.good:g}/{self.total} = {self.share * 100:.1f}% × {self.weight:g}"


@dataclass(frozen=True)
class Line:
    """One item's or report's part in a scorecard: which measure, and whether it counts as good."""

    measure: str
    item: str
    title: str
    status: str
    good: bool
    note: str = ""


@dataclass(frozen=True)
class Scorecard:
    department: str
    level: str
    measures: tuple[Measure, ...]
    binding_missed: tuple[str, ...]
    penalty: float
    score: float | None
    grade: str
    lines: tuple[Line, ...] = ()
    rank: int | None = None

    @property
    def formula(self) -> str:
        used = [m for m in self.measures if m.share is not None]
        if not used:
            return "无考核事项"
        weights = sum(m.weight for m in used)
        raw = 100 * sum(m.weight * m.share for m in used) / weights
        text = "（" + " + ".join(m.text for m in used) + f"）÷ {weights:g} × 100 = {raw:.1f}"
        if self.binding_missed:
            text += f"；约束性指标未达标 {len(self.binding_missed)} 项（{'、'.join(self.binding_missed)}）扣 {self.penalty:g} 分"
        left_out = [m.name for m in self.measures if m.share is None]
        if left_out:
            text += f"；{'、'.join(left_out)}无考核事项，不计权重"
        return text + f" → {self.score:.1f}（{self.grade}）"

    def as_dict(self) -> dict:
        return {"rank": self.rank, "department": self.department, "level": self.level, "score": self.score, "grade": self.grade,
                "measures": {m.key: {"name": m.name, "good": m.good, "total": m.total, "share": m.share, "weight": m.weight}
                             for m in self.measures},
                "binding_missed": list(self.binding_missed), "penalty": self.penalty, "formula": self.formula,
                "lines": [asdict(line) for line in self.lines]}


@dataclass(frozen=True)
class Appraisal:
    plan_id: int
    plan: str
    year: int
    as_of: date
    settings: AppraisalSettings
    cards: tuple[Scorecard, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {"plan": {"id": self.plan_id, "title": self.plan}, "year": self.year, "as_of": self.as_of.isoformat(),
                "settings": self.settings.as_dict(), "scorecards": [c.as_dict() for c in self.cards]}


def appraise(engine: Engine, plan: str, year: int, as_of: date | None = None, level: str | None = None) -> Appraisal:
    """The year's scorecards of every unit that leads an item of ``plan``, ranked.

    ``as_of`` (default: the day after the year's last due date) decides which reports were due yet."""
    result = assess_data(assessment_inputs(engine, plan, f"{year}Q4"))
    units, due = appraisal_inputs(engine, plan, year)
    if as_of is None:
        as_of = max((d.due for d in due), default=date(year + 1, 1, 31))
    settings = AppraisalSettings.from_dict(result["plan"]["settings"])
    cards = scorecards(result["targets"], result["tasks"], due, {u.name: u.level for u in units}, as_of, settings,
                       result.get("projects", []))
    if level:
        cards = [c for c in cards if c.level == level]
    return Appraisal(result["plan"]["id"], result["plan"]["title"], year, as_of, settings, tuple(rank(cards)))


def scorecards(targets: list[dict], tasks: list[dict], due: list[DueReport], levels: dict[str, str], as_of: date,
               settings: AppraisalSettings, projects: list[dict] = ()) -> list[Scorecard]:
    """Pure: one card per unit leading a target, a task or a project, or owing a report."""
    units = sorted({t["lead"] for t in [*targets, *tasks, *projects] if t["lead"]} | {d.department for d in due})
    return [_card(u, [t for t in targets if t["lead"] == u], [t for t in tasks if t["lead"] == u],
                  [d for d in due if d.department == u and d.due <= as_of], levels.get(u, ""), settings,
                  [p for p in projects if p["lead"] == u]) for u in units]


def _card(unit: str, targets: list[dict], tasks: list[dict], due: list[DueReport], level: str, s: AppraisalSettings,
          projects: list[dict] = ()) -> Scorecard:
    lines: list[Line] = []
    assessed = [t for t in targets if t["code"] != "no_data"]
    for t in targets:
        note = "无数据，不计入" if t["code"] == "no_data" else ""
        lines.append(Line("targets", t["ref"], t["metric"], t["status"], t["code"] in GOOD_TARGET_CODES, note))
    for t in tasks:
        lines.append(Line("tasks", t["ref"], t["title"], t["status"], t["status"] in GOOD_TASK_STATUSES))
    for p in projects:  # projects are judged with the task statuses (assess/projects.py)
        lines.append(Line("projects", p["ref"], p["title"], p["status"], p["status"] in GOOD_TASK_STATUSES, p.get("reason", "")))
    submitted = [d for d in due if d.submitted]
    returned = sum(d.returned for d in due)
    for d in due:
        when = d.submitted_at.date().isoformat() if d.submitted_at else ""
        status = ("按时报送" if d.on_time else f"逾期报送（{when}）") if d.submitted else "未报送"
        lines.append(Line("timeliness", d.item, d.period, status, d.on_time, f"截止 {d.due.isoformat()}"))
        if d.returned:
            lines.append(Line("quality", d.item, d.period, f"退回 {d.returned} 次", False))
    measures = (
        Measure("targets", "指标达标率", sum(t["code"] in GOOD_TARGET_CODES for t in assessed), len(assessed), s.weight("targets")),
        Measure("tasks", "任务按期率", sum(t["status"] in GOOD_TASK_STATUSES for t in tasks), len(tasks), s.weight("tasks")),
        Measure("projects", "项目推进率", sum(p["status"] in GOOD_TASK_STATUSES for p in projects), len(projects), s.weight("projects")),
        Measure("timeliness", "报送及时率", sum(d.on_time for d in due), len(due), s.weight("timeliness")),
        Measure("quality", "报送质量", max(0, len(submitted) - returned), len(submitted), s.weight("quality")),
    )
    missed = tuple(t["ref"] for t in targets if t.get("binding") == "约束性" and t["code"] in MISSED_CODES)
    used = [m for m in measures if m.share is not None and m.weight > 0]
    score = None
    penalty = s.binding_penalty * len(missed)
    if used:
        raw = 100 * sum(m.weight * m.share for m in used) / sum(m.weight for m in used)
        score = round(min(100.0, max(0.0, raw - penalty)), 1)
    return Scorecard(unit, level, measures, missed, penalty, score, s.grade(score), tuple(lines))


def rank(cards: list[Scorecard]) -> list[Scorecard]:
    """Highest score first; equal scores share a rank (1, 2, 2, 4); units without a score last, unranked."""
    scored = sorted((c for c in cards if c.score is not None), key=lambda c: (-c.score, c.department))
    out, last, last_rank = [], None, 0
    for i, c in enumerate(scored, start=1):
        last_rank = last_rank if c.score == last else i
        last = c.score
        out.append(_with_rank(c, last_rank))
    return out + sorted((c for c in cards if c.score is None), key=lambda c: c.department)


def _with_rank(card: Scorecard, n: int) -> Scorecard:
    return replace(card, rank=n)
