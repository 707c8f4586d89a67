"""The JSON API: every page's twin at its path + ``.json`` (declared with ``pages.twin``) and the
OpenAPI schema that describes them, all behind a session like the pages themselves."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response

from .auth import check_csrf, require_login
from .render import json_response

LOGIN = Depends(require_login)
router = APIRouter(dependencies=[Depends(check_csrf)], tags=["json"])


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request, login=LOGIN) -> Response:
    from .app import routes

    json_routes = [r for r in routes(request.app) if getattr(r, "path", "").endswith(".json") and r.path != "/openapi.json"]
    return json_response(get_openapi(title="planwatch", version="1", routes=json_routes,
                                      description="Each internal page's data as JSON (the page's path + .json)."))
