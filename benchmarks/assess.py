"""Assessment and a full mid-term report for a plan of 1,000 targets and 2,000 tasks with five
years of quarterly reports and yearly observations.

    python benchmarks/assess.py [--db sqlite:///bench.db] [--chapters 40]

Target: the whole mid-term report (assess + compose + HTML) in under 5 s. The baseline, run in
the same process, is reading the assessment's inputs from the database alone.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from docx import Document
from synthetic import write_plan

from planwatch.assess import assess_data
from planwatch.assess.appraisal import appraise, rank, scorecards
from planwatch.assess.settings import AppraisalSettings
from planwatch.pipeline import process
from planwatch.report.bulletin import build_bulletin
from planwatch.report.render import render
from planwatch.store import (
    add_department,
    apply_ledger,
    assign,
    close_period,
    import_observations,
    ledger_rows,
    list_reports,
    make_engine,
    open_period,
    review_reports,
    store_extraction,
    upgrade,
)
from planwatch.store.assessments import assessment_inputs
from planwatch.tabular import SheetRow

DEP = "区城市更新局"
PERIODS = [f"{y}Q{q}" for y in range(2021, 2026) for q in (1, 2, 3, 4)]


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def build(url: str, tmp: Path, chapters: int) -> int:
    engine = make_engine(url)
    upgrade(engine)
    plan = store_extraction(engine, process(str(write_plan(tmp / "plan.txt", chapters=chapters, target_every=2))))
    add_department(engine, DEP)
    data = assessment_inputs(engine, str(plan.plan_id), PERIODS[0])
    assign(engine, [t["ref"] for t in data["tasks"]] + [t["ref"] for t in data["targets"]], lead=DEP)
    rng = random.Random(1)
    for i, label in enumerate(PERIODS[:-1]):
        open_period(engine, label)
        meta, rows = ledger_rows(engine, str(plan.plan_id), label, DEP)
        filled = [SheetRow("台账", n + 3, {"编号": r["ref"], "状态": "推进中", "完成比例": str(min(100, 5 * (i + 1) + rng.randint(0, 10))),
                                          "本期进展": f"完成第{i + 1}阶段工作{rng.randint(1, 9)}项", "版本": "0"})
                  for n, r in enumerate(rows) if r["ref"].startswith("T")]
        apply_ledger(engine, meta, filled, f"{label}.xlsx")
        review_reports(engine, [r["id"] for r in list_reports(engine, label, DEP, "submitted")], "approve")
        close_period(engine, label)
    obs = [SheetRow("统计", n, {"指标编号": t["ref"], "年份": str(year), "数值": f"{t['value'] * (0.8 + 0.04 * (year - 2020)) * rng.uniform(0.97, 1.03):.2f}"})
           for n, (t, year) in enumerate(((t, y) for t in data["targets"] for y in range(2021, 2025)), start=2)]
    import_observations(engine, str(plan.plan_id), obs, "统计年鉴")
    engine.dispose()
    return plan.plan_id


def appraise_fifty(engine, plan: str) -> int:
    """The scorecards of 50 lead units: the same assessment and reports, leads dealt round-robin."""
    from planwatch.store.appraisal import appraisal_inputs

    result = assess_data(assessment_inputs(engine, plan, "2024Q4"))
    _, due = appraisal_inputs(engine, plan, 2024)
    dealt = {t["ref"]: f"部门{i % 50:02d}" for i, t in enumerate(result["targets"] + result["tasks"])}
    targets = [{**t, "lead": dealt[t["ref"]]} for t in result["targets"]]
    tasks = [{**t, "lead": dealt[t["ref"]]} for t in result["tasks"]]
    due = [replace(d, department=dealt.get(d.item, d.department)) for d in due]
    cards = rank(scorecards(targets, tasks, due, {}, date(2025, 1, 31), AppraisalSettings()))
    return len(cards)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--chapters", type=int, default=40, help="40 chapters → 2,000 tasks and 1,000 targets")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        url = args.db or f"sqlite:///{tmp / 'bench.db'}"
        plan_id, t_build = timed(lambda: build(url, tmp, args.chapters))
        engine = make_engine(url)
        label = PERIODS[-2]
        data, t_load = timed(lambda: assessment_inputs(engine, str(plan_id), label))
        _, t_assess = timed(lambda: assess_data(data))
        bulletin, t_report = timed(lambda: build_bulletin(engine, str(plan_id), label, "midterm"))
        _, t_html = timed(lambda: render(bulletin, "html", tmp / "midterm.html"))
        _, t_docx = timed(lambda: render(bulletin, "docx", tmp / "midterm.docx"))
        docx_images = len(Document(tmp / "midterm.docx").inline_shapes)
        scored, t_appraise = timed(lambda: appraise(engine, str(plan_id), 2024))
        fifty, t_fifty = timed(lambda: appraise_fifty(engine, str(plan_id)))
        n_reports = len(list_reports(engine))
        print(f"plan: {len(data['targets'])} targets, {len(data['tasks'])} tasks, {n_reports:,} reports over {len(PERIODS) - 1} quarters "
              f"(built in {t_build:.1f} s, not timed below)")
        print(f"load inputs (baseline)     {t_load * 1000:8.0f} ms")
        print(f"assess (pure)              {t_assess * 1000:8.0f} ms   {t_assess / t_load:5.2f}x baseline")
        print(f"assess + save + compose    {t_report * 1000:8.0f} ms   {t_report / t_load:5.2f}x baseline")
        print(f"render HTML                {t_html * 1000:8.0f} ms")
        print(f"render DOCX                {t_docx * 1000:8.0f} ms   {t_docx / t_load:5.2f}x baseline ({docx_images} PNG charts, "
              f"{t_docx / max(docx_images, 1) * 1000:.0f} ms a chart at most)")
        print(f"appraisal, 1 department    {t_appraise * 1000:8.0f} ms   {t_appraise / t_load:5.2f}x baseline "
              f"({len(scored.cards)} scorecard)")
        print(f"appraisal, 50 departments  {t_fifty * 1000:8.0f} ms   {t_fifty / t_load:5.2f}x baseline ({fifty} scorecards)")
        full = t_report + t_html
        print(f"full mid-term report (HTML) {full:.2f} s  — target under 5 s: {'met' if full < 5 else 'NOT met'}")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
