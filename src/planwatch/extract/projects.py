"""Named projects inside tasks, with the action the plan attaches to them.

``建成丰台河西第三水厂`` → ``Project(action="建成", name="丰台河西第三水厂")``. A verb governs a
、-list of names that ends at 等, at a closing verb (建设, 实施) or at punctuation; each list
item whose ending names a facility or programme (工程, 线, 医院, 公园, 水厂 …) is a project.
"""

from __future__ import annotations

import re

from ..model import Outline, Project, Task
from ..regexes import compiled
from .numbers import cn_value
from .table_patterns import LEAD_COLUMN, SUPPORT_COLUMN
from .tables import cell, column, filled_down, find_cell, row_units, tables_by_section

MODIFIERS = ("高标准", "高水平", "高质量", "全力", "加快", "积极", "重点", "研究", "全面", "基本", "谋划", "持续", "大力", "有序", "稳步", "力争")
VERBS = (
    "规划建设", "建成投用", "建成", "建设", "推进", "推动", "启动", "开工", "实施", "完成", "改造", "新建", "打造", "创建", "迁建",
    "改扩建", "扩建", "修复提升", "提升", "加快", "规划", "共建共管", "搭建",
)
# The lookahead on the words' first characters lets the scan reject most positions with one
# set test instead of trying every branch (half the time of this, the slowest pattern).
ACTION_RE = compiled(
    "(?=[" + "".join(sorted({w[0] for w in MODIFIERS + VERBS})) + "])"
    "((?:" + "|".join(MODIFIERS) + ")*(?:" + "|".join(sorted(VERBS, key=len, reverse=True)) + ")(?:并(?:" + "|".join(VERBS) + "))*)"
)
SUFFIXES = (
    "工程", "项目", "铁路", "城际", "高速", "公路", "国道", "大道", "大街", "路", "桥", "线", "站", "枢纽", "机场", "医院", "院区",
    "学校", "中学", "小学", "幼儿园", "校区", "大学", "公园", "绿道", "水厂", "厂", "园区", "园", "基地", "小镇", "古镇",
    "中心", "馆", "剧院", "体育场", "河", "水网", "湿地", "景区", "实验室", "市场", "段", "航站楼", "加速器", "东延", "西延",
    "南延", "北延", "一期", "二期", "三期", "四期", "绿心", "生态带", "绿化", "分院", "院", "楼", "走廊", "船闸",
)
NAME_END = compiled(r"等|试点建设|建设|实施|工作|落地|规划建设|改造提升|投入使用|[,;。:]")
GENERIC = compiled(r"^(一批|一系列|各类|各项|重点|重大|相关|有关|配套|新型|现代|全区|全市|区域|高品质|高水平|公共|基础|一体化|多元|智慧|数字)")
# Descriptions rather than names: 面向国际人士的…医院, 若干家园中心, 3个交通枢纽.
DESCRIPTIVE = compiled(r"的|若干|^(?:形成|在|并|及|治理|推动|建设)|\d+[个座所家条]")
# A list closed by 等 + a category (A、B等道路建设; A、B3个交通枢纽) names projects whatever
# their own endings: the category says what they are.
CATEGORY = r"(?:项目|工程|道路|线路|干道|场景|平台|枢纽|停车场|公园|园区|绿道|场站|公交中心站|中心站)"
CATEGORY_AFTER = compiled(rf"^(?:一批|\d+大|[两三四五六七八九十]+大)?[\u4e00-\u9fff]{{0,4}}?{CATEGORY}")
COUNTED_TAIL = compiled(rf"^(?P<name>.+?)(?:\d+|[两三四五六七八九十]+)[个座所家条处][\u4e00-\u9fff]{{0,8}}?{CATEGORY}$")
# Actions written after the name: 加快凯旋大街改扩建, 推动良乡高教园区扩区.
TRAILING_ACTION = compiled(
    r"(?:加快实施|加快推进|加快|推动|推进|实施|促进)(?P<name>[^,;。、等]{3,24}?)(?P<action>改扩建|转型升级|扩区|拓宽升级|入地改造|迁建|改建)"
)
PAREN_TAIL = compiled(r"\([^()]*\)$")
CLAUSE = compiled(r"[^,;。:]+")
# A clause holding none of the endings or categories names no project: most clauses, skipped
# before the verb scan (the slowest pattern of extraction).
MAY_NAME = compiled("|".join(sorted({*SUFFIXES, *CATEGORY[3:-1].split("|")}, key=len, reverse=True)))
MIN_NAME, MAX_NAME = 3, 30
MAX_LABEL = 6  # characters of an item's label before its title: 12. / (十一)


# A project table (重大项目表): a name column, and an action or nature column where there is one.
NAME_COLUMN = compiled(r"项目名称|工程名称|项目$|^名称$")
NATURE_COLUMN = compiled(r"建设性质|项目性质|性质|类型")
NATURES = ("新建", "续建", "改扩建", "扩建", "改建", "迁建", "新开工", "竣工", "前期")
INVESTMENT_COLUMN = compiled(r"总投资|计划投资|投资额|投资规模|估算投资|投资估算")
YEARS_COLUMN = compiled(r"年限|起止|建设期|建设周期|建设时间|实施期限|实施年限")
INVESTMENT_UNIT = compiled(r"(亿元|万元|元)")
# The magnitude stays in the unit: 三千万元 is 3000 万元, as a table would write it.
AMOUNT = compiled(r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千点]+)\s*(亿元|万元|元)?")
YEAR_SPAN = compiled(r"(20\d{2})\s*年?\s*(?:[—–\-~至到]+\s*(20\d{2}))?")


def table_projects(outline: Outline) -> list[Project]:
    """``序号 | 项目名称 | 建设性质 | 建设内容`` rows → one project each, the nature as its action."""
    return [p for table, path in tables_by_section(outline) for p in _table_rows(outline.document, table, path)]


def _table_rows(doc, table, path) -> list[Project]:
    header = tuple(h.strip() for h in table.header)
    name_col = column(header, NAME_COLUMN)
    if name_col is None:
        return []
    nature_col = column(header, NATURE_COLUMN, {name_col})
    lead_col = column(header, LEAD_COLUMN, {name_col})
    support_col = column(header, SUPPORT_COLUMN, {name_col} | ({lead_col} if lead_col is not None else set()))
    money_col = column(header, INVESTMENT_COLUMN, {name_col})
    years_col = column(header, YEARS_COLUMN, {name_col})
    header_unit = INVESTMENT_UNIT.search(header[money_col]) if money_col is not None else None
    out, searched = [], table.start
    for row in filled_down(table.body, lead_col):
        name = cell(row, name_col)
        if not (MIN_NAME <= len(name) <= MAX_NAME * 2):
            continue
        nature = cell(row, nature_col)
        start = find_cell(doc, table, name, searched)
        searched = max(searched, start)
        span = doc.original_span(start, start + len(name))
        money, unit = investment(cell(row, money_col), header_unit.group(1) if header_unit else "")
        lead, others = row_units(row, lead_col, support_col)
        out.append(Project(doc=doc.name, name=doc.original[span.start:span.end], action=nature if nature in NATURES else "建设",
                           quote=doc.original[span.start:span.end], section=path, span=span, investment=money,
                           investment_unit=unit if money is not None else "", years=build_years(cell(row, years_col)),
                           lead=lead, support=others))
    return out


def investment(text: str, header_unit: str = "") -> tuple[float | None, str]:
    """A 总投资 cell: ``12.5`` under 总投资（亿元） → (12.5, "亿元"); ``三千万元`` → (3000.0, "万元")."""
    m = AMOUNT.search(text.replace(",", "").replace("，", ""))
    if not m:
        return None, ""
    value = cn_value(m.group(1))
    unit = m.group(2) or header_unit
    if value is None or not unit:
        return None, ""
    return value, unit


def build_years(text: str) -> tuple[int, int] | None:
    """A 建设年限 cell: ``2023—2025年`` → (2023, 2025); ``2024年`` → (2024, 2024)."""
    m = YEAR_SPAN.search(text)
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    return (first, last) if first <= last else None


def find_projects(outline: Outline, tasks: list[Task]) -> list[Project]:
    doc = outline.document
    out: list[Project] = table_projects(outline)
    for task in tasks:
        if (titled := _titled_project(doc, task)) is not None:
            out.append(titled)
        for clause in CLAUSE.finditer(task.text):
            for name, action, start, end in _clause_projects(clause.group()):
                span = doc.original_span(task.text_start + clause.start() + start, task.text_start + clause.start() + end)
                out.append(Project(doc=doc.name, name=name, action=action, quote=doc.original[span.start : span.end],
                                   section=task.section, task_title=task.title, span=span))
    return out


def _titled_project(doc, task: Task) -> Project | None:
    """A project list's entry, its name as the title (专栏: 1.北湖湿地公园：新建湿地公园120公顷):
    the title names a facility, no verb opens it, and a colon hands over to what is done."""
    name = task.title
    at = task.text.find(name, 0, len(name) + MAX_LABEL)  # after the item's label (1. / (一))
    rest = task.text[at + len(name) :] if at >= 0 else ""
    bare = PAREN_TAIL.sub("", name)
    if not rest.startswith((":", "：")) or not (MIN_NAME <= len(bare) <= MAX_NAME) or not bare.endswith(SUFFIXES):
        return None
    if ACTION_RE.match(name) or GENERIC.match(name) or DESCRIPTIVE.search(name):
        return None
    action = ACTION_RE.search(rest[:40])
    start = task.text_start + at
    span = doc.original_span(start, start + len(name) + (action.end() if action else 1))
    return Project(doc=doc.name, name=name, action=action.group(1) if action else "", quote=doc.original[span.start : span.end],
                   section=task.section, task_title=task.title, span=span)


def projects_in_text(text: str, doc: str = "") -> list[Project]:
    """The projects a sentence names, read clause by clause as in a task's text (``items add``
    reads a planner's quote this way); spans are left to the caller, which knows the text."""
    return [Project(doc=doc, name=name, action=action, quote=clause.group()[start:end])
            for clause in CLAUSE.finditer(text) for name, action, start, end in _clause_projects(clause.group())]


def _clause_projects(clause: str) -> list[tuple[str, str, int, int]]:
    """(name, action, quote start, quote end) of each project a clause names; the quote runs
    from the verb to the end of the list, positions within the clause."""
    if not MAY_NAME.search(clause):
        return []
    trailing = TRAILING_ACTION.search(clause)
    if trailing and PAREN_TAIL.sub("", trailing.group("name")).endswith(SUFFIXES) and not DESCRIPTIVE.search(trailing.group("name")):
        return [(trailing.group("name"), trailing.group("action"), trailing.start(), trailing.end())]
    found = []
    for m in ACTION_RE.finditer(clause):
        rest = clause[m.end() :]
        end = NAME_END.search(rest)
        span = rest[: end.start()] if end else rest
        if not span:
            continue
        names, categorised = _list_names(span, rest, end)
        for name in names:
            bare = PAREN_TAIL.sub("", name)
            named = categorised or bare.endswith(SUFFIXES)
            if MIN_NAME <= len(bare) <= MAX_NAME and named and not GENERIC.match(name) and not DESCRIPTIVE.search(name) and not ACTION_RE.match(name):
                found.append((name, m.group(1), m.start(), m.end() + (end.end() if end else len(rest))))
        if found:
            break
    return found


def _list_names(span: str, rest: str, end: re.Match | None) -> tuple[list[str], bool]:
    """The 、-list after a verb, and whether a closing category vouches for every item."""
    items = [x.strip() for x in re.split(r"、|和", span) if x.strip()]
    if not items:
        return [], False
    counted = COUNTED_TAIL.match(items[-1])
    if counted:
        return [*items[:-1], counted.group("name")], True
    if end is not None and end.group(0) == "等":
        return items, bool(CATEGORY_AFTER.match(rest[end.end() :]))
    return items, False
