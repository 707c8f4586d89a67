"""Tables in a Markdown plan as pandoc writes them from Word → the ``cell | cell |`` rows the
outline reads, with a map from each character back to the file.

Pandoc writes a table whose cells wrap as a grid table (``+----+----+`` borders, a cell's lines
stacked between them, ``+====+`` under the header) and a table with merged cells as raw HTML
(``<table>…<td rowspan="2">``); a plain pipe table needs nothing. A grid row becomes one line,
each cell's stacked pieces joined; an HTML table becomes its grid (html.table_lines). Borders
go. Everything else is kept character for character::

    "+--+--------+\\n| 1 | 森林覆 |\\n|   | 盖率   |\\n+--+--------+" → "1 | 森林覆盖率 |"
"""

from __future__ import annotations

import re

from ..regexes import compiled
from .limits import DEFAULT_LIMITS, Limits

GRID_BORDER = compiled(r"^[ \t]*\+(?:[-=:]+\+)+[ \t]*$")
GRID_ROW = compiled(r"^[ \t]*\|.*\|[ \t]*$")
HTML_TABLE = compiled(r"<table\b.*?</table\s*>", re.I | re.S)
MAY_HOLD_TABLE = compiled(r"^[ \t]*\+[-=]|<table\b", re.I | re.M)
ASCII_WORD = compiled(r"[A-Za-z0-9.%]")


def flatten_tables(text: str, path: str = "<text>", limits: Limits = DEFAULT_LIMITS) -> tuple[str, list[int] | None]:
    """``text`` with grid and HTML tables as pipe rows, and for each character of the result
    its index in ``text`` (None when there was no such table)."""
    if not MAY_HOLD_TABLE.search(text):
        return text, None
    out = _Out()
    pos = 0
    for start, end, rows in _tables(text, path, limits):
        out.keep(text, pos, start)
        for row_at, cells in rows:
            out.row(row_at, cells)
        pos = end
    out.keep(text, pos, len(text))
    return "".join(out.parts), out.kept


class _Out:
    """The result, built piece by piece with each character's index in the file."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.kept: list[int] = []

    def keep(self, text: str, start: int, end: int) -> None:
        self.parts.append(text[start:end])
        self.kept.extend(range(start, end))

    def add(self, chars: str, at: int) -> None:
        self.parts.append(chars)
        self.kept.extend([at] * len(chars))

    def row(self, at: int, cells: list[list[tuple[str, int]]]) -> None:
        """One row starting at ``at`` in the file: each cell a list of (piece, index of the piece)."""
        last = at
        for k, pieces in enumerate(cells):
            previous = ""
            for piece, where in pieces:
                if previous and ASCII_WORD.match(previous[-1]) and ASCII_WORD.match(piece[0]):
                    self.add(" ", where)
                self.parts.append(piece)
                self.kept.extend(range(where, where + len(piece)))
                previous, last = piece, where + len(piece) - 1
            self.add(" | " if k < len(cells) - 1 else " |", last)
        self.add("\n", last)


def _tables(text: str, path: str, limits: Limits):
    """(start, end, rows) of each grid or HTML table, in order; end includes the line break."""
    # Searched only up to the last </table>: an opening tag after it would scan to the end each time.
    closed = text.lower().rfind("</table")
    found = [(m.start(), m.end(), _html_rows(m.group(0), m.start(), path, limits))
             for m in HTML_TABLE.finditer(text, 0, text.find(">", closed) + 1 if closed >= 0 else 0)]
    found += list(_grid_tables(text))
    found.sort(key=lambda table: table[0])
    pos = 0
    for start, end, rows in found:
        if start >= pos:  # a grid drawn inside an HTML table's text is that table's
            yield start, min(len(text), end + (text[end : end + 1] == "\n")), rows
            pos = end


def _grid_tables(text: str):
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        start, line = lines[i]
        if not GRID_BORDER.match(line):
            i += 1
            continue
        rows, current, current_at, j = [], [], start, i + 1
        while j < len(lines) and (GRID_BORDER.match(lines[j][1]) or GRID_ROW.match(lines[j][1])):
            at, content = lines[j]
            if GRID_BORDER.match(content):
                if current:
                    rows.append((current_at, _joined(current)))
                current = []
            else:
                if not current:
                    current_at = at
                current.append(_cells(content, at))
            j += 1
        if rows and not current:
            end_at, end_line = lines[j - 1]
            yield start, end_at + len(end_line), rows
        i = j


def _cells(line: str, at: int) -> list[tuple[str, int]]:
    """The cells of one grid line, each (stripped text, its index in the file)."""
    out, pos = [], line.index("|") + 1
    while True:
        bar = line.find("|", pos)
        if bar < 0:
            return out
        raw = line[pos:bar]
        lead = len(raw) - len(raw.lstrip())
        out.append((raw.strip(), at + pos + lead))
        pos = bar + 1


def _joined(lines: list[list[tuple[str, int]]]) -> list[list[tuple[str, int]]]:
    """The stacked lines of one grid row → its cells, each the list of its non-empty pieces."""
    width = max(len(cells) for cells in lines)
    return [[cells[k] for cells in lines if k < len(cells) and cells[k][0]] for k in range(width)]


def _html_rows(html: str, at: int, path: str, limits: Limits) -> list[tuple[int, list[list[tuple[str, int]]]]]:
    """An embedded HTML table's rows (merged cells spread), each cell's text placed where it
    stands in the file, or at the last place found when the grid repeats a merged cell."""
    from selectolax.lexbor import LexborHTMLParser

    from .html import check_markup, table_lines

    check_markup(html, path, limits)
    node = LexborHTMLParser(html).css_first("table")
    rows, pos = [], 0
    for line in table_lines(node) if node is not None else []:
        cells = []
        for cell in line[: -len(" |")].split(" | "):
            found = html.find(cell, pos) if cell else -1
            if found >= 0:
                pos = found + len(cell)
            cells.append([(cell, at + (found if found >= 0 else max(pos - 1, 0)))] if cell else [])
        rows.append((at, cells))
    return rows
