"""Extract: an ``Outline`` → targets, reported figures, tasks and named projects.

Pure functions over the outline; no database. ``extract(outline)`` runs them all.
"""

from __future__ import annotations

from ..model import HEADING_KINDS, Extraction, Node, Outline, Target
from .patterns import LEAD_IN_YEAR, RESULTS_DOCUMENT, REVIEW_TITLES
from .projects import find_projects
from .tables import table_targets
from .targets import LineContext, targets_in_line
from .tasks import find_tasks

__all__ = ["extract", "extract_targets", "find_tasks", "find_projects"]


def extract(outline: Outline) -> Extraction:
    tasks = find_tasks(outline)
    return Extraction(outline=outline, targets=tuple(extract_targets(outline)), tasks=tuple(tasks), projects=tuple(find_projects(outline, tasks)))


def extract_targets(outline: Outline) -> list[Target]:
    doc = outline.document
    review_year = (doc.metadata.period[0] - 1) if doc.metadata.period else None
    results = RESULTS_DOCUMENT.search(doc.metadata.title or "")
    if results:
        review_year = int(results.group(1))
    out: list[Target] = []

    def visit(node: Node, path: tuple[str, ...], horizon: int | None, review: bool) -> None:
        running: int | None = None
        for child in node.children:
            if child.kind in HEADING_KINDS:
                child_path = (*path, child.title) if child.title else path
                child_review = review or bool(REVIEW_TITLES.search(child.title))
                child_horizon = _horizon(doc.text, child) or horizon
                ctx = _context(child_path, child_horizon, child_review, review_year)
                out.extend(targets_in_line(doc, child.start, child.body_start, ctx))
                for table in child.tables:
                    out.extend(table_targets(doc, table, child_path, child_horizon))
                visit(child, child_path, child_horizon, child_review)
                running = None
            elif child.kind == "paragraph":
                text = doc.text[child.start : child.end]
                ctx = _context(path, running or horizon, review, review_year)
                out.extend(targets_in_line(doc, child.start, child.end, ctx))
                lead = LEAD_IN_YEAR.search(text)
                if lead and text.rstrip().endswith(":"):
                    running = int(lead.group(1))
        if node.kind == "document":
            for table in node.tables:
                out.extend(table_targets(doc, table, path, horizon))

    visit(outline.root, (), None, bool(results))
    out.sort(key=lambda t: t.span.start)
    return out


def _context(path, year, review: bool, review_year: int | None) -> LineContext:
    if review:
        return LineContext(section=path, year=review_year or year, kind="actual")
    return LineContext(section=path, year=year, kind="target")


def _horizon(text: str, node: Node) -> int | None:
    """到2025年… in a heading's own lead-in paragraph (before its first sub-heading)."""
    first = node.children[0] if node.children else None
    if first is None or first.kind != "paragraph" or first.title:
        return None
    found = LEAD_IN_YEAR.search(text[first.start : first.end])
    return int(found.group(1)) if found else None
