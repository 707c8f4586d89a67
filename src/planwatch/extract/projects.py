"""Named projects inside tasks, with the action the plan attaches to them.

``建成丰台河西第三水厂`` → ``Project(action="建成", name="丰台河西第三水厂")``. A verb governs a
、-list of names that ends at 等, at a closing verb (建设, 实施) or at punctuation; each list
item whose ending names a facility or programme (工程, 线, 医院, 公园, 水厂 …) is a project.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Outline, Project, Task

MODIFIERS = ("高标准", "高水平", "高质量", "全力", "加快", "积极", "重点", "研究", "全面", "基本", "谋划", "持续", "大力", "有序", "稳步", "力争")
VERBS = (
    "规划建设", "建成投用", "建成", "建设", "推进", "推动", "启动", "开工", "实施", "完成", "改造", "新建", "打造", "创建", "迁建",
    "改扩建", "扩建", "修复提升", "提升", "加快", "规划", "共建共管", "搭建",
)
ACTION_RE = re.compile(
    "((?:" + "|".join(MODIFIERS) + ")*(?:" + "|".join(sorted(VERBS, key=len, reverse=True)) + ")(?:并(?:" + "|".join(VERBS) + "))*)"
)
SUFFIXES = (
    "工程", "项目", "铁路", "城际", "高速", "公路", "国道", "大道", "大街", "路", "桥", "线", "站", "枢纽", "机场", "医院", "院区",
    "学校", "中学", "小学", "幼儿园", "校区", "大学", "公园", "绿道", "水厂", "厂", "园区", "园", "基地", "小镇", "古镇",
    "中心", "馆", "剧院", "体育场", "河", "水网", "湿地", "景区", "实验室", "市场", "段", "航站楼", "加速器", "东延", "西延",
    "南延", "北延", "一期", "二期", "三期", "四期", "绿心", "生态带", "绿化", "分院", "院", "楼",
)
NAME_END = re.compile(r"等|建设|实施|工作|落地|规划建设|改造提升|投入使用|[,;。:]")
GENERIC = re.compile(r"^(一批|一系列|各类|各项|重点|重大|相关|有关|配套|新型|现代|全区|全市|区域|高品质|高水平|公共|基础|一体化|多元|智慧|数字)")
# Descriptions rather than names: 面向国际人士的…医院, 若干家园中心, 3个交通枢纽.
DESCRIPTIVE = re.compile(r"的|若干|^(?:形成|在|并|及|治理|推动|建设)|\d+[个座所家条]")
PAREN_TAIL = re.compile(r"\([^()]*\)$")
MIN_NAME, MAX_NAME = 3, 30


def find_projects(outline: Outline, tasks: list[Task]) -> list[Project]:
    doc = outline.document
    out: list[Project] = []
    for task in tasks:
        for found in (_clause_projects(doc.name, clause, task) for clause in re.split(r"[,;。:]", task.text)):
            for project in found:
                at = task.text.find(project.quote)
                start = task.text_start + max(at, 0)
                span = doc.original_span(start, start + len(project.quote))
                out.append(replace(project, quote=doc.original[span.start : span.end], span=span))
    return out


def _clause_projects(doc: str, clause: str, task: Task) -> list[Project]:
    found = []
    for m in ACTION_RE.finditer(clause):
        rest = clause[m.end() :]
        end = NAME_END.search(rest)
        span = rest[: end.start()] if end else rest
        if not span:
            continue
        for name in re.split(r"、|和", span):
            name = name.strip()
            bare = PAREN_TAIL.sub("", name)
            if MIN_NAME <= len(bare) <= MAX_NAME and bare.endswith(SUFFIXES) and not GENERIC.match(name) and not DESCRIPTIVE.search(name) and not ACTION_RE.match(name):
                quote = clause[m.start() : m.end() + (end.end() if end else len(rest))].rstrip(",;。:")
                found.append(Project(doc=doc, name=name, action=m.group(1), quote=quote, section=task.section, task_title=task.title))
        if found:
            break
    return found
