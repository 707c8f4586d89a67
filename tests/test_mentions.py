"""One item, several mentions: a target restated in an annex or indicator table is one ledger
item with every place the plan states it kept as provenance; `extract` still lists each mention."""

from __future__ import annotations

import json

from planwatch.model import Span, Target
from planwatch.store.plan_rows import group_mentions

from .conftest import DEMO_PLAN


def _t(metric, value, *, comparator="=", year=2025, binding=None, kind="target", at=0, unit="%", table=False, section=()):
    return Target("plan.txt", kind, metric, value, unit, comparator, year=year, binding=binding, quote=f"{metric}{value}",
                  span=Span(at, at + 5), in_table=table, section=section)


def test_restatements_fold_into_the_first_mention_and_fill_what_it_leaves_out():
    text = _t("森林覆盖率", 44, comparator=">=", at=10)
    other = _t("地区生产总值年均增速", 6, comparator="~", at=20)
    table_forest = _t("森林覆盖率", 44, binding="约束性", at=500, table=True)
    table_gdp = _t("地区生产总值年均增速", 6, at=520, table=True)
    later_year = _t("森林覆盖率", 45, year=2030, at=600)
    grouped = group_mentions([text, other, table_forest, table_gdp, later_year])
    assert [(t.metric, t.value, t.year) for t, _ in grouped] == [("森林覆盖率", 44, 2025), ("地区生产总值年均增速", 6, 2025),
                                                                 ("森林覆盖率", 45, 2030)]
    forest, again = grouped[0]
    assert forest.comparator == ">=" and forest.binding == "约束性" and forest.span == Span(10, 15)  # binding from the table
    assert again == [table_forest]
    assert grouped[1][0].comparator == "~" and grouped[2][1] == []


def test_a_table_row_more_specific_than_the_text_lends_its_comparator():
    (item, again), = group_mentions([_t("城市污水处理率", 98), _t("城市污水处理率", 98, comparator=">=", at=90, section=("附件1 重点指标",))])
    assert item.comparator == ">=" and item.span.start == 0 and len(again) == 1  # restated in an annex


def test_the_same_figure_in_two_chapters_of_running_text_stays_two_items():
    grouped = group_mentions([_t("新增公园", 5, unit="个", section=("第二章",)), _t("新增公园", 5, unit="个", at=90, section=("第五章",))])
    assert len(grouped) == 2


def test_reported_figures_stay_one_row_each():
    grouped = group_mentions([_t("地区生产总值", 1260, kind="actual", unit="亿元"), _t("地区生产总值", 1260, kind="actual", unit="亿元")])
    assert len(grouped) == 2


def test_ingest_keeps_one_item_and_extract_keeps_every_mention(run_cli, db_url):
    extracted = [json.loads(line) for line in run_cli("extract", DEMO_PLAN, "--format", "jsonl").output.splitlines()]
    result = run_cli("ingest", DEMO_PLAN, "--db", db_url, "--format", "json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)["stored"][0]["counts"]
    targets = [r for r in extracted if r["kind"] == "target"]
    assert counts["restated"] == 2 and counts["targets"] == len(extracted) - counts["restated"]
    listed = json.loads(run_cli("items", "--plan", "1", "--what", "targets", "--db", db_url, "--format", "json").output)
    assert len([t for t in listed if t.get("kind", "target") == "target"]) == len(targets) - 2


def test_merging_keeps_the_folded_items_place_as_a_mention(loaded_db):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from planwatch.store.corrections import merge_items
    from planwatch.store.schema import TargetMention

    with Session(loaded_db) as s:
        before = s.scalars(select(TargetMention)).all()
    merge_items(loaded_db, ["I8", "I9"])
    with Session(loaded_db) as s:
        after = s.scalars(select(TargetMention)).all()
    assert len(after) == len(before) + 1 and any(m.target_id == 8 for m in after)
