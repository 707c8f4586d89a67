"""Tables on a PDF page, reassembled from word positions into one row per table row.

A cell that wraps leaves its pieces on several text lines: the metric's name split over
three lines, the values and 约束性 on the middle one, the unit in parentheses on the last::

    城镇居民人均可
    2  支配收入   42000  56000  预期性
    (元)

→ ``["2", "城镇居民人均可支配收入(元)", "", "42000", "56000", "预期性"]``. Columns come from the
ruled cells where pdfplumber's table finder sees rules (``lines`` strategy), else from where
the words stand (a 三线表 or a table with no rules at all). Horizontal rules bound rows; inside a
band of lines without rules, each line holding a value anchors a row and every other line joins
the anchor nearest to it (cells are centred vertically), a parenthesised unit the row above.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..regexes import compiled

# Words that make a line a header line, and a line a table's first.
HEADER_WORDS = ("指标", "序号", "目标", "属性", "类别", "单位", "现状", "基期", "基数", "名称", "年", "任务", "内容", "时限",
                "时间", "牵头", "责任", "推进", "配合", "备注", "值", "项目", "措施")
BINDINGS = ("约束性", "预期性")
VALUE = compiled(r"^(?:[≥≤<>＞＜]|约|不低于|不高于|不超过|超过)?\s*-?\d[\d.,]*\s*(?:%|‰)?\s*(?:以上|以下|以内|左右)?$|^[—\-/－]+$")
TAIL = compiled(r"^[(（]|^[)）]")
HEADING = compiled(r"^\s*(第[一二三四五六七八九十百零〇\d]+[章节篇]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|专栏)")
CJK = compiled(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef（）]")
# Words closer than this share of the font size belong to one cell; the space inside
# "第一章 总体要求" is about half a character, the gap between two cells several.
CELL_GAP = 1.5
# A table has at least this many lines of two or more cells.
MIN_TABLE_LINES = 3
# A one-cell line this share of the table's width or wider is running text, not a wrapped cell;
# a short one (up to SHORT_PIECE characters) at the table's left edge is a wrapped first cell.
WIDE_LINE = 0.7
SHORT_PIECE = 20


@dataclass
class _Line:
    top: float
    bottom: float
    segments: list[tuple[float, float, str]] = field(default_factory=list)  # x0, x1, text

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return " ".join(s[2] for s in self.segments)


def page_tables(page) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
    """Every table of one page as (bbox, rows of cells), the header row first, top to bottom."""
    words = page.extract_words(use_text_flow=False, keep_blank_chars=False)
    if not words:
        return []
    lines = _lines(words, merge=True)
    rules = sorted({round(e["top"], 1) for e in page.edges if e.get("orientation") == "h"})
    out = []
    ruled = [t for t in page.find_tables() if len(t.columns) >= 2]
    if ruled:
        word_lines = _lines(words, merge=False)
    for table in ruled:
        x0, top, x1, bottom = table.bbox
        inside = [ln for ln in word_lines if top - 1 <= ln.middle <= bottom + 1 and _within(ln, x0, x1)]
        edges = sorted({round(c[0], 1) for c in table.cells} | {round(c[2], 1) for c in table.cells})
        columns = list(zip(edges, edges[1:], strict=False))
        rows = _assemble(inside, columns, [r for r in rules if top - 1 <= r <= bottom + 1], by_centre=True)
        if rows:
            out.append((table.bbox, rows))
    taken = [bbox for bbox, _ in out]
    free = [ln for ln in lines if not any(b[1] - 1 <= ln.middle <= b[3] + 1 for b in taken)]
    for region in _regions(free):
        columns = _columns(region)
        if len(columns) < 2:
            continue
        top, bottom = region[0].top, region[-1].bottom
        rows = _assemble(region, columns, [r for r in rules if top - 1 <= r <= bottom + 1])
        if rows and len(rows) >= 2:
            x0 = min(s[0] for ln in region for s in ln.segments)
            x1 = max(s[1] for ln in region for s in ln.segments)
            out.append(((x0, top, x1, bottom), rows))
    out.sort(key=lambda t: t[0][1])
    return out


def _within(line: _Line, x0: float, x1: float) -> bool:
    return all(x0 - 2 <= s[0] and s[1] <= x1 + 2 for s in line.segments)


def _lines(words: list[dict], merge: bool) -> list[_Line]:
    """Words → text lines (by their top); with ``merge``, words closer than a cell gap join
    into one segment (where no rules say where cells end)."""
    heights = sorted(w["bottom"] - w["top"] for w in words)
    size = heights[len(heights) // 2] or 10.0
    lines: list[_Line] = []
    for w in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        line = next((ln for ln in reversed(lines[-3:]) if abs(ln.top - w["top"]) <= 0.3 * size), None)
        if line is None:
            line = _Line(w["top"], w["bottom"])
            lines.append(line)
        line.segments.append((w["x0"], w["x1"], w["text"]))
        line.bottom = max(line.bottom, w["bottom"])
    for line in lines:
        line.segments.sort()
    # Where words start, after the first of their line, on several lines: a column's left edge. A
    # cell filled almost to the next column (市生态环境局、各县(市、| 2026年底前) stays two cells there.
    starts = Counter(round(x0) for line in lines for x0, _, _ in line.segments[1:])
    edges = {x for x, n in starts.items() if n >= MIN_TABLE_LINES}
    for line in lines:
        if not merge:
            continue
        merged: list[tuple[float, float, str]] = []
        for x0, x1, text in line.segments:
            at_edge = any(round(x0) + d in edges for d in (-1, 0, 1))
            if merged and x0 - merged[-1][1] < CELL_GAP * size and not at_edge:
                px0, _, ptext = merged[-1]
                merged[-1] = (px0, x1, _join([ptext, text]))
            else:
                merged.append((x0, x1, text))
        line.segments = merged
    lines.sort(key=lambda ln: ln.top)
    return lines


def _regions(lines: list[_Line]) -> list[list[_Line]]:
    """Runs of lines laid out as a table: several lines of two or more cells, starting at a header
    line or a line holding a value, with one-cell lines (wrapped cells) between them."""
    out, run = [], []
    for line in lines:
        opens = len(line.segments) >= 2 and (bool(run) or _header_line(line) or _has_value(line))
        if opens or (run and _wrapped_piece(line, run)):
            run.append(line)
        else:
            _close(run, out)
            run = []
    _close(run, out)
    return out


def _wrapped_piece(line: _Line, run: list[_Line]) -> bool:
    """A one-cell line inside a table: narrower than the table and indented into a column, or
    short; a heading or a full-width line is the text after the table."""
    if len(line.segments) != 1 or HEADING.match(line.text):
        return False
    left = min(s[0] for ln in run for s in ln.segments)
    right = max(s[1] for ln in run for s in ln.segments)
    x0, x1, text = line.segments[0]
    size = line.bottom - line.top or 10.0
    if x1 - x0 >= WIDE_LINE * (right - left):
        return False
    return x0 > left + size or (len(text) <= SHORT_PIECE and not text.endswith("。"))


def _close(run: list[_Line], out: list[list[_Line]]) -> None:
    while run and len(run[-1].segments) == 1 and not TAIL.match(run[-1].text) and not _short_tail(run):
        run.pop()
    if sum(1 for ln in run if len(ln.segments) >= 2) >= MIN_TABLE_LINES and not _contents_like(run):
        out.append(run)


def _contents_like(run: list[_Line]) -> bool:
    """Headings with page numbers after them are a contents page, not a table."""
    entries = sum(1 for ln in run if HEADING.match(ln.segments[0][2]) and ln.segments[-1][2].isdigit())
    return entries * 2 >= len(run)


def _short_tail(run: list[_Line]) -> bool:
    """A last one-cell line close under the run's last row is that row's wrapped cell."""
    if len(run) < 2:
        return False
    last, before = run[-1], run[-2]
    return last.top - before.bottom < 0.5 * (before.bottom - before.top)


def _header_line(line: _Line) -> bool:
    cells = [s[2] for s in line.segments]
    return sum(1 for c in cells if any(w in c for w in HEADER_WORDS)) * 2 >= len(cells) and not _has_value(line)


def _has_value(line: _Line) -> bool:
    return any(VALUE.match(s[2]) or s[2] in BINDINGS for s in line.segments)


def _columns(region: list[_Line]) -> list[tuple[float, float]]:
    """Column extents: the x-ranges the body's cells cover, merged where they overlap."""
    first_body = next((i for i, ln in enumerate(region) if _has_value(ln)), 0)
    spans = sorted((s[0], s[1]) for ln in region[first_body:] for s in ln.segments)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + 1:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(a, b) for a, b in columns]


def _assemble(lines: list[_Line], columns: list[tuple[float, float]], rules: list[float], by_centre: bool = False) -> list[list[str]]:
    if not lines or len(columns) < 2:
        return []
    grid = [(line, _place(line, columns, by_centre)) for line in lines]
    bands = _bands(grid, rules)
    header_lines, body_bands = _split_header(bands)
    rows = [_merge([cells for _, cells in header_lines], len(columns))] if header_lines else []
    name = _name_column(grid)
    for band in body_bands:
        rows.extend(_merge(part, len(columns)) for part in _by_anchor(band, name))
    return [r for r in rows if any(r)]


def _place(line: _Line, columns: list[tuple[float, float]], by_centre: bool) -> list[str]:
    """A line's segments in their columns; without rules, a segment over several columns (a
    merged header cell) stands in each of them."""
    cells = [""] * len(columns)
    for x0, x1, text in line.segments:
        centre = (x0 + x1) / 2
        if by_centre:
            hit = [k for k, (a, b) in enumerate(columns) if a <= centre < b]
        else:
            hit = [k for k, (a, b) in enumerate(columns) if min(x1, b) - max(x0, a) > 0.5 * min(x1 - x0, b - a)]
        if not hit:
            hit = [min(range(len(columns)), key=lambda k: abs((columns[k][0] + columns[k][1]) / 2 - centre))]
        for k in hit:
            cells[k] = _join([cells[k], text])
    return cells


def _bands(grid, rules: list[float]) -> list[list[tuple[_Line, list[str]]]]:
    bands: list[list[tuple[_Line, list[str]]]] = []
    last_band = None
    for line, cells in grid:
        band = sum(1 for r in rules if r <= line.middle)
        if band != last_band:
            bands.append([])
            last_band = band
        bands[-1].append((line, cells))
    return bands


def _split_header(bands):
    """The header is the first band when rules set it apart, else the leading header lines."""
    if len(bands) > 1 and all(_header_cells(cells) for _, cells in bands[0]):
        return bands[0], bands[1:]
    first = bands[0]
    k = 0
    while k < len(first) and _header_cells(first[k][1]):
        k += 1
    return first[:k], [first[k:], *bands[1:]] if first[k:] else bands[1:]


def _header_cells(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    words = sum(1 for c in filled if any(w in c for w in HEADER_WORDS))
    return bool(filled) and words * 2 >= len(filled) and not any(VALUE.match(c) or c in BINDINGS for c in filled)


def _name_column(grid) -> int:
    counts: dict[int, int] = {}
    for _, cells in grid:
        for k, c in enumerate(cells):
            counts[k] = counts.get(k, 0) + len(CJK.findall(c))
    return max(counts, key=lambda k: counts[k]) if counts else 0


def _by_anchor(band, name: int) -> list[list[list[str]]]:
    """Split a band of lines into rows: one per anchor (a line with a value outside the name
    column); the other lines join the nearest anchor, a parenthesised tail the one above."""
    anchors = [i for i, (_, cells) in enumerate(band) if any((VALUE.match(c) or c in BINDINGS) for k, c in enumerate(cells) if c and k != name)]
    anchors, owner = _fold_anchors(band, anchors, name)
    if len(anchors) <= 1:
        return [[cells for _, cells in band]]
    for i, (line, cells) in enumerate(band):
        if i in owner:
            continue
        above = max((a for a in anchors if a < i), default=None)
        below = min((a for a in anchors if a > i), default=None)
        text = "".join(cells)
        if above is not None and (below is None or TAIL.match(text)):
            owner[i] = above
        elif below is not None and above is None:
            owner[i] = below
        else:
            up = line.middle - band[above][0].middle
            down = band[below][0].middle - line.middle
            owner[i] = above if up < down - 0.5 else below
    return [[band[i][1] for i in sorted(owner) if owner[i] == a] for a in anchors]


def _fold_anchors(band, anchors: list[int], name: int) -> tuple[list[int], dict[int, int]]:
    """Two neighbouring anchors filling different columns are one row (a 序号 set at the top
    of its cell, the values in the middle)."""
    out: list[int] = []
    owner: dict[int, int] = {}
    for a in anchors:
        if out:
            prev = band[out[-1]][1]
            cur = band[a][1]
            used_prev = {k for k, c in enumerate(prev) if c and k != name}
            used_cur = {k for k, c in enumerate(cur) if c and k != name}
            between = range(out[-1] + 1, a)
            if not used_prev & used_cur and all(not any(c for k, c in enumerate(band[i][1]) if k != name) for i in between):
                owner[a] = out[-1]
                continue
        out.append(a)
        owner[a] = a
    return out, owner


def _merge(lines: list[list[str]], width: int) -> list[str]:
    return [_join([cells[k] for cells in lines if k < len(cells)]) for k in range(width)]


def _join(parts: list[str]) -> str:
    """Pieces of one cell, without a space where Chinese text wraps: 城镇居民人均可 + 支配收入 →
    城镇居民人均可支配收入; Latin and digits keep one (GDP + per capita → GDP per capita)."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (CJK.match(out[-1]) or CJK.match(part[0]) or part[0] in "(%)" or out[-1] in "("):
            out += " "
        out += part
    return out
