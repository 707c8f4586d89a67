"""Numbers in the forms plans write them, lists of stocks, unfilled indicator rows and lines a PDF
broke early, on sentences and files written for these tests."""

from __future__ import annotations

import pytest

from planwatch.extract import extract_targets
from planwatch.ingest import document_from_text, read_document
from planwatch.outline import parse_outline


def targets(text: str):
    return extract_targets(parse_outline(document_from_text("临河区行动方案\n一、目标\n" + text, path="t.txt")))


def fields(text: str):
    return [(t.value, t.unit, t.comparator, t.type) for t in targets(text)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a numeral with its magnitude counts, not only after a build verb
        ("新引进青年人才三万人。", [(30000, "人", "=", "increase")]),
        ("其中高层次人才五百名以上。", [(500, "名", ">=", "increase")]),
        ("全区共有科技型企业两千三百家。", [(2300, "家", "=", "level")]),
        # a round magnitude passed (GUIDE: 突破百万, 超百家)
        ("培育专精特新企业超百家。", [(100, "家", ">=", "increase")]),
        ("新能源汽车保有量突破百万辆。", [(1_000_000, "辆", ">=", "level")]),
        # a count of things done after 实施 / 办好
        ("继续办好十项民生实事。", [(10, "项", "=", "increase")]),
        # a rate keeps its time in the unit
        ("新增污水处理能力12万吨/日。", [(12, "万吨/日", "=", "increase")]),
        # units in Latin letters
        ("全区智能算力规模达到800PFlops。", [(800, "PFlops", "=", "level")]),
        ("新增光伏装机120MW。", [(120, "MW", "=", "increase")]),
        # a negative figure
        ("人口自然增长率为-0.86‰。", [(-0.86, "‰", "=", "level")]),
        # 淘汰 takes away; 扩大到 is the level reached
        ("淘汰老旧营运货车3200辆。", [(3200, "辆", "=", "decrease")]),
        ("城区建成区面积扩大到48平方公里。", [(48, "平方公里", "=", "level")]),
    ],
)
def test_numbers_as_plans_write_them(sentence, expected):
    assert fields(sentence) == expected


def test_slogans_and_spans_stay_out():
    # 八项规定 names a rule, 2021-2025 is a span and no minus sign, 三大行动 has no build verb
    assert targets("严格落实中央八项规定精神。") == []
    assert all(t.value > 0 for t in targets("2021-2025年森林覆盖率提高到46%。"))
    assert targets("实施“三大行动”。") == []


def test_a_count_of_what_there_is_goes_on_over_its_list():
    found = targets("年末全区共有公共图书馆6个，文化馆7个，博物馆12个。")
    assert [(t.metric, t.value, t.type) for t in found] == [
        ("年末全区共有公共图书馆", 6, "level"), ("文化馆", 7, "level"), ("博物馆", 12, "level")]
    # a date is not such an opening: what is built stays an addition
    built = targets("到2025年末，建成口袋公园10个，体育场5个。")
    assert [t.type for t in built] == ["increase", "increase"]


def test_an_indicator_row_without_a_target_figure():
    text = (
        "主要指标\n"
        "| 类别 | 指标 | 2025年 | 2030年 | 年均增长/累计 | 属性 |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 经济 | 地区生产总值增长(%) | 5.8 | — | 5左右 | 预期性 |\n"
        "| 民生 | 城镇调查失业率(%) | 4.9 | — | <5.5 | 预期性 |\n"
        "| 绿色 | 单位地区生产总值能源消耗降低(%) | 〔13.5〕 | — | 完成市下达任务 | 约束性 |\n"
        "| 绿色 | 森林覆盖率(%) | 44.2 | 45 | — | 约束性 |\n"
    )
    found = [(t.kind, t.metric, t.value, t.comparator, t.type, t.baseline, t.year, t.binding) for t in targets(text)]
    assert found == [
        # the 年均增长 cell is the target where the 2030 cell is empty
        ("target", "地区生产总值年均增速", 5, "~", "annual_growth", 5.8, 2030, "预期性"),
        ("target", "城镇调查失业率", 5.5, "<=", "level", 4.9, 2030, "预期性"),
        # only the base year's figure: what was reached then
        ("actual", "单位地区生产总值能源消耗降幅", 13.5, "=", "decrease", None, 2025, "约束性"),
        ("target", "森林覆盖率", 45, "=", "level", 44.2, 2030, "约束性"),
    ]


def _typeset(paragraph: str, width: float, size: float) -> list[str]:
    """Greedy line breaking as a word processor does it: a figure with its sign and the mark after
    it (92.4%，) is never split, so a line ends early where the figure does not fit."""
    import re

    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for token in re.findall(r"[\d.]+%?[，。、]?|.", paragraph):
        if line and stringWidth(line + token, "STSong-Light", size) > width:
            lines.append(line)
            line = ""
        line += token
    return [*lines, line]


def test_a_pdf_line_broken_before_a_figure_that_did_not_fit_is_rejoined(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "wrapped.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 11)
    paragraph = ("“十四五”以来，全区坚持生态优先、绿色发展，污染防治攻坚战取得明显成效，生态环境质量稳步改善，"
                 "生态屏障更加牢固。2025年，全区空气质量优良天数比例达92.4%，细颗粒物平均浓度降至28微克/立方米，"
                 "比2020年下降11.2%，地表水质量优良比例达到90%，森林覆盖率达到46.5%，城市绿化覆盖率达到43.8%。")
    # a column width at which the figure does not fit on the line of its verb, and at least 4
    # characters' width is left empty there (what a margin-only check by character count misses)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width, body = next((w, b) for w in range(380, 500) for b in [_typeset(paragraph, w, 11)]
                       if any(a.endswith("比例达") and n.startswith("92.4%") and w - stringWidth(a, "STSong-Light", 11) > 20
                              for a, n in zip(b, b[1:], strict=False)))
    lines = ["第一章 发展基础", *body, "1. 第一项工作"]
    for i, line in enumerate(lines):
        c.drawString(72, 760 - i * 18, line)
    c.save()
    text = read_document(path).text
    assert "比例达92.4%" in text
    assert "1. 第一项工作" in text.splitlines()  # a numbered heading still starts its own line


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("粮食综合生产能力稳定在百万吨以上。", [(1_000_000, "吨", ">=", "level")]),
        ("集装箱吞吐量达到610万标准箱。", [(610, "万标准箱", "=", "level")]),
        # additions, however the total or the change is written
        ("新开工高速公路200公里。", [(200, "公里", "=", "increase")]),
        ("城镇新增就业累计25万人。", [(25, "万人", "=", "increase")]),
        ("城乡居民基础养老金每人每年再提高30元。", [(30, "元", "=", "increase")]),
        ("高新技术企业数量翻一番。", [(1, "番", "=", "increase")]),
        # work done in the year stays a level after 完成, and a reduction stays one
        ("完成客运量3.2亿人次、货运量28.4亿吨。", [(3.2, "亿人次", "=", "level"), (28.4, "亿吨", "=", "level")]),
        ("压减地下水开采量1.5亿立方米。", [(1.5, "亿立方米", "=", "decrease")]),
    ],
)
def test_more_numbers_as_plans_write_them(sentence, expected):
    assert fields(sentence) == expected


def test_two_subjects_doubling_and_a_year_between_an_indicator_and_its_verb():
    found = targets("到2030年，经济总量和城乡居民人均收入在2025年基础上再翻一番，重点设施数字化率2028年达到60%。")
    assert [(t.metric, t.value, t.year) for t in found] == [
        ("经济总量", 1, 2030), ("城乡居民人均收入", 1, 2030), ("重点设施数字化率", 60, 2028)]


def test_where_a_plan_starts_from_and_what_a_review_compares_with():
    text = ("临河区制造业高质量发展实施方案(2026—2028年)\n一、基础\n"
            "近年来，我区制造业发展势头良好，2024年全区规上工业企业172家，实现规上工业营业收入455.8亿元。\n"
            "二、发展回顾\n“十四五”时期，全区铁路营业里程达到612公里，较“十三五”末新增214公里。\n")
    doc = document_from_text(text, path="t.txt")
    found = extract_targets(parse_outline(doc))
    assert [(t.kind, t.value, t.year) for t in found] == [
        ("actual", 172, 2024), ("actual", 455.8, 2024), ("actual", 612, 2025), ("actual", 214, 2025)]


def test_a_work_report_opens_its_review_with_the_year_reviewed():
    text = ("临河区2026年政府工作报告\n一、2025年工作回顾\n"
            "2025年是“十四五”规划收官之年。全区地区生产总值达到326亿元、增长5.6%。\n"
            "二、2026年工作安排\n2026年是“十五五”规划开局之年。全区地区生产总值增长5%左右。\n")
    found = extract_targets(parse_outline(document_from_text(text, path="t.txt")))
    assert [(t.kind, t.value, t.year) for t in found] == [("actual", 326, 2025), ("actual", 5.6, 2025), ("target", 5, 2026)]


def test_a_results_table_names_each_row_by_its_own_name_not_its_category():
    text = ("临河区2025年国民经济和社会发展统计公报\n一、综合\n表1 分行业增加值\n"
            "产业 | 行业 | 增加值(亿元) | 比上年增长(%) |\n"
            "第二产业 | 工业 | 97.55 | 7.4 |\n第二产业 | 建筑业 | 21.35 | -2.1 |\n")
    found = extract_targets(parse_outline(document_from_text(text, path="t.txt")))
    assert [(t.metric, t.value, t.type) for t in found] == [
        ("工业增加值", 97.55, "level"), ("工业增加值增速", 7.4, "annual_growth"),
        ("建筑业增加值", 21.35, "level"), ("建筑业增加值增速", -2.1, "annual_growth")]
    assert all(t.quote.startswith(("工业", "建筑业")) for t in found)


def test_a_sum_that_defines_a_class_is_no_record():
    assert targets("规模以上工业统计范围为年主营业务收入2000万元及以上的工业企业。") == []


def test_an_indicator_table_that_goes_on_over_a_page_repeats_its_header():
    text = ("主要指标\n| 指标 | 单位 | 2025年 | 2030年 | 属性 |\n| --- | --- | --- | --- | --- |\n"
            "| 森林覆盖率 | % | 44 | 46 | 约束性 |\n| 指标 | 单位 | 2025年 | 2030年 | 属性 |\n| 公路里程 | 公里 | 9800 | 10500 | 预期性 |\n")
    assert [(t.metric, t.value) for t in targets(text)] == [("森林覆盖率", 46), ("公路里程", 10500)]


def test_markdown_escapes_and_footnotes_are_markup(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("# 临河区实施方案\n\n## 一、主要目标\n\n3\\. 制造业增加值占比提高到30%[^1]。\n\n[^1]: 按现价计算。\n", encoding="utf-8")
    doc = read_document(path)
    assert "3. 制造业增加值占比提高到30%。" in doc.text.splitlines() and "按现价计算。" in doc.text.splitlines()
    [t] = extract_targets(parse_outline(doc))
    assert (t.value, t.unit) == (30, "%") and "[^1]" not in t.metric


def test_an_html_page_keeps_the_article_heading_that_stands_outside_its_text(tmp_path):
    path = tmp_path / "report.html"
    body = "".join(f"<p>第{i}段，全区推进各项工作。</p>" for i in range(20))
    path.write_text(f"<html><head><title>2026年临河区政府工作报告_临河区人民政府门户网站</title></head><body>"
                    f"<div class='art-title'><h1>2026年临河区政府工作报告</h1></div><div id='content'>{body}</div></body></html>",
                    encoding="utf-8")
    doc = read_document(path)
    assert doc.text.splitlines()[0] == "2026年临河区政府工作报告"
    assert (doc.metadata.title, doc.metadata.genre, doc.metadata.year) == ("2026年临河区政府工作报告", "work_report", 2026)


def test_a_plan_looking_ahead_names_its_vision_year():
    doc = document_from_text("临河区“十五五”规划\n前言\n规划期为2026—2030年，展望到2035年。\n", path="t.txt")
    assert doc.metadata.vision_year == 2035


def test_respective_changes_go_to_their_own_figures_and_verbs_leave_the_name():
    found = targets("全区接待游客6.35亿人次、实现旅游总收入68亿元，分别增长9.2%和11.5%。港口货物吞吐量力争达到3亿吨。城乡居民收入比缩小到2.28。")
    assert [(t.metric, t.value) for t in found] == [
        ("接待游客", 6.35), ("旅游总收入", 68), ("接待游客增速", 9.2), ("旅游总收入增速", 11.5),
        ("港口货物吞吐量", 3), ("城乡居民收入比", 2.28)]


def test_a_progress_table_gives_each_row_its_target_and_what_was_reached():
    text = ("临河区“十四五”规划实施中期评估报告\n一、主要指标完成情况\n表1 主要指标完成情况\n"
            "指标 | 2020年基期 | 2025年目标 | 2022年完成值 | 进度评价 |\n"
            "地区生产总值(亿元) | 392 | 520 | 428.6 | 滞后 |\n"
            "居民人均可支配收入增长(%) | — | 与经济增长同步 | 6.2 | 符合预期 |\n")
    found = [(t.kind, t.metric, t.value, t.year) for t in targets(text)]
    assert ("target", "地区生产总值", 520, 2025) in found and ("actual", "地区生产总值", 428.6, 2022) in found
    assert ("actual", "居民人均可支配收入增速", 6.2, 2022) in found


def test_a_target_quoted_where_progress_is_reported():
    text = ("临河区“十四五”规划实施中期评估报告\n一、主要指标完成情况\n"
            "数字经济核心产业增加值占比达到8.1%，已提前完成2025年8%的目标；城镇调查失业率4.9%，控制在5.5%的目标以内。\n")
    found = extract_targets(parse_outline(document_from_text(text, path="t.txt")))
    assert [(t.kind, t.value, t.comparator) for t in found] == [
        ("actual", 8.1, "="), ("target", 8, "="), ("actual", 4.9, "="), ("target", 5.5, "<=")]
    assert found[1].year == 2025


def test_a_table_of_changes_by_region_with_its_unit_above_it():
    text = ("临河区2025年国民经济和社会发展统计公报\n一、综合\n表1 2025年居民消费价格比上年涨跌幅度\n单位：%\n"
            "指标\t全区\t城市\t农村\n居民消费价格\t0.3\t0.3\t0.2\n食品烟酒\t-0.8\t-0.7\t-1.0\n")
    found = extract_targets(parse_outline(document_from_text(text, path="t.txt")))
    assert [(t.value, t.unit, t.type) for t in found] == [
        (0.3, "%", "annual_growth"), (0.3, "%", "annual_growth"), (0.2, "%", "annual_growth"),
        (-0.8, "%", "annual_growth"), (-0.7, "%", "annual_growth"), (-1, "%", "annual_growth")]


@pytest.mark.parametrize("text, value", [("三万", 3e4), ("两千三百万", 2.3e7), ("百万", 1e6), ("五亿三千万", 5.3e8),
                                         ("三千五百亿", 3.5e11), ("三万亿", 3e12), ("三千零五", 3005)])
def test_chinese_numerals_of_every_size(text, value):
    from planwatch.extract.numbers import cn_value

    assert cn_value(text) == value


def test_bounded_chinese_counts_per_mille_points_and_yearly_targets():
    found = targets("到2027年，建成老年助餐点八十个以上，培训养老护理员累计三千人次，每年遴选示范性托育机构2家。婴儿死亡率较上年下降0.3个千分点。")
    assert [(t.value, t.unit, t.comparator, t.year) for t in found] == [
        (80, "个", ">=", 2027), (3000, "人次", "=", 2027), (2, "家", "=", None), (0.3, "个千分点", "=", 2027)]


def test_a_year_after_li_zheng_is_due_and_an_added_harvest_is_its_crops_change():
    found = targets("力争2027年软件和信息服务业营业收入突破10亿元。粮食总产量283.6万吨，比上年增产3.6万吨。")
    assert [(t.metric, t.value, t.type, t.year) for t in found][0] == ("软件和信息服务业营业收入", 10, "level", 2027)
    assert (found[-1].metric, found[-1].type) == ("粮食总产量", "increase")


def test_ranges_after_a_unit_and_nouns_that_sound_like_verbs():
    assert all(t.value > 0 for t in targets("年均增长5%-6%，城镇新增就业2万-3万人。"))
    assert [t.type for t in targets("完成节能减排改造项目30个。")] == ["increase"]
    assert [t.type for t in targets("年末全县新建5G基站500个，数据中心2个。")] == ["increase", "increase"]
