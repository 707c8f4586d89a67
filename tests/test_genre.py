"""Genres and the document's own year, from titles and structure written for these tests."""

from __future__ import annotations

import pytest

from planwatch.ingest import document_from_text
from planwatch.ingest.metadata import GENRE_LABELS, GENRES, find_metadata


@pytest.mark.parametrize(
    "title, genre",
    [
        ("青川市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "development_plan"),
        ("青川市“十四五”时期生态环境保护规划", "special_plan"),
        ("青川市临河区城市更新专项规划（2021—2025年）", "special_plan"),
        ("关于推进临河新城高质量发展的实施方案", "implementation_plan"),
        ("临河区促进数字经济发展三年行动方案（2023—2025年）", "implementation_plan"),
        ("关于加快建设现代产业体系的实施意见", "implementation_plan"),
        ("2025年青川市政府工作报告", "work_report"),
        ("青川市2024年国民经济和社会发展统计公报", "communique"),
        ("中共青川市委关于制定青川市国民经济和社会发展第十五个五年规划的建议", "proposal"),
        ("青川市“十四五”规划纲要实施中期评估报告", "midterm_evaluation"),
    ],
)
def test_genre_from_title(title, genre):
    md = find_metadata(f"{title}\n一、总体要求\n")
    assert md.genre == genre
    assert GENRE_LABELS[genre]


def test_every_genre_has_a_label_and_a_pattern():
    assert len(GENRE_LABELS) == len(GENRES) == 7


def test_genre_from_structure_when_there_is_no_title():
    report = "各位代表：\n现在，我代表市人民政府向大会报告工作。\n一、过去一年工作回顾\n过去一年，全市地区生产总值增长5%。\n"
    assert find_metadata(report).genre == "work_report"
    plan = "一、总体要求\n（一）指导思想\n坚持稳中求进。\n二、重点任务\n建设水厂。\n三、保障措施\n加强组织领导。\n"
    assert find_metadata(plan).genre == "implementation_plan"
    assert find_metadata("临河区概况\n临河区位于青川市东部。\n").genre is None


@pytest.mark.parametrize(
    "text, year",
    [
        ("2025年青川市政府工作报告\n一、2024年工作回顾\n", 2025),
        ("青川市政府工作报告\n——2026年1月15日在青川市第十六届人民代表大会第五次会议上\n", 2026),
        ("青川市二〇二四年国民经济和社会发展统计公报\n", 2024),
        ("青川市国民经济和社会发展统计公报\n发布日期：2025-03-20\n", 2024),
        ("青川市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要\n", None),
        ("临河区促进数字经济发展三年行动方案（2023—2025年）\n", None),
    ],
)
def test_own_year_from_title_or_date(text, year):
    assert find_metadata(text).year == year


def test_genre_is_on_the_document():
    doc = document_from_text("2025年青川市政府工作报告\n各位代表：\n", path="r.txt")
    assert (doc.metadata.genre, doc.metadata.year) == ("work_report", 2025)


@pytest.mark.parametrize(("head", "title"), [
    # a cover's title set over two lines is one title
    ("青川市2025年\n国民经济和社会发展统计公报\n", "青川市2025年国民经济和社会发展统计公报"),
    ("青川市国民经济和社会发展\n第十五个五年规划纲要\n", "青川市国民经济和社会发展第十五个五年规划纲要"),
    ("青川市“十四五”时期\n生态环境保护规划\n（2021—2025年）\n", "青川市“十四五”时期生态环境保护规划"),
    # an issuer, a date or an annex mark before the title is no part of it
    ("青川市人民政府办公室\n2021年12月\n青川市“十四五”养老服务规划\n", "青川市“十四五”养老服务规划"),
    ("附件\n青川市养老服务体系建设规划\n", "青川市养老服务体系建设规划"),
])
def test_a_title_over_two_lines(head, title):
    assert find_metadata(head + "一、综合\n正文。\n").title == title
