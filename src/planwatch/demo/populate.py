"""Two years of a fictional ledger for the demo plan: departments, assignments, quarterly
reports (most approved, some returned, the last quarter awaiting review), indicator
observations with vintages, a leader's instruction.

Everything is generated from a fixed seed through the same service functions the CLI calls,
so the demo exercises the real ledger. The figures are invented.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import Engine

from ..store import (
    ObservationInput,
    ReportInput,
    add_comment,
    add_department,
    add_observation,
    assign,
    close_period,
    list_reports,
    open_period,
    review_report,
    submit_report,
)
from ..store.assessments import assessment_inputs

DEPARTMENTS = ("区发展改革委", "区科信局", "区水务局", "区园林绿化局", "区生态环境局", "区人力社保局")
QUARTERS = [f"{y}Q{q}" for y in (2023, 2024) for q in (1, 2, 3, 4)]
NARRATIVES = ("完成{n}个子项目立项，累计完成投资{m}亿元", "{place}段主体工程完工{n}0%，{month}月底前完成验收",
              "召开推进会{n}次，出台配套办法{k}项", "新增{n}家企业纳入培育库，{place}试点运行")
STOCK = "各项工作稳步推进，有序开展，持续加强统筹协调。"
PLACES = ("北湖", "滨河", "青溪", "临河科学城")


def populate(engine: Engine, plan_id: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    arrivals = random.Random(seed + 1)  # its own stream: receipt days leave the reports' contents as they were
    add_department(engine, "临河区", level="区")
    for name in DEPARTMENTS:
        add_department(engine, name, parent="临河区", level="委办局")
    data = assessment_inputs(engine, str(plan_id), QUARTERS[-1])
    tasks, targets = data["tasks"], data["targets"]
    for i, t in enumerate(tasks):
        assign(engine, [t["ref"]], lead=DEPARTMENTS[i % len(DEPARTMENTS)], support=(DEPARTMENTS[(i + 1) % len(DEPARTMENTS)],))
    for i, t in enumerate(targets):
        assign(engine, [t["ref"]], lead=DEPARTMENTS[(i + 2) % len(DEPARTMENTS)])
    projects = _plan_projects(engine, random.Random(seed + 2), data["projects"])
    progress = {t["ref"]: rng.uniform(5, 15) for t in tasks}
    pace = {t["ref"]: rng.choice((4, 9, 12, 14)) for t in tasks}
    for qi, label in enumerate(QUARTERS):
        due = date.fromisoformat(open_period(engine, label)["due"])
        for i, t in enumerate(tasks):
            progress[t["ref"]] = min(100.0, progress[t["ref"]] + pace[t["ref"]] * rng.uniform(0.6, 1.3))
            _report(engine, rng, t, label, DEPARTMENTS[i % len(DEPARTMENTS)], progress[t["ref"]], last=qi == len(QUARTERS) - 1,
                    received_on=_received(arrivals, due))
        for i, t in enumerate(targets):
            if rng.random() < 0.9:  # a few indicator rows are left blank: the bulletin lists who has not reported
                submit_report(engine, t["ref"], label, DEPARTMENTS[(i + 2) % len(DEPARTMENTS)],
                              ReportInput("推进中", None, f"{t['metric']}按统计口径报送，{rng.choice(PLACES)}监测点数据已核对"),
                              received_on=_received(arrivals, due))
        _report_projects(engine, projects, label, received_on=_received(arrivals, due))
        for r in list_reports(engine, period=label, review="submitted"):
            if qi < len(QUARTERS) - 1 or r["narrative"] != STOCK:  # the stock ones wait in the review queue
                review_report(engine, r["id"], "approve")
        if qi < len(QUARTERS) - 1:
            close_period(engine, label)
    observations = sum(_observe(engine, rng, t, data["plan"]["period"]) for t in targets)
    add_comment(engine, tasks[-1]["ref"], "请区水务局加快进度，确保按期完成。", instruction=True)
    return {"departments": len(DEPARTMENTS) + 1, "periods": len(QUARTERS), "reports": len(list_reports(engine)),
            "observations": observations}


# Each demo project's lead, planned start and completion, and how fast its works go (share of
# the schedule each quarter), in the plan's order (the laboratory, the industrial park, the
# forest park, the wetland park, the water plant): two run to time over years, one finishes
# early, one runs to time, one falls behind.
PROJECT_PLANS = (("区科信局", date(2023, 6, 30), date(2025, 12, 31), 1.0), ("区发展改革委", date(2024, 3, 31), date(2026, 6, 30), 1.0),
                 ("区园林绿化局", date(2023, 3, 31), date(2024, 9, 30), 1.3), ("区园林绿化局", date(2023, 6, 30), date(2025, 6, 30), 1.0),
                 ("区水务局", date(2023, 9, 30), date(2024, 12, 31), 0.45))
PROJECT_LIFE = (("开工", 0.05), ("主体完工", 0.7), ("竣工", 1.0))


def _plan_projects(engine: Engine, rng: random.Random, projects: list[dict]) -> list[tuple]:
    """Assign and schedule the plan's named projects: a lead, a planned investment, 开工 and 竣工 dates."""
    from ..store.projects import StageInput, schedule_project

    out = []
    for p, (lead, start, finish, speed) in zip(projects, PROJECT_PLANS, strict=False):
        budget = round(rng.uniform(3, 12), 1)
        assign(engine, [p["ref"]], lead=lead)
        schedule_project(engine, p["ref"], [StageInput("开工", start), StageInput("竣工", finish)], investment=budget)
        out.append((p, lead, start, finish, speed, budget))
    return out


def _report_projects(engine: Engine, projects: list[tuple], label: str, received_on: date) -> None:
    """Each project's quarterly report: the investment done so far and the last milestone reached."""
    end = _quarter_end(label)
    for p, lead, start, finish, speed, budget in projects:
        if end < start:
            continue
        share = min(1.0, speed * (end - start).days / (finish - start).days)
        stage, at = next(((s, at) for s, at in reversed(PROJECT_LIFE) if share >= at), (None, 0))
        status = "已完成" if stage == "竣工" else "滞后" if speed < 1 and share < 0.6 else "推进中"
        reached = min(end, start + (finish - start) * (at / speed)) if stage else None  # when its share crossed the stage
        problems = "施工进度慢于计划" if status == "滞后" else ""
        submit_report(engine, p["ref"], label, lead,
                      ReportInput(status, None, f"{p['title']}累计完成投资{budget * share:.1f}亿元", problems, "按计划推进下阶段工作",
                                  round(budget * share, 1), stage, reached), received_on=received_on)


def _quarter_end(label: str) -> date:
    year, quarter = int(label[:4]), int(label[-1])
    return date(year + (quarter == 4), 1 if quarter == 4 else quarter * 3 + 1, 1) - timedelta(days=1)


def _received(rng: random.Random, due: date) -> date:
    """The day a report reached the office: most a few days before the due date, some late."""
    return due + timedelta(days=rng.randint(1, 12) if rng.random() < 0.12 else -rng.randint(0, 6))


def _report(engine, rng, task, label, dep, percent, last: bool, received_on: date) -> None:
    status = "已完成" if percent >= 100 else "滞后" if rng.random() < 0.12 else "推进中"
    text = rng.choice(NARRATIVES).format(n=rng.randint(2, 9), m=round(rng.uniform(0.5, 6), 1), k=rng.randint(1, 3),
                                         place=rng.choice(PLACES), month=rng.randint(1, 12))
    if last and rng.random() < 0.3:
        text = STOCK  # a report the review queue should put first
    problems = "征地拆迁进度慢于预期" if status == "滞后" else ""
    submit_report(engine, task["ref"], label, dep, ReportInput(status, round(percent), text, problems, "按计划推进下阶段工作"),
                  received_on=received_on)


def _observe(engine, rng, target, period) -> int:
    """Yearly figures 2021–2024 on a noisy path towards the target; 2024 preliminary, earlier final."""
    start, end = period or (2021, 2025)
    goal, kind = target["value"], target["type"]
    if kind == "annual_growth":
        values = [goal * rng.uniform(0.75, 1.15) for _ in range(start, 2025)]
    elif kind in ("increase", "decrease"):
        share = rng.uniform(0.5, 1.0)
        values = [goal * share * (y - start + 1) / (end - start + 1) for y in range(start, 2025)]
    else:
        base = target["baseline"] if target["baseline"] is not None else goal * (1.15 if target["comparator"] == "<=" else 0.85)
        speed = rng.uniform(0.55, 1.1)
        values = [base + (goal - base) * speed * (y - start + 1) / (end - start + 1) * rng.uniform(0.95, 1.05) for y in range(start, 2025)]
    for year, value in zip(range(start, 2025), values, strict=True):
        vintage = "preliminary" if year == 2024 else "final"
        add_observation(engine, target["ref"], ObservationInput(year, round(value, 2), target["unit"], "bulletin",
                                                                f"临河区{year}年统计公报", vintage, date(year + 1, 3, 15)))
    return len(values)
