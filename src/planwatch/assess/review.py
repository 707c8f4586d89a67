"""Rank a period's submitted reports by how doubtful they are, so reviewers read those first.

Each flag has a weight and a reason a reviewer can check in seconds:

    stock phrases only  稳步推进 / 有序开展 … with no number, date, place or project
    copied              near-duplicate of the department's previous report on the item
    contradiction       已完成 at 40%; 推进中 or 未启动 past the deadline; 未启动 with progress; a
                        project's investment done below last period's, past its planned total,
                        or its milestone behind last period's; 已完成 before 竣工
    target disagrees    the report claims progress the item's target assessment contradicts
    no evidence         a deadline falls in the period and nothing is attached
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..model import PROJECT_STAGES
from .status import PROBLEM_CODES

STOCK_PHRASES = ("稳步推进", "有序开展", "持续加强", "扎实推进", "积极推进", "有序推进", "不断完善", "进一步加强", "取得积极进展",
                 "取得明显成效", "按计划推进", "全力推进", "加快推进", "统筹推进", "深入推进", "稳妥推进", "认真落实", "高度重视")
SPECIFIC = re.compile(
    r"[0-9０-９]"
    r"|[一二三四五六七八九十百千万两]+(?:个|项|家|座|公里|千米|米|亩|次|场|批|条|所|户|人|件|万|亿)"
    r"|(?:\d{1,2}|[一二三四五六七八九十]{1,2})月|年底|季度|上半年|下半年"
    r"|[\u4e00-\u9fff]{1,6}(?:区|街道|镇|乡|村|社区|路|街|大道|园|河|湖|桥|站|厂|馆|中心|小学|中学|医院)"
)
# Reports sharing this much of their 3-character shingles with the previous one are copies:
# genuine quarterly updates of the same task share phrasing but rarely over 80%.
COPIED = 0.8
# Percent below which 已完成 contradicts itself (rounding and final-acceptance lag allowed).
DONE_BELOW = 90
# A project's investment done may overrun its planned total somewhat (price changes) before it is doubtful.
OVER_BUDGET = 1.1
WEIGHTS = {"stock": 3, "copied": 3, "contradiction": 4, "target": 3, "evidence": 2}


@dataclass(frozen=True)
class ReportUnderReview:
    report_id: int
    item: str
    title: str
    department: str
    status: str
    percent: float | None
    narrative: str
    period_start: date
    period_end: date
    deadlines: tuple[date, ...] = ()
    evidence: int = 0
    previous: str = ""
    projects: tuple[str, ...] = ()
    target_statuses: tuple[str, ...] = ()  # labels of the item's targets
    target_problems: tuple[str, ...] = ()  # labels of those off track (status.PROBLEM_CODES)
    # A project's report: what it says and what the same department said last time.
    investment_done: float | None = None
    stage: str | None = None
    previous_investment: float | None = None
    previous_stage: str | None = None
    planned_investment: float | None = None


@dataclass
class Flagged:
    report_id: int
    item: str
    title: str
    department: str
    score: int = 0
    flags: list[tuple[str, str]] = field(default_factory=list)  # (kind, reason)

    def add(self, kind: str, reason: str) -> None:
        self.flags.append((kind, reason))
        self.score += WEIGHTS[kind]


def review_queue(reports: list[ReportUnderReview]) -> list[Flagged]:
    """Every report with its flags, riskiest first (reports without flags last, by id)."""
    out = [_review(r) for r in reports]
    return sorted(out, key=lambda f: (-f.score, f.report_id))


def _review(r: ReportUnderReview) -> Flagged:
    f = Flagged(r.report_id, r.item, r.title, r.department)
    _stock(r, f)
    if r.previous and similarity(r.narrative, r.previous) >= COPIED:
        f.add("copied", f"与上期报告雷同（相似度 {similarity(r.narrative, r.previous):.0%}）")
    _contradictions(r, f)
    if r.status in ("已完成", "推进中") and r.target_problems:
        f.add("target", f"报告{r.status}，但相关指标评估为{'、'.join(dict.fromkeys(r.target_problems))}")
    due_now = [d for d in r.deadlines if r.period_start <= d <= r.period_end]
    if due_now and r.evidence == 0:
        f.add("evidence", f"本期有时限节点 {due_now[0].isoformat()}，未附佐证材料")
    return f


def is_stock_only(text: str, projects: tuple[str, ...] = ()) -> bool:
    """True when the narrative says nothing checkable: ``"稳步推进，有序开展"`` → True."""
    if SPECIFIC.search(text) or any(p and p in text for p in projects):
        return False
    return any(p in text for p in STOCK_PHRASES) or len(text.strip()) < 15


def _stock(r: ReportUnderReview, f: Flagged) -> None:
    if not r.narrative.strip():
        f.add("stock", "本期进展为空")
    elif is_stock_only(r.narrative, r.projects):
        phrases = [p for p in STOCK_PHRASES if p in r.narrative]
        f.add("stock", "只有套话" + (f"（{'、'.join(phrases[:3])}）" if phrases else "") + "，无数字、日期、地点或项目")


def _contradictions(r: ReportUnderReview, f: Flagged) -> None:
    if r.status == "已完成" and r.percent is not None and r.percent < DONE_BELOW:
        f.add("contradiction", f"状态为已完成，完成比例仅 {r.percent:g}%")
    past = [d for d in r.deadlines if d < r.period_end]
    if r.status in ("推进中", "未启动") and past and (r.percent or 0) < 100:
        f.add("contradiction", f"状态为{r.status}，时限 {max(past).isoformat()} 已过")
    if r.status == "未启动" and (r.percent or 0) > 0:
        f.add("contradiction", f"状态为未启动，完成比例却为 {r.percent:g}%")
    _project_contradictions(r, f)


def _project_contradictions(r: ReportUnderReview, f: Flagged) -> None:
    money, before = r.investment_done, r.previous_investment
    if money is not None and before is not None and money < before:
        f.add("contradiction", f"累计完成投资 {money:g} 低于上期报送的 {before:g}")
    if money is not None and r.planned_investment and money > r.planned_investment * OVER_BUDGET:
        f.add("contradiction", f"累计完成投资 {money:g} 超过计划总投资 {r.planned_investment:g}")
    if r.stage in PROJECT_STAGES and r.previous_stage in PROJECT_STAGES and \
            PROJECT_STAGES.index(r.stage) < PROJECT_STAGES.index(r.previous_stage):
        f.add("contradiction", f"已达节点{r.stage}，上期已报{r.previous_stage}")
    if r.status == "已完成" and r.item.startswith("P") and r.stage not in ("竣工", "投用"):
        f.add("contradiction", f"状态为已完成，已达节点却为{r.stage or '未开工'}")


def similarity(a: str, b: str, n: int = 3) -> float:
    """Share of the shorter text's n-character shingles found in the other (containment)."""
    sa = {a[i:i + n] for i in range(max(len(a) - n + 1, 0))}
    sb = {b[i:i + n] for i in range(max(len(b) - n + 1, 0))}
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def review_period(engine, period: str, plan: str | None = None) -> list[Flagged]:
    """The period's review queue, with each item's targets assessed now (nothing is stored)."""
    from ..store.assessments import review_inputs
    from .run import assess_plan

    rows = review_inputs(engine, period, plan)
    statuses: dict[int, tuple[str, str]] = {}
    for plan_id in sorted({r["plan_id"] for r in rows if r["target_ids"]}):
        statuses |= {t["id"]: (t["status"], t["code"]) for t in assess_plan(engine, str(plan_id), period, save=False)["targets"]}
    reports = []
    for r in rows:
        fields = {k: v for k, v in r.items() if k not in ("plan_id", "target_ids")}
        mine = [statuses[t] for t in r["target_ids"] if t in statuses]
        reports.append(ReportUnderReview(**fields, target_statuses=tuple(label for label, _ in mine),
                                         target_problems=tuple(label for label, code in mine if code in PROBLEM_CODES)))
    return review_queue(reports)
