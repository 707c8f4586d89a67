"""The writer's side of a batch ingest: which contents are stored already, many plans in one
transaction (a savepoint each, so one bad file leaves the others), and resumable runs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..errors import PlanwatchError
from ..ingest.similarity import Signature
from ..model import Extraction
from .access import require
from .bulk import hold_rows, send_held
from .plans import IngestResult, store_in_session
from .prepared import PreparedPlan
from .schema import IngestRun, IngestRunFile, Plan


@dataclass(frozen=True)
class StoredPlan:
    plan_id: int
    title: str
    version: int


@dataclass(frozen=True)
class ToStore:
    path: str
    digest: str | None
    extraction: Extraction | None  # may be None when ``prepared`` is given
    signature: Signature | None
    prepared: PreparedPlan | None = None


@dataclass(frozen=True)
class StoreFailure:
    path: str
    error: str
    kind: str


def known_digests(engine: Engine, digests: Iterable[str]) -> dict[str, StoredPlan]:
    """Which of these content hashes are stored, with the plan each belongs to (one query)."""
    wanted = sorted(set(digests))
    if not wanted:
        return {}
    with Session(engine) as session:
        rows = session.execute(select(Plan.content_hash, Plan.id, Plan.title, Plan.version).where(Plan.content_hash.in_(wanted)))
        return {digest: StoredPlan(pid, title, version) for digest, pid, title, version in rows}


def store_many(engine: Engine, items: list[ToStore], actor: str | None = None,
               run_id: int | None = None) -> list[IngestResult | StoreFailure]:
    """Store several extractions in one transaction, each in its own savepoint, so that a file
    the database refuses fails alone.

    On PostgreSQL, where a savepoint and its release are two round trips a file and seven small
    COPYs cost more than one large one, the batch is first tried without savepoints and with
    the plans' bulk rows held for one COPY per table (``bulk.hold_rows``); should anything fail
    there, the whole try is rolled back and the batch stored file by file as above."""
    if engine.dialect.name == "postgresql":
        try:
            return _store_together(engine, items, actor, run_id)
        except (PlanwatchError, SQLAlchemyError):
            pass
    return _store_apart(engine, items, actor, run_id)


def _store_together(engine: Engine, items: list[ToStore], actor: str | None, run_id: int | None) -> list[IngestResult]:
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        hold_rows(session)
        out = [store_in_session(session, who, i.extraction, i.digest, i.signature, i.prepared) for i in items]
        send_held(session)
        if run_id is not None:
            record_files(session, run_id, [(i.path, r) for i, r in zip(items, out, strict=True)])
    return out


def _store_apart(engine: Engine, items: list[ToStore], actor: str | None, run_id: int | None) -> list[IngestResult | StoreFailure]:
    out: list[IngestResult | StoreFailure] = []
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        for item in items:
            try:
                with session.begin_nested():
                    out.append(store_in_session(session, who, item.extraction, item.digest, item.signature, item.prepared))
            except (PlanwatchError, SQLAlchemyError) as exc:
                out.append(StoreFailure(item.path, f"{item.path}: {exc}".splitlines()[0], type(exc).__name__))
        if run_id is not None:
            record_files(session, run_id, [(i.path, r) for i, r in zip(items, out, strict=True)])
    return out


def record_files(session: Session, run_id: int, outcomes: list[tuple[str, object]]) -> None:
    rows = []
    for path, r in outcomes:
        if isinstance(r, IngestResult):
            rows.append({"run_id": run_id, "path": path, "status": r.status, "plan_id": r.plan_id, "error": None})
        else:
            rows.append({"run_id": run_id, "path": path, "status": "failed", "plan_id": None, "error": getattr(r, "error", str(r))})
    if rows:
        session.execute(insert(IngestRunFile), rows)


def record_outcomes(engine: Engine, run_id: int, outcomes: list[tuple[str, object]]) -> None:
    with Session(engine) as session, session.begin():
        record_files(session, run_id, outcomes)


def start_run(engine: Engine, actor: str | None, inputs: list[str]) -> int:
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        run = IngestRun(actor=who, inputs=list(inputs))
        session.add(run)
        session.flush()
        return run.id


def unfinished_run(engine: Engine) -> tuple[int, list[str], set[str]] | None:
    """The latest batch that did not finish: its id, its inputs and the paths it got through
    (stored, unchanged or failed; a failed file is tried again only by a new run)."""
    with Session(engine) as session:
        run = session.scalars(select(IngestRun).where(IngestRun.finished_at.is_(None)).order_by(IngestRun.id.desc())).first()
        if run is None:
            return None
        done = set(session.scalars(select(IngestRunFile.path).where(IngestRunFile.run_id == run.id)))
        return run.id, list(run.inputs), done


def finish_run(engine: Engine, run_id: int) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(IngestRun).where(IngestRun.id == run_id).values(finished_at=func.now()))
