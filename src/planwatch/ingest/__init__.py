"""Ingest: a file → a ``Document`` (original text, normalised text, metadata).

``READERS`` maps a suffix to a reader; it is the seam tests use to add formats.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..errors import IngestError, UnsupportedFormat
from ..model import Document
from .decode import decode
from .metadata import find_metadata
from .normalize import normalize
from .text import read_text

__all__ = ["READERS", "read_document", "document_from_text"]

MAX_BYTES = 200 * 1024 * 1024


def _text_reader(path: str, data: bytes) -> tuple[str, str, str, dict]:
    decoded, encoding = decode(data, path)
    original, front, fmt = read_text(decoded)
    return original, fmt, encoding, front


def _html_reader(path: str, data: bytes) -> tuple[str, str, str, dict]:
    from .html import html_to_text
    from .text import split_front_matter

    decoded, encoding = decode(data, path)
    front, body = split_front_matter(decoded)
    return html_to_text(body), "html", encoding, front


def _docx_reader(path: str, data: bytes) -> tuple[str, str, str, dict]:
    from .docx import read_docx

    return read_docx(path), "docx", "binary", {}


def _pdf_reader(path: str, data: bytes) -> tuple[str, str, str, dict]:
    from .pdf import read_pdf

    if not data.startswith(b"%PDF"):
        raise IngestError(path, "not a PDF file (no %PDF header)")
    return read_pdf(path), "pdf", "binary", {}


Reader = Callable[[str, bytes], tuple[str, str, str, dict]]
READERS: dict[str, Reader] = {
    ".txt": _text_reader,
    ".md": _text_reader,
    ".text": _text_reader,
    ".html": _html_reader,
    ".htm": _html_reader,
    ".docx": _docx_reader,
    ".pdf": _pdf_reader,
}


def read_document(path: str | os.PathLike) -> Document:
    """Read one plan file. Raises ``IngestError`` (naming the file) on anything unreadable."""
    path = str(path)
    p = Path(path)
    if not p.exists():
        raise IngestError(path, "no such file")
    if p.is_dir():
        raise IngestError(path, "is a directory, not a file")
    reader = READERS.get(p.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise UnsupportedFormat(path, f"unsupported file type {p.suffix or '(none)'!r}; planwatch reads {known}")
    if p.stat().st_size > MAX_BYTES:
        raise IngestError(path, f"file larger than {MAX_BYTES // 1024 // 1024} MB")
    data = p.read_bytes()
    if not data.strip():
        raise IngestError(path, "the file is empty")
    original, fmt, encoding, front = reader(path, data)
    if not original.strip():
        raise IngestError(path, "no text found in the file")
    return document_from_text(original, path=path, format=fmt, encoding=encoding, front_matter=front)


def document_from_text(original: str, path: str = "<text>", format: str = "txt", encoding: str = "utf-8", front_matter: dict | None = None) -> Document:
    text, script, offsets = normalize(original)
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
