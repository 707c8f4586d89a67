"""Layouts a plan arrives in: contents pages, tables in every disguise, task annexes.

Every document here is our own fictional text, generated at test time.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from planwatch.extract import extract
from planwatch.ingest import document_from_text, read_document
from planwatch.outline import parse_outline
from planwatch.outline.contents import contents_lines
from planwatch.outline.parser import _is_heading
from planwatch.outline.tables import parse_table_lines
from planwatch.pipeline import process

CONTENTS_PLAN = """临河区绿色发展规划
目  录
第一章 总体要求……………………1
一、指导思想 ........ 2
二、发展目标 ........ 3
第二章 重点任务\t5
专栏1 重点工程 .......... 8
第一章 总体要求
一、指导思想
坚持绿色发展。推进生态优先,建设美丽临河。
二、发展目标
到2025年,森林覆盖率达到45%。
第二章 重点任务
扩大绿色空间。新建口袋公园10个。
治理河湖水系。建成北湖湿地。
"""


def _outline(text: str):
    return parse_outline(document_from_text(text))


def _headings(outline) -> list[tuple[str, str]]:
    return [(n.kind, n.title) for n in outline.headings()]


def test_contents_page_gives_no_heading_and_no_task():
    outline = _outline(CONTENTS_PLAN)
    assert _headings(outline) == [("chapter", "总体要求"), ("part", "指导思想"), ("part", "发展目标"), ("chapter", "重点任务")]
    assert not outline.warnings
    tasks = extract(outline).tasks
    assert [t.title for t in tasks] == ["扩大绿色空间", "治理河湖水系"]
    assert not any("……" in t.text or "...." in t.text for t in tasks)


@pytest.mark.parametrize(("lines", "dropped"), [
    # dot leaders and a page number drop the line wherever it stands
    (["前言 ................ 1", "正文。"], {0}),
    # a hand-typed contents list: entries without page numbers, the same headings again below
    (["目录", "第一章 总体要求", "第二章 重点任务", "第一章 总体要求", "第二章 重点任务"], {0, 1, 2}),
    # three headings ending in page numbers after a page break lost the 目录 title
    (["第一章 总体要求 1", "第二章 重点任务 4", "第三章 保障措施 9", "第一章 总体要求"], {0, 1, 2}),
    # a single heading with a number at its end is no contents page
    (["一、到2025年目标 2025", "正文。"], set()),
    # body text that merely mentions 目录 stays
    (["建立重点产业人才目录。", "编制政务服务事项目录,2025年底前完成。"], set()),
])
def test_contents_lines(lines, dropped):
    assert contents_lines(lines, _is_heading) == dropped


def test_markdown_pipe_table_rows_are_cells():
    table = parse_table_lines(["| 指标 | 单位 | 2025年目标 | 属性 |", "|---|:---:|---:|---|", "| 森林覆盖率 | % | 45 | 约束性 |"])
    assert table.rows == (("指标", "单位", "2025年目标", "属性"), ("森林覆盖率", "%", "45", "约束性"))
    assert table.header_rows == 1


def test_markdown_indicator_table_gives_records():
    text = "临河区绿色发展规划\n一、主要指标\n\n| 序号 | 指标 | 单位 | 2025年目标 | 属性 |\n| --- | --- | --- | --- | --- |\n" \
           "| 1 | 森林覆盖率 | % | 45 | 约束性 |\n| 2 | 新增口袋公园 | 个 | 30 | 预期性 |\n"
    targets = extract(_outline(text)).targets
    assert [(t.metric, t.value, t.unit, t.year, t.binding) for t in targets] == [
        ("森林覆盖率", 45, "%", 2025, "约束性"), ("新增口袋公园", 30, "个", 2025, "预期性")]


ANNEX = """临河区城市更新三年行动方案
一、工作目标
到2025年,完成老旧小区改造。
附件
重点任务清单
序号 | 任务 | 具体内容 | 推进单位 | 完成时限 |
1 | 推进老旧小区改造 | 完成青溪小区等12个小区改造,加装电梯30部。 | 区住房城乡建设委 | 2024年 |
2 | 完善社区养老服务 | 新建社区养老驿站8个。 |  | 2025年6月 |
3 | 建设口袋公园 | 建成口袋公园20处。 | 区园林绿化局、区城市管理委 | 2024—2025年 |
4 | 健全长效管理机制 | 制定物业管理办法。 | 区城市管理委 | 长期坚持 |
"""


def test_annex_task_list_with_a_single_unit_column():
    tasks = process_text(ANNEX).tasks
    assert [t.title for t in tasks] == ["推进老旧小区改造", "完善社区养老服务", "建设口袋公园", "健全长效管理机制"]
    assert [t.lead for t in tasks] == [("区住房城乡建设委",), ("区住房城乡建设委",), ("区园林绿化局", "区城市管理委"), ("区城市管理委",)]
    assert [t.deadlines for t in tasks] == [(date(2024, 12, 31),), (date(2025, 6, 30),), (date(2025, 12, 31),), ()]
    assert all(t.support == () for t in tasks)
    assert "加装电梯30部" in tasks[0].text


def test_task_cell_merged_over_rows_makes_each_content_row_a_task():
    text = "临河区行动方案\n二、任务分工\n序号 | 重点任务 | 具体内容 | 牵头单位 | 配合单位 |\n" \
           "1 | 优化营商环境 | 推行企业开办一网通办。 | 区政务服务局 | 区市场监管局 |\n" \
           "2 | 优化营商环境 | 压缩工程建设项目审批时间。 | 区住房城乡建设委 | 区政务服务局 |\n"
    tasks = process_text(text).tasks
    assert [t.title for t in tasks] == ["推行企业开办一网通办", "压缩工程建设项目审批时间"]
    assert tasks[1].lead == ("区住房城乡建设委",) and tasks[1].support == ("区政务服务局",)


def process_text(text: str):
    return extract(_outline(text))


def test_pdf_contents_page_is_dropped(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "contents.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 11)
    c.drawString(250, 780, "目  录")
    entries = [("第一章 总体要求", 1), ("一、指导思想", 1), ("二、发展目标", 2), ("第二章 重点任务", 3), ("附件 重点任务清单", 5)]
    for k, (entry, page) in enumerate(entries):
        leader = "." * (70 - 2 * len(entry))
        c.drawString(72, 740 - 22 * k, f"{entry}{leader}{page}")
    c.showPage()
    c.setFont("STSong-Light", 11)
    y = 780
    for line in ["第一章 总体要求", "一、指导思想", "坚持绿色发展。推进生态优先,建设美丽临河。", "二、发展目标", "到2025年,森林覆盖率达到45%。",
                 "第二章 重点任务", "扩大绿色空间。新建口袋公园10个。", "治理河湖水系。建成北湖湿地。"]:
        c.drawString(72, y, line)
        y -= 20
    c.save()
    outline = parse_outline(read_document(path))
    assert _headings(outline) == [("chapter", "总体要求"), ("part", "指导思想"), ("part", "发展目标"), ("chapter", "重点任务")]
    assert [t.title for t in extract(outline).tasks] == ["扩大绿色空间", "治理河湖水系"]


def test_assign_from_text_uses_the_annex_units(tmp_path, run_cli):
    path = tmp_path / "城市更新行动方案.txt"
    path.write_text(ANNEX, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run_cli("ingest", path, "--db", db).exit_code == 0
    result = run_cli("assign", "--plan", "1", "--from-text", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[1] == {"item": "T2", "lead": "区住房城乡建设委", "support": []}
    assert rows[2] == {"item": "T3", "lead": "区园林绿化局", "support": ["区城市管理委"]}


# -- PDF indicator tables whose cells wrap ------------------------------------------------------

INDICATOR_HEADER = (["序号"], ["指标名称"], ["单位"], ["2020年", "基期"], ["2025年", "目标"], ["属性"])
INDICATOR_ROWS = [
    (["1"], ["森林覆盖率"], ["%"], ["41"], ["45"], ["约束性"]),
    (["2"], ["城镇居民人均可", "支配收入", "(元)"], [""], ["42000"], ["56000"], ["预期性"]),
    (["3"], ["单位地区生产总", "值能耗降低", "(%)"], [""], ["—"], ["14"], ["约束性"]),
    (["4"], ["新增城镇就业", "(万人)"], [""], ["—"], ["3.5"], ["预期性"]),
]
EXPECTED_ROWS = [
    "序号 | 指标名称 | 单位 | 2020年基期 | 2025年目标 | 属性 |",
    "1 | 森林覆盖率 | % | 41 | 45 | 约束性 |",
    "2 | 城镇居民人均可支配收入(元) |  | 42000 | 56000 | 预期性 |",
    "3 | 单位地区生产总值能耗降低(%) |  | — | 14 | 约束性 |",
    "4 | 新增城镇就业(万人) |  | — | 3.5 | 预期性 |",
]


def _canvas(path):
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 10)
    return c


def _draw_row(c, xs, cells, top, lead=14, pad=6, first_top=False):
    """One table row; each cell's lines centred vertically (the first cell at the top if asked)."""
    height = max(len(lines) for lines in cells) * lead + 2 * pad
    for k, lines in enumerate(cells):
        first = top - pad - 10 if first_top and k == 0 else top - height / 2 + (len(lines) - 1) * lead / 2 - 4
        for j, line in enumerate(lines):
            c.drawString(xs[k] + 4, first - j * lead, line)
    return top - height


@pytest.mark.parametrize("rules", ["grid", "three-line", "none"])
def test_pdf_indicator_table_with_wrapped_cells(tmp_path, rules):
    path = tmp_path / f"indicators-{rules}.pdf"
    c = _canvas(path)
    xs = [72, 110, 250, 300, 370, 440, 510]
    c.drawString(72, 790, "一、主要指标")
    c.drawString(72, 770, "表1 临河区“十四五”时期主要指标")
    tops = [755]
    for row in (INDICATOR_HEADER, *INDICATOR_ROWS):
        tops.append(_draw_row(c, xs, row, tops[-1]))
    if rules != "none":
        for y in tops if rules == "grid" else (tops[0], tops[1], tops[-1]):
            c.line(xs[0], y, xs[-1], y)
    if rules == "grid":
        for x in xs:
            c.line(x, tops[0], x, tops[-1])
    c.drawString(72, tops[-1] - 30, "二、重点任务")
    c.drawString(72, tops[-1] - 50, "扩大绿色空间。新建口袋公园10个。")
    c.save()
    lines = read_document(path).text.splitlines()
    assert lines[2:7] == EXPECTED_ROWS
    assert lines[7:] == ["二、重点任务", "扩大绿色空间。新建口袋公园10个。"]
    targets = [t for t in process(path).targets if t.binding]
    assert [(t.metric, t.value, t.unit, t.baseline, t.year, t.binding) for t in targets] == [
        ("森林覆盖率", 45, "%", 41, 2025, "约束性"),
        ("城镇居民人均可支配收入", 56000, "元", 42000, 2025, "预期性"),
        ("单位地区生产总值能耗降低", 14, "%", None, 2025, "约束性"),
        ("新增城镇就业", 3.5, "万人", None, 2025, "预期性"),
    ]


def test_pdf_table_without_row_rules_over_two_pages(tmp_path):
    """Column rules and a border only, 序号 at the top of its cell, the table going on overleaf."""
    path = tmp_path / "indicators-pages.pdf"
    c = _canvas(path)
    xs = [72, 110, 260, 330, 400, 470]
    rows = [(["1"], ["地区生产总值年均", "增长(%)"], ["—"], ["6.5"], ["预期性"]),
            (["2"], ["常住人口城镇化率", "(%)"], ["61"], ["65"], ["预期性"]),
            (["3"], ["细颗粒物(PM2.5)", "年均浓度", "(微克/立方米)"], ["38"], ["33"], ["约束性"]),
            (["4"], ["每千人口拥有执业", "(助理)医师数(人)"], ["2.9"], ["3.4"], ["预期性"])]
    c.drawString(72, 790, "专栏1 主要指标")
    for page, chunk in enumerate(([(["序号"], ["指标"], ["2020年"], ["2025年"], ["属性"]), *rows[:2]], rows[2:])):
        start = top = 760 if page == 0 else 780
        for k, row in enumerate(chunk):
            top = _draw_row(c, xs, row, top, lead=13, pad=5, first_top=True)
            if page == 0 and k == 0:
                c.line(xs[0], top, xs[-1], top)
        for x in xs:
            c.line(x, start, x, top)
        c.line(xs[0], start, xs[-1], start)
        c.line(xs[0], top, xs[-1], top)
        if page:
            c.drawString(72, top - 30, "二、重点任务")
        c.drawString(300, 30, f"- {page + 1} -")
        c.showPage()
        c.setFont("STSong-Light", 10)
    c.save()
    lines = read_document(path).text.splitlines()
    assert lines == ["专栏1 主要指标", "序号 | 指标 | 2020年 | 2025年 | 属性 |", "1 | 地区生产总值年均增长(%) | — | 6.5 | 预期性 |",
                     "2 | 常住人口城镇化率(%) | 61 | 65 | 预期性 |", "3 | 细颗粒物(PM2.5)年均浓度(微克/立方米) | 38 | 33 | 约束性 |",
                     "4 | 每千人口拥有执业(助理)医师数(人) | 2.9 | 3.4 | 预期性 |", "二、重点任务"]
    targets = process(path).targets
    assert [(t.metric, t.value, t.type, t.baseline, t.year) for t in targets] == [
        ("地区生产总值年均增长", 6.5, "annual_growth", None, 2025), ("常住人口城镇化率", 65, "level", 61, 2025),
        ("细颗粒物(PM2.5)年均浓度", 33, "level", 38, 2025), ("每千人口拥有执业(助理)医师数", 3.4, "level", 2.9, 2025)]


# -- merged cells in HTML and Word tables -------------------------------------------------------

HTML_TABLE = """<html><body><div id="content"><p>临河区生态环境保护规划</p><p>一、主要指标</p><table>
<tr><th rowspan="2">序号</th><th rowspan="2">指标</th><th rowspan="2">单位</th><th>2020年</th><th colspan="2">2025年</th></tr>
<tr><th>基期</th><th>目标</th><th>属性</th></tr>
<tr><td colspan="6">一、生态环境</td></tr>
<tr><td>1</td><td>森林覆盖率</td><td>%</td><td>41</td><td>45</td><td>约束性</td></tr>
<tr><td>2</td><td>新增口袋公园</td><td rowspan="2">个</td><td>—</td><td>30</td><td>预期性</td></tr>
<tr><td>3</td><td>新建社区体育公园</td><td>—</td><td>12</td><td>预期性</td></tr>
</table><p>二、重点任务</p><p>扩大绿色空间。新建口袋公园30个。</p></div></body></html>"""


def test_html_rowspan_and_colspan_fill_the_grid(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(HTML_TABLE, encoding="utf-8")
    doc = read_document(path)
    assert "3 | 新建社区体育公园 | 个 | — | 12 | 预期性 |" in doc.text.splitlines()
    outline = parse_outline(doc)
    table = next(n for n in outline.root.walk() if n.tables).tables[0]
    assert table.header == ("序号", "指标", "单位", "2020年基期", "2025年目标", "2025年属性")
    assert _headings(outline) == [("part", "主要指标"), ("part", "重点任务")]
    targets = [t for t in extract(outline).targets if t.binding]
    assert [(t.metric, t.value, t.unit, t.baseline, t.year, t.binding) for t in targets] == [
        ("森林覆盖率", 45, "%", 41, 2025, "约束性"), ("新增口袋公园", 30, "个", None, 2025, "预期性"),
        ("新建社区体育公园", 12, "个", None, 2025, "预期性")]


def _docx_annex(path):
    import docx

    document = docx.Document()
    document.add_paragraph("临河区城市更新三年行动方案")
    document.add_paragraph("一、工作目标")
    document.add_paragraph("到2025年,完成老旧小区改造。")
    document.add_paragraph("附件 重点任务清单")
    rows = [("序号", "重点任务", "具体内容", "推进单位", "配合单位", "完成时限"),
            ("一、居住环境", "", "", "", "", ""),
            ("1", "推进老旧小区改造", "完成青溪小区等12个小区改造。", "区住房城乡建设委", "各街道", "2024年底前"),
            ("2", "加装电梯", "加装电梯30部。", "", "区市场监管局", "2025年"),
            ("3", "建设口袋公园", "建成口袋公园20处。", "区园林绿化局", "区城市管理委", "2024年6月")]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            if text:
                table.cell(r, k).text = text
    table.cell(1, 0).merge(table.cell(1, 5))  # the category row spans the table
    table.cell(2, 3).merge(table.cell(3, 3))  # one 推进单位 over rows 1 and 2
    document.save(path)


def test_docx_merged_cells_and_a_task_annex(tmp_path):
    path = tmp_path / "annex.docx"
    _docx_annex(path)
    lines = read_document(path).text.splitlines()
    assert "一、居住环境 |  |  |  |  |  |" in lines
    assert "2 | 加装电梯 | 加装电梯30部。 | 区住房城乡建设委 | 区市场监管局 | 2025年 |" in lines
    tasks = process(path).tasks
    assert [(t.label, t.title, t.lead, t.support) for t in tasks] == [
        ("1", "推进老旧小区改造", ("区住房城乡建设委",), ("各街道",)),
        ("2", "加装电梯", ("区住房城乡建设委",), ("区市场监管局",)),
        ("3", "建设口袋公园", ("区园林绿化局",), ("区城市管理委",))]
    assert [t.deadlines for t in tasks] == [(date(2024, 12, 31),), (date(2025, 12, 31),), (date(2024, 6, 30),)]


# A table whose every cell is its own line (a Word table pasted as text, or converted to paragraphs).
STACKED = """临河区绿色发展规划
一、主要指标
到2025年主要指标如下。
指标名称
单位
2025年目标
属性
森林覆盖率
%
45
约束性
新增口袋公园
个
30
预期性
细颗粒物年均浓度
微克/立方米
28
约束性
二、重点任务
建设北湖湿地公园。
"""


def test_a_table_of_one_cell_a_line_gives_one_record_a_row():
    outline = _outline(STACKED)
    [table] = list(_tables(outline.root))
    assert table.header == ("指标名称", "单位", "2025年目标", "属性") and len(table.body) == 3
    targets = extract(outline).targets
    assert [(t.metric, t.value, t.unit, t.year, t.binding) for t in targets] == [
        ("森林覆盖率", 45, "%", 2025, "约束性"), ("新增口袋公园", 30, "个", 2025, "预期性"),
        ("细颗粒物年均浓度", 28, "微克/立方米", 2025, "约束性")]
    chapters = [c for c in outline.root.children if c.kind != "paragraph"]
    assert [c.title for c in chapters] == ["主要指标", "重点任务"]  # no cell became a heading
    assert len([c for c in chapters[0].children if c.kind == "paragraph"]) == 1  # nor a paragraph


def _tables(node):
    yield from node.tables
    for child in node.children:
        yield from _tables(child)


@pytest.mark.parametrize("lines", [
    ["指标", "单位", "目标", "加强组织领导", "完善工作机制", "强化监督考核"],  # no figures: short lines, not a table
    ["序号", "单位", "属性", "1", "区水务局", "约束性"],  # no column names the indicator
    ["指标", "目标"],  # too few columns
])
def test_short_lines_that_are_no_table(lines):
    from planwatch.outline.tables import stacked_table

    assert stacked_table(lines) is None


def test_a_docx_whose_table_became_paragraphs(tmp_path):
    from docx import Document as Docx

    doc = Docx()
    for line in STACKED.splitlines():
        doc.add_paragraph(line)
    path = tmp_path / "规划.docx"
    doc.save(path)
    targets = process(path).targets
    assert [(t.metric, t.value, t.binding) for t in targets] == [("森林覆盖率", 45, "约束性"), ("新增口袋公园", 30, "预期性"),
                                                              ("细颗粒物年均浓度", 28, "约束性")]
    original = read_document(path).original
    assert all(original[t.span.start:t.span.end].startswith(t.metric) for t in targets)


MARKDOWN_PLAN = """# 临河区养老服务行动方案（2024—2026年）

## 一、工作目标

到2026年，新建社区养老驿站40个。

## 二、重点任务

**（一）完善设施布局。**对2010年以前建成的小区补建养老设施，2025年底前完成。

### （二）培育专业队伍

2026年6月底前培训护理员2000人次。
"""


def test_markdown_heading_marks_and_bold_numbering_are_headings():
    outline = _outline(MARKDOWN_PLAN)
    assert _headings(outline) == [("part", "工作目标"), ("part", "重点任务"), ("subpart", "完善设施布局"), ("subpart", "培育专业队伍")]
    tasks = extract(outline).tasks
    assert [(t.title, t.deadlines) for t in tasks] == [("完善设施布局", (date(2025, 12, 31),)), ("培育专业队伍", (date(2026, 6, 30),))]


def test_a_date_years_before_the_plan_qualifies_and_is_no_deadline():
    # 2010年以前建成的 names which estates; the plan runs 2024–2026
    [task, _] = extract(_outline(MARKDOWN_PLAN)).tasks
    assert date(2010, 12, 31) not in task.deadlines


def test_an_annex_closes_the_body_and_its_rows_give_dated_figures():
    outline = _outline(ANNEX)
    assert _headings(outline) == [("part", "工作目标"), ("annex", "附件 重点任务清单")]
    result = extract(outline)
    assert {t.section for t in result.tasks} == {("附件 重点任务清单",)}
    figures = [(t.value, t.unit, t.year, t.type) for t in result.targets if t.section == ("附件 重点任务清单",)]
    assert figures == [(12, "个", 2024, "increase"), (30, "部", 2024, "increase"), (8, "个", 2025, "increase"), (20, "处", 2025, "increase")]
    assert all(ANNEX.count(t.quote) >= 1 for t in result.targets)


@pytest.mark.parametrize(("line", "heading"), [
    ("附件1:重点任务分工表", ("annex", "附件1 重点任务分工表")), ("附件", ("annex", "附件")), ("附表二 重大项目表", ("annex", "附表二 重大项目表")),
    ("附件中的项目按年度推进。", None), ("附件材料应于3月底前报送。", None),
])
def test_annex_headings(line, heading):
    from planwatch.outline.parser import Line, classify

    found = classify(Line(0, len(line), line))
    assert (found.kind, found.title) == heading if heading else found is None


def test_a_row_table_with_merged_category_cells_and_a_growth_column():
    text = ("临河区发展规划\n一、主要指标\n类别 | 指标 | 2020年 | 2025年 | 年均增长 | 属性 |\n"
            "经济发展 | 地区生产总值(亿元) | 860 | 1150 | 6%左右 | 预期性 |\n"
            " | 全员劳动生产率(万元/人) | 15.1 | 19.6 | 5.4% | 预期性 |\n"
            " | 单位地区生产总值能耗降低(%) | — | 13.5 | — | 约束性 |\n")
    rows = [(t.metric, t.value, t.unit, t.type, t.baseline, t.binding) for t in extract(_outline(text)).targets]
    assert rows == [
        ("地区生产总值", 1150, "亿元", "level", 860, "预期性"), ("地区生产总值年均增速", 6, "%", "annual_growth", None, "预期性"),
        ("全员劳动生产率", 19.6, "万元/人", "level", 15.1, "预期性"), ("全员劳动生产率年均增速", 5.4, "%", "annual_growth", None, "预期性"),
        ("单位地区生产总值能耗降低", 13.5, "%", "decrease", None, "约束性")]


def test_parenthesised_arabic_items_are_the_innermost_tasks():
    text = ("青川市数字经济行动计划(2024—2026年)\n二、重点任务\n(一)推动产业数字化转型\n"
            "1.壮大软件业。培育软件企业30家。\n(1)实施制造业数字化改造。每年推动200家企业改造。\n(2)发展智慧农业。建设示范基地20个。\n")
    outline = _outline(text)
    assert ("subitem", "实施制造业数字化改造") in _headings(outline)
    assert [t.title for t in extract(outline).tasks] == ["实施制造业数字化改造", "发展智慧农业"]


def test_markdown_marks_are_dropped_and_spans_still_point_into_the_file():
    md = ("# 临河区生态规划\n\n## 二、重点任务\n\n**加强大气治理。**到2025年PM2.5浓度降至30微克/立方米。\n\n"
          "**保护湿地资源。**严守湿地保护红线。\n\n- 建成湿地公园3个。\n")
    doc = document_from_text(md)
    assert "**" not in doc.text and "#" not in doc.text and "- 建成" not in doc.text
    assert all(doc.original[o] == ch for o, ch in zip(doc.offsets, doc.text, strict=True))
    outline = parse_outline(doc)
    assert [t.title for t in extract(outline).tasks] == ["加强大气治理", "保护湿地资源"]
    quotes = [md[t.span.start : t.span.end] for t in extract(outline).targets]
    assert quotes == ["到2025年PM2.5浓度降至30微克/立方米", "建成湿地公园3个"]


def test_a_communique_s_results_table_gives_each_figure_and_its_change(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("青川市2025年国民经济和社会发展统计公报")
    document.add_paragraph("一、工业")
    document.add_paragraph("表1 2025年主要工业产品产量及其增长速度")
    rows = [("产品名称", "单位", "产量", "比上年增长(%)"), ("原煤", "万吨", "1234.5", "3.2"), ("发电量", "亿千瓦时", "567.8", "-1.4")]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            table.cell(r, k).text = text
    path = tmp_path / "公报.docx"
    document.save(path)
    found = [(t.kind, t.metric, t.value, t.unit, t.type, t.year) for t in process(str(path)).targets]
    assert found == [("actual", "原煤产量", 1234.5, "万吨", "level", 2025), ("actual", "原煤产量增速", 3.2, "%", "annual_growth", 2025),
                     ("actual", "发电量", 567.8, "亿千瓦时", "level", 2025), ("actual", "发电量增速", -1.4, "%", "annual_growth", 2025)]


def test_a_review_table_of_two_years_gives_the_later_with_the_earlier_as_baseline():
    text = ("临河区“十四五”规划纲要\n第一章 发展基础\n“十三五”时期主要指标完成情况\n序号 | 指标 | 2015年 | 2020年 |\n"
            "1 | 地区生产总值(亿元) | 520 | 760 |\n2 | 森林覆盖率(%) | 38.2 | 41.5 |\n")
    found = [(t.kind, t.metric, t.value, t.unit, t.baseline, t.year) for t in extract(_outline(text)).targets]
    assert found == [("actual", "地区生产总值", 760, "亿元", 520, 2020), ("actual", "森林覆盖率", 41.5, "%", 38.2, 2020)]


SPECIAL_PLAN = """青川市生态环境保护规划
第一章 规划背景
第一节 取得的成效
大气环境质量明显改善。PM2.5年均浓度下降到38微克/立方米。
第三章 深入打好污染防治攻坚战
第二节 着力提升水环境质量
一、推进城镇污水处理提质增效
新建改造污水管网500公里,到2025年城市生活污水集中收集率达到70%。
专栏1 水污染防治重点工程
1.污水厂扩建工程:2024年底前完成3座污水厂扩建。
2.管网修复工程:修复破损管网80公里。
"""


def test_a_box_holds_its_items_and_a_review_holds_no_task():
    outline = _outline(SPECIAL_PLAN)
    box = next(n for n in outline.headings() if n.kind == "box")
    assert [c.title for c in box.children if c.kind == "item"] == ["污水厂扩建工程", "管网修复工程"]
    tasks = extract(outline).tasks
    assert [t.title for t in tasks] == ["推进城镇污水处理提质增效", "污水厂扩建工程", "管网修复工程"]
    assert tasks[0].deadlines == (date(2025, 12, 31),) and "污水厂扩建" not in tasks[0].text
    assert tasks[1].deadlines == (date(2024, 12, 31),)


def test_a_part_with_one_lead_paragraph_and_a_box_is_one_task():
    text = ("青川市生态环境保护规划\n第三章 重点任务\n一、推进污水处理\n完善污水管网。新建管网500公里。\n"
            "专栏1 重点工程\n1.污水厂扩建工程:完成3座污水厂扩建。\n二、加强组织实施\n建立工作机制。\n")
    titles = [t.title for t in extract(_outline(text)).tasks]
    assert titles.count("推进污水处理") + titles.count("完善污水管网") == 1 and "污水厂扩建工程" in titles


def test_a_section_about_a_basic_role_is_no_review():
    # 发展基础性作用 is a role to strengthen, not the 发展基础 (review) of a plan
    text = ("青川市政府工作报告\n二、2026年重点工作\n(一)增强消费促发展基础性作用\n1.促进消费扩量提质。开展消费提振行动。\n"
            "2.推动房地产平稳发展。优化保障房供给。\n三、发展基础\n1.经济总量稳步增长。地区生产总值增长5%。\n")
    assert [t.title for t in extract(_outline(text)).tasks] == ["促进消费扩量提质", "推动房地产平稳发展"]


# -- Markdown tables as pandoc writes them --------------------------------------------------

GRID_MD = """# 临河区“十四五”时期文化旅游发展规划

## 一、发展目标

+------+----------------------+--------+--------+--------+
| 序号 | 指标                 | 2020年 | 2025年 | 属性   |
+======+======================+========+========+========+
| 1    | 旅游总收入（亿元）   | 650    | 1000   | 预期性 |
+------+----------------------+--------+--------+--------+
| 2    | 每万人拥有公共文化设 | 1500   | 2000   | 约束性 |
|      | 施面积（平方米）     |        |        |        |
+------+----------------------+--------+--------+--------+

## 二、重点任务

<table>
<tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>完成时限</th></tr>
<tr><td>1</td><td>建设区文化馆新馆</td><td rowspan="2">区文化旅游局</td><td>2024年底</td></tr>
<tr><td>2</td><td>创建全域旅游示范区</td><td>2025年</td></tr>
</table>
"""


def test_a_markdown_grid_table_with_wrapped_cells_and_an_html_table_with_merged_cells(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(GRID_MD, encoding="utf-8")
    doc = read_document(path)
    assert doc.format == "txt"  # the raw HTML table does not make the file a web page
    lines = doc.text.splitlines()
    assert "2 | 每万人拥有公共文化设施面积(平方米) | 1500 | 2000 | 约束性 |" in lines
    assert "2 | 创建全域旅游示范区 | 区文化旅游局 | 2025年 |" in lines
    assert not any(line.startswith("+") for line in lines)
    result = process(path)
    assert [(t.metric, t.value, t.unit, t.baseline, t.binding) for t in result.targets if t.binding] == [
        ("旅游总收入", 1000, "亿元", 650, "预期性"), ("每万人拥有公共文化设施面积", 2000, "平方米", 1500, "约束性")]
    wrapped = result.targets[1]
    assert wrapped.quote == GRID_MD[wrapped.span.start : wrapped.span.end]  # verbatim, from the metric's first line
    assert wrapped.quote.startswith("每万人拥有公共文化设") and wrapped.quote.endswith("2000")
    assert [(t.title, t.lead, t.deadlines) for t in result.tasks] == [
        ("建设区文化馆新馆", ("区文化旅游局",), (date(2024, 12, 31),)), ("创建全域旅游示范区", ("区文化旅游局",), (date(2025, 12, 31),))]


def test_an_unclosed_table_and_a_lone_border_are_kept_as_text():
    text = "一、目标\n+------+\n新建公园3个。\n<table><tr><td>1</td>\n"
    doc = document_from_text(text, path="t.md")
    assert "新建公园3个。" in doc.text and "<table>" in doc.text


def test_one_unit_column_that_marks_its_lead():
    text = ("一、工作要求\n各单位要按照分工抓好落实。\n附件\n重点任务分工表\n"
            "| 序号 | 工作任务 | 责任单位 | 完成时限 |\n| --- | --- | --- | --- |\n"
            "| 1 | 推进科技园二期建设 | 区科信局（牵头）、区住建委、区规划分局 | 2025年底 |\n"
            "| 2 | 实施老旧小区综合整治 | 区住建委牵头，各街道配合 | 2024年 |\n"
            "| 3 | 建设区级数据中心 | 区政务服务局、区财政局 | 2023年6月 |\n")
    tasks = extract(parse_outline(document_from_text(text, path="t.md"))).tasks
    assert [(t.title, t.lead, t.support) for t in tasks] == [  # 工作要求 is no task, as 基本要求 is none
        ("推进科技园二期建设", ("区科信局",), ("区住建委", "区规划分局")),
        ("实施老旧小区综合整治", ("区住建委",), ("各街道",)),
        ("建设区级数据中心", ("区政务服务局", "区财政局"), ()),
    ]


@pytest.mark.parametrize(("years", "expected"), [
    ("2020年 | 2025年 | 2035年", (45, 41, 2025)),  # the plan's own year, not the vision's
    ("2015年 | 2020年 | 2025年", (50, 45, 2025)),  # the base is the year before the target
])
def test_an_indicator_table_with_three_year_columns(years, expected):
    text = (f"临河区“十四五”规划纲要\n第二章 发展目标\n| 序号 | 指标 | {years} | 属性 |\n| --- | --- | --- | --- | --- | --- |\n"
            "| 1 | 森林覆盖率(%) | 41 | 45 | 50 | 约束性 |\n")
    found = extract(parse_outline(document_from_text(text, path="t.md"))).targets
    assert [(t.value, t.baseline, t.year) for t in found] == [expected]


TAB_TABLE_PLAN = (
    "临河区水务发展“十四五”规划\n\n第一章 发展目标\n\n表1 主要指标\n"
    "序号\t指标\t单位\t2020年\t2025年\t属性\n"
    "1\t城市污水处理率\t%\t92\t≥97\t约束性\n"
    "2\t再生水利用量\t万立方米\t1200\t2000\t预期性\n\n"
    "附件 重点任务清单\n"
    "序号\t任务\t牵头单位\t配合单位\t完成时限\n"
    "1\t建设北湖再生水厂\t区水务局\t区住建委、各街道\t2024年12月\n"
)


def test_tab_separated_rows_copied_from_word_are_a_table():
    outline = parse_outline(document_from_text(TAB_TABLE_PLAN, path="tab.txt"))
    assert not [n for n in outline.root.walk() if n.title and "城市污水处理率" in n.title]  # a row, not a numbered heading
    found = extract(outline)
    rows = {(t.metric, t.value, t.unit, t.comparator, t.baseline, t.year, t.binding) for t in found.targets}
    assert ("城市污水处理率", 97, "%", ">=", 92, 2025, "约束性") in rows
    assert ("再生水利用量", 2000, "万立方米", "=", 1200, 2025, "预期性") in rows
    task = next(t for t in found.tasks if t.title == "建设北湖再生水厂")
    assert (task.lead, task.support, task.deadlines) == (("区水务局",), ("区住建委", "各街道"), (date(2024, 12, 31),))


def test_a_task_row_title_is_as_written_in_the_file():
    text = ("临河区行动方案\n一、重点任务\n| 序号 | 重点任务 | 推进单位 |\n|---|---|---|\n"
            "| 1 | 优化纳税服务，办税时间压缩至80小时以内 | 区税务局 |\n")
    task = extract(parse_outline(document_from_text(text, path="a.md"))).tasks[0]
    assert task.title == "优化纳税服务，办税时间压缩至80小时以内" and task.lead == ("区税务局",)


def test_tabs_after_a_heading_number_or_inside_a_sentence_make_no_table():
    text = ("临河区规划\n第一章\t\t总体要求\n（一）\t\t推进绿色发展\n"
            "到2025年，森林覆盖率达到32%，\t城镇化率达到65%，\t新增就业5万人。\n")
    outline = parse_outline(document_from_text(text, path="t.txt"))
    assert [n.title for n in outline.root.walk() if n.kind in ("chapter", "subpart")] == ["总体要求", "推进绿色发展"]
    assert len(extract(outline).targets) == 3


def test_a_borderless_task_table_whose_unit_cell_runs_almost_to_the_next_column(tmp_path):
    path = tmp_path / "annex.pdf"
    c = _canvas(path)
    c.drawString(72, 790, "附表")
    c.drawString(72, 770, "临河区重点任务分工表")
    xs = (72, 110, 290, 387)  # the unit column's text ends 3 points before the deadline column
    rows = [("序号", "重点任务", "牵头单位", "完成时限"),
            ("1", "建成智慧停车平台", "区城市管理委", "2026年底前"),
            ("2", "完成河道生态修复", "区水务局、各街道(乡", "2027年6月底前"),
            ("", "", "镇)", ""),
            ("3", "编制碳排放核算指南", "区生态环境局", "2027年底前")]
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert xs[3] - (xs[2] + stringWidth("区水务局、各街道(乡", "STSong-Light", 10)) < 15
    for r, row in enumerate(rows):
        for x, cell in zip(xs, row, strict=True):
            if cell:
                c.drawString(x, 740 - r * 18 + (6 if r == 3 else 0), cell)
    c.save()
    tasks = process(path).tasks
    assert [(t.title, t.lead, t.deadlines) for t in tasks] == [
        ("建成智慧停车平台", ("区城市管理委",), (date(2026, 12, 31),)),
        ("完成河道生态修复", ("区水务局", "各街道(乡镇)"), (date(2027, 6, 30),)),
        ("编制碳排放核算指南", ("区生态环境局",), (date(2027, 12, 31),)),
    ]


def test_a_task_table_with_a_title_column_and_dates_in_its_content():
    text = (
        "临河区数字乡村建设实施方案\n一、重点任务\n按附件清单推进。\n附件：2026年度重点工作清单\n"
        "| 序号 | 重点工作 | 主要内容 | 责任单位 | 完成时限 |\n| --- | --- | --- | --- | --- |\n"
        "| 1 | 新建通信基站 | 新建基站80个，覆盖产业园区 | 区通信办 | 2026年12月底前 |\n"
        "| 2 | 改造老旧小区 | 2026年底前完成30个小区改造，2027年底前完成其余小区 | 区住房城乡建设委 | 2027年底前 |\n"
    )
    tasks = [t for t in process_text(text).tasks if t.section[:1] and t.section[0].startswith("附件")]
    assert [(t.title, t.deadlines) for t in tasks] == [
        ("新建通信基站", (date(2026, 12, 31),)),
        ("改造老旧小区", (date(2026, 12, 31), date(2027, 12, 31))),  # the cell's date and the text's own
    ]


def test_guarantee_parts_that_assign_work_and_sentences_that_only_set_the_scene():
    text = (
        "临河区消费提振行动方案\n一、重点任务\n（一）激发餐饮消费\n"
        "2026年是行动开局之年。各街道要抓紧部署，形成合力。\n"
        "培育特色餐饮街区。打造夜间消费街区3条，2026年底前完成。\n"
        "坚决遏制低效、重复、盲目建设。严格项目准入，清理闲置项目。\n"
        "二、保障措施\n（一）加强组织领导\n建立工作专班，统筹推进各项工作。\n"
        "（二）加强监测评估\n2027年6月底前开展中期评估，2028年底前开展总结评估。\n牵头单位：区统计局\n"
    )
    tasks = process_text(text).tasks
    assert [t.title for t in tasks] == ["培育特色餐饮街区", "坚决遏制低效、重复、盲目建设", "加强监测评估"]
    assert tasks[-1].lead == ("区统计局",) and tasks[-1].deadlines == (date(2027, 6, 30), date(2028, 12, 31))


@pytest.mark.parametrize(
    "text, lead, support",
    [
        ("推进农村电商提质增效。建设乡镇服务站12个。（责任单位：区商务局，配合单位：区邮政分公司、各乡镇人民政府）",
         ("区商务局",), ("区邮政分公司", "各乡镇人民政府")),
        ("提升文旅消费。举办消费季活动。牵头单位：区文化旅游局；配合单位：各县（市、区）人民政府",
         ("区文化旅游局",), ("各县(市、区)人民政府",)),
        ("推进互联网教育和医疗。建设智慧课堂和互联网医院。（区教育局、区卫生健康委按职责分工负责）",
         ("区教育局", "区卫生健康委"), ()),
        # a clause about government in general names no unit
        ("强化项目要素保障。积极争取地方政府专项债券，稳妥化解地方政府债务风险。", (), ()),
    ],
)
def test_who_a_task_names(text, lead, support):
    [task] = process_text("临河区行动方案\n一、重点任务\n（一）重点工作\n" + text + "\n其他工作。持续推进。\n").tasks[:1]
    assert (task.lead, task.support) == (lead, support)


def test_a_contents_page_with_spaced_leaders_is_dropped():
    text = ("临河区数字经济发展规划\n目 录\n第一章 发展基础 . . . . . . . . . . . . 1\n第二章 重点任务 . . . . . . . . . . 3\n"
            "第三章 保障措施 . . . . . . . . . . . 6\n第一章 发展基础\n基础扎实。\n第二章 重点任务\n建设算力平台。2027年底前建成。\n"
            "第三章 保障措施\n加强组织领导。\n")
    chapters = [n.title for n in _outline(text).root.walk() if n.kind == "chapter"]
    assert chapters == ["发展基础", "重点任务", "保障措施"]


def test_html_bold_lead_sentences_and_line_breaks_inside_a_sentence():
    from planwatch.ingest.html import html_to_text

    page = ("<html><body><div id='content'><p>二、重点工作</p>"
            "<p><strong>做强先进制造业。</strong>实施产业链提升行动。<strong>加快发展新兴产业。</strong>布局低空经济。</p>"
            "<p>建设县级配送中心，<br>2026年底前实现快递进村全覆盖。<br>（区邮政管理局负责）</p>"
            "<p>中共临河区委办公室<br>临河区人民政府办公室</p>" + "<p>补充说明。</p>" * 20 + "</div></body></html>")
    lines = html_to_text(page).splitlines()
    assert "做强先进制造业。实施产业链提升行动。" in lines and "加快发展新兴产业。布局低空经济。" in lines
    assert "建设县级配送中心,2026年底前实现快递进村全覆盖。" in [line.replace("，", ",") for line in lines]
    assert "临河区人民政府办公室" in lines  # a break after a name with no mark stays a break


def test_goals_and_the_governments_own_conduct_give_no_tasks_but_assigned_guarantees_do():
    text = ("临河区2026年政府工作报告\n一、行动目标\n到2028年，全区数字经济核心产业增加值突破200亿元。\n"
            "二、重点工作\n做强先进制造业。实施产业链提升行动。\n推进绿色转型。建设零碳园区。\n"
            "三、全面加强政府自身建设\n坚持依法行政。严格规范公正文明执法。\n坚持廉洁从政。落实全面从严治党责任。\n"
            "四、保障措施\n（一）加大资金支持。区级财政每年安排专项资金。（区财政局牵头，各街道配合）\n"
            "（二）加强宣传引导。营造良好氛围。\n")
    tasks = process_text(text).tasks
    assert [t.title for t in tasks] == ["做强先进制造业", "推进绿色转型", "加大资金支持"]
    assert (tasks[-1].lead, tasks[-1].support) == (("区财政局",), ("各街道",))


@pytest.mark.parametrize(
    "sentence, year, expected",
    [
        ("2026—2028年，对全区8万亩农田实施改造提升。", None, [date(2028, 12, 31)]),
        ("“十五五”期间引进培育高层次人才1000名。", None, [date(2030, 12, 31)]),
        ("重点项目6月底前全面开工，三季度前完成主体工程。", 2026, [date(2026, 6, 30), date(2026, 9, 30)]),
        ("每年6月底前报送进展情况。", 2026, []),
        ("2027年第三季度前完成绿色园区创建。", 2026, [date(2027, 9, 30)]),
        ("年底前完成，年内见效。", 2026, []),  # the guide leaves 年内 undated, and 年底前 with it
        ("落实《临河区三年行动方案（2026—2028年）》。", None, []),
    ],
)
def test_deadlines_as_plans_write_them(sentence, year, expected):
    from planwatch.extract.tasks import find_deadlines

    assert sorted(find_deadlines(sentence, year)) == expected


@pytest.mark.parametrize(
    "text, lead, support",
    [
        ("建设物流枢纽。（市发展改革委牵头，市交通运输局、市自然资源和规划局按职责分工负责）",
         ("市发展改革委",), ("市交通运输局", "市自然资源和规划局")),
        ("优化配送网络。（市商务局牵头，各区人民政府负责落实）", ("市商务局",), ("各区人民政府",)),
        ("健全寄递体系。（市邮政管理局、市供销社按职责分工负责）", ("市邮政管理局", "市供销社"), ()),
        ("扩大铁水联运。（市交通运输局牵头，港务集团、车务段配合）", ("市交通运输局",), ("港务集团", "车务段")),
        ("建设算力平台。由市数据局牵头，整合全市算力资源。", ("市数据局",), ()),
        ("开展规划评估。市发展改革委会同市数据局开展中期评估，评估结果向市政府报告。", ("市发展改革委",), ("市数据局",)),
    ],
)
def test_who_leads_who_is_in_charge_and_who_supports(text, lead, support):
    [task] = process_text("临河区行动方案\n一、重点任务\n（一）重点工作\n" + text + "\n其他工作。持续推进。\n").tasks[:1]
    assert (task.lead, task.support) == (lead, support)


def test_a_task_table_groups_its_rows_under_category_rows():
    text = ("临河区行动方案\n一、重点任务\n见附件。\n附件：重点任务清单\n"
            "| 序号 | 重点任务 | 牵头单位 | 完成时限 |\n| --- | --- | --- | --- |\n"
            "| 一、产业提升 | | | |\n| 1 | 壮大装备产业集群 | 区经济和信息化局 | 2027年底前 |\n"
            "| 二、创新驱动 | 二、创新驱动 | 二、创新驱动 | 二、创新驱动 |\n| 2 | 建设制造业创新中心 | 区科技局 | 2026年底前 |\n")
    tasks = [t for t in process_text(text).tasks if t.section[:1] and t.section[0].startswith("附件")]
    assert [(t.title, t.section[1:], t.lead) for t in tasks] == [
        ("壮大装备产业集群", ("产业提升",), ("区经济和信息化局",)), ("建设制造业创新中心", ("创新驱动",), ("区科技局",))]


def test_articles_are_items_and_take_their_unit_lines():
    text = ("临河区促进消费若干措施\n第一条 支持汽车以旧换新。对报废旧车并购买新车的给予补贴。\n责任单位：区商务局、区财政局\n"
            "第二条 促进家装家居消费\n开展家装焕新行动，2026年内完成。\n责任单位：区住房城乡建设委\n")
    tasks = process_text(text).tasks
    assert [(t.title, t.lead) for t in tasks] == [("支持汽车以旧换新", ("区商务局", "区财政局")),
                                                 ("促进家装家居消费", ("区住房城乡建设委",))]


def test_a_unit_that_leads_and_the_units_in_charge_and_a_signature_date():
    text = ("临河区实施意见\n一、重点任务\n（一）重点工作\n"
            "推进适老化改造。完成改造1000户。（牵头单位：区民政局；责任单位：区住房城乡建设委、各街道）\n"
            "发展智慧医疗。建设互联网医院。【责任单位：区卫生健康委】\n其他工作。持续推进。\n"
            "二、保障措施\n（一）营造良好氛围\n本意见自印发之日起施行。\n临河区人民政府\n2026年2月10日\n")
    tasks = process_text(text).tasks
    assert [(t.title, t.lead, t.support) for t in tasks[:2]] == [
        ("推进适老化改造", ("区民政局",), ("区住房城乡建设委", "各街道")), ("发展智慧医疗", ("区卫生健康委",), ())]
    assert "营造良好氛围" not in [t.title for t in tasks]


def test_hard_wrapped_text_is_rejoined_across_page_furniture(tmp_path):
    width = 30
    lines = ["临河区综合交通运输发展规划", "第一章 重点任务"]
    paras = []
    for n in range(6):
        para = (f"加快第{n + 1}条高速铁路建设。建成临河至青川高速铁路，开工建设沿海高速铁路临河段，力争202{n + 3}年前实现"
                "临河至省会一小时通达。同步推进站城一体化开发，提升高铁站点综合服务功能和换乘效率，完善枢纽集疏运体系。")
        paras.append(para)
        body = [para[i:i + width] for i in range(0, len(para), width)]
        lines += body[:2] + ["", f"- {n + 1} -\f临河区综合交通运输发展规划", ""] + body[2:]
    para = paras[5]
    path = tmp_path / "wrapped.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = read_document(path)
    flat = para.replace("，", ",")  # the text as normalised (half-width punctuation)
    assert all(p.replace("，", ",") in doc.text for p in paras)
    at = doc.text.index(flat)
    assert doc.original_text(at, at + len(flat)).replace("\n", "").startswith(para[:width * 2])  # offsets into the file
    assert [t.deadlines for t in extract(parse_outline(doc)).tasks] == [(date(2023 + n, 12, 31),) for n in range(6)]


def test_a_very_long_unit_list_is_bounded():
    units = process_text("临河区行动方案\n一、重点任务\n（一）重点工作\n推进各项工作。（责任单位：" + "区局、" * 3000 + "）\n").tasks
    assert units and len(units[0].lead) <= 200


def test_html_items_after_semicolons_portal_logos_and_periods_compared_with():
    from planwatch.extract.tasks import find_deadlines
    from planwatch.ingest.html import html_to_text

    page = ("<html><head><title>2025年某县政府工作报告_某县人民政府门户网站</title></head><body>"
            "<div class='top'><h1>某县人民政府门户网站</h1></div><div id='content'>"
            "<p>一、推进产业升级<br>（一）做强制造业。县工信局牵头；<br>（二）培育新兴产业。县发改委牵头；</p>"
            + "<p>补充说明。</p>" * 20 + "</div></body></html>")
    lines = html_to_text(page).splitlines()
    assert lines[0] == "2025年某县政府工作报告" and "（二）培育新兴产业。县发改委牵头；" in lines
    assert find_deadlines("重大项目投资规模较“十四五”期间增长50%。") == []
    assert find_deadlines("“十五五”期间引进人才1000名。") == [date(2030, 12, 31)]
