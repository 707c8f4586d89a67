"""Corrections of a plan's items through the real CLI, on a real SQLite ledger file, and their
replay on a revised version of the plan; departments renamed and removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# Fictional plan text written for these tests.
PLAN = """临河区水务发展规划(2021—2025年)
一、发展目标
(一)主要指标
到2025年,城市污水处理率达到97%,新建雨水管网60公里。
再生水利用率达到25%。
二、重点任务
(一)建设海绵城市
推进老旧小区雨污分流改造,2023年底前完成。
完善排水防涝设施,建成区易涝积水点基本消除,排水管网密度提高到每平方公里9公里。
三、保障措施
强化资金保障。
"""
REVISED = PLAN.replace("强化资金保障。", "强化资金保障。\n(一)加强考核\n将水务目标纳入年度考核。")


@pytest.fixture
def ledger(tmp_path: Path, run_cli):
    """A SQLite ledger holding the plan above (plan #1)."""
    db = tmp_path / "ledger.db"
    plan = tmp_path / "水务规划.txt"
    plan.write_text(PLAN, encoding="utf-8")
    assert run_cli("ingest", plan, "--db", db).exit_code == 0
    return db, plan


def _json(run_cli, *args):
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _targets(run_cli, db, plan="1"):
    return _json(run_cli, "items", "list", "--plan", plan, "--what", "targets", "--db", db)


def _ref(rows, metric_part):
    [row] = [r for r in rows if metric_part in r["metric"]]
    return row["item"]


def _revise(run_cli, db, plan: Path) -> int:
    plan.write_text(REVISED, encoding="utf-8")
    out = _json(run_cli, "ingest", plan, "--db", db)
    [stored] = out["stored"]
    assert stored["status"] == "new-version"
    return stored


def _refused(result, *words):
    """Refused: exit 1, the reason on one error line, the words it must name in it."""
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith(("error:", "  - "))]
    assert lines, result.output
    for w in words:
        assert any(w in line for line in lines), result.output


def test_items_without_subcommand_still_lists(run_cli, ledger):
    db, _ = ledger
    listed = _json(run_cli, "items", "--plan", "1", "--what", "targets", "--db", db)
    assert listed == _targets(run_cli, db)
    assert any("污水处理率" in r["metric"] for r in listed)
    assert run_cli("items", "--db", db).exit_code == 2  # neither --plan nor a subcommand


def test_edit_is_audited_and_replayed_on_the_revised_plan(run_cli, ledger):
    db, plan = ledger
    ref = _ref(_targets(run_cli, db), "再生水利用率")
    edited = _json(run_cli, "items", "edit", ref, "--value", "30", "--binding", "约束性", "--year", "2025", "--db", db)
    assert (edited["value"], edited["binding"], edited["year"]) == (30.0, "约束性", 2025)
    entries = _json(run_cli, "audit", "--entity", "target", "--db", db)
    assert entries[0]["new"] == {"value": 30.0, "binding": "约束性", "year": 2025} and entries[0]["old"]["value"] == 25.0
    assert run_cli("departments", "add", "区水务局", "--db", db).exit_code == 0
    assert run_cli("assign", ref, "--lead", "区水务局", "--db", db).exit_code == 0

    stored = _revise(run_cli, db, plan)
    assert stored["corrections"] == {"replayed": 1, "skipped": 0}
    assert stored["carried"]["assignments"] == 1
    new = next(r for r in _targets(run_cli, db, str(stored["plan_id"])) if "再生水利用率" in r["metric"])
    assert (new["value"], new["binding"], new["year"]) == (30.0, "约束性", 2025)
    assert new["item"] != ref
    # The assignment followed the corrected item to the new version.
    departments = _json(run_cli, "assign", new["item"], "--lead", "区水务局", "--db", db)
    assert departments[0]["lead"] == "区水务局"


def test_edit_refuses_what_cannot_apply_with_one_line(run_cli, ledger):
    db, _ = ledger
    ref = _ref(_targets(run_cli, db), "再生水利用率")
    _refused(run_cli("items", "edit", ref, "--title", "x", "--db", db), "--title does not apply to a target")
    _refused(run_cli("items", "edit", ref, "--value", "很多", "--db", db), "is not a number")
    _refused(run_cli("items", "edit", ref, "--comparator", "about", "--db", db), "is not one of")
    _refused(run_cli("items", "edit", ref, "--value", "25", "--db", db), "has those values already")
    _refused(run_cli("items", "edit", ref, "--db", db), "nothing to change")
    _refused(run_cli("items", "edit", "I999", "--value", "1", "--db", db), "no target I999")
    tasks = _json(run_cli, "items", "list", "--plan", "1", "--db", db)
    task = tasks[0]["item"]
    _refused(run_cli("items", "edit", task, "--value", "3", "--db", db), "does not apply to a task")
    edited = _json(run_cli, "items", "edit", task, "--title", "雨污分流改造", "--deadline", "2023-12-31", "--db", db)
    assert (edited["title"], edited["deadlines"]) == ("雨污分流改造", ["2023-12-31"])


def test_a_superseded_version_is_not_corrected(run_cli, ledger):
    db, plan = ledger
    old = _ref(_targets(run_cli, db), "再生水利用率")
    _revise(run_cli, db, plan)
    _refused(run_cli("items", "edit", old, "--value", "30", "--db", db), "superseded by plan #2")


def test_remove_is_refused_while_assigned_and_replayed(run_cli, ledger):
    db, plan = ledger
    ref = _ref(_targets(run_cli, db), "再生水利用率")
    run_cli("departments", "add", "区水务局", "--db", db)
    run_cli("assign", ref, "--lead", "区水务局", "--db", db)
    _refused(run_cli("items", "remove", ref, "--db", db), "1 assignment(s)")
    assert run_cli("assign", ref, "--remove", "区水务局", "--db", db).exit_code == 0
    removed = _json(run_cli, "items", "remove", ref, "--db", db)
    assert removed["item"] == ref
    assert not any("再生水利用率" in r["metric"] for r in _targets(run_cli, db))
    assert _json(run_cli, "audit", "--entity", "target", "--db", db)[0]["action"] == "delete"

    stored = _revise(run_cli, db, plan)
    assert not any("再生水利用率" in r["metric"] for r in _targets(run_cli, db, str(stored["plan_id"])))


def test_merge_keeps_the_first_and_is_replayed(run_cli, ledger):
    db, plan = ledger
    rows = _targets(run_cli, db)
    first, second = _ref(rows, "再生水利用率"), _ref(rows, "污水处理率")
    run_cli("items", "edit", second, "--binding", "约束性", "--db", db)
    merged = _json(run_cli, "items", "merge", first, second, "--db", db)
    assert merged["merged"] == [second] and merged["binding"] == "约束性"
    assert len(_targets(run_cli, db)) == len(rows) - 1
    _refused(run_cli("items", "merge", first, "--db", db), "two or more")
    task = _json(run_cli, "items", "list", "--plan", "1", "--db", db)[0]["item"]
    _refused(run_cli("items", "merge", first, task, "--db", db), "only items of one kind")

    stored = _revise(run_cli, db, plan)
    assert stored["corrections"]["replayed"] == 2
    after = _targets(run_cli, db, str(stored["plan_id"]))
    assert len(after) == len(rows) - 1 and not any("污水处理率" in r["metric"] for r in after)


def test_add_from_a_quote_keeps_span_and_section_and_is_replayed(run_cli, ledger):
    db, plan = ledger
    quote = "建成区易涝积水点基本消除"
    added = _json(run_cli, "items", "add", "--plan", "1", "--what", "task", "--quote", quote, "--deadline", "2025", "--db", db)
    listed = {r["item"]: r for r in _json(run_cli, "items", "list", "--plan", "1", "--db", db)}
    row = listed[added["item"]]
    assert row["section"] == ["重点任务", "建设海绵城市"]
    assert PLAN[row["start"]:row["end"]] == quote
    target = _json(run_cli, "items", "add", "--plan", "1", "--quote", "排水管网密度提高到每平方公里9公里", "--metric", "排水管网密度",
                   "--year", "2025", "--db", db)
    assert (target["metric"], target["value"], target["year"]) == ("排水管网密度", 9.0, 2025)

    _refused(run_cli("items", "add", "--plan", "1", "--quote", "全面建成小康社会", "--db", db), "not in the stored text")
    _refused(run_cli("items", "add", "--plan", "1", "--what", "task", "--quote", "保障", "--db", db), "occurs 2 times")
    stored = _revise(run_cli, db, plan)
    assert stored["corrections"]["replayed"] >= 1
    again = _json(run_cli, "items", "list", "--plan", str(stored["plan_id"]), "--db", db)
    assert any(r["title"] == added["title"] and REVISED[r["start"]:r["end"]] == quote for r in again)
    assert any(r["metric"] == "排水管网密度" for r in _targets(run_cli, db, str(stored["plan_id"])))


def test_corrections_need_a_planner(run_cli, ledger):
    db, _ = ledger
    run_cli("users", "add", "admin", "--role", "admin", "--db", db)
    run_cli("users", "add", "张三", "--role", "viewer", "--db", db, "--user", "admin")
    ref = _ref(_targets(run_cli, db), "再生水利用率")
    _refused(run_cli("items", "edit", ref, "--value", "30", "--db", db, "--user", "张三"), "张三")
    assert next(r for r in _targets(run_cli, db) if r["item"] == ref)["value"] == 25.0


def test_departments_rename_and_remove(run_cli, ledger):
    db, _ = ledger
    run_cli("departments", "add", "区发改委", "--db", db)
    run_cli("departments", "add", "区水务局牵头", "--db", db)
    renamed = _json(run_cli, "departments", "rename", "区发改委", "区发展改革委", "--db", db)
    assert renamed["name"] == "区发展改革委"
    _refused(run_cli("departments", "rename", "区发展改革委", "区水务局牵头", "--db", db), "exists already")
    ref = _ref(_targets(run_cli, db), "再生水利用率")
    run_cli("assign", ref, "--lead", "区发展改革委", "--db", db)
    _refused(run_cli("departments", "remove", "区发展改革委", "--db", db), "1 assignment(s)")
    assert _json(run_cli, "departments", "remove", "区水务局牵头", "--db", db)["name"] == "区水务局牵头"
    names = [d["name"] for d in _json(run_cli, "departments", "list", "--db", db)]
    assert names == ["区发展改革委"]
    assert [e["action"] for e in _json(run_cli, "audit", "--entity", "department", "--db", db)][:2] == ["delete", "update"]


def test_add_a_project_from_a_quote_makes_a_ledger_item_that_is_replayed(run_cli, ledger):
    db, plan = ledger
    _refused(run_cli("items", "add", "--plan", "1", "--what", "project", "--quote", "完善排水防涝设施", "--db", db), "--name")
    added = _json(run_cli, "items", "add", "--plan", "1", "--what", "project", "--quote", "完善排水防涝设施", "--name", "排水防涝设施",
                  "--action", "完善", "--db", db)
    assert added["item"].startswith("P") and added["name"] == "排水防涝设施"
    [row] = [r for r in _json(run_cli, "items", "list", "--plan", "1", "--what", "projects", "--db", db) if r["item"] == added["item"]]
    assert (row["action"], row["task"]) == ("完善", "建设海绵城市")  # the task whose text holds the quote
    run_cli("departments", "add", "区水务局", "--db", db)
    assert run_cli("assign", added["item"], "--lead", "区水务局", "--db", db).exit_code == 0
    stored = _revise(run_cli, db, plan)
    again = _json(run_cli, "items", "list", "--plan", str(stored["plan_id"]), "--what", "projects", "--db", db)
    assert [r["name"] for r in again] == ["排水防涝设施"]


def test_a_project_name_and_action_are_read_from_the_quote():
    from planwatch.extract.projects import projects_in_text

    assert [(p.name, p.action) for p in projects_in_text("加快建设城南第二水厂")] == [("城南第二水厂", "加快建设")]
    assert projects_in_text("完善排水防涝设施") == []
