"""Ingest: a file → a ``Document`` (original text, normalised text, metadata).

``READERS`` maps a suffix to a reader ``(path, data, limits) → (text, format, encoding,
front_matter)``; it is the seam tests use to add formats. Every reader keeps to the
``Limits`` it is given and turns every failure into an ``IngestError`` naming the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..errors import IngestError, UnsupportedFormat
from ..model import Document
from .decode import decode
from .limits import DEFAULT_LIMITS, Limits, check, current_limits
from .metadata import find_metadata
from .normalize import normalize
from .text import read_text

__all__ = ["READERS", "Limits", "DEFAULT_LIMITS", "read_document", "document_from_text"]


def _text_reader(path: str, data: bytes, limits: Limits) -> tuple[str, str, str, dict]:
    decoded, encoding = decode(data, path)
    original, front, fmt = read_text(decoded, path, limits)
    return original, fmt, encoding, front


def _html_reader(path: str, data: bytes, limits: Limits) -> tuple[str, str, str, dict]:
    from .html import html_to_text
    from .text import split_front_matter

    decoded, encoding = decode(data, path)
    front, body = split_front_matter(decoded, path)
    return html_to_text(body, path, limits), "html", encoding, front


def _docx_reader(path: str, data: bytes, limits: Limits) -> tuple[str, str, str, dict]:
    from .docx import read_docx

    return read_docx(path, data, limits), "docx", "binary", {}


def _pdf_reader(path: str, data: bytes, limits: Limits) -> tuple[str, str, str, dict]:
    from .pdf import read_pdf

    if not data.startswith(b"%PDF"):
        raise IngestError(path, "not a PDF file (no %PDF header)")
    return read_pdf(path, limits), "pdf", "binary", {}


Reader = Callable[[str, bytes, Limits], tuple[str, str, str, dict]]
READERS: dict[str, Reader] = {
    ".txt": _text_reader,
    ".md": _text_reader,
    ".text": _text_reader,
    ".html": _html_reader,
    ".htm": _html_reader,
    ".docx": _docx_reader,
    ".pdf": _pdf_reader,
}


def read_document(path: str | os.PathLike, limits: Limits | None = None) -> Document:
    """Read one plan file. Raises ``IngestError`` (naming the file) on anything unreadable or
    past ``limits`` (by default ``current_limits()``: the defaults and ``PLANWATCH_LIMITS``)."""
    path = str(path)
    limits = limits or current_limits()
    p = Path(path)
    if not p.exists():
        raise IngestError(path, "no such file")
    if p.is_dir():
        raise IngestError(path, "is a directory, not a file")
    reader = READERS.get(p.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise UnsupportedFormat(path, f"unsupported file type {p.suffix or '(none)'!r}; planwatch reads {known}")
    try:
        check(path, "file size", p.stat().st_size, limits.max_file_bytes, " bytes")
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise IngestError(path, "the file is empty")
    original, fmt, encoding, front = reader(path, data, limits)
    check(path, "text of", len(original), limits.max_chars, " characters")
    if not original.strip():
        raise IngestError(path, "no text found in the file")
    return document_from_text(original, path=path, format=fmt, encoding=encoding, front_matter=front)


def document_from_text(original: str, path: str = "<text>", format: str = "txt", encoding: str = "utf-8", front_matter: dict | None = None) -> Document:
    text, script, offsets = normalize(original, markup=format == "txt", path=path)
    return Document(
        path=path,
        original=original,
        text=text,
        format=format,
        encoding=encoding,
        script=script,
        metadata=find_metadata(text, front_matter),
        offsets=offsets,
    )
