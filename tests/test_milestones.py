"""Annual milestones (年度计划分解): interpolation by hand, each year's figure against its
milestone, a target behind its year's plan but on track for the final target flagged as behind
plan, and the CLI over a real ledger."""

from __future__ import annotations

import json

import pytest

from planwatch.assess.milestones import check, interpolate
from planwatch.assess.records import Point, TargetFacts
from planwatch.assess.settings import Thresholds
from planwatch.assess.targets import assess_target
from planwatch.errors import PermissionDenied, ValidationError
from planwatch.report.bulletin import build_bulletin
from planwatch.store.milestones import MilestoneInput, import_milestones, list_milestones, set_milestones
from planwatch.tabular import SheetRow

FOREST = TargetFacts(1, "森林覆盖率", 44.0, "%", ">=", "level", baseline=41.5, baseline_year=2020, year=2025)
GDP = TargetFacts(2, "地区生产总值", 1000.0, "亿元", ">=", "level", baseline=800.0, baseline_year=2020, year=2025)
PM25 = TargetFacts(3, "细颗粒物年均浓度", 32.0, "微克/立方米", "<=", "level", baseline=36.0, baseline_year=2020, year=2025)
GROWTH = TargetFacts(4, "地区生产总值年均增速", 6.0, "%", "~", "annual_growth", baseline_year=2020, year=2025)
NEW_FOREST = TargetFacts(5, "新增造林面积", 2.5, "万亩", ">=", "increase", baseline_year=2020, year=2025)
PERIOD = (2021, 2025)


def test_linear_interpolation_from_the_baseline_to_the_target():
    planned, used = interpolate(FOREST, [], PERIOD, "linear")
    assert used == "linear"
    assert planned == {2021: 42.0, 2022: 42.5, 2023: 43.0, 2024: 43.5, 2025: 44.0}


def test_compound_interpolation_grows_by_a_constant_rate():
    planned, used = interpolate(GDP, [], PERIOD, "compound")
    # 800 · 1.25^(k/5): 1.25^0.2 = 1.045640, 1.25^0.6 = 1.143265
    assert used == "compound"
    assert planned[2021] == pytest.approx(836.51, abs=0.01)
    assert planned[2023] == pytest.approx(914.61, abs=0.01)
    assert planned[2025] == pytest.approx(1000.0)


def test_compound_falls_back_to_linear_through_zero():
    through_zero = TargetFacts(6, "净排放", 0.0, "万吨", "<=", "level", baseline=10.0, baseline_year=2020, year=2025)
    planned, used = interpolate(through_zero, [], PERIOD, "compound")
    assert used == "linear" and planned[2023] == 4.0


def test_growth_and_cumulative_targets_plan_their_own_way():
    assert interpolate(GROWTH, [], PERIOD)[0] == {y: 6.0 for y in range(2021, 2026)}
    planned, _ = interpolate(NEW_FOREST, [], PERIOD)
    assert planned == {2021: 0.5, 2022: 1.0, 2023: 1.5, 2024: 2.0, 2025: 2.5}
    monitor = TargetFacts(7, "常住人口", None, "万人", ">=", "monitor")
    assert interpolate(monitor, [Point(2021, 50.0)], PERIOD)[0] == {}


def test_behind_its_years_milestone_but_on_track_for_the_final_target():
    target = TargetFacts(8, "地区生产总值", 650.0, "亿元", ">=", "level", baseline=500.0, baseline_year=2020, year=2025)
    points = [Point(2021, 530.0), Point(2022, 560.0), Point(2023, 592.0)]
    th = Thresholds()
    status = assess_target(target, points, 2023.0, PERIOD, th)
    assert status.code == "on_track"  # CAGR 5.79% observed against 5.39% required: R > 1
    front_loaded = {2023: 600.0}  # the annual plan asks more of 2023 than the straight path (590)
    m = check(target, points, front_loaded, 2023.0, PERIOD, th)
    assert m is not None and m.behind and m.year == 2023 and m.gap == -8.0
    assert "低于年度计划 600" in m.text
    assert not check(target, points, {2023: 590.0}, 2023.0, PERIOD, th).behind


def test_lower_is_better_and_bands_both_ways():
    th = Thresholds()
    assert check(PM25, [Point(2024, 33.0)], {2024: 32.8}, 2024.0, PERIOD, th).behind
    assert not check(PM25, [Point(2024, 32.5)], {2024: 32.8}, 2024.0, PERIOD, th).behind
    # 6% 左右 with the default ±5% band: 5.8 is inside the year's band, 5.6 below it, 7.0 above is no shortfall.
    assert not check(GROWTH, [Point(2024, 5.8)], {2024: 6.0}, 2024.0, PERIOD, th).behind
    assert check(GROWTH, [Point(2024, 5.6)], {2024: 6.0}, 2024.0, PERIOD, th).behind
    assert not check(GROWTH, [Point(2024, 7.0)], {2024: 6.0}, 2024.0, PERIOD, th).behind


def test_only_yearly_figures_up_to_the_date_and_the_target_year_count():
    th = Thresholds()
    points = [Point(2023, 43.2), Point(2024.5, 42.0), Point(2026, 40.0)]
    planned = {2023: 43.0, 2024: 43.5, 2026: 45.0}
    m = check(FOREST, points, planned, 2026.0, PERIOD, th)
    assert m.year == 2023 and not m.behind  # the half-year figure is no year's; 2026 is after the target year
    assert check(FOREST, points, planned, 2022.0, PERIOD, th) is None  # nothing observed by then
    assert check(FOREST, points, {}, 2026.0, PERIOD, th) is None


def _assessed(run_cli, url: str) -> dict:
    result = run_cli("assess", "--plan", "1", "--period", "2024Q4", "--format", "json", "--db", url)
    assert result.exit_code == 0, result.output
    return {t["item"]: t for t in json.loads(result.output)}


def test_cli_milestone_flags_behind_plan_in_the_assessment_and_the_bulletin(run_cli, demo_db):
    url = demo_db.url.render_as_string(hide_password=False)
    before = _assessed(run_cli, url)
    # a target observed in 2024 that should rise (the demo's draws decide its status: any will do)
    on_track = next(ref for ref, t in before.items() if t["latest_year"] == 2024.0 and t["target"].startswith((">=", "=")))
    latest = before[on_track]["latest"]
    result = run_cli("milestones", "set", on_track, f"2024={latest + 1}", "--db", url)
    assert result.exit_code == 0, result.output
    after = _assessed(run_cli, url)
    assert after[on_track]["status"] == before[on_track]["status"]  # the status follows the method; the milestone is beside it
    assert after[on_track]["behind_plan"] and "低于年度计划" in after[on_track]["milestone"]
    assert not any(t["behind_plan"] for ref, t in after.items() if ref != on_track)
    bulletin = build_bulletin(demo_db, "1", "2024Q4", "midterm")
    row = next(t for t in bulletin.off_track_targets if t.ref == on_track)
    assert row.status_text.endswith("（低于年度计划）") and row.behind_plan.startswith("2024年实际")


def test_interpolate_keeps_what_the_planner_set_unless_replaced(run_cli, demo_db):
    url = demo_db.url.render_as_string(hide_password=False)
    first = json.loads(run_cli("milestones", "interpolate", "--plan", "1", "--format", "json", "--db", url).output)
    assert first["added"] > 0
    again = json.loads(run_cli("milestones", "interpolate", "--plan", "1", "--format", "json", "--db", url).output)
    assert again["added"] == again["changed"] == 0 and len(again["skipped"]) >= first["targets"]
    stored = list_milestones(demo_db, "1")
    assert {m["source"] for m in stored} <= {"linear"} and len(stored) == first["added"]


def test_import_checks_every_row_and_applies_nothing_on_a_bad_one(demo_db):
    ref = list_milestones(demo_db, "1") or None
    assert ref is None
    rows = [SheetRow("年度计划", 2, {"指标编号": "I10", "年份": "2024", "计划值": "43.5"}),
            SheetRow("年度计划", 3, {"指标编号": "I10", "年份": "2025", "计划值": "abc"}),
            SheetRow("年度计划", 4, {"指标编号": "I10", "年份": "2024", "计划值": "43.6"})]
    with pytest.raises(ValidationError) as e:
        import_milestones(demo_db, "1", rows, "plan.xlsx")
    assert "row 3" in str(e.value) and "计划值" in str(e.value) and "is also on" in str(e.value)
    assert list_milestones(demo_db, "1") == []
    done = import_milestones(demo_db, "1", rows[:1], "plan.xlsx")
    assert done["added"] == 1 and list_milestones(demo_db, ref="I10")[0]["source"] == "annual_plan"


def test_only_planners_set_milestones_and_every_write_is_audited(staffed_db):
    from planwatch.store import audit_entries

    with pytest.raises(PermissionDenied):
        set_milestones(staffed_db, [MilestoneInput("I10", 2024, 43.5)], actor="观察员")
    with pytest.raises(PermissionDenied):
        set_milestones(staffed_db, [MilestoneInput("I10", 2024, 43.5)], actor="水务填报员")
    set_milestones(staffed_db, [MilestoneInput("I10", 2024, 43.5)], actor="规划科")
    set_milestones(staffed_db, [MilestoneInput("I10", 2024, 43.7)], actor="规划科")
    with pytest.raises(ValidationError, match="T1 is a task"):
        set_milestones(staffed_db, [MilestoneInput("T1", 2024, 1.0)], actor="规划科")
    entries = audit_entries(staffed_db, entity="milestone", actor="admin")
    assert sorted(e["action"] for e in entries) == ["create", "update"]


def test_the_typed_explanation_reads_a_stored_one_and_an_older_one():
    from planwatch.assess.records import Explanation
    from planwatch.assess.run import assess_data

    facts = {"id": 1, "ref": "I1", "metric": "森林覆盖率", "value": 44.0, "unit": "%", "comparator": ">=", "type": "level",
             "baseline": 41.5, "year": 2025, "binding": "约束性", "quote": "", "section": [], "span": (0, 1), "lead": None,
             "support": [], "milestones": {2024: 43.9},
             "observations": [{"id": i, "year": y, "period": None, "value": v, "unit": "%", "source": "manual", "source_ref": "",
                               "vintage": "final", "released_on": None, "period_end": None}
                              for i, (y, v) in enumerate(((2022, 42.6), (2023, 43.1), (2024, 43.5)), start=1)]}
    from datetime import date

    data = {"plan": {"id": 1, "title": "x", "period": (2021, 2025), "settings": {}},
            "period": {"label": "2024Q4", "start": date(2024, 10, 1), "end": date(2024, 12, 31)}, "targets": [facts], "tasks": []}
    stored = assess_data(data)["targets"][0]["explanation"]
    e = Explanation.from_dict(stored)
    assert e.inputs.baseline == 41.5 and e.inputs.target_year == 2025 and e.inputs.direction == 1
    assert [o.t for o in e.observations] == [2022.0, 2023.0, 2024.0] and e.observations[-1].id == 3
    assert e.milestone.planned == 43.9 and e.behind_plan.startswith("2024年实际 43.5")
    assert any(s.name == "年度计划" for s in e.steps)
    old = Explanation.from_dict({"method": "statcan", "criterion": "R = 1", "inputs": {"target": 44, "unit": "%", "future_key": 1}})
    assert old.inputs.target == 44 and old.milestone is None and old.behind_plan == "" and old.observations == ()
