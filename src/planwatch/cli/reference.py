"""The CLI reference in docs/cli.md, generated from the commands' own help so it cannot drift
(``scripts/docs`` rewrites it; a test fails when it is stale)."""

from __future__ import annotations

import click

from .app import load_commands, main


def _walk(command: click.Command, path: tuple[str, ...]):
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _walk(command.commands[name], (*path, name))


def cli_reference() -> str:
    load_commands()
    parts = ["# planwatch command reference", "", "Generated from `--help` by `scripts/docs`; do not edit by hand.", ""]
    for path, command in _walk(main, ("planwatch",)):
        ctx = click.Context(command, info_name=" ".join(path), terminal_width=100, max_content_width=100)
        parts += [f"## {' '.join(path)}", "", "```", command.get_help(ctx).rstrip(), "```", ""]
    return "\n".join(parts)
