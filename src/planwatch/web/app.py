"""Routes. Read-only for now: the dashboard (internal edition of the bulletin, live from the
ledger) and the public progress page (public edition); logins and forms come with a later issue.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from html import escape

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..errors import NotFound, PlanwatchError
from ..report.bulletin import build_bulletin
from ..report.records import Bulletin
from ..report.render import html as bulletin_html
from ..store import ensure_current, list_periods, list_plans, make_engine


def create_app(database_url: str, public_only: bool = False) -> FastAPI:
    """The app for one ledger; ``public_only`` serves only public editions (for the open internet)."""
    engine = make_engine(database_url)
    ensure_current(engine)
    app = FastAPI(title="planwatch", docs_url=None if public_only else "/docs", redoc_url=None)

    @app.exception_handler(PlanwatchError)
    async def planwatch_error(_: Request, exc: PlanwatchError) -> Response:
        return JSONResponse({"error": str(exc)}, status_code=404 if isinstance(exc, NotFound) else 400)

    def period_or_latest(period: str | None) -> str:
        if period:
            return period
        periods = list_periods(engine)
        if not periods:
            return f"{date.today().year}Q{(date.today().month - 1) // 3 + 1}"
        return periods[-1]["label"]

    def plans() -> list[dict]:
        return [p for p in list_plans(engine) if p["current"]]

    @app.get("/index.json")
    def index_json() -> list[dict]:
        return plans()

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        prefix = "/public" if public_only else ""
        items = "".join(f'<li><a href="{prefix}/plans/{p["id"]}">{escape(p["title"])}</a> '
                        f'（{escape(p["period"] or "")}，指标 {p["targets"]} 项，任务 {p["tasks"]} 项）</li>' for p in plans())
        return f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>规划实施监测</title></head>' \
               f'<body><h1>规划实施监测</h1><ul id="plans">{items}</ul></body></html>'

    def bulletin(plan_id: int, period: str | None, public: bool) -> Bulletin:
        # A page view never writes: the statuses are computed, not stored.
        return build_bulletin(engine, str(plan_id), period_or_latest(period), "midterm", public=public, save=False)

    if not public_only:
        @app.get("/plans/{plan_id}.json")
        def plan_json(plan_id: int, period: str | None = None) -> Response:
            return _json(bulletin(plan_id, period, public=False).as_dict())

        @app.get("/plans/{plan_id}", response_class=HTMLResponse)
        def plan_page(plan_id: int, period: str | None = None) -> str:
            return bulletin_html(bulletin(plan_id, period, public=False))

    @app.get("/public/plans/{plan_id}.json")
    def public_json(plan_id: int, period: str | None = None) -> Response:
        return _json(bulletin(plan_id, period, public=True).as_dict())

    @app.get("/public/plans/{plan_id}", response_class=HTMLResponse)
    def public_page(plan_id: int, period: str | None = None) -> str:
        return bulletin_html(bulletin(plan_id, period, public=True))

    return app


def _json(value) -> Response:
    def default(o):
        if isinstance(o, date | datetime):
            return o.isoformat()
        if isinstance(o, tuple | set):
            return list(o)
        return str(o)

    return Response(json.dumps(value, ensure_ascii=False, default=default), media_type="application/json")
