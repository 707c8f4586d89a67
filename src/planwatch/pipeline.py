"""The one place that knows the order of the stages::

    ingest.read_document → outline.parse_outline → extract.extract

Each stage is a pure function of the previous stage's record.
"""

from __future__ import annotations

import os

from .ingest import read_document
from .model import Document, Extraction, Outline
from .outline import parse_outline


def outline_file(path: str | os.PathLike) -> Outline:
    return parse_outline(read_document(path))


def process_document(document: Document) -> Extraction:
    from .extract import extract

    return extract(parse_outline(document))


def process(path: str | os.PathLike) -> Extraction:
    """Ingest, outline and extract one file."""
    return process_document(read_document(path))
