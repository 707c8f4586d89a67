"""Approving a report stores the new assessment at once, for the report's period and every later
period already assessed (the web's review form: tests/test_web.py)."""

from __future__ import annotations

from planwatch.assess import assess_plan
from planwatch.store.assessments import load_assessments
from planwatch.store.progress import ReportInput, submit_report


def stored(engine, as_of: str, ref: str) -> dict:
    return next(a for a in load_assessments(engine, "1", as_of) if a["item"] == ref)


def file_done(engine, ref: str = "T6") -> int:
    report = submit_report(engine, ref, "2024Q2", "区水务局", ReportInput("已完成", 100, "全部建成并通过验收"), actor="水务填报员")
    return report["id"]


def test_cli_approval_reassesses_the_period_and_later_ones(staffed_db, run_cli):
    url = staffed_db.url.render_as_string(hide_password=False)
    for as_of in ("2024Q2", "2024Q4"):
        assess_plan(staffed_db, "1", as_of, actor="规划科", save=True)
    before = {as_of: stored(staffed_db, as_of, "T6") for as_of in ("2024Q2", "2024Q4")}
    assert before["2024Q2"]["status"] != "已完成"
    report_id = file_done(staffed_db)
    assert stored(staffed_db, "2024Q2", "T6") == before["2024Q2"]  # a submitted report does not count yet
    result = run_cli("report", "approve", report_id, "--user", "规划科", "--db", url)
    assert result.exit_code == 0, result.output
    assert "re-assessed plan 1 as of 2024Q2" in result.output and "re-assessed plan 1 as of 2024Q4" in result.output
    for as_of in ("2024Q2", "2024Q4"):
        assert stored(staffed_db, as_of, "T6")["status"] == "已完成", as_of
    assert "re-assessed" not in run_cli("report", "approve", report_id, "--user", "规划科", "--db", url).output


def test_cli_approval_with_nothing_stored_assesses_the_reports_period(staffed_db, run_cli):
    url = staffed_db.url.render_as_string(hide_password=False)
    report_id = file_done(staffed_db)
    result = run_cli("report", "approve", report_id, "--user", "规划科", "--db", url)
    assert result.exit_code == 0, result.output
    assert stored(staffed_db, "2024Q2", "T6")["status"] == "已完成"
    assert load_assessments(staffed_db, "1", "2024Q4") == []
