"""The ``planwatch`` group and what every command shares: errors, options, output."""

from __future__ import annotations

import json
import os
import sys
from functools import cache

import click

from ..errors import PermissionDenied, PlanwatchError, ValidationError


@cache
def _console():
    from rich.console import Console

    return Console()


class _Console:
    """Rich's console, made on first use: importing Rich costs a command that prints JSON
    lines (``extract --format jsonl``, scripts) some 40 ms of start-up for nothing."""

    def __getattr__(self, name: str):
        return getattr(_console(), name)


console = _Console()


def escape(text: str) -> str:
    """Rich markup escaped: values come from files and users, so ``[`` in them is text."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


# Which module defines each command: a command's module (and what it imports) is loaded only
# when that command runs, so `planwatch extract` does not pay for the ledger's, the web's or
# the reports' imports. tests/test_cli.py checks the table against the modules themselves.
COMMAND_MODULES = {
    "documents": ("demo", "inspect", "outline"),
    "batch": ("extract", "ingest"),
    "progress": ("comment", "evidence", "ledger", "observe", "report"),
    "evaluate": ("appraise", "assess", "match", "publication", "review", "serve", "thresholds"),
    "indicators": ("cascade", "indicators"),
    "ledger": ("assign", "audit", "backup", "departments", "init", "items", "period", "plans", "restore", "users"),
    "milestones": ("milestones",),
    "projects": ("projects",),
    "search": ("search",),
}
MODULE_OF = {name: module for module, names in COMMAND_MODULES.items() for name in names}


def load_commands(names=None) -> None:
    """Import the modules that define ``names`` (default: every command), registering them."""
    import importlib

    for module in sorted({MODULE_OF[n] for n in (MODULE_OF if names is None else names) if n in MODULE_OF}):
        importlib.import_module(f"{__package__}.{module}")


class PlanwatchGroup(click.Group):
    """Turns every ``PlanwatchError`` into a message naming the file, row or field, and exit code 1;
    loads a command's module when the command is asked for (``COMMAND_MODULES``)."""

    def list_commands(self, ctx):
        return sorted({*self.commands, *MODULE_OF})

    def get_command(self, ctx, name):
        if name not in self.commands:
            load_commands([name])
        return super().get_command(ctx, name)

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


def _set_limits(ctx: click.Context, _param, values: tuple[str, ...]) -> None:
    if not values:
        return
    from ..ingest.limits import LIMITS_ENV, parse_limits

    text = ",".join(filter(None, (os.environ.get(LIMITS_ENV, ""), *values)))
    try:
        parse_limits(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param_hint="--limit") from None
    # The environment, not a global: batch workers are separate processes and read it there.
    os.environ[LIMITS_ENV] = text


@click.group(cls=PlanwatchGroup)
@click.version_option(package_name="planwatch")
@click.option("--limit", "limits", multiple=True, metavar="NAME=N", expose_value=False, callback=_set_limits,
              help="Change a reader limit for this run, e.g. --limit max_chars=8000000 --limit max_pages=500 "
                   "(max_file_bytes, max_part_bytes, max_chars, max_depth, max_elements, max_pages; also PLANWATCH_LIMITS).")
def main() -> None:
    """Monitor and evaluate the implementation of Chinese government plans (规划实施监测评估)."""


db_option = click.option("--db", "db", envvar="PLANWATCH_DATABASE_URL", help="Database URL or SQLite file (default: planwatch.db).")
user_option = click.option("--user", "user", envvar="PLANWATCH_USER", help="Who is acting (checked against their role; kept in the audit log). A user with a password proves it: PLANWATCH_PASSWORD or a prompt.")
format_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)


def engine_for(db: str | None, migrate: bool = False, changing_password: bool = False):
    """The ledger's engine; a new database gets the schema, an older one needs ``init``.

    A command run ``--user NAME`` proves that name here, once, before it acts: see ``prove_user``.
    """
    from ..store import ensure_current, make_engine, upgrade

    engine = make_engine(db)
    upgrade(engine) if migrate else ensure_current(engine)
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.params.get("user"):
        prove_user(engine, ctx, ctx.params["user"], changing_password)
    return engine


def prove_user(engine, ctx: click.Context, name: str, changing_password: bool = False) -> None:
    """``--user NAME`` is a claim; a user who has a password proves it with PLANWATCH_PASSWORD
    or at a prompt (counted, locked after five failures and audited like a web login). A user
    without one (a ledger from before passwords, the demo) is taken at their word until an
    administrator gives them one with ``planwatch users passwd NAME``."""
    from ..store.accounts import authenticate, has_password

    key = ("proven", str(engine.url), name)
    if ctx.meta.get(key) or not has_password(engine, name):
        return
    password = os.environ.get("PLANWATCH_PASSWORD")
    if password is None:
        password = click.prompt(f"password for {name}", hide_input=True, err=True)
    account = authenticate(engine, name, password, channel="cli")
    if account.must_change and not changing_password:
        raise PermissionDenied(f"user {name!r} must set a new password first: planwatch users passwd {name} --user {name}")
    ctx.meta[key] = True
    ctx.meta[("password", name)] = password  # `users passwd` checks it again as the old password


def emit_jsonl(rows) -> None:
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def emit_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=1, default=str))


def cell(value) -> str:
    """A Rich table cell: values come from files and users, so ``[`` in them is escaped, not markup."""
    if isinstance(value, list):
        return escape(", ".join(str(v) for v in value))
    return "" if value is None else escape(str(value))


def print_rows(rows: list[dict] | dict, fmt: str, title: str) -> None:
    """Rows as a Rich table, or as JSON for scripts; a single record prints as a one-row table."""
    if fmt == "json":
        emit_json(rows)
        return
    from rich.table import Table as RichTable

    rows = [rows] if isinstance(rows, dict) else rows
    table = RichTable(title=title)
    columns = list(rows[0]) if rows else []
    for col in columns:
        table.add_column(col)
    for r in rows:  # by column name: a row's own key order never moves a value under another heading
        table.add_row(*(cell(r.get(col)) for col in columns))
    console.print(table)
