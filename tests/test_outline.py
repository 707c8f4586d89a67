from __future__ import annotations

import pytest

from planwatch.ingest import document_from_text
from planwatch.outline import classify, parse_outline, parse_table_lines
from planwatch.outline.parser import Line
from planwatch.outline.patterns import HEADINGS, cn_to_int


@pytest.mark.parametrize(
    "line, kind, label, title",
    [
        ("第三章 建设宜居之城", "chapter", "三", "建设宜居之城"),
        ("第十二节 加强法治", "section", "十二", "加强法治"),
        ("四、深化改革", "part", "四", "深化改革"),
        ("(三)加强法治", "subpart", "三", "加强法治"),
        ("28、建立制度体系。围绕……展开", "item", "28", "建立制度体系"),
        ("3. 完善服务", "item", "3", "完善服务"),
        ("专栏2 重大项目 北湖公园。……", "box", "专栏", "重大项目"),
        ("第二篇 创新发展", "volume", "二", "创新发展"),
        ("第三部分 主要任务", "volume", "三", "主要任务"),
    ],
)
def test_heading_grammar(line, kind, label, title):
    h = classify(Line(0, len(line), line))
    assert (h.kind, h.label, h.title) == (kind, label, title)


@pytest.mark.parametrize("line", ["2021年1月8日批准", "2.5万亩", "1 |", "一是加强领导", "当前位置: 首页"])
def test_not_headings(line):
    assert classify(Line(0, len(line), line)) is None


def test_every_heading_kind_has_a_pattern():
    from planwatch.model import HEADING_KINDS

    assert {k for k, _, _ in HEADINGS} == set(HEADING_KINDS)


def test_volumes_group_chapters_numbered_straight_through():
    text = "规划纲要\n第一篇 开启新征程\n第一章 发展环境\n第二章 总体要求\n第二篇 创新发展\n第三章 强化科技创新\n第一部分 附则\n"
    outline = parse_outline(document_from_text(text, "v.txt"))
    tree = [(n.kind, n.label, n.level) for n in outline.headings()]
    assert tree == [("volume", "一", 1), ("chapter", "一", 2), ("chapter", "二", 2), ("volume", "二", 1), ("chapter", "三", 2),
                    ("volume", "一", 1)]
    assert not any(n.inferred for n in outline.headings())


@pytest.mark.parametrize("label, value", [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("28", 28)])
def test_chinese_numbers(label, value):
    assert cn_to_int(label) == value


def test_nesting_follows_the_document():
    text = "一、总体要求\n(一)指导思想\n正文。\n1.第一项\n正文。\n二、重点任务\n扩大绿色空间。结合实施造林工程。\n"
    outline = parse_outline(document_from_text(text))
    top = [(n.kind, n.label) for n in outline.root.children]
    assert top == [("part", "一"), ("part", "二")]
    sub = outline.root.children[0].children[0]
    assert (sub.kind, sub.children[1].kind) == ("subpart", "item")
    para = outline.root.children[1].children[0]
    assert (para.kind, para.title) == ("paragraph", "扩大绿色空间")


def test_skipped_chapter_is_inferred():
    text = "第一章 甲\n正文。\n第二章 乙\n正文。\n第四章 丁\n正文。\n"
    outline = parse_outline(document_from_text(text))
    chapters = [(n.label, n.inferred) for n in outline.root.children]
    assert chapters == [("一", False), ("二", False), ("三", True), ("四", False)]
    assert any("chapter 三" in w for w in outline.warnings)


def test_restart_under_same_parent_infers_missing_heading_without_merging():
    text = (
        "第一章 甲\n第一节 子一\n一、A\n二、B\n"
        "一、C\n二、D\n"  # 第二节 is missing here
        "第三节 子三\n一、E\n"
    )
    outline = parse_outline(document_from_text(text))
    sections = outline.root.children[0].children
    assert [(s.label, s.inferred) for s in sections] == [("一", False), ("二", True), ("三", False)]
    assert [p.title for p in sections[1].children] == ["C", "D"]


def test_restart_two_levels_infers_chapter_and_section():
    text = "第一章 甲\n第一节 a\n一、A\n二、B\n一、C\n第二节 b\n一、D\n第三章 丙\n"
    outline = parse_outline(document_from_text(text))
    chapters = [(c.label, c.inferred) for c in outline.root.children]
    assert chapters == [("一", False), ("二", True), ("三", False)]
    inferred = outline.root.children[1]
    assert [(s.label, s.inferred) for s in inferred.children] == [("一", True), ("二", False)]


def test_flattened_table_one_cell_a_line():
    lines = ["类别 |", "序号 |", "指标 |", "2025年目标 |", "属性 |", "|", "经济 |", "1 |", "增速(%) |", "6 |", "预期性 |", "|", "2 |", "用水总量(亿立方米) |", "约束性 |", "|||"]
    table = parse_table_lines(lines)
    assert table.header == ("类别", "序号", "指标", "2025年目标", "属性")
    assert table.body == (("经济", "1", "增速(%)", "6", "预期性"), ("2", "用水总量(亿立方米)", "约束性"))


def test_row_per_line_table():
    table = parse_table_lines(["指标 | 2025年目标 |", "森林覆盖率(%) | 44 |"])
    assert table.header_rows == 1 and table.body == (("森林覆盖率(%)", "44"),)


def test_spans_cover_headings(sample_txt):
    from planwatch.ingest import read_document

    doc = read_document(sample_txt)
    outline = parse_outline(doc)
    for node in outline.headings():
        assert doc.text[node.start : node.body_start].endswith(node.title) or node.title in doc.text[node.start : node.body_start]


def test_headings_whose_characters_are_spaced_out():
    text = "青川市交通发展规划\n第一章　总　体　要　求\n第 一 节 发展目标\n到2025年,高速公路里程达到900公里。\n第二章 主 要 任 务\n一、完 善 路 网\n"
    nodes = [(n.kind, n.title) for n in parse_outline(document_from_text(text, path="t.txt")).root.walk() if n.kind != "paragraph"]
    assert nodes[1:] == [("chapter", "总体要求"), ("section", "发展目标"), ("chapter", "主要任务"), ("part", "完善路网")]


def test_a_very_long_line_without_tabs_is_one_paragraph():
    # The tab-row pattern once backtracked quadratically on such a line (minutes for this one).
    line = "推进生态保护修复，" * 12_000 + "。"
    outline = parse_outline(document_from_text("一、任务\n" + line + "\n", path="long.txt"))
    assert [n.kind for n in outline.root.walk()].count("paragraph") == 1
    assert not any(n.tables for n in outline.root.walk())


def test_a_line_of_spaces_is_no_contents_entry():
    # The page-entry pattern once split a long run of spaces every way (minutes for this line).
    outline = parse_outline(document_from_text("一、任务\n目录" + " " * 5000 + "x\n", path="spaces.txt"))
    assert [n.kind for n in outline.root.walk()].count("paragraph") == 1
