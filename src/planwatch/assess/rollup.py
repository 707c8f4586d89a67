"""Roll-ups: counts and shares per status for each chapter, department and the whole plan,
with a traffic light (绿/黄/红, 灰 when nothing in the unit could be assessed).

Counts are keyed by status label, every status of the kind present (zeros included), in the
order tables print them, so a table is read by column name and never by position."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import status as S
from .settings import Thresholds
from .tasks import TASK_STATUS_ORDER

GREEN, YELLOW, RED, GREY = "绿", "黄", "红", "灰"
# What counts as a problem and what as a warning in tasks (targets: status.PROBLEM_CODES).
TASK_PROBLEM, TASK_WARNING = {"滞后", "逾期"}, {"未报送", "未启动"}


def statuses(kind: str, th: Thresholds) -> tuple[str, ...]:
    """Every status label of a kind of item, in table order."""
    return S.ordered_labels(th.labels) if kind == "target" else TASK_STATUS_ORDER


@dataclass
class Unit:
    name: str
    kind: str  # target / task / project (projects take the tasks' statuses)
    th: Thresholds
    counts: Counter = field(default_factory=Counter)
    red_flags: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def _labels(self, codes) -> set[str]:
        m = S.label_map(self.th.labels)
        return {m[c] for c in codes}

    @property
    def assessed(self) -> int:
        if self.kind != "target":
            return self.total
        return self.total - self.counts[S.label_map(self.th.labels)[S.NO_DATA]]

    def share(self, labels: set[str]) -> float:
        return sum(self.counts[s] for s in labels) / self.assessed if self.assessed else 0.0

    def light(self) -> str:
        if not self.assessed:
            return GREY
        if self.kind == "target":
            problem, warning = self._labels(S.PROBLEM_CODES), self._labels(S.WARNING_CODES)
        else:
            problem, warning = TASK_PROBLEM, TASK_WARNING
        problems, warnings = self.share(problem), self.share(warning)
        if self.red_flags or problems >= self.th.red_share:
            return RED
        if problems >= self.th.yellow_share or warnings >= self.th.red_share:
            return YELLOW
        return GREEN

    def as_dict(self) -> dict:
        labels = statuses(self.kind, self.th)
        return {"name": self.name, "kind": self.kind, "total": self.total, "assessed": self.assessed,
                "counts": {s: self.counts.get(s, 0) for s in labels},
                "shares": {s: round(self.counts.get(s, 0) / self.total, 4) for s in labels} if self.total else {},
                "red_flags": self.red_flags, "light": self.light()}


def roll_up(items: list[tuple[str, str, bool]], kind: str, th: Thresholds) -> list[dict]:
    """``items``: (unit name, status label, red flag) per item; one row per unit in first-seen order."""
    units: dict[str, Unit] = {}
    for name, status, red in items:
        unit = units.get(name)
        if unit is None:  # not setdefault: that would build a Unit (and its Counter) per item
            unit = units[name] = Unit(name, kind, th)
        unit.counts[status] += 1
        unit.red_flags += bool(red)
    return [u.as_dict() for u in units.values()]
