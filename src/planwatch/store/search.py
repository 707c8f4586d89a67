"""Full-text search over every stored plan's text, targets and tasks, for Chinese.

SQLite: an FTS5 table with the trigram tokenizer (any substring of 3+ characters, no word
segmentation needed); PostgreSQL: a pg_trgm GIN index that serves ``LIKE '%…%'``. The engine's
URL chooses; queries shorter than a trigram fall back to a plain ``LIKE`` scan on both.

Only the text is indexed, line by line: a target or a task is found where a hit falls within its
span. (Indexing their quotes and texts as well put most of a plan in the index twice, and the
index was half of what storing a plan cost.)

    search(engine, "湿地公园") → [SearchHit(plan_id=1, kind="text", before="建设北湖", match="湿地公园", …)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine, Integer, and_, select, text
from sqlalchemy.orm import Session

from .bulk import write_rows
from .schema import Plan, SearchEntry, TargetRow, TaskRow

if TYPE_CHECKING:
    from .prepared import PreparedPlan

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


def index_plan(session: Session, plan_id: int, prepared: PreparedPlan) -> None:
    """The plan's lines as search entries, in one bulk insert (COPY on PostgreSQL); on SQLite the
    FTS5 index then takes them in one statement (a third of the cost of a trigger per line)."""
    write_rows(session, prepared.lines, ("plan_id",), (plan_id,), hold=True)
    if prepared.lines and session.bind.dialect.name == "sqlite":
        session.execute(text("INSERT INTO search_fts(rowid, body) SELECT id, body FROM search_entries WHERE plan_id = :p"),
                        {"p": plan_id})


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
        stmt = stmt.where(SearchEntry.id.in_(_matching_ids(session, query)), SearchEntry.kind == "text")
        if plan:
            stmt = stmt.where(SearchEntry.plan_id == find_plan(session, plan).id)
        stmt = stmt.order_by(Plan.superseded_by.is_not(None), SearchEntry.plan_id, SearchEntry.id)
        if what in (None, "text"):
            return [_hit(entry, title, query) for entry, title in session.execute(stmt.limit(limit))]
        return _item_hits(session, stmt, query, what, limit)


def _item_hits(session: Session, lines, query: str, what: str, limit: int) -> list[SearchHit]:
    """Targets (tasks) whose span holds a hit, each with its line as context: a task spans its
    lines; a line may state several targets, so a target must hold the hit itself."""
    model, prefix = (TargetRow, "I") if what == "targets" else (TaskRow, "T")
    stmt = lines.add_columns(model.id, model.span_start, model.span_end).join(model, and_(
        model.plan_id == SearchEntry.plan_id, model.span_start < SearchEntry.span_end, model.span_end > SearchEntry.span_start))
    out: list[SearchHit] = []
    seen: set[int] = set()
    for entry, title, item_id, start, end in session.execute(stmt.order_by(model.span_start)):
        hit = _hit(entry, title, query)
        at = entry.span_start + max(0, entry.body.find(query))  # the line's normalised text keeps its length
        if item_id in seen or (model is TargetRow and not (start < at + len(query) and end > at)):
            continue
        seen.add(item_id)
        out.append(SearchHit(hit.plan_id, hit.plan, KINDS[what], f"{prefix}{item_id}", hit.before, hit.match, hit.after,
                             start, end))
        if len(out) == limit:
            break
    return out


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
