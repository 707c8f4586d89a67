"""The content of a bulletin (进展情况通报) or mid-term evaluation report (中期评估报告), built
from the ledger and the assessment; renderers in ``render_*.py`` only lay it out.

Every figure cites a numbered source: the plan clause it comes from (section path and
character span), the progress report, or the observation (with its source and vintage).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from ..assess import assess_plan
from ..assess.status import NOT_ON_TRACK
from ..assess.targets import STATUS_ORDER
from ..assess.tasks import TASK_STATUS_ORDER
from ..errors import NotFound
from ..store.assessments import plan_comments
from ..store.ledger_sheet import missing_reports

KINDS = {"quarterly": "实施进展情况通报", "midterm": "中期评估报告"}
LATE = ("逾期", "滞后", "未报送")


@dataclass
class Sources:
    """Numbered citations, each given once."""

    items: list[dict] = field(default_factory=list)
    index: dict[tuple, int] = field(default_factory=dict)

    def cite(self, key: tuple, text: str, kind: str) -> int:
        if key not in self.index:
            self.items.append({"n": len(self.items) + 1, "kind": kind, "text": text})
            self.index[key] = len(self.items)
        return self.index[key]


def build_bulletin(engine: Engine, plan: str, period: str, kind: str = "quarterly", public: bool = False,
                   actor: str | None = None, today: date | None = None, save: bool | None = None) -> dict:
    """Assess the plan as of ``period`` and compose the report; ``save`` as in ``assess_plan``."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    result = assess_plan(engine, plan, period, actor=actor, save=save)
    comments = [] if public else [c for c in plan_comments(engine, plan) if c["kind"] == "instruction" or not c["public"]]
    try:
        reporting = missing_reports(engine, plan, period)
    except NotFound:  # a period never opened has no reporting to show
        reporting = []
    return compose(result, kind, public, comments, today or date.today(), reporting)


def compose(result: dict, kind: str, public: bool, comments: list[dict], today: date, reporting: list[dict] | None = None) -> dict:
    """The bulletin of an assessment result; pure, so tests can build one from literals."""
    plan, period = result["plan"], result["period"]
    sources = Sources()
    source_name = plan["source"].rsplit("/", 1)[-1]
    targets = [_target_entry(t, sources, source_name) for t in result["targets"]]
    tasks = [_task_entry(t, sources, source_name) for t in result["tasks"]]
    target_counts = Counter(t["status"] for t in targets)
    task_counts = Counter(t["status"] for t in tasks)
    return {
        "title": f"{plan['title']}{KINDS[kind]}", "kind": kind, "kind_name": KINDS[kind], "edition": "公开版" if public else "内部版",
        "public": public, "plan": plan, "period": period["label"], "as_of": period["end"].isoformat(), "generated": today.isoformat(),
        "summary": {
            "targets": {s: target_counts.get(s, 0) for s in STATUS_ORDER}, "tasks": {s: task_counts.get(s, 0) for s in TASK_STATUS_ORDER},
            "target_total": len(targets), "task_total": len(tasks), "red_targets": sum(t["red"] for t in targets),
            "light": {"targets": result["rollups"]["plan"]["targets"][0]["light"] if targets else "灰",
                      "tasks": result["rollups"]["plan"]["tasks"][0]["light"] if tasks else "灰"},
            "sentences": _sentences(len(targets), target_counts, len(tasks), task_counts),
        },
        "chapters": _units(result["rollups"]["chapters"]),
        "departments": _units(result["rollups"]["departments"]),
        "late_tasks": [t for t in tasks if t["status"] in LATE],
        "off_track_targets": [t for t in targets if t.get("code") in NOT_ON_TRACK or t["red"]],
        "targets": targets,
        "tasks": tasks,
        "indicators": [t for t in targets if t["observations"]],
        "comments": comments,
        "reporting": [{**r, "reported": r["assigned"] - r["missing"]} for r in reporting or []],
        "thresholds": result["thresholds"],
        "sources": sources.items,
    }


def _clause(item: dict, sources: Sources, source_name: str) -> int:
    path = " › ".join(item["section"]) or "全文"
    start, end = item["span"]
    text = f"规划原文：{source_name} {path}，第 {start}–{end} 字" + (f"：“{item['quote']}”" if item.get("quote") else "")
    return sources.cite(("clause", item["ref"]), text, "plan")


def _target_entry(t: dict, sources: Sources, source_name: str) -> dict:
    cites = [_clause(t, sources, source_name)]
    for o in t["observations"]:
        text = f"观测值：{t['metric']} {o['year']}{('（' + o['period'] + '）') if o['period'] else ''} = {o['value']:g}{o['unit']}，" \
               f"来源 {o['source']}{('：' + o['source_ref']) if o['source_ref'] else ''}，口径 {o['vintage']}"
        cites.append(sources.cite(("obs", o["id"]), text, "observation"))
    n = t["numbers"]
    return {**t, "chapter": t["section"][0] if t["section"] else "（未分章）", "cites": cites,
            "target_text": f"{_sign(t['comparator'])}{t['value']:g}{t['unit']}" + (f"（{t['year']}年）" if t["year"] else ""),
            "latest": t["observations"][-1] if t["observations"] else None,
            "completion_pct": _pct(n.get("completion")), "elapsed_pct": _pct(n.get("elapsed")), "ratio_text": _num(n.get("ratio")),
            "projected_text": _num(n.get("projected"))}


def _task_entry(t: dict, sources: Sources, source_name: str) -> dict:
    cites = [_clause({**t, "quote": ""}, sources, source_name)]
    if t["report_id"]:
        cites.append(sources.cite(("report", t["report_id"]), f"进展报告 #{t['report_id']}（{t['lead'] or '未分配'}）", "report"))
    return {**t, "chapter": t["section"][0] if t["section"] else "（未分章）", "cites": cites,
            "deadline": max(t["deadlines"]).isoformat() if t["deadlines"] else "", "percent_text": _num(t["percent"]),
            "problems": t["problems"]}


def _units(rollups: dict) -> list[dict]:
    by_name: dict[str, dict] = {}
    for kind in ("targets", "tasks"):
        for row in rollups[kind]:
            entry = by_name.setdefault(row["name"], {"name": row["name"], "targets": None, "tasks": None})
            entry[kind] = row
    for entry in by_name.values():
        lights = [entry[k]["light"] for k in ("targets", "tasks") if entry[k]]
        entry["light"] = "红" if "红" in lights else "黄" if "黄" in lights else "绿" if "绿" in lights else "灰"
    return list(by_name.values())


def _sentences(n_targets: int, targets: Counter, n_tasks: int, tasks: Counter) -> list[str]:
    out = []
    if n_targets:
        parts = "、".join(f"{s}{targets[s]}项" for s in STATUS_ORDER if targets.get(s))
        out.append(f"纳入监测的{n_targets}项指标中，{parts}。")
    if n_tasks:
        parts = "、".join(f"{s}{tasks[s]}项" for s in TASK_STATUS_ORDER if tasks.get(s))
        out.append(f"{n_tasks}项重点任务中，{parts}。")
    return out


def _sign(comparator: str) -> str:
    return {">=": "≥", "<=": "≤", "~": "约", "=": ""}.get(comparator, comparator)


def _pct(x) -> str:
    return "" if x is None else f"{x:.0%}"


def _num(x) -> str:
    return "" if x is None else f"{x:.2f}".rstrip("0").rstrip(".")
