"""Web: the dashboard and the public progress page over the same service functions as the CLI.

Every page has a JSON twin (``/plans/1`` and ``/plans/1.json``), as datasette does. The app is
built from its settings, never from a module-level global::

    app = create_app("sqlite:///planwatch.db", public_only=True)   # safe to publish
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
