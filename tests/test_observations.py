"""Observations: vintages that supersede without erasing, and all-or-nothing table imports."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import Workbook

from planwatch.errors import ValidationError
from planwatch.store import ObservationInput, add_observation, list_observations

from .conftest import DEMO_PLAN


def test_a_final_figure_supersedes_the_preliminary_one_without_erasing_it(loaded_db):
    add_observation(loaded_db, "I10", ObservationInput(2023, 42.6, "%", "bulletin", vintage="preliminary", released_on=date(2024, 3, 1)))
    add_observation(loaded_db, "I10", ObservationInput(2023, 42.9, "%", "bulletin", vintage="final", released_on=date(2024, 11, 1)))
    add_observation(loaded_db, "I10", ObservationInput(2023, 42.7, "%", "bulletin", vintage="revised", released_on=date(2024, 6, 1)))
    add_observation(loaded_db, "I10", ObservationInput(2022, 42.1, "%", "bulletin"))
    current = list_observations(loaded_db, "I10")
    assert [(o["year"], o["value"], o["vintage"]) for o in current] == [(2022, 42.1, "preliminary"), (2023, 42.9, "final")]
    every = list_observations(loaded_db, "I10", all_vintages=True)
    assert len(every) == 4 and sum(o["current"] for o in every) == 2


def test_observation_of_a_task_or_in_a_foreign_unit_is_refused(loaded_db):
    with pytest.raises(ValidationError, match="task"):
        add_observation(loaded_db, "T1", ObservationInput(2023, 1.0))
    with pytest.raises(ValidationError, match="differs from the target's '%'"):
        add_observation(loaded_db, "I10", ObservationInput(2023, 1.0, "万亩"))
    assert list_observations(loaded_db) == []


def _write_csv(path, rows, encoding="utf-8-sig"):
    path.write_text("\n".join(",".join(str(c) for c in r) for r in rows) + "\n", encoding=encoding)
    return path


def test_csv_import_by_metric_name_and_by_id(run_cli, db_url, tmp_path):
    assert run_cli("ingest", DEMO_PLAN, "--db", db_url).exit_code == 0
    items = json.loads(run_cli("items", "--plan", "1", "--what", "targets", "--db", db_url, "--format", "json").output)
    sewage = next(i["item"] for i in items if i["kind"] == "target" and i["metric"] == "城市污水处理率")  # found by content
    table = _write_csv(tmp_path / "统计公报.csv", [
        ["指标", "年份", "数值", "单位", "口径", "发布日期"],
        ["森林覆盖率", 2022, 42.1, "%", "最终核实", "2023-10-01"],
        [sewage, 2022, 96.4, "%", "初步核算", "2023-03-01"],
        ["全员劳动生产率", 2022, 22.8, "万元/人", "", ""],
    ], encoding="gb18030")
    result = run_cli("observe", "import", table, "--plan", "1", "--db", db_url, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["imported"] == 3
    listed = json.loads(run_cli("observe", "list", "--plan", "1", "--db", db_url, "--format", "json").output)
    assert {(o["target"], o["value"], o["vintage"]) for o in listed} == {("I10", 42.1, "final"), (sewage, 96.4, "preliminary"),
                                                                         ("I11", 22.8, "preliminary")}
    assert all(o["source_ref"].endswith("统计公报.csv") for o in listed)


def test_xlsx_import_with_any_bad_row_applies_nothing(run_cli, db_url, tmp_path):
    assert run_cli("ingest", DEMO_PLAN, "--db", db_url).exit_code == 0
    book = Workbook()
    sheet = book.active
    sheet.title = "2023年"
    for row in (["metric", "year", "value", "unit", "vintage"],
                ["森林覆盖率", 2023, 42.6, "%", "preliminary"],
                ["不存在的指标", 2023, 1, "", ""],
                ["细颗粒物年均浓度", "去年", 33, "微克/立方米", ""],
                ["城市污水处理率", 2023, "九十七", "%", ""],
                ["城市污水处理率", 2023, 97, "%", "估计"],
                ["I18", 2023, 97, "吨", ""]):
        sheet.append(row)
    path = tmp_path / "data.xlsx"
    book.save(path)
    result = run_cli("observe", "import", path, "--plan", "1", "--db", db_url)
    assert result.exit_code == 1
    out = result.output
    assert "5 problem(s)" in out and "nothing was changed" in out
    for where in ("sheet 2023年 row 3 column A (metric)", "row 4 column B (year)", "row 5 column C (value)",
                  "row 6 column E (vintage)", "row 7"):
        assert where in out, where
    assert "differs from the target" in out
    listed = json.loads(run_cli("observe", "list", "--plan", "1", "--db", db_url, "--format", "json").output)
    assert listed == []


def test_unreadable_table_is_refused(run_cli, db_url, tmp_path):
    assert run_cli("ingest", DEMO_PLAN, "--db", db_url).exit_code == 0
    bad = tmp_path / "data.xlsx"
    bad.write_bytes(b"not a workbook")
    result = run_cli("observe", "import", bad, "--plan", "1", "--db", db_url)
    assert result.exit_code == 1 and "data.xlsx" in result.output
