"""The public site: the public edition of each plan's bulletin (通报), no login, no internal
notes, cacheable. ``--public-only`` serves this router alone."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..report.bulletin import build_bulletin
from ..report.render import html as bulletin_html
from ..store import list_plans
from ..store.dashboard import ledger_version
from .render import json_response, render
from .views import latest_period

router = APIRouter(include_in_schema=False)
# Bulletins of the latest ledger state, rebuilt only after the ledger changed (any audited write).
CACHED = 64


class _Cache:
    def __init__(self):
        self.entries: OrderedDict = OrderedDict()
        self.lock = Lock()

    def get(self, key, build):
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = build()
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > CACHED:
                self.entries.popitem(last=False)
        return value


def _bulletin(request: Request, plan_id: int, period: str | None) -> dict:
    engine = request.app.state.reader
    label = latest_period(engine, period)
    cache = request.app.state.__dict__.setdefault("_public_cache", _Cache())
    key = (plan_id, label, ledger_version(engine))
    return cache.get(key, lambda: build_bulletin(engine, str(plan_id), label, "midterm", public=True, save=False))


def _plans(request: Request) -> list[dict]:
    return [{"id": p["id"], "title": p["title"], "period": p["period"]} for p in list_plans(request.app.state.reader) if p["current"]]


@router.get("/public.json")
def public_index_json(request: Request) -> Response:
    return json_response(_plans(request))


@router.get("/public")
def public_index(request: Request) -> Response:
    return render(request, "public_index.html.j2", {"plans": _plans(request)}, login=None)


@router.get("/public/plans/{plan_id}.json")
def public_plan_json(request: Request, plan_id: int, period: str | None = None) -> Response:
    return json_response(_bulletin(request, plan_id, period).as_dict())


@router.get("/public/plans/{plan_id}", response_class=HTMLResponse)
def public_plan(request: Request, plan_id: int, period: str | None = None) -> str:
    return bulletin_html(_bulletin(request, plan_id, period))


def public_home(request: Request) -> Response:
    return public_index(request)
