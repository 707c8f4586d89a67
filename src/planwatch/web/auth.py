"""Logins, server-side sessions, CSRF and the security headers.

The session cookie carries a random token signed with the app's secret key (HttpOnly,
SameSite=Lax, Secure behind HTTPS); the session itself (who, its CSRF token, when it began and
was last used) is a row the store keeps, so logging out or a password change ends it at once.
Every unsafe request (POST, PUT, PATCH, DELETE) must carry the session's CSRF token in the
form field ``csrf`` or the ``X-CSRF-Token`` header; the login form, before any session, uses a
signed double-submit cookie instead.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..store.accounts import WebLogin, load_session
from ..store.db import read_only

SESSION_COOKIE = "planwatch_session"
LOGIN_COOKIE = "planwatch_login"  # the login form's CSRF token, before there is a session
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# No inline script anywhere (every script is a file under /static); inline style is allowed
# for the report's SVG charts, which carry style attributes.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    b"content-security-policy": CSP.encode(),
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"same-origin",
    b"x-content-type-options": b"nosniff",
}


class LoginRequired(Exception):
    """No valid session: HTML pages redirect to the login form, JSON answers 401."""


class Forbidden(Exception):
    """A refused CSRF token or a role that may not see the page (403)."""


@dataclass(frozen=True)
class Signer:
    key: bytes

    def sign(self, value: str) -> str:
        return f"{value}.{self._mac(value)}"

    def unsign(self, signed: str | None) -> str | None:
        if not signed or "." not in signed:
            return None
        value, mac = signed.rsplit(".", 1)
        return value if hmac.compare_digest(mac, self._mac(value)) else None

    def _mac(self, value: str) -> str:
        return hmac.new(self.key, value.encode(), hashlib.sha256).hexdigest()


def session_of(request: Request) -> WebLogin | None:
    """The request's live session (looked up once per request)."""
    if "planwatch_login" in request.state._state:
        return request.state.planwatch_login
    app = request.app.state
    token = app.signer.unsign(request.cookies.get(SESSION_COOKIE))
    login = None
    if token:
        s = app.settings
        login = load_session(app.engine, token, s.session_idle, s.session_absolute)
    request.state.planwatch_login = login
    return login


def session_token(request: Request) -> str | None:
    return request.app.state.signer.unsign(request.cookies.get(SESSION_COOKIE))


def require_login(request: Request) -> WebLogin:
    login = session_of(request)
    if login is None:
        raise LoginRequired()
    if login.account.must_change and request.url.path not in ("/password", "/password.json", "/logout"):
        raise LoginRequired("must_change")
    return login


async def check_csrf(request: Request) -> None:
    """Router dependency: every unsafe request carries the session's CSRF token."""
    if request.method not in UNSAFE:
        return
    login = session_of(request)
    if login is None:
        raise LoginRequired()
    if not hmac.compare_digest(await _sent_token(request), login.csrf):
        raise Forbidden("the form is missing its security token (CSRF) or it is stale: reload the page")


async def check_login_csrf(request: Request) -> None:
    expected = request.app.state.signer.unsign(request.cookies.get(LOGIN_COOKIE))
    if not expected or not hmac.compare_digest(await _sent_token(request), expected):
        raise Forbidden("the login form is missing its security token (CSRF) or it is stale: reload the page")


async def _sent_token(request: Request) -> str:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf")
        return value if isinstance(value, str) else ""
    return ""


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def reader(request: Request):
    """The engine for transactions that only read (no write lock on SQLite)."""
    return request.app.state.reader


def cookie_options(request: Request) -> dict:
    return {"httponly": True, "samesite": "lax", "secure": request.app.state.settings.https, "path": "/"}


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI: streams and files too)."""

    def __init__(self, app: ASGIApp, public_cache: str = "public, max-age=300"):
        self.app, self.public_cache = app, public_cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        cacheable = path.startswith(("/public", "/static/"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in HEADERS]
                headers += list(HEADERS.items())
                if not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", self.public_cache.encode() if cacheable else b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


__all__ = ["LoginRequired", "Forbidden", "Signer", "SecurityHeaders", "check_csrf", "check_login_csrf", "require_login", "session_of",
           "reader", "read_only"]
