"""Roll-ups: counts and shares per status for each chapter, department and the whole plan,
with a traffic light (绿/黄/红) per unit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .settings import Thresholds

GREEN, YELLOW, RED = "绿", "黄", "红"
# What counts as a problem and what as a warning in each kind of item.
PROBLEM = {"target": {"滞后"}, "task": {"滞后", "逾期"}}
WARNING = {"target": {"预警"}, "task": {"未报送", "未启动"}}
UNASSESSED = {"无数据"}


@dataclass
class Unit:
    name: str
    kind: str  # target / task
    counts: Counter = field(default_factory=Counter)
    red_flags: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def assessed(self) -> int:
        return self.total - sum(self.counts[s] for s in UNASSESSED)

    def share(self, statuses: set[str]) -> float:
        return sum(self.counts[s] for s in statuses) / self.assessed if self.assessed else 0.0

    def light(self, th: Thresholds) -> str:
        problems, warnings = self.share(PROBLEM[self.kind]), self.share(WARNING[self.kind])
        if self.red_flags or problems >= th.red_share:
            return RED
        if problems >= th.yellow_share or warnings >= th.red_share:
            return YELLOW
        return GREEN

    def as_dict(self, th: Thresholds) -> dict:
        return {"name": self.name, "kind": self.kind, "total": self.total, "assessed": self.assessed,
                "counts": dict(self.counts), "shares": {s: round(n / self.total, 4) for s, n in self.counts.items()} if self.total else {},
                "red_flags": self.red_flags, "light": self.light(th)}


def roll_up(items: list[tuple[str, str, bool]], kind: str, th: Thresholds) -> list[dict]:
    """``items``: (unit name, status, red flag) per item; one row per unit in first-seen order."""
    units: dict[str, Unit] = {}
    for name, status, red in items:
        unit = units.setdefault(name, Unit(name, kind))
        unit.counts[status] += 1
        unit.red_flags += bool(red)
    return [u.as_dict(th) for u in units.values()]
