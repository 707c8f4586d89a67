"""The internal pages and their forms. Each page is declared once with ``twin``: its HTML here and
its JSON twin at the same path + ``.json`` (api.py's router). Every form posts to a store or
assess service function the CLI calls too, so a rule (role, scope, closed period, version,
separation of duties) is enforced once, in the store.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from ..assess.refresh import review_and_reassess
from ..errors import ConflictError, ValidationError
from ..model import PROJECT_STAGES
from ..store import add_comment, close_period, open_period, submit_report
from ..store.accounts import WebLogin
from ..store.progress import STATUSES, ReportInput
from . import views
from .api import router as json_router
from .auth import check_csrf, require_login
from .render import json_response, render

MAX_PAGE_SIZE = 500  # a page the browser can still lay out; the JSON twin pages the same way

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)


def twin(path: str, template: str):
    """Register ``fn(request, login, **query) -> dict`` as the page ``path`` and its ``path.json``."""
    def register(fn):
        @functools.wraps(fn)
        def as_json(**kw):
            return json_response(fn(**kw))

        @functools.wraps(fn)
        def as_html(**kw):
            return render(kw["request"], template, fn(**kw), kw["login"])

        json_router.get("/index.json" if path == "/" else path + ".json", name=fn.__name__ + "_json")(as_json)
        router.get(path, name=fn.__name__)(as_html)
        return fn
    return register


Login = Depends(require_login)
NO_FILES = File(default=[])


def _reader(request: Request):
    return request.app.state.reader


def _writer(request: Request):
    return request.app.state.engine


def _back(path: str, message: str = "") -> Response:
    from urllib.parse import quote

    joiner = "&" if "?" in path else "?"
    return RedirectResponse(path + (f"{joiner}message={quote(message)}" if message else ""), status_code=303)


@twin("/", "home.html.j2")
def home(request: Request, login: WebLogin = Login, message: str = "") -> dict:
    return {**views.home(_reader(request), login.account.name), "message": message}


@twin("/plans/{plan_id}", "plan.html.j2")
def plan(request: Request, plan_id: int, login: WebLogin = Login, period: str | None = None, kind: str = "target",
         status: str | None = None, binding: str | None = None, department: str | None = None, page: int = 1, message: str = "") -> dict:
    kind = kind if kind in ("task", "project") else "target"
    size = request.app.state.settings.page_size
    data = views.dashboard(_reader(request), login.account.name, plan_id, period, kind, status, binding, department, max(page, 1), size)
    return {**data, "message": message}


@router.post("/plans/{plan_id}/assess")
def assess(request: Request, plan_id: int, login: WebLogin = Login, period: str = Form(...)) -> Response:
    from ..assess import assess_plan

    assess_plan(_writer(request), str(plan_id), period, actor=login.account.name, save=True)
    return _back(f"/plans/{plan_id}?period={period}", f"assessed as of {period}")


@twin("/items/{ref}", "item.html.j2")
def item(request: Request, ref: str, login: WebLogin = Login, period: str | None = None, message: str = "") -> dict:
    return {**views.item(_reader(request), login.account.name, ref, period), "message": message}


@twin("/plans/{plan_id}/text", "reader.html.j2")
def reader(request: Request, plan_id: int, login: WebLogin = Login, message: str = "") -> dict:
    return {**views.reader(_reader(request), login.account.name, plan_id), "message": message}


# 校核: a plan's items put right before its ledger is used (store/corrections.py, the CLI's `items`).
FIELD_NAMES = ("metric", "value", "unit", "comparator", "type", "baseline", "year", "binding", "title", "deadline", "name", "action")


@router.post("/plans/{plan_id}/items/add")
def item_add(request: Request, plan_id: int, login: WebLogin = Login, quote: str = Form(...), what: str = Form("target"),
             year: str = Form(""), name: str = Form("")) -> Response:
    from ..store.corrections import add_item

    given = {"year": year} if year.strip() and what == "target" else {"name": name} if name.strip() and what == "project" else {}
    row = add_item(_writer(request), str(plan_id), quote, what, given, actor=login.account.name)
    return _back(f"/items/{row['item']}", f"{row['item']} added")


@router.post("/plans/{plan_id}/items/merge")
def item_merge(request: Request, plan_id: int, login: WebLogin = Login, keep: str = Form(...), others: str = Form(...)) -> Response:
    from ..store.corrections import merge_items

    refs = [keep] + [r.strip() for r in others.replace("，", ",").split(",") if r.strip()]
    row = merge_items(_writer(request), refs, actor=login.account.name)
    return _back(f"/plans/{plan_id}/text", f"{', '.join(row['merged'])} merged into {row['item']}")


@router.post("/items/{ref}/edit")
async def item_edit(request: Request, ref: str, login: WebLogin = Login) -> Response:
    """Only the fields the form changed are sent on: an unchanged field is no correction."""
    from ..store.corrections import edit_item

    form = await request.form()
    given = {k: str(form[k]) for k in FIELD_NAMES if k in form and str(form[k]) != str(form.get(f"was_{k}", ""))}
    row = edit_item(_writer(request), ref, given, actor=login.account.name)
    return _back(f"/items/{row['item']}", f"{row['item']}: {', '.join(given)} changed")


@router.post("/items/{ref}/remove")
def item_remove(request: Request, ref: str, login: WebLogin = Login, plan: int = Form(...), confirm: bool = Form(False)) -> Response:
    from ..store.corrections import remove_item

    if not confirm:
        raise ValidationError(["tick the box to confirm the removal"], f"remove {ref}")
    row = remove_item(_writer(request), ref, actor=login.account.name)
    return _back(f"/plans/{plan}/text", f"{row['item']} removed")


@router.post("/items/{ref}/assign")
def item_assign(request: Request, ref: str, login: WebLogin = Login, lead: str = Form(""), support: str = Form("")) -> Response:
    from ..store import assign

    helpers = tuple(s.strip() for s in support.replace("，", ",").replace("、", ",").split(",") if s.strip())
    assign(_writer(request), [ref], lead=lead.strip() or None, support=helpers, actor=login.account.name)
    return _back(f"/items/{ref}", f"{ref} assigned")


@router.post("/items/{ref}/comments")
def comment(request: Request, ref: str, login: WebLogin = Login, body: str = Form(...), instruction: bool = Form(False)) -> Response:
    add_comment(_writer(request), ref, body, instruction=instruction, actor=login.account.name)
    return _back(f"/items/{ref}", "批示已记录" if instruction else "comment added")


@twin("/quarter", "quarter.html.j2")
def quarter(request: Request, login: WebLogin = Login, period: str | None = None, message: str = "", error: str = "") -> dict:
    return {**views.quarter(_reader(request), login.account.name, period), "statuses": STATUSES, "stages": PROJECT_STAGES,
            "message": message, "error": error,
            "max_upload": request.app.state.settings.max_upload_bytes}


@router.post("/quarter/{ref}")
async def report(request: Request, ref: str, login: WebLogin = Login, period: str = Form(...), department: str = Form(...),
                 status: str = Form(...), percent: str = Form(""), value: str = Form(""), narrative: str = Form(""),
                 problems: str = Form(""), next_steps: str = Form(""), version: str = Form(""), action: str = Form("submit"),
                 investment: str = Form(""), stage: str = Form(""), stage_on: str = Form(""),
                 evidence: list[UploadFile] = NO_FILES) -> Response:
    """Save a draft or submit one item's report, with its evidence, in one store transaction."""
    import anyio.to_thread

    limit = request.app.state.settings.max_upload_bytes
    with tempfile.TemporaryDirectory(prefix="planwatch-upload-") as folder:
        paths = [p for f in evidence if f.filename if (p := await _save_upload(f, Path(folder), limit))]
        data = ReportInput(status, _number(percent, "完成比例"), narrative, problems, next_steps, _number(investment, "累计完成投资"),
                           stage.strip() or None, _day(stage_on, "节点日期"))
        call = functools.partial(submit_report, _writer(request), ref, period, department, data, actor=login.account.name,
                                 expected_version=int(version) if version.strip() else None, draft=action == "draft",
                                 evidence=tuple(str(p) for p in paths), value=_number(value, "本期数值"))
        await anyio.to_thread.run_sync(call)
    return _back(f"/quarter?period={period}", f"{ref}: {'draft saved' if action == 'draft' else 'submitted'}")


def _number(text: str, field: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValidationError([f"{field} {text!r} is not a number"], "report") from None


def _day(text: str, field: str):
    from datetime import date

    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError([f"{field} {text!r} is not YYYY-MM-DD"], "report") from None


@router.post("/items/{ref}/schedule")
async def item_schedule(request: Request, ref: str, login: WebLogin = Login) -> Response:
    """A project's planned investment and milestone dates: one field per stage (开工, 竣工 …),
    an empty one left as it was; the same store call as `planwatch projects schedule`."""
    import anyio.to_thread

    from ..store.projects import StageInput, schedule_project

    form = await request.form()
    stages = [StageInput(s, day) for s in PROJECT_STAGES if (day := _day(str(form.get(s, "")), s)) is not None]
    money = _number(str(form.get("investment", "")), "计划投资")
    unit = str(form.get("unit", "")).strip() or None
    call = functools.partial(schedule_project, _writer(request), ref, stages, actor=login.account.name, investment=money, unit=unit)
    await anyio.to_thread.run_sync(call)
    return _back(f"/items/{ref}", f"{ref}: schedule saved")


async def _save_upload(upload: UploadFile, folder: Path, limit: int) -> Path | None:
    """The upload as a file named as the user named it, refused past ``limit`` bytes before
    anything is stored (the store checks its own limits and type rules again)."""
    name = Path(upload.filename or "").name.strip()
    if not name or name in (".", ".."):
        raise ValidationError(["an evidence file has no name"], "evidence")
    path, size = folder / name, 0
    with path.open("wb") as out:
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise ValidationError([f"{name} is over the {limit:,}-byte limit for evidence; nothing was saved"], "evidence")
            out.write(chunk)
    return path


@twin("/review", "review.html.j2")
def review(request: Request, login: WebLogin = Login, period: str | None = None, plan: int | None = None, message: str = "",
           page: int = 1, size: int | None = None) -> dict:
    size = min(max(size or request.app.state.settings.page_size, 1), MAX_PAGE_SIZE)
    page_of = views.Page(max(min(page, 1_000_000), 1), size)
    return {**views.review(_reader(request), login.account.name, period, plan, page_of), "message": message}


@router.post("/review")
async def decide(request: Request, login: WebLogin = Login) -> Response:
    """Approve or return one report or the selected ones (all or none), then store the new assessment."""
    import anyio.to_thread

    form = await request.form()
    ids = [int(v) for v in form.getlist("report") if str(v).isdigit()]
    decision, comment, period = str(form.get("decision", "")), str(form.get("comment", "")), str(form.get("period", ""))
    if not ids:
        raise ValidationError(["select at least one report"], "review")
    done = await anyio.to_thread.run_sync(functools.partial(review_and_reassess, _writer(request), ids, decision, comment,
                                                            actor=login.account.name))
    verb = "approved" if decision == "approve" else "returned"
    again = "; assessment updated" if done.reassessed else ""
    return _back(f"/review?period={period}", f"{len(done.reports)} report(s) {verb}{again}")


@twin("/periods", "periods.html.j2")
def periods(request: Request, login: WebLogin = Login, plan: int | None = None, period: str | None = None, message: str = "") -> dict:
    return {**views.periods(_reader(request), login.account.name, plan, period), "message": message}


@router.post("/periods")
def period_open(request: Request, login: WebLogin = Login, label: str = Form(...), due: str = Form("")) -> Response:
    from datetime import date

    try:
        due_date = date.fromisoformat(due) if due.strip() else None
    except ValueError:
        raise ValidationError([f"due date {due!r} is not YYYY-MM-DD"], "period") from None
    row = open_period(_writer(request), label, due_date, actor=login.account.name)
    return _back("/periods", f"period {row['label']} open")


@router.post("/periods/{label}/close")
def period_close(request: Request, label: str, login: WebLogin = Login) -> Response:
    close_period(_writer(request), label, actor=login.account.name)
    return _back("/periods", f"period {label} closed")


@twin("/audit", "audit.html.j2")
def audit(request: Request, login: WebLogin = Login, entity: str | None = None, actor: str | None = None, action: str | None = None,
          page: int = 1) -> dict:
    size = request.app.state.settings.page_size
    return views.audit(_reader(request), login.account.name, entity, actor, action, max(page, 1), size)


__all__ = ["router", "ConflictError"]
