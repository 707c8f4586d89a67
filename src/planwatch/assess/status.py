"""The statuses a target can have, one code per category of the method, and their labels.

The codes follow the Statistics Canada / Open SDG categories one to one; the Chinese labels
are the defaults a planning office prints, and a plan may set its own (``Thresholds.labels``).

    achieved      已完成     target achieved
    on_track      正常       on track (substantial progress)
    accelerate    需加力     progress made but acceleration needed (moderate progress)
    limited       进展有限   limited progress
    deterioration 倒退       deterioration
    overdue       逾期未完成 the target year's observation missed the target
    no_data       无数据     the method cannot be applied (too few or unusable observations)
"""

from __future__ import annotations

ACHIEVED, ON_TRACK, ACCELERATE, LIMITED, DETERIORATION, OVERDUE, NO_DATA = (
    "achieved", "on_track", "accelerate", "limited", "deterioration", "overdue", "no_data")
CODES = (ACHIEVED, ON_TRACK, ACCELERATE, LIMITED, DETERIORATION, OVERDUE, NO_DATA)
DEFAULT_LABELS = {ACHIEVED: "已完成", ON_TRACK: "正常", ACCELERATE: "需加力", LIMITED: "进展有限",
                  DETERIORATION: "倒退", OVERDUE: "逾期未完成", NO_DATA: "无数据"}
# The Open SDG names of the categories, for the explanation and the comparison with its output.
OPEN_SDG = {ACHIEVED: "target_achieved", ON_TRACK: "substantial_progress", ACCELERATE: "moderate_progress",
            LIMITED: "limited_progress", DETERIORATION: "deterioration", NO_DATA: "not_available"}
# Roll-up lights: problems make a unit red from red_share, warnings yellow (rollup.py).
PROBLEM_CODES = frozenset({LIMITED, DETERIORATION, OVERDUE})
WARNING_CODES = frozenset({ACCELERATE})
# A binding (约束性) target in one of these is a red flag on its own.
NOT_ON_TRACK = PROBLEM_CODES | WARNING_CODES
LABEL_MAX = 10  # the width of assessments.status


def label_map(labels: dict | None = None) -> dict[str, str]:
    """Code → label, the plan's own labels over the defaults."""
    return {**DEFAULT_LABELS, **(labels or {})}


def code_of(label: str, labels: dict | None = None) -> str | None:
    """The code a label stands for under the plan's labels (or the defaults)."""
    return next((c for c, lab in label_map(labels).items() if lab == label), None)


# The statuses in the order a table prints them (default labels; plans with their own labels
# use ``ordered_labels``).
STATUS_ORDER = tuple(DEFAULT_LABELS[c] for c in CODES)


def ordered_labels(labels: dict | None = None) -> tuple[str, ...]:
    m = label_map(labels)
    return tuple(m[c] for c in CODES)
