"""Department appraisal (指标考核): a hand-computed scorecard, weights from the plan's settings,
ranks, the audit log's returns, backdated receipt only by reviewers, and the annual report."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from planwatch.assess.appraisal import rank, scorecards
from planwatch.assess.settings import AppraisalSettings, SettingsError, parse_setting
from planwatch.errors import PermissionDenied
from planwatch.store.appraisal import DueReport


def _target(ref, lead, code, binding=None):
    return {"ref": ref, "metric": f"指标{ref}", "lead": lead, "code": code, "status": code, "binding": binding}


def _task(ref, lead, status):
    return {"ref": ref, "title": f"任务{ref}", "lead": lead, "status": status}


def _due(dep, item, period, due, submitted=None, review="approved", returned=0):
    at = datetime(*submitted, 12, tzinfo=UTC) if submitted else None
    return DueReport(dep, item, period, due, 1 if submitted else None, review if submitted else None, at, returned)


TARGETS = [_target("I1", "甲局", "on_track", "约束性"), _target("I2", "甲局", "achieved"),
           _target("I3", "甲局", "limited", "约束性"), _target("I4", "甲局", "no_data"), _target("I5", "丙镇", "no_data")]
TASKS = [_task("T1", "甲局", "已完成"), _task("T2", "甲局", "滞后"), _task("T3", "甲局", "按期推进"), _task("T4", "甲局", "逾期"),
         _task("T5", "乙局", "已完成")]
DUE = [_due("甲局", "T1", "2024Q1", date(2024, 4, 10), (2024, 4, 8)),
       _due("甲局", "T2", "2024Q1", date(2024, 4, 10), (2024, 4, 10), returned=2),
       _due("甲局", "T3", "2024Q1", date(2024, 4, 10), (2024, 4, 15)),
       _due("甲局", "T4", "2024Q1", date(2024, 4, 10)),
       _due("甲局", "T1", "2024Q4", date(2025, 1, 10))]  # not yet due on the appraisal day
AS_OF = date(2024, 12, 31)
LEVELS = {"甲局": "委办局", "乙局": "委办局", "丙镇": "街镇"}


def test_a_hand_computed_scorecard():
    cards = {c.department: c for c in rank(scorecards(TARGETS, TASKS, DUE, LEVELS, AS_OF, AppraisalSettings()))}
    a = cards["甲局"]
    shares = {m.key: (m.good, m.total) for m in a.measures}
    # targets 2 of 3 assessed (I4 has no data), tasks 2 of 4, reports 2 of 4 on time (one late, one missing;
    # the Q4 one is not due yet), quality (3 submitted − 2 returns) / 3
    assert shares == {"targets": (2, 3), "tasks": (2, 4), "projects": (0, 0), "timeliness": (2, 4), "quality": (1, 3)}
    # 40·2/3 + 30·1/2 + 20·1/2 + 10·1/3 = 26.667 + 15 + 10 + 3.333 = 55.0, less 5 for the binding I3
    assert a.binding_missed == ("I3",) and a.penalty == 5
    assert a.score == 50.0 and a.grade == "不合格"
    assert "约束性指标未达标 1 项（I3）扣 5 分" in a.formula and a.formula.endswith("→ 50.0（不合格）")
    b = cards["乙局"]  # tasks only: the other measures have no items and no weight
    assert b.score == 100.0 and b.grade == "优秀" and "不计权重" in b.formula
    c = cards["丙镇"]
    assert c.score is None and c.grade == "无数据" and c.rank is None and c.level == "街镇"
    assert [x.department for x in rank(list(cards.values()))] == ["乙局", "甲局", "丙镇"]
    assert (b.rank, a.rank) == (1, 2)


def test_projects_a_unit_leads_are_a_measure_of_their_own():
    projects = [{"ref": "P1", "title": "城南水厂", "lead": "甲局", "status": "已完成", "reason": "竣工"},
                {"ref": "P2", "title": "滨河公园", "lead": "甲局", "status": "滞后", "reason": "开工晚于计划"},
                {"ref": "P3", "title": "体育中心", "lead": "庚局", "status": "按期推进", "reason": ""}]
    cards = {c.department: c for c in scorecards(TARGETS, TASKS, DUE, LEVELS, AS_OF, AppraisalSettings(), projects)}
    a = cards["甲局"]
    assert {m.key: (m.good, m.total) for m in a.measures}["projects"] == (1, 2)
    # (26.667 + 15 + 20·1/2 + 10 + 3.333) / 120 × 100 = 54.2, less 5 for the binding I3
    assert a.score == 49.2 and "项目推进率 1/2 = 50.0% × 20" in a.formula
    assert [line.status for line in a.lines if line.measure == "projects"] == ["已完成", "滞后"]
    assert cards["庚局"].score == 100.0  # a unit that leads only a project is appraised on it


def test_item_by_item_lines_say_what_counted():
    a = next(c for c in scorecards(TARGETS, TASKS, DUE, LEVELS, AS_OF, AppraisalSettings()) if c.department == "甲局")
    by = {(line.measure, line.item, line.title): line for line in a.lines}
    assert by["targets", "I4", "指标I4"].note == "无数据，不计入"
    assert by["timeliness", "T3", "2024Q1"].status == "逾期报送（2024-04-15）" and not by["timeliness", "T3", "2024Q1"].good
    assert by["timeliness", "T4", "2024Q1"].status == "未报送"
    assert by["quality", "T2", "2024Q1"].status == "退回 2 次"
    assert ("timeliness", "T1", "2024Q4") not in by


def test_weights_come_from_the_plan_and_ties_share_a_rank():
    settings = AppraisalSettings.from_dict({"appraisal": {"weight_quality": 0}})
    a = next(c for c in scorecards(TARGETS, TASKS, DUE, LEVELS, AS_OF, settings) if c.department == "甲局")
    assert a.score == pytest.approx(round((26.6667 + 15 + 10) / 90 * 100 - 5, 1))  # 52.4
    twins = scorecards([], [_task("T8", "丁局", "已完成"), _task("T9", "戊局", "已完成"), _task("T7", "己局", "滞后")], [], {},
                       AS_OF, AppraisalSettings())
    assert [(c.department, c.rank) for c in rank(twins)] == [("丁局", 1), ("戊局", 1), ("己局", 3)]


def test_appraisal_settings_are_checked():
    assert parse_setting("appraisal.weight_targets=50") == ("appraisal.weight_targets", 50.0)
    with pytest.raises(SettingsError, match="appraisal settings are"):
        parse_setting("appraisal.weight_luck=5")
    with pytest.raises(SettingsError, match="between 0 and 100"):
        parse_setting("appraisal.binding_penalty=500")


def test_cli_appraisal_follows_the_plans_weights_and_writes_a_workbook(run_cli, demo_db, tmp_path):
    url = demo_db.url.render_as_string(hide_password=False)
    assert run_cli("thresholds", "--plan", "1", "appraisal.weight_targets=60", "--db", url).exit_code == 0
    result = run_cli("appraise", "--plan", "1", "--year", "2024", "--format", "json", "-o", tmp_path / "考核.xlsx", "--db", url)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["settings"]["weight_targets"] == 60
    cards = data["scorecards"]
    assert len(cards) == 6 and [c["rank"] for c in cards] == sorted(c["rank"] for c in cards)
    for c in cards:  # each score is its measures' weighted mean less the penalty
        used = [m for m in c["measures"].values() if m["share"] is not None]
        expected = 100 * sum(m["weight"] * m["share"] for m in used) / sum(m["weight"] for m in used) - c["penalty"]
        assert c["score"] == pytest.approx(round(max(0, expected), 1))
        assert 0 < c["measures"]["timeliness"]["share"] <= 1
    assert any(c["measures"]["timeliness"]["share"] < 1 for c in cards)  # the demo's reports arrive mostly on time, some late
    book = load_workbook(tmp_path / "考核.xlsx")
    assert book.sheetnames == ["考核", "明细"]
    assert book["考核"].max_row == 2 + len(cards)
    lines = sum(len(c["lines"]) for c in cards)
    assert book["明细"].max_row == 1 + lines


def test_returns_are_counted_from_the_audit_log(run_cli, demo_db):
    from planwatch.store import ReportInput, list_reports, review_report, submit_report

    url = demo_db.url.render_as_string(hide_password=False)

    def quality(dep):
        out = json.loads(run_cli("appraise", "--plan", "1", "--year", "2024", "--format", "json", "--db", url).output)
        return next(c for c in out["scorecards"] if c["department"] == dep)["measures"]["quality"]

    waiting = list_reports(demo_db, period="2024Q4", review="submitted")[0]
    dep, before = waiting["department"], quality(waiting["department"])
    review_report(demo_db, waiting["id"], "return", "请补充数据")
    submit_report(demo_db, waiting["item"], "2024Q4", dep, ReportInput("推进中", 50, "补充了数据"))
    review_report(demo_db, waiting["id"], "return", "仍缺佐证")
    after = quality(dep)
    assert after["total"] == before["total"] and after["good"] == before["good"] - 2


def test_only_a_reviewer_may_backdate_a_receipt(staffed_db):
    from planwatch.store import ReportInput, submit_report

    with pytest.raises(PermissionDenied):
        submit_report(staffed_db, "I1", "2024Q2", "区水务局", ReportInput("推进中", 10, "纸质报送"), actor="水务填报员",
                      received_on=date(2024, 7, 5))
    row = submit_report(staffed_db, "I1", "2024Q2", "区水务局", ReportInput("推进中", 10, "纸质报送"), actor="规划科",
                        received_on=date(2024, 7, 5))
    assert row["submitted_at"].date() == date(2024, 7, 5)


def test_the_annual_report_carries_the_scorecards(demo_db, tmp_path):
    from selectolax.lexbor import LexborHTMLParser

    from planwatch.report.bulletin import build_bulletin
    from planwatch.report.render import html

    annual = build_bulletin(demo_db, "1", "2024Q4", "annual")
    assert len(annual.appraisal) == 6 and "权重" in annual.appraisal_note
    page = LexborHTMLParser(html(annual))
    assert len(page.css("table#appraisal tr")) == 1 + 6
    assert build_bulletin(demo_db, "1", "2024Q4", "annual", public=True).appraisal == ()
    assert build_bulletin(demo_db, "1", "2024Q4", "quarterly").appraisal == ()
