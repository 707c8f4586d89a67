"""Commands that run the ledger each period: report, observe, ledger (Excel), comment."""

from __future__ import annotations

import click

from ..model import PROJECT_STAGES
from ..report.kinds import KINDS
from .app import console, db_option, engine_for, format_option, main, print_rows, user_option

STATUS_CHOICE = click.Choice(["未启动", "推进中", "已完成", "滞后", "暂缓"])


@main.group(invoke_without_command=True)
@click.option("--plan", help="With --period: build a bulletin (same as `report build`).")
@click.option("--period")
@click.option("--kind", type=click.Choice(list(KINDS)), default="quarterly", show_default=True,
              help="quarterly 进展情况通报, annual 年度监测报告, midterm 中期评估报告, final 总结评估报告, npc 向人大的实施情况报告.")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "xlsx", "docx"]), default="html", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False))
@click.option("--public", is_flag=True, help="The public edition: no internal comments or instructions, only the plan's public fields (see `publication`).")
@db_option
@user_option
@click.pass_context
def report(ctx, plan, period, kind, fmt, output, public, db, user) -> None:
    """Progress reports (submit, approve / return, attach, list) and bulletins (build).

    `planwatch report --plan P --period 2024Q4 --kind midterm --format html -o FILE` builds a bulletin.
    """
    if ctx.invoked_subcommand is not None:
        return
    if not (plan and period and output):
        click.echo(ctx.get_help())
        ctx.exit(0 if not (plan or period or output) else 2)
    from .evaluate import build_report

    build_report(plan, period, kind, fmt, output, public, db, user)


@report.command("submit")
@click.argument("item")
@click.option("--period", required=True, help="Reporting period, e.g. 2024Q2.")
@click.option("--department", required=True, help="The reporting department.")
@click.option("--status", required=True, type=STATUS_CHOICE)
@click.option("--percent", type=click.FloatRange(0, 100), help="Share complete, 0–100.")
@click.option("--narrative", default="", help="本期进展.")
@click.option("--problems", default="", help="存在问题.")
@click.option("--next-steps", default="", help="下步计划.")
@click.option("--evidence", multiple=True, type=click.Path(exists=True, dir_okay=False), help="A file to attach; repeat for several.")
@click.option("--value", type=float, help="For a target (I…): the figure this report gives (becomes an observation).")
@click.option("--investment", type=float, help="For a project (P…): investment completed so far, in the project's unit (亿元).")
@click.option("--stage", type=click.Choice(list(PROJECT_STAGES)), help="For a project (P…): the last milestone reached.")
@click.option("--stage-on", type=click.DateTime(["%Y-%m-%d"]), help="The day --stage was reached.")
@click.option("--draft", is_flag=True, help="Save without submitting for review.")
@click.option("--expect-version", type=int, help="Refuse if the report is no longer at this version (someone else changed it).")
@click.option("--received-on", type=click.DateTime(["%Y-%m-%d"]),
              help="Backfilling an old ledger: the day the report reached the office (reviewers only).")
@db_option
@user_option
@format_option
def report_submit(item: str, period: str, department: str, status: str, percent: float | None, narrative: str, problems: str,
                  next_steps: str, evidence: tuple[str, ...], value: float | None, investment: float | None, stage: str | None,
                  stage_on, draft: bool, expect_version: int | None, received_on, db: str | None, user: str | None, fmt: str) -> None:
    """File a department's progress report on a task (T…), target (I…) or project (P…) for a period.

    Example: planwatch report submit T3 --period 2024Q2 --department 区水务局 --status 推进中 --percent 40 --narrative "完成立项"

    Example: planwatch report submit P2 --period 2024Q2 --department 区水务局 --status 推进中 --investment 3.2 --stage 开工 --stage-on 2024-05-20
    """
    from ..store import ReportInput, submit_report

    data = ReportInput(status, percent, narrative, problems, next_steps, investment, stage, stage_on.date() if stage_on else None)
    row = submit_report(engine_for(db), item, period, department, data, actor=user, expected_version=expect_version, draft=draft,
                        evidence=evidence, value=value, received_on=received_on.date() if received_on else None)
    print_rows(row, fmt, "Report")


@report.command("approve")
@click.argument("report_ids", nargs=-1, type=int)
@click.option("--period", help="With --all: every submitted report of this period.")
@click.option("--department", help="With --all: only this department's reports.")
@click.option("--all", "everything", is_flag=True, help="Approve every submitted report that --period (and --department) select.")
@click.option("--comment", default="")
@db_option
@user_option
@format_option
def report_approve(report_ids: tuple[int, ...], period: str | None, department: str | None, everything: bool, comment: str,
                   db: str | None, user: str | None, fmt: str) -> None:
    """Approve submitted reports (one transaction); only approved reports count in assessments,
    so the stored assessments of their periods (and later ones) are computed again.

    Example: planwatch report approve 12 13 --user 李明   (or: report approve --all --period 2024Q2)
    """
    from ..assess.refresh import review_and_reassess
    from ..store import list_reports

    engine = engine_for(db)
    ids = list(report_ids)
    if everything:
        if not period:
            raise click.UsageError("--all needs --period")
        ids += [r["id"] for r in list_reports(engine, period, department, "submitted")]
    if not ids:
        raise click.UsageError("name report ids, or --all --period P")
    reviewed = review_and_reassess(engine, ids, "approve", comment, actor=user)
    print_rows(reviewed.reports, fmt, "Approved")
    if fmt != "json":
        for plan_id, as_of in reviewed.reassessed:
            console.print(f"re-assessed plan {plan_id} as of {as_of}", highlight=False)


@report.command("return")
@click.argument("report_id", type=int)
@click.option("--comment", required=True, help="What the department must fix.")
@db_option
@user_option
@format_option
def report_return(report_id: int, comment: str, db: str | None, user: str | None, fmt: str) -> None:
    """Return a submitted report for revision, saying why.

    Example: planwatch report return 12 --comment "请补充完成投资额"
    """
    from ..store import review_report

    print_rows(review_report(engine_for(db), report_id, "return", comment, actor=user), fmt, "Report")


@report.command("attach")
@click.argument("report_id", type=int)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@db_option
@user_option
@format_option
def report_attach(report_id: int, files: tuple[str, ...], db: str | None, user: str | None, fmt: str) -> None:
    """Attach evidence files: pdf, docx, xlsx, png, jpeg, gif or a zip of those (told by content),
    20 MB each, within the department's quota per period; stored SM4-encrypted with their SHA-256.

    Example: planwatch report attach 12 验收报告.pdf
    """
    from ..store import attach_evidence

    print_rows(attach_evidence(engine_for(db), report_id, list(files), actor=user), fmt, "Evidence")


@report.command("evidence")
@click.argument("report_id", type=int)
@click.option("--save", "save_to", type=click.Path(file_okay=False), help="Write the files into this folder (audited).")
@db_option
@user_option
@format_option
def report_evidence(report_id: int, save_to: str | None, db: str | None, user: str | None, fmt: str) -> None:
    """List a report's evidence files, or save them (each checked against its SHA-256).

    Example: planwatch report evidence 12 --save 佐证材料/
    """
    from pathlib import Path

    from ..store import list_evidence, log_event

    engine = engine_for(db)
    rows = list_evidence(engine, report_id, with_content=bool(save_to))
    if save_to:
        folder = Path(save_to)
        folder.mkdir(parents=True, exist_ok=True)
        for row in rows:
            (folder / f"{row['id']}_{Path(row['file']).name}").write_bytes(row.pop("content"))
        log_event(engine, user, "export", "evidence", report_id, {"files": [r["file"] for r in rows], "to": str(folder)})
    print_rows(rows, fmt, f"Evidence of report #{report_id}")


@main.group("evidence")
def evidence_group() -> None:
    """Evidence files at rest: the SM4 key (PLANWATCH_EVIDENCE_KEY or PLANWATCH_EVIDENCE_KEY_FILE) and the quota."""


@evidence_group.command("keygen")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The key file to create (mode 600).")
@format_option
def evidence_keygen(output: str, fmt: str) -> None:
    """Make a new random SM4 key in a file only you can read; keep it outside the database and its backups.

    Example: planwatch evidence keygen -o /etc/planwatch/evidence.key
    """
    from ..store import write_key_file

    print_rows(write_key_file(output), fmt, "Evidence key written")


@evidence_group.command("quota")
@click.argument("size", required=False)
@click.option("--department", help="Set the quota of this department only (default: every department's).")
@db_option
@user_option
@format_option
def evidence_quota(size: str | None, department: str | None, db: str | None, user: str | None, fmt: str) -> None:
    """Show, or set, how much evidence a department may store per period (e.g. 200MB, 1GB).

    Example: planwatch evidence quota 500MB --department 区水务局 --user admin
    """
    from ..store import evidence_quota as quota

    print_rows(quota(engine_for(db), size, department, actor=user), fmt, "Evidence quota (bytes per department and period)")


@evidence_group.command("encrypt")
@db_option
@user_option
@format_option
def evidence_encrypt(db: str | None, user: str | None, fmt: str) -> None:
    """Encrypt the evidence stored before encryption existed, under the configured key.

    Example: PLANWATCH_EVIDENCE_KEY_FILE=/etc/planwatch/evidence.key planwatch evidence encrypt --user admin
    """
    from ..store import encrypt_stored_evidence

    print_rows(encrypt_stored_evidence(engine_for(db), actor=user), fmt, "Evidence encrypted")


@report.command("missing")
@click.option("--plan", required=True)
@click.option("--period", required=True)
@db_option
@format_option
def report_missing(plan: str, period: str, db: str | None, fmt: str) -> None:
    """Who has not reported: per department, the assigned items with no submitted report (督办清单).

    Example: planwatch report missing --plan 1 --period 2024Q2
    """
    from ..store import missing_reports

    rows = missing_reports(engine_for(db), plan, period)
    print_rows(rows if fmt == "json" else [r for r in rows if r["missing"]] or rows, fmt, f"Missing reports {period.upper()}")


@report.command("list")
@click.option("--period")
@click.option("--department")
@click.option("--review", type=click.Choice(["draft", "submitted", "approved", "returned"]))
@click.option("--item", help="Only reports on this task or target.")
@db_option
@format_option
def report_list(period: str | None, department: str | None, review: str | None, item: str | None, db: str | None, fmt: str) -> None:
    """List progress reports.

    Example: planwatch report list --period 2024Q2 --review submitted
    """
    from ..store import list_reports

    rows = list_reports(engine_for(db), period, department, review, item)
    if fmt == "table":
        rows = [{k: r[k] for k in ("id", "item", "period", "department", "status", "percent", "review", "evidence", "narrative")}
                for r in rows]
    print_rows(rows, fmt, "Progress reports")


@main.group()
def observe() -> None:
    """Indicator observations: measured values of targets, with vintages."""


@observe.command("add")
@click.argument("target")
@click.option("--year", required=True, type=int)
@click.option("--value", required=True, type=float)
@click.option("--unit", default="")
@click.option("--period", "period_label", help="For a quarterly figure, e.g. 2024Q2.")
@click.option("--source", default="manual", type=click.Choice(["report", "bulletin", "department", "manual", "document"]), show_default=True)
@click.option("--source-ref", default="", help="Where the figure comes from (bulletin title, URL…).")
@click.option("--vintage", default="preliminary", show_default=True, help="preliminary/revised/final or 初步核算/修订/最终核实.")
@click.option("--released", type=click.DateTime(["%Y-%m-%d"]), help="Release date of this vintage.")
@db_option
@user_option
@format_option
def observe_add(target: str, year: int, value: float, unit: str, period_label: str | None, source: str, source_ref: str,
                vintage: str, released, db: str | None, user: str | None, fmt: str) -> None:
    """Record a value of a target's indicator.

    Example: planwatch observe add I7 --year 2024 --value 45.2 --unit % --source bulletin --vintage 初步核算
    """
    from ..store import ObservationInput, add_observation, vintage_of

    obs = ObservationInput(year=year, value=value, unit=unit, source=source, source_ref=source_ref,
                           vintage=vintage_of(vintage) or vintage, released_on=released.date() if released else None,
                           period_label=period_label)
    print_rows(add_observation(engine_for(db), target, obs, actor=user), fmt, "Observation")


@observe.command("import")
@click.argument("file", type=click.Path())
@click.option("--plan", required=True, help="The plan whose targets the rows name (id or title).")
@db_option
@user_option
@format_option
def observe_import(file: str, plan: str, db: str | None, user: str | None, fmt: str) -> None:
    """Import observations from a CSV or xlsx statistics table, all or nothing.

    Columns (Chinese or English): 指标编号/target or 指标/metric, 年份/year, 数值/value,
    and optionally 单位/unit, 口径/vintage, 发布日期/released_on, 来源/source, 期间/period.

    Example: planwatch observe import 统计公报2024.csv --plan 1
    """
    from ..store import import_observations
    from ..tabular import read_rows

    rows = read_rows(file)
    print_rows(import_observations(engine_for(db), plan, rows, file, actor=user), fmt, "Imported")


@observe.command("list")
@click.option("--target", help="One target (I…).")
@click.option("--plan", help="Every target of a plan.")
@click.option("--all-vintages", is_flag=True, help="Show superseded vintages too.")
@db_option
@format_option
def observe_list(target: str | None, plan: str | None, all_vintages: bool, db: str | None, fmt: str) -> None:
    """List observations: the current vintage of each, or all of them.

    Example: planwatch observe list --target I7 --all-vintages
    """
    from ..store import list_observations

    print_rows(list_observations(engine_for(db), target, plan, all_vintages), fmt, "Observations")


@main.group()
def ledger() -> None:
    """The department ledger (台账) as an Excel workbook: export, fill in offline, import."""


@ledger.command("export")
@click.option("--plan", required=True)
@click.option("--period", required=True)
@click.option("--department", help="One department's ledger (-o FILE); without it, one file per department into -o DIR.")
@click.option("-o", "--output", required=True, type=click.Path())
@db_option
@user_option
@format_option
def ledger_export(plan: str, period: str, department: str | None, output: str, db: str | None, user: str | None, fmt: str) -> None:
    """Write the ledger a department fills in for a period, or every assigned department's ledger.

    Example: planwatch ledger export --plan 1 --period 2024Q2 --department 区水务局 -o 台账.xlsx
    """
    from ..report.ledger import export_ledgers

    written = export_ledgers(engine_for(db), plan, period, output, department, actor=user)
    print_rows(written[0] if department else written, fmt, "Ledger written")


@ledger.command("import")
@click.argument("file", type=click.Path())
@db_option
@user_option
@format_option
def ledger_import(file: str, db: str | None, user: str | None, fmt: str) -> None:
    """Check a filled ledger completely, then apply it in one transaction (or nothing, with every problem listed).

    Example: planwatch ledger import 台账.xlsx --user 王芳
    """
    from ..report.ledger import read_ledger
    from ..store import apply_ledger

    meta, rows = read_ledger(file)
    print_rows(apply_ledger(engine_for(db), meta, rows, file, actor=user), fmt, "Ledger imported")


@main.group()
def comment() -> None:
    """Comments and leaders' instructions (批示) on tasks and targets."""


@comment.command("add")
@click.argument("item")
@click.argument("body")
@click.option("--instruction", is_flag=True, help="A leader's instruction (批示).")
@click.option("--public", is_flag=True, help="May appear in the public edition of bulletins.")
@db_option
@user_option
@format_option
def comment_add(item: str, body: str, instruction: bool, public: bool, db: str | None, user: str | None, fmt: str) -> None:
    """Comment on a task (T…) or target (I…).

    Example: planwatch comment add T3 "请加快进度，确保年底前完工" --instruction
    """
    from ..store import add_comment

    print_rows(add_comment(engine_for(db), item, body, instruction, public, actor=user), fmt, "Comment")


@comment.command("list")
@click.argument("item")
@db_option
@format_option
def comment_list(item: str, db: str | None, fmt: str) -> None:
    """List the comments and instructions on an item.

    Example: planwatch comment list T3
    """
    from ..store import list_comments

    print_rows(list_comments(engine_for(db), item), fmt, "Comments")


