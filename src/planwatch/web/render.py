"""One page, two faces: a template over the view's data, or the same data as JSON."""

from __future__ import annotations

import json
from datetime import date, datetime

from fastapi import Request
from fastapi.responses import Response

from ..store.accounts import WebLogin


def render(request: Request, template: str, data: dict, login: WebLogin | None, status_code: int = 200) -> Response:
    context = {"d": data, "login": login, "csrf": login.csrf if login else "", "account": login.account if login else None}
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


def _default(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if isinstance(value, bytes):
        return None  # evidence bytes never go out as JSON
    return str(value)


def json_response(data, status_code: int = 200, headers: dict | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, default=_default)
    return Response(body, status_code=status_code, media_type="application/json", headers=headers)
