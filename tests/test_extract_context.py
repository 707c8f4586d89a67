"""Years and kinds from context (genre, headings, lead-ins), on text written for these tests."""

from __future__ import annotations

from planwatch.extract import extract_targets
from planwatch.extract.context import heading_year
from planwatch.ingest import document_from_text
from planwatch.outline import parse_outline


def targets(text: str):
    return extract_targets(parse_outline(document_from_text(text, path="t.txt")))


def kinds_years(text: str):
    return [(t.value, t.kind, t.year) for t in targets(text)]


REPORT = (
    "2026年青川市政府工作报告\n"
    "——2026年1月12日在青川市第十六届人民代表大会第五次会议上\n"
    "各位代表：\n"
    "一、2025年工作回顾\n"
    "过去一年，全市地区生产总值增长5.2%，新建口袋公园36个。\n"
    "（一）产业升级步伐加快。新增高新技术企业420家。\n"
    "二、2026年目标任务\n"
    "今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇调查失业率控制在5.5%以内。\n"
    "（一）扩大有效投资。新开工重大项目150个以上。\n"
)


def test_work_report_reviews_the_year_before_and_targets_its_own_year():
    assert kinds_years(REPORT) == [
        (5.2, "actual", 2025), (36, "actual", 2025), (420, "actual", 2025),
        (5, "target", 2026), (5.5, "target", 2026), (150, "target", 2026),
    ]


def test_work_report_without_headings_reads_review_and_coming_year_from_paragraphs():
    text = (
        "2026年青川市政府工作报告\n各位代表：\n"
        "过去一年，全市新建口袋公园36个。\n全年新增城镇就业8.1万人。\n"
        "今年，新建口袋公园40个。\n"
    )
    assert kinds_years(text) == [(36, "actual", 2025), (8.1, "actual", 2025), (40, "target", 2026)]


def test_review_of_five_years_takes_the_last_year_of_the_period():
    text = "2026年青川市政府工作报告\n各位代表：\n一、过去五年工作回顾\n全市森林覆盖率达到45%。\n二、今后五年的主要目标\n到2030年，森林覆盖率达到48%。\n"
    assert kinds_years(text) == [(45, "actual", 2025), (48, "target", 2030)]


def test_communique_figures_take_the_year_it_reports_on():
    text = "青川市2025年国民经济和社会发展统计公报\n一、综合\n全年地区生产总值1860亿元，比上年增长5.1%。\n"
    assert kinds_years(text) == [(1860, "actual", 2025), (5.1, "actual", 2025)]


def test_a_plan_period_named_in_a_heading_dates_its_section():
    text = (
        "青川市国民经济和社会发展第十五个五年规划纲要\n"
        "第一章 “十四五”时期发展成就\n地区生产总值达到1800亿元。\n"
        "第二章 “十五五”时期主要目标\n地区生产总值达到2400亿元。\n"
        "第三章 保障措施\n建成智慧平台3个。\n"
    )
    assert kinds_years(text) == [(1800, "actual", 2025), (2400, "target", 2030), (3, "target", None)]


def test_a_lead_in_governs_the_list_items_after_it_within_its_section():
    text = (
        "一、发展目标\n到2027年，实现以下目标：\n1.森林覆盖率达到46%。\n2.新建口袋公园50个。\n"
        "二、重点任务\n新建水厂2座。\n"
    )
    assert kinds_years(text) == [(46, "target", 2027), (50, "target", 2027), (2, "target", None)]


def test_heading_year():
    assert heading_year("二、2026年目标任务和重点工作") == 2026
    assert heading_year("（二）2021—2025年重点项目") == 2025
    assert heading_year("第三章 “十四五”时期重点工作") == 2025
    assert heading_year("2024年和2025年工作安排") is None
    assert heading_year("三、保障措施") is None


MIDTERM = (
    "青川市“十四五”规划纲要实施中期评估报告\n2023年9月\n"
    "一、规划实施总体情况\n2022年,全市地区生产总值达到865亿元,两年平均增长5.9%。\n"
    "二、主要指标完成情况\n森林覆盖率达到44.3%。28项主要指标中,22项达到或超过预期进度,2项滞后。\n"
    "三、下一步工作建议\n到2025年,确保森林覆盖率达到45%。\n"
)


def test_a_midterm_evaluation_reports_progress_and_looks_ahead_where_it_says_so():
    found = {(t.value, t.kind, t.year, t.type) for t in targets(MIDTERM)}
    assert {(865, "actual", 2022, "level"), (5.9, "actual", 2022, "annual_growth"), (44.3, "actual", 2022, "level"),
            (22, "actual", 2022, "level"), (2, "actual", 2022, "level"), (45, "target", 2025, "level")} <= found
    assert any(t.metric == "地区生产总值两年平均增速" for t in targets(MIDTERM))


def test_a_lead_in_to_a_later_year_inside_a_review_looks_ahead():
    text = "青川市“十四五”规划纲要实施中期评估报告\n2023年9月\n一、主要指标完成情况\n森林覆盖率达到44.3%。到2025年,森林覆盖率达到45%。\n"
    assert kinds_years(text) == [(44.3, "actual", 2022), (45, "target", 2025)]  # the clause due later is a target
    text = text.replace("。到2025年", "。\n到2025年")
    assert kinds_years(text) == [(44.3, "actual", 2022), (45, "target", 2025)]


def test_a_year_in_chinese_numerals_dates_what_follows_and_a_base_year_does_not():
    text = "一、远景目标\n展望二〇三五年，人均地区生产总值在2020年基础上翻一番，森林覆盖率达到50%。\n"
    found = [(t.metric, t.value, t.unit, t.year) for t in targets(text)]
    assert found == [("人均地区生产总值", 1, "番", 2035), ("森林覆盖率", 50, "%", 2035)]
    assert heading_year("第二章 二○三五年远景目标") == 2035


def test_a_later_figure_keeps_the_subject_of_the_growth_before_it_and_cities_and_villages_split():
    text = "一、主要目标\n地区生产总值年均增长5.5%左右，力争到2030年突破5500亿元。城乡居民人均可支配收入分别达到5.6万元、2.6万元。\n"
    assert [t.metric for t in targets(text)] == ["地区生产总值年均增速", "地区生产总值", "城镇居民人均可支配收入", "农村居民人均可支配收入"]


def test_a_communique_s_note_markers_stay_out_of_figures_and_names():
    text = ("青川市2025年国民经济和社会发展统计公报\n一、综合\n全年地区生产总值[1]3856.2亿元，比上年增长5.6%。"
            "全年居民消费价格比上年上涨0.4%①。\n")
    assert [(t.metric, t.value, t.year) for t in targets(text)] == [
        ("全年地区生产总值", 3856.2, 2025), ("全年地区生产总值增速", 5.6, 2025), ("全年居民消费价格增速", 0.4, 2025)]


def test_a_plan_period_or_a_year_range_in_a_sentence_dates_it_but_not_in_a_cited_title():
    head = "青川市“十四五”时期城市建设规划\n三、主要任务\n"
    assert kinds_years(head + "到“十四五”末，新建公园50个。“十五五”期间，新建学校30所。2024—2025年，每年新增就业3万人。\n") == [
        (50, "target", 2025), (30, "target", 2030), (3, "target", 2025)]
    assert kinds_years(head + "编制《青川市绿地系统规划（2021—2035年）》，新建公园50个。\n") == [(50, "target", None)]


def test_each_clause_takes_the_latest_year_before_it_in_its_sentence():
    from planwatch.extract import extract_targets
    from planwatch.ingest import document_from_text
    from planwatch.outline import parse_outline

    text = "临河区实施意见\n一、主要目标\n到2027年，数字经济核心产业增加值占比达到12%；到2030年，达到15%。"
    found = extract_targets(parse_outline(document_from_text(text, path="t.txt")))
    assert [(t.value, t.year) for t in found] == [(12, 2027), (15, 2030)]
