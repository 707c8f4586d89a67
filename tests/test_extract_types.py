"""Types (level / increase / decrease / annual_growth) and bounded work, on sentences written for these tests."""

from __future__ import annotations

import pytest

from planwatch.extract import extract_targets
from planwatch.ingest import document_from_text
from planwatch.outline import parse_outline


def targets(text: str):
    return extract_targets(parse_outline(document_from_text("一、目标\n" + text, path="t.txt")))


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a one-year change written without 比上年 is annual_growth; 增长到X is a level reached
        ("全区生产总值增长5.2%。", [(5.2, "annual_growth")]),
        ("居民消费价格涨幅控制在3%左右。", [(3, "annual_growth")]),
        ("城乡居民人均可支配收入分别增长4.8%、6.2%。", [(4.8, "annual_growth"), (6.2, "annual_growth")]),
        ("绿色建筑占比增长到60%。", [(60, "level")]),
        # a growth figure beside a level is a second record
        ("外贸出口达2800亿元、增长7.5%。", [(2800, "level"), (7.5, "annual_growth")]),
        # additions, even of money
        ("新增专项债券额度320亿元。", [(320, "increase")]),
        ("各项贷款新增1600亿元。", [(1600, "increase")]),
        ("营造林45万亩。", [(45, "increase")]),
        # stocks, states and flows are levels
        ("新增科技型企业60家、累计410家。", [(60, "increase"), (410, "level")]),
        ("12项民生工程全面完成。", [(12, "level")]),
        ("6家博物馆晋级国家一级博物馆。", [(6, "level")]),
        ("45个项目纳入省级重点项目库。", [(45, "level")]),
        ("320个重大项目完成投资1800亿元。", [(320, "level"), (1800, "level")]),
        ("获省级科技奖25项。", [(25, "level")]),
        ("安排重大项目600个以上。", [(600, "level")]),
        ("开展职业技能培训12万人次。", [(12, "level")]),
        ("经营主体达86万户，其中企业31万户。", [(86, "level"), (31, "level")]),
        ("新建充电桩5000个，其中农村2000个。", [(5000, "increase"), (2000, "increase")]),
        # 每年 is a rate of time, not a per-unit level
        ("每年可减少企业用电支出约12亿元。", [(12, "decrease")]),
        # 增加值 is value added, a flow (a level), not the verb 增加; a stock counted at year end is a level
        ("第二产业增加值960.4亿元，增长6.1%。", [(960.4, "level"), (6.1, "annual_growth")]),
        ("年末全区共有规模以上工业企业812家，比上年末增加36家。", [(812, "level"), (36, "increase")]),
        ("累计建成城市绿道320公里。", [(320, "level")]),
        ("累计入市集体建设用地80公顷。", [(80, "increase")]),
        # a part of a stock counted in the same unit is a stock too; 建筑 is a noun, not the verb 建
        ("年末共有星级饭店42个，其中五星级饭店6个。", [(42, "level"), (6, "level")]),
        ("房屋建筑竣工面积1260万平方米。", [(1260, "level")]),
        # a flow named before 完成 is the period's amount; 治理 adds work done
        ("全年货运量完成2.85亿吨。", [(2.85, "level")]),
        ("完成造林3.2万亩。", [(3.2, "increase")]),
        ("治理水土流失面积120平方公里。", [(120, "increase")]),
        ("年末实有经营主体68.2万户，其中，企业23.5万户，个体工商户44.1万户。", [(68.2, "level"), (23.5, "level"), (44.1, "level")]),
        ("利润总额下降1.6%，降幅比上年收窄2.1个百分点。", [(1.6, "decrease"), (2.1, "decrease")]),
    ],
)
def test_types(sentence, expected):
    assert [(t.value, t.type) for t in targets(sentence)] == expected


def test_a_bare_change_after_a_level_is_named_for_its_indicator():
    found = {(t.value, t.metric, t.type) for t in targets(
        "第一产业增加值86.5亿元，增长3.2%；房屋施工面积2300万平方米，下降4.1%；常住人口城镇化率71.2%，比上年末提高0.6个百分点；"
        "规模以上工业增加值比上年增长6.8%；园区总收入年均增速达到12%。")}
    assert {(3.2, "第一产业增加值增速", "annual_growth"), (4.1, "房屋施工面积降幅", "decrease"),
            (0.6, "常住人口城镇化率", "increase"), (6.8, "规模以上工业增加值增速", "annual_growth")} <= found
    assert any(metric.endswith("年均增速") for value, metric, _ in found if value == 12)


def test_one_year_change_metric_names_the_indicator():
    found = targets("地区生产总值增长5.2%，外贸出口达2800亿元、增长7.5%，游客人数、旅游收入均增长9%。")
    assert [t.metric for t in found][:3] == ["地区生产总值增速", "外贸出口", "外贸出口增速"]
    # 均 gives each joined subject its own record
    assert [(t.value, t.type, t.metric.endswith("增速")) for t in found[3:]] == [(9, "annual_growth", True)] * 2


def test_new_units():
    found = targets("粮食总产达到42亿斤，开行班列320列，集装箱吞吐量突破300万标箱，工商业电价下降2分/千瓦时。")
    assert [(t.value, t.unit) for t in found] == [(42, "亿斤"), (320, "列"), (300, "万标箱"), (2, "分/千瓦时")]


class CountingPattern:
    """A compiled pattern that counts the characters it is asked to scan."""

    def __init__(self, pattern, counter):
        self.pattern, self.counter = pattern, counter

    def __getattr__(self, name):
        method = getattr(self.pattern, name)
        if not callable(method):
            return method

        def counted(first, *args, **kwargs):
            if name in ("sub", "subn"):  # sub(repl, text)
                self.counter["chars"] += len(args[0])
                return method(first, *args, **kwargs)
            pos = args[0] if args else kwargs.get("pos", 0)
            end = args[1] if len(args) > 1 else kwargs.get("endpos", len(first))
            self.counter["chars"] += max(0, min(end, len(first)) - pos)  # what pos and endpos let it see
            return method(first, *args, **kwargs)

        return counted


@pytest.mark.parametrize("separator", ["，", "、", ""])
def test_work_grows_linearly_on_a_line_without_sentence_punctuation(separator, monkeypatch):
    # No timing in tests (benchmarks do that): the characters the extractor's patterns are asked
    # to scan must grow like the line, so a line four times as long may not cost sixteen times.
    import planwatch.extract.numbers as numbers
    import planwatch.extract.targets as module

    counter = {"chars": 0}
    for mod in (module, numbers):
        for name in dir(mod):
            value = getattr(mod, name)
            if hasattr(value, "finditer") and hasattr(value, "pattern"):
                monkeypatch.setattr(mod, name, CountingPattern(value, counter))
    scanned = []
    for n in (150, 600):
        counter["chars"] = 0
        line = "".join(f"新建口袋公园{i}个{separator}" for i in range(n)) + "。"
        found = targets(line)
        scanned.append(counter["chars"] / len(line))
        assert len(found) >= n * 0.9
    assert scanned[1] <= scanned[0] * 1.5, scanned


def test_a_year_and_a_verb_or_a_change_since_a_year_take_the_indicator_before_them():
    found = [(t.metric, t.value, t.type) for t in targets(
        "全区生产总值年均增长6.8%,2020年达到960亿元;常住人口城镇化率达到71%,比2015年提高4.2个百分点。")]
    assert ("生产总值", 960, "level") in found  # named as the growth before it is (全区 is the noise it drops)
    assert ("常住人口城镇化率", 4.2, "increase") in found


@pytest.mark.parametrize(("sentence", "expected"), [
    # two quantities: how many, and the scale each reaches (GUIDE: 千亿级 → 1000 亿元 >=)
    ("培育千亿级产业集群3个。", [(1000, "亿元"), (3, "个")]),
    ("培育两个千亿级产业集群。", [(2, "个"), (1000, "亿元")]),
    ("打造千亿级产业园区。", [(1000, "亿元")]),  # alone, it is the record (GUIDE)
])
def test_a_magnitude_class_beside_a_count(sentence, expected):
    assert [(t.value, t.unit) for t in targets(sentence)] == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a count's alternate measure word in parentheses is part of its unit
    ("完成老旧设备更新3.6万台（套）。", [(3.6, "万台（套）")]),
    # an index or a ratio has no unit
    ("城乡居民收入倍差缩小至1.79。", [(1.79, "")]),
    ("城乡居民收入比为2.05。", [(2.05, "")]),
    # a sum that sizes what is counted is part of its name
    ("新开工5000万元以上项目200个。", [(200, "个")]),
    ("完成投资1300亿元以上，其中产业项目200个。", [(1300, "亿元"), (200, "个")]),
    # tenths as a share; the idiom and the word are no figures
    ("本地蔬菜市场份额超过四成。", [(4, "成")]),
    ("九成以上行政村实现通客车。", [(9, "成")]),
    ("政策一成不变，降低1成本。", []),
    # years of life or schooling; 3岁以下 names a group, 三年 is a span
    ("人均预期寿命达到80.5岁，劳动年龄人口平均受教育年限提高到11.5年以上。", [(80.5, "岁"), (11.5, "年")]),
    ("每千人口拥有3岁以下婴幼儿托位数达到4.5个。", [(4.5, "个")]),
    # thousands separators: normalised text writes the clause comma ， as , too
    ("投资规模达到1,234,567.89亿元，新建学校12所。", [(1234567.89, "亿元"), (12, "所")]),
    # livestock by head
    ("年末生猪存栏95.2万头，家禽存栏1320万只。", [(95.2, "万头"), (1320, "万只")]),
    # 千万级 alone counts anything; with 亿 it is money (GUIDE)
    ("开工建设千万级集装箱泊位群。", []),
    ("打造百亿级产业园区。", [(100, "亿元")]),
    # a count that names whose growth it is, is no record of its own
    ("12个重点产业集群营业收入增长9%。", [(9, "%")]),
])
def test_units_as_written(sentence, expected):
    assert [(t.value, t.unit) for t in targets(sentence)] == expected


@pytest.mark.parametrize(("sentence", "type_"), [
    ("供应建设用地26万亩以上。", "level"),  # 建设用地 is land, not the verb 建设
    ("腾退用地120公顷。", "increase"),
    ("惠及280万户家庭。", "level"),
])
def test_noun_verbs(sentence, type_):
    assert [t.type for t in targets(sentence)] == [type_]


def test_a_change_from_a_baseline_names_the_indicator_before_it():
    found = targets("全市地区生产总值由2020年的2860亿元增加到3856亿元，年均增长6.1%。")
    assert [(t.metric, t.value, t.baseline, t.type) for t in found] == [
        ("地区生产总值", 3856, 2860, "level"), ("地区生产总值年均增速", 6.1, None, "annual_growth")]


@pytest.mark.parametrize("label", ["1、", "1. ", "（1）", "（一）"])
def test_an_item_label_is_no_part_of_its_quote_or_metric(label):
    found = extract_targets(parse_outline(document_from_text(f"一、任务\n{label}新建公办幼儿园40所。\n", path="t.md")))
    assert [(t.metric, t.quote) for t in found] == [("新建公办幼儿园", "新建公办幼儿园40所")]


@pytest.mark.parametrize(
    "sentence, type_",
    [
        ("全年新能源汽车产量5.6万辆。", "level"),
        ("港口货物吞吐量1.2亿吨。", "level"),
        ("年末生猪存栏42万头。", "level"),
        ("新增产量5万吨。", "increase"),
        ("累计建设海外仓80个、总面积120万平方米。", "level"),
        ("全年共授权专利1.2万件。", "level"),
        ("全年新开工项目486个。", "increase"),
    ],
)
def test_a_flow_named_before_its_figure_is_a_level(sentence, type_):
    found = extract_targets(parse_outline(document_from_text("一、综合\n" + sentence, path="t.txt")))
    assert found[-1].type == type_
