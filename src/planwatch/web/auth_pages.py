"""Login, logout and the password form: the only pages a visitor without a session may reach."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ..errors import ValidationError
from ..store.accounts import LoginRefused, authenticate, close_session, open_session, set_password
from .auth import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    check_csrf,
    check_login_csrf,
    cookie_options,
    new_login_token,
    require_login,
    session_token,
)
from .render import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an open redirect to another host.
    parts = urlsplit(target or "/")
    return target if target and target.startswith("/") and not target.startswith("//") and not parts.netloc else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/", error: str = "") -> Response:
    token = new_login_token()
    response = render(request, "login.html.j2", {"next": _safe_next(next), "error": error, "login_csrf": token}, login=None)
    response.set_cookie(LOGIN_COOKIE, request.app.state.signer.sign(token), max_age=3600, **cookie_options(request))
    return response


@router.post("/login", dependencies=[Depends(check_login_csrf)])
def login(request: Request, name: str = Form(...), password: str = Form(...), next: str = Form("/")) -> Response:
    state = request.app.state
    try:
        account = authenticate(state.engine, name.strip(), password)
    except LoginRefused as exc:
        token = new_login_token()
        response = render(request, "login.html.j2", {"next": _safe_next(next), "error": str(exc), "login_csrf": token, "name": name},
                          login=None, status_code=401)
        response.set_cookie(LOGIN_COOKIE, state.signer.sign(token), max_age=3600, **cookie_options(request))
        return response
    token = open_session(state.engine, account)
    response = RedirectResponse("/password" if account.must_change else _safe_next(next), status_code=303)
    # A session cookie (no max-age): the browser forgets it on close; the server enforces both expiries.
    response.set_cookie(SESSION_COOKIE, state.signer.sign(token), **cookie_options(request))
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    login = require_login(request)
    token = session_token(request)
    if token:
        close_session(request.app.state.engine, token, actor=login.account.name)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/password")
def password_form(request: Request, error: str = "") -> Response:
    login = require_login(request)
    return render(request, "password.html.j2", {"error": error}, login)


@router.post("/password", dependencies=[Depends(check_csrf)])
def change_password(request: Request, current: str = Form(...), new: str = Form(...), again: str = Form(...)) -> Response:
    login = require_login(request)
    engine = request.app.state.engine
    error = "the two new passwords differ" if new != again else ""
    if not error:
        try:
            set_password(engine, login.account.name, new, actor=login.account.name, old_password=current)
        except (ValidationError, LoginRefused) as exc:
            error = "; ".join(exc.problems) if isinstance(exc, ValidationError) else str(exc)
    if error:
        return render(request, "password.html.j2", {"error": error}, login, status_code=400)
    # The change ended every session of the account (this one too): log in with the new password.
    response = RedirectResponse("/login?error=password+changed%3A+log+in+with+the+new+one", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
