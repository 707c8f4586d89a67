"""The same indicator across plans, and a city's targets against its districts' (issue 13)."""

from __future__ import annotations

import json

import pytest

from planwatch.assess.cascade import compare
from planwatch.extract.indicators import indicator, normalise
from planwatch.store.indicators import IndicatorTarget

# Fictional plans written for these tests: a city and two of its districts.
TABLE_HEAD = "类别 |\n序号 |\n指标 |\n2020年 |\n2025年目标 |\n属性 |\n|\n"
CITY = ("青川市国民经济和社会发展第十四个五年规划纲要\n青川市人民政府\n第一章 发展目标\n第一节 主要目标\n"
        "到2025年,全市森林覆盖率达到45%,城镇新增就业累计达到20万人。\n"
        "“十四五”时期青川市经济社会发展主要指标表\n" + TABLE_HEAD +
        "绿色生态 |\n1 |\n单位地区生产总值能耗降低(%) |\n— |\n14 |\n约束性 |\n|\n"
        "2 |\n空气质量优良天数比率(%) |\n85 |\n88 |\n约束性 |\n||\n")
DISTRICT = ("青川市{name}国民经济和社会发展第十四个五年规划纲要\n{name}人民政府\n第一章 发展目标\n第一节 主要目标\n"
            "到2025年,全区森林覆盖率达到{forest}%,城镇新增就业累计达到{jobs}万人,空气质量优良天数比率达到{air}%。\n")


@pytest.mark.parametrize(("metric", "type_", "name"), [
    ("全区森林覆盖率", "level", "森林覆盖率"),
    ("GDP增速", "annual_growth", "地区生产总值增速"),
    ("地区生产总值", "annual_growth", "地区生产总值增速"),  # growth named by its type only
    ("地区生产总值", "level", "地区生产总值"),
    ("单位GDP能耗累计降幅", "decrease", "单位地区生产总值能耗降低"),
    ("PM2.5年均浓度(比2015年)", "level", "细颗粒物年均浓度"),
    ("每千常住人口执业(助理)医师数", "level", "每千人口执业（助理）医师数"),
    ("森林覆盖率的", "level", "森林覆盖率"),
])
def test_names_map_to_one_indicator(metric, type_, name):
    assert indicator(metric, type_).name == name


@pytest.mark.parametrize(("a", "b"), [
    ("城镇居民人均可支配收入增速", "居民人均可支配收入增速"),  # a qualifier names another indicator
    ("乡镇污水处理率", "城市污水处理率"),
    ("出口总值增速", "进出口总额增速"),
    ("城镇调查失业率", "城镇登记失业率"),
])
def test_qualified_names_stay_apart(a, b):
    assert indicator(a).name != indicator(b).name


def test_direction_from_the_indicator_and_its_wording():
    assert indicator("城镇调查失业率").direction == "down"
    assert indicator("PM2.5浓度").direction == "down"
    assert indicator("生产安全事故死亡人数降幅").direction == "up"  # the reduction is the target
    assert normalise("年末常住人口增长率") == "年末常住人口增速"


def _t(plan_id: int, metric: str, value: float, unit: str = "%", type_: str = "level", comparator: str = "=",
       binding: str | None = None, year: int | None = 2025) -> IndicatorTarget:
    return IndicatorTarget(indicator(metric, type_), plan_id * 10, plan_id, f"plan {plan_id}", f"区{plan_id}", "区县", metric, value,
                           unit, comparator, type_, year, binding, metric, (), 0, 1)


def test_floor_below_follows_the_direction():
    city = [_t(1, "森林覆盖率", 45), _t(1, "城镇调查失业率", 5.5), _t(1, "细颗粒物年均浓度", 35, "微克/立方米", comparator="<=")]
    districts = [_t(2, "森林覆盖率", 40), _t(3, "森林覆盖率", 52), _t(2, "城镇调查失业率", 6), _t(3, "城镇调查失业率", 5),
                 _t(2, "PM2.5年均浓度", 36, "微克/立方米"), _t(3, "PM2.5浓度", 30, "微克/立方米")]
    found = {(c.kind, c.indicator): [t.plan_id for t in c.children] for c in compare(city, districts, 2)}
    assert found == {("floor_below", "森林覆盖率"): [2], ("floor_below", "城镇调查失业率"): [2],
                     ("floor_below", "细颗粒物年均浓度"): [2]}


def test_other_years_and_units_are_not_compared():
    city = [_t(1, "森林覆盖率", 45)]
    assert compare(city, [_t(2, "森林覆盖率", 40, year=2022), _t(3, "森林覆盖率", 40, unit="万亩")], 2) == []


def test_totals_only_when_every_district_carries_the_amount():
    city = [_t(1, "城镇新增就业", 20, "万人", "increase")]
    partial = [_t(2, "城镇新增就业", 8, "万人", "increase")]
    assert compare(city, partial, 2) == []
    full = [*partial, _t(3, "城镇新增就业", 12, "万人", "increase")]
    assert compare(city, full, 2) == []  # 8 + 12 = 20 adds up
    short = [*partial, _t(3, "城镇新增就业", 11, "万人", "increase")]
    (conflict,) = compare(city, short, 2)
    assert conflict.kind == "total_short" and "19万人" in conflict.detail
    cap = [_t(1, "城乡建设用地规模", 300, "平方公里", comparator="<=")]
    over = [_t(2, "城乡建设用地", 160, "平方公里"), _t(3, "城乡建设用地规模", 150, "平方公里")]
    assert [c.kind for c in compare(cap, over, 2)] == ["total_over"]


def test_binding_target_no_district_carries():
    city = [_t(1, "单位地区生产总值能耗降低", 14, binding="约束性"), _t(1, "文化产业增加值", 300, "亿元", binding="预期性")]
    (conflict,) = compare(city, [_t(2, "森林覆盖率", 40)], 1)
    assert conflict.kind == "binding_uncarried" and conflict.indicator == "单位地区生产总值能耗降低"


def test_cascade_finds_planted_conflicts_through_the_cli(run_cli, tmp_path, db_url):
    files = [tmp_path / "city.txt", tmp_path / "linhe.txt", tmp_path / "beihu.txt"]
    files[0].write_text(CITY, encoding="utf-8")
    files[1].write_text(DISTRICT.format(name="临河区", forest=40, jobs=8, air=90), encoding="utf-8")
    files[2].write_text(DISTRICT.format(name="北湖区", forest=52, jobs=9, air=89), encoding="utf-8")
    assert run_cli("ingest", *files, "--db", db_url).exit_code == 0

    listed = json.loads(run_cli("indicators", "--min-plans", "3", "--db", db_url, "--format", "json").output)
    forest = next(i for i in listed if i["indicator"] == "森林覆盖率")
    assert sorted(t["value"] for t in forest["targets"]) == [40, 45, 52]
    assert {t["level"] for t in forest["targets"]} == {"市", "区县"}

    out = run_cli("cascade", "--parent", "青川市国民经济", "--db", db_url, "--format", "json")
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert {c["region"] for c in result["children"]} == {"青川市北湖区", "青川市临河区"}
    kinds = {(c["kind"], c["indicator"]): c for c in result["conflicts"]}
    assert set(kinds) == {("floor_below", "森林覆盖率"), ("total_short", "城镇新增就业"),
                          ("binding_uncarried", "单位地区生产总值能耗降低")}
    floor = kinds["floor_below", "森林覆盖率"]
    assert [t["region"] for t in floor["children"]] == ["青川市临河区"]
    assert floor["parent"]["quote"] in CITY and floor["children"][0]["quote"] in files[1].read_text(encoding="utf-8")


def test_cascade_without_lower_plans_is_a_one_line_error(run_cli, tmp_path):
    path = tmp_path / "city.txt"
    path.write_text(CITY, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'one.db'}"
    run_cli("ingest", path, "--db", db)
    out = run_cli("cascade", "--parent", "1", "--db", db)
    assert out.exit_code == 1 and "no lower plans" in out.output
