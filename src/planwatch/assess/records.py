"""The records the target assessment reads and writes (pure data, no arithmetic)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TargetFacts:
    """What the assessment needs of a target, whatever store it came from.

    ``value`` is None for a monitoring indicator without a numeric target (observations only);
    its desired direction is then the comparator (``>=`` up, ``<=`` down), and ``limit`` a
    natural maximum or minimum (100 for a share) that scales the no-target thresholds."""

    id: int
    metric: str
    value: float | None
    unit: str = ""
    comparator: str = "="
    type: str = "level"
    baseline: float | None = None
    baseline_year: int | None = None
    year: int | None = None
    binding: str | None = None
    limit: float | None = None


@dataclass(frozen=True)
class Point:
    """One observation in force: ``t`` in year-ends (see targets.py)."""

    t: float
    value: float
    vintage: str = "final"
    observation_id: int | None = None


@dataclass(frozen=True)
class Step:
    """One formula of the explanation, with its numbers filled in."""

    name: str
    formula: str
    filled: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "formula": self.formula, "filled": self.filled}


@dataclass
class Assessment:
    target_id: int
    status: str  # the plan's label for ``code``
    code: str = "no_data"
    method: str = ""
    criterion: str = ""  # the rule that decided the status, with its numbers
    red: bool = False
    completion: float | None = None
    elapsed: float | None = None
    projected: float | None = None
    projected_share: float | None = None
    ratio: float | None = None
    cagr_observed: float | None = None
    cagr_required: float | None = None
    score: float | None = None  # Open SDG's progress score (−5 … 5), statcan only
    latest: Point | None = None  # the observation the status is judged on
    basis: str = ""  # which computation: level, pass/fail, growth, cumulative, no target
    steps: list[Step] = field(default_factory=list)
    thresholds: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    observations: list[dict] = field(default_factory=list)  # counted: within base year .. target year
    after_deadline: list[dict] = field(default_factory=list)  # shown, not counted
    breaches: list[float] = field(default_factory=list)  # years a cap, floor or band held at the base was broken

    def step(self, name: str, formula: str, filled: str = "") -> None:
        self.steps.append(Step(name, formula, filled))

    def explanation(self) -> dict:
        return {"method": self.method, "basis": self.basis, "status": self.status, "code": self.code,
                "criterion": self.criterion, "steps": [s.as_dict() for s in self.steps], "thresholds": self.thresholds,
                "inputs": self.inputs, "notes": self.notes, "observations": self.observations,
                "after_deadline": self.after_deadline, "breaches": self.breaches,
                "formula": "; ".join(s.formula for s in self.steps)}


def fmt(x: float | None, digits: int = 4) -> str:
    """A number as a reader wants it: 0.9667, 41.5, 1.27%… (None → —)."""
    if x is None:
        return "—"
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    return f"{x:.{digits}g}"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.2f}%"
