"""Extract: an ``Outline`` → targets, reported figures, tasks and named projects.

Pure functions over the outline; no database. ``extract(outline)`` runs them all;
``extract(outline, what={"targets"})`` only those asked for (``planwatch extract`` prints one
kind, and tasks and projects are more than half of the time).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from ..model import HEADING_KINDS, Extraction, Node, Outline, Target
from .context import Scope, document_scope, governs_following, heading_scope, lead_in_year, paragraph_scope
from .tables import results_table_targets, table_targets
from .targets import LineContext, targets_in_line
from .tasks import find_tasks, task_table_targets

__all__ = ["EVERYTHING", "extract", "extract_targets", "find_tasks"]

EVERYTHING = frozenset({"targets", "tasks", "projects"})


def extract(outline: Outline, what: Collection[str] = EVERYTHING) -> Extraction:
    """Targets, tasks and projects of the ``outline``; the kinds not in ``what`` stay empty
    (projects need the tasks, which are then kept too)."""
    targets = tuple(extract_targets(outline)) if "targets" in what else ()
    tasks = find_tasks(outline) if "tasks" in what or "projects" in what else []
    projects = ()
    if "projects" in what:
        from .projects import find_projects  # 7 ms of patterns to compile: only when projects are asked for

        projects = tuple(find_projects(outline, tasks))
    return Extraction(outline=outline, targets=targets, tasks=tuple(tasks), projects=projects)


def extract_targets(outline: Outline) -> list[Target]:
    doc = outline.document
    md = doc.metadata
    out: list[Target] = []

    def visit(node: Node, scope: Scope) -> None:
        running = scope  # a lead-in paragraph dates the lines after it, to the section's end
        for child in node.children:
            if child.kind in HEADING_KINDS:
                inner = heading_scope(running, child.title, _lead_in(doc.text, child), md)
                out.extend(targets_in_line(doc, _after_label(doc.text, child), child.body_start, _context(inner)))
                for table in child.tables:
                    out.extend(_table_targets(doc, table, inner))
                visit(child, inner)
            elif child.kind == "paragraph":
                text = doc.text[child.start : child.end]
                here = paragraph_scope(running, text)
                out.extend(targets_in_line(doc, child.start, child.end, _context(here)))
                year = lead_in_year(text)
                running = replace(here, year=year) if year and governs_following(text) else here
        if node.kind == "document":
            for table in node.tables:
                out.extend(_table_targets(doc, table, scope))

    visit(outline.root, document_scope(md))
    out.sort(key=lambda t: t.span.start)
    return out


def _after_label(text: str, node: Node) -> int:
    """Where a heading's words begin: the 1、 or （一） before them is no part of a quote or metric."""
    if not node.label or not node.title:
        return node.start
    found = text.find(node.title[:4], node.start, node.body_start)
    return found if found > node.start else node.start


def _table_targets(doc, table, scope: Scope) -> list[Target]:
    """An indicator table's rows, or else the figures in a task table's cells; in a review (a
    communiqué's 主要工业产品产量 table) the figures a results table reports."""
    return (table_targets(doc, table, scope.path, scope.year) or task_table_targets(doc, table, scope.path, scope.year)
            or (results_table_targets(doc, table, scope.path, scope.review_year or scope.year) if scope.review else []))


def _context(scope: Scope) -> LineContext:
    if scope.review:
        return LineContext(section=scope.path, year=scope.review_year or scope.year, kind="actual")
    return LineContext(section=scope.path, year=scope.year, kind="target")


def _lead_in(text: str, node: Node) -> str:
    """A heading's own lead-in paragraph (before its first sub-heading), where its horizon is stated."""
    first = node.children[0] if node.children else None
    if first is None or first.kind != "paragraph" or first.title:
        return ""
    return text[first.start : first.end]
