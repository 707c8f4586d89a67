"""The ``planwatch`` group and what every command shares: errors, options, output."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.table import Table as RichTable

from ..errors import PlanwatchError, ValidationError

console = Console()


class PlanwatchGroup(click.Group):
    """Turns every ``PlanwatchError`` into a message naming the file, row or field, and exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            head = f"{exc.source}: " if exc.source else ""
            error_line(f"{head}{len(exc.problems)} problem(s); nothing was changed")
            for problem in exc.problems:
                click.echo(f"  - {one_line(problem)}", err=True)
            ctx.exit(1)
        except PlanwatchError as exc:
            error_line(str(exc))
            ctx.exit(1)


def one_line(text: object) -> str:
    """Messages name paths and cell values that may hold newlines or ``[``: never wrapped, never markup."""
    return " ".join(str(text).split())


def error_line(message: str) -> None:
    # click.echo, not Rich: Rich wraps at the terminal width and reads [..] as markup, so a long
    # temp path or a file named "[1].docx" would split or garble the one line the user needs.
    click.echo(f"error: {one_line(message)}", err=True)


@click.group(cls=PlanwatchGroup)
@click.version_option(package_name="planwatch")
def main() -> None:
    """Monitor and evaluate the implementation of Chinese government plans (规划实施监测评估)."""


db_option = click.option("--db", "db", envvar="PLANWATCH_DATABASE_URL", help="Database URL or SQLite file (default: planwatch.db).")
user_option = click.option("--user", "user", envvar="PLANWATCH_USER", help="Who is acting (checked against their role; kept in the audit log).")
format_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)


def engine_for(db: str | None, migrate: bool = False):
    """The ledger's engine; a new database gets the schema, an older one needs ``init``."""
    from ..store import ensure_current, make_engine, upgrade

    engine = make_engine(db)
    upgrade(engine) if migrate else ensure_current(engine)
    return engine


def emit_jsonl(rows) -> None:
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def emit_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=1, default=str))


def cell(value) -> str:
    """A Rich table cell: values come from files and users, so ``[`` in them is escaped, not markup."""
    from rich.markup import escape

    if isinstance(value, list):
        return escape(", ".join(str(v) for v in value))
    return "" if value is None else escape(str(value))


def print_rows(rows: list[dict] | dict, fmt: str, title: str) -> None:
    """Rows as a Rich table, or as JSON for scripts; a single record prints as a one-row table."""
    if fmt == "json":
        emit_json(rows)
        return
    rows = [rows] if isinstance(rows, dict) else rows
    table = RichTable(title=title)
    columns = list(rows[0]) if rows else []
    for col in columns:
        table.add_column(col)
    for r in rows:  # by column name: a row's own key order never moves a value under another heading
        table.add_row(*(cell(r.get(col)) for col in columns))
    console.print(table)
