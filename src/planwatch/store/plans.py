"""Plans in the ledger: storing an extraction, versions, carrying the ledger over, listing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, exists, func, or_, select, update
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..ingest.similarity import Signature, band_keys, estimate, is_same_plan
from ..model import Extraction
from .access import require
from .audit import record
from .bulk import send_held, write_rows
from .plan_rows import add_items
from .prepared import PreparedPlan, prepare
from .schema import (
    Assignment,
    Comment,
    MatchLink,
    Observation,
    OutlineNode,
    Plan,
    PlanBand,
    ProgressReport,
    ProjectRow,
    ProjectStage,
    TargetRow,
    TaskRow,
)
from .search import index_plan


@dataclass
class IngestResult:
    plan_id: int
    title: str
    version: int
    status: str  # created / unchanged / new-version
    counts: dict[str, int] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    carried: dict[str, int] = field(default_factory=dict)
    corrections: dict[str, int] = field(default_factory=dict)  # earlier versions' corrections replayed / skipped
    region: str | None = None
    similar: list[dict] = field(default_factory=list)  # stored plans that are near-duplicates of this one


def content_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def store_extraction(engine: Engine, result: Extraction, actor: str | None = None, digest: str | None = None,
                     sig: Signature | None = None) -> IngestResult:
    """Store one document's plan, outline, targets, tasks and projects in one transaction.

    Re-storing the same file changes nothing. A changed file of the same plan (region, title
    and period) becomes a new version: targets added, removed and changed are reported, and the
    assignments, reports, observations and comments of items whose key is unchanged move to
    the new version. Stored plans that hold much of the same text are listed as ``similar``.
    """
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        return store_in_session(session, who, result, digest, sig)


def store_in_session(session: Session, who: str, result: Extraction | None, digest: str | None = None,
                     sig: Signature | None = None, prepared: PreparedPlan | None = None) -> IngestResult:
    """Store ``result`` (or the rows a batch worker ``prepared`` from it) in ``session``."""
    digest = prepared.plan["content_hash"] if prepared else digest or content_hash(result.outline.document.path)
    if prepared is not None:  # the plan's key is known: one query finds the same content and earlier versions
        found = session.scalars(select(Plan).where(or_(Plan.content_hash == digest, Plan.key == prepared.key))).all()
        same = next((p for p in found if p.content_hash == digest), None)
    else:
        same = session.scalars(select(Plan).where(Plan.content_hash == digest)).first()
    if same is not None:
        send_held(session)  # the same content twice in one batch: its rows are counted
        return IngestResult(same.id, same.title, same.version, "unchanged", _counts(session, same.id), region=same.region)
    if prepared is None:
        prepared = prepare(result, digest, sig)  # after the check: an unchanged file costs no rows
        found = session.scalars(select(Plan).where(Plan.key == prepared.key)).all()
    previous = max((p for p in found if p.key == prepared.key), key=lambda p: p.version, default=None)
    similar = similar_plans(session, prepared.signature)
    plan = Plan(key=prepared.key, version=(previous.version + 1) if previous else 1, **prepared.plan)
    session.add(plan)
    session.flush()
    add_items(session, plan.id, prepared)
    if previous is not None:
        send_held(session)  # the corrections, the comparison and the carry-over read the items
    corrected = _replay(session, who, plan, prepared) if previous is not None else {}
    index_plan(session, plan.id, prepared)
    write_rows(session, prepared.bands, ("plan_id",), (plan.id,))
    record(session, who, "create", "plan", plan.id, new={"title": plan.title, "version": plan.version, "file": prepared.path,
                                                          "region": plan.region})
    out = IngestResult(plan.id, plan.title, plan.version, "new-version" if previous else "created", dict(prepared.counts),
                       region=plan.region, similar=similar, corrections=corrected)
    if previous is not None:
        previous.superseded_by = plan.id
        _diff_targets(session, previous.id, plan.id, out)
        out.carried = _carry_over(session, previous.id, plan.id)
        record(session, who, "update", "plan", previous.id, old={"superseded_by": None},
               new={"superseded_by": plan.id, "carried": out.carried})
    return out


def _replay(session: Session, who: str, plan: Plan, prepared: PreparedPlan) -> dict[str, int]:
    # Imported here: corrections.py builds on ledger.py, which needs find_plan from this module.
    from .corrections import replay_corrections

    return replay_corrections(session, who, plan, prepared.text_lines())


def similar_plans(session: Session, sig: Signature) -> list[dict]:
    """Stored plans holding much of the same text: the plans sharing an LSH band (an index
    lookup, whatever the number of stored plans), kept when the estimated containment says so."""
    keys = band_keys(sig)
    if not keys:
        return []
    ids = select(PlanBand.plan_id).where(PlanBand.band_key.in_(keys)).distinct()
    found = []
    # Columns, not Plan entities: a batch of revisions shares bands with many stored plans.
    rows = session.execute(select(Plan.id, Plan.title, Plan.minhash, Plan.shingles).where(Plan.id.in_(ids)).order_by(Plan.id))
    for plan_id, title, minhash, shingles in rows:
        a_in_b, b_in_a = estimate(sig, Signature(minhash, shingles or 0))
        if is_same_plan(a_in_b, b_in_a):
            found.append({"plan_id": plan_id, "title": title, "new_in_stored": round(a_in_b, 3), "stored_in_new": round(b_in_a, 3)})
    return found


def _counts(session: Session, plan_id: int) -> dict[str, int]:
    def n(model):
        return session.scalar(select(func.count(model.id)).where(model.plan_id == plan_id))

    return {"nodes": n(OutlineNode), "targets": n(TargetRow), "tasks": n(TaskRow), "projects": n(ProjectRow)}


def _targets_by_key(session: Session, plan_id: int) -> dict[str, str]:
    """Each target's key → its description; columns, not ORM rows (a revision compares two
    plans' targets, and loading both as objects was most of what storing it cost)."""
    columns = (TargetRow.key, TargetRow.metric, TargetRow.comparator, TargetRow.value, TargetRow.unit, TargetRow.year)
    return {key: _describe(*rest) for key, *rest in session.execute(select(*columns).where(TargetRow.plan_id == plan_id))}


def _describe(metric: str, comparator: str, value: float, unit: str, year: int | None) -> str:
    when = f" ({year})" if year else ""
    return f"{metric} {comparator} {value:g}{unit}{when}"


def _diff_targets(session: Session, old_plan: int, new_plan: int, out: IngestResult) -> None:
    old, new = _targets_by_key(session, old_plan), _targets_by_key(session, new_plan)
    out.added = sorted(new[k] for k in new.keys() - old.keys())
    out.removed = sorted(old[k] for k in old.keys() - new.keys())
    out.changed = sorted(f"{old[k]} → {new[k]}" for k in old.keys() & new.keys() if old[k] != new[k])


def _carry_over(session: Session, old_plan: int, new_plan: int) -> dict[str, int]:
    """Point the ledger of every item whose key survives at the item's new row."""
    moved = {"assignments": 0, "reports": 0, "observations": 0, "comments": 0, "schedules": 0}
    if not _has_ledger(session, old_plan):
        return moved  # a revision of an unmonitored plan (every plan of a batch ingest): one query
    pairs = {
        "target": _id_pairs(session, TargetRow, old_plan, new_plan),
        "task": _id_pairs(session, TaskRow, old_plan, new_plan),
        "project": _id_pairs(session, ProjectRow, old_plan, new_plan),
    }
    plain = {"synchronize_session": False}
    for kind, mapping in pairs.items():
        # Only the items that have a ledger row are updated: a revision of an unmonitored plan
        # (every plan of a batch ingest) costs one query per table, not one per item.
        for name, model in (("assignments", Assignment), ("reports", ProgressReport), ("comments", Comment)):
            held = _holding(session, model.item_id, mapping, model.item_kind == kind)
            for old_id in held:
                stmt = update(model).where(model.item_kind == kind, model.item_id == old_id).values(item_id=mapping[old_id])
                moved[name] += session.execute(stmt, execution_options=plain).rowcount
        if kind == "target":
            for old_id in _holding(session, MatchLink.target_id, mapping):
                session.execute(update(MatchLink).where(MatchLink.target_id == old_id).values(target_id=mapping[old_id]),
                                execution_options=plain)
            for old_id in _holding(session, Observation.target_id, mapping):
                stmt = update(Observation).where(Observation.target_id == old_id).values(target_id=mapping[old_id])
                moved["observations"] += session.execute(stmt, execution_options=plain).rowcount
        if kind == "project":
            for old_id in _holding(session, ProjectStage.project_id, mapping):
                stmt = update(ProjectStage).where(ProjectStage.project_id == old_id).values(project_id=mapping[old_id])
                moved["schedules"] += session.execute(stmt, execution_options=plain).rowcount
    return moved


def _has_ledger(session: Session, plan_id: int) -> bool:
    """Whether anything (an assignment, report, comment, observation, match or schedule) refers to
    one of the plan's items."""
    items = {kind: select(model.id).where(model.plan_id == plan_id)
             for kind, model in (("target", TargetRow), ("task", TaskRow), ("project", ProjectRow))}
    checks = [exists().where(model.item_kind == kind, model.item_id.in_(ids))
              for model in (Assignment, ProgressReport, Comment) for kind, ids in items.items()]
    checks += [exists().where(MatchLink.target_id.in_(items["target"])), exists().where(Observation.target_id.in_(items["target"])),
               exists().where(ProjectStage.project_id.in_(items["project"]))]
    return bool(session.scalar(select(or_(*checks))))


def _holding(session: Session, column, mapping: dict[int, int], *where) -> set[int]:
    if not mapping:
        return set()
    return set(session.scalars(select(column).where(column.in_(list(mapping)), *where).distinct()))


def _id_pairs(session: Session, model, old_plan: int, new_plan: int) -> dict[int, int]:
    old = dict(session.execute(select(model.key, model.id).where(model.plan_id == old_plan)).all())
    new = dict(session.execute(select(model.key, model.id).where(model.plan_id == new_plan)).all())
    return {old[k]: new[k] for k in old.keys() & new.keys()}


def list_plans(engine: Engine) -> list[dict]:
    with Session(engine) as session:
        plans = session.scalars(select(Plan).order_by(Plan.id)).all()
        return [
            {"id": p.id, "title": p.title, "version": p.version, "current": p.superseded_by is None,
             "period": f"{p.period_start}–{p.period_end}" if p.period_start else None, "source": p.source_file,
             **_counts(session, p.id)}
            for p in plans
        ]


# Ids are 64-bit integers in SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1


def find_plan(session: Session, ref: str | int) -> Plan:
    """A plan by id, or the current version of a plan by title (a unique part of it will do)."""
    text = str(ref).strip()
    if text.isascii() and text.isdigit():  # "²".isdigit() too, and int() refuses it
        # Past a 64-bit id the driver raises OverflowError: no such plan can exist.
        plan = session.get(Plan, int(text)) if int(text) <= MAX_ID else None
        if plan is None:
            raise NotFound(f"no plan #{text}")
        return plan
    current = session.scalars(select(Plan).where(Plan.superseded_by.is_(None), Plan.title.contains(text))).all()
    exact = [p for p in current if p.title == text]
    if len(exact) == 1 or len(current) == 1:
        return (exact or current)[0]
    if not current:
        raise NotFound(f"no plan titled {text!r}")
    raise NotFound(f"{text!r} matches {len(current)} plans: " + "; ".join(f"#{p.id} {p.title}" for p in current))
