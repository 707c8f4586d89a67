"""The one place that knows the order of the stages::

    ingest.read_document → outline.parse_outline → extract.extract

Each stage is a pure function of the previous stage's record.
"""

from __future__ import annotations

import os
from collections.abc import Collection

from .ingest import read_document
from .model import Document, Extraction, Outline
from .outline import parse_outline


def outline_file(path: str | os.PathLike) -> Outline:
    return parse_outline(read_document(path))


def process_document(document: Document, what: Collection[str] | None = None) -> Extraction:
    """The outline and extraction of ``document``: every kind, or only those in ``what``."""
    from .extract import EVERYTHING, extract

    return extract(parse_outline(document), EVERYTHING if what is None else what)


def process(path: str | os.PathLike) -> Extraction:
    """Ingest, outline and extract one file."""
    return process_document(read_document(path))
