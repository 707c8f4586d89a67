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


# --- the explanation as its readers take it ------------------------------------------------
# An assessment's explanation is stored as JSON (store/assessments.py) and read back by the
# reports, the web pages and the CLI through these records, so a reader names fields that exist
# and a stored explanation from an older planwatch (missing keys) still reads.

@dataclass(frozen=True)
class ExplainedInputs:
    target: float | None = None
    unit: str = ""
    comparator: str = "="
    type: str = "level"
    baseline: float | None = None
    baseline_year: float | None = None
    target_year: float | None = None
    goal_level: float | None = None
    band: tuple[float, float] | None = None
    direction: int = 1
    as_of: float | None = None
    binding: str | None = None
    limit: float | None = None
    latest: float | None = None
    latest_t: float | None = None
    yearly_rates: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> ExplainedInputs:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        if known.get("band") is not None:
            known["band"] = tuple(known["band"])
        return cls(**known)


@dataclass(frozen=True)
class ExplainedObservation:
    """An observation as the explanation used it: ``t`` in year-ends."""

    t: float
    value: float
    vintage: str = "final"
    id: int | None = None

    @classmethod
    def from_dict(cls, d: dict) -> ExplainedObservation:
        return cls(float(d["t"]), float(d["value"]), d.get("vintage", "final"), d.get("id"))


@dataclass(frozen=True)
class ExplainedMilestone:
    year: int
    planned: float
    observed: float
    behind: bool
    gap: float
    text: str


@dataclass(frozen=True)
class Explanation:
    """Why a target has its status: the method, the deciding criterion, the inputs, each step with
    its numbers, the thresholds, the observations counted and those after the deadline, notes."""

    method: str = ""
    basis: str = ""
    status: str = ""
    code: str = ""
    criterion: str = ""
    steps: tuple[Step, ...] = ()
    inputs: ExplainedInputs | None = None
    thresholds: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    observations: tuple[ExplainedObservation, ...] = ()
    after_deadline: tuple[ExplainedObservation, ...] = ()
    breaches: tuple[float, ...] = ()
    vintages: tuple[str, ...] = ()
    sources: tuple[dict, ...] = ()
    milestone: ExplainedMilestone | None = None

    @classmethod
    def from_dict(cls, d: dict | None) -> Explanation:
        d = d or {}
        inputs = d.get("inputs")
        m = d.get("milestone")
        return cls(
            method=d.get("method") or "", basis=d.get("basis") or "", status=d.get("status") or "", code=d.get("code") or "",
            criterion=d.get("criterion") or "",
            steps=tuple(Step(s.get("name", ""), s.get("formula", ""), s.get("filled", "")) for s in d.get("steps") or ()),
            inputs=ExplainedInputs.from_dict(inputs) if inputs is not None else None,
            thresholds=dict(d.get("thresholds") or {}), notes=tuple(d.get("notes") or ()),
            observations=tuple(ExplainedObservation.from_dict(o) for o in d.get("observations") or ()),
            after_deadline=tuple(ExplainedObservation.from_dict(o) for o in d.get("after_deadline") or ()),
            breaches=tuple(d.get("breaches") or ()), vintages=tuple(d.get("vintages") or ()),
            sources=tuple(d.get("sources") or ()),
            milestone=ExplainedMilestone(**{k: m[k] for k in ExplainedMilestone.__dataclass_fields__}) if m else None)

    @property
    def behind_plan(self) -> str:
        """The year's figure against its annual milestone, when it falls short (低于年度计划)."""
        return self.milestone.text if self.milestone and self.milestone.behind else ""
