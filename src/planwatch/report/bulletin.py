"""Build the bulletin (通报) or evaluation report (评估报告) of a plan as of a period: one typed
``records.Bulletin`` that every renderer, the web pages and the CLI read.

Every figure cites a numbered source: the plan clause it comes from (section path and
character span), the progress report (报送: department, period, approved by and when), or the
observation (with its source and vintage). What departments reported is quoted as approved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from sqlalchemy import Engine

from ..assess import assess_plan, year_end
from ..assess.appraisal import appraise
from ..assess.explain import method_description
from ..assess.records import Explanation
from ..assess.targets import STATUS_ORDER
from ..assess.tasks import TASK_STATUS_ORDER
from ..errors import NotFound
from ..store.assessments import plan_comments
from ..store.ledger_sheet import missing_reports
from ..store.publication import plan_publication, public_result
from ..store.quotes import approved_reports
from . import charts_data
from .records import (
    KINDS,
    LATE,
    NOT_ON_TRACK_CODES,
    Bulletin,
    Comment,
    Counts,
    ObservationRow,
    PlanInfo,
    ProjectRow,
    ReportingRow,
    ReportQuote,
    Rollup,
    Source,
    Summary,
    TargetRow,
    TaskRow,
    Unit,
)
from .sections import chapter_narratives, department_reports, verdicts

# The public edition quotes no department's reported text until the plan says which fields are public.
NO_PUBLIC_NARRATIVE = "公开版不含各部门报送的进展、问题和计划原文。"


class Sources:
    """Numbered citations, each given once."""

    def __init__(self) -> None:
        self.items: list[Source] = []
        self.index: dict[tuple, int] = {}

    def cite(self, key: tuple, text: str, kind: str) -> int:
        if key not in self.index:
            self.items.append(Source(len(self.items) + 1, kind, text))
            self.index[key] = len(self.items)
        return self.index[key]


def build_bulletin(engine: Engine, plan: str, period: str, kind: str = "quarterly", public: bool = False,
                   actor: str | None = None, today: date | None = None, save: bool | None = None) -> Bulletin:
    """Assess the plan as of ``period`` and compose the report; ``save`` as in ``assess_plan``."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    result = assess_plan(engine, plan, period, actor=actor, save=save)
    if public:  # what the plan does not publish never reaches compose (store/publication.py)
        result = public_result(result, plan_publication(engine, plan))
    comments = [] if public else [c for c in plan_comments(engine, plan) if c["kind"] == "instruction" or not c["public"]]
    try:
        reporting = missing_reports(engine, plan, period)
    except NotFound:  # a period never opened has no reporting to show
        reporting = []
    reports = approved_reports(engine, plan, result["period"]["label"])
    bulletin = compose(result, kind, public, comments, today or date.today(), reporting, reports,
                       public_fields=_public_fields(engine, plan))
    if kind == "annual" and not public:  # the scorecards are the office's, not the public's
        from .appraisal import appraisal_note, appraisal_rows

        scored = appraise(engine, plan, result["period"]["end"].year)
        bulletin = replace(bulletin, appraisal=appraisal_rows(scored), appraisal_note=appraisal_note(scored))
    return bulletin


def _public_fields(engine: Engine, plan: str) -> frozenset[str] | None:
    """The report fields the plan publishes (the trust helper's store function, when present)."""
    try:
        from ..store import public_fields as lookup  # type: ignore[attr-defined]
    except ImportError:
        return None
    return frozenset(lookup(engine, plan))


def compose(result: dict, kind: str, public: bool, comments: list[dict], today: date, reporting: list[dict] | None = None,
            reports: list[dict] | None = None, public_fields: frozenset[str] | None = None) -> Bulletin:
    """The bulletin of an assessment result (``assess.assess_data``); pure, so tests build one from literals.

    ``reports``: approved progress reports (``store.quotes.approved_reports``); the public edition
    quotes only the fields in ``public_fields`` (none when it is None)."""
    plan, period = result["plan"], result["period"]
    sources = Sources()
    source_name = (plan.get("source") or "").rsplit("/", 1)[-1]
    quoting = _quoter(sources, _quotable(public, public_fields))
    by_item = _reports_by_item(reports or [], period["label"], kind)
    projects_in = result.get("projects", ())
    titles = ({t["ref"]: t["metric"] for t in result["targets"]} | {t["ref"]: t["title"] for t in result["tasks"]}
              | {p["ref"]: p["title"] for p in projects_in})
    quotes = {ref: tuple(quoting(r, titles.get(ref, ref)) for r in rs) for ref, rs in by_item.items()}
    targets = tuple(_target_row(t, sources, source_name, quotes.get(t["ref"], ())) for t in result["targets"])
    tasks = tuple(_task_row(t, sources, source_name, quotes.get(t["ref"], ())) for t in result["tasks"])
    projects = tuple(_project_row(p, sources, source_name, quotes.get(p["ref"], ())) for p in projects_in)
    chapters = _units(result["rollups"]["chapters"])
    narrative_note = NO_PUBLIC_NARRATIVE if public and not _quotable(public, public_fields) else ""
    return Bulletin(
        title=_title(plan["title"], kind), kind=kind, kind_name=KINDS[kind], edition="公开版" if public else "内部版", public=public,
        plan=PlanInfo(plan["id"], plan["title"], plan.get("source") or "", tuple(plan["period"]) if plan.get("period") else None),
        period=period["label"], as_of=period["end"].isoformat(), generated=today.isoformat(),
        summary=_summary(targets, tasks, result["rollups"]["plan"], projects),
        chapters=chapters, departments=_units(result["rollups"]["departments"]), targets=targets, tasks=tasks,
        reporting=tuple(ReportingRow(r["department"], r["assigned"], r["assigned"] - r["missing"], r["missing"], r["due"])
                        for r in reporting or []),
        comments=tuple(Comment(c["item"], c["kind"], c["author"], c["body"]) for c in comments),
        department_reports=department_reports(targets, tasks) if kind in ("quarterly", "annual") else (),
        chapter_narratives=chapter_narratives(chapters, targets, tasks) if kind in ("midterm", "final", "npc") else (),
        verdicts=verdicts(targets, result["targets"]) if kind in ("final", "npc") else (),
        method=method_description(result["thresholds"]), sources=tuple(sources.items), narrative_note=narrative_note,
        projects=projects,
    )


def _title(plan_title: str, kind: str) -> str:
    if kind == "npc":  # 关于《…规划》实施情况的报告, as the government reports it to the People's Congress
        return f"关于《{plan_title}》{KINDS[kind]}"
    return f"{plan_title}{KINDS[kind]}"


REPORT_FIELDS = ("narrative", "problems", "next_steps")


def _quotable(public: bool, public_fields: frozenset[str] | None) -> frozenset[str]:
    if not public:
        return frozenset(REPORT_FIELDS)
    return frozenset(REPORT_FIELDS) & (public_fields or frozenset())


def _quoter(sources: Sources, allowed: frozenset[str]) -> Callable[[dict, str], ReportQuote]:
    def quote(r: dict, title: str) -> ReportQuote:
        q = ReportQuote(r["id"], r["item"], title, r["department"], r["period"], r["status"], r["percent"],
                        r["narrative"] if "narrative" in allowed else "", r["problems"] if "problems" in allowed else "",
                        r["next_steps"] if "next_steps" in allowed else "", r.get("approved_by"), r.get("approved_at"))
        n = sources.cite(("report", r["id"]), q.citation, "report")
        return ReportQuote(**{**q.__dict__, "cite": n})

    return quote


def _reports_by_item(reports: list[dict], period: str, kind: str) -> dict[str, list[dict]]:
    """The reports a kind quotes: a quarterly bulletin this period's; the other kinds each item's
    latest approved one up to the period (a department answers once per item)."""
    out: dict[str, list[dict]] = {}
    for r in reports:
        if kind == "quarterly" and r["period"] != period:
            continue
        if kind == "quarterly":
            out.setdefault(r["item"], []).append(r)
        else:
            latest = [x for x in out.get(r["item"], []) if x["department"] != r["department"]]
            out[r["item"]] = [*latest, r]  # reports come oldest first: the last one per department wins
    return out


def _clause(item: dict, sources: Sources, source_name: str, quote: str) -> int:
    path = " › ".join(item["section"]) or "全文"
    start, end = item["span"]
    text = f"规划原文：{source_name} {path}，第 {start}–{end} 字" + (f"：“{quote}”" if quote else "")
    return sources.cite(("clause", item["ref"]), text, "plan")


def _observation(o: dict) -> ObservationRow:
    t = year_end(o["period_end"]) if o.get("period_end") else float(o["year"])
    return ObservationRow(o["id"], o["year"], o["value"], o.get("unit") or "", o.get("period") or "", o.get("source") or "",
                          o.get("source_ref") or "", o.get("vintage") or "", t)


def _target_row(t: dict, sources: Sources, source_name: str, quotes: tuple[ReportQuote, ...]) -> TargetRow:
    cites = [_clause(t, sources, source_name, t.get("quote") or "")]
    for o in t["observations"]:
        text = f"观测值：{t['metric']} {o['year']}{('（' + o['period'] + '）') if o['period'] else ''} = {o['value']:g}{o['unit']}，" \
               f"来源 {o['source']}{('：' + o['source_ref']) if o['source_ref'] else ''}，口径 {o['vintage']}"
        cites.append(sources.cite(("obs", o["id"]), text, "observation"))
    cites += [q.cite for q in quotes]
    n, e = t["numbers"], Explanation.from_dict(t["explanation"])
    observations = tuple(_observation(o) for o in t["observations"])
    latest_id = _latest_id(n, e)
    latest = next((o for o in observations if o.id == latest_id), None)
    return TargetRow(
        id=t["id"], ref=t["ref"], metric=t["metric"], chapter=t["section"][0] if t["section"] else "（未分章）", value=t["value"],
        unit=t["unit"] or "", comparator=t["comparator"], type=t["type"], baseline=t["baseline"], year=t["year"], binding=t["binding"],
        quote=t.get("quote") or "", section=tuple(t["section"]), span=tuple(t["span"]), lead=t["lead"], support=tuple(t["support"] or ()),
        status=t["status"], code=t["code"], method=e.method or t.get("method") or "", criterion=t.get("criterion") or "",
        red=bool(t["red"]), target_text=_target_text(t), completion=n.get("completion"), elapsed=n.get("elapsed"),
        projected=n.get("projected"), ratio=n.get("ratio"), latest=latest, observations=observations, notes=e.notes,
        cites=tuple(cites), chart=charts_data.series({**t, "explanation": e}), reports=quotes, behind_plan=e.behind_plan)


def _latest_id(numbers: dict, e: Explanation) -> int | None:
    """The observation the status was judged on: latest value and completion use the same one."""
    latest_t = numbers.get("latest_t")
    return next((o.id for o in reversed(e.observations) if o.t == latest_t), None) if latest_t is not None else None


def _target_text(t: dict) -> str:
    value = "" if t["value"] is None or t["type"] == "monitor" else f"{_sign(t['comparator'])}{t['value']:g}{t['unit'] or ''}"
    return (value or "（监测）") + (f"（{t['year']}年）" if t["year"] else "")


def _task_row(t: dict, sources: Sources, source_name: str, quotes: tuple[ReportQuote, ...]) -> TaskRow:
    cites = [_clause(t, sources, source_name, "")]
    if t["report_id"] and not any(q.report_id == t["report_id"] for q in quotes):
        cites.append(sources.cite(("report", t["report_id"]), f"进展报告 #{t['report_id']}（{t['lead'] or '未分配'}）", "report"))
    cites += [q.cite for q in quotes]
    return TaskRow(id=t["id"], ref=t["ref"], title=t["title"], chapter=t["section"][0] if t["section"] else "（未分章）",
                   section=tuple(t["section"]), span=tuple(t["span"]), lead=t["lead"], support=tuple(t["support"] or ()),
                   deadline=max(t["deadlines"]).isoformat() if t["deadlines"] else "", status=t["status"], reason=t["reason"],
                   report_id=t["report_id"], percent=t["percent"], problems=t.get("problems") or "", cites=tuple(cites), reports=quotes)


def _project_row(p: dict, sources: Sources, source_name: str, quotes: tuple[ReportQuote, ...]) -> ProjectRow:
    cites = [_clause(p, sources, source_name, "")]
    if p["report_id"] and not any(q.report_id == p["report_id"] for q in quotes):
        cites.append(sources.cite(("report", p["report_id"]), f"进展报告 #{p['report_id']}（{p['lead'] or '未分配'}）", "report"))
    cites += [q.cite for q in quotes]
    return ProjectRow(id=p["id"], ref=p["ref"], name=p["title"], action=p["action"],
                      chapter=p["section"][0] if p["section"] else "（未分章）", section=tuple(p["section"]), span=tuple(p["span"]),
                      lead=p["lead"], support=tuple(p["support"] or ()), investment=p["investment"],
                      investment_unit=p["investment_unit"] or "", investment_done=p["investment_done"], stage=p["stage"],
                      reached_on=p["reached_on"].isoformat() if p["reached_on"] else "", next_stage=p["next_stage"],
                      next_due=p["next_due"].isoformat() if p["next_due"] else "", status=p["status"], reason=p["reason"],
                      report_id=p["report_id"], problems=p.get("problems") or "", cites=tuple(cites), reports=quotes)


def _rollup(row: dict) -> Rollup:
    return Rollup(row["name"], row["kind"], row["total"], row["assessed"], Counts(tuple(row["counts"].items())), row["red_flags"],
                  row["light"])


def _units(rollups: dict) -> tuple[Unit, ...]:
    by_name: dict[str, dict] = {}
    for kind in ("targets", "tasks"):
        for row in rollups[kind]:
            by_name.setdefault(row["name"], {})[kind] = _rollup(row)
    out = []
    for name, parts in by_name.items():
        lights = [r.light for r in parts.values()]
        light = "红" if "红" in lights else "黄" if "黄" in lights else "绿" if "绿" in lights else "灰"
        out.append(Unit(name, light, parts.get("targets"), parts.get("tasks")))
    return tuple(out)


def _summary(targets: tuple[TargetRow, ...], tasks: tuple[TaskRow, ...], plan_rollup: dict,
             projects: tuple[ProjectRow, ...] = ()) -> Summary:
    target_counts = _count([t.status for t in targets], STATUS_ORDER)
    task_counts = _count([t.status for t in tasks], TASK_STATUS_ORDER)
    project_counts = _count([p.status for p in projects], TASK_STATUS_ORDER)
    return Summary(
        targets=target_counts, tasks=task_counts, target_total=len(targets), task_total=len(tasks),
        red_targets=sum(t.red for t in targets),
        target_light=plan_rollup["targets"][0]["light"] if targets else "灰", task_light=plan_rollup["tasks"][0]["light"] if tasks else "灰",
        sentences=_sentences(target_counts, task_counts, project_counts))


def _count(statuses: list[str], order: tuple[str, ...]) -> Counts:
    extra = tuple(s for s in dict.fromkeys(statuses) if s not in order)  # a plan's own labels keep their place at the end
    return Counts(tuple((s, statuses.count(s)) for s in order + extra))


def _sentences(targets: Counts, tasks: Counts, projects: Counts | None = None) -> tuple[str, ...]:
    out = []
    if targets.total:
        parts = "、".join(f"{s}{n}项" for s, n in targets.items() if n)
        out.append(f"纳入监测的{targets.total}项指标中，{parts}。")
    if tasks.total:
        parts = "、".join(f"{s}{n}项" for s, n in tasks.items() if n)
        out.append(f"{tasks.total}项重点任务中，{parts}。")
    if projects is not None and projects.total:
        parts = "、".join(f"{s}{n}项" for s, n in projects.items() if n)
        out.append(f"{projects.total}个重大项目中，{parts}。")
    return tuple(out)


def _sign(comparator: str) -> str:
    return {">=": "≥", "<=": "≤", "~": "约", "=": ""}.get(comparator, comparator)


__all__ = ["KINDS", "LATE", "NOT_ON_TRACK_CODES", "Sources", "build_bulletin", "compose"]
