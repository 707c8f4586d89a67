"""Target and task assessment on hand-computed cases."""

from __future__ import annotations

import math
from datetime import date

import pytest

from planwatch.assess import Point, ReportFacts, TargetFacts, TaskFacts, Thresholds, assess_target, assess_task, roll_up
from planwatch.assess.targets import ACHIEVED, AT_RISK, NO_DATA, OFF_TRACK, ON_TRACK

PERIOD = (2021, 2025)


def level(value=50.0, baseline=40.0, comparator="=", **kw):
    return TargetFacts(1, "森林覆盖率", value, "%", comparator, "level", baseline, 2020 if baseline is not None else None, 2025, **kw)


def pts(*pairs):
    return [Point(t, v) for t, v in pairs]


def test_ahead_of_time_is_on_track_by_completion_against_elapsed():
    a = assess_target(level(), pts((2023, 47)), as_of=2023)
    assert a.completion == pytest.approx(0.7) and a.elapsed == pytest.approx(0.6)
    assert a.status == ON_TRACK


def test_moderate_progress_is_at_risk():
    a = assess_target(level(), pts((2021, 41.5), (2022, 43), (2023, 44.5)), as_of=2023)
    assert a.completion == pytest.approx(0.45)
    assert a.projected == pytest.approx(47.5)  # a straight line: the weights do not move it
    assert a.projected_share == pytest.approx(0.75)
    assert a.cagr_required == pytest.approx((50 / 40) ** (1 / 5) - 1)
    assert a.ratio == pytest.approx(((44.5 / 40) ** (1 / 3) - 1) / ((50 / 40) ** (1 / 5) - 1))  # 0.793
    assert a.status == AT_RISK


def test_slow_progress_is_off_track():
    a = assess_target(level(), pts((2021, 40.5), (2022, 41), (2023, 41.5)), as_of=2023)
    assert a.projected_share == pytest.approx(0.25) and a.status == OFF_TRACK


def test_moving_the_wrong_way_is_off_track():
    a = assess_target(level(), pts((2021, 39), (2022, 38)), as_of=2022)
    assert a.completion < 0 and a.status == OFF_TRACK


def test_target_already_met_is_achieved():
    assert assess_target(level(), pts((2022, 45), (2023, 50.2)), as_of=2023).status == ACHIEVED


def test_observation_after_the_due_year_unmet_is_off_track():
    a = assess_target(level(), pts((2024, 48), (2025, 49.5)), as_of=2025)
    assert a.status == OFF_TRACK


def test_observations_after_as_of_are_not_used():
    a = assess_target(level(), pts((2022, 44), (2024, 50.5)), as_of=2023)
    assert a.inputs["latest"] == 44


def test_cap_already_met_is_pass_fail_on_every_year_and_projection():
    cap = TargetFacts(2, "细颗粒物年均浓度", 32, "微克/立方米", "<=", "level", 30, 2020, 2025)
    assert assess_target(cap, pts((2021, 31), (2022, 29)), as_of=2022).status == ACHIEVED
    assert assess_target(cap, pts((2021, 31), (2022, 33)), as_of=2022).status == OFF_TRACK
    assert assess_target(cap, pts((2021, 33), (2022, 31)), as_of=2022).status == AT_RISK
    rising = assess_target(cap, pts((2021, 29), (2022, 30.5), (2023, 31.8)), as_of=2023)
    assert rising.projected > 32 and rising.status == AT_RISK  # within the cap today, above it by 2025


def test_cap_above_the_baseline_is_progress_towards_it():
    cap = TargetFacts(2, "细颗粒物年均浓度", 32, "微克/立方米", "<=", "level", 38, 2020, 2025)
    a = assess_target(cap, pts((2022, 35)), as_of=2022)
    assert a.completion == pytest.approx(0.5) and a.elapsed == pytest.approx(0.4) and a.status == ON_TRACK


def test_annual_growth_compares_compound_growth_with_the_required_rate():
    growth = TargetFacts(3, "地区生产总值年均增速", 6, "%", "=", "annual_growth", None, None, 2025)
    a = assess_target(growth, pts((2021, 8.0), (2022, 4.0), (2023, 5.5)), as_of=2023, plan_period=PERIOD)
    cagr = ((1.08 * 1.04 * 1.055) ** (1 / 3) - 1) * 100
    assert a.cagr_observed == pytest.approx(cagr) and a.ratio == pytest.approx(cagr / 6)  # 0.970
    assert a.status == ON_TRACK
    slow = assess_target(growth, pts((2021, 3.0), (2022, 4.0)), as_of=2022, plan_period=PERIOD)
    assert slow.ratio == pytest.approx((math.sqrt(1.03 * 1.04) - 1) * 100 / 6) and slow.status == OFF_TRACK


def test_growth_within_the_tolerance_of_a_circa_target_is_on_track():
    circa = TargetFacts(3, "地区生产总值年均增速", 6, "%", "~", "annual_growth", None, None, 2025)
    assert assess_target(circa, pts((2021, 5.8), (2022, 5.8)), as_of=2022, plan_period=PERIOD).status == ON_TRACK
    done = assess_target(circa, pts((2021, 5), (2022, 5), (2023, 5), (2024, 5), (2025, 5)), as_of=2025, plan_period=PERIOD)
    assert done.status == OFF_TRACK


def test_increase_by_an_amount_is_the_cumulative_amount_over_the_promise():
    more = TargetFacts(4, "新增造林面积", 2.5, "万亩", "=", "increase", None, None, 2025)
    a = assess_target(more, pts((2021, 0.6), (2022, 1.1)), as_of=2022, plan_period=PERIOD)
    assert a.completion == pytest.approx(0.44) and a.elapsed == pytest.approx(0.4) and a.status == ON_TRACK
    assert assess_target(more, pts((2023, 2.6)), as_of=2023, plan_period=PERIOD).status == ACHIEVED


def test_cumulative_decline_is_converted_to_a_level_first():
    decline = TargetFacts(5, "单位地区生产总值能耗降幅", 13.5, "%", "=", "decrease", None, None, 2025)
    a = assess_target(decline, pts((2021, 3), (2022, 5)), as_of=2022, plan_period=PERIOD)
    assert a.inputs["goal_level"] == pytest.approx(86.5)
    assert a.completion == pytest.approx((95 - 100) / (86.5 - 100))  # 0.370
    assert any("指数" in n for n in a.notes)
    assert a.status in (AT_RISK, ON_TRACK) and 0.6 < a.projected_share < 1.2


def test_missing_baseline_uses_the_earliest_observation_and_says_so():
    a = assess_target(level(baseline=None), pts((2021, 42), (2022, 44)), as_of=2022, plan_period=PERIOD)
    assert a.completion == pytest.approx(0.25)
    assert any("最早观测值" in n for n in a.notes)


def test_missing_year_uses_the_plan_period_and_says_so():
    t = TargetFacts(1, "森林覆盖率", 50, "%", "=", "level", 40, 2020, None)
    a = assess_target(t, pts((2023, 47)), as_of=2023, plan_period=PERIOD)
    assert a.inputs["target_year"] == 2025 and any("规划期" in n for n in a.notes)


def test_fewer_than_two_points_is_no_data():
    assert assess_target(level(baseline=None), pts((2022, 44)), as_of=2022, plan_period=PERIOD).status == NO_DATA
    assert assess_target(level(), [], as_of=2022).status == NO_DATA


def test_binding_target_not_on_track_is_red():
    a = assess_target(level(binding="约束性"), pts((2021, 40.5), (2022, 41)), as_of=2022)
    assert a.status == OFF_TRACK and a.red
    assert not assess_target(level(binding="约束性"), pts((2023, 47)), as_of=2023).red


def test_thresholds_are_settings():
    a = assess_target(level(), pts((2021, 41.5), (2022, 43), (2023, 44.5)), as_of=2023, th=Thresholds(on_track=0.75))
    assert a.status == ON_TRACK


def test_every_status_carries_its_explanation():
    a = assess_target(level(), pts((2021, 41.5), (2022, 43)), as_of=2022)
    e = a.explanation()
    assert e["formula"] and e["method"] and e["inputs"]["baseline"] == 40 and len(e["observations"]) == 2


TASK = TaskFacts(3, "治理水环境", "建设宜居绿色之城", (date(2024, 12, 31),), "区水务局", date(2021, 1, 1))


def report(period, end, status, percent=None, problems=""):
    return ReportFacts(period, end, status, percent, "", problems, 1, "区水务局")


@pytest.mark.parametrize(("reports", "period", "end", "expected"), [
    ([report("2024Q2", date(2024, 6, 30), "已完成", 100)], "2024Q2", date(2024, 6, 30), "已完成"),
    ([report("2024Q2", date(2024, 6, 30), "推进中", 60)], "2025Q1", date(2025, 3, 31), "逾期"),
    ([report("2024Q1", date(2024, 3, 31), "推进中", 60)], "2024Q2", date(2024, 6, 30), "未报送"),
    ([report("2024Q2", date(2024, 6, 30), "滞后", 40, "征地未完成")], "2024Q2", date(2024, 6, 30), "滞后"),
    ([report("2024Q2", date(2024, 6, 30), "推进中", 20)], "2024Q2", date(2024, 6, 30), "滞后"),
    ([report("2024Q2", date(2024, 6, 30), "未启动")], "2024Q2", date(2024, 6, 30), "未启动"),
    ([report("2024Q2", date(2024, 6, 30), "推进中", 75)], "2024Q2", date(2024, 6, 30), "按期推进"),
])
def test_task_statuses(reports, period, end, expected):
    assert assess_task(TASK, reports, period, end).status == expected


def test_delayed_task_gives_the_reported_problem_as_its_reason():
    a = assess_task(TASK, [report("2024Q2", date(2024, 6, 30), "滞后", 40, "征地未完成")], "2024Q2", date(2024, 6, 30))
    assert "征地未完成" in a.reason


def test_roll_up_lights():
    th = Thresholds()
    rows = roll_up([("一", "正常", False)] * 9 + [("一", "滞后", False)] + [("二", "正常", False), ("二", "预警", True),
                                                                         ("三", "无数据", False)], "target", th)
    by = {r["name"]: r for r in rows}
    assert by["一"]["light"] == "黄" and by["一"]["shares"]["滞后"] == pytest.approx(0.1)
    assert by["二"]["light"] == "红"  # a binding target not on track
    assert by["三"]["assessed"] == 0 and by["三"]["light"] == "绿"
