"""Assess a whole plan as of a period: every target and task, and their roll-ups.

Reads through ``planwatch.store`` and keeps the results there with their explanations; the
arithmetic lives in ``targets.py``, ``tasks.py`` and ``rollup.py``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from ..store.access import allowed
from ..store.assessments import assessment_inputs, save_assessments
from .milestones import check
from .projects import ProjectFacts, assess_project
from .rollup import roll_up
from .settings import Thresholds
from .targets import Point, TargetFacts, assess_target
from .tasks import ReportFacts, TaskFacts, assess_task


def year_end(d: date) -> float:
    """End of June 2024 → 2023.5; end of 2024 → 2024.0 (time in year-ends)."""
    return d.year - 1 + d.month / 12


def target_points(target: dict) -> list[Point]:
    out = []
    for o in target["observations"]:
        t = year_end(o["period_end"]) if o.get("period_end") else float(o["year"])
        out.append(Point(t, o["value"], o["vintage"], o["id"]))
    return out


def assess_plan(engine: Engine, plan: str, period: str, actor: str | None = None, save: bool | None = None) -> dict:
    """Assess and keep the results; ``save=None`` keeps them only when the actor may (a viewer
    reading a report computes the same statuses without writing them)."""
    data = assessment_inputs(engine, plan, period)
    result = assess_data(data)
    if save is None:
        save = allowed(engine, actor, "review")
    if save:
        save_assessments(engine, data["plan"]["id"], result["period"]["label"], _rows(result), actor=actor)
    return result


def assess_data(data: dict) -> dict:
    """The assessment of loaded inputs (see ``store.assessments.assessment_inputs``); pure."""
    plan, period = data["plan"], data["period"]
    th = Thresholds.from_dict(plan["settings"])
    as_of = year_end(period["end"])
    targets = [_target_result(t, plan, as_of, th) for t in data["targets"]]
    start = date(plan["period"][0], 1, 1) if plan["period"] else None
    tasks = [_task_result(t, period, start) for t in data["tasks"]]
    projects = [_project_result(p, period) for p in data.get("projects", ())]
    # Projects take the tasks' statuses, so their roll-ups use the tasks' order and thresholds.
    return {
        "plan": plan, "period": period, "as_of": as_of, "thresholds": th.as_dict(), "targets": targets, "tasks": tasks,
        "projects": projects,
        "rollups": {
            "plan": {"targets": roll_up([("全部", t["status"], t["red"]) for t in targets], "target", th),
                     "tasks": roll_up([("全部", t["status"], False) for t in tasks], "task", th),
                     "projects": roll_up([("全部", p["status"], False) for p in projects], "task", th)},
            "chapters": {"targets": roll_up([(_chapter(t), t["status"], t["red"]) for t in targets], "target", th),
                         "tasks": roll_up([(_chapter(t), t["status"], False) for t in tasks], "task", th),
                         "projects": roll_up([(_chapter(p), p["status"], False) for p in projects], "task", th)},
            "departments": {"targets": roll_up([(t["lead"] or "未分配", t["status"], t["red"]) for t in targets], "target", th),
                            "tasks": roll_up([(t["lead"] or "未分配", t["status"], False) for t in tasks], "task", th),
                            "projects": roll_up([(p["lead"] or "未分配", p["status"], False) for p in projects], "task", th)},
        },
    }


def _chapter(item: dict) -> str:
    return item["section"][0] if item["section"] else "（未分章）"


def target_facts(t: dict, plan: dict) -> TargetFacts:
    """The assessment's view of a stored target; a monitoring indicator has no numeric target."""
    value = None if t["type"] == "monitor" else t["value"]
    base_year = (plan["period"][0] - 1) if plan["period"] else None
    return TargetFacts(t["id"], t["metric"], value, t["unit"], t["comparator"], t["type"], t["baseline"], base_year, t["year"],
                       t["binding"], t.get("limit"))


NUMBERS = ("completion", "elapsed", "projected", "projected_share", "ratio", "cagr_observed", "cagr_required", "score")


def _target_result(t: dict, plan: dict, as_of: float, th: Thresholds) -> dict:
    facts, points = target_facts(t, plan), target_points(t)
    a = assess_target(facts, points, as_of, plan["period"], th)
    milestone = check(facts, points, t.get("milestones") or {}, as_of, plan["period"], th)
    if milestone:
        a.step("年度计划", "实际值与当年计划值比较", milestone.text)
        if milestone.behind:
            a.notes.append(f"低于年度计划：{milestone.text}（差 {milestone.gap:g}{t['unit'] or ''}）")
    used = {o["id"] for o in a.observations} | ({a.latest.observation_id} if a.latest else set())
    explanation = {**a.explanation(), "settings": th.as_dict(), "thresholds": {**th.as_dict(), **a.thresholds},
                   "vintages": sorted({o["vintage"] for o in t["observations"] if o["id"] in used}),
                   "sources": [{"observation": o["id"], "year": o["year"], "period": o["period"], "value": o["value"],
                                "source": o["source"], "ref": o["source_ref"], "vintage": o["vintage"], "counted": o["id"] in used}
                               for o in t["observations"]]}
    numbers = {k: getattr(a, k) for k in NUMBERS}
    numbers["latest"] = a.latest.value if a.latest else None
    numbers["latest_t"] = a.latest.t if a.latest else None
    numbers["milestone"] = milestone.planned if milestone else None
    explanation["milestone"] = milestone.as_dict() if milestone else None
    return {**{k: t[k] for k in ("id", "ref", "metric", "value", "unit", "comparator", "type", "baseline", "year", "binding",
                                 "quote", "section", "span", "lead", "support", "observations")},
            "status": a.status, "code": a.code, "method": a.method, "criterion": a.criterion, "red": a.red,
            "behind_plan": bool(milestone and milestone.behind), "numbers": numbers, "explanation": explanation}


def _task_result(t: dict, period: dict, start: date | None) -> dict:
    facts = TaskFacts(t["id"], t["title"], _chapter(t), tuple(t["deadlines"]), t["lead"], start)
    a = assess_task(facts, _approved(t), period["label"], period["end"])
    latest = next((r for r in reversed(t["reports"]) if r["id"] == a.report_id), None)
    return {**{k: t[k] for k in ("id", "ref", "title", "section", "span", "lead", "support", "deadlines")},
            "status": a.status, "reason": a.reason, "report_id": a.report_id, "percent": a.percent,
            "problems": latest["problems"] if latest else "", "narrative": latest["narrative"] if latest else ""}


def _approved(item: dict) -> list[ReportFacts]:
    return [ReportFacts(r["period"], r["period_end"], r["status"], r["percent"], r["narrative"], r["problems"], r["id"],
                        r["department"], r.get("investment_done"), r.get("stage"), r.get("stage_on"))
            for r in item["reports"] if r["review"] == "approved"]


def _project_result(p: dict, period: dict) -> dict:
    facts = ProjectFacts(p["id"], p["title"], p["investment"], p["investment_unit"], p["years"], dict(p["stages"]), p["lead"])
    a = assess_project(facts, _approved(p), period["label"], period["end"])
    latest = next((r for r in reversed(p["reports"]) if r["id"] == a.report_id), None)
    return {**{k: p[k] for k in ("id", "ref", "title", "action", "task", "section", "span", "lead", "support", "investment",
                                 "investment_unit", "years")},
            "status": a.status, "reason": a.reason, "report_id": a.report_id, "stage": a.stage, "reached_on": a.reached_on,
            "next_stage": a.next_stage, "next_due": a.next_due, "investment_done": a.investment_done, "share": a.share,
            "elapsed": a.elapsed, "schedule": a.schedule,
            "problems": latest["problems"] if latest else "", "narrative": latest["narrative"] if latest else ""}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _rows(result: dict) -> list[dict]:
    rows = [{"item_kind": "target", "item_id": t["id"], "status": t["status"], "red": t["red"], "numbers": t["numbers"],
             "method": t["method"], "criterion": t["criterion"], "explanation": t["explanation"]} for t in result["targets"]]
    rows += [{"item_kind": "task", "item_id": t["id"], "status": t["status"], "red": False, "numbers": {"percent": t["percent"]},
              "method": "task", "criterion": t["reason"],
              "explanation": {"reason": t["reason"], "report": t["report_id"],
                              "deadline": max(t["deadlines"]).isoformat() if t["deadlines"] else None}} for t in result["tasks"]]
    rows += [{"item_kind": "project", "item_id": p["id"], "status": p["status"], "red": False, "method": "project",
              "criterion": p["reason"],
              "numbers": {"percent": round(p["share"] * 100, 1) if p["share"] is not None else None,
                          "investment_done": p["investment_done"], "share": p["share"], "elapsed": p["elapsed"]},
              "explanation": {"reason": p["reason"], "report": p["report_id"], "stage": p["stage"], "reached_on": _iso(p["reached_on"]),
                              "next_stage": p["next_stage"], "next_due": _iso(p["next_due"]),
                              "schedule": {s: d.isoformat() for s, d in p["schedule"].items()},
                              "investment": p["investment"], "investment_unit": p["investment_unit"]}}
             for p in result.get("projects", ())]
    return rows
