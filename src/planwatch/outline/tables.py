"""Tables recovered from text: ``a | b | c |`` rows, or one cell a line ending in ``|``.

The second form (corpus file 004's 主要指标表) marks a row's end with a line of pipes,
one per empty cell; merged and blank cells are not positioned, so rows may be shorter
than the header and the extract stage aligns cells by content.
"""

from __future__ import annotations

from ..model import Table
from .patterns import MARKDOWN_RULE, PIPES_ONLY, TABLE_HEADER_WORDS


def parse_table_lines(lines: list[str], start: int = 0, end: int = 0, title: str | None = None) -> Table | None:
    """``["指标 | 目标 |", "增速(%) | 6 |"]`` → ``Table(rows=(("指标","目标"),("增速(%)","6")))``."""
    rows: list[tuple[str, ...]] = []
    pending: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or MARKDOWN_RULE.match(line):
            continue
        if PIPES_ONLY.match(line):
            if pending:
                rows.append(tuple(pending))
                pending = []
            continue
        cells = [c.strip() for c in _pipe_row(line).split("|")]
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


def _pipe_row(line: str) -> str:
    """``| a | b |`` and ``a | b |`` → ``a | b``: the outer pipes close cells, they open none."""
    line = line[:-1] if line.endswith("|") else line
    return line[1:] if line.startswith("|") and len(line) > 1 else line


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
