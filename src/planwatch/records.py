"""Stage records → plain dicts for JSON, CSV and Excel output (the GUIDE's field names)."""

from __future__ import annotations

from .model import HEADING_KINDS, Document, Outline, Project, Target, Task

# The GUIDE's outline vocabulary has no volume: 第X篇 / 第X部分 are written as chapters there.
GUIDE_KIND = {"volume": "chapter"}


def heading_records(outline: Outline) -> list[dict]:
    doc = outline.document
    out = []
    for node in outline.root.walk():
        if node.kind not in HEADING_KINDS:
            continue
        span = doc.original_span(node.start, node.end)
        out.append(
            {
                "doc": doc.name,
                "kind": GUIDE_KIND.get(node.kind, node.kind),
                "label": node.label,
                "title": _original_title(doc, node.start, node.body_start, node.title),
                "level": node.level,
                "inferred": node.inferred,
                "start": span.start,
                "end": span.end,
            }
        )
    return out


def _original_title(doc: Document, start: int, body_start: int, title: str) -> str:
    """The title as written (traditional where the file is), found inside the heading line."""
    if not title or doc.offsets is None and doc.original is doc.text:
        return title
    line = doc.text[start:body_start]
    at = line.find(title)
    return doc.original_text(start + at, start + at + len(title)) if at >= 0 else title


def outline_tree(outline: Outline) -> dict:
    def node_dict(node) -> dict:
        d = {"kind": node.kind, "label": node.label, "title": node.title, "level": node.level, "inferred": node.inferred,
             "start": node.start, "end": node.end}
        if node.tables:
            d["tables"] = [{"title": t.title, "rows": [list(r) for r in t.rows], "header_rows": t.header_rows} for t in node.tables]
        if node.children:
            d["children"] = [node_dict(c) for c in node.children]
        return d

    return {"doc": outline.document.name, "warnings": list(outline.warnings), **node_dict(outline.root)}


def target_record(t: Target) -> dict:
    return {
        "doc": t.doc, "kind": t.kind, "quote": t.quote, "metric": t.metric, "value": t.value, "unit": t.unit,
        "comparator": t.comparator, "type": t.type, "baseline": t.baseline, "year": t.year,
        "year_explicit": t.year_explicit, "binding": t.binding, "section": list(t.section),
        "start": t.span.start, "end": t.span.end,
    }


def task_record(t: Task) -> dict:
    return {
        "doc": t.doc, "label": t.label, "title": t.title, "section": list(t.section),
        "deadlines": [d.isoformat() for d in t.deadlines], "lead": list(t.lead), "support": list(t.support),
        "start": t.span.start, "end": t.span.end,
    }


def project_record(p: Project) -> dict:
    return {
        "doc": p.doc, "name": p.name, "action": p.action, "quote": p.quote, "section": list(p.section),
        "task": p.task_title, "investment": p.investment, "investment_unit": p.investment_unit,
        "years": list(p.years) if p.years else None, "lead": list(p.lead), "support": list(p.support),
        "start": p.span.start, "end": p.span.end,
    }


def with_ids(records: list[dict], prefix_of=lambda r: r["doc"][:3], infix: str = "") -> list[dict]:
    counters: dict[str, int] = {}
    out = []
    for r in records:
        key = prefix_of(r)
        counters[key] = counters.get(key, 0) + 1
        out.append({"id": f"{key}-{infix}{counters[key]}", **r})
    return out


def extraction_rows(result, what: str) -> list[dict]:
    """Rows with GUIDE ids for one document's ``Extraction``: targets, tasks or projects."""
    if what == "targets":
        return with_ids([target_record(t) for t in result.targets])
    if what == "tasks":
        return with_ids([task_record(t) for t in result.tasks], infix="T")
    return with_ids([project_record(p) for p in result.projects], infix="P")
