"""Each construction of plan language, on sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from planwatch.extract import extract, extract_targets
from planwatch.extract.numbers import find_mentions
from planwatch.extract.tasks import find_deadlines
from planwatch.ingest import document_from_text
from planwatch.outline import parse_outline


def targets(text: str):
    return extract_targets(parse_outline(document_from_text(text, path="t.txt")))


def one(text: str):
    found = targets("一、目标\n" + text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "sentence, value, unit, comparator, type_",
    [
        ("绿化覆盖率提高到48%。", 48, "%", "=", "level"),
        ("城市污水处理率达到97%以上。", 97, "%", ">=", "level"),
        ("失业率控制在4.5%以内。", 4.5, "%", "<=", "level"),
        ("常住人口控制在90万人。", 90, "万人", "<=", "level"),
        ("能耗不超过120万吨标准煤。", 120, "万吨标准煤", "<=", "level"),
        ("全员劳动生产率约26万元/人。", 26, "万元/人", "~", "level"),
        ("新增公园绿地120公顷。", 120, "公顷", "=", "increase"),
        ("建成充电桩1.2万座。", 1.2, "万座", "=", "increase"),
        ("引进高层次人才500人以上。", 500, "人", ">=", "increase"),
        ("地区生产总值年均增长6%左右。", 6, "%", "~", "annual_growth"),
        ("累计减少建设用地3平方公里。", 3, "平方公里", "=", "decrease"),
        ("建成各类学校20余所。", 20, "所", ">=", "increase"),
        ("研发投入强度提高0.5个百分点。", 0.5, "个百分点", "=", "increase"),
        ("每万人拥有执业医师达到35人。", 35, "人", "=", "level"),
        ("税收收入突破1000亿元。", 1000, "亿元", ">=", "level"),
        ("打造千亿级产业集群。", 1000, "亿元", ">=", "level"),
        ("新建一所区域医疗中心。", 1, "所", "=", "increase"),
        ("建设3-5个特色小镇。", 3, "个", ">=", "increase"),
        ("辖区内就业人数近8万人。", 8, "万人", "~", "level"),
        ("上市企业总数突破300家。", 300, "家", ">=", "level"),
        ("累计新建口袋公园超过30个。", 30, "个", ">=", "increase"),
        ("服务业增加值约占地区生产总值的58%。", 58, "%", "~", "level"),
    ],
)
def test_value_unit_comparator_type(sentence, value, unit, comparator, type_):
    t = one(sentence)
    assert (t.value, t.unit, t.comparator, t.type) == (value, unit, comparator, type_)


@pytest.mark.parametrize(
    "sentence",
    [
        "推进500千伏输变电工程建设。",
        "加快地铁8号线三期建设。",
        "改造105国道。",
        "推动5G网络覆盖。",
        "完善12345热线服务。",
        "创建二星级绿色建筑。",
        "深入贯彻党的十九大精神。",
        "落实“四个中心”功能。",
        "实施国发〔2021〕15号文件。",
        "于2021年3月印发。",
        "建设一批创新平台。",
        "设立24小时城市书房。",
    ],
)
def test_not_records(sentence):
    assert targets("一、目标\n" + sentence) == []


def test_respectively_gives_one_record_per_metric():
    found = targets("一、目标\n森林覆盖率、湿地保护率分别提高到44%、70%。")
    assert [(t.metric, t.value) for t in found] == [("森林覆盖率", 44), ("湿地保护率", 70)]


def test_a_figure_shared_by_joined_subjects_gives_one_record_each():
    found = targets("一、目标\n到2025年，受污染耕地和污染地块安全利用率均达到95%左右。")
    assert [t.metric for t in found] == ["受污染耕地安全利用率", "污染地块安全利用率"]
    assert {(t.value, t.comparator) for t in found} == {(95, "~")}
    assert one("药品抽检合格率均达到100%。").metric == "药品抽检合格率"


def test_a_bounded_share_written_as_an_attribute_is_a_target():
    t = one("建立不低于常住人口2‰的社区志愿服务队伍。")
    assert (t.metric, t.value, t.unit, t.comparator) == ("社区志愿服务队伍占常住人口比例", 2, "‰", ">=")


def test_a_one_year_change_takes_the_subject_of_the_figure_before_it():
    found = targets("一、综合\n全年地区生产总值1583亿元，比上年增长5.6%；一般公共预算收入96亿元，同比下降2.1%。")
    assert [(t.metric, t.type) for t in found] == [("全年地区生产总值", "level"), ("全年地区生产总值增速", "annual_growth"),
                                                   ("一般公共预算收入", "level"), ("一般公共预算收入降幅", "decrease")]


def test_baseline_from_current_value():
    t = one("建设用地规模由现状186平方公里减到180平方公里。")
    assert (t.value, t.baseline, t.type) == (180, 186, "level")


def test_list_of_places_before_count():
    t = one("建成北站、东站、南站3个交通枢纽。")
    assert (t.value, t.unit, t.metric, t.type) == (3, "个", "交通枢纽", "increase")


def test_years_explicit_from_sentence_and_lead_in():
    text = "一、目标\n到2023年底,实现以下目标:\n绿化覆盖率提高到48%。\n二、任务\n到2024年,建成水厂,污水处理率达到97%。\n"
    found = targets(text)
    assert [(t.value, t.year, t.year_explicit) for t in found] == [(48, 2023, False), (97, 2024, False)]
    t = targets("一、目标\n到2025年森林覆盖率达到44%。")[0]
    assert (t.year, t.year_explicit) == (2025, True)


def test_review_section_gives_actual_with_period_end():
    text = "临河区“十四五”规划\n第一章 发展基础\n第一节 “十三五”时期发展成就\n地区生产总值达到1260亿元。\n第二章 目标\n地区生产总值达到1800亿元。\n"
    found = targets(text)
    assert [(t.kind, t.year) for t in found] == [("actual", 2020), ("target", None)]


def test_indicator_table_rows():
    text = (
        "临河区“十四五”规划\n一、主要指标\n到2025年,主要指标如下。\n主要指标表\n"
        "序号 | 指标 | 2020年 | 2025年目标 | 属性 |\n"
        "1 | 地区生产总值年均增速(%) | 7.2 | 6 | 预期性 |\n"
        "2 | 森林覆盖率(%) | 41.5 | ≥44 | 约束性 |\n"
        "3 | 用水总量(亿立方米) | 2.1 | 达到市级要求 | 约束性 |\n"
    )
    rows = [t for t in targets(text) if t.binding]
    assert [(t.metric, t.value, t.unit, t.baseline, t.comparator, t.type, t.year, t.binding) for t in rows] == [
        ("地区生产总值年均增速", 6, "%", 7.2, "=", "annual_growth", 2025, "预期性"),
        ("森林覆盖率", 44, "%", 41.5, ">=", "level", 2025, "约束性"),
        # no target figure, but a number somewhere (GUIDE): what the base year reached
        ("用水总量", 2.1, "亿立方米", None, "=", "level", 2020, "约束性"),
    ]
    assert [t.kind for t in rows] == ["target", "target", "actual"]


def test_quote_and_span_point_into_the_original():
    doc = document_from_text("一、目標\n森林覆蓋率提高到44%。\n", path="t.txt")
    t = extract_targets(parse_outline(doc))[0]
    assert t.quote == "森林覆蓋率提高到44%"
    assert doc.original[t.span.start : t.span.end] == t.quote
    assert t.metric == "森林覆盖率"


@pytest.mark.parametrize(
    "text, dates",
    [
        ("到2020年底完成", [date(2020, 12, 31)]),
        ("2022年上半年实现开工", [date(2022, 6, 30)]),
        ("到2025年建成", [date(2025, 12, 31)]),
        ("2019年底前完成", [date(2019, 12, 31)]),
        ("2023年6月底前出台", [date(2023, 6, 30)]),
        ("自2021年起实施", []),
        ("2024年一季度末前完成", [date(2024, 3, 31)]),
        ("2023年第三季度完成", [date(2023, 9, 30)]),
        ("2024年年中投入使用", [date(2024, 6, 30)]),
        ("到“十四五”末基本建成", [date(2025, 12, 31)]),
        # a year opening a clause dates it; a starting year does not
        ("支持企业做大，2027年软件业务收入突破200亿元", [date(2027, 12, 31)]),
        ("2020年以来，累计建成绿道300公里", []),
        ("与2020年相比下降5%", []),
        ("展望二〇三五年，基本建成", [date(2035, 12, 31)]),
    ],
)
def test_deadlines(text, dates):
    assert find_deadlines(text) == dates


def test_tasks_and_projects_from_demo_style_plan(sample_txt):
    from planwatch.pipeline import process

    result = process(sample_txt)
    titles = [t.title for t in result.tasks]
    assert titles == ["扩大绿色空间", "治理水环境"]
    water = result.tasks[1]
    assert water.deadlines == (date(2024, 12, 31),)
    assert water.section == ("重点任务",)
    names = [(p.action, p.name) for p in result.projects]
    assert ("建设", "北湖湿地公园") in names and ("加快实施", "滨河绿道工程") in names and ("建成", "第二再生水厂") in names


def test_mentions_convert_chinese_numerals_only_when_captured():
    assert [m.value for m in find_mentions("一般性支出压减十二项")] == []
    assert [(m.value, m.unit) for m in find_mentions("四万农民进城")] == [(4, "万")]


def test_extract_is_pure_over_the_outline(sample_txt):
    from planwatch.ingest import read_document

    outline = parse_outline(read_document(sample_txt))
    assert extract(outline) == extract(outline)


def test_rows_of_a_task_assignment_table_are_tasks(table_plan):
    from datetime import date

    from planwatch.pipeline import process

    tasks = process(table_plan).tasks
    assert [t.title for t in tasks] == ["推行企业开办全程网上办理", "建设区级政务服务中心综合窗口", "完善中小企业融资担保体系"]
    first = tasks[0]
    assert first.lead == ("区市场监管局",) and first.support == ("区政务服务局", "区税务局")
    assert first.deadlines == (date(2022, 6, 30),) and tasks[2].deadlines == ()
    assert first.label == "1" and first.section == ("重点任务分工",)
    original = table_plan.read_text(encoding="utf-8")
    assert original[first.span.start:first.span.end].startswith("推行企业开办全程网上办理")


def test_rows_of_a_project_table_are_projects(tmp_path):
    from planwatch.pipeline import process

    path = tmp_path / "重大项目.txt"
    path.write_text("临河区重大项目实施方案\n一、重大项目清单\n序号 | 项目名称 | 建设性质 | 责任单位 |\n"
                    "1 | 青溪第二再生水厂 | 新建 | 区水务局 |\n2 | 北湖湿地公园二期 | 续建 | 区园林绿化局 |\n", encoding="utf-8")
    projects = process(path).projects
    assert [(p.name, p.action) for p in projects] == [("青溪第二再生水厂", "新建"), ("北湖湿地公园二期", "续建")]
    assert all(path.read_text(encoding="utf-8")[p.span.start:p.span.end] == p.name for p in projects)


@pytest.mark.parametrize(("text", "lead", "support"), [
    ("建成5G基站2000个。(牵头单位:区科信局;配合单位:区住房城乡建设委、区城市管理委)", ["区科信局"], ["区住房城乡建设委", "区城市管理委"]),
    ("培育数字产业集群。(责任单位:区商务局、区科信局)", ["区商务局", "区科信局"], []),
    ("推进政务数据共享。区政务服务局牵头,各街道配合,2022年底前完成。", ["区政务服务局"], ["各街道"]),
    ("坚持政府引导、市场主导。", [], []),
])
def test_lead_and_cooperating_units(text, lead, support):
    from planwatch.extract.tasks import find_units

    assert find_units(text) == (lead, support)


def test_a_unit_named_with_he_stays_one_unit():
    from planwatch.extract.tasks import find_units

    assert find_units("(责任单位:市工业和信息化局、市通信管理办)") == (["市工业和信息化局", "市通信管理办"], [])
    assert find_units("(责任单位:市发展改革委和市财政局)") == (["市发展改革委", "市财政局"], [])


def test_extract_computes_only_the_kinds_asked_for():
    from planwatch.demo import demo_plan_path
    from planwatch.ingest import read_document

    outline = parse_outline(read_document(demo_plan_path()))
    whole = extract(outline)
    assert whole.targets and whole.tasks and whole.projects
    only_targets = extract(outline, {"targets"})
    assert only_targets.targets == whole.targets and not only_targets.tasks and not only_targets.projects
    only_projects = extract(outline, {"projects"})
    assert only_projects.projects == whole.projects and not only_projects.targets


@pytest.mark.parametrize(
    "sentence, metric",
    [
        ("一般公共预算收入完成86亿元。", "一般公共预算收入"),
        ("城镇新增就业累计完成3.2万人。", "城镇新增就业"),
    ],
)
def test_the_verb_before_a_figure_is_no_part_of_its_metric(sentence, metric):
    assert one(sentence).metric == metric


def test_a_growth_over_a_year_range_is_the_previous_indicators():
    found = targets("一、进展\n2023年全区地区生产总值达到420亿元，2021—2023年年均增长5.8%。")
    assert [(t.metric, t.type) for t in found] == [("地区生产总值", "level"), ("地区生产总值年均增速", "annual_growth")]


@pytest.mark.parametrize(
    "sentence, value, unit, comparator",
    [
        ("企业开办时间压缩至1个工作日以内。", 1, "个工作日", "<="),
        ("工程建设项目审批时间压缩至45个工作日内。", 45, "个工作日", "<="),
        ("不动产登记办理时限缩短到3天。", 3, "天", "="),
        ("全年空气质量优良天数达到300天以上。", 300, "天", ">="),
    ],
)
def test_service_times_are_levels(sentence, value, unit, comparator):
    t = one(sentence)
    assert (t.value, t.unit, t.comparator, t.type) == (value, unit, comparator, "level")


def test_days_that_name_a_service_are_no_record():
    assert targets("一、任务\n全面推行7天无理由退货。") == []


@pytest.mark.parametrize(
    "sentence, metric",
    [
        ("火灾事故起数下降12%。", "火灾事故起数降幅"),
        ("单位地区生产总值能耗累计下降9.8%。", "单位地区生产总值能耗累计降幅"),
        ("细颗粒物浓度比2020年下降18%。", "细颗粒物浓度比2020年下降"),
    ],
)
def test_a_rate_of_decrease_is_the_indicators_fall(sentence, metric):
    t = one(sentence)
    assert (t.metric, t.type) == (metric, "decrease")


def test_a_list_item_after_a_figure_is_named_by_itself():
    found = targets("一、目标\n到2025年，新建体育公园8个、全民健身中心5个，培育企业10家、森林抚育2万亩。")
    assert [t.metric for t in found] == ["新建体育公园", "全民健身中心", "培育企业", "森林抚育"]


def test_a_threshold_passed_is_a_level_of_the_indicator_before_it():
    t = one("全区地区生产总值迈上800亿元台阶。")
    assert (t.metric, t.value, t.unit, t.comparator, t.type) == ("地区生产总值", 800, "亿元", ">=", "level")


def test_a_clause_of_only_li_zheng_and_a_verb_takes_the_indicator_before_it():
    found = targets("一、目标\n到2030年，地区生产总值年均增长5%左右，力争突破900亿元。")
    assert [(t.metric, t.value) for t in found] == [("地区生产总值年均增速", 5), ("地区生产总值", 900)]


@pytest.mark.parametrize(
    "sentence, metrics",
    [
        # a measure written once after a 分别 list goes to the items that have none
        ("建成区绿地率、绿化覆盖率分别达到40%、45%。", ["建成区绿地率", "绿化覆盖率"]),
        ("受污染耕地和污染地块安全利用率分别达到95%、90%。", ["受污染耕地安全利用率", "污染地块安全利用率"]),
        ("森林、草原覆盖率分别达到40%、60%。", ["森林覆盖率", "草原覆盖率"]),
        # a list item with its own verb after a figure, and a fall beside a level
        ("森林覆盖率达到32%、森林蓄积量达到1.5亿立方米。", ["森林覆盖率", "森林蓄积量"]),
        ("城镇化率达到70%、户籍人口城镇化率提高到50%。", ["城镇化率", "户籍人口城镇化率"]),
        ("粮食产量120万吨、比上年下降2.1%。", ["粮食产量", "粮食产量降幅"]),
    ],
)
def test_the_metrics_of_a_list(sentence, metrics):
    assert [t.metric for t in targets("一、目标\n到2025年，" + sentence)] == metrics
