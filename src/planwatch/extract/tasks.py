"""Tasks: the smallest outline units that carry commitments, with deadlines and named bodies.

A task is a numbered item with a title sentence (实施方案 "28、建立更有竞争力的制度体系。……"),
a lead-sentence paragraph ("扩大绿色生态空间。结合实施……"), or a part/subpart whose body is
plain text with neither. Goal and guiding-principle sections are not tasks.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

from ..model import HEADING_KINDS, Node, Outline, Target, Task
from ..regexes import compiled
from .numbers import year_number
from .patterns import (
    BODY,
    BODY_ENDS,
    BODY_REACH,
    DEADLINE,
    DUE_BEFORE,
    FIVE_YEAR_END,
    FIVE_YEAR_LAST,
    FIVE_YEAR_SPAN,
    MONTH_DUE,
    RANGE_OPENING,
    REVIEW_TITLES,
    SINCE,
)
from .table_patterns import (
    CONTENT_COLUMN,
    DEADLINE_CELL_YEAR,
    DEADLINE_COLUMN,
    LEAD_COLUMN,
    SUPPORT_COLUMN,
    TASK_COLUMN,
)
from .tables import cell, column, filled_down, find_cell, row_units, tables_by_section
from .targets import COMPARED_WITH, LineContext, targets_in_line

GOAL_TITLES = compiled(r"指导思想|基本要求|基本原则|原则要求|发展目标|主要目标|远景目标|总体要求|总体目标|工作目标|工作要求|目标要求"
                         r"|行动目标|建设目标|具体目标|预期目标|阶段目标"
                         r"|规划背景|发展环境|发展形势")
# Guarantee chapters hold tasks only where they number concrete work items, or where a part
# assigns work with a deadline or a named lead unit (2027年6月底前开展中期评估; 牵头单位：市统计局).
# A work report's 政府自身建设 is the government's own conduct (坚持依法行政), like a plan's guarantees.
GUARANTEE_TITLES = compiled(r"保障措施|组织实施|实施保障|自身建设")
# A lead sentence that says what a time is, not what to do: 2026年是“十五五”规划开局之年。
PREAMBLE_TITLE = compiled(r"^(?:\d{4}年|今年|明年|当前|目前|今后[一二三四五]年|未来[一二三四五]年)(?:是|,|，)")
MONTH = compiled(r"(\d{1,2})月")
MIN_YEAR, MAX_YEAR = 1900, 2200
DATE_LINE = compiled(r"(?m)^[ \t\u3000]*(?:\d{4}|[〇零一二三四五六七八九]{4})年\d{1,2}月\d{1,2}日[ \t\u3000]*$")
# A task table's group row: 一、产业提升 / (一)既有住区更新 / 第一部分 …, short.
CATEGORY_NUMBER = compiled(r"^(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+(?:部分|类|项)\s*)")
CATEGORY_LENGTH = 30


def find_tasks(outline: Outline) -> list[Task]:
    doc = outline.document
    out: list[Task] = []

    def visit(node: Node, path: tuple[str, ...], goal: bool, guarantee: bool) -> None:
        for child in node.children:
            if child.kind in HEADING_KINDS:
                # what was achieved (a review: REVIEW_TITLES) commits no one either
                child_goal = goal or bool(GOAL_TITLES.search(child.title) or REVIEW_TITLES.search(child.title))
                child_guarantee = guarantee or bool(GUARANTEE_TITLES.search(child.title))
                blocked = child_goal or (child_guarantee and child.kind != "item" and not _assigns_work(doc.text, child))
                if not blocked and _is_task_heading(doc.text, child):
                    box = next((c.start for c in child.children if c.kind == "box"), child.end)
                    out.append(_task(outline, child, path, child.start, box))  # its own text, not its 专栏
                visit(child, (*path, _written_title(doc, child)) if child.title else path, child_goal, child_guarantee)
            elif (child.kind == "paragraph" and child.title and not goal and not PREAMBLE_TITLE.match(child.title)
                  and (not guarantee or _assigns_work(doc.text, child)) and _holds_paragraph_tasks(node)):
                out.append(_task(outline, child, path, child.start, child.end))

    visit(outline.root, (), False, False)
    out.extend(table_tasks(outline))
    out.sort(key=lambda t: t.text_start)
    return _without_past_dates(out, doc.metadata)


def _without_past_dates(tasks: list[Task], md) -> list[Task]:
    """A date years before the plan begins is not its deadline but a qualifier (对2000年以前建成的
    老旧小区实施整治); the year before may still be (a plan issued late in 2023: 2023年底前完成)."""
    first = md.period[0] if md.period else md.year
    if first is None:
        return tasks
    return [replace(t, deadlines=tuple(d for d in t.deadlines if d.year >= first - 1)) for t in tasks]


def table_tasks(outline: Outline) -> list[Task]:
    """One task per row of every task assignment table: ``序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限``."""
    return [task for table, path in tables_by_section(outline) for task in _rows_as_tasks(outline.document, table, path)]


@dataclass(frozen=True)
class TaskColumns:
    """Where a task table keeps the task, its detail, its units and its deadline."""

    task: int
    content: int | None
    lead: int | None
    support: int | None
    deadline: int | None


def task_columns(header: tuple[str, ...]) -> TaskColumns | None:
    """A task table's columns, or None: a task column and a unit or deadline column are needed."""
    lead = column(header, LEAD_COLUMN)
    support = column(header, SUPPORT_COLUMN, {lead} if lead is not None else set())
    deadline = column(header, DEADLINE_COLUMN)
    units = {i for i in (lead, support, deadline) if i is not None}
    task = column(header, TASK_COLUMN, units)
    if task is None or (lead is None and deadline is None):
        return None
    return TaskColumns(task, column(header, CONTENT_COLUMN, units | {task}), lead, support, deadline)


def task_table_targets(doc, table, section: tuple[str, ...], year: int | None) -> list[Target]:
    """The figures a task table's rows commit to (新增公共停车位3000个 in a 具体内容 cell): each
    a mention of its own, due when the row's 完成时限 says, else when its section does."""
    cols = task_columns(table.header)
    if cols is None:
        return []
    out: list[Target] = []
    searched = table.start
    for row in table.body:
        when = column_deadlines(cell(row, cols.deadline))
        ctx = LineContext(section, when[-1].year if when else year, "target")
        for text in dict.fromkeys(cell(row, i) for i in (cols.task, cols.content)):
            start = doc.text.find(text, searched, table.end or None) if text else -1
            if start >= 0:
                searched = start
                out.extend(targets_in_line(doc, start, start + len(text), ctx))
    return out


def _rows_as_tasks(doc, table, path: tuple[str, ...]) -> list[Task]:
    cols = task_columns(table.header)
    if cols is None:
        return []
    task, content, lead, support, deadline = cols.task, cols.content, cols.lead, cols.support, cols.deadline
    rows = filled_down(table.body, lead)
    # A task cell merged over several rows (the same text as the row above) is their heading:
    # each row's own content cell is then the task.
    tasks = [cell(row, task) for row in rows]
    merged = content is not None and any(a and a == b for a, b in zip(tasks, tasks[1:], strict=False))
    out, searched = [], table.start
    section = path
    for raw, row, text in zip(table.body, rows, tasks, strict=True):
        if (category := _category_row(raw)) is not None:
            section = (*path, category)  # 一、产业提升 across the table: the rows under it are its tasks
            continue
        detail = cell(row, content)
        own = detail if merged and detail else text
        if not own:
            continue
        start = find_cell(doc, table, own, searched)
        searched = max(searched, start)
        title = re.split(r"[。;；]", own, maxsplit=1)[0]
        if doc.text.startswith(title, start):  # as written in the file (original script and punctuation)
            title = doc.original_text(start, start + len(title))
        full = own if own == detail or not detail else own.rstrip("。") + "。" + detail
        when = cell(row, deadline)
        leads, others = row_units(row, lead, support)
        out.append(Task(
            doc=doc.name, title=title, text=full, section=section,
            # the cell's and the text's own
            deadlines=tuple(sorted({*column_deadlines(when, doc.metadata.year), *find_deadlines(full, doc.metadata.year)})),
            lead=leads, support=others,
            label=row[0].strip() if row and row[0].strip().isdigit() else "",
            span=doc.original_span(start, start + len(own)), text_start=start,
        ))
    return out


def _category_row(row: tuple[str, ...]) -> str | None:
    """A row that only names a group of the rows below (一、产业提升 in one cell, or merged across
    all of them): the group's name without its number."""
    filled = [c.strip() for c in row if c.strip()]
    if not filled or len(set(filled)) != 1 or (len(filled) != 1 and len(filled) != len(row)):
        return None
    text = filled[0]
    numbered = CATEGORY_NUMBER.match(text)
    if numbered is None or len(text) > CATEGORY_LENGTH:
        return None
    return text[numbered.end():].strip() or None


def column_deadlines(text: str, year: int | None = None) -> list[date]:
    """A 完成时限 cell: ``2025年底前`` → 2025-12-31; a bare ``2024年6月`` or ``2025年`` is due then;
    ``2024—2025年`` → 2025-12-31; ``长期坚持`` → none."""
    found = find_deadlines(text, year)
    if found:
        return found
    for m in DEADLINE_CELL_YEAR.finditer(text):
        d = _deadline_date(int(m.group(1)), f"{m.group(2)}月" if m.group(2) else None, "")
        if d and d not in found:
            found.append(d)
    return found[-1:] if found else []


def _assigns_work(text: str, node: Node) -> bool:
    """A guarantee chapter's part that gives work a deadline or a lead unit by name (牵头单位：…,
    市财政局牵头)."""
    body = text[node.start : node.end]
    # (a plan period there, 确保“十五五”期间各项目标任务落到实处, dates no work)
    return bool(LEAD_LABEL.search(body) or _by_verb(HEAD_VERB, body) or find_deadlines(body, spans=False))


def _written_title(doc, node: Node) -> str:
    """A heading's title as the file writes it (full-width punctuation, original script)."""
    at = doc.text.find(node.title, node.start, max(node.body_start, node.start + len(node.label) + len(node.title) + 8))
    return doc.original_text(at, at + len(node.title)) if at >= 0 else node.title


def _lead_paragraphs(node: Node) -> list[Node]:
    return [c for c in node.children if c.kind == "paragraph" and c.title]


def _holds_paragraph_tasks(node: Node) -> bool:
    """A heading whose only content is one lead-sentence paragraph is itself the task."""
    if node.kind == "document":
        return False
    if node.kind in ("part", "subpart") and not _has_subheadings(node):
        return len(_lead_paragraphs(node)) >= 2
    return True


def _has_subheadings(node: Node) -> bool:
    """Headings under a part other than a 专栏: a box lists its projects, the part's own text is still its task."""
    return any(c.kind in HEADING_KINDS and c.kind != "box" for c in node.children)


def _is_task_heading(text: str, node: Node) -> bool:
    if node.inferred or node.kind == "box":
        return False
    has_body_on_line = node.body_start > node.start and "。" in text[node.start : node.body_start]
    if node.kind in ("item", "subitem"):
        if any(c.kind == "subitem" for c in node.children):
            return False  # 3. 壮大软件业 with (1) (2) under it: those are the smallest units
        return has_body_on_line or not any(c.kind in HEADING_KINDS or c.title for c in node.children)
    if node.kind in ("part", "subpart"):
        if _has_subheadings(node):
            return False
        body = [c for c in node.children if c.kind == "paragraph"]
        # (一)完善设施布局。对……完成。 with nothing under it: the body is on the heading's own line
        return (bool(body) or has_body_on_line) and len(_lead_paragraphs(node)) < 2
    return False


def _task(outline: Outline, node: Node, path: tuple[str, ...], start: int, end: int) -> Task:
    doc = outline.document
    text = doc.text[start:end]
    title_at = text.find(node.title) if node.title else -1
    title = doc.original_text(start + title_at, start + title_at + len(node.title)) if title_at >= 0 else node.title
    lead, support = find_units(text)
    return Task(
        doc=doc.name, title=title, text=text, section=tuple(path), deadlines=tuple(find_deadlines(text, doc.metadata.year)),
        lead=tuple(lead), support=tuple(support), label=node.label, span=doc.original_span(start, end), text_start=start,
    )




def find_deadlines(text: str, year: int | None = None, spans: bool = True) -> list[date]:
    """``到2020年底`` → 2020-12-31; ``2022年上半年`` → 2022-06-30; ``2019年底前`` → 2019-12-31;
    ``2026—2028年，…`` → 2028-12-31; ``“十五五”期间`` → 2030-12-31; with the document's ``year``,
    ``6月底前`` → that year's 06-30 (年内 and 年底前 alone stay undated, as the guide has it)."""
    found: list[date] = []
    if "日" in text:
        text = DATE_LINE.sub("", text)  # a signature's date on its own line (2026年2月10日) is when it was issued
    for m in DEADLINE.finditer(text):
        prefix = text[max(0, m.start() - 2) : m.start("year")]
        when = m.group("when") or ""
        # 2027年软件业务收入突破200亿元: a year opening a clause dates it (2020年以来 does not)
        opens_clause = (m.start() == 0 or text[m.start() - 1] in "，,。；;：:\n") and not text.startswith(SINCE, m.end())
        opens_clause = opens_clause or bool(RANGE_OPENING.search(text, max(0, m.start() - 12), m.start()))
        if not (when or any(p in prefix for p in DUE_BEFORE) or m.group("month") or opens_clause):
            continue
        if text[m.end() : m.end() + 1] in ("的",) and not when:
            continue
        d = _deadline_date(year_number(m.group("year")), m.group("month"), when)
        if d and d not in found:
            found.append(d)
    for m in (*FIVE_YEAR_END.finditer(text), *(FIVE_YEAR_SPAN.finditer(text) if spans else ())):
        if COMPARED_WITH.search(text, max(0, m.start() - 3), m.start()) or \
                text.startswith(("以来", "”以来", "”时期以来", "时期以来"), m.end()):
            continue  # 较“十四五”期间增长50%, “十四五”以来: a period compared with or counted from, not a due date
        d = date(FIVE_YEAR_LAST[m.group(1)], 12, 31)
        if d not in found:
            found.append(d)
    if year is not None:
        for m in MONTH_DUE.finditer(text):
            if text[max(0, m.start() - 2) : m.start()].endswith(("每年", "每")):
                continue
            month = int(m.group("month")) if m.group("month") else 3 * "一二三四".index(m.group("quarter")) + 3
            d = _deadline_date(year, f"{month}月", "")
            if d and d not in found:
                found.append(d)
    return found


def _deadline_date(year: int, month: str | None, when: str) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None  # 〇〇〇〇年 is no year
    if month:
        mm = int(MONTH.match(month).group(1))
        if not 1 <= mm <= 12:
            return None
        return date(year, mm, calendar.monthrange(year, mm)[1])
    if when == "上半年":
        return date(year, 6, 30)
    if when == "年中":
        return date(year, 6, 30)
    if when.endswith("季度"):
        q = "一二三四1234".index(when[-3]) % 4 + 1
        return date(year, q * 3, calendar.monthrange(year, q * 3)[1])
    return date(year, 12, 31)


def find_bodies(text: str) -> list[str]:
    """Responsible bodies named in a task: 市发展改革委, 各区政府, 通州区 …"""
    lead, _ = find_units(text)
    return lead


# How plans name who does a task: labelled ((牵头单位:区科信局;配合单位:区住建委、区城管委)),
# or with a verb (区政务服务局牵头,各街道配合).
LEAD_LABELS = ("牵头单位", "牵头部门", "责任单位", "责任部门", "主责单位", "负责单位", "主办单位")
SUPPORT_LABELS = ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位")
# A label's units run to the next label, a semicolon or the closing parenthesis; a unit's own short
# parentheses stay in it (各县(市、区)人民政府).
_LABELLED_UNITS = r"\s*:\s*(?P<units>(?:(?!" + "|".join(LEAD_LABELS + SUPPORT_LABELS) + r")(?:[^;()【】\[\]\n。]|\([^()\n]{1,8}\))){1,200})"
# With a unit that leads named (牵头单位：A；责任单位：B、C), the units in charge support it.
HEAD_LABEL = compiled(r"(?:牵头单位|牵头部门)" + _LABELLED_UNITS)
LEAD_LABEL = compiled("(?:" + "|".join(LEAD_LABELS) + ")" + _LABELLED_UNITS)
SUPPORT_LABEL = compiled("(?:" + "|".join(SUPPORT_LABELS) + ")" + _LABELLED_UNITS)
# 县教育局、县卫健局按职责分工负责: the manner before the verb is not part of the last unit
MANNER = r"(?:按照职责分工|按职责分工|按照职责|按职责|分别|共同)?"
# Who leads (牵头), who is in charge (负责, 负责落实: the lead where no one leads, else a supporting
# unit: 市发展改革委牵头，市交通局按职责分工负责) and who supports (配合).
HEAD_TAIL = MANNER + r"牵头(?=[,;。、)]|$|推进|实施|组织|落实|负责|开展)"
CHARGE_TAIL = MANNER + r"负责(?:落实|实施|推进)?(?=[,;。、)]|$|,)"
SUPPORT_TAIL = MANNER + r"(?:配合|协同|参与)(?=[,;。)]|$)"
_UNITS_BEFORE = r"(?:由)?(?P<units>[^,;。:()]{2,40}?)"
HEAD_VERB = compiled(_UNITS_BEFORE + HEAD_TAIL)
CHARGE_VERB = compiled(_UNITS_BEFORE + CHARGE_TAIL)
SUPPORT_VERB = compiled(_UNITS_BEFORE + SUPPORT_TAIL)
# 市发展改革委会同市数据局…: the first leads, the ones it works with support.
WORKS_WITH = compiled(r"(?:^|[,;。(])(?P<lead>[^,;。:()会]{2,20}?)会同(?P<units>[^,;。:()]{2,40}?)(?=[,;。)]|等|对|开展|组织|研究|编制|制定|建立|推进)")
# The verb where it closes a clause: the lazy 2–40 scan above backtracks from every position,
# so it runs only on the texts where this finds something (a few in a hundred).
VERB_AT_END = {HEAD_VERB: compiled(HEAD_TAIL), CHARGE_VERB: compiled(CHARGE_TAIL), SUPPORT_VERB: compiled(SUPPORT_TAIL)}
UNIT_END = compiled(r"(?:局|委|办|委员会|政府|中心|公司|集团|街道|镇|乡|部|厅|院|所|队|会|处|站|馆|室|组|区|市|县|社|段)$")
# A clause that opens with a verb before 政府 is about government in general (坚持政府引导), not a body.
NOT_A_BODY = compiled(r"发挥|坚持|推动|建立|优化|集中|规范|保持|鼓励|加大|收回|推进|完善|加强|争取|化解|防范|落实|深化|强化|"
                      r"支持|引导|统筹|积极|稳妥|持续|着力|大力|切实|有序|加快|依法|结果|向|^在|^以|^由|^对|的|和")
# Units are split at 、 , ; / outside a unit's own parentheses (各县(市、区)人民政府 is one).
UNITS_SPLIT = compiled(r"[、,;/](?![^()]{0,12}\))")  # a unit's own parentheses are short: the look stays bounded
# 和 / 及 / 与 join two units only where the part before it ends as a unit does: 市工业和信息化局 is one.
UNITS_JOIN = compiled(r"和|及|与|以及")


def find_units(text: str) -> tuple[list[str], list[str]]:
    """(lead units, cooperating units) a task's text names.

    ``"…(牵头单位:区科信局;配合单位:区住房城乡建设委、区城市管理委)"`` → (["区科信局"], ["区住房城乡建设委", "区城市管理委"])
    """
    lead = _labelled(LEAD_LABEL, text)
    support = _labelled(SUPPORT_LABEL, text) or _by_verb(SUPPORT_VERB, text)
    if (heads := _labelled(HEAD_LABEL, text)) and len(heads) < len(lead):
        support, lead = [*support, *(u for u in lead if u not in heads)], heads
    if not lead:
        heads, charged = _by_verb(HEAD_VERB, text), _by_verb(CHARGE_VERB, text)
        lead, support = (heads, support + charged) if heads else (charged, support)
    if not lead and "会同" in text:
        for m in WORKS_WITH.finditer(text):
            units = _split_units(m.group("units"))
            if UNIT_END.search(m.group("lead").strip()) and units and all(UNIT_END.search(u) for u in units):
                lead, support = [m.group("lead").strip()], support + [u for u in units if u not in support]
                break
    if not lead:
        for clause in re.split(r"[,;。:]", text):
            clause = clause.strip()
            m = BODY.match(clause) if BODY_ENDS.search(clause, 0, BODY_REACH) else None
            if m and 2 < len(m.group(0)) <= 20 and m.group(0) not in lead and not NOT_A_BODY.search(m.group(0)):
                lead.append(m.group(0))
    return lead, [u for u in support if u not in lead]


def _labelled(pattern: re.Pattern[str], text: str) -> list[str]:
    out: list[str] = []
    for m in pattern.finditer(text):
        out += [u for u in _split_units(m.group("units")) if u not in out]
    return out


def _by_verb(pattern: re.Pattern[str], text: str) -> list[str]:
    out: list[str] = []
    if not VERB_AT_END[pattern].search(text):
        return out
    for m in pattern.finditer(text):
        units = _split_units(m.group("units"))
        if units and all(UNIT_END.search(u) for u in units):
            out += [u for u in units if u not in out]
    return out


def _split_units(text: str) -> list[str]:
    units = []
    for piece in UNITS_SPLIT.split(text.strip()):
        parts = UNITS_JOIN.split(piece)
        joined = len(parts) > 1 and all(UNIT_END.search(p.strip(" 等")) for p in parts[:-1])
        units += parts if joined else [piece]
    units = [u.strip(" 等") for u in units]
    return [u for u in units if 2 <= len(u) <= 20]
