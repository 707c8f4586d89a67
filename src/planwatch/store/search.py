"""Full-text search over every stored plan's text, targets and tasks, for Chinese.

SQLite: an FTS5 table with the trigram tokenizer (any substring of 3+ characters, no word
segmentation needed); PostgreSQL: a pg_trgm GIN index that serves ``LIKE '%…%'``. The engine's
URL chooses; queries shorter than a trigram fall back to a plain ``LIKE`` scan on both.

    search(engine, "湿地公园") → [SearchHit(plan_id=1, kind="text", before="建设北湖", match="湿地公园", …)]
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, Integer, insert, select, text
from sqlalchemy.orm import Session

from ..model import Extraction
from .schema import Plan, SearchEntry, TargetRow, TaskRow

CONTEXT = 24  # characters of context shown each side of a hit
KINDS = {"text": "text", "targets": "target", "tasks": "task"}


@dataclass(frozen=True)
class SearchHit:
    plan_id: int
    plan: str
    kind: str
    ref: str
    before: str
    match: str
    after: str
    span_start: int
    span_end: int


def index_plan(session: Session, plan_id: int, result: Extraction) -> None:
    """The plan's paragraphs, target quotes and tasks as search entries (one bulk insert)."""
    rows = [{"plan_id": plan_id, "kind": "text", "ref": "", "body": line, "span_start": a, "span_end": b}
            for line, a, b in text_lines(result.outline.document)]
    targets = session.execute(select(TargetRow.id, TargetRow.quote, TargetRow.span_start, TargetRow.span_end)
                              .where(TargetRow.plan_id == plan_id).order_by(TargetRow.position))
    rows += [{"plan_id": plan_id, "kind": "target", "ref": f"I{i}", "body": q, "span_start": a, "span_end": b} for i, q, a, b in targets]
    tasks = session.execute(select(TaskRow.id, TaskRow.title, TaskRow.text, TaskRow.span_start, TaskRow.span_end)
                            .where(TaskRow.plan_id == plan_id).order_by(TaskRow.position))
    rows += [{"plan_id": plan_id, "kind": "task", "ref": f"T{i}", "body": f"{t} {x}".strip(), "span_start": a, "span_end": b}
             for i, t, x, a, b in tasks]
    if rows:
        session.execute(insert(SearchEntry.__table__), rows)


def text_lines(doc) -> list[tuple[str, int, int]]:
    """A document's non-empty lines as (normalised text, original span start, end)."""
    out, pos = [], 0
    for line in doc.text.split("\n"):
        if line.strip():
            span = doc.original_span(pos, pos + len(line))
            out.append((line, span.start, span.end))
        pos += len(line) + 1
    return out


def search(engine: Engine, query: str, plan: str | None = None, what: str | None = None, limit: int = 50) -> list[SearchHit]:
    """Entries containing ``query``, current plans first, each with its context."""
    from .plans import find_plan

    query = query.strip()
    if not query:
        return []
    with Session(engine) as session:
        stmt = select(SearchEntry, Plan.title).join(Plan, Plan.id == SearchEntry.plan_id)
        stmt = stmt.where(SearchEntry.id.in_(_matching_ids(session, query)))
        if plan:
            stmt = stmt.where(SearchEntry.plan_id == find_plan(session, plan).id)
        if what:
            stmt = stmt.where(SearchEntry.kind == KINDS[what])
        stmt = stmt.order_by(Plan.superseded_by.is_not(None), SearchEntry.plan_id, SearchEntry.id).limit(limit)
        return [_hit(entry, title, query) for entry, title in session.execute(stmt)]


def _matching_ids(session: Session, query: str):
    if session.bind.dialect.name == "sqlite" and len(query) >= 3:
        phrase = '"' + query.replace('"', '""') + '"'  # one FTS5 phrase: no operators from user input
        return text("SELECT rowid FROM search_fts WHERE search_fts MATCH :q").bindparams(q=phrase).columns(rowid=Integer)
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return select(SearchEntry.id).where(SearchEntry.body.like(f"%{escaped}%", escape="\\"))


def _hit(entry: SearchEntry, title: str, query: str) -> SearchHit:
    at = entry.body.find(query)
    at = max(at, 0)
    end = at + len(query)
    return SearchHit(entry.plan_id, title, entry.kind, entry.ref, entry.body[max(0, at - CONTEXT):at], entry.body[at:end],
                     entry.body[end:end + CONTEXT], entry.span_start, entry.span_end)
