"""The department ledger round trip through the real CLI, on SQLite and PostgreSQL: assign,
open a period, export the 台账, fill it in with openpyxl as a department would, import it."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from planwatch.store import list_reports, make_engine

from .conftest import DEMO_PLAN

DEP = "区水务局"


def cli_json(run_cli, *args):
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def assigned(run_cli, db_url):
    """The demo plan stored, two departments, T5 T6 I1 I2 given to 区水务局, 2024Q2 open."""
    cli_json(run_cli, "ingest", DEMO_PLAN, "--db", db_url)
    cli_json(run_cli, "departments", "add", "临河区", "--level", "区", "--db", db_url)
    for name in (DEP, "区发展改革委"):
        cli_json(run_cli, "departments", "add", name, "--parent", "临河区", "--level", "委办局", "--db", db_url)
    rows = cli_json(run_cli, "assign", "T5", "T6", "I1", "I2", "--lead", DEP, "--support", "区发展改革委", "--db", db_url)
    assert rows[0] == {"item": "T5", "lead": DEP, "support": ["区发展改革委"]}
    cli_json(run_cli, "period", "open", "2024Q2", "--db", db_url)
    return db_url


def export(run_cli, db_url, path, department=DEP):
    result = run_cli("ledger", "export", "--plan", "1", "--period", "2024Q2", "--department", department, "-o", path, "--db", db_url)
    assert result.exit_code == 0, result.output
    return path


def fill(src, dst, edits: dict[str, dict[str, object]]):
    """Type values under Chinese column names into the rows with the given 编号."""
    book = load_workbook(src)
    sheet = book["台账"]
    header = [c.value for c in sheet[2]]
    for row in sheet.iter_rows(min_row=3):
        ref = row[header.index("编号")].value
        for name, value in edits.get(ref, {}).items():
            row[header.index(name)].value = value
    book.save(dst)
    return dst


def test_exported_ledger_is_what_a_department_fills_in(run_cli, assigned, tmp_path):
    path = export(run_cli, assigned, tmp_path / "ledger.xlsx")
    book = load_workbook(path)
    sheet = book["台账"]
    header = [c.value for c in sheet[2]]
    assert header[:17] == ["序号", "编号", "章节", "任务/指标", "目标值", "单位", "时限", "牵头单位", "配合单位", "本期进展",
                           "状态", "完成比例", "本期数值", "累计完成投资", "已达节点", "存在问题", "下步计划"]
    refs = [r[1] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert refs == ["T5", "T6", "I1", "I2"]
    assert sheet.freeze_panes == "C3" and sheet.protection.sheet
    status_col = chr(ord("A") + header.index("状态"))
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert "推进中" in lists[0].formula1 and str(lists[0].sqref).startswith(f"{status_col}3")
    assert sheet.cell(3, header.index("编号") + 1).protection.locked
    assert not sheet.cell(3, header.index("本期进展") + 1).protection.locked
    assert sheet.column_dimensions["D"].width >= 40
    assert book["_planwatch"].sheet_state == "hidden"


def test_filled_ledger_imports_once_and_is_audited(run_cli, assigned, tmp_path):
    blank = export(run_cli, assigned, tmp_path / "ledger.xlsx")
    filled = fill(blank, tmp_path / "filled.xlsx", {
        "T5": {"本期进展": "新建口袋公园6个", "状态": "推进中", "完成比例": 45, "存在问题": "拆迁进度慢", "下步计划": "三季度开工2个"},
        "I1": {"本期进展": "上半年初步核算", "状态": "推进中", "本期数值": 655.3},
    })
    summary = cli_json(run_cli, "ledger", "import", filled, "--db", assigned)
    assert (summary["created"], summary["updated"], summary["observations"]) == (2, 0, 1)
    reports = cli_json(run_cli, "report", "list", "--period", "2024Q2", "--db", assigned)
    t5 = next(r for r in reports if r["item"] == "T5")
    assert (t5["status"], t5["percent"], t5["problems"], t5["review"]) == ("推进中", 45.0, "拆迁进度慢", "submitted")
    obs = cli_json(run_cli, "observe", "list", "--target", "I1", "--db", assigned)
    assert [(o["value"], o["source"], o["period"]) for o in obs] == [(655.3, "report", "2024Q2")]
    again = cli_json(run_cli, "ledger", "import", filled, "--db", assigned)
    assert (again["created"], again["updated"], again["unchanged"], again["observations"]) == (0, 0, 2, 0)
    audit = cli_json(run_cli, "audit", "--entity", "progress_report", "--db", assigned)
    assert {a["new"]["item"] for a in audit} == {"T5", "I1"}
    # a fresh export carries the stored report, so the department can revise it
    revised = fill(export(run_cli, assigned, tmp_path / "again.xlsx"), tmp_path / "revised.xlsx", {"T5": {"完成比例": 60}})
    assert cli_json(run_cli, "ledger", "import", revised, "--db", assigned)["updated"] == 1
    audit = cli_json(run_cli, "audit", "--entity", "progress_report", "--limit", "1", "--db", assigned)
    assert (audit[0]["old"], audit[0]["new"]) == ({"percent": 45.0}, {"percent": 60.0})


BAD_CASES = {
    "unknown row key": ({"T5": {"编号": "T999", "状态": "推进中"}}, "column B (编号)", "unknown row key"),
    "status not in the list": ({"T5": {"状态": "差不多"}}, "column K (状态)", "not one of"),
    "percent out of range": ({"T5": {"状态": "推进中", "完成比例": 130}}, "column L (完成比例)", "outside 0–100"),
    "percent not a number": ({"T6": {"状态": "推进中", "完成比例": "一半"}}, "column L (完成比例)", "not a number"),
    "status missing": ({"T6": {"本期进展": "已完成招标"}}, "column K (状态)", "required"),
    "value on a task": ({"T6": {"状态": "推进中", "本期数值": 3}}, "column M (本期数值)", "indicator rows"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_ledger_rows_are_refused_with_nothing_applied(run_cli, assigned, tmp_path, case):
    edits, where, message = BAD_CASES[case]
    good = {"I2": {"状态": "推进中", "本期进展": "正常推进"}}
    filled = fill(export(run_cli, assigned, tmp_path / "ledger.xlsx"), tmp_path / "bad.xlsx", {**good, **edits})
    result = run_cli("ledger", "import", filled, "--db", assigned)
    assert result.exit_code == 1
    assert "sheet 台账 row" in result.output and where in result.output and message in result.output
    assert "nothing was changed" in result.output
    assert list_reports(make_engine(assigned)) == []


def test_every_department_gets_its_ledger_and_the_missing_are_listed(run_cli, assigned, tmp_path):
    written = cli_json(run_cli, "ledger", "export", "--plan", "1", "--period", "2024Q2", "-o", tmp_path / "out", "--db", assigned)
    assert sorted(w["department"] for w in written) == ["区发展改革委", DEP]
    assert all(load_workbook(w["file"])["台账"].max_row == 2 + w["rows"] for w in written)
    cli_json(run_cli, "report", "submit", "T5", "--period", "2024Q2", "--department", DEP, "--status", "推进中", "--db", assigned)
    missing = {r["department"]: r for r in cli_json(run_cli, "report", "missing", "--plan", "1", "--period", "2024Q2", "--db", assigned)}
    assert missing[DEP]["assigned"] == 4 and missing[DEP]["items"] == ["T6", "I1", "I2"]
    assert "区发展改革委" not in missing  # it only cooperates: the lead unit answers for the items


def test_closed_period_and_foreign_department_are_refused(run_cli, assigned, tmp_path):
    filled = fill(export(run_cli, assigned, tmp_path / "ledger.xlsx"), tmp_path / "f.xlsx", {"T5": {"状态": "推进中"}})
    elsewhere = fill(export(run_cli, assigned, tmp_path / "other.xlsx", department="区发展改革委"), tmp_path / "o.xlsx",
                     {"T5": {"状态": "推进中"}})
    partly = run_cli("assign", "T5", "T999", "--remove", "区发展改革委", "--db", assigned)
    assert partly.exit_code == 1 and "T999" in partly.output  # and T5 is still assigned: nothing applied
    cli_json(run_cli, "assign", "T5", "--remove", "区发展改革委", "--db", assigned)
    result = run_cli("ledger", "import", elsewhere, "--db", assigned)
    assert result.exit_code == 1 and "not assigned to 区发展改革委" in result.output
    cli_json(run_cli, "period", "close", "2024Q2", "--db", assigned)
    result = run_cli("ledger", "import", filled, "--db", assigned)
    assert result.exit_code == 1 and "closed" in result.output
    submit = run_cli("report", "submit", "T5", "--period", "2024Q2", "--department", DEP, "--status", "推进中", "--db", assigned)
    assert submit.exit_code == 1 and "closed" in submit.output
    assert list_reports(make_engine(assigned)) == []


def test_review_cycle_and_evidence(run_cli, assigned, tmp_path):
    args = ("--period", "2024Q2", "--department", DEP, "--db", assigned)
    evidence = tmp_path / "验收报告.pdf"
    evidence.write_bytes("%PDF-1.4 竣工验收意见".encode())
    report = cli_json(run_cli, "report", "submit", "T6", "--status", "推进中", "--percent", "30", "--evidence", evidence, *args)
    assert (report["review"], report["evidence"]) == ("submitted", 1)
    saved = cli_json(run_cli, "report", "evidence", str(report["id"]), "--save", tmp_path / "out", "--db", assigned)
    assert saved[0]["file"] == "验收报告.pdf" and len(saved[0]["sha256"]) == 64 and saved[0]["type"] == "pdf"
    assert (tmp_path / "out" / f"{saved[0]['id']}_验收报告.pdf").read_bytes() == "%PDF-1.4 竣工验收意见".encode()
    returned = cli_json(run_cli, "report", "return", str(report["id"]), "--comment", "请补充投资完成额", "--db", assigned)
    assert (returned["review"], returned["review_comment"]) == ("returned", "请补充投资完成额")
    assert run_cli("report", "approve", str(report["id"]), "--db", assigned).exit_code == 1  # returned, not resubmitted
    cli_json(run_cli, "report", "submit", "T6", "--status", "推进中", "--percent", "35", "--narrative", "完成投资1.2亿元", *args)
    [approved] = cli_json(run_cli, "report", "approve", str(report["id"]), "--db", assigned)
    assert approved["review"] == "approved" and approved["version"] == 4
    locked = run_cli("report", "submit", "T6", "--status", "已完成", *args)
    assert locked.exit_code == 1 and "approved" in locked.output


def test_evidence_over_the_size_limit_is_refused(assigned, tmp_path, monkeypatch):
    from planwatch.errors import ValidationError
    from planwatch.store import ReportInput, attach_evidence, evidence, make_engine, submit_report

    engine = make_engine(assigned)
    report = submit_report(engine, "T6", "2024Q2", DEP, ReportInput("推进中", 10))
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-" + b"0" * 2048)
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_BYTES", 1024)
    with pytest.raises(ValidationError, match="over the 1,024-byte limit"):
        attach_evidence(engine, report["id"], big)
    assert list_reports(engine)[0]["evidence"] == 0


def test_a_report_with_a_figure_and_too_big_evidence_writes_nothing(run_cli, assigned, tmp_path, monkeypatch):
    from planwatch.store import evidence, list_observations

    args = ("--period", "2024Q2", "--department", DEP, "--db", assigned)
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"0" * 4096)
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_BYTES", 1024)
    refused = run_cli("report", "submit", "I1", "--status", "推进中", "--value", "655.3", "--evidence", big, *args)
    assert refused.exit_code == 1 and "limit" in refused.output
    engine = make_engine(assigned)
    assert list_reports(engine) == [] and list_observations(engine) == []
    ok = cli_json(run_cli, "report", "submit", "I1", "--status", "推进中", "--value", "655.3", *args)
    assert ok["item"] == "I1"
    assert [(o["value"], o["source"], o["period"]) for o in list_observations(engine)] == [(655.3, "report", "2024Q2")]
    on_task = run_cli("report", "submit", "T5", "--status", "推进中", "--value", "3", *args)
    assert on_task.exit_code == 1 and "task" in on_task.output


def test_comments_and_instructions(run_cli, assigned):
    cli_json(run_cli, "comment", "add", "T6", "请加快进度，确保年底前完工", "--instruction", "--db", assigned)
    cli_json(run_cli, "comment", "add", "T6", "已转水务局落实", "--db", assigned)
    rows = cli_json(run_cli, "comment", "list", "T6", "--db", assigned)
    assert [(r["kind"], r["public"]) for r in rows] == [("instruction", False), ("comment", False)]


def test_the_corpus_ingests_and_its_ledger_round_trips(run_cli, db_url, corpus, tmp_path):
    files = sorted(corpus.iterdir())
    stored = cli_json(run_cli, "ingest", *files, "--db", db_url)["stored"]
    assert {s["status"] for s in stored} <= {"created", "new-version"} and stored[0]["status"] == "created"
    plans = cli_json(run_cli, "plans", "--db", db_url)
    assert len(plans) == len(files) and sum(p["current"] for p in plans) >= 3
    plan = next(p for p in plans if p["current"] and p["tasks"] > 0)
    cli_json(run_cli, "departments", "add", "规划实施办公室", "--db", db_url)
    with make_engine(db_url).connect() as c:
        ids = [r[0] for r in c.execute(text("SELECT id FROM tasks WHERE plan_id = :p ORDER BY position"), {"p": plan["id"]})]
        target_ids = [r[0] for r in c.execute(text("SELECT id FROM targets WHERE plan_id = :p AND kind = 'target' ORDER BY position"),
                                              {"p": plan["id"]})]
    refs = [f"T{i}" for i in ids[:20]] + [f"I{i}" for i in target_ids[:20]]
    cli_json(run_cli, "assign", *refs, "--lead", "规划实施办公室", "--db", db_url)
    cli_json(run_cli, "period", "open", "2024Q4", "--db", db_url)
    out = tmp_path / "corpus.xlsx"
    result = run_cli("ledger", "export", "--plan", str(plan["id"]), "--period", "2024Q4", "--department", "规划实施办公室",
                     "-o", out, "--db", db_url)
    assert result.exit_code == 0, result.output
    exported = [r[1] for r in load_workbook(out)["台账"].iter_rows(min_row=3, values_only=True)]
    assert sorted(exported) == sorted(refs)
    filled = fill(out, tmp_path / "filled.xlsx", {ref: {"状态": "推进中", "完成比例": 50} for ref in refs})
    summary = cli_json(run_cli, "ledger", "import", filled, "--db", db_url)
    assert summary["created"] == len(refs)


def test_a_task_table_assigns_leads_and_cooperating_units(run_cli, db_url, table_plan):
    cli_json(run_cli, "ingest", table_plan, "--db", db_url)
    rows = cli_json(run_cli, "assign", "--plan", "1", "--from-text", "--db", db_url)
    assert rows[0] == {"item": "T1", "lead": "区市场监管局", "support": ["区政务服务局", "区税务局"]}
    names = {d["name"] for d in cli_json(run_cli, "departments", "list", "--db", db_url)}
    assert {"区市场监管局", "区政务服务局", "区税务局", "区金融办", "区财政局", "区发展改革委"} <= names
    cli_json(run_cli, "departments", "add", "临河区", "--level", "区", "--db", db_url)
    moved = cli_json(run_cli, "departments", "move", "区市场监管局", "--parent", "临河区", "--level", "委办局", "--db", db_url)
    assert moved["parent"] == "临河区"
    cycle = run_cli("departments", "move", "临河区", "--parent", "区市场监管局", "--db", db_url)
    assert cycle.exit_code == 1 and "cycle" in cycle.output
