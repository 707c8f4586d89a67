"""Hard limits on what a reader accepts, so that no file runs unbounded.

Every reader gets a ``Limits``; a file past one fails with ``LimitExceeded`` naming the
file and the limit, never with a hang or a MemoryError. The defaults keep the worst input
found under 10 s and 1 GB on a loaded 2-core machine (benchmarks/robust.py), while the
largest real plan seen (a 纲要 of about 250 k characters, a 150-page PDF) passes with room.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import LimitExceeded

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


def check(path: str, what: str, value: int, limit: int, unit: str = "") -> None:
    """Raise ``LimitExceeded`` when ``value`` is past ``limit``: ``what`` says which limit."""
    if value > limit:
        raise LimitExceeded(path, f"{what} {value:,}{unit} is over the limit of {limit:,}{unit}")
