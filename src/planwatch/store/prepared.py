"""What storing one extracted plan writes, built without a database.

``prepare(extraction)`` turns an extraction into rows of plain values: the plan's columns, its
outline (each node with its parent's position), targets folded with their restatements, tasks,
projects and search lines, JSON already serialised. The writer only reserves ids, sends the rows
and records the version; in a batch the workers prepare, so that the one writer's share of each
plan is the database's alone (it was 40% Python work on rows before, benchmarks/batch.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ingest.region import document_region
from ..ingest.similarity import Signature, band_keys, signature
from ..model import Extraction
from .bulk import Rows, row_values
from .keys import numbered, plan_key, project_key, target_key, task_key
from .plan_rows import group_mentions
from .schema import OutlineNode, PlanBand, ProjectRow, SearchEntry, TargetMention, TargetRow, TaskRow


@dataclass(frozen=True)
class PreparedPlan:
    path: str
    key: str
    plan: dict  # Plan's columns, but its version (which depends on what is stored)
    signature: Signature
    bands: Rows  # the plan's LSH band keys, without plan_id
    nodes: Rows  # without id, plan_id, parent_id
    parents: list[int]  # each node's parent, as a position in ``nodes``; -1 for the root
    targets: Rows  # without id, plan_id
    mentions: Rows  # without target_id
    mention_of: list[int]  # each mention's target, as a position in ``targets``
    tasks: Rows  # without plan_id
    projects: Rows  # without plan_id
    lines: Rows  # search entries, without plan_id
    counts: dict[str, int] = field(default_factory=dict)

    def text_lines(self) -> list[tuple[str, int, int]]:
        """The document's lines as (text, original start, end), as ``search.text_lines`` gives them."""
        if not self.lines.values:
            return []
        at = [self.lines.columns.index(c) for c in ("body", "span_start", "span_end")]
        return [(v[at[0]], v[at[1]], v[at[2]]) for v in self.lines.values]


def prepare(result: Extraction, digest: str, sig: Signature | None = None) -> PreparedPlan:
    """Every row that storing ``result`` writes, with the plan's identity (region, title, period)."""
    from .search import text_lines  # search builds on this module's Rows

    doc, md = result.outline.document, result.outline.document.metadata
    sig = sig or signature(doc.text)
    region = document_region(doc)
    title = md.title or doc.name
    plan = {"title": title, "issuer": ", ".join(md.issuers) or None, "region": region.name or None, "level": region.level,
            "period_start": md.period[0] if md.period else None, "period_end": md.period[1] if md.period else None,
            "source_file": doc.path, "content_hash": digest, "format": doc.format, "script": doc.script,
            "minhash": sig.hashvalues, "shingles": sig.size}
    nodes, parents = _nodes(result)
    grouped = group_mentions(list(result.targets))
    targets, mentions, mention_of = _targets(grouped)
    lines = row_values(SearchEntry.__table__, [{"kind": "text", "ref": "", "body": line, "span_start": a, "span_end": b}
                                               for line, a, b in text_lines(doc)])
    counts = {"nodes": len(nodes), "targets": len(targets), "tasks": len(result.tasks), "projects": len(result.projects)}
    if len(targets) < len(result.targets):
        counts["restated"] = len(result.targets) - len(targets)  # mentions folded into a target stated before
    return PreparedPlan(path=doc.path, key=plan_key(region.name, title, md.period), plan=plan, signature=sig,
                        bands=row_values(PlanBand.__table__, [{"band_key": k} for k in band_keys(sig)]), nodes=nodes, parents=parents, targets=targets, mentions=mentions,
                        mention_of=mention_of, tasks=_tasks(result), projects=_projects(result), lines=lines, counts=counts)


def _nodes(result: Extraction) -> tuple[Rows, list[int]]:
    doc = result.outline.document
    nodes = list(result.outline.root.walk())  # document order: a parent before its children
    at = {id(node): i for i, node in enumerate(nodes)}
    place = {id(child): (at[id(node)], i) for node in nodes for i, child in enumerate(node.children)}
    rows, parents = [], []
    for node in nodes:
        parent, position = place.get(id(node), (-1, 0))
        span = doc.original_span(node.start, node.end)
        parents.append(parent)
        rows.append({"position": position, "kind": node.kind, "label": node.label, "title": node.title, "level": node.level,
                     "inferred": node.inferred, "span_start": span.start, "span_end": span.end})
    return row_values(OutlineNode.__table__, rows), parents


def _targets(grouped) -> tuple[Rows, Rows, list[int]]:
    items = [t for t, _ in grouped]
    keys = numbered(target_key(t.kind, t.metric) for t in items)
    targets = [
        {"position": i, "key": k, "kind": t.kind, "metric": t.metric, "value": t.value, "unit": t.unit,
         "comparator": t.comparator, "type": t.type, "baseline": t.baseline, "year": t.year, "year_explicit": t.year_explicit,
         "binding": t.binding, "quote": t.quote, "section": list(t.section), "span_start": t.span.start, "span_end": t.span.end}
        for i, (t, k) in enumerate(zip(items, keys, strict=True))
    ]
    mentions, mention_of = [], []
    for i, (_, again) in enumerate(grouped):
        for m in again:
            mention_of.append(i)
            mentions.append({"quote": m.quote, "section": list(m.section), "span_start": m.span.start, "span_end": m.span.end})
    return row_values(TargetRow.__table__, targets), row_values(TargetMention.__table__, mentions), mention_of


def _tasks(result: Extraction) -> Rows:
    keys = numbered(task_key(t.title, t.text) for t in result.tasks)
    return row_values(TaskRow.__table__, [
        {"position": i, "key": k, "label": t.label, "title": t.title, "text": t.text, "section": list(t.section),
         "deadlines": [d.isoformat() for d in t.deadlines], "lead": list(t.lead), "support": list(t.support),
         "span_start": t.span.start, "span_end": t.span.end, "version": 1}
        for i, (t, k) in enumerate(zip(result.tasks, keys, strict=True))
    ])


def _projects(result: Extraction) -> Rows:
    keys = numbered(project_key(p.name) for p in result.projects)
    return row_values(ProjectRow.__table__, [
        {"position": i, "key": k, "name": p.name, "action": p.action, "quote": p.quote, "task_title": p.task_title,
         "section": list(p.section), "span_start": p.span.start, "span_end": p.span.end, "lead": list(p.lead),
         "support": list(p.support), "investment": p.investment, "investment_unit": p.investment_unit,
         "start_year": p.years[0] if p.years else None, "end_year": p.years[1] if p.years else None}
        for i, (p, k) in enumerate(zip(result.projects, keys, strict=True))
    ])
