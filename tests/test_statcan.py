"""The statcan method on hand-computed cases: one per status, with a target and without."""

from __future__ import annotations

import pytest

from planwatch.assess import Point, TargetFacts, Thresholds, assess_target
from planwatch.assess.statcan import limit_coefficient

COVER = TargetFacts(1, "森林覆盖率", 44, "%", ">=", "level", 41.5, 2020, 2025)
REQUIRED = (44 / 41.5) ** (1 / 5) - 1  # 1.176% a year


@pytest.mark.parametrize(("value", "ratio", "status"), [
    (44.2, None, "已完成"),
    (43.1, ((43.1 / 41.5) ** (1 / 3) - 1) / REQUIRED, "正常"),  # 1.268% / 1.176% = 1.078
    (42.5, ((42.5 / 41.5) ** (1 / 3) - 1) / REQUIRED, "需加力"),  # 0.797% / 1.176% = 0.678
    (41.8, ((41.8 / 41.5) ** (1 / 3) - 1) / REQUIRED, "进展有限"),  # 0.240% / 1.176% = 0.204
    (41.0, ((41.0 / 41.5) ** (1 / 3) - 1) / REQUIRED, "倒退"),  # negative
])
def test_each_status_with_a_target(value, ratio, status):
    a = assess_target(COVER, [Point(2021, 41.9), Point(2023, value)], as_of=2023)
    assert a.status == status and a.method == "statcan"
    if ratio is not None:
        assert a.ratio == pytest.approx(ratio)
        assert a.cagr_required == pytest.approx(REQUIRED)


def test_the_ratio_alone_decides_no_projection_or_elapsed_share_lifts_it():
    # R = 0.5695 is limited progress, whatever the recent jump projects
    t = TargetFacts(1, "指标", 50, "", "=", "level", 40, 2020, 2025)
    a = assess_target(t, [Point(2021, 40.2), Point(2022, 40.4), Point(2023, 43.2)], as_of=2023)
    assert a.ratio == pytest.approx(((43.2 / 40) ** (1 / 3) - 1) / ((50 / 40) ** (1 / 5) - 1))
    assert a.status == "进展有限" and a.criterion == f"0 ≤ R = {a.ratio:.4g} < 0.6"


def test_a_falling_target_takes_its_direction_from_the_comparator():
    cap = TargetFacts(2, "细颗粒物年均浓度", 32, "微克/立方米", "<=", "level", 38, 2020, 2025)
    a = assess_target(cap, [Point(2022, 35)], as_of=2022)
    # d = −1: −((35/38)^(1/2) − 1) / |(32/38)^(1/5) − 1| = 0.0403 / 0.0338 = 1.19
    assert a.ratio == pytest.approx(-((35 / 38) ** 0.5 - 1) / abs((32 / 38) ** 0.2 - 1)) and a.status == "正常"


def test_a_zero_base_value_is_taken_as_0_001_and_opposite_signs_cannot_be_assessed():
    t = TargetFacts(3, "净流入人口", 2, "万人", ">=", "level", 0, 2020, 2025)
    a = assess_target(t, [Point(2022, 1)], as_of=2022)
    assert a.cagr_observed == pytest.approx((1 / 0.001) ** 0.5 - 1) and any("0.001" in n for n in a.notes)
    neg = TargetFacts(3, "净流入人口", 2, "万人", ">=", "level", -1, 2020, 2025)
    b = assess_target(neg, [Point(2022, 1)], as_of=2022)
    assert b.status == "无数据" and "符号相反" in b.criterion


def test_a_negative_base_value_flips_the_sign():
    t = TargetFacts(3, "财政赤字", -2, "亿元", ">=", "level", -10, 2020, 2025)
    a = assess_target(t, [Point(2022, -5)], as_of=2022)
    # s = −1, d = +1: −((−5/−10)^(1/2) − 1) / |(−2/−10)^(1/5) − 1| = 0.2929 / 0.2752 = 1.064
    assert a.ratio == pytest.approx(-((0.5 ** 0.5) - 1) / abs(0.2 ** 0.2 - 1)) and a.status == "正常"


def test_less_than_a_year_from_the_base_cannot_be_assessed():
    a = assess_target(COVER, [Point(2020.5, 42)], as_of=2020.5)
    assert a.status == "无数据" and "不足一年" in a.criterion


MONITOR = TargetFacts(9, "常住人口", None, "万人", ">=", "monitor", None, 2020, None)


@pytest.mark.parametrize(("value", "status"), [
    (106, "正常"),  # (106/100)^(1/3) − 1 = 1.961% ≥ 1.5%
    (102, "需加力"),  # 0.662%
    (100.9, "进展有限"),  # 0.299%
    (99, "倒退"),  # −0.334%
])
def test_each_status_without_a_target(value, status):
    a = assess_target(MONITOR, [Point(2020, 100), Point(2023, value)], as_of=2023)
    assert a.cagr_observed == pytest.approx((value / 100) ** (1 / 3) - 1)
    assert a.status == status and a.basis == "no target" and a.method == "statcan"


def test_a_monitored_indicator_that_should_fall_reverses_the_sign():
    down = TargetFacts(9, "万元产值用水量", None, "立方米", "<=", "monitor", None, 2020, None)
    assert assess_target(down, [Point(2020, 100), Point(2023, 94)], as_of=2023).status == "正常"  # −(−2.04%) ≥ 1.5%


def test_near_a_natural_limit_the_thresholds_shrink():
    share = TargetFacts(9, "城镇污水处理率", None, "%", ">=", "monitor", None, 2020, None, limit=100)
    c = 1 - 0.95 ** 4.44  # 0.2037
    assert limit_coefficient(95, 100) == pytest.approx(c)
    a = assess_target(share, [Point(2020, 95), Point(2023, 96)], as_of=2023)
    assert a.thresholds["high"] == pytest.approx(0.015 * c)
    assert 0.015 * c <= (96 / 95) ** (1 / 3) - 1 and a.status == "正常"  # 0.350% ≥ 0.306%, which unscaled would be 进展有限
    assert assess_target(share, [Point(2020, 95), Point(2023, 96)], as_of=2023,
                         th=Thresholds(growth_high=0.03, growth_med=0.01)).status == "需加力"  # 0.204% ≤ 0.350% < 0.611%


def test_limit_coefficient_far_from_and_beyond_the_limit():
    assert limit_coefficient(10, 100) == pytest.approx(1 - 0.1 ** 4.44)
    assert limit_coefficient(250, 100) == 1.0
    assert limit_coefficient(150, 100) == pytest.approx(1 - 0.5 ** 4.44)
