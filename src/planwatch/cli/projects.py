"""``planwatch projects``: named projects' schedules (开工, 主体完工, 竣工, 投用)."""

from __future__ import annotations

from datetime import date

import click

from .app import db_option, engine_for, format_option, main, print_rows, user_option


@main.group()
def projects() -> None:
    """Named projects (重大项目, P…): their schedules. Assign them with `assign`, report on them with `report submit`."""


@projects.command("list")
@click.option("--plan", required=True, help="The plan (id or title).")
@db_option
@format_option
def projects_list(plan: str, db: str | None, fmt: str) -> None:
    """Every project of a plan with its construction years, planned investment and planned dates.

    Example: planwatch projects list --plan 1 --format json
    """
    from ..store.projects import list_schedules

    print_rows(list_schedules(engine_for(db), plan), fmt, "Projects")


@projects.command("schedule")
@click.argument("project")
@click.argument("dates", nargs=-1, metavar="STAGE=YYYY-MM-DD...")
@click.option("--investment", type=float, help="The planned total investment (from the project's approval, 批复).")
@click.option("--unit", type=click.Choice(["亿元", "万元", "元"]), help="The unit of --investment (default 亿元).")
@db_option
@user_option
@format_option
def projects_schedule(project: str, dates: tuple[str, ...], investment: float | None, unit: str | None, db: str | None,
                      user: str | None, fmt: str) -> None:
    """Set when a project is planned to reach its milestones (前期, 开工, 主体完工, 竣工, 投用),
    replacing the same stages' earlier dates, and its planned investment. Without dates set here,
    the plan's 建设年限 counts.

    Example: planwatch projects schedule P2 开工=2024-03-31 竣工=2025-12-31 --investment 8.5
    """
    from ..errors import ValidationError
    from ..store.projects import StageInput, schedule_project

    parsed, problems = [], []
    for d in dates:
        stage, _, day = d.partition("=")
        try:
            parsed.append(StageInput(stage.strip(), date.fromisoformat(day.strip())))
        except ValueError:
            problems.append(f"{d!r} is not STAGE=YYYY-MM-DD")
    if problems:
        raise ValidationError(problems, "projects schedule")
    print_rows(schedule_project(engine_for(db), project, parsed, actor=user, investment=investment, unit=unit), fmt, "Schedule")


@projects.command("clear")
@click.argument("project")
@db_option
@user_option
@format_option
def projects_clear(project: str, db: str | None, user: str | None, fmt: str) -> None:
    """Drop a project's planned dates; the plan's 建设年限 counts again.

    Example: planwatch projects clear P2
    """
    from ..store.projects import clear_schedule

    print_rows(clear_schedule(engine_for(db), project, actor=user), fmt, "Schedule")
