"""Proposed links from a later document's reported figures to a plan's targets, and the
planner's decisions on them; an accepted link becomes an observation citing the document."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFound
from .access import require
from .audit import record
from .ledger import ref_of
from .observations import ObservationInput, store_observation
from .plans import find_plan
from .schema import MatchLink, Plan, TargetRow


def match_inputs(engine: Engine, plan_ref: str, document_ref: str) -> dict:
    with Session(engine) as session:
        plan, doc = find_plan(session, plan_ref), find_plan(session, document_ref)
        targets = session.scalars(select(TargetRow).where(TargetRow.plan_id == plan.id, TargetRow.kind == "target"))
        figures = session.scalars(select(TargetRow).where(TargetRow.plan_id == doc.id, TargetRow.kind == "actual"))
        return {"period": (plan.period_start, plan.period_end) if plan.period_start else None,
                "targets": [_facts(t) for t in targets], "figures": [_facts(f) for f in figures]}


def _facts(t: TargetRow) -> dict:
    return {"id": t.id, "metric": t.metric, "unit": t.unit, "year": t.year, "value": t.value, "type": t.type}


def save_proposals(engine: Engine, proposals: list[dict], actor: str | None = None) -> list[dict]:
    """Keep new proposals; a link already decided is left as the planner decided it."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "observe").name
        for p in proposals:
            link = session.scalars(select(MatchLink).where(MatchLink.target_id == p["target_id"],
                                                           MatchLink.figure_id == p["figure_id"])).first()
            if link is None:
                link = MatchLink(target_id=p["target_id"], figure_id=p["figure_id"], score=p["score"], factor=p["factor"],
                                 reasons=list(p["reasons"]), status="proposed")
                session.add(link)
                session.flush()
                record(session, who, "create", "match_link", link.id, new={"target": ref_of("target", p["target_id"]),
                                                                           "figure": ref_of("target", p["figure_id"]), "score": p["score"]})
        session.flush()
        ids = [(p["target_id"], p["figure_id"]) for p in proposals]
        links = [session.scalars(select(MatchLink).where(MatchLink.target_id == t, MatchLink.figure_id == f)).one() for t, f in ids]
        return [_link_dict(session, link) for link in links]


def list_matches(engine: Engine, plan_ref: str, status: str | None = None) -> list[dict]:
    with Session(engine) as session:
        plan = find_plan(session, plan_ref)
        query = (select(MatchLink).join(TargetRow, TargetRow.id == MatchLink.target_id)
                 .where(TargetRow.plan_id == plan.id).order_by(MatchLink.score.desc(), MatchLink.id))
        if status:
            query = query.where(MatchLink.status == status)
        return [_link_dict(session, link) for link in session.scalars(query)]


def decide_match(engine: Engine, link_id: int, accept: bool, vintage: str = "preliminary", actor: str | None = None) -> dict:
    """Accept (the figure becomes an observation of the target, citing its document) or reject."""
    return decide_matches(engine, [link_id], accept, vintage, actor)[0]


def decide_matches(engine: Engine, link_ids: list[int], accept: bool, vintage: str = "preliminary", actor: str | None = None) -> list[dict]:
    """Decide several matches in one transaction: all of them, or (on any refusal) none."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "observe").name
        out = []
        for link_id in link_ids:
            link = session.get(MatchLink, link_id)
            if link is None:
                raise NotFound(f"no match #{link_id}")
            if link.status != "proposed":
                raise ConflictError(f"match #{link_id} is {link.status} already")
            link.status, link.decided_by = ("accepted" if accept else "rejected"), who
            if accept:
                link.observation_id = _observe(session, who, link, vintage)
            record(session, who, "update", "match_link", link.id, old={"status": "proposed"}, new={"status": link.status})
            out.append(_link_dict(session, link))
        return out


def _observe(session: Session, who: str, link: MatchLink, vintage: str) -> int:
    target, figure = session.get(TargetRow, link.target_id), session.get(TargetRow, link.figure_id)
    doc = session.get(Plan, figure.plan_id)
    obs = ObservationInput(year=figure.year or doc.period_end or 0, value=figure.value * link.factor, unit=target.unit,
                           source="document", source_ref=f"{doc.title}：{figure.quote}", vintage=vintage)
    return store_observation(session, who, target, obs).id


def _link_dict(session: Session, link: MatchLink) -> dict:
    target, figure = session.get(TargetRow, link.target_id), session.get(TargetRow, link.figure_id)
    return {"id": link.id, "target": ref_of("target", target.id), "metric": target.metric,
            "target_value": f"{target.value:g}{target.unit}", "figure": ref_of("target", figure.id),
            "reported": f"{figure.value:g}{figure.unit}", "year": figure.year, "quote": figure.quote, "score": link.score,
            "factor": link.factor, "reasons": link.reasons, "status": link.status, "observation": link.observation_id}
