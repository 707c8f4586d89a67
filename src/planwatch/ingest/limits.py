"""Hard limits on what a reader accepts, so that no file runs unbounded.

Every reader gets a ``Limits``; a file past one fails with ``LimitExceeded`` naming the
file and the limit, never with a hang or a MemoryError. The defaults keep the worst input
found under 10 s and 1 GB on a loaded 2-core machine (benchmarks/robust.py), while the
largest real plan seen (a 纲要 of about 250 k characters, a 150-page PDF) passes with room.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

from ..errors import LimitExceeded, PlanwatchError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # Raw file size. 64 MB is 20× the largest plan PDF seen; a text file that size is already
    # past max_chars, so this bounds the memory a read takes before the text is counted.
    max_file_bytes: int = 64 * MB
    # One decompressed part of a .docx (document.xml, numbering.xml, …): a zip bomb stops at
    # the zip's directory, before anything is inflated.
    max_part_bytes: int = 32 * MB
    # Characters of recovered text. 4 M is 16× the longest plan; outline + extract run at
    # about 1 M characters a second here, so the worst document stays under 10 s.
    max_chars: int = 4_000_000
    # Element nesting in HTML (Word XML stops at libxml2's own 256). Real pages stay under 40.
    max_depth: int = 256
    # HTML elements, counting the copies unclosed formatting tags make: lexbor takes about
    # 400 bytes an element, so 500 k stay near 200 MB; a long real page has about 10 k.
    max_elements: int = 500_000
    # PDF pages: pdfplumber reads about 20 pages a second here.
    max_pages: int = 2_000


DEFAULT_LIMITS = Limits()

# ``max_chars=8000000,max_pages=500``: set by ``planwatch --limit`` (or by hand) and read in the
# process that reads the file, so batch workers forked from the CLI obey it too.
LIMITS_ENV = "PLANWATCH_LIMITS"


def parse_limits(text: str, base: Limits = DEFAULT_LIMITS) -> Limits:
    """``"max_chars=8000000, max_pages=500"`` → ``Limits`` with those two changed; a bad entry
    raises ``ValueError`` naming it (``unknown limit 'pages'``, ``max_pages must be a whole
    number ≥ 1``)."""
    known = {f.name for f in fields(Limits)}
    changes: dict[str, int] = {}
    for entry in filter(None, (e.strip() for e in text.split(","))):
        name, sep, value = (part.strip() for part in entry.partition("="))
        if name not in known:
            raise ValueError(f"unknown limit {name!r}; the limits are {', '.join(sorted(known))}")
        if not sep or not value.replace("_", "").isdigit() or int(value) < 1:
            raise ValueError(f"{name} must be a whole number ≥ 1, not {value or '(nothing)'!r}")
        changes[name] = int(value)
    return replace(base, **changes)


def current_limits() -> Limits:
    """The limits this process reads under: the defaults, changed by ``PLANWATCH_LIMITS``."""
    text = os.environ.get(LIMITS_ENV, "")
    if not text.strip():
        return DEFAULT_LIMITS
    try:
        return parse_limits(text)
    except ValueError as exc:
        raise PlanwatchError(f"{LIMITS_ENV}: {exc}") from None


def check(path: str, what: str, value: int, limit: int, unit: str = "") -> None:
    """Raise ``LimitExceeded`` when ``value`` is past ``limit``: ``what`` says which limit."""
    if value > limit:
        raise LimitExceeded(path, f"{what} {value:,}{unit} is over the limit of {limit:,}{unit}")
