"""Roll-ups as a user reads them: the terminal table of `assess --what departments|chapters`
agrees with its JSON column by column, and a unit with nothing assessed is grey (无数据)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from planwatch.store import ObservationInput, add_department, add_observation, assign
from planwatch.store.assessments import assessment_inputs


@pytest.fixture
def mixed_db(loaded_db):
    """The demo plan with one department whose targets have figures and one whose have none."""
    targets = assessment_inputs(loaded_db, "1", "2024Q4")["targets"]
    levels = [t for t in targets if t["type"] == "level" and t["baseline"] is not None and t["year"]]
    add_department(loaded_db, "区统计局")
    add_department(loaded_db, "区空白局")
    measured = levels[:2]
    empty = [t for t in targets if t not in measured][:2]
    assign(loaded_db, [t["ref"] for t in measured], lead="区统计局")
    assign(loaded_db, [t["ref"] for t in empty], lead="区空白局")
    for t in measured:
        for year in (2021, 2022, 2023):
            value = t["baseline"] + (t["value"] - t["baseline"]) * (year - 2020) / 5
            add_observation(loaded_db, t["ref"], ObservationInput(year, round(value, 3), t["unit"], "bulletin", f"{year}年公报",
                                                                  "final", date(year + 1, 3, 1)))
    return loaded_db


def _terminal_table(url: str, what: str) -> list[dict]:
    """Run the real CLI in a wide terminal and read its box table back into rows by heading."""
    env = {**os.environ, "COLUMNS": "400", "TERM": "dumb"}
    out = subprocess.run([sys.executable, "-m", "planwatch", "assess", "--plan", "1", "--period", "2024Q4", "--what", what,
                          "--db", url], capture_output=True, text=True, env=env, check=True).stdout
    lines = [line for line in out.splitlines() if line.startswith(("┃", "│"))]
    split = [[c.strip() for c in line.strip("┃│").split("┃" if line.startswith("┃") else "│")] for line in lines]
    head, body = split[0], split[1:]
    return [dict(zip(head, cells, strict=True)) for cells in body]


@pytest.mark.parametrize("what", ["departments", "chapters"])
def test_terminal_rollup_counts_stand_under_their_status_names(run_cli, mixed_db, what):
    url = mixed_db.url.render_as_string(hide_password=False)
    if not url.startswith("sqlite"):
        pytest.skip("the subprocess reads the same file; one database is enough for a table's layout")
    as_json = json.loads(run_cli("assess", "--plan", "1", "--period", "2024Q4", "--what", what, "--db", url, "--format", "json").output)
    table = _terminal_table(url, what)
    assert len(table) == len(as_json) > 1
    for shown, row in zip(table, as_json, strict=True):
        assert shown["name"] == row["name"] and shown["light"] == row["light"]
        for status, count in row.items():
            if status not in ("name", "kind", "light"):
                assert shown[status] == str(count), (row["name"], status)
        counts = [v for k, v in row.items() if k not in ("name", "kind", "light", "total") and v != ""]
        assert sum(counts) == row["total"]  # every item counted once, under one status


def test_a_unit_with_nothing_assessed_is_grey_and_counted_as_no_data(run_cli, mixed_db):
    url = mixed_db.url.render_as_string(hide_password=False)
    rows = json.loads(run_cli("assess", "--plan", "1", "--period", "2024Q4", "--what", "departments", "--db", url,
                              "--format", "json").output)
    by = {(r["name"], r["kind"]): r for r in rows}
    empty = by[("区空白局", "target")]
    assert empty["light"] == "灰" and empty["无数据"] == empty["total"] == 2
    measured = by[("区统计局", "target")]
    assert measured["light"] != "灰" and measured["无数据"] == 0 and measured["total"] == 2


def test_latest_value_and_completion_come_from_one_observation(run_cli, mixed_db):
    url = mixed_db.url.render_as_string(hide_password=False)
    run_cli("thresholds", "--plan", "1", "method=cn-midterm", "--db", url)
    rows = json.loads(run_cli("assess", "--plan", "1", "--period", "2024Q4", "--db", url, "--format", "json").output)
    inputs = {t["ref"]: t for t in assessment_inputs(mixed_db, "1", "2024Q4")["targets"]}
    measured = [r for r in rows if inputs[r["item"]]["observations"]]
    assert len(measured) == 2
    for r in measured:
        t = inputs[r["item"]]
        assert r["latest"] == max(t["observations"], key=lambda o: o["year"])["value"] and r["latest_year"] == 2023
        assert r["completion"] == pytest.approx((r["latest"] - t["baseline"]) / (t["value"] - t["baseline"]), abs=1e-3)
