"""What an indicator chart shows, taken from a target's assessment: the observations where
they fall in time, the baseline, the target, the straight path between them, and the
projection to the target year with its band. Pure; the drawing is in ``charts.py``."""

from __future__ import annotations

import math

from ..assess.records import Explanation
from .records import ChartSeries

# The projection band: a 90% prediction interval of a straight-line fit through the counted
# observations at the target year (t quantiles by degrees of freedom; beyond 10 the normal's).
T90 = {1: 6.314, 2: 2.920, 3: 2.353, 4: 2.132, 5: 2.015, 6: 1.943, 7: 1.895, 8: 1.860, 9: 1.833, 10: 1.812}


def series(t: dict) -> ChartSeries | None:
    """The chart of one assessed target (an item of ``assess_data``'s ``targets``), or None without observations."""
    e = t["explanation"] if isinstance(t["explanation"], Explanation) else Explanation.from_dict(t["explanation"])
    observed = tuple((o.t, o.value) for o in e.observations)
    after = tuple((o.t, o.value) for o in e.after_deadline)
    if not observed and not after:
        return None
    growth = t["type"] == "annual_growth"
    inp = e.inputs
    x0, t0, due = (inp.baseline, inp.baseline_year, inp.target_year) if inp else (None, None, None)
    goal = inp.goal_level if inp and inp.goal_level is not None else t["value"]
    base = (float(t0), float(x0)) if x0 is not None and t0 is not None and not growth else None
    target = (float(due), float(goal)) if due is not None and goal is not None else None
    projected = t["numbers"].get("projected")
    projected = None if growth or projected is None or due is None else float(projected)
    band = _band(observed, float(due), projected) if projected is not None else None
    title = f"{t['metric']}（{t['unit']}）" if t.get("unit") else t["metric"]
    return ChartSeries(title, t.get("unit") or "", observed, base, target, projected, band, after, path=not growth)


def _band(points: tuple[tuple[float, float], ...], at: float, centre: float) -> tuple[float, float] | None:
    """centre ± t·s·√(1 + 1/n + (at − t̄)²/Sxx) of the least-squares line; None with under three points."""
    n = len(points)
    if n < 3:
        return None
    ts, xs = [p[0] for p in points], [p[1] for p in points]
    mt, mx = sum(ts) / n, sum(xs) / n
    sxx = sum((v - mt) ** 2 for v in ts)
    if sxx == 0:
        return None
    slope = sum((a - mt) * (b - mx) for a, b in points) / sxx
    residuals = [b - (mx + slope * (a - mt)) for a, b in points]
    s = math.sqrt(sum(r * r for r in residuals) / (n - 2))
    half = T90.get(n - 2, 1.645) * s * math.sqrt(1 + 1 / n + (at - mt) ** 2 / sxx)
    return centre - half, centre + half
