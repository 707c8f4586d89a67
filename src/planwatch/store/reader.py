"""A plan as it reads: its outline, its stored paragraphs, and every extracted target, task and
project at its source span, for the plan reader (web ``/plans/{id}/text``) and its JSON twin."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..model import HEADING_KINDS
from .ledger import ref_of
from .plans import find_plan
from .schema import OutlineNode, ProjectRow, SearchEntry, TargetMention, TargetRow, TaskRow


@dataclass(frozen=True)
class Heading:
    id: int
    level: int
    label: str
    title: str
    start: int


@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Mark:
    """An extracted item where the plan says it: ``start``–``end`` in the original text."""

    kind: str  # target / task / project
    ref: str  # I7 / T12 / P3, each with its item page
    label: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class PlanText:
    plan_id: int
    title: str
    current: bool
    headings: tuple[Heading, ...]
    paragraphs: tuple[Paragraph, ...]
    marks: tuple[Mark, ...]


def plan_text(engine: Engine, plan_ref: str) -> PlanText:
    with Session(engine) as session:
        plan = find_plan(session, plan_ref)
        heads = session.execute(select(OutlineNode.id, OutlineNode.level, OutlineNode.label, OutlineNode.title, OutlineNode.span_start)
                                .where(OutlineNode.plan_id == plan.id, OutlineNode.kind.in_(HEADING_KINDS))
                                .order_by(OutlineNode.span_start, OutlineNode.level)).all()
        paragraphs = session.execute(select(SearchEntry.body, SearchEntry.span_start, SearchEntry.span_end).where(
            SearchEntry.plan_id == plan.id, SearchEntry.kind == "text").order_by(SearchEntry.span_start)).all()
        targets = {t.id: t for t in session.scalars(select(TargetRow).where(TargetRow.plan_id == plan.id, TargetRow.kind == "target"))}
        marks = [Mark("target", ref_of("target", t.id), _target_label(t), t.quote, t.span_start, t.span_end) for t in targets.values()]
        marks += [Mark("target", ref_of("target", m.target_id), _target_label(targets[m.target_id]), m.quote, m.span_start, m.span_end)
                  for m in session.scalars(select(TargetMention).where(TargetMention.target_id.in_(list(targets))))]
        marks += [Mark("task", ref_of("task", t.id), t.title or t.text[:30], t.text, t.span_start, t.span_end)
                  for t in session.scalars(select(TaskRow).where(TaskRow.plan_id == plan.id))]
        marks += [Mark("project", f"P{p.id}", f"{p.action}{p.name}", p.quote, p.span_start, p.span_end)
                  for p in session.scalars(select(ProjectRow).where(ProjectRow.plan_id == plan.id))]
        return PlanText(plan.id, plan.title, plan.superseded_by is None,
                        tuple(Heading(h.id, h.level, h.label or "", h.title or "", h.span_start) for h in heads),
                        tuple(Paragraph(p.body, p.span_start, p.span_end) for p in paragraphs),
                        tuple(sorted(marks, key=lambda m: (m.start, -m.end))))


def _target_label(t: TargetRow) -> str:
    comparator = "" if t.comparator == "=" else t.comparator
    year = f"（{t.year}年）" if t.year else ""
    return f"{t.metric} {comparator}{t.value:g}{t.unit}{year}"
