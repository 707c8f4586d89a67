"""The ``planwatch`` command: each command parses options, calls one library function, prints.

Errors from bad input are printed on one line naming the file, row or field, with exit 1.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

import click
from rich.console import Console
from rich.table import Table as RichTable
from rich.tree import Tree

from . import records
from .errors import PlanwatchError
from .ingest import read_document
from .ingest.similarity import find_same_plans
from .model import HEADING_KINDS
from .outline import parse_outline

console = Console()
err_console = Console(stderr=True)


class PlanwatchGroup(click.Group):
    """Turns every ``PlanwatchError`` into a one-line message and exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PlanwatchError as exc:
            err_console.print(f"[red]error:[/red] {exc}", highlight=False, markup=True)
            ctx.exit(1)


@click.group(cls=PlanwatchGroup)
@click.version_option(package_name="planwatch")
def main() -> None:
    """Monitor and evaluate the implementation of Chinese government plans (规划实施监测评估)."""


def emit_jsonl(rows) -> None:
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True)
def outline(files: tuple[str, ...], fmt: str) -> None:
    """Print each file's outline (chapters, sections, parts, items, boxes).

    Example: planwatch outline plan.docx --format jsonl
    """
    outlines = [parse_outline(read_document(f)) for f in files]
    for o in outlines:
        if fmt == "jsonl":
            emit_jsonl(records.heading_records(o))
        elif fmt == "json":
            click.echo(json.dumps(records.outline_tree(o), ensure_ascii=False, indent=1))
        else:
            console.print(_rich_tree(o))
            for w in o.warnings:
                err_console.print(f"[yellow]warning:[/yellow] {o.document.name}: {w}", highlight=False)


def _rich_tree(o) -> Tree:
    tree = Tree(f"[bold]{o.document.metadata.title or o.document.name}[/bold]")

    def add(branch, node):
        for child in node.children:
            if child.kind not in HEADING_KINDS:
                continue
            mark = " [yellow](inferred)[/yellow]" if child.inferred else ""
            label = f"[cyan]{child.kind}[/cyan] {child.label} {child.title}{mark}"
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
    summaries, docs = [], []
    for f in files:
        doc = read_document(f)
        o = parse_outline(doc)
        docs.append(doc)
        summaries.append(document_summary(o))
    same = find_same_plans(docs)
    if fmt == "json":
        click.echo(json.dumps({"documents": summaries, "same_plans": [s.__dict__ for s in same]}, ensure_ascii=False, indent=1, default=str))
        return
    print_summaries(summaries, same)


def document_summary(o) -> dict:
    doc = o.document
    counts = Counter(n.kind for n in o.root.walk() if n.kind != "document" and not n.inferred)
    md = doc.metadata
    return {
        "file": doc.name, "format": doc.format, "encoding": doc.encoding, "script": doc.script,
        "title": md.title, "issuers": list(md.issuers), "doc_number": md.doc_number,
        "period": f"{md.period[0]}–{md.period[1]}" if md.period else None, "vision_year": md.vision_year,
        "published": md.published, "characters": len(doc.text), "nodes": dict(counts), "warnings": list(o.warnings),
    }


def print_summaries(summaries: list[dict], same) -> None:
    table = RichTable(title="Documents")
    for col in ("file", "format", "encoding", "script", "title", "period", "nodes", "warnings"):
        table.add_column(col)
    for s in summaries:
        nodes = " ".join(f"{k}:{v}" for k, v in sorted(s["nodes"].items()))
        table.add_row(s["file"], s["format"], s["encoding"], s["script"], s["title"] or "", s["period"] or "", nodes, str(len(s["warnings"])))
    console.print(table)
    for s in summaries:
        for w in s["warnings"]:
            console.print(f"[yellow]warning[/yellow] {s['file']}: {w}", highlight=False)
    for o in same:
        console.print(
            f"[green]same plan[/green]: {o.a} and {o.b} — {o.a_in_b:.0%} of {o.a} is in {o.b}, {o.b_in_a:.0%} of {o.b} is in {o.a}",
            highlight=False,
        )


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "xlsx"]), default="table", show_default=True)
@click.option("--what", type=click.Choice(["targets", "tasks", "projects"]), default="targets", show_default=True)
@click.option("-o", "--output", type=click.Path(), help="File to write (required for xlsx).")
def extract(files: tuple[str, ...], fmt: str, what: str, output: str | None) -> None:
    """Extract targets and reported figures, tasks, or named projects from plan files.

    Example: planwatch extract plan.pdf --what tasks --format jsonl
    """
    from .export import write_records
    from .pipeline import process

    rows: list[dict] = []
    for f in files:
        result = process(f)
        rows.extend(records.extraction_rows(result, what))
    if fmt == "table":
        print_extraction(rows, what)
    else:
        write_records(rows, fmt, output)


def print_extraction(rows: list[dict], what: str) -> None:
    columns = {
        "targets": ("section", "quote", "metric", "value", "unit", "comparator", "type", "year", "kind"),
        "tasks": ("section", "title", "deadlines", "lead"),
        "projects": ("section", "action", "name", "quote"),
    }[what]
    by_section: dict[str, list[dict]] = {}
    for r in rows:
        by_section.setdefault(f"{r['doc']} › " + " › ".join(r.get("section") or []), []).append(r)
    for section, items in by_section.items():
        table = RichTable(title=section, title_justify="left", show_lines=False)
        for col in columns[1:]:
            table.add_column(col)
        for r in items:
            table.add_row(*(_cell(r.get(c)) for c in columns[1:]))
        console.print(table)


def _cell(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


@main.command()
@click.option("--db", "db", default="planwatch-demo.db", show_default=True, help="Ledger database for the demo.")
def demo(db: str) -> None:
    """Run the whole job on the bundled fictional plan: outline, summary, targets, tasks, projects,
    stored in an embedded SQLite ledger.

    Example: planwatch demo
    """
    from .demo import demo_plan_path
    from .pipeline import process

    path = str(demo_plan_path())
    result = process(path)
    console.rule("[bold]Outline")
    console.print(_rich_tree(result.outline))
    console.rule("[bold]Summary")
    print_summaries([document_summary(result.outline)], [])
    for what in ("targets", "tasks", "projects"):
        console.rule(f"[bold]{what.capitalize()}")
        print_extraction(records.extraction_rows(result, what), what)
    from .store import store_extraction

    stored = store_extraction(_engine(db), result, actor="demo")
    console.rule("[bold]Ledger")
    console.print(f"plan #{stored.plan_id} v{stored.version} {stored.status} in {db}: {stored.counts}", highlight=False)
    console.print(
        f"[green]done[/green]: {len(result.targets)} targets, {len(result.tasks)} tasks, {len(result.projects)} projects from {path}",
        highlight=False,
    )


db_option = click.option("--db", "db", envvar="PLANWATCH_DATABASE_URL", help="Database URL or SQLite file (default: planwatch.db).")


def _engine(db: str | None):
    from .store import make_engine, upgrade

    engine = make_engine(db)
    upgrade(engine)
    return engine


@main.command()
@db_option
def init(db: str | None) -> None:
    """Create or upgrade the ledger database.

    Example: planwatch init --db postgresql://user@host/planwatch
    """
    engine = _engine(db)
    console.print(f"[green]ready[/green]: {engine.url.render_as_string(hide_password=True)}", highlight=False)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--actor", default="cli", show_default=True, help="Who is ingesting (kept in the audit log).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def ingest(files: tuple[str, ...], db: str | None, actor: str, fmt: str) -> None:
    """Read plan files, report what they hold, and store them in the ledger (one transaction per file).

    Example: planwatch ingest plan.pdf notice.html --db planwatch.db
    """
    from .pipeline import process_document
    from .store import store_extraction

    docs = [read_document(f) for f in files]  # read everything first: a bad file stores nothing
    results = [process_document(d) for d in docs]
    engine = _engine(db)
    stored = [store_extraction(engine, r, actor=actor) for r in results]
    summaries = [document_summary(r.outline) for r in results]
    same = find_same_plans(docs)
    if fmt == "json":
        click.echo(json.dumps({"documents": summaries, "stored": [s.__dict__ for s in stored], "same_plans": [s.__dict__ for s in same]},
                              ensure_ascii=False, indent=1, default=str))
        return
    print_summaries(summaries, same)
    for s, doc in zip(stored, docs, strict=True):
        extra = f" (+{len(s.added)} / -{len(s.removed)} targets)" if s.status == "new-version" else ""
        console.print(f"{doc.name}: plan #{s.plan_id} v{s.version} {s.status}{extra} — {s.counts}", highlight=False)


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def plans(db: str | None, fmt: str) -> None:
    """List the plans in the ledger.

    Example: planwatch plans --format json
    """
    from .store import list_plans

    rows = list_plans(_engine(db))
    _print_rows(rows, fmt, "Plans")


@main.command()
@db_option
@click.option("--limit", default=100, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def audit(db: str | None, limit: int, fmt: str) -> None:
    """Show the audit log, newest first.

    Example: planwatch audit --limit 20
    """
    from .store import audit_entries

    _print_rows(audit_entries(_engine(db), limit), fmt, "Audit log")


def _print_rows(rows: list[dict], fmt: str, title: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    table = RichTable(title=title)
    for col in rows[0] if rows else ():
        table.add_column(col)
    for r in rows:
        table.add_row(*(_cell(v) for v in r.values()))
    console.print(table)
