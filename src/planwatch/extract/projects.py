"""Named projects inside tasks, with the action the plan attaches to them.

``建成丰台河西第三水厂`` → ``Project(action="建成", name="丰台河西第三水厂")``. A verb governs a
、-list of names that ends at 等, at a closing verb (建设, 实施) or at punctuation; each list
item whose ending names a facility or programme (工程, 线, 医院, 公园, 水厂 …) is a project.
"""

from __future__ import annotations

import re

from ..model import Outline, Project, Task

ACTIONS = (
    "加快推进", "加快建设", "加快实施", "重点建设", "重点推进", "研究推进", "研究建设", "积极推动", "全力推动", "全面完成", "基本建成",
    "谋划启动", "推动实施", "启动建设", "开工建设", "建成投用", "高标准建成", "规划建设", "改扩建", "迁建",
    "建成", "建设", "推进", "推动", "加快", "启动", "开工", "实施", "完成", "改造", "新建", "打造", "创建",
)
SUFFIXES = (
    "工程", "项目", "铁路", "城际", "高速", "公路", "国道", "大道", "大街", "路", "桥", "线", "站", "枢纽", "机场", "医院", "院区",
    "学校", "中学", "小学", "幼儿园", "校区", "大学", "公园", "绿道", "水厂", "厂", "园区", "产业园", "科技园", "基地", "小镇",
    "中心", "馆", "剧院", "体育场", "场馆", "河", "水网", "湿地", "森林", "景区", "实验室", "平台", "市场", "设施", "东延", "西延",
    "南延", "北延", "二期", "三期", "一期", "四期",
)
ACTION_RE = re.compile("(" + "|".join(sorted(ACTIONS, key=len, reverse=True)) + ")")
NAME_END = re.compile(r"等|建设|实施|工作|落地|规划建设|改造提升|投入使用|[,;。:]")
GENERIC = re.compile(r"^(一批|一系列|各类|重点|重大|相关|有关|配套|新型|现代|全区|全市|城市|区域|高品质|高水平|公共|基础)")
MIN_NAME, MAX_NAME = 3, 30


def find_projects(outline: Outline, tasks: list[Task]) -> list[Project]:
    doc = outline.document
    out: list[Project] = []
    for task in tasks:
        for clause in re.split(r"[,;。:]", task.text):
            out.extend(_clause_projects(doc.name, clause, task))
    return out


def _clause_projects(doc: str, clause: str, task: Task) -> list[Project]:
    found = []
    for m in ACTION_RE.finditer(clause):
        rest = clause[m.end() :]
        end = NAME_END.search(rest)
        span = rest[: end.start()] if end else rest
        if not span:
            continue
        for name in re.split(r"、|和(?=[\u4e00-\u9fff]{3})", span):
            name = name.strip()
            if MIN_NAME <= len(name) <= MAX_NAME and name.endswith(SUFFIXES) and not GENERIC.match(name) and not ACTION_RE.match(name):
                quote = clause[m.start() : m.end() + (end.end() if end else len(rest))].rstrip(",;。:")
                found.append(Project(doc=doc, name=name, action=m.group(1), quote=quote, section=task.section, task_title=task.title))
        if found:
            break
    return found
