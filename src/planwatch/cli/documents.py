"""Commands that read plan files without a ledger: outline, inspect, extract, and the demo."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import TYPE_CHECKING

import click

from .. import records
from ..errors import PlanwatchError
from ..ingest import read_document
from ..ingest.metadata import GENRE_LABELS
from ..model import HEADING_KINDS, Outline
from ..outline import parse_outline
from .app import cell, console, emit_jsonl, engine_for, error_line, escape, main, one_line

if TYPE_CHECKING:
    from rich.tree import Tree


def read_outlines(files: tuple[str, ...]) -> tuple[list[Outline], int]:
    """Each file's outline; a file that fails is reported on one line naming it, and the
    others go on. Returns the outlines and the number that failed."""
    outlines, failed = [], 0
    for f in files:
        try:
            outlines.append(parse_outline(read_document(f)))
        except PlanwatchError as exc:
            error_line(str(exc))
            failed += 1
        except Exception as exc:  # a bug on one odd file must not hide the other files' results
            error_line(f"{f}: {type(exc).__name__}: {exc}")
            failed += 1
    return outlines, failed


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True)
def outline(files: tuple[str, ...], fmt: str) -> None:
    """Print each file's outline (chapters, sections, parts, items, boxes).

    Example: planwatch outline plan.docx --format jsonl
    """
    outlines, failed = read_outlines(files)
    for o in outlines:
        if fmt == "jsonl":
            emit_jsonl(records.heading_records(o))
        elif fmt == "json":
            click.echo(json.dumps(records.outline_tree(o), ensure_ascii=False, indent=1))
        else:
            console.print(_rich_tree(o))
            for w in o.warnings:
                click.echo(f"warning: {one_line(o.document.name)}: {one_line(w)}", err=True)
    if failed:
        sys.exit(1)


def _rich_tree(o) -> Tree:
    # Titles come from the file: escaped, so a "[" in them is text, not Rich markup.
    from rich.tree import Tree

    tree = Tree(f"[bold]{escape(o.document.metadata.title or o.document.name)}[/bold]")

    def add(branch, node):
        for child in node.children:
            if child.kind not in HEADING_KINDS:
                continue
            mark = " [yellow](inferred)[/yellow]" if child.inferred else ""
            label = f"[cyan]{child.kind}[/cyan] {escape(child.label)} {escape(child.title)}{mark}"
            add(branch.add(label, highlight=False), child)

    add(tree, o.root)
    return tree


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def inspect(files: tuple[str, ...], fmt: str) -> None:
    """Read files and report format, encoding, script, title, period, outline counts, gaps and
    duplicates, without storing anything.

    Example: planwatch inspect plan.pdf other.html
    """
    from ..ingest.similarity import find_same_plans  # hashlib and shingles: not for the other commands here

    outlines, failed = read_outlines(files)
    summaries = [document_summary(o) for o in outlines]
    same = find_same_plans([o.document for o in outlines])
    if fmt == "json":
        click.echo(json.dumps({"documents": summaries, "same_plans": [s.__dict__ for s in same]}, ensure_ascii=False, indent=1, default=str))
    elif summaries:
        print_summaries(summaries, same)
    if failed:
        sys.exit(1)


def document_summary(o) -> dict:
    doc = o.document
    counts = Counter(n.kind for n in o.root.walk() if n.kind != "document" and not n.inferred)
    md = doc.metadata
    return {
        "file": doc.name, "format": doc.format, "encoding": doc.encoding, "script": doc.script,
        "title": md.title, "genre": md.genre, "genre_label": GENRE_LABELS.get(md.genre or ""), "year": md.year, "issuers": list(md.issuers), "doc_number": md.doc_number,
        "period": f"{md.period[0]}–{md.period[1]}" if md.period else None, "vision_year": md.vision_year,
        "published": md.published, "characters": len(doc.text), "nodes": dict(counts), "warnings": list(o.warnings),
    }


def print_summaries(summaries: list[dict], same) -> None:
    from rich.table import Table as RichTable

    table = RichTable(title="Documents")
    for col in ("file", "format", "encoding", "script", "title", "genre", "period", "nodes", "warnings"):
        table.add_column(col)
    for s in summaries:
        nodes = " ".join(f"{k}:{v}" for k, v in sorted(s["nodes"].items()))
        table.add_row(escape(s["file"]), s["format"], s["encoding"], s["script"], escape(s["title"] or ""), s["genre_label"] or "",
                      s["period"] or "", nodes, str(len(s["warnings"])))
    console.print(table)
    for s in summaries:
        for w in s["warnings"]:
            console.print(f"[yellow]warning[/yellow] {escape(s['file'])}: {escape(w)}", highlight=False)
    for o in same:
        a, b = escape(o.a), escape(o.b)
        console.print(
            f"[green]same plan[/green]: {a} and {b} — {o.a_in_b:.0%} of {a} is in {b}, {o.b_in_a:.0%} of {b} is in {a}",
            highlight=False,
        )


def print_extraction(rows: list[dict], what: str) -> None:
    columns = {
        "targets": ("section", "quote", "metric", "value", "unit", "comparator", "type", "year", "kind"),
        "tasks": ("section", "title", "deadlines", "lead"),
        "projects": ("section", "action", "name", "quote"),
    }[what]
    from rich.table import Table as RichTable

    by_section: dict[str, list[dict]] = {}
    for r in rows:
        by_section.setdefault(f"{r['doc']} › " + " › ".join(r.get("section") or []), []).append(r)
    for section, items in by_section.items():
        table = RichTable(title=section, title_justify="left", show_lines=False)
        for col in columns[1:]:
            table.add_column(col)
        for r in items:
            table.add_row(*(cell(r.get(c)) for c in columns[1:]))
        console.print(table)


@main.command()
@click.option("--db", "db", default="planwatch-demo.db", show_default=True, help="SQLite file for the demo ledger (made afresh).")
@click.option("-o", "--output", default="planwatch-demo-report.html", show_default=True, help="Where to write the demo bulletin.")
def demo(db: str, output: str) -> None:
    """Run the whole job on the bundled fictional plan: outline and extraction, then a ledger with
    two years of fictional quarterly reports and observations, an assessment, the review queue,
    figures matched from a fictional communiqué, and a mid-term report.

    Example: planwatch demo
    """
    from pathlib import Path

    from ..assess import assess_plan
    from ..assess.match import propose_matches
    from ..demo import DEMO_COMMUNIQUE, demo_plan_path
    from ..demo.populate import populate
    from ..pipeline import process
    from ..report.bulletin import build_bulletin
    from ..report.render import render
    from ..store import store_extraction
    from ..store.matches import decide_match

    path = str(demo_plan_path())
    result = process(path)
    console.rule("[bold]Outline")
    console.print(_rich_tree(result.outline))
    console.rule("[bold]Summary")
    print_summaries([document_summary(result.outline)], [])
    for what in ("targets", "tasks", "projects"):
        console.rule(f"[bold]{what.capitalize()}")
        print_extraction(records.extraction_rows(result, what), what)
    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)
    engine = engine_for(db)
    stored = store_extraction(engine, result, actor="demo")
    console.rule("[bold]Ledger")
    filled = populate(engine, stored.plan_id)
    console.print(f"plan #{stored.plan_id} in {db}: {stored.counts}; {filled}", highlight=False)
    communique = store_extraction(engine, process(str(DEMO_COMMUNIQUE)))
    proposals = propose_matches(engine, str(stored.plan_id), str(communique.plan_id))
    accepted = [decide_match(engine, p["id"], True)["metric"] for p in proposals if p["score"] >= 0.9]
    console.print(f"communiqué: {len(proposals)} figures matched to targets, {len(accepted)} accepted: {'、'.join(accepted)}",
                  highlight=False)
    console.rule("[bold]Assessment as of 2024Q4")
    assessed = assess_plan(engine, str(stored.plan_id), "2024Q4")
    for kind in ("targets", "tasks"):
        counts = Counter(i["status"] for i in assessed[kind])
        console.print(f"{kind}: " + "  ".join(f"{s} {n}" for s, n in counts.most_common()), highlight=False)
    bulletin = build_bulletin(engine, str(stored.plan_id), "2024Q4", "midterm")
    render(bulletin, "html", output)
    render(bulletin, "md", Path(output).with_suffix(".md"))
    console.print(
        f"[green]done[/green]: {len(result.targets)} targets, {len(result.tasks)} tasks, {len(result.projects)} projects from {path}; "
        f"mid-term report in {output} (and .md); try: planwatch review --period 2024Q4 --db {db}",
        highlight=False,
    )
