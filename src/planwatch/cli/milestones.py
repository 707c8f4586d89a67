"""``planwatch milestones``: a target's planned value for each year (年度计划分解)."""

from __future__ import annotations

import click

from .app import db_option, engine_for, format_option, main, print_rows, user_option


@main.group()
def milestones() -> None:
    """Annual milestones: each year's planned value of a target, judged beside the final target."""


@milestones.command("set")
@click.argument("target")
@click.argument("values", nargs=-1, required=True, metavar="YEAR=VALUE...")
@db_option
@user_option
@format_option
def milestones_set(target: str, values: tuple[str, ...], db: str | None, user: str | None, fmt: str) -> None:
    """Set a target's planned values, replacing those of the same years.

    Example: planwatch milestones set I7 2023=42.6 2024=43.3
    """
    from ..errors import ValidationError
    from ..store.milestones import MilestoneInput, set_milestones

    parsed, problems = [], []
    for v in values:
        year, _, value = v.partition("=")
        try:
            parsed.append(MilestoneInput(target, int(year), float(value)))
        except ValueError:
            problems.append(f"{v!r} is not YEAR=VALUE")
    if problems:
        raise ValidationError(problems, "milestones set")
    print_rows(set_milestones(engine_for(db), parsed, "planner", actor=user), fmt, "Milestones")


@milestones.command("import")
@click.argument("file", type=click.Path())
@click.option("--plan", required=True, help="The plan whose targets the rows name (id or title).")
@db_option
@user_option
@format_option
def milestones_import(file: str, plan: str, db: str | None, user: str | None, fmt: str) -> None:
    """Import the annual plan's table (CSV or xlsx), all or nothing.

    Columns: 指标编号/target or 指标/metric, 年份/year, 计划值/value.

    Example: planwatch milestones import 2025年度计划.xlsx --plan 1
    """
    from ..store.milestones import import_milestones
    from ..tabular import read_rows

    print_rows(import_milestones(engine_for(db), plan, read_rows(file), file, actor=user), fmt, "Imported")


@milestones.command("interpolate")
@click.option("--plan", required=True)
@click.option("--method", type=click.Choice(["linear", "compound"]), default="linear", show_default=True,
              help="Straight line or constant growth rate from the baseline to the target.")
@click.option("--only", "only", help="Comma-separated targets (I3,I7); default every target of the plan.")
@click.option("--replace", is_flag=True, help="Replace milestones a target already has.")
@db_option
@user_option
@format_option
def milestones_interpolate(plan: str, method: str, only: str | None, replace: bool, db: str | None, user: str | None,
                           fmt: str) -> None:
    """Fill each target's years from the baseline to the target year.

    Example: planwatch milestones interpolate --plan 1 --method compound
    """
    from ..assess.milestones import interpolate_plan

    refs = [r.strip() for r in only.split(",") if r.strip()] if only else None
    result = interpolate_plan(engine_for(db), plan, method, refs, replace, actor=user)
    if fmt == "json":
        print_rows(result, fmt, "")
        return
    print_rows({k: result[k] for k in ("method", "added", "changed", "targets")} | {"skipped": len(result["skipped"])}, fmt,
               "Milestones interpolated")


@milestones.command("list")
@click.option("--plan")
@click.option("--target")
@db_option
@format_option
def milestones_list(plan: str | None, target: str | None, db: str | None, fmt: str) -> None:
    """List planned values by target and year.

    Example: planwatch milestones list --plan 1
    """
    from ..store.milestones import list_milestones

    print_rows(list_milestones(engine_for(db), plan, target), fmt, "Milestones")
