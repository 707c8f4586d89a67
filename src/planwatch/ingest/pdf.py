"""PDFs with a text layer: pages in order, running headers/footers and page numbers removed,
lines broken mid-sentence rejoined, tables kept as ``cell | cell |`` rows where they stand on
the page (between the paragraphs above and below them), one row per table row however its
cells wrap (``pdf_tables.py``).

pdfplumber (MIT) rather than PyMuPDF (AGPL).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from contextlib import contextmanager

from ..errors import IngestError, UnsupportedFormat
from ..regexes import compiled
from .limits import DEFAULT_LIMITS, Limits, check

PAGE_NUMBER = compiled(r"^\s*[-—–－]*\s*(第\s*)?\d{1,4}\s*(页|/\s*\d+)?\s*[-—–－]*\s*$")
# A full line ending in ；runs on (…1560公里；| 民用运输机场…): the paragraph goes on after it.
SENTENCE_END = tuple("。:：!！?？|")
HEADING_START = compiled(r"^\s*(第[一二三四五六七八九十百零〇\d]+[章节篇]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d)|专栏)")
# A contents entry ends in its page number after dot leaders: complete, however wide it is.
CONTENTS_ENTRY = compiled(r"(?:(?:[.．·…⋯_] ?){3,}|…{2,})\s*\d{1,4}\s*$")
# Only a line's tail is searched for it: from every start in a long run of dots the pattern scans
# the run again (20,000 dots took 9 s).
CONTENTS_TAIL = 40


def contents_entry(line: str) -> bool:
    """Whether a line ends as a contents entry does, in dot leaders and a page number."""
    return bool(CONTENTS_ENTRY.search(line[-CONTENTS_TAIL:]))
# A line at least this share of the page's longest line is full, so its sentence runs on.
FULL_LINE = 0.85
# So is a line that ends within this many character heights of the right margin, unless it holds
# fewer characters than this share of the longest (a table's row of figures reaches the margin too):
# 比例达到 | 94.6% broke early because 94.6%， did not fit.
MARGIN_SLACK = 3.5
DENSE_LINE = 0.6
TEXT_BLOCK = 0.6  # of the page's width: the long lines must reach this far for a margin to be seen


def read_pdf(path: str, limits: Limits = DEFAULT_LIMITS) -> str:
    import pdfplumber

    with _captured_warnings():
        try:
            with pdfplumber.open(path) as pdf:
                check(path, "page count", len(pdf.pages), limits.max_pages)
                pages = [_page_lines(page) for page in pdf.pages]
        except IngestError:
            raise
        except Exception as exc:  # pdfminer raises bare exceptions on many broken files
            raise _pdf_error(path, exc) from None
    if not any(_lines(entries) for entries in pages):
        raise UnsupportedFormat(path, "the PDF has no text layer (scanned images need OCR first)")
    return "\n".join(_join_lines(_strip_running(pages))) + "\n"


def _pdf_error(path: str, exc: Exception) -> IngestError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    # pdfplumber wraps pdfminer's exception in its own PdfminerException
    cause = exc.args[0] if type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], Exception) else exc
    text = " ".join(str(cause).split())
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or "password" in text.lower() or "encrypt" in text.lower():
        return UnsupportedFormat(path, "the PDF is encrypted (it needs a password to open)")
    detail = f"{type(cause).__name__}: {text[:200]}" if text else type(cause).__name__
    return IngestError(path, f"not a readable PDF ({detail})")


@contextmanager
def _captured_warnings():
    """pdfminer logs a warning line per damaged object (dozens on one bad file) and warns
    through ``warnings``: both are kept from the terminal; the error or the text says enough."""
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    saved = [(lg.propagate, lg.handlers[:]) for lg in loggers]
    for lg in loggers:
        lg.handlers, lg.propagate = [logging.NullHandler()], False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, (propagate, handlers) in zip(loggers, saved, strict=True):
            lg.handlers, lg.propagate = handlers, propagate


def _page_lines(page) -> list[tuple[str, str | list[str]]]:
    """One page as ("line", text) and ("rows", [table rows]) entries, top to bottom."""
    from .pdf_tables import page_tables

    entries: list[tuple[float, str, str | list[str]]] = []
    body = page
    for bbox, rows in page_tables(page):
        body = body.filter(lambda obj, b=bbox: not _inside(obj, b))
        entries.append((bbox[1], "rows", [" | ".join(cells) + " |" for cells in rows]))
    lines = [line for line in body.extract_text_lines() if line["text"].strip()]
    # The right margin: where most long lines end (one line may overrun it, as justified text does).
    longest = max((len(line["text"]) for line in lines), default=0)
    ends = sorted(line["x1"] for line in lines if len(line["text"]) >= DENSE_LINE * longest)
    right = ends[(3 * len(ends)) // 4] if ends else 0
    if right < TEXT_BLOCK * page.width:
        right = page.width * 2  # short lines only (headings, a table's title): no margin to reach
    for line in lines:
        # Reaching the right margin but for the next word's width: the line was broken there.
        reaches = line["x1"] >= right - MARGIN_SLACK * max(line["bottom"] - line["top"], 1)
        entries.append((line["top"], "line", Line(line["text"].rstrip(), reaches)))
    entries.sort(key=lambda e: (e[0], e[1] == "line"))
    return [(kind, value) for _, kind, value in entries]


class Line(str):
    """A page's line, knowing whether it runs to the right margin (``reaches``)."""

    reaches: bool

    def __new__(cls, text: str, reaches: bool = False):
        line = super().__new__(cls, text)
        line.reaches = reaches
        return line


def _lines(entries) -> list[str]:
    return [value for kind, value in entries if kind == "line"]


def _inside(obj, bbox) -> bool:
    x0, top, x1, bottom = bbox
    return obj.get("x0", 0) >= x0 - 1 and obj.get("x1", 0) <= x1 + 1 and obj.get("top", 0) >= top - 1 and obj.get("bottom", 0) <= bottom + 1


def _strip_running(pages: list[list]) -> list[list]:
    """Drop page numbers and lines that repeat at the top or bottom of most pages."""
    if len(pages) >= 3:
        edges = Counter()
        for entries in pages:
            lines = _lines(entries)
            for line in {*lines[:2], *lines[-2:]}:
                edges[_shape(line)] += 1
        running = {shape for shape, n in edges.items() if n >= max(3, len(pages) // 2)}
    else:
        running = set()
    out = []
    for entries in pages:
        count, index, kept = len(_lines(entries)), 0, []
        for kind, value in entries:
            if kind == "line":
                if not _is_running(value, index, count, running):
                    kept.append((kind, value))
                index += 1
            else:
                kept.append((kind, value))
        out.append(kept)
    return out


def _is_running(line: str, index: int, count: int, running: set[str]) -> bool:
    at_edge = index < 2 or index >= count - 2
    return at_edge and (bool(PAGE_NUMBER.match(line)) or _shape(line) in running)


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip())


def _join_lines(pages: list[list]) -> list[str]:
    out: list[str] = []
    open_line = False
    for entries in pages:
        width = max((len(line) for line in _lines(entries)), default=0)
        for kind, value in entries:
            if kind == "rows":
                out.extend(value)
                open_line = False
                continue
            stripped = value.strip()
            if open_line and out and not HEADING_START.match(stripped):
                out[-1] += stripped
            else:
                out.append(stripped)
            full = len(value) >= FULL_LINE * width or (getattr(value, "reaches", False) and len(value) >= DENSE_LINE * width)
            open_line = full and not stripped.endswith(SENTENCE_END) and not contents_entry(stripped)
    return out
