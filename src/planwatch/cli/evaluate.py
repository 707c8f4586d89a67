"""Commands that judge and publish: assess, review, match, and report generation."""

from __future__ import annotations

import click

from ..report.kinds import KINDS
from .app import console, db_option, emit_json, engine_for, format_option, main, print_rows, user_option
from .progress import report


@main.command()
@click.option("--plan", required=True, help="Plan id or title.")
@click.option("--period", required=True, help="Assess as of the end of this period, e.g. 2024Q4.")
@click.option("--what", type=click.Choice(["targets", "tasks", "chapters", "departments"]), default="targets", show_default=True)
@click.option("--explain", help="Show the full explanation of one item (I… or T…).")
@db_option
@user_option
@format_option
def assess(plan: str, period: str, what: str, explain: str | None, db: str | None, user: str | None, fmt: str) -> None:
    """Assess every target and task of a plan as of a period, keep the results, and show them.

    Example: planwatch assess --plan 1 --period 2024Q4 --what chapters
    """
    from ..assess import assess_plan
    from ..assess.explain import explain_text

    result = assess_plan(engine_for(db), plan, period, actor=user)
    if explain:
        item = next((i for i in result["targets"] + result["tasks"] if i["ref"] == explain.upper()), None)
        if item is None:
            raise click.BadParameter(f"{explain} is not an item of this plan", param_hint="--explain")
        if fmt == "json":
            emit_json(_explain(item))
        else:
            click.echo(explain_text(item))
        return
    rows = _rows(result, what)
    print_rows(rows, fmt, f"{result['plan']['title']} — {what} as of {result['period']['label']}")


def _rows(result: dict, what: str) -> list[dict]:
    if what == "targets":
        return [{"item": t["ref"], "metric": t["metric"], "target": _target_text(t), "year": t["year"],
                 "latest": t["numbers"]["latest"], "latest_year": t["numbers"]["latest_t"], "status": t["status"],
                 "red": t["red"], "method": t["method"],
                 **{k: _round(t["numbers"][k]) for k in ("completion", "elapsed", "ratio", "projected")}, "criterion": t["criterion"],
                 "milestone": _milestone_text(t), "behind_plan": t["behind_plan"]}
                for t in result["targets"]]
    if what == "tasks":
        return [{"item": t["ref"], "title": t["title"], "lead": t["lead"], "status": t["status"], "reason": t["reason"]}
                for t in result["tasks"]]
    from ..assess.settings import Thresholds

    return rollup_rows(result["rollups"][what], Thresholds.from_dict(result["plan"]["settings"]))


def rollup_rows(rollups: dict, th) -> list[dict]:
    """One row per unit and kind, every status a column of its own (zero where none), so each
    count stands under its status's name whatever statuses the first unit happens to have."""
    from ..assess.rollup import statuses

    columns = [*statuses("target", th), *(s for s in statuses("task", th) if s not in statuses("target", th))]
    return [{"name": r["name"], "kind": r["kind"], "light": r["light"], "total": r["total"],
             **{s: r["counts"].get(s, 0) if s in r["counts"] else "" for s in columns}}
            for kind in ("targets", "tasks") for r in rollups[kind]]


def _milestone_text(t: dict) -> str:
    from ..assess.records import Explanation

    m = Explanation.from_dict(t["explanation"]).milestone
    return m.text if m else ""


def _target_text(t: dict) -> str:
    if t["type"] == "monitor":
        return "（监测，无目标）"
    return f"{t['comparator']} {t['value']:g}{t['unit']}"


def _explain(item: dict) -> dict:
    from ..assess.explain import explain_text

    if "explanation" in item:
        return {"item": item["ref"], "status": item["status"], "code": item["code"], "method": item["method"],
                "criterion": item["criterion"], "red": item["red"], "text": explain_text(item), **item["numbers"],
                **item["explanation"]}
    return {"item": item["ref"], "status": item["status"], "method": "task", "criterion": item["reason"], "reason": item["reason"],
            "report": item["report_id"], "text": explain_text(item)}


def _round(v):
    return round(v, 4) if isinstance(v, float) else v


@main.command()
@click.option("--plan", required=True)
@click.argument("values", nargs=-1)
@db_option
@user_option
@format_option
def thresholds(plan: str, values: tuple[str, ...], db: str | None, user: str | None, fmt: str) -> None:
    """Show a plan's assessment settings, or set some: NAME=VALUE. method=statcan|cn-midterm;
    on_track, at_risk, growth_high, growth_med, tolerance, recency, red_share, yellow_share;
    label.CODE=TEXT for the office's own status labels (codes: achieved, on_track, accelerate,
    limited, deterioration, overdue, no_data).

    Example: planwatch thresholds --plan 1 method=cn-midterm on_track=0.9 label.accelerate=需加快
    """
    from ..assess.settings import Thresholds, merge_settings, parse_setting
    from ..assess.status import DEFAULT_LABELS, label_map
    from ..store.assessments import plan_settings, replace_plan_settings

    engine = engine_for(db)
    try:
        updates = [parse_setting(v) for v in values]
    except ValueError as exc:  # a usage error: nothing is stored
        raise click.BadParameter(str(exc), param_hint="VALUES") from exc
    settings = plan_settings(engine, plan)
    if updates:
        settings = replace_plan_settings(engine, plan, merge_settings(settings, updates), actor=user)
    current, defaults = Thresholds.from_dict(settings).as_dict(), Thresholds().as_dict()
    rows = [{"name": k, "value": v, "default": defaults[k], "set": k in settings} for k, v in current.items() if k != "labels"]
    labels = label_map(current["labels"])
    rows += [{"name": f"label.{code}", "value": labels[code], "default": DEFAULT_LABELS[code], "set": code in current["labels"]}
             for code in DEFAULT_LABELS]
    print_rows(rows, fmt, "Assessment settings")


@main.command()
@click.option("--period", required=True)
@click.option("--plan", help="Only reports on this plan's items.")
@db_option
@format_option
def review(period: str, plan: str | None, db: str | None, fmt: str) -> None:
    """List the period's submitted reports, riskiest first, with the reason for each flag.

    Example: planwatch review --period 2024Q2
    """
    from ..assess.review import review_period

    queue = review_period(engine_for(db), period, plan)
    rows = [{"report": f.report_id, "item": f.item, "title": f.title, "department": f.department, "risk": f.score,
             "flags": [reason for _, reason in f.flags]} for f in queue]
    print_rows(rows, fmt, f"Review queue {period.upper()}")


@main.group(invoke_without_command=True)
@click.option("--plan", help="The plan whose targets the figures may measure.")
@click.option("--document", help="The ingested document (communiqué, work report, review) reporting figures.")
@db_option
@user_option
@format_option
@click.pass_context
def match(ctx, plan: str | None, document: str | None, db: str | None, user: str | None, fmt: str) -> None:
    """Propose links from a later document's reported figures to a plan's targets.

    Example: planwatch match --plan 1 --document 2
    """
    if ctx.invoked_subcommand is not None:
        return
    if not plan or not document:
        raise click.UsageError("match needs --plan and --document (or a subcommand: list, accept, reject)")
    from ..assess.match import propose_matches

    print_rows(propose_matches(engine_for(db), plan, document, actor=user), fmt, "Proposed matches")


@match.command("list")
@click.option("--plan", required=True)
@click.option("--status", type=click.Choice(["proposed", "accepted", "rejected"]))
@db_option
@format_option
def match_list(plan: str, status: str | None, db: str | None, fmt: str) -> None:
    """List proposed, accepted or rejected matches.

    Example: planwatch match list --plan 1 --status proposed
    """
    from ..store.matches import list_matches

    print_rows(list_matches(engine_for(db), plan, status), fmt, "Matches")


@match.command("accept")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.option("--vintage", default="preliminary", show_default=True)
@db_option
@user_option
@format_option
def match_accept(ids: tuple[int, ...], vintage: str, db: str | None, user: str | None, fmt: str) -> None:
    """Accept matches: each figure becomes an observation of its target, citing the document.

    Example: planwatch match accept 3 4
    """
    from ..store.matches import decide_matches

    print_rows(decide_matches(engine_for(db), list(ids), True, vintage, actor=user), fmt, "Accepted")


@match.command("reject")
@click.argument("ids", nargs=-1, type=int, required=True)
@db_option
@user_option
@format_option
def match_reject(ids: tuple[int, ...], db: str | None, user: str | None, fmt: str) -> None:
    """Reject matches.

    Example: planwatch match reject 5
    """
    from ..store.matches import decide_matches

    print_rows(decide_matches(engine_for(db), list(ids), False, actor=user), fmt, "Rejected")


@report.command("build")
@click.option("--plan", required=True)
@click.option("--period", required=True)
@click.option("--kind", type=click.Choice(list(KINDS)), default="quarterly", show_default=True,
              help="quarterly 进展情况通报, annual 年度监测报告, midterm 中期评估报告, final 总结评估报告, npc 向人大的实施情况报告.")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "xlsx", "docx"]), default="html", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@click.option("--public", is_flag=True, help="The public edition: no internal comments or instructions, only the plan's public fields (see `publication`).")
@db_option
@user_option
def report_build(plan: str, period: str, kind: str, fmt: str, output: str, public: bool, db: str | None, user: str | None) -> None:
    """Write a quarterly bulletin (进展情况通报) or a mid-term evaluation report (中期评估报告).

    Also reachable as `planwatch report --plan P --period 2024Q4 ...` without a subcommand.

    Example: planwatch report build --plan 1 --period 2024Q4 --kind midterm --format docx -o 中期评估.docx
    """
    build_report(plan, period, kind, fmt, output, public, db, user)


def build_report(plan, period, kind, fmt, output, public, db, user) -> None:
    from ..report.bulletin import build_bulletin
    from ..report.render import render
    from ..store import log_event

    engine = engine_for(db)
    bulletin = build_bulletin(engine, plan, period, kind, public, actor=user)
    render(bulletin, fmt, output)
    log_event(engine, user, "export", "bulletin", None, {"plan": plan, "period": bulletin.period, "kind": kind,
                                                         "edition": bulletin.edition, "format": fmt, "file": str(output)})
    console.print(f"[green]wrote[/green] {output}: {bulletin.title} {bulletin.period} ({bulletin.edition}), "
                  f"{bulletin.summary.target_total} targets, {bulletin.summary.task_total} tasks, "
                  f"{len(bulletin.sources)} sources", highlight=False)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--public-only", is_flag=True, help="Serve only the public site (for publishing on the internet): no login, no internal page.")
@click.option("--key-file", type=click.Path(dir_okay=False), help="File holding the secret key (else PLANWATCH_SECRET_KEY or PLANWATCH_SECRET_KEY_FILE).")
@click.option("--new-key-file", type=click.Path(dir_okay=False), help="Write a new random key to this file (mode 600) and use it.")
@click.option("--http", "plain_http", is_flag=True, help="Cookies without Secure, for plain HTTP on this machine only (not behind HTTPS).")
@click.option("--threads", default=16, show_default=True, type=int, help="Worker threads; the database pool matches.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes (about one per core): sessions live in the database and each process's caches follow the ledger's version, so any process serves any request.")
def serve(db: str | None, host: str, port: int, public_only: bool, key_file: str | None, new_key_file: str | None, plain_http: bool,
          threads: int, workers: int) -> None:
    """Serve the browser app: logins, 本季度报送, review, periods, dashboards, item pages, the audit
    log, each page with a JSON twin (/plans/1.json), and the public site (/public).

    Example: planwatch serve --db planwatch-demo.db --key-file ~/.planwatch.key --port 8000
    """
    import uvicorn

    from ..store import database_url
    from ..web import Settings, create_app
    from ..web.settings import write_key_file

    if new_key_file:
        key_file = str(write_key_file(new_key_file))
    settings = Settings.from_env(database_url(db), key_file=key_file, public_only=public_only, https=not plain_http, threads=threads)
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port)
        return
    import json
    import os

    from ..web.app import SERVE_ENV

    os.environ[SERVE_ENV] = json.dumps({"database_url": settings.database_url, "key_file": key_file, "public_only": public_only,
                                        "https": not plain_http, "threads": threads})
    uvicorn.run("planwatch.web.app:app_from_env", factory=True, host=host, port=port, workers=workers)


@main.command()
@click.option("--plan", required=True, help="Plan id or title.")
@click.option("--fields", help="Comma-separated public fields: status, figures, summary, narrative, problems.")
@click.option("--summary", help="The office's public summary of the plan's progress.")
@db_option
@user_option
@format_option
def publication(plan: str, fields: str | None, summary: str | None, db: str | None, user: str | None, fmt: str) -> None:
    """Show or choose what a plan's public edition shows (default: status, figures, summary;
    departments' 本期进展 / 存在问题 text only when named here).

    Example: planwatch publication --plan 1 --fields status,figures,summary --summary "各项工作有序推进" --user admin
    """
    from ..store.publication import plan_publication, set_publication

    engine = engine_for(db)
    if fields is None and summary is None:
        row = plan_publication(engine, plan).as_dict()
    else:
        chosen = [f.strip() for f in fields.split(",") if f.strip()] if fields is not None else None
        row = set_publication(engine, plan, chosen, summary, actor=user)
    print_rows(row, fmt, "Public edition")


@main.command()
@click.option("--plan", required=True)
@click.option("--year", required=True, type=click.IntRange(1949, 2100))
@click.option("--level", help="Only units of this level (委办局, 街镇…).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), help="Reports due after this day are not counted yet.")
@click.option("--explain", help="One unit's scorecard item by item.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the scorecards to an xlsx workbook.")
@db_option
@format_option
def appraise(plan: str, year: int, level: str | None, as_of, explain: str | None, output: str | None, db: str | None,
             fmt: str) -> None:
    """Each lead unit's yearly scorecard (指标考核): targets on track, tasks on schedule, reports on
    time, reports returned, binding targets missed; weighted per plan, ranked.

    Weights: planwatch thresholds --plan 1 appraisal.weight_targets=50 appraisal.binding_penalty=10

    Example: planwatch appraise --plan 1 --year 2024 -o 2024年度考核.xlsx
    """
    from ..assess.appraisal import MEASURES as MEASURE_NAMES
    from ..assess.appraisal import appraise as run

    result = run(engine_for(db), plan, year, as_of.date() if as_of else None, level)
    if output:
        from ..report.appraisal import write_xlsx

        write_xlsx(result, output)
    if explain:
        card = next((c for c in result.cards if c.department == explain), None)
        if card is None:
            raise click.BadParameter(f"no scorecard for {explain!r} in {year}", param_hint="--explain")
        if fmt == "json":
            print_rows(card.as_dict(), fmt, "")
            return
        click.echo(f"{card.department}（{card.level or '—'}）{year} 年度考核：{card.formula}")
        print_rows([{"measure": dict(MEASURE_NAMES)[line.measure], "item": line.item, "title": line.title, "status": line.status,
                     "counts": "✓" if line.good else "✗", "note": line.note} for line in card.lines], fmt, "item by item")
        return
    if fmt == "json":
        print_rows(result.as_dict(), fmt, "")
        return
    rows = [{"rank": c.rank or "—", "unit": c.department, "level": c.level,
             **{name: "—" if m.share is None else f"{m.share * 100:.1f}%" for (_, name), m in zip(MEASURE_NAMES, c.measures, strict=True)},
             "binding missed": len(c.binding_missed), "score": "—" if c.score is None else f"{c.score:.1f}", "grade": c.grade}
            for c in result.cards]
    print_rows(rows, fmt, f"{result.plan} — {year} 年度考核")
