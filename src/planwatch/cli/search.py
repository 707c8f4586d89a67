"""``planwatch search``: phrases across every stored plan, hits in context."""

from __future__ import annotations

import click

from .app import console, db_option, emit_json, engine_for, escape, main


@main.command()
@click.argument("query")
@click.option("--plan", help="Only this plan (id or a unique part of its title).")
@click.option("--what", type=click.Choice(["text", "targets", "tasks"]), help="Only the plans' text, targets or tasks.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def search(query: str, plan: str | None, what: str | None, limit: int, db: str | None, fmt: str) -> None:
    """Find a phrase in every stored plan's text, targets and tasks (Chinese: any 3+ characters).

    Example: planwatch search 湿地公园 --what tasks
    """
    from ..store.search import search as run

    hits = run(engine_for(db), query, plan=plan, what=what, limit=limit)
    if fmt == "json":
        emit_json([h.__dict__ for h in hits])
        return
    for h in hits:
        ref = f" {h.ref}" if h.ref else ""
        # Plan text may hold "[…]": escaped so Rich never reads it as markup.
        console.print(f"#{h.plan_id} {escape(h.plan)} \\[{h.kind}{ref}] …{escape(h.before)}[bold]{escape(h.match)}[/bold]"
                      f"{escape(h.after)}… (chars {h.span_start}–{h.span_end})", highlight=False)
    click.echo(f"{len(hits)} hit(s)", err=True)
