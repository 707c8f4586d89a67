"""Windows and edge cases of the target assessment, each computed by hand (issue 12).

Every case names the method it runs under; the numbers in the comments are the ones the
assertions check, worked out on paper from the formulas in statcan.py and midterm.py."""

from __future__ import annotations

import pytest

from planwatch.assess import Point, TargetFacts, Thresholds, assess_target

PERIOD = (2021, 2025)
STATCAN, MIDTERM = Thresholds(), Thresholds(method="cn-midterm")
BOTH = pytest.mark.parametrize("th", [STATCAN, MIDTERM], ids=["statcan", "cn-midterm"])


def pts(*pairs):
    return [Point(t, v) for t, v in pairs]


def level(value=50.0, baseline=40.0, comparator=">=", year=2025, **kw):
    return TargetFacts(1, "森林覆盖率", value, "%", comparator, "level", baseline, 2020, year, **kw)


def growth(rate, comparator="="):
    return TargetFacts(2, "地区生产总值增速", rate, "%", comparator, "annual_growth", None, 2020, 2025)


# --- the window: base year .. target year -------------------------------------------------

@BOTH
def test_a_target_missed_in_its_year_is_overdue_whatever_came_later(th):
    a = assess_target(level(), pts((2024, 48), (2025, 49), (2027, 51)), as_of=2027, th=th)
    assert a.code == "overdue" and a.status == "逾期未完成"
    assert a.latest.t == 2025 and a.latest.value == 49  # judged on the target year's own value
    assert [o["t"] for o in a.after_deadline] == [2027] and [o["t"] for o in a.observations] == [2024, 2025]
    assert "2025" in a.criterion and "49" in a.criterion


@BOTH
def test_a_target_met_in_its_year_stays_achieved_when_it_slips_later(th):
    a = assess_target(level(), pts((2024, 48), (2025, 50), (2027, 45)), as_of=2027, th=th)
    assert a.code == "achieved" and a.latest.value == 50 and a.after_deadline[0]["value"] == 45


def test_only_observations_after_the_deadline_leave_the_target_unassessed_and_say_why():
    a = assess_target(level(), pts((2026, 51)), as_of=2026)
    assert a.code == "no_data" and "已过目标年" in a.criterion and a.after_deadline[0]["t"] == 2026


def test_yearly_rates_outside_the_window_are_not_averaged_in():
    # 2020 (the base year's own rate) and 2026 (after the target year) are left out:
    # CAGR over 2021–2022 = √(1.06 × 1.06) − 1 = 6%, R = 6/6 = 1 → 正常
    a = assess_target(growth(6), pts((2020, 9), (2021, 6), (2022, 6), (2026, 1)), as_of=2026)
    assert a.cagr_observed == pytest.approx(0.06) and a.ratio == pytest.approx(1.0) and a.status == "正常"
    assert list(a.inputs["yearly_rates"]) == ["2021", "2022"] and a.after_deadline[0]["t"] == 2026
    b = assess_target(growth(6), pts((2020, 9), (2021, 6), (2022, 6), (2026, 1)), as_of=2026, th=MIDTERM)
    assert b.cagr_observed == pytest.approx(0.06)


# --- zero and negative growth targets ---------------------------------------------------------

@BOTH
@pytest.mark.parametrize(("rate", "code"), [(-0.5, "on_track"), (0.0, "on_track"), (1.0, "deterioration")])
def test_a_zero_growth_target_is_a_cap_on_the_rate(th, rate, code):
    a = assess_target(growth(0), pts((2021, rate)), as_of=2021, th=th)
    assert a.code == code and a.code != "no_data"


def test_a_negative_growth_target_tells_rising_from_falling_statcan():
    # −2% a year: +1% runs the wrong way, R = −1 × 1% / 2% = −0.5 → 倒退
    up = assess_target(growth(-2), pts((2021, 1)), as_of=2021)
    assert up.ratio == pytest.approx(-0.5) and up.status == "倒退"
    # −3% falls faster than asked: R = −1 × −3% / 2% = 1.5 → 正常
    down = assess_target(growth(-2), pts((2021, -3)), as_of=2021)
    assert down.ratio == pytest.approx(1.5) and down.status == "正常"
    # −1.5%: R = 0.75 → 需加力
    assert assess_target(growth(-2), pts((2021, -1.5)), as_of=2021).ratio == pytest.approx(0.75)


def test_a_negative_growth_target_tells_rising_from_falling_cn_midterm():
    # levels: 1.01 after one year against 0.98^5 = 0.9039 at the end: c = (1.01 − 1)/(0.9039 − 1) = −0.104 → 倒退
    up = assess_target(growth(-2), pts((2021, 1)), as_of=2021, th=MIDTERM)
    assert up.completion == pytest.approx(0.01 / (0.98 ** 5 - 1)) and up.status == "倒退"
    # 0.97: c = −0.03 / −0.0961 = 0.312 ≥ e = 0.2 → 正常
    down = assess_target(growth(-2), pts((2021, -3)), as_of=2021, th=MIDTERM)
    assert down.completion == pytest.approx(-0.03 / (0.98 ** 5 - 1)) and down.status == "正常"


# --- a target equal to its baseline -----------------------------------------------------------

@BOTH
def test_a_target_equal_to_the_baseline_is_kept_or_lost(th):
    keep = TargetFacts(3, "耕地保有量", 50, "万亩", "=", "level", 50, 2020, 2025)
    held = assess_target(keep, pts((2022, 50.5)), as_of=2022, th=th)
    assert held.code == "achieved" and any("保持" in n for n in held.notes)
    lost = assess_target(keep, pts((2022, 49)), as_of=2022, th=th)
    assert lost.code == "deterioration" and lost.breaches == [2022]


# --- caps breached then recovered -------------------------------------------------------------

CAP = TargetFacts(4, "细颗粒物年均浓度", 35, "微克/立方米", "<=", "level", 33, 2020, 2025)


def test_a_cap_breached_then_recovered_statcan_follows_the_latest_value_and_lists_the_breach():
    a = assess_target(CAP, pts((2021, 36), (2022, 34)), as_of=2022)
    assert a.code == "achieved" and a.breaches == [2021]


def test_a_cap_breached_then_recovered_cn_midterm_needs_acceleration_and_lists_the_breach():
    a = assess_target(CAP, pts((2021, 36), (2022, 34)), as_of=2022, th=MIDTERM)
    assert a.code == "accelerate" and a.breaches == [2021] and "2021" in a.criterion


def test_a_cap_met_at_the_base_and_breached_now_is_deterioration_statcan():
    # R = 1 × −1 × ((36/33)^(1/2) − 1) / |(35/33)^(1/5) − 1| = −0.0445 / 0.0118 = −3.77
    a = assess_target(CAP, pts((2022, 36)), as_of=2022)
    r = -((36 / 33) ** 0.5 - 1) / abs((35 / 33) ** 0.2 - 1)
    assert a.ratio == pytest.approx(r) and a.code == "deterioration" and a.breaches == [2022]


# --- 左右 bands, both ways --------------------------------------------------------------------

BAND = TargetFacts(5, "常住人口城镇化率", 60, "%", "~", "level", 50, 2020, 2025)  # ±5%: 57 … 63


@BOTH
def test_overshooting_a_band_before_the_due_year_is_not_on_track(th):
    a = assess_target(BAND, pts((2022, 64)), as_of=2022, th=th)
    assert a.inputs["band"] == pytest.approx((57, 63)) and a.code == "accelerate" and "区间" in a.criterion


@BOTH
def test_inside_the_band_is_achieved(th):
    assert assess_target(BAND, pts((2022, 57.5)), as_of=2022, th=th).code == "achieved"


@BOTH
def test_a_baseline_inside_the_band_that_leaves_it_is_not_on_track(th):
    inside = TargetFacts(5, "常住人口城镇化率", 60, "%", "~", "level", 59, 2020, 2025)
    a = assess_target(inside, pts((2022, 65)), as_of=2022, th=th)
    assert a.code == "deterioration" and a.breaches == [2022]


@BOTH
@pytest.mark.parametrize(("rate", "code"), [(7.0, "accelerate"), (6.3, "on_track"), (5.7, "on_track")])
def test_a_growth_band_checks_both_bounds(th, rate, code):
    # 6%左右 is 5.7% … 6.3% (±5% of the target, as the README says); 7% is above the upper bound
    assert assess_target(growth(6, "~"), pts((2021, rate)), as_of=2021, th=th).code == code


def test_a_growth_band_below_the_lower_bound_is_graded_by_the_ratio():
    a = assess_target(growth(6, "~"), pts((2021, 5)), as_of=2021)
    assert a.ratio == pytest.approx(5 / 6) and a.code == "accelerate"


def test_a_growth_band_overshot_at_the_due_year_is_overdue():
    rates = pts(*[(y, 7.5) for y in range(2021, 2026)])
    assert assess_target(growth(6, "~"), rates, as_of=2025).code == "overdue"


# --- one observation or several -------------------------------------------------------------

REQ = (50 / 40) ** (1 / 5) - 1


@BOTH
def test_one_or_several_observations_on_the_same_path_give_the_same_status(th):
    # R = 0.967 whether 2022 is reached in one step or through 2021
    x1, x2 = 40 * (1 + 0.967 * REQ), 40 * (1 + 0.967 * REQ) ** 2
    once = assess_target(level(), pts((2022, x2)), as_of=2022, th=th)
    twice = assess_target(level(), pts((2021, x1), (2022, x2)), as_of=2022, th=th)
    assert once.code == twice.code
    if th is STATCAN:
        assert once.ratio == pytest.approx(0.967) and twice.ratio == pytest.approx(0.967) and once.status == "正常"


# --- no baseline ------------------------------------------------------------------------------

def test_without_a_baseline_the_criterion_names_the_observations_it_has():
    t = TargetFacts(6, "指标", 50, "", ">=", "level", None, None, 2025)
    a = assess_target(t, pts((2022, 43)), as_of=2022, plan_period=PERIOD)
    assert a.code == "no_data" and "无观测值" not in a.criterion and "43" in a.criterion
    b = assess_target(t, pts((2021, 41), (2022, 43)), as_of=2022)
    assert b.code != "no_data" and b.inputs["baseline"] == 41 and any("最早观测值" in n for n in b.notes)
    assert "无观测值" not in b.criterion


def test_a_single_base_observation_that_meets_the_target_is_achieved_as_in_open_sdg():
    t = TargetFacts(6, "指标", 50, "", ">=", "level", None, 2020, 2025)
    assert assess_target(t, pts((2020, 51)), as_of=2020).code == "achieved"
    assert assess_target(t, pts((2020, 45)), as_of=2020).code == "no_data"


# --- the latest value and the completion come from one observation ---------------------------

@BOTH
def test_latest_value_and_completion_use_the_same_observation(th):
    # a later observation outside the as-of date and one after the deadline are both ignored
    a = assess_target(level(), pts((2021, 42), (2022, 44), (2026, 51)), as_of=2022, th=th)
    assert a.latest.value == 44 and a.inputs["latest"] == 44
    if th is MIDTERM:
        assert a.completion == pytest.approx((44 - 40) / 10)
    else:
        assert a.cagr_observed == pytest.approx((44 / 40) ** 0.5 - 1)


# --- monitoring indicators --------------------------------------------------------------------

@BOTH
@pytest.mark.parametrize(("last", "code"), [(106, "on_track"), (102, "accelerate"), (100.9, "limited"), (99, "deterioration")])
def test_monitoring_indicators_take_the_no_target_measure_under_either_method(th, last, code):
    # observed CAGR over three years against 1.5% / 0.5% / 0: 1.96%, 0.66%, 0.30%, −0.33%
    monitor = TargetFacts(7, "常住人口", None, "万人", ">=", "monitor", None, 2020, None)
    a = assess_target(monitor, pts((2020, 100), (2023, last)), as_of=2023, plan_period=PERIOD, th=th)
    assert a.method == "statcan" and a.basis == "no target" and a.code == code
    assert a.cagr_observed == pytest.approx((last / 100) ** (1 / 3) - 1)
