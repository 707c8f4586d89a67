"""Corrections a planner makes to a plan's extracted items before assigning them.

Extraction is never perfect, so the ledger can be put right: an item's fields edited
(``items edit I7 --value 48``), an item removed, several items merged into one, an item added
from a quote of the plan's text. Each is one transaction, audited, and kept as a correction
row keyed by the plan's identity (``Plan.key``) and the item's identity key (keys.py): when a
revised version of the plan is stored, its corrections are replayed in order on the new rows
before the ledger is carried over, the way assignments follow an item whose key survives.

    edit_item(engine, "I7", {"value": "48", "unit": "%"})
    merge_items(engine, ["I7", "I31"])        # I31 folds into I7
    add_item(engine, "1", "建成区绿地率达到40%", "target", {"year": "2025"})
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFound, ValidationError
from ..model import HEADING_KINDS
from .access import require
from .audit import record
from .keys import project_key, target_key, task_key
from .ledger import ITEM_MODELS, find_item, ref_of
from .plans import find_plan
from .schema import (
    Assignment,
    Comment,
    ItemCorrection,
    MatchLink,
    Observation,
    OutlineNode,
    Plan,
    ProgressReport,
    ProjectRow,
    SearchEntry,
    TargetMention,
    TargetRow,
    TaskRow,
)

COMPARATORS = (">=", ">", "<=", "<", "~", "=")
COMPARATOR_ALIASES = {"≥": ">=", "≤": "<=", "＞": ">", "＜": "<", "约": "~"}
TYPES = ("level", "increase", "decrease", "annual_growth", "monitor")
BINDINGS = ("约束性", "预期性")
# A field given as one of these words is cleared (baseline, year, binding, deadline).
EMPTY_WORDS = ("", "none", "null", "-", "无")
EDITABLE = {
    "target": ("metric", "value", "unit", "comparator", "type", "baseline", "year", "binding"),
    "task": ("title", "deadline"),
    "project": ("name", "action"),
}
ADDABLE = ("target", "task", "project")


def _number(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValidationError([f"--{name} {text!r} is not a number"]) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError([f"--{name} {text!r} is not a finite number"])
    return value


def _year(text: str) -> int:
    if not text.strip().isdigit() or not 1900 <= int(text) <= 2100:
        raise ValidationError([f"--year {text!r} is not a year from 1900 to 2100"])
    return int(text)


def _deadline(text: str) -> list[str]:
    text = text.strip()
    try:
        when = date(int(text), 12, 31) if text.isdigit() and len(text) == 4 else date.fromisoformat(text)
    except ValueError:
        raise ValidationError([f"--deadline {text!r} is not YYYY or YYYY-MM-DD"]) from None
    return [when.isoformat()]


def _choice(name: str, text: str, allowed: tuple[str, ...]) -> str:
    text = COMPARATOR_ALIASES.get(text, text) if name == "comparator" else text
    if text not in allowed:
        raise ValidationError([f"--{name} {text!r} is not one of {', '.join(allowed)}"])
    return text


def _text(name: str, text: str, may_be_empty: bool = False) -> str:
    if not text.strip() and not may_be_empty:
        raise ValidationError([f"--{name} is empty"])
    return text.strip()


def parse_fields(kind: str, given: dict[str, str | None]) -> dict[str, Any]:
    """Command-line text → column values, checked: ``{"value": "48"}`` → ``{"value": 48.0}``.

    The task field ``deadline`` becomes the ``deadlines`` column; ``title`` of a target is refused.
    """
    given = {k: v for k, v in given.items() if v is not None}
    wrong = [k for k in given if k not in EDITABLE[kind]]
    if wrong:
        raise ValidationError([f"--{k} does not apply to a {kind} (it has {', '.join('--' + f for f in EDITABLE[kind])})"
                               for k in wrong])
    out: dict[str, Any] = {}
    for name, text in given.items():
        empty = text.strip().lower() in EMPTY_WORDS
        if name in ("baseline", "year", "binding", "deadline") and empty:
            out["deadlines" if name == "deadline" else name] = [] if name == "deadline" else None
        elif name in ("value", "baseline"):
            out[name] = _number(name, text)
        elif name == "year":
            out[name] = _year(text)
        elif name == "comparator":
            out[name] = _choice(name, text, COMPARATORS)
        elif name == "type":
            out[name] = _choice(name, text, TYPES)
        elif name == "binding":
            out[name] = _choice(name, text, BINDINGS)
        elif name == "deadline":
            out["deadlines"] = _deadline(text)
        else:
            out[name] = _text(name, text, may_be_empty=name == "unit")
    return out


def _current(session: Session, plan_id: int, ref: str) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan.superseded_by is not None:
        raise ConflictError(f"{ref} belongs to version {plan.version} of {plan.title!r}, superseded by plan #{plan.superseded_by}: "
                            "correct the current version")
    return plan


def _keep(session: Session, who: str, plan: Plan, kind: str, key: str, action: str, fields: dict) -> None:
    row = ItemCorrection(plan_key=plan.key, item_kind=kind, item_key=key, action=action, fields=fields, created_by=who)
    session.add(row)
    session.flush()
    record(session, who, "create", "item_correction", row.id,
           new={"plan": plan.id, "item_kind": kind, "item_key": key, "action": action, "fields": fields})


def edit_item(engine: Engine, ref: str, given: dict[str, str | None], actor: str | None = None) -> dict:
    """Change an item's fields; refused when nothing would change or a field does not fit the item."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        kind, row = find_item(session, ref)
        plan = _current(session, row.plan_id, ref)
        fields = parse_fields(kind, given)
        if not fields:
            raise ValidationError([f"nothing to change: give one of {', '.join('--' + f for f in EDITABLE[kind])}"], f"items edit {ref}")
        old = {k: getattr(row, k) for k in fields}
        if old == fields:
            raise ConflictError(f"{ref} has those values already; nothing was changed")
        _apply_fields(row, fields)
        record(session, who, "update", kind, row.id, old=old, new=fields)
        _keep(session, who, plan, kind, row.key, "edit", fields)
        return item_summary(kind, row)


def _apply_fields(row, fields: dict) -> None:
    for name, value in fields.items():
        setattr(row, name, value)


def remove_item(engine: Engine, ref: str, actor: str | None = None) -> dict:
    """Remove an item extraction got wrong; refused while the ledger holds anything about it."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        kind, row = find_item(session, ref)
        plan = _current(session, row.plan_id, ref)
        _refuse_if_held(session, kind, row.id, ref, "remove")
        out = item_summary(kind, row)
        record(session, who, "delete", kind, row.id, old=out)
        _keep(session, who, plan, kind, row.key, "remove", {})
        _delete(session, kind, row)
        return out


def merge_items(engine: Engine, refs: list[str], actor: str | None = None) -> dict:
    """Fold the second and later items into the first (the same commitment found twice): the
    first keeps its fields, taking binding and baseline from the others where it has none."""
    if len(dict.fromkeys(r.strip().upper() for r in refs)) < 2:
        raise ValidationError(["merge needs two or more different items (the first is kept)"], "items merge")
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        found = [find_item(session, r) for r in dict.fromkeys(r.strip().upper() for r in refs)]
        (kind, kept), others = found[0], found[1:]
        plan = _current(session, kept.plan_id, refs[0])
        for other_kind, other in others:
            if other_kind != kind or other.plan_id != kept.plan_id:
                raise ConflictError(f"{ref_of(other_kind, other.id)} is not a {kind} of the same plan as {ref_of(kind, kept.id)}: "
                                    "only items of one kind and one plan merge")
            _refuse_if_held(session, kind, other.id, ref_of(kind, other.id), f"merge into {ref_of(kind, kept.id)}")
        old = item_summary(kind, kept)
        filled = _fold(kind, kept, [o for _, o in others])
        for _, other in others:
            record(session, who, "delete", kind, other.id, old={**item_summary(kind, other), "merged_into": ref_of(kind, kept.id)})
            if kind == "target":  # the folded item's place in the plan stays a mention of the one kept
                session.execute(update(TargetMention).where(TargetMention.target_id == other.id).values(target_id=kept.id))
                session.add(TargetMention(target_id=kept.id, quote=other.quote, section=list(other.section or []),
                                          span_start=other.span_start, span_end=other.span_end))
                session.flush()
            _delete(session, kind, other)
        if filled:
            record(session, who, "update", kind, kept.id, old={k: old.get(k) for k in filled}, new=filled)
        _keep(session, who, plan, kind, kept.key, "merge", {"others": [o.key for _, o in others]})
        return {**item_summary(kind, kept), "merged": [ref_of(kind, o.id) for _, o in others]}


def _fold(kind: str, kept, others: list) -> dict:
    """Fill the kept target's missing binding and baseline from the items folded into it."""
    filled: dict = {}
    if kind != "target":
        return filled
    for name in ("binding", "baseline"):
        if getattr(kept, name) is None:
            value = next((getattr(o, name) for o in others if getattr(o, name) is not None), None)
            if value is not None:
                setattr(kept, name, value)
                filled[name] = value
    return filled


def _refuse_if_held(session: Session, kind: str, item_id: int, ref: str, what: str) -> None:
    held = _ledger_rows(session, kind, item_id)
    if held:
        raise ConflictError(f"cannot {what} {ref}: the ledger holds {', '.join(held)} about it (unassign it first, "
                            "or correct it with `items edit`)")


def _ledger_rows(session: Session, kind: str, item_id: int) -> list[str]:
    counts = [(word, model.item_id, model.item_kind == kind)
              for word, model in (("assignment", Assignment), ("progress report", ProgressReport), ("comment", Comment))]
    if kind == "target":
        counts += [("observation", Observation.target_id, True), ("matched figure", MatchLink.target_id, True)]
    out = []
    for word, column, where in counts:
        n = session.scalar(select(func.count()).where(column == item_id, where))
        if n:
            out.append(f"{n} {word}(s)")
    return out


def _delete(session: Session, kind: str, row) -> None:
    session.execute(delete(SearchEntry).where(SearchEntry.plan_id == row.plan_id, SearchEntry.ref == ref_of(kind, row.id)))
    session.delete(row)
    session.flush()


def add_item(engine: Engine, plan_ref: str, quote: str, what: str = "target", given: dict[str, str | None] | None = None,
             actor: str | None = None) -> dict:
    """Add an item extraction missed, from a quote of the plan's stored text: the item keeps the
    quote's span and section path. A target's fields not given come from reading the quote."""
    if not quote.strip():
        raise ValidationError(["--quote is empty"], "items add")
    with Session(engine) as session, session.begin():
        who = require(session, actor, "plans").name
        plan = find_plan(session, plan_ref)
        _current(session, plan.id, f"plan #{plan.id}")
        lines = session.execute(select(SearchEntry.body, SearchEntry.span_start, SearchEntry.span_end)
                                .where(SearchEntry.plan_id == plan.id, SearchEntry.kind == "text").order_by(SearchEntry.id)).all()
        start, end = locate(lines, quote, plan.id)
        fields = _new_fields(what, quote.strip(), given or {})
        row = _insert(session, plan.id, what, quote.strip(), fields, start, end)
        record(session, who, "create", what, row.id, new=item_summary(what, row))
        _keep(session, who, plan, what, row.key, "add", {"quote": quote.strip(), **_plain(fields)})
        return item_summary(what, row)


def _plain(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if k not in ("key",)}


def locate(lines: Iterable[tuple[str, int, int]], quote: str, plan_id: int) -> tuple[int, int]:
    """Where a quote lies in a plan's text: ``lines`` are (paragraph, span start, span end);
    the quote must fall within one paragraph and occur once, so its span is unambiguous."""
    from ..ingest.normalize import normalize

    wanted = normalize(quote.strip())[0]
    hits = []
    for body, start, end in lines:
        at = body.find(wanted)
        while at >= 0:
            # Spans are in the original text; a paragraph whose normalisation changed its length
            # maps approximately, clipped to the paragraph.
            hits.append((min(start + at, end), min(start + at + len(wanted), end)))
            at = body.find(wanted, at + 1)
    if not hits:
        raise NotFound(f"the quote is not in the stored text of plan #{plan_id} (it must lie within one paragraph)")
    if len(hits) > 1:
        raise ConflictError(f"the quote occurs {len(hits)} times in plan #{plan_id}: quote more of the sentence")
    return hits[0]


def _new_fields(what: str, quote: str, given: dict[str, str | None]) -> dict:
    if what not in ADDABLE:
        raise ValidationError([f"items add makes a {' or '.join(ADDABLE)}, not {what!r}"], "items add")
    fields = parse_fields(what, given)
    if what == "task":
        return {"title": fields.get("title") or quote.split("。")[0][:80], "deadlines": fields.get("deadlines", [])}
    if what == "project":
        return _project_fields(quote, fields)
    read = _read_target(quote)
    merged = {**read, **fields}
    missing = [f"--{k}" for k in ("metric", "value") if merged.get(k) is None]
    if missing:
        raise ValidationError([f"no single target could be read from the quote: give {' and '.join(missing)}"], "items add")
    return {"kind": "target", "unit": "", "comparator": "=", "type": "level", "baseline": None, "year": None, "binding": None,
            **merged}


def _read_target(quote: str) -> dict:
    """The quote read by the target extractor, as defaults, when it holds exactly one target."""
    from ..extract.targets import LineContext, targets_in_line
    from ..ingest.normalize import normalize
    from ..model import Document

    text = normalize(quote)[0]
    found = targets_in_line(Document(path="quote", original=quote, text=text), 0, len(text), LineContext((), None, "target"))
    if len(found) != 1:
        return {}
    t = found[0]
    return {"metric": t.metric, "value": t.value, "unit": t.unit, "comparator": t.comparator, "type": t.type,
            "baseline": t.baseline, "year": t.year, "binding": t.binding}


def _project_fields(quote: str, fields: dict) -> dict:
    """A project's name and action as given, else as the project reader finds them in the
    quote when it names exactly one; 建设 when the quote has no verb the reader knows."""
    from ..extract.projects import projects_in_text
    from ..ingest.normalize import normalize

    found = projects_in_text(normalize(quote)[0])
    read = {"name": found[0].name, "action": found[0].action} if len(found) == 1 else {}
    merged = {"action": "建设", **read, **fields}
    if not merged.get("name"):
        why = f"it names {len(found)}" if found else "none could be read from it"
        raise ValidationError([f"give --name: the quote must name one project and {why}"], "items add")
    return merged


def _insert(session: Session, plan_id: int, what: str, quote: str, fields: dict, start: int, end: int):
    model = ITEM_MODELS[what]
    taken = set(session.scalars(select(model.key).where(model.plan_id == plan_id)))
    base = (target_key(fields["kind"], fields["metric"]) if what == "target" else project_key(fields["name"]) if what == "project"
            else task_key(fields["title"], quote))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}#{n}"
    position = (session.scalar(select(func.max(model.position)).where(model.plan_id == plan_id)) or 0) + 1
    section = section_at(session, plan_id, start)
    if what == "target":
        row = TargetRow(plan_id=plan_id, position=position, key=key, quote=quote, section=section, span_start=start, span_end=end,
                        year_explicit=fields.get("year") is not None, **fields)
    elif what == "project":
        row = ProjectRow(plan_id=plan_id, position=position, key=key, quote=quote, section=section, span_start=start, span_end=end,
                         task_title=_enclosing_task(session, plan_id, start, end), **fields)
    else:
        row = TaskRow(plan_id=plan_id, position=position, key=key, label="", text=quote, section=section, lead=[], support=[],
                      span_start=start, span_end=end, version=1, **fields)
    session.add(row)
    session.flush()
    return row


def _enclosing_task(session: Session, plan_id: int, start: int, end: int) -> str:
    """The title of the task whose text holds a span, as an extracted project keeps it."""
    return session.scalar(select(TaskRow.title).where(TaskRow.plan_id == plan_id, TaskRow.span_start <= start, TaskRow.span_end >= end)
                          .order_by(TaskRow.span_end - TaskRow.span_start).limit(1)) or ""


def section_at(session: Session, plan_id: int, position: int) -> list[str]:
    """The titles of the stored headings enclosing a position, outermost first."""
    nodes = session.execute(select(OutlineNode.title, OutlineNode.level).where(
        OutlineNode.plan_id == plan_id, OutlineNode.kind.in_(HEADING_KINDS), OutlineNode.span_start <= position,
        OutlineNode.span_end > position).order_by(OutlineNode.level, OutlineNode.span_start)).all()
    return [title for title, _ in nodes if title]


def item_summary(kind: str, row) -> dict:
    base = {"item": ref_of(kind, row.id), "key": row.key}
    if kind == "project":
        return base | {"name": row.name, "action": row.action}
    if kind == "task":
        return base | {"title": row.title or row.text[:40], "deadlines": list(row.deadlines or [])}
    return base | {"kind": row.kind, "metric": row.metric, "value": row.value, "unit": row.unit, "comparator": row.comparator,
                   "type": row.type, "baseline": row.baseline, "year": row.year, "binding": row.binding}


def replay_corrections(session: Session, who: str, plan: Plan, lines: list[tuple[str, int, int]]) -> dict:
    """Apply the corrections made to earlier versions of ``plan`` to its freshly stored rows, in
    the order they were made. A correction whose item the new text no longer has is skipped."""
    done = {"replayed": 0, "skipped": 0}
    corrections = session.scalars(select(ItemCorrection).where(ItemCorrection.plan_key == plan.key).order_by(ItemCorrection.id)).all()
    for c in corrections:
        applied = _replay_one(session, plan, c, lines)
        done["replayed" if applied else "skipped"] += 1
        if applied:
            record(session, who, "update", "item_correction", c.id, new={"replayed_on_plan": plan.id, "action": c.action})
    return done


def _replay_one(session: Session, plan: Plan, c: ItemCorrection, lines) -> bool:
    model = ITEM_MODELS[c.item_kind]
    rows = {r.key: r for r in session.scalars(select(model).where(model.plan_id == plan.id))}
    row = rows.get(c.item_key)
    fields = dict(c.fields or {})
    if c.action == "add":
        if row is not None:  # the revised text's own extraction now finds it
            return False
        quote = fields.pop("quote")
        try:
            start, end = locate(lines, quote, plan.id)
        except (NotFound, ConflictError):
            return False
        added = _insert(session, plan.id, c.item_kind, quote, fields, start, end)
        added.key = c.item_key
        return True
    if row is None:
        return False
    if c.action == "edit":
        _apply_fields(row, fields)
    elif c.action == "remove":
        session.delete(row)
    elif c.action == "merge":
        others = [rows[k] for k in fields.get("others", []) if k in rows]
        if not others:
            return False
        _fold(c.item_kind, row, others)
        for other in others:
            session.delete(other)
    session.flush()
    return True


def plan_corrections(engine: Engine, plan_ref: str) -> list[dict]:
    """The corrections standing for a plan (every version), oldest first."""
    with Session(engine) as session:
        plan = find_plan(session, plan_ref)
        rows = session.scalars(select(ItemCorrection).where(ItemCorrection.plan_key == plan.key).order_by(ItemCorrection.id))
        return [{"id": c.id, "action": c.action, "item_kind": c.item_kind, "item_key": c.item_key, "fields": c.fields,
                 "by": c.created_by, "at": c.created_at} for c in rows]
