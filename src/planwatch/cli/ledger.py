"""Commands that set up the ledger: init, plans, departments, users, assign, period, audit."""

from __future__ import annotations

from datetime import date

import click

from .app import db_option, engine_for, format_option, main, print_rows, user_option


@main.command()
@db_option
@format_option
def init(db: str | None, fmt: str) -> None:
    """Create or upgrade the ledger database (existing data is kept).

    Example: planwatch init --db postgresql://user@host/planwatch
    """
    from ..store import schema_revision

    engine = engine_for(db, migrate=True)
    print_rows({"database": engine.url.render_as_string(hide_password=True), "revision": schema_revision(engine)}, fmt, "Ledger ready")


@main.command()
@db_option
@format_option
def plans(db: str | None, fmt: str) -> None:
    """List the plans in the ledger, every version.

    Example: planwatch plans --format json
    """
    from ..store import list_plans

    print_rows(list_plans(engine_for(db)), fmt, "Plans")


@main.command()
@click.option("--plan", required=True, help="Plan id or title.")
@click.option("--what", type=click.Choice(["tasks", "targets", "projects"]), default="tasks", show_default=True)
@db_option
@format_option
def items(plan: str, what: str, db: str | None, fmt: str) -> None:
    """List a stored plan's tasks (T…), targets (I…) or projects, with their references and provenance.

    Example: planwatch items --plan 1 --what targets
    """
    from ..store import plan_items

    rows = plan_items(engine_for(db), plan, what)
    if fmt == "table":
        rows = [{k: v for k, v in r.items() if k not in ("start", "end", "quote")} for r in rows]
    print_rows(rows, fmt, f"Plan {plan}: {what}")


@main.group()
def departments() -> None:
    """Departments: a hierarchy of 市/区 → 委办局, 街镇."""


@departments.command("add")
@click.argument("name")
@click.option("--parent", help="The unit this one sits under.")
@click.option("--level", default="", help="市, 区, 委办局, 街镇 or 其他.")
@db_option
@user_option
@format_option
def departments_add(name: str, parent: str | None, level: str, db: str | None, user: str | None, fmt: str) -> None:
    """Add a department.

    Example: planwatch departments add 区发展改革委 --parent 临河区 --level 委办局
    """
    from ..store import add_department

    print_rows(add_department(engine_for(db), name, parent, level, actor=user), fmt, "Department added")


@departments.command("move")
@click.argument("name")
@click.option("--parent", help="The unit to put it under (omit for the top level).")
@click.option("--level", help="市, 区, 委办局, 街镇 or 其他.")
@db_option
@user_option
@format_option
def departments_move(name: str, parent: str | None, level: str | None, db: str | None, user: str | None, fmt: str) -> None:
    """Move a department under another unit (departments created from a plan's text start at the top).

    Example: planwatch departments move 区水务局 --parent 临河区 --level 委办局
    """
    from ..store import move_department

    print_rows(move_department(engine_for(db), name, parent, level, actor=user), fmt, "Department moved")


@departments.command("list")
@db_option
@format_option
def departments_list(db: str | None, fmt: str) -> None:
    """List departments in tree order.

    Example: planwatch departments list --format json
    """
    from ..store import list_departments

    rows = list_departments(engine_for(db))
    if fmt == "table":
        rows = [{**r, "name": "  " * r["depth"] + r["name"]} for r in rows]
    print_rows(rows, fmt, "Departments")


@main.group()
def users() -> None:
    """Users and their roles: admin, planner, reporter (own department), viewer."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "planner", "reporter", "viewer"]))
@click.option("--department", help="The department a reporter reports for.")
@db_option
@user_option
@format_option
def users_add(name: str, role: str, department: str | None, db: str | None, user: str | None, fmt: str) -> None:
    """Add a user. The first user must be an admin; after that only admins add users.

    Example: planwatch users add 王芳 --role reporter --department 区水务局 --user admin
    """
    from ..store import add_user

    print_rows(add_user(engine_for(db), name, role, department, actor=user), fmt, "User added")


@users.command("list")
@db_option
@format_option
def users_list(db: str | None, fmt: str) -> None:
    """List users.

    Example: planwatch users list
    """
    from ..store import list_users

    print_rows(list_users(engine_for(db)), fmt, "Users")


@main.command()
@click.argument("items", nargs=-1)
@click.option("--lead", help="Lead department (牵头单位).")
@click.option("--support", multiple=True, help="Cooperating department (配合单位); repeat for several.")
@click.option("--remove", help="Take the items away from this department instead.")
@click.option("--plan", help="With --from-text: the plan whose tasks to assign.")
@click.option("--from-text", is_flag=True, help="Assign each task to the units its own text names as lead (…牵头).")
@db_option
@user_option
@format_option
def assign(items: tuple[str, ...], lead: str | None, support: tuple[str, ...], remove: str | None, plan: str | None,
           from_text: bool, db: str | None, user: str | None, fmt: str) -> None:
    """Assign tasks (T12) and targets (I7) to a lead department and cooperating departments.

    Example: planwatch assign T3 T4 I7 --lead 区发展改革委 --support 区财政局
    """
    from ..store import assign as assign_items
    from ..store import assign_from_text, unassign

    engine = engine_for(db)
    if from_text:
        if not plan:
            raise click.UsageError("--from-text needs --plan")
        rows = assign_from_text(engine, plan, actor=user)
    elif remove:
        unassign(engine, list(items), remove, actor=user)
        rows = [{"item": ref, "removed": remove} for ref in items]
    else:
        if not items or not (lead or support):
            raise click.UsageError("name items (T… / I…) and --lead or --support")
        rows = assign_items(engine, list(items), lead, support, actor=user)
    print_rows(rows, fmt, "Assignments")


@main.group()
def period() -> None:
    """Reporting periods: quarters (2024Q2), half-years (2024H1) and years (2024)."""


@period.command("open")
@click.argument("label")
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Reporting due date (default: 10 days after the period).")
@db_option
@user_option
@format_option
def period_open(label: str, due, db: str | None, user: str | None, fmt: str) -> None:
    """Open (or reopen) a reporting period.

    Example: planwatch period open 2024Q2 --due 2024-07-10
    """
    from ..store import open_period

    due_date: date | None = due.date() if due else None
    print_rows(open_period(engine_for(db), label, due_date, actor=user), fmt, "Period")


@period.command("close")
@click.argument("label")
@db_option
@user_option
@format_option
def period_close(label: str, db: str | None, user: str | None, fmt: str) -> None:
    """Close (lock) a period: its reports can no longer be filed or changed.

    Example: planwatch period close 2024Q2
    """
    from ..store import close_period

    print_rows(close_period(engine_for(db), label, actor=user), fmt, "Period")


@period.command("list")
@db_option
@format_option
def period_list(db: str | None, fmt: str) -> None:
    """List reporting periods.

    Example: planwatch period list
    """
    from ..store import list_periods

    print_rows(list_periods(engine_for(db)), fmt, "Periods")


@main.command()
@db_option
@click.option("--limit", default=100, show_default=True)
@click.option("--entity", help="Only entries about this kind of record (plan, progress_report, observation, …).")
@format_option
def audit(db: str | None, limit: int, entity: str | None, fmt: str) -> None:
    """Show the audit log, newest first: who changed what, when, old and new values.

    Example: planwatch audit --entity progress_report --limit 20
    """
    from ..store import audit_entries

    print_rows(audit_entries(engine_for(db), limit, entity), fmt, "Audit log")
