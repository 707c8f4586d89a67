"""Web: the quarterly cycle in the browser, over the same service functions as the CLI.

``app.py`` builds the app from one ``Settings`` (never a module-level global); ``auth.py`` holds
sessions, CSRF and the security headers; ``pages.py`` the internal pages and forms, each with a
JSON twin (``/plans/1`` and ``/plans/1.json``) registered on ``api.py``'s router; ``public.py``
the public site; ``templates/`` and ``static/`` are files the package ships::

    app = create_app(Settings.from_env("sqlite:///planwatch.db", public_only=True))   # safe to publish
"""

from __future__ import annotations

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
