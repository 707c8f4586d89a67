"""Progress reports and their review (draft → submitted → approved, or returned), evidence
files, and comments and leaders' instructions (批示) on items.

Only approved reports count in assessments. A closed period refuses new or changed reports,
and every change checks the report's version, so two reporters never overwrite each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..errors import ConflictError, NotFound, PermissionDenied, ValidationError
from ..model import PROJECT_STAGES
from .access import require, require_any
from .audit import changes, record, snapshot
from .evidence import check_quota, evidence_content, evidence_key, read_evidence_file, store_evidence
from .ledger import find_item, find_period, ref_of
from .people import find_department
from .schema import Assignment, Comment, Department, Evidence, Period, ProgressReport

STATUSES = ("未启动", "推进中", "已完成", "滞后", "暂缓")
REVIEW_STATES = ("draft", "submitted", "approved", "returned")
FIELDS = ("status", "percent", "narrative", "problems", "next_steps", "investment_done", "stage", "stage_on", "review")
PROJECT_FIELDS = ("investment_done", "stage", "stage_on")


@dataclass
class ReportInput:
    status: str
    percent: float | None = None
    narrative: str = ""
    problems: str = ""
    next_steps: str = ""
    # A project's report only: investment completed so far, the last milestone reached and when.
    investment_done: float | None = None
    stage: str | None = None
    stage_on: date | None = None


def field_problems(status: str | None, percent, data: ReportInput | None = None) -> list[str]:
    """What is wrong with a status and a percent (and a project's figures), in words a reporter can act on."""
    problems = []
    if status not in STATUSES:
        problems.append(f"status {status!r} is not one of {'/'.join(STATUSES)}")
    if percent is not None and not (isinstance(percent, int | float) and 0 <= percent <= 100):
        problems.append(f"percent {percent!r} is not a number from 0 to 100")
    if data is not None:
        money = data.investment_done
        if money is not None and not (isinstance(money, int | float) and 0 <= money < 1e12):
            problems.append(f"investment_done {money!r} is not a non-negative amount")
        if data.stage is not None and data.stage not in PROJECT_STAGES:
            problems.append(f"stage {data.stage!r} is not one of {'/'.join(PROJECT_STAGES)}")
        if data.stage_on is not None and data.stage is None:
            problems.append("stage_on is the day a stage was reached: give the stage too")
        if data.stage_on is not None and data.stage_on > date.today():
            problems.append(f"stage_on {data.stage_on.isoformat()} is in the future")
    return problems


def _project_only(kind: str, ref: str, data: ReportInput) -> None:
    given = [name for name in PROJECT_FIELDS if getattr(data, name) is not None]
    if given and kind != "project":
        raise ValidationError([f"{ref} is a {kind}: {', '.join(given)} belong to a project's report (P…)"], f"report on {ref}")


def submit_report(engine: Engine, ref: str, period: str, department: str, data: ReportInput, actor: str | None = None,
                  expected_version: int | None = None, draft: bool = False, evidence: tuple[str, ...] = (),
                  value: float | None = None, received_on: date | None = None) -> dict:
    """File (or revise) a department's report on an item for a period, as submitted or as a draft,
    with its evidence files and, for a target, the figure it reports: all in one transaction.

    ``expected_version`` is the version the caller last saw; a report changed since then
    raises ``ConflictError`` instead of being overwritten. ``received_on`` backfills the day a
    report on paper reached the office (an old ledger entered late); only a reviewer may give it,
    since it decides whether the report was on time.
    """
    if problems := field_problems(data.status, data.percent, data):
        raise ValidationError(problems, f"report on {ref}")
    files = [read_evidence_file(path) for path in evidence]  # read and checked before anything is written
    key = evidence_key() if files else b""
    try:
        with Session(engine) as session, session.begin():
            kind, item = find_item(session, ref)
            period_row, dep = find_period(session, period), find_department(session, department)
            who = require(session, actor, "report", dep.id).name
            if value is not None and kind != "target":
                raise ValidationError([f"{ref} is a {kind}: a reported figure belongs to a target (I…)"], f"report on {ref}")
            report = file_report(session, who, kind, item.id, period_row, dep, data, expected_version, draft)
            if received_on is not None:
                _backdate(session, actor, report, period_row, received_on, draft)
            _add_files(session, who, report, files, key, dep.name, period_row.label)
            if value is not None:
                from .observations import ObservationInput, store_observation

                store_observation(session, who, item, ObservationInput(
                    year=period_row.end.year, value=value, unit=item.unit, source="report",
                    source_ref=f"{dep.name} {period_row.label} 进展报告", period_label=period_row.label))
            return report_dict(session, report)
    except (StaleDataError, IntegrityError) as exc:
        raise ConflictError(f"the report on {ref} for {period} was changed by someone else at the same time; reload and retry") from exc


def _backdate(session: Session, actor: str | None, report: ProgressReport, period: Period, received_on: date, draft: bool) -> None:
    who = require(session, actor, "review").name
    if draft:
        raise ValidationError(["a draft has not been received: received_on is for submitted reports"])
    if not period.start <= received_on <= date.today():
        raise ValidationError([f"received_on {received_on.isoformat()} is not between the period's start "
                               f"{period.start.isoformat()} and today"])
    old = report.submitted_at
    report.submitted_at = datetime.combine(received_on, time(12), UTC)
    session.flush()
    record(session, who, "update", "progress_report", report.id, {"submitted_at": old},
           {"submitted_at": report.submitted_at, "received_on": received_on})


def file_report(session: Session, who: str, kind: str, item_id: int, period: Period, dep: Department, data: ReportInput,
                expected_version: int | None, draft: bool) -> ProgressReport:
    """The checks and the write behind every way a report arrives (CLI, Excel ledger, web)."""
    ref = ref_of(kind, item_id)
    _project_only(kind, ref, data)
    check_reportable(session, kind, item_id, period, dep)
    report = session.scalars(select(ProgressReport).where(
        ProgressReport.item_kind == kind, ProgressReport.item_id == item_id,
        ProgressReport.period_id == period.id, ProgressReport.department_id == dep.id)).first()
    if report is not None and expected_version is not None and report.version != expected_version:
        raise ConflictError(f"the report on {ref} for {period.label} is at version {report.version}, not {expected_version}: "
                            f"{last_writer(session, report)} changed it since you read it")
    if report is not None and report.review == "approved":
        raise ConflictError(f"the report on {ref} for {period.label} is approved; a reviewer must return it before it can change")
    report, change = write_report(session, who, report, kind, item_id, period, dep, data, draft)
    session.flush()
    audit_report(session, who, report, change)
    return report


def last_writer(session: Session, report: ProgressReport) -> str:
    """Who last changed a report and when, from the audit log (for a stale form's refusal)."""
    from .schema import AuditEntry

    row = session.execute(select(AuditEntry.actor, AuditEntry.at).where(AuditEntry.entity == "progress_report",
                                                                       AuditEntry.entity_id == report.id)
                          .order_by(AuditEntry.id.desc()).limit(1)).first()
    return f"{row.actor} (at {row.at:%Y-%m-%d %H:%M})" if row else "someone"


def write_report(session: Session, who: str, report: ProgressReport | None, kind: str, item_id: int, period: Period,
                 dep: Department, data: ReportInput, draft: bool) -> tuple[ProgressReport, tuple]:
    """Create or change the report row (not flushed); returns it with what its audit entry needs."""
    new = {**asdict(data), "review": "draft" if draft else "submitted"}
    if report is None:
        report = ProgressReport(item_kind=kind, item_id=item_id, period_id=period.id, department_id=dep.id, **new)
        session.add(report)
        old = None
    else:
        old = snapshot(report, FIELDS)
        for k, v in new.items():
            setattr(report, k, v)
    if not draft:
        report.submitted_by, report.submitted_at = who, datetime.now(UTC)
    return report, (old, new, ref_of(kind, item_id), period.label)


def audit_report(session: Session, who: str, report: ProgressReport, change: tuple) -> None:
    old, new, ref, period = change
    if old is None:
        record(session, who, "create", "progress_report", report.id, new={"item": ref, "period": period, **new})
    elif old != new:
        record(session, who, "update", "progress_report", report.id, *changes(old, new))


def check_reportable(session: Session, kind: str, item_id: int, period: Period, dep: Department) -> None:
    ref = ref_of(kind, item_id)
    if period.status != "open":
        raise ConflictError(f"period {period.label} is closed: reports on it cannot be filed or changed")
    assigned = session.scalars(select(Assignment.id).where(Assignment.item_kind == kind, Assignment.item_id == item_id,
                                                          Assignment.department_id == dep.id)).first()
    if assigned is None:
        raise PermissionDenied(f"{ref} is not assigned to {dep.name}")


def review_report(engine: Engine, report_id: int, decision: str, comment: str = "", actor: str | None = None) -> dict:
    """Approve a submitted report, or return it for revision with a comment saying why."""
    return review_reports(engine, [report_id], decision, comment, actor)[0]


def review_reports(engine: Engine, report_ids: list[int], decision: str, comment: str = "", actor: str | None = None) -> list[dict]:
    """Review several reports in one transaction: all of them, or (on any refusal) none."""
    if decision not in ("approve", "return"):
        raise ValidationError([f"decision {decision!r} is not approve or return"])
    if decision == "return" and not comment.strip():
        raise ValidationError(["a returned report needs a comment saying what to fix"])
    try:
        with Session(engine) as session, session.begin():
            reviewer = require(session, actor, "review")
            who = reviewer.name
            open_periods = set(session.scalars(select(Period.id).where(Period.status == "open")))
            reports = [_report(session, i) for i in report_ids]
            for report in reports:
                if report.review != "submitted":
                    raise ConflictError(f"report #{report.id} is {report.review}; only submitted reports can be reviewed")
                if report.period_id not in open_periods:
                    raise ConflictError(f"report #{report.id} is in a closed period")
                if report.submitted_by == who and not reviewer.implicit:  # separation of duties
                    raise PermissionDenied(f"user {who!r} submitted report #{report.id} and may not {decision} it")
                report.review = "approved" if decision == "approve" else "returned"
                report.review_comment, report.reviewed_by, report.reviewed_at = comment, who, datetime.now(UTC)
            session.flush()
            for report in reports:
                record(session, who, "update", "progress_report", report.id, {"review": "submitted"},
                       snapshot(report, ("review", "review_comment")))
            return [report_dict(session, r) for r in reports]
    except StaleDataError as exc:
        raise ConflictError("a report was changed while it was being reviewed; reload and retry") from exc


def attach_evidence(engine: Engine, report_id: int, path: str | Path | list, actor: str | None = None) -> dict | list[dict]:
    """Attach files to a report (all or none): types told by content, within the department's
    quota for the period, encrypted with SM4 (store/evidence.py), kept with their SHA-256."""
    single = isinstance(path, str | Path)
    paths = [path] if single else list(path)
    files = [read_evidence_file(p) for p in paths]
    key = evidence_key()
    with Session(engine) as session, session.begin():
        report = _report(session, report_id)
        who = require(session, actor, "report", report.department_id).name
        period = session.get(Period, report.period_id)
        if period.status != "open":
            raise ConflictError(f"report #{report_id} is in a closed period")
        added = _add_files(session, who, report, files, key, session.get(Department, report.department_id).name, period.label)
        rows = [_evidence_dict(ev) for ev in added]
        return rows[0] if single else rows


def _add_files(session: Session, who: str, report: ProgressReport, files: list, key: bytes, department: str,
               period: str) -> list[Evidence]:
    if not files:
        return []
    check_quota(session, report, sum(len(content) for _, content, _ in files), department, period)
    return [store_evidence(session, who, report, name, content, kind, key) for name, content, kind in files]


def _evidence_dict(ev: Evidence) -> dict:
    return {"id": ev.id, "report": ev.report_id, "file": ev.filename, "type": ev.kind, "sha256": ev.sha256, "size": ev.size,
            "encrypted": bool(ev.cipher)}


def list_evidence(engine: Engine, report_id: int, with_content: bool = False) -> list[dict]:
    """A report's evidence files; ``with_content`` adds the bytes, decrypted and checked against the stored hash."""
    with Session(engine) as session:
        _report(session, report_id)
        out = []
        for ev in session.scalars(select(Evidence).where(Evidence.report_id == report_id).order_by(Evidence.id)):
            row = {**_evidence_dict(ev), "added_by": ev.added_by, "added_at": ev.added_at}
            if with_content:
                row["content"] = evidence_content(ev)  # the key is read only for encrypted rows
            out.append(row)
        return out


def _report(session: Session, report_id: int) -> ProgressReport:
    report = session.get(ProgressReport, report_id)
    if report is None:
        raise NotFound(f"no progress report #{report_id}")
    return report


def report_dict(session: Session, r: ProgressReport) -> dict:
    period = session.get(Period, r.period_id)
    dep = session.get(Department, r.department_id)
    evidence = session.scalar(select(func.count(Evidence.id)).where(Evidence.report_id == r.id))
    return {"id": r.id, "item": ref_of(r.item_kind, r.item_id), "period": period.label, "department": dep.name,
            "status": r.status, "percent": r.percent, "narrative": r.narrative, "problems": r.problems,
            "next_steps": r.next_steps, "investment_done": r.investment_done, "stage": r.stage, "stage_on": r.stage_on,
            "review": r.review, "review_comment": r.review_comment,
            "submitted_by": r.submitted_by, "submitted_at": r.submitted_at, "evidence": evidence, "version": r.version}


def list_reports(engine: Engine, period: str | None = None, department: str | None = None, review: str | None = None,
                 item: str | None = None) -> list[dict]:
    with Session(engine) as session:
        query = select(ProgressReport).order_by(ProgressReport.id)
        if period:
            query = query.where(ProgressReport.period_id == find_period(session, period).id)
        if department:
            query = query.where(ProgressReport.department_id == find_department(session, department).id)
        if review:
            query = query.where(ProgressReport.review == review)
        if item:
            kind, row = find_item(session, item)
            query = query.where(ProgressReport.item_kind == kind, ProgressReport.item_id == row.id)
        return [report_dict(session, r) for r in session.scalars(query)]


def add_comment(engine: Engine, ref: str, body: str, instruction: bool = False, public: bool = False, actor: str | None = None) -> dict:
    """A remark, or with ``instruction=True`` a leader's instruction (批示), on a task or target."""
    if not body.strip():
        raise ValidationError(["comment is empty"])
    with Session(engine) as session, session.begin():
        kind, item = find_item(session, ref)
        # A department-bound user (reporter) comments only on items of their department's subtree.
        owners = set(session.scalars(select(Assignment.department_id).where(Assignment.item_kind == kind, Assignment.item_id == item.id)))
        who = require_any(session, actor, "instruct" if instruction else "comment", owners).name
        c = Comment(item_kind=kind, item_id=item.id, kind="instruction" if instruction else "comment", author=who, body=body.strip(),
                    internal=not public)
        session.add(c)
        session.flush()
        record(session, who, "create", "comment", c.id, new={"item": ref, "kind": c.kind, "body": c.body})
        return _comment_dict(c)


def list_comments(engine: Engine, ref: str) -> list[dict]:
    with Session(engine) as session:
        kind, item = find_item(session, ref)
        rows = session.scalars(select(Comment).where(Comment.item_kind == kind, Comment.item_id == item.id).order_by(Comment.id))
        return [_comment_dict(c) for c in rows]


def _comment_dict(c: Comment) -> dict:
    return {"id": c.id, "item": ref_of(c.item_kind, c.item_id), "kind": c.kind, "author": c.author, "body": c.body,
            "public": not c.internal, "at": c.created_at}

