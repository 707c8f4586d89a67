"""Assessment settings per plan: the method, its thresholds, the labels, with their defaults
and where they come from. Stored in ``plans.settings`` (``planwatch thresholds``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from ..errors import AssessError
from .status import CODES, LABEL_MAX

METHODS = ("statcan", "cn-midterm")


class SettingsError(AssessError, ValueError):
    """A plan setting with an unknown name or a value it cannot take."""


@dataclass(frozen=True)
class Thresholds:
    # statcan: the Statistics Canada progress measure as Open SDG implements it;
    # cn-midterm: completion share against elapsed share (序时进度) with the trend projection.
    method: str = "statcan"
    # Statistics Canada's thresholds on R = CAGR_observed / CAGR_required (Open SDG defaults):
    # 0.95 or more is on track, 0.60 or more needs acceleration, 0 or more is limited progress.
    on_track: float = 0.95
    at_risk: float = 0.60
    # Without a numeric target the observed CAGR in the desired direction is compared with fixed
    # rates (Open SDG defaults): 1.5% a year on track, 0.5% needs acceleration, 0 limited.
    growth_high: float = 0.015
    growth_med: float = 0.005
    # Band around a 左右/约 target (6%左右 passes between 5.7% and 6.3%).
    tolerance: float = 0.05
    # cn-midterm: weight of each year before the latest in the trend fit; recent years speak
    # louder, as mid-term reviews read the last two years more than the first.
    recency: float = 0.7
    # Roll-up lights: red from this share of off-track / overdue items, yellow from the lower one.
    red_share: float = 0.25
    yellow_share: float = 0.10
    # The office's own words for the statuses (code → label), over status.DEFAULT_LABELS.
    labels: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, values: dict | None) -> Thresholds:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in (values or {}).items() if k in known}
        out = {}
        for name, value in values.items():
            out[name] = value if name in ("method", "labels") else float(value)
        return cls(**out)

    def as_dict(self) -> dict:
        return asdict(self)


# Department appraisal (assess/appraisal.py): the weights of its five measures, the points a
# missed binding target costs, and the grade boundaries; stored as ``settings["appraisal"]``.
@dataclass(frozen=True)
class AppraisalSettings:
    weight_targets: float = 40.0
    weight_tasks: float = 30.0
    # A unit that leads no project is scored on the other four, so its score does not move.
    weight_projects: float = 20.0
    weight_timeliness: float = 20.0
    weight_quality: float = 10.0
    binding_penalty: float = 5.0
    excellent: float = 90.0
    good: float = 80.0
    passing: float = 60.0

    @classmethod
    def from_dict(cls, settings: dict | None) -> AppraisalSettings:
        known = {f.name for f in fields(cls)}
        values = (settings or {}).get("appraisal") or {}
        return cls(**{k: float(v) for k, v in values.items() if k in known})

    def weight(self, key: str) -> float:
        return getattr(self, f"weight_{key}")

    def grade(self, score: float | None) -> str:
        if score is None:
            return "无数据"
        return "优秀" if score >= self.excellent else "良好" if score >= self.good else "合格" if score >= self.passing else "不合格"

    def as_dict(self) -> dict:
        return asdict(self)


APPRAISAL_NAMES = tuple(f.name for f in fields(AppraisalSettings))


NUMBERS = tuple(f.name for f in fields(Thresholds) if f.name not in ("method", "labels"))


def parse_setting(item: str) -> tuple[str, object]:
    """``"on_track=0.9"`` → ("on_track", 0.9); ``"method=cn-midterm"``; ``"label.limited=进展缓慢"``.

    The value is checked here, so a bad one is refused before anything is stored."""
    name, sep, raw = item.partition("=")
    name, raw = name.strip(), raw.strip()
    if not sep:
        raise SettingsError(f"{item!r}: expected NAME=VALUE")
    if name == "method":
        if raw not in METHODS:
            raise SettingsError(f"method={raw!r}: expected one of {', '.join(METHODS)}")
        return name, raw
    if name.startswith("label."):
        code = name.removeprefix("label.")
        if code not in CODES:
            raise SettingsError(f"{name!r}: the status codes are {', '.join(CODES)}")
        if not raw or len(raw) > LABEL_MAX:
            raise SettingsError(f"{item!r}: a label has 1 to {LABEL_MAX} characters")
        return name, raw
    if name.startswith("appraisal."):
        key = name.removeprefix("appraisal.")
        if key not in APPRAISAL_NAMES:
            raise SettingsError(f"{name!r}: the appraisal settings are {', '.join(APPRAISAL_NAMES)}")
        try:
            value = float(raw)
        except ValueError as exc:
            raise SettingsError(f"{item!r}: {raw!r} is not a number") from exc
        if not 0 <= value <= 100:
            raise SettingsError(f"{item!r}: weights, points and grade boundaries are between 0 and 100")
        return name, value
    if name not in NUMBERS:
        raise SettingsError(f"{name!r} is not one of method, label.CODE, appraisal.NAME, {', '.join(NUMBERS)}")
    try:
        return name, float(raw)
    except ValueError as exc:
        raise SettingsError(f"{item!r}: {raw!r} is not a number") from exc


def merge_settings(current: dict, updates: list[tuple[str, object]]) -> dict:
    """The plan's settings with ``updates`` applied (labels merged, not replaced)."""
    out = {**current, "labels": dict(current.get("labels") or {}), "appraisal": dict(current.get("appraisal") or {})}
    for name, value in updates:
        if name.startswith("label."):
            out["labels"][name.removeprefix("label.")] = value
        elif name.startswith("appraisal."):
            out["appraisal"][name.removeprefix("appraisal.")] = value
        else:
            out[name] = value
    for nested in ("labels", "appraisal"):
        if not out[nested]:
            out.pop(nested)
    return out
