"""Indicator tables (主要指标表): one record per indicator row with a number.

Cells are aligned by content, not position: flattened tables (one cell a line) list a
row's blank and merged cells at its end, so the row ``2 | 劳动生产率(万元/人) | 38 | 预期性``
is read as: sequence number, metric (unit in its parentheses), values in the header's
column order, then the 属性 cell.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import HEADING_KINDS, Document, Outline, Span, Table, Target
from ..regexes import compiled
from .numbers import cn_value
from .table_patterns import (
    BASE_HEADER,
    BINDINGS,
    CHANGE_HEADER,
    GROWTH_HEADER,
    METRIC_HEADER,
    NOT_VALUE_HEADER,
    TARGET_HEADER,
    UNIT_HEADER,
    UNIT_ROLE,
    UNIT_SPLIT,
)

SEQ = compiled(r"^\d{1,3}$")
SEQ_HEADER = compiled(r"^(?:序号|编号|序)$")
NEUTRAL_HEADER = compiled(r"^(?:绝对数|数值|数量|本年|全年|实绩|完成|完成值|实际|现状|)$")
UNIT_IN_NAME = compiled(r"[(（]([^()（）]{1,12})[)）]\s*$")
CELL_VALUE = compiled(
    r"(?P<pre>≤|≥|<=|>=|<|>|不高于|不低于|不超过|超过|约|累计)?\s*(?P<num>\d+(?:\.\d+)?)(?:\s*[-~—至]\s*\d+(?:\.\d+)?)?\s*(?P<unit>%|‰)?\s*(?P<post>以上|以下|以内|左右)?"
)
YEAR_IN_HEADER = compiled(r"(20\d{2})\s*年")
# The lines above a table that speak for all its figures (单位：%; 表1 …比上年涨跌幅度).
CAPTION_REACH = 160
CAPTION_UNIT = compiled(r"^(?:单位|计量单位)\s*[:：]\s*(%|‰|[\u4e00-\u9fff/]{1,6})$")
CAPTION_CHANGE = compiled(r"涨跌幅|增减幅|增长速度|(?:比上年|同比)(?:增长|变动)")
# A column of what was reached by a year in a progress table (2022年完成值, 2023年实际完成).
DONE_HEADER = compiled(r"完成值|完成情况|实际完成|完成数|实现值|实际值|实绩")


def table_targets(doc: Document, table: Table, section: tuple[str, ...], horizon: int | None) -> list[Target]:
    if not table.header_rows or not any(c in BINDINGS for row in table.body for c in row) and not _has_target_column(table):
        return []
    # With only year columns (2020年 | 2025年 | 2035年) the target is the plan's own year, else the last.
    prefer = horizon or (doc.metadata.period[1] if doc.metadata.period else None)
    columns = _columns(table.header, prefer)
    done = [(i, int(m.group(1))) for i, h in enumerate(table.header) if DONE_HEADER.search(h) and (m := YEAR_IN_HEADER.search(h))]
    out = []
    search_from = table.start
    for row in table.body:
        row_from = search_from
        records, search_from = _row_targets(doc, table, row, columns, section, horizon, search_from, prefer)
        out.extend(records)
        if done:
            out.extend(_done_records(doc, table, row, done, section, row_from))
    return out


def _done_records(doc, table, row, done, section, search_from) -> list[Target]:
    """A progress table's 2022年完成值 column (指标 | 2020年基期 | 2025年目标 | 2022年完成值): what was
    reached by then, an actual of that year beside the row's target."""
    header = table.header
    metric = next((i for i, h in enumerate(header) if any(w in h for w in METRIC_HEADER) and not NOT_VALUE_HEADER.match(h)), 0)
    if len(row) != len(header) or not _is_name(row[metric]) or row[metric].strip() in header:
        return []
    name, unit = _metric_and_unit(row[metric])
    out = []
    for i, year in done:
        parsed = _parse_cell(row[i]) if row[i].strip() else None
        if parsed is None:
            continue
        value, comparator, cell_unit, cumulative = parsed
        renamed, kind_type = _unfilled_name(name, cumulative or row[i].lstrip().startswith(("〔", "[")), "年均" in name)
        if kind_type == "level":
            kind_type = _row_type(name, cumulative)
        span, quote, _ = _locate(doc, table, row[metric].strip(), row[i], search_from)
        out.append(Target(doc=doc.name, kind="actual", metric=renamed if kind_type != "level" else name, value=value,
                          unit=unit or cell_unit, comparator=comparator, type=kind_type, baseline=None, year=year,
                          year_explicit=bool(YEAR_IN_HEADER.search(quote)), binding=None, quote=quote, section=section,
                          span=span, in_table=True))
    return out


def _has_target_column(table: Table) -> bool:
    return any(any(w in c for w in TARGET_HEADER) for c in table.header)


def _columns(header: tuple[str, ...], prefer: int | None = None) -> list[str]:
    """Column roles after the metric column: 'base', 'target' or 'other'."""
    roles, seen_metric = [], False
    for cell in header:
        if "指标" in cell or "名称" in cell:
            seen_metric = True
            continue
        if not seen_metric or cell.strip() in ("属性", "指标属性", "类别", "单位", ""):
            continue
        if any(w in cell for w in BASE_HEADER) or ("年" in cell and not any(w in cell for w in TARGET_HEADER) and YEAR_IN_HEADER.search(cell)):
            roles.append(("base", cell))
        elif any(w in cell for w in TARGET_HEADER) or YEAR_IN_HEADER.search(cell):
            roles.append(("target", cell))
        elif GROWTH_HEADER.match(cell.strip()):
            roles.append(("growth", cell))
        else:
            roles.append(("other", cell))
    # As in _roles: with only year columns (2020年 | 2025年), a later year is the target.
    years = [i for i, (role, _) in enumerate(roles) if role == "base"]
    if len(years) > 1 and not any(role == "target" for role, _ in roles):
        chosen = _target_year([roles[i][1] for i in years], prefer)
        roles[years[chosen]] = ("target", roles[years[chosen]][1])
    return roles


def _target_year(headers: list[str], prefer: int | None) -> int:
    """Which of several year columns (the first is the base) holds the target: the one naming the
    plan's own year (2025年 in 2020年 | 2025年 | 2035年), else the last."""
    for k, header in enumerate(headers[1:], start=1):
        found = YEAR_IN_HEADER.search(header)
        if prefer and found and int(found.group(1)) == prefer:
            return k
    return len(headers) - 1


def _row_targets(doc, table, row, columns, section, horizon, search_from, prefer=None):
    """A row's record, and a second, annual_growth, where a 年均增长 column beside it is filled."""
    fields = _by_position(table.header, row, prefer) or _by_content(row, columns)
    if fields is None:
        return [], search_from
    metric_cell, unit_cell, binding, base_cell, target_cell, target_header, growth_cell, base_header = fields
    if metric_cell.strip() in table.header:
        return [], search_from  # the header again, where the table goes on over a page
    parsed = _parse_cell(target_cell) if target_cell else None
    if parsed is None:
        return _unfilled_row(doc, table, fields, section, horizon, search_from)
    value, comparator, cell_unit, cumulative = parsed
    metric, unit = _metric_and_unit(metric_cell)
    unit = unit or cell_unit or (unit_cell if unit_cell not in ("", "—", "-", "/") else "")
    base = _parse_cell(base_cell) if base_cell else None
    year_match = YEAR_IN_HEADER.search(target_header)
    year = int(year_match.group(1)) if year_match else horizon
    row_from = search_from
    span, quote, search_from = _locate(doc, table, metric_cell, target_cell, search_from)
    level = Target(
        doc=doc.name, kind="target", metric=metric, value=value, unit=unit, comparator=comparator,
        type=_row_type(metric, cumulative), baseline=base[0] if base else None, year=year,
        year_explicit=bool(YEAR_IN_HEADER.search(quote)), binding=binding, quote=quote, section=section, span=span,
        in_table=True,
    )
    growth = _parse_cell(growth_cell) if growth_cell and level.type != "annual_growth" else None
    if growth is None:
        return [level], search_from
    g_span, g_quote, _ = _locate(doc, table, metric_cell, growth_cell, row_from)
    return [level, replace(level, metric=f"{metric}年均增速", value=growth[0], unit="%", comparator=growth[1], type="annual_growth",
                           baseline=None, quote=g_quote, span=g_span, year_explicit=bool(YEAR_IN_HEADER.search(g_quote)))], search_from


def _unfilled_row(doc, table, fields, section, horizon, search_from):
    """A row whose target cell holds no number (—, 完成省下达任务): its 年均增长〔累计〕 cell is the
    target where filled (地区生产总值增长 | 5.6 | — | 5左右), else the figure it has is what was
    reached in the base year (GUIDE: a row with a number somewhere gives a record)."""
    metric_cell, unit_cell, binding, base_cell, _target, target_header, growth_cell, base_header = fields
    metric, unit = _metric_and_unit(metric_cell)
    for cell, kind, header in ((growth_cell, "target", target_header), (base_cell, "actual", base_header)):
        parsed = _parse_cell(cell) if cell else None
        if parsed is None:
            continue
        value, comparator, cell_unit, cumulative = parsed
        year_match = YEAR_IN_HEADER.search(header)
        year = int(year_match.group(1)) if year_match else (horizon if kind == "target" else None)
        name, kind_type = _unfilled_name(metric, cumulative or cell.lstrip().startswith(("〔", "[")), cell is growth_cell)
        span, quote, search_from = _locate(doc, table, metric_cell, cell, search_from)
        base = _parse_cell(base_cell) if kind == "target" and base_cell else None
        return [Target(
            doc=doc.name, kind=kind, metric=name, value=value,
            unit=unit or cell_unit or (unit_cell if unit_cell not in ("", "—", "-", "/") else ""),
            comparator=comparator, type=kind_type, baseline=base[0] if base else None, year=year, year_explicit=bool(YEAR_IN_HEADER.search(quote)),
            binding=binding, quote=quote, section=section, span=span, in_table=True,
        )], search_from
    return [], search_from


def _unfilled_name(metric: str, cumulative: bool, averaged: bool) -> tuple[str, str]:
    """地区生产总值增长 in a 年均增长 column → 地区生产总值年均增速 (annual_growth); 能耗降低〔14.5〕 →
    能耗降幅 (decrease); a rate that states a level (城镇调查失业率 <5.5) stays itself."""
    grows = re.search(r"(?:年均)?(?:增长|增速|增幅)$", metric)
    if grows:
        return metric[: grows.start()] + ("年均增速" if averaged or "年均" in grows.group() else "增速"), "annual_growth"
    falls = re.search(r"(?:累计)?(?:下降|降低|减少)$", metric)
    if falls:
        return metric[: falls.start()] + "降幅", "decrease"
    return metric, "increase" if cumulative and metric.startswith(("新增", "新建")) else "level"


def _by_position(header: tuple[str, ...], row: tuple[str, ...], prefer: int | None = None):
    """A row as long as its header (Markdown, HTML, docx and ruled PDF tables): cells by column.

    ``指标 | 单位 | 2020年 | 2025年目标 | 属性`` over ``森林覆盖率 | % | 41 | 45 | 约束性``
    → ("森林覆盖率", "%", "约束性", "41", "45", "2025年目标").
    """
    if len(row) != len(header) or len(header) < 3:
        return None
    metric = next((i for i, h in enumerate(header) if any(w in h for w in METRIC_HEADER) and not NOT_VALUE_HEADER.match(h)), None)
    if metric is None or not _is_name(row[metric]):
        return None
    unit = next((row[i] for i, h in enumerate(header) if UNIT_HEADER.match(h.strip())), "")
    binding = next((c.strip() for c in row if c.strip() in BINDINGS), None)
    roles = _roles(header, metric, prefer)
    target = next((i for i, role in roles if role == "target" and row[i].strip()), None)
    if target is None:
        return None
    # the base is the year before the target (2020年 of 2015年 | 2020年 | 2025年), else the first
    bases = [i for i, role in roles if role == "base"]
    base = max((i for i in bases if i < target), default=bases[0] if bases else None)
    growth = next((row[i] for i, h in enumerate(header) if i > metric and GROWTH_HEADER.match(h.strip())), "")
    return (row[metric], unit, binding, row[base] if base is not None else "", row[target], header[target], growth,
            header[base] if base is not None else "")


def _roles(header: tuple[str, ...], metric: int, prefer: int | None = None) -> list[tuple[int, str]]:
    out = []
    for i, cell in enumerate(header):
        if i <= metric or NOT_VALUE_HEADER.match(cell.strip()):
            continue
        if any(w in cell for w in BASE_HEADER) or (YEAR_IN_HEADER.search(cell) and not any(w in cell for w in TARGET_HEADER)):
            out.append((i, "base"))
        elif any(w in cell for w in TARGET_HEADER) or YEAR_IN_HEADER.search(cell):
            out.append((i, "target"))
    # With only year columns (2020年 | 2025年), a later year is the target (_target_year), the first the base.
    if out and not any(r == "target" for _, r in out):
        chosen = _target_year([header[i] for i, _ in out], prefer) if len(out) > 1 else 0
        out[chosen] = (out[chosen][0], "target")
    return out


def _by_content(row: tuple[str, ...], columns):
    """Flattened rows (one cell a line) list blank and merged cells at their end: align by content."""
    cells = [c for c in row if c]
    binding = next((c for c in cells if c in BINDINGS), None)
    metric_index = _metric_index(cells)
    if metric_index is None:
        return None
    values = [c for c in cells[metric_index + 1 :] if c not in BINDINGS]
    roles = columns or [("target", "")]
    base_cell, target_cell, target_header, growth_cell, base_header = "", None, "", "", ""
    for (role, header), cell in zip(roles, values, strict=False):
        if role == "base" and not base_cell:
            base_cell, base_header = cell, header
        elif role == "target" and target_cell is None:
            target_cell, target_header = cell, header
        elif role == "growth" and not growth_cell:
            growth_cell = cell
    if target_cell is None and values and not any(r == "target" for r, _ in roles):
        target_cell = values[-1]
    return cells[metric_index], "", binding, base_cell, target_cell, target_header, growth_cell, base_header


def _metric_index(cells: list[str]) -> int | None:
    for i, cell in enumerate(cells):
        if SEQ.match(cell) and i + 1 < len(cells) and _is_name(cells[i + 1]):
            return i + 1
    for i, cell in enumerate(cells):
        if _is_name(cell) and len(cell) >= 4 and cell not in BINDINGS:
            # a category cell (减量提质) is followed by the sequence number, not a value
            if i + 1 < len(cells) and SEQ.match(cells[i + 1]):
                continue
            return i
    return None


def _is_name(cell: str) -> bool:
    return sum(1 for ch in cell if "\u4e00" <= ch <= "\u9fff") >= 2 and not cell.startswith(("达到", "不高于", "与"))


def _parse_cell(cell: str):
    m = CELL_VALUE.search(cell)
    if not m:
        return None
    value = cn_value(m.group("num"))
    if value is None:
        return None
    if cell.strip().startswith(("-", "－", "−")) and m.start("num") <= 2:
        value = -value  # 发电量 | 567.8 | -1.4: it fell
    pre, post = m.group("pre") or "", m.group("post") or ""
    comparator = "="
    if pre in ("≤", "<=", "<", "不高于", "不超过") or post in ("以下", "以内"):
        comparator = "<="
    elif pre in ("≥", ">=", ">", "不低于", "超过") or post == "以上":
        comparator = ">="
    elif pre == "约" or post == "左右":
        comparator = "~"
    if "-" in m.group(0) or "~" in m.group(0):
        comparator = ">="
    value = int(value) if float(value).is_integer() else value
    return value, comparator, m.group("unit") or "", pre == "累计"


def _metric_and_unit(cell: str) -> tuple[str, str]:
    m = UNIT_IN_NAME.search(cell)
    if m:
        return cell[: m.start()].strip(), m.group(1).strip()
    return cell.strip(), ""


def _row_type(metric: str, cumulative: bool) -> str:
    if re.search(r"年均(增速|增长)", metric):
        return "annual_growth"
    if metric.startswith(("新增", "新建")) or cumulative:
        return "increase"
    if re.search(r"(累计)?(下降|降低|减少)$|减排量$", metric):
        return "decrease"
    return "level"


def _locate(doc: Document, table: Table, metric_cell: str, value_cell: str, search_from: int):
    text = doc.text
    m_at = text.find(metric_cell, search_from, table.end + 1)
    if m_at < 0:
        m_at = text.find(metric_cell, table.start, table.end + 1)
    v_at = text.find(value_cell, max(m_at, 0) + len(metric_cell), table.end + 1) if m_at >= 0 else -1
    if m_at < 0 or v_at < 0:
        at = text.find(value_cell, search_from, table.end + 1)
        if at < 0:
            return Span(table.start, table.end), value_cell, search_from
        span = doc.original_span(at, at + len(value_cell))
        return span, doc.original[span.start : span.end], at + len(value_cell)
    end = v_at + len(value_cell)
    span = doc.original_span(m_at, end)
    return span, doc.original[span.start : span.end], end


def results_table_targets(doc: Document, table: Table, section: tuple[str, ...], year: int | None) -> list[Target]:
    """What a results table reports, one actual per figure (a communiqué's 表2 主要工业产品产量):
    ``产品名称 | 单位 | 产量 | 比上年增长(%)`` over ``原煤 | 万吨 | 1234.5 | 3.2`` → 原煤产量 1234.5 万吨
    and 原煤产量增速 3.2 %. The 指标 / 名称 column (else the first after a 序号) names the row; a 单位
    column, a header's or the name's parentheses give the unit; a column of changes gives annual_growth."""
    header = table.header
    if len(header) < 2 or not table.body:
        return []
    unit_col = next((i for i, h in enumerate(header) if UNIT_HEADER.match(h.strip())), None)
    # The column that names the rows: 指标 / 名称 / 产品 / 项目, else the first (a 序号 column is skipped).
    named = [i for i, h in enumerate(header) if any(w in h for w in (*METRIC_HEADER, "产品", "项目"))]
    name_col = named[0] if named else 1 if SEQ_HEADER.match(header[0].strip()) else 0
    # 产业 | 行业 | 增加值: a column of names after the first is the row's own name, the first its category
    while name_col + 1 < len(header) and name_col + 1 != unit_col and all(
            len(row) == len(header) and _is_name(row[name_col + 1]) and _parse_cell(row[name_col + 1]) is None for row in table.body):
        name_col += 1
    columns = [i for i in range(name_col + 1, len(header)) if i != unit_col and not NOT_VALUE_HEADER.match(header[i].strip())]
    levels = [i for i in columns if not CHANGE_HEADER.search(header[i])]
    years = {i: int(m.group(1)) for i in levels if (m := YEAR_IN_HEADER.search(header[i]))}
    base_col = None
    if len(years) == len(levels) > 1:  # 2015年 | 2020年: the latest is the figure, the earliest its baseline
        base_col = min(years, key=years.get)
        columns = [i for i in columns if i in levels and years[i] == max(years.values()) or i not in levels]
        levels = [i for i in levels if i in columns]
    caption_unit, all_changes = _caption(doc, table)
    if all_changes and len(levels) == len(columns):
        # 表1 居民消费价格比上年涨跌幅度 | 指标 | 全省 | 城市 | 农村: every figure is a change (where no
        # column says which are: 表1 主要农产品产量及其增长速度 | 产量 | 比上年增长(%))
        levels = []
    out: list[Target] = []
    search_from = table.start
    for row in table.body:
        if len(row) != len(header) or not _is_name(row[name_col]):
            continue
        name, name_unit = _metric_and_unit(row[name_col])  # 地区生产总值(亿元): the unit in the name
        for i in columns:
            parsed = _parse_cell(row[i]) if row[i].strip() else None
            if parsed is None:
                continue
            value, comparator, cell_unit, _ = parsed
            label, header_unit = _metric_and_unit(header[i])
            change = i not in levels
            unit = "%" if change else (cell(row, unit_col) or header_unit or name_unit or cell_unit or caption_unit)
            # 原煤 under 产量 is 原煤产量 (and its change 原煤产量增速); under 2020年 or 绝对数 it is 原煤
            named_by = _metric_and_unit(header[levels[0]])[0] if change and levels else label
            # 发电量 under 产量 is 发电量 already: a name that is itself an amount takes no second one
            said = name.endswith("量") and named_by.endswith("量")
            metric = name if said or YEAR_IN_HEADER.search(named_by) or NEUTRAL_HEADER.match(named_by) else f"{name}{named_by}"
            base = _parse_cell(row[base_col]) if base_col is not None and not change and row[base_col].strip() else None
            span, quote, search_from = _locate(doc, table, row[name_col].strip(), row[i], search_from)
            out.append(Target(doc=doc.name, kind="actual", metric=f"{metric}增速" if change else metric, value=value, unit=unit,
                              comparator=comparator, type="annual_growth" if change else "level",
                              baseline=base[0] if base else None, year=years.get(i, year),
                              year_explicit=bool(YEAR_IN_HEADER.search(quote)), binding=None, quote=quote, section=section,
                              span=span, in_table=True))
    return out


def _caption(doc: Document, table: Table) -> tuple[str, bool]:
    """What the lines just above a table say of all its figures: a unit (单位：%) and whether they
    are changes (表1 居民消费价格比上年涨跌幅度)."""
    before = doc.text[max(0, table.start - CAPTION_REACH) : table.start].rstrip("\n").split("\n")[-2:]
    unit = next((m.group(1) for line in before if (m := CAPTION_UNIT.match(line.strip()))), "")
    return unit, any(CAPTION_CHANGE.search(line) for line in before)


def tables_by_section(outline: Outline) -> list[tuple[Table, tuple[str, ...]]]:
    """Every table of the outline with the titles of the headings that hold it."""
    out: list[tuple[Table, tuple[str, ...]]] = []

    def visit(node, path: tuple[str, ...]) -> None:
        out.extend((table, path) for table in node.tables)
        for child in node.children:
            visit(child, (*path, child.title) if child.kind in HEADING_KINDS and child.title else path)

    visit(outline.root, ())
    return out


def column(header: tuple[str, ...], pattern: re.Pattern[str], skip=frozenset()) -> int | None:
    """The first header cell (not in ``skip``) that ``pattern`` finds something in."""
    return next((i for i, h in enumerate(header) if i not in skip and pattern.search(h)), None)


def cell(row: tuple[str, ...], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def find_cell(doc: Document, table: Table, text: str, search_from: int) -> int:
    """Where a cell's text starts in the document, searching the table from ``search_from`` on."""
    at = doc.text.find(text, search_from, table.end or None)
    return at if at >= 0 else table.start


def filled_down(rows, index: int | None) -> list[tuple[str, ...]]:
    """An empty lead-unit cell (under a merged cell, as flat text leaves it) takes the unit above."""
    out, last = [], ""
    for row in rows:
        if index is not None and not cell(row, index) and last:
            row = (*row, *[""] * (index + 1 - len(row)))
            row = (*row[:index], last, *row[index + 1 :])
        last = cell(row, index) or last
        out.append(tuple(row))
    return out


def cell_units(row: tuple[str, ...], index: int | None) -> tuple[str, ...]:
    return tuple(u for u in UNIT_SPLIT.split(cell(row, index)) if u)


def row_units(row: tuple[str, ...], lead: int | None, support: int | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lead, supporting) units of a row. One 责任单位 cell may mark its lead itself
    (区科信局(牵头)、区住建委; 区住建委牵头,各街道配合): the marked units lead and the others support;
    unmarked, the whole cell leads."""
    marked = [(UNIT_ROLE.sub("", u), role.group(0) if (role := UNIT_ROLE.search(u)) else "") for u in cell_units(row, lead)]
    marked = [(u, role) for u, role in marked if u]
    leads = tuple(u for u, role in marked if "牵头" in role or "负责" in role)
    if leads or any(role for _, role in marked):
        leads = leads or tuple(u for u, role in marked if not role)
        others = tuple(u for u, _ in marked if u not in leads)
    else:
        leads, others = tuple(u for u, _ in marked), ()
    return leads, tuple(dict.fromkeys(u for u in others + cell_units(row, support) if u not in leads))
