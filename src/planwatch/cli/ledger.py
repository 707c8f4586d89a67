"""Commands that set up the ledger: init, plans, departments, users, assign, period, audit, backup, restore."""

from __future__ import annotations

import os
from datetime import date

import click

from ..roles import ROLES
from .app import db_option, emit_json, engine_for, format_option, main, print_rows, user_option


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


WHAT = click.Choice(["tasks", "targets", "projects"])


@main.group(invoke_without_command=True)
@click.option("--plan", help="Plan id or title (lists its items when no subcommand is given).")
@click.option("--what", type=WHAT, default="tasks", show_default=True)
@db_option
@format_option
@click.pass_context
def items(ctx, plan: str | None, what: str, db: str | None, fmt: str) -> None:
    """A plan's items: list them, and correct what extraction got wrong before assigning them.

    Corrections (edit, remove, merge, add) are audited and replayed on every later version of the plan.

    Example: planwatch items --plan 1 --what targets
    """
    if ctx.invoked_subcommand is not None:
        return
    if not plan:
        raise click.UsageError("give --plan to list a plan's items, or a subcommand (list, edit, remove, merge, add)")
    _list_items(plan, what, db, fmt)


def _list_items(plan: str, what: str, db: str | None, fmt: str) -> None:
    from ..store import plan_items

    rows = plan_items(engine_for(db), plan, what)
    if fmt == "table":
        rows = [{k: v for k, v in r.items() if k not in ("start", "end", "quote")} for r in rows]
    print_rows(rows, fmt, f"Plan {plan}: {what}")


@items.command("list")
@click.option("--plan", required=True, help="Plan id or title.")
@click.option("--what", type=WHAT, default="tasks", show_default=True)
@db_option
@format_option
def items_list(plan: str, what: str, db: str | None, fmt: str) -> None:
    """List a stored plan's tasks (T…), targets (I…) or projects, with their references and provenance.

    Example: planwatch items list --plan 1 --what targets --format json
    """
    _list_items(plan, what, db, fmt)


def field_options(command):
    """The fields a correction can set (``items edit`` and ``items add`` share them)."""
    fields = (("metric", "Target: what is measured."), ("value", "Target: the number."), ("unit", "Target: unit (empty for none)."),
              ("comparator", "Target: >=, >, <=, <, ~ or =."), ("type", "Target: level, increase, decrease, annual_growth, monitor."),
              ("baseline", "Target: the starting value (none to clear)."), ("year", "Target: the year it is due (none to clear)."),
              ("binding", "Target: 约束性 or 预期性 (none to clear)."), ("title", "Task: its title."),
              ("deadline", "Task: YYYY-MM-DD or YYYY (none to clear)."), ("name", "Project: its name."),
              ("action", "Project: what the plan does with it (建设, 建成, 新建 …)."))
    for name, text in reversed(fields):
        command = click.option(f"--{name}", help=text)(command)
    return command


def _given(values: dict) -> dict:
    return {k: values[k] for k in ("metric", "value", "unit", "comparator", "type", "baseline", "year", "binding", "title", "deadline",
                                   "name", "action") if k in values}


@items.command("edit")
@click.argument("ref")
@field_options
@db_option
@user_option
@format_option
def items_edit(ref: str, db: str | None, user: str | None, fmt: str, **values) -> None:
    """Correct an item's fields (audited; replayed on later versions of the plan).

    Example: planwatch items edit I7 --value 48 --binding 约束性
    """
    from ..store.corrections import edit_item

    print_rows(edit_item(engine_for(db), ref, _given(values), actor=user), fmt, f"{ref} corrected")


@items.command("remove")
@click.argument("ref")
@db_option
@user_option
@format_option
def items_remove(ref: str, db: str | None, user: str | None, fmt: str) -> None:
    """Remove an item extraction got wrong (refused while it is assigned, reported on or observed).

    Example: planwatch items remove I12
    """
    from ..store.corrections import remove_item

    print_rows(remove_item(engine_for(db), ref, actor=user), fmt, f"{ref} removed")


@items.command("merge")
@click.argument("refs", nargs=-1, required=True)
@db_option
@user_option
@format_option
def items_merge(refs: tuple[str, ...], db: str | None, user: str | None, fmt: str) -> None:
    """Merge items that are one commitment: the first is kept, the others fold into it.

    Example: planwatch items merge I7 I31
    """
    from ..store.corrections import merge_items

    print_rows(merge_items(engine_for(db), list(refs), actor=user), fmt, "Items merged")


@items.command("add")
@click.option("--plan", required=True, help="Plan id or title.")
@click.option("--quote", required=True, help="The sentence of the plan's text the item comes from (within one paragraph).")
@click.option("--what", "what", type=click.Choice(["target", "task", "project"]), default="target", show_default=True)
@field_options
@db_option
@user_option
@format_option
def items_add(plan: str, quote: str, what: str, db: str | None, user: str | None, fmt: str, **values) -> None:
    """Add an item extraction missed, from a quote of the stored text (its span and section are kept).

    A target's fields not given are read from the quote, and so are a project's name and action.

    Example: planwatch items add --plan 1 --quote "建成区绿地率达到40%" --year 2025

    Example: planwatch items add --plan 1 --what project --quote "建成城南第二水厂"
    """
    from ..store.corrections import add_item

    print_rows(add_item(engine_for(db), plan, quote, what, _given(values), actor=user), fmt, "Item added")


@items.command("corrections")
@click.option("--plan", required=True, help="Plan id or title.")
@db_option
@format_option
def items_corrections(plan: str, db: str | None, fmt: str) -> None:
    """List the corrections standing for a plan (all versions), oldest first.

    Example: planwatch items corrections --plan 1
    """
    from ..store.corrections import plan_corrections

    print_rows(plan_corrections(engine_for(db), plan), fmt, f"Plan {plan}: corrections")


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


@departments.command("rename")
@click.argument("old")
@click.argument("new")
@db_option
@user_option
@format_option
def departments_rename(old: str, new: str, db: str | None, user: str | None, fmt: str) -> None:
    """Rename a department; its assignments, reports and users stay with it. Audited.

    Example: planwatch departments rename 区发改委 区发展改革委
    """
    from ..store import rename_department

    print_rows(rename_department(engine_for(db), old, new, actor=user), fmt, "Department renamed")


@departments.command("remove")
@click.argument("name")
@db_option
@user_option
@format_option
def departments_remove(name: str, db: str | None, user: str | None, fmt: str) -> None:
    """Remove a department created by mistake (refused while an assignment, report, user or sub-unit names it).

    Example: planwatch departments remove 区水务局牵头
    """
    from ..store import remove_department

    print_rows(remove_department(engine_for(db), name, actor=user), fmt, "Department removed")


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
    """Users and their roles: admin, planner, reporter (own department), viewer, and the three
    MLPS administrators: sysadmin (users, departments), secadmin (roles), auditor (audit log only)."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--department", help="The department a reporter reports for.")
@db_option
@user_option
@format_option
def users_add(name: str, role: str, department: str | None, db: str | None, user: str | None, fmt: str) -> None:
    """Add a user. The first user must be an admin; then admins and sysadmins add users, and any
    role but viewer needs the security administrator (or an admin).

    Example: planwatch users add 王芳 --role reporter --department 区水务局 --user admin
    """
    from ..store import add_user

    print_rows(add_user(engine_for(db), name, role, department, actor=user), fmt, "User added")


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@db_option
@user_option
@format_option
def users_role(name: str, role: str, db: str | None, user: str | None, fmt: str) -> None:
    """Change a user's role (security administrators and admins; never one's own). Audited.

    Example: planwatch users role 王芳 reporter --user 安全管理员
    """
    from ..store import set_role

    print_rows(set_role(engine_for(db), name, role, actor=user), fmt, "Role changed")


@users.command("passwd")
@click.argument("name")
@db_option
@user_option
@format_option
def users_passwd(name: str, db: str | None, user: str | None, fmt: str) -> None:
    """Set a password: your own (run as yourself, giving the current one), or another user's as a
    security administrator (a reset: they must change it at their next login). Audited.

    The new password comes from PLANWATCH_NEW_PASSWORD or a prompt (asked twice); the acting
    user's current one, as for every command, from PLANWATCH_PASSWORD or a prompt.

    Example: planwatch users passwd 王芳 --user 安全管理员
    """
    from ..store.accounts import set_password

    actor = user or name
    ctx = click.get_current_context()
    ctx.params["user"] = actor  # without --user, you change your own: prove it
    engine = engine_for(db, changing_password=actor == name)
    new = os.environ.get("PLANWATCH_NEW_PASSWORD")
    if new is None:
        new = click.prompt(f"new password for {name}", hide_input=True, confirmation_prompt=True, err=True)
    old = ctx.meta.get(("password", name)) if actor == name else None
    print_rows(set_password(engine, name, new, actor=actor, old_password=old), fmt, "Password set")


@users.command("unlock")
@click.argument("name")
@db_option
@user_option
@format_option
def users_unlock(name: str, db: str | None, user: str | None, fmt: str) -> None:
    """Lift a lockout after failed logins before its 15 minutes are up (security administrators).

    Example: planwatch users unlock 王芳 --user 安全管理员
    """
    from ..store.accounts import unlock

    print_rows(unlock(engine_for(db), name, actor=user), fmt, "Unlocked")


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
    """Open a reporting period (or change its due date; a closed one needs `period reopen`).

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


@period.command("reopen")
@click.argument("label")
@click.option("--reason", required=True, help="Why the closed period must change (kept in the audit log).")
@db_option
@user_option
@format_option
def period_reopen(label: str, reason: str, db: str | None, user: str | None, fmt: str) -> None:
    """Reopen a closed period (admins only), giving the reason.

    Example: planwatch period reopen 2024Q2 --reason "区统计局修订二季度数据" --user admin
    """
    from ..store import reopen_period

    print_rows(reopen_period(engine_for(db), label, reason, actor=user), fmt, "Period")


@period.command("list")
@db_option
@format_option
def period_list(db: str | None, fmt: str) -> None:
    """List reporting periods.

    Example: planwatch period list
    """
    from ..store import list_periods

    print_rows(list_periods(engine_for(db)), fmt, "Periods")


@main.group(invoke_without_command=True)
@db_option
@user_option
@click.option("--limit", default=100, show_default=True)
@click.option("--entity", help="Only entries about this kind of record (plan, progress_report, observation, …).")
@format_option
@click.pass_context
def audit(ctx, db: str | None, user: str | None, limit: int, entity: str | None, fmt: str) -> None:
    """Show the audit log, newest first: who changed what, when, old and new values.

    In a ledger with users only an admin or audit administrator (auditor) reads it.

    Example: planwatch audit --entity progress_report --limit 20
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..store import audit_entries

    print_rows(audit_entries(engine_for(db), limit, entity, actor=user), fmt, "Audit log")


@audit.command("verify")
@click.option("--anchor", "anchor_file", type=click.Path(dir_okay=False), help="Also check the chain against an anchor file.")
@db_option
@user_option
@format_option
@click.pass_context
def audit_verify(ctx, anchor_file: str | None, db: str | None, user: str | None, fmt: str) -> None:
    """Recompute the audit log's SM3 hash chain; name the first record changed, inserted or deleted (exit 1).

    Example: planwatch audit verify --anchor 审计锚点-2024Q2.json
    """
    from ..store import read_anchor, verify_audit
    from .app import error_line

    report = verify_audit(engine_for(db), read_anchor(anchor_file) if anchor_file else None, actor=user)
    if fmt == "json":
        emit_json(report.as_dict())
    elif report.ok:
        click.echo(f"audit chain intact: {report.records} records, head #{report.head_id} {report.head_hash}")
    if not report.ok:
        error_line(f"audit chain broken: {report.problem}")
        ctx.exit(1)


@audit.command("anchor")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Where to write the chain head (JSON).")
@db_option
@user_option
@format_option
def audit_anchor(output: str, db: str | None, user: str | None, fmt: str) -> None:
    """Write the audit chain head (id, hash, time) to a file, for a signed report or a later `audit verify --anchor`.

    Example: planwatch audit anchor -o 审计锚点-2024Q2.json
    """
    from ..store import write_anchor

    print_rows(write_anchor(engine_for(db), output, actor=user), fmt, "Audit anchor")


@main.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The backup file to write.")
@db_option
@user_option
@format_option
def backup(output: str, db: str | None, user: str | None, fmt: str) -> None:
    """Back up the whole ledger into one file, with a manifest of rows per table and the audit chain head.

    SQLite through its online backup API, PostgreSQL through pg_dump: writers may carry on meanwhile.

    Example: planwatch backup -o 台账-2024Q2.pwbackup
    """
    from ..store import backup as write_backup

    manifest = write_backup(engine_for(db), output, actor=user)
    print_rows(_backup_row(manifest) if fmt == "table" else manifest, fmt, "Backup written")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace a ledger that already holds plans or audit records.")
@click.option("--verify-only", is_flag=True, help="Only check the backup (hash, integrity, rows, audit chain); change nothing.")
@db_option
@user_option
@format_option
def restore(file: str, replace: bool, verify_only: bool, db: str | None, user: str | None, fmt: str) -> None:
    """Restore a backup after checking it: its SHA-256, the database's integrity, rows per table
    against the manifest and the audit chain. The ledger is replaced in one step, or not at all.

    Example: planwatch restore 台账-2024Q2.pwbackup --db planwatch.db --replace --user admin
    """
    from ..store import make_engine, verify_backup
    from ..store import restore as restore_backup

    engine = make_engine(db)  # no schema check: the backup brings its own
    result = verify_backup(file, engine) if verify_only else restore_backup(engine, file, actor=user, replace=replace)
    print_rows(_backup_row(result) if fmt == "table" else result, fmt, "Backup verified" if verify_only else "Ledger restored")


def _backup_row(manifest: dict) -> dict:
    head = manifest["audit_head"]
    return {**{k: v for k, v in manifest.items() if k not in ("counts", "audit_head")},
            "rows": sum(manifest["counts"].values()), "audit_head": f"#{head.get('id')} {head.get('hash', '')[:16]}…"}
