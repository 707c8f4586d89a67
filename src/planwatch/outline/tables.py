"""Tables recovered from text: ``a | b | c |`` rows, one cell a line ending in ``|``, or one
cell a line with nothing marking the cells at all (``stacked_table``).

The second form (corpus file 004's 主要指标表) marks a row's end with a line of pipes,
one per empty cell; merged and blank cells are not positioned, so rows may be shorter
than the header and the extract stage aligns cells by content.
"""

from __future__ import annotations

from ..model import Table
from .patterns import (
    MARKDOWN_RULE,
    MIN_STACKED_COLUMNS,
    NUMBER_CELL,
    PIPES_ONLY,
    STACKED_CELL,
    STACKED_HEADER,
    STACKED_NAME,
    STACKED_VALUE,
    TABLE_HEADER_WORDS,
)


def parse_table_lines(lines: list[str], start: int = 0, end: int = 0, title: str | None = None) -> Table | None:
    """``["指标 | 目标 |", "增速(%) | 6 |"]`` → ``Table(rows=(("指标","目标"),("增速(%)","6")))``."""
    rows: list[tuple[str, ...]] = []
    pending: list[str] = []
    # Markdown rows open with a pipe; in ``a | b |`` rows a leading pipe is an empty first cell
    # (a category merged over the rows below: `` | 全员劳动生产率 | 16.2 |``).
    markdown = next((raw.strip().startswith("|") for raw in lines if raw.strip()), False)
    for raw in lines:
        line = raw.strip()
        if not line or MARKDOWN_RULE.match(line):
            continue
        if PIPES_ONLY.match(line):
            if pending:
                rows.append(tuple(pending))
                pending = []
            continue
        if "\t" in line and "|" not in line:  # a row copied from Word or a spreadsheet: tab-separated
            cells = [c.strip() for c in line.split("\t")]
        else:
            cells = [c.strip() for c in _pipe_row(line, markdown).split("|")]
        if len(cells) > 1:
            if pending:
                rows.append(tuple(pending))
                pending = []
            rows.append(tuple(cells))
        else:
            pending.append(cells[0])
    if pending:
        rows.append(tuple(pending))
    if not rows:
        return None
    header_rows = _header_rows(rows)
    if header_rows > 1 and len({len(r) for r in rows[:header_rows]}) == 1:
        rows = [merge_header(rows[:header_rows]), *rows[header_rows:]]
        header_rows = 1
    return Table(rows=tuple(rows), header_rows=header_rows, title=title, start=start, end=end)


def merge_header(rows: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Header lines of one width → one header, column by column, a merged cell said once:
    ``[("指标", "2025年", "2025年"), ("指标", "目标", "属性")]`` → ``("指标", "2025年目标", "2025年属性")``."""
    out = []
    for k in range(len(rows[0])):
        parts: list[str] = []
        for row in rows:
            if row[k] and (not parts or parts[-1] != row[k]):
                parts.append(row[k])
        out.append("".join(parts))
    return tuple(out)


def _pipe_row(line: str, markdown: bool = True) -> str:
    """``| a | b |`` (Markdown) and ``a | b |`` → ``a | b``: the outer pipes close cells, they
    open none; ``| b |`` in a table of ``a | b |`` rows is ``"" | b``."""
    line = line[:-1] if line.endswith("|") else line
    return line[1:] if markdown and line.startswith("|") and len(line) > 1 else line


def _header_rows(rows: list[tuple[str, ...]]) -> int:
    count = 0
    for row in rows[:3]:
        words = sum(1 for cell in row if any(w in cell for w in TABLE_HEADER_WORDS))
        numbers = sum(1 for cell in row if _numeric(cell))
        # A row opening with its 序号 (1, 2, …) is data even when a cell mentions a year.
        if words and numbers <= words and not _numeric(row[0]) and not any(c in ("约束性", "预期性") for c in row):
            count += 1
        else:
            break
    return count


def _numeric(cell: str) -> bool:
    s = cell.replace(".", "", 1).replace("%", "").replace(",", "")
    return s.isdigit()


def stacked_table(lines: list[str]) -> tuple[int, tuple[tuple[str, ...], ...]] | None:
    """A table written one cell a line with no separators: a run of header cells (指标名称 /
    单位 / 2025年目标 / 属性), then rows of as many cells. ``(lines used, rows)``, or None.

    ``["指标", "单位", "目标", "森林覆盖率", "%", "45"]`` → ``(6, (("指标", "单位", "目标"), ("森林覆盖率", "%", "45")))``
    """
    cells = [line.strip() for line in lines]
    width = 0
    while width < len(cells) and STACKED_HEADER.match(cells[width]):
        width += 1
    header = cells[:width]
    if width < MIN_STACKED_COLUMNS or not any(map(STACKED_NAME.search, header)) or not any(map(STACKED_VALUE.search, header)):
        return None
    end = width
    while end < len(cells) and STACKED_CELL.match(cells[end]) and not STACKED_HEADER.match(cells[end]):
        end += 1
    rows = tuple(tuple(cells[at : at + width]) for at in range(width, end - width + 1, width))
    if not rows or sum(any(map(NUMBER_CELL.match, row)) for row in rows) * 2 < len(rows):
        return None  # rows without figures: a list of short lines, not a table
    return width * (len(rows) + 1), (tuple(header), *rows)
