"""Whole responses of the most-read pages, kept per session and ledger version.

A dashboard, an item page and their JSON twins are read far more often than the ledger
changes. After one view has been rendered for a session, the same page for the same session
is answered from memory for as long as nothing is written: one query (is the session live, what
is the ledger's version) instead of routing, dependencies, the view and the template. Every
write is audited and so moves the version; a logout, expiry or password change ends the
session, and the request goes on to the app, which refuses it. A response is kept only for the
session it was made for (it holds that session's CSRF token), only when it is a 200 that sets
no cookie, and only for the day (statuses read the date).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import date

import anyio.to_thread
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..store.accounts import live_session_version
from .auth import SESSION_COOKIE

# "/", its JSON twin, a plan's dashboard, an item page, and their twins.
CACHED_PATHS = re.compile(r"^/(?:index\.json|plans/\d+(?:\.json)?|items/[A-Za-z]\d+(?:\.json)?)?$")
MAX_BODY = 2 << 20  # larger pages are rendered each time rather than held
MAX_BYTES = 64 << 20  # all kept pages of one server process together


class PageCache:
    def __init__(self, app: ASGIApp, size: int = 512, max_bytes: int = MAX_BYTES) -> None:
        self.app, self.size, self.max_bytes = app, size, max_bytes
        self.pages: OrderedDict[tuple, tuple[list, bytes]] = OrderedDict()  # touched only on the event loop
        self.bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not CACHED_PATHS.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        token = state.signer.unsign(Request(scope).cookies.get(SESSION_COOKIE))
        live = None
        if token:
            s = state.settings
            live = await anyio.to_thread.run_sync(live_session_version, state.engine, token, s.session_idle, s.session_absolute)
        if live is None:
            await self.app(scope, receive, send)
            return
        key = (*live, date.today(), scope["path"], scope["query_string"])
        if (hit := self.pages.get(key)) is not None:
            self.pages.move_to_end(key)
            await send({"type": "http.response.start", "status": 200, "headers": hit[0]})
            await send({"type": "http.response.body", "body": hit[1]})
            return
        await self.app(scope, receive, self._keeping(key, send))

    def _keeping(self, key: tuple, send: Send) -> Send:
        start: dict = {}
        parts: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if not message.get("more_body") and self._keepable(start, parts):
                    self._keep(key, list(start.get("headers", [])), b"".join(parts))
            await send(message)

        return keep

    def _keep(self, key: tuple, headers: list, body: bytes) -> None:
        if (old := self.pages.pop(key, None)) is not None:
            self.bytes -= len(old[1])
        self.pages[key] = (headers, body)
        self.bytes += len(body)
        while len(self.pages) > self.size or self.bytes > self.max_bytes:  # the least recently read go first
            _, (_, gone) = self.pages.popitem(last=False)
            self.bytes -= len(gone)

    @staticmethod
    def _keepable(start: dict, parts: list[bytes]) -> bool:
        return (start.get("status") == 200 and sum(map(len, parts)) <= MAX_BODY
                and not any(k.lower() == b"set-cookie" for k, _ in start.get("headers", [])))
