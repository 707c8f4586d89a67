"""Target and task assessment on hand-computed cases."""

from __future__ import annotations

from datetime import date

import pytest

from planwatch.assess import Point, ReportFacts, TargetFacts, TaskFacts, Thresholds, assess_target, assess_task, roll_up

PERIOD = (2021, 2025)
MIDTERM = Thresholds(method="cn-midterm")


def level(value=50.0, baseline=40.0, comparator="=", **kw):
    return TargetFacts(1, "森林覆盖率", value, "%", comparator, "level", baseline, 2020 if baseline is not None else None, 2025, **kw)


def pts(*pairs):
    return [Point(t, v) for t, v in pairs]


def test_cn_midterm_ahead_of_time_is_on_track_by_completion_against_elapsed():
    a = assess_target(level(), pts((2023, 47)), as_of=2023, th=MIDTERM)
    assert a.completion == pytest.approx(0.7) and a.elapsed == pytest.approx(0.6)
    assert a.status == "正常" and a.method == "cn-midterm" and "序时进度" in a.criterion


def test_cn_midterm_moderate_progress_needs_acceleration():
    a = assess_target(level(), pts((2021, 41.5), (2022, 43), (2023, 44.5)), as_of=2023, th=MIDTERM)
    assert a.completion == pytest.approx(0.45)
    assert a.projected == pytest.approx(47.5)  # a straight line: the weights do not move it
    assert a.projected_share == pytest.approx(0.75)
    assert a.status == "需加力" and a.code == "accelerate"


def test_cn_midterm_slow_progress_is_limited_and_the_wrong_way_deterioration():
    assert assess_target(level(), pts((2021, 40.5), (2022, 41), (2023, 41.5)), as_of=2023, th=MIDTERM).status == "进展有限"
    a = assess_target(level(), pts((2021, 39), (2022, 38)), as_of=2022, th=MIDTERM)
    assert a.completion < 0 and a.status == "倒退"


def test_observations_after_as_of_are_not_used():
    a = assess_target(level(), pts((2022, 44), (2024, 50.5)), as_of=2023)
    assert a.inputs["latest"] == 44 and a.latest.value == 44


def test_cap_above_the_baseline_is_progress_towards_it():
    cap = TargetFacts(2, "细颗粒物年均浓度", 32, "微克/立方米", "<=", "level", 38, 2020, 2025)
    a = assess_target(cap, pts((2022, 35)), as_of=2022, th=MIDTERM)
    assert a.completion == pytest.approx(0.5) and a.elapsed == pytest.approx(0.4) and a.status == "正常"


def test_increase_by_an_amount_is_the_cumulative_amount_over_the_promise_under_either_method():
    more = TargetFacts(4, "新增造林面积", 2.5, "万亩", "=", "increase", None, None, 2025)
    a = assess_target(more, pts((2021, 0.6), (2022, 1.1)), as_of=2022, plan_period=PERIOD)
    assert a.completion == pytest.approx(0.44) and a.elapsed == pytest.approx(0.4) and a.status == "正常"
    assert a.method == "cn-midterm" and any("statcan 方法不适用" in n for n in a.notes)  # named, not silently swapped
    assert assess_target(more, pts((2023, 2.6)), as_of=2023, plan_period=PERIOD).status == "已完成"


def test_cumulative_decline_is_converted_to_a_level_first():
    decline = TargetFacts(5, "单位地区生产总值能耗降幅", 13.5, "%", "=", "decrease", None, None, 2025)
    a = assess_target(decline, pts((2021, 3), (2022, 5)), as_of=2022, plan_period=PERIOD)
    assert a.inputs["goal_level"] == pytest.approx(86.5) and a.inputs["direction"] == -1
    # statcan on the index level: 100 → 95 in 2 years against 100 → 86.5 in 5
    r = ((95 / 100) ** (1 / 2) - 1) / abs((86.5 / 100) ** (1 / 5) - 1) * -1
    assert a.ratio == pytest.approx(r) and any("指数" in n for n in a.notes)  # 0.899
    assert a.status == "需加力"


def test_missing_year_uses_the_plan_period_and_says_so():
    t = TargetFacts(1, "森林覆盖率", 50, "%", "=", "level", 40, 2020, None)
    a = assess_target(t, pts((2023, 47)), as_of=2023, plan_period=PERIOD)
    assert a.inputs["target_year"] == 2025 and any("规划期" in n for n in a.notes)


def test_binding_target_not_on_track_is_red():
    a = assess_target(level(binding="约束性"), pts((2021, 40.5), (2022, 41)), as_of=2022)
    assert a.status == "进展有限" and a.red
    assert not assess_target(level(binding="约束性"), pts((2023, 47)), as_of=2023).red


def test_thresholds_are_settings():
    a = assess_target(level(), pts((2021, 41.5), (2022, 43), (2023, 44.5)), as_of=2023, th=Thresholds(on_track=0.75))
    assert a.ratio == pytest.approx(((44.5 / 40) ** (1 / 3) - 1) / ((50 / 40) ** (1 / 5) - 1)) and a.status == "正常"  # 0.793


def test_labels_are_the_plans_own_one_to_one():
    th = Thresholds(labels={"accelerate": "需加快进度"})
    a = assess_target(level(), pts((2021, 41.5), (2022, 43), (2023, 44.5)), as_of=2023, th=th)
    assert (a.code, a.status) == ("accelerate", "需加快进度")


def test_every_status_carries_its_method_criterion_and_filled_formulas():
    a = assess_target(level(), pts((2021, 41.5), (2022, 43)), as_of=2022)
    e = a.explanation()
    assert e["method"] == "statcan" and e["criterion"].startswith("R = ") or "R =" in e["criterion"]
    assert e["inputs"]["baseline"] == 40 and len(e["observations"]) == 2
    assert [s["name"] for s in e["steps"]] == ["观测年均增长率", "所需年均增长率", "进展比"]
    assert "(43 / 40)^(1/(2022 − 2020)) − 1" in e["steps"][0]["filled"]


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
    rows = roll_up([("一", "正常", False)] * 9 + [("一", "进展有限", False)] + [("二", "正常", False), ("二", "需加力", True),
                                                                         ("三", "无数据", False)], "target", th)
    by = {r["name"]: r for r in rows}
    assert by["一"]["light"] == "黄" and by["一"]["shares"]["进展有限"] == pytest.approx(0.1)
    assert by["二"]["light"] == "红"  # a binding target not on track
    assert by["三"]["assessed"] == 0 and by["三"]["light"] == "灰"  # nothing assessed: grey, not green
