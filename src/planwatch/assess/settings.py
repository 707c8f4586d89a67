"""Thresholds of the assessment, per plan, with their defaults and where they come from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class Thresholds:
    # Statistics Canada's SDG progress method (implemented by Open SDG): a ratio of observed to
    # required progress of 0.95 or more is on track, 0.60 or more is moderate, below is limited.
    on_track: float = 0.95
    at_risk: float = 0.60
    # Band around a 左右/约 target (6%左右 passes between 5.7% and 6.3%).
    tolerance: float = 0.05
    # Weight of each year before the latest in the trend fit: recent years speak louder, as
    # mid-term reviews read the last two years more than the first.
    recency: float = 0.7
    # Roll-up lights: red from this share of off-track / overdue items, yellow from the lower one.
    red_share: float = 0.25
    yellow_share: float = 0.10

    @classmethod
    def from_dict(cls, values: dict | None) -> Thresholds:
        known = {f.name for f in fields(cls)}
        return cls(**{k: float(v) for k, v in (values or {}).items() if k in known})

    def as_dict(self) -> dict:
        return asdict(self)
