"""The web app's one settings object, built at the edge (``planwatch serve``, a test, a benchmark).

The secret key that signs cookies comes from ``PLANWATCH_SECRET_KEY`` or a key file
(``PLANWATCH_SECRET_KEY_FILE``), never from the repository or the database::

    settings = Settings.from_env("sqlite:///planwatch.db", public_only=True)
    app = create_app(settings)
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from ..errors import PlanwatchError

# The usual MLPS settings for an office application: idle half an hour, a working day at most.
SESSION_IDLE = timedelta(minutes=30)
SESSION_ABSOLUTE = timedelta(hours=12)
# Worker threads of the server; the database pool has as many connections, so no page waits for one.
THREADS = 16
# A page of a long list (1,000 targets): long enough to scan, short enough to render in milliseconds.
PAGE_SIZE = 50
# Evidence from the browser: a scan or photo of a signed document (the store keeps its own limits too).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: bytes
    session_idle: timedelta = SESSION_IDLE
    session_absolute: timedelta = SESSION_ABSOLUTE
    public_only: bool = False
    # Secure cookies: on unless the app is served over plain HTTP on a trusted machine (tests,
    # localhost); behind an HTTPS proxy keep it on.
    https: bool = True
    threads: int = THREADS
    page_size: int = PAGE_SIZE
    max_upload_bytes: int = MAX_UPLOAD_BYTES

    @classmethod
    def from_env(cls, database_url: str, key_file: str | Path | None = None, **overrides) -> Settings:
        """Settings with the secret key from the environment or ``key_file``."""
        return cls(database_url=database_url, secret_key=secret_key(key_file), **overrides)

    def but(self, **changes) -> Settings:
        return replace(self, **changes)


def secret_key(key_file: str | Path | None = None) -> bytes:
    """``PLANWATCH_SECRET_KEY``, else the contents of ``key_file`` / ``PLANWATCH_SECRET_KEY_FILE``."""
    value = os.environ.get("PLANWATCH_SECRET_KEY")
    if value:
        return value.encode()
    path = key_file or os.environ.get("PLANWATCH_SECRET_KEY_FILE")
    if not path:
        raise PlanwatchError("no secret key: set PLANWATCH_SECRET_KEY or PLANWATCH_SECRET_KEY_FILE "
                             "(make one with: planwatch serve --new-key-file FILE)")
    try:
        key = Path(path).read_bytes().strip()
    except OSError as exc:
        raise PlanwatchError(f"{path}: cannot read the secret key file ({exc.strerror})") from exc
    if len(key) < 32:
        raise PlanwatchError(f"{path}: the secret key is shorter than 32 bytes")
    return key


def write_key_file(path: str | Path) -> Path:
    """A new random key, readable by its owner only."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(48) + "\n")
    return path
