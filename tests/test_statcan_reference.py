"""The statcan method against the Open SDG implementation of the Statistics Canada progress
measure (sdg-build's ProgressMeasure.SeriesProgress), on generated series.

``reference`` restates that implementation's published steps in our own words (the package is
not on PyPI, so it cannot be run here): the base year moves to the next year with data; the
current value is the latest year's; a zero target or base value is 0.001; target achieved when
the current value meets the target in the configured direction; else R = s · d · CAGR_o / |CAGR_r|
(with a target) or s · d · CAGR_o (without, against thresholds scaled by C near a limit); less
than a year between base and current, or base and current of opposite signs, is not_available.

The series end before the target year: planwatch's one addition, the target year's value being
final (逾期未完成), has no counterpart in the reference.
"""

from __future__ import annotations

import random

import pytest

from planwatch.assess import Point, TargetFacts, assess_target
from planwatch.assess.status import OPEN_SDG

BASE_YEAR, TARGET_YEAR = 2015, 2030


def _cagr(x: float, x0: float, years: float) -> float | None:
    ratio = x / x0
    return ratio ** (1 / years) - 1 if ratio > 0 else None


def _coefficient(base: float, limit: float) -> float:
    b, lim = abs(base), abs(limit)
    if b >= 2 * lim:
        return 1.0
    return 1 - (b / lim) ** 4.44 if b <= lim else 1 - ((2 * lim - b) / lim) ** 4.44


def reference(series: dict[int, float], target: float | None, direction: int, limit: float | None = None):
    """(status, progress value) as the Open SDG implementation computes them."""
    years = sorted(series)
    current_year = years[-1]
    current = series[current_year]
    base_year = BASE_YEAR if BASE_YEAR in series else min(y for y in years if y > BASE_YEAR)
    base = series[base_year]
    sign = -1 if base < 0 else 1
    if target == 0:
        target = 0.001
    if target is not None and (current >= target if direction > 0 else current <= target):
        return "target_achieved", None
    if target is None:
        high, med, low = 0.015, 0.005, 0.0
        if limit is not None:
            c = _coefficient(base, limit)
            high, med, low = high * c, med * c, low * c
    else:
        high, med, low = 0.95, 0.6, 0.0
    if base == 0:
        base = 0.001
    if (base > 0 > current) or (base < 0 < current) or current_year - base_year < 1:
        return "not_available", None
    observed = _cagr(current, base, current_year - base_year)
    if target is None:
        value = sign * direction * observed
    else:
        required = _cagr(target, base, TARGET_YEAR - base_year)
        if required is None or observed is None or required == 0:
            return "not_available", None
        value = sign * direction * observed / abs(required)
    if value >= high:
        return "substantial_progress", value
    if value >= med:
        return "moderate_progress", value
    return ("limited_progress" if value >= low else "deterioration"), value


def planwatch(series: dict[int, float], target: float | None, direction: int, limit: float | None = None):
    comparator = ">=" if direction > 0 else "<="
    facts = TargetFacts(1, "指标", target, "", comparator, "monitor" if target is None else "level", None, BASE_YEAR,
                        None if target is None else TARGET_YEAR, limit=limit)
    a = assess_target(facts, [Point(y, v) for y, v in series.items()], as_of=max(series))
    return OPEN_SDG[a.code], a.ratio


def generated(seed: int, n: int = 1500):
    """Series like real indicators: positive levels mostly, some negative, some starting at a cap
    or floor the target already sets, gaps, a few base years without data."""
    rng = random.Random(seed)
    for _ in range(n):
        base = rng.choice([rng.uniform(1, 200), rng.uniform(1, 200), rng.uniform(-80, -1), 0.0])
        years = [y for y in range(BASE_YEAR, rng.randint(2017, 2029) + 1) if rng.random() > 0.25]
        if BASE_YEAR not in years and rng.random() < 0.7:
            years.insert(0, BASE_YEAR)
        if len(years) < 2:
            continue
        drift = rng.uniform(-0.06, 0.08)
        value, series = base, {}
        for y in years:
            series[y] = round(value, 3)
            value = value * (1 + drift + rng.gauss(0, 0.02)) + (rng.uniform(0.5, 3) if base == 0 else 0)
        direction = rng.choice([1, -1])
        start = series[years[0]]
        kind = rng.random()
        if kind < 0.15:
            target, limit = None, (rng.choice([None, 100.0]) if start > 0 else None)
        elif start == 0:  # from zero: a target of zero too would divide by a zero required rate
            target, limit = round(rng.uniform(1, 20), 3), None
        elif kind < 0.3:  # a cap or floor the base already meets
            target, limit = round(start * (1 - 0.1 * direction), 3), None
        else:
            target, limit = round(start * (1 + direction * rng.uniform(0.05, 0.6)), 3), None
        yield series, target, direction, limit


def test_planwatch_agrees_with_the_open_sdg_measure_on_generated_series():
    cases = list(generated(12))
    agree = 0
    disagreements = []
    for series, target, direction, limit in cases:
        ref, mine = reference(series, target, direction, limit), planwatch(series, target, direction, limit)
        if ref[0] == mine[0]:
            agree += 1
            if ref[1] is not None:
                assert mine[1] == pytest.approx(ref[1], rel=1e-9, abs=1e-12)
        else:
            disagreements.append((series, target, direction, limit, ref, mine))
    assert len(cases) > 1000
    assert agree / len(cases) >= 0.99, disagreements[:5]


def test_caps_and_floors_met_at_the_base_year_agree_case_by_case():
    # a cap of 35 met at the base (33): kept → achieved, breached → deterioration, in both
    for last, status in ((34.0, "target_achieved"), (36.0, "deterioration")):
        series = {2015: 33.0, 2018: 34.5, 2020: last}
        assert reference(series, 35.0, -1)[0] == planwatch(series, 35.0, -1)[0] == status
    # a floor of 50 met at the base (55) and lost: R < 0 in both
    series = {2015: 55.0, 2020: 48.0}
    assert reference(series, 50.0, 1)[0] == planwatch(series, 50.0, 1)[0] == "deterioration"
    assert planwatch(series, 50.0, 1)[1] == pytest.approx(reference(series, 50.0, 1)[1])
