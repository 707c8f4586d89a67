"""Column header words of plan tables, as data: which column of an indicator table holds the
target, the base value, the unit, the 属性; which column of a task table (重点任务清单, 任务分工,
责任分工) holds the task, its lead and cooperating units and its deadline.

Adding a header word is editing a pattern here; ``tests/test_tables.py`` runs over them.
"""

from __future__ import annotations

from ..regexes import compiled

# Indicator tables (主要指标表).
BINDINGS = ("约束性", "预期性")
TARGET_HEADER = ("目标", "规划", "预期")
BASE_HEADER = ("现状", "基期", "基数", "基准")
# A column of the period's average growth beside the levels (2020年 | 2025年 | 年均增长): a second
# record, annual_growth, for each row that fills it (GUIDE: a growth figure beside a level).
# A results table's change column (比上年增长(%), 增速(%), 增减(%)): an annual_growth record per row.
CHANGE_HEADER = compiled(r"(?:比上年|同比)?(?:增长|增速|增幅|增减|增长率)")
# Also 年均增长〔累计〕, 年均增长/累计, 年均/累计: the column holds a rate or, bracketed, a five-year total.
GROWTH_HEADER = compiled(r"^(?:年均增长|年均增速|年均增长率|年均增幅|年均)(?:\s*(?:/|\(|\[|〔|【)\s*累计\s*(?:\)|\]|〕|】)?)?(?:\(%\))?$")
METRIC_HEADER = ("指标", "名称")
# Columns that hold neither the metric nor a value (属性 also as 2025年属性 under a merged 2025年).
NOT_VALUE_HEADER = compiled(r"^(?:.*属性|类别|单位|计量单位|备注|)$")
UNIT_HEADER = compiled(r"^(?:计量)?单位$")

# Task tables. A single 推进单位 / 责任单位 column is the lead.
# The first match from the left is taken, so a title column (重点工作) wins over the content beside it.
TASK_COLUMN = compiled(r"任务|重点工作|工作名称|工作内容|主要内容|具体内容|工作措施|具体措施|主要措施|举措|工作事项|事项")
# When the task column is a merged category (one 重点任务 over several rows), the rows' own
# content column names each task.
CONTENT_COLUMN = compiled(r"具体内容|工作内容|主要内容|具体措施|工作措施|主要措施|任务内容|工作任务|具体任务")
LEAD_COLUMN = compiled(r"牵头|责任单位|责任部门|主责|负责单位|责任主体|推进单位|实施单位|承办单位|主办单位|责任处室")
SUPPORT_COLUMN = compiled(r"配合|协办|参与单位|协同")
DEADLINE_COLUMN = compiled(r"时限|完成时间|时间节点|进度安排|完成期限|时间安排|完成年限")
UNIT_SPLIT = compiled(r"[、,，;；/\s]+")
# A role written on a unit inside one unit cell: 区科信局(牵头), 区住建委牵头, 各街道配合.
UNIT_ROLE = compiled(r"\(?(?:牵头单位|牵头|负责|配合单位|配合|协办|参与)\)?$")
# A deadline cell may state a bare year (2025年) or a span (2024—2025年): the end is due.
DEADLINE_CELL_YEAR = compiled(r"(20\d{2})\s*年?\s*(?:(\d{1,2})\s*月)?(?![\d\-—~至到])")
