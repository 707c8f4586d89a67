"""The app factory: one app per ``Settings``, never a module-level global (datasette builds its
app per test the same way)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ..errors import ConflictError, NotFound, PermissionDenied, PlanwatchError, ValidationError
from ..store import ensure_current, make_engine
from ..store.db import read_only
from .auth import Forbidden, LoginRequired, SecurityHeaders, Signer
from .settings import Settings

HERE = Path(__file__).parent


# What `planwatch serve --workers N` hands each worker process (uvicorn starts them from an
# import string, so the settings travel in the environment; the key stays in its own variable
# or file, as for one process).
SERVE_ENV = "PLANWATCH_SERVE_SETTINGS"


def app_from_env() -> FastAPI:
    """The app of one ``serve`` worker: settings from ``PLANWATCH_SERVE_SETTINGS`` (JSON) and the key
    from ``PLANWATCH_SECRET_KEY`` / ``PLANWATCH_SECRET_KEY_FILE``."""
    import json
    import os

    options = json.loads(os.environ[SERVE_ENV])
    return create_app(Settings.from_env(options.pop("database_url"), key_file=options.pop("key_file", None), **options))


def create_app(settings: Settings) -> FastAPI:
    """The app for one ledger; ``settings.public_only`` serves only the public site (for the open
    internet: no login, no internal page, no API schema)."""
    engine = make_engine(settings.database_url, pool_size=settings.threads + 4)  # + the session look-ups' own
    ensure_current(engine)

    @asynccontextmanager
    async def lifespan(_app):
        import anyio.to_thread

        # The server's worker threads and the database pool are the same size, so a burst of
        # requests queues for a thread, never for a connection (which would time out).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield
        engine.dispose()

    app = FastAPI(title="planwatch", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings, app.state.engine, app.state.reader = settings, engine, read_only(engine)
    app.state.signer = Signer(settings.secret_key)
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.templates.env.globals["public_only"] = settings.public_only
    if not settings.public_only:
        from .cache import PageCache

        app.add_middleware(PageCache)  # inside SecurityHeaders (added last, so outermost): kept pages get the headers too
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _errors(app)

    from . import public

    app.include_router(public.router)
    if settings.public_only:
        app.get("/", include_in_schema=False)(public.public_home)
    else:
        from . import api, auth_pages, pages

        app.include_router(auth_pages.router)
        app.include_router(api.router)
        app.include_router(pages.router)
    return app


def routes(app) -> list:
    """Every route of the app, through included routers (FastAPI keeps them nested)."""
    out = []
    for route in getattr(app, "routes", []):
        inner = getattr(route, "original_router", None)
        out.extend(routes(inner) if inner is not None else [route])
    return out


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or "application/json" in request.headers.get("accept", "")


def _errors(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": "log in first"}, status_code=401)
        if exc.args and exc.args[0] == "must_change":
            return RedirectResponse("/password", status_code=303)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _problem(request, str(exc), 403)

    @app.exception_handler(PlanwatchError)
    async def planwatch_error(request: Request, exc: PlanwatchError) -> Response:
        status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, PermissionDenied) else \
            409 if isinstance(exc, ConflictError) else 400
        message = "; ".join(exc.problems) if isinstance(exc, ValidationError) else str(exc)
        return _problem(request, message, status)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) or "request" for e in exc.errors())
        return _problem(request, f"bad value in: {fields}", 422)


def _problem(request: Request, message: str, status: int) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html.j2", {"message": message, "status": status, "login": None},
                                      status_code=status)
