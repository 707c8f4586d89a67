"""PDFs with a text layer: pages in order, running headers/footers and page numbers removed,
lines broken mid-sentence rejoined, tables kept as ``cell | cell |`` rows.

pdfplumber (MIT) rather than PyMuPDF (AGPL).
"""

from __future__ import annotations

import re
from collections import Counter

from ..errors import IngestError, UnsupportedFormat

PAGE_NUMBER = re.compile(r"^\s*[-—–－]*\s*(第\s*)?\d{1,4}\s*(页|/\s*\d+)?\s*[-—–－]*\s*$")
SENTENCE_END = tuple("。;；:：!！?？|")
HEADING_START = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+[章节篇]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|专栏)")
# A line at least this share of the page's longest line is full, so its sentence runs on.
FULL_LINE = 0.85


def read_pdf(path: str) -> str:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(path) as pdf:
            pages = [_page_lines(page) for page in pdf.pages]
    except PDFPasswordIncorrect:
        raise UnsupportedFormat(path, "the PDF is encrypted") from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(path, f"not a readable PDF ({type(exc).__name__})") from None
    except Exception as exc:  # pdfminer raises bare exceptions on many broken files
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise UnsupportedFormat(path, "the PDF is encrypted") from None
        raise IngestError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    if not any(lines for lines, _ in pages):
        raise UnsupportedFormat(path, "the PDF has no text layer (scanned images need OCR first)")
    return "\n".join(_join_lines(_strip_running(pages))) + "\n"


def _page_lines(page) -> tuple[list[str], list[str]]:
    """Return (text lines outside tables, table rows) for one page."""
    tables = page.find_tables()
    rows: list[str] = []
    body = page
    for table in tables:
        for row in table.extract():
            cells = [" ".join((c or "").split()) for c in row]
            if any(cells):
                rows.append(" | ".join(cells) + " |")
        x0, top, x1, bottom = table.bbox
        body = body.filter(lambda obj, b=(x0, top, x1, bottom): not _inside(obj, b))
    text = body.extract_text() or ""
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    return lines, rows


def _inside(obj, bbox) -> bool:
    x0, top, x1, bottom = bbox
    return obj.get("x0", 0) >= x0 - 1 and obj.get("x1", 0) <= x1 + 1 and obj.get("top", 0) >= top - 1 and obj.get("bottom", 0) <= bottom + 1


def _strip_running(pages: list[tuple[list[str], list[str]]]) -> list[tuple[list[str], list[str]]]:
    """Drop page numbers and lines that repeat at the top or bottom of most pages."""
    if len(pages) >= 3:
        edges = Counter()
        for lines, _ in pages:
            for line in {*lines[:2], *lines[-2:]}:
                edges[_shape(line)] += 1
        running = {shape for shape, n in edges.items() if n >= max(3, len(pages) // 2)}
    else:
        running = set()
    out = []
    for lines, rows in pages:
        kept = [line for i, line in enumerate(lines) if not _is_running(line, i, len(lines), running)]
        out.append((kept, rows))
    return out


def _is_running(line: str, index: int, count: int, running: set[str]) -> bool:
    at_edge = index < 2 or index >= count - 2
    return at_edge and (bool(PAGE_NUMBER.match(line)) or _shape(line) in running)


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip())


def _join_lines(pages: list[tuple[list[str], list[str]]]) -> list[str]:
    out: list[str] = []
    open_line = False
    for lines, rows in pages:
        width = max((len(line) for line in lines), default=0)
        for line in lines:
            stripped = line.strip()
            if open_line and out and not HEADING_START.match(stripped):
                out[-1] += stripped
            else:
                out.append(stripped)
            open_line = len(line) >= FULL_LINE * width and not stripped.endswith(SENTENCE_END)
        out.extend(rows)
        if rows:
            open_line = False
    return out
