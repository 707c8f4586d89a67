"""Roles enforced in the service layer: admin, planner, reporter (own department), viewer."""

from __future__ import annotations

import pytest

from planwatch.errors import PermissionDenied, ValidationError
from planwatch.store import (
    ObservationInput,
    ReportInput,
    add_comment,
    add_observation,
    add_user,
    assign,
    close_period,
    list_reports,
    open_period,
    review_report,
    submit_report,
)


def test_the_first_user_must_be_an_admin(loaded_db):
    with pytest.raises(ValidationError, match="must be an admin"):
        add_user(loaded_db, "someone", "planner")


def test_once_there_are_users_every_change_names_one(staffed_db):
    with pytest.raises(PermissionDenied, match="--user"):
        open_period(staffed_db, "2024Q3")
    with pytest.raises(PermissionDenied, match="unknown user"):
        open_period(staffed_db, "2024Q3", actor="nobody")


def test_only_admins_add_users(staffed_db):
    with pytest.raises(PermissionDenied, match="planner"):
        add_user(staffed_db, "x", "viewer", actor="规划科")


def test_reporters_report_for_their_own_department_and_its_units(staffed_db):
    own = submit_report(staffed_db, "T6", "2024Q2", "区水务局", ReportInput("推进中", 20), actor="水务填报员")
    assert own["submitted_by"] == "水务填报员"
    sub_unit = submit_report(staffed_db, "T5", "2024Q2", "滨河街道", ReportInput("推进中", 10), actor="水务填报员")
    assert sub_unit["department"] == "滨河街道"
    with pytest.raises(PermissionDenied, match="教委填报员"):
        submit_report(staffed_db, "T6", "2024Q2", "区水务局", ReportInput("已完成", 100), actor="教委填报员")
    assert [r["status"] for r in list_reports(staffed_db)] == ["推进中", "推进中"]


def test_reporters_record_figures_only_for_their_targets(staffed_db):
    add_observation(staffed_db, "I1", ObservationInput(2024, 655.0), actor="水务填报员")
    with pytest.raises(PermissionDenied):
        add_observation(staffed_db, "I1", ObservationInput(2024, 700.0), actor="教委填报员")
    with pytest.raises(PermissionDenied):
        add_observation(staffed_db, "I2", ObservationInput(2024, 7.0), actor="水务填报员")


def test_reporters_cannot_review_assign_or_lock(staffed_db):
    report = submit_report(staffed_db, "T6", "2024Q2", "区水务局", ReportInput("推进中", 20), actor="水务填报员")
    with pytest.raises(PermissionDenied):
        review_report(staffed_db, report["id"], "approve", actor="水务填报员")
    with pytest.raises(PermissionDenied):
        assign(staffed_db, ["T1"], lead="区水务局", actor="水务填报员")
    with pytest.raises(PermissionDenied):
        close_period(staffed_db, "2024Q2", actor="水务填报员")
    assert review_report(staffed_db, report["id"], "approve", actor="规划科")["review"] == "approved"


def test_viewers_only_read(staffed_db):
    for attempt in (
        lambda: submit_report(staffed_db, "T6", "2024Q2", "区水务局", ReportInput("推进中"), actor="观察员"),
        lambda: add_comment(staffed_db, "T6", "看过了", actor="观察员"),
        lambda: open_period(staffed_db, "2024Q3", actor="观察员"),
    ):
        with pytest.raises(PermissionDenied, match="viewer"):
            attempt()
    assert list_reports(staffed_db) == []


def test_instructions_are_for_planners_and_leaders_not_reporters(staffed_db):
    add_comment(staffed_db, "T6", "已安排", actor="水务填报员")
    with pytest.raises(PermissionDenied):
        add_comment(staffed_db, "T6", "请加快", instruction=True, actor="水务填报员")
    assert add_comment(staffed_db, "T6", "请加快", instruction=True, actor="规划科")["kind"] == "instruction"


def test_cli_names_the_user(run_cli, db_url):
    from .conftest import DEMO_PLAN

    assert run_cli("ingest", DEMO_PLAN, "--db", db_url).exit_code == 0
    assert run_cli("users", "add", "admin", "--role", "admin", "--db", db_url).exit_code == 0
    refused = run_cli("period", "open", "2024Q2", "--db", db_url)
    assert refused.exit_code == 1 and "--user" in refused.output
    assert run_cli("period", "open", "2024Q2", "--db", db_url, "--user", "admin").exit_code == 0


def test_viewers_read_reports_without_writing_assessments(staffed_db):
    from planwatch.report.bulletin import build_bulletin
    from planwatch.store.assessments import load_assessments

    bulletin = build_bulletin(staffed_db, "1", "2024Q2", actor="观察员")
    assert bulletin.summary.task_total > 0
    assert load_assessments(staffed_db, "1", "2024Q2") == []
    build_bulletin(staffed_db, "1", "2024Q2", actor="规划科")
    assert load_assessments(staffed_db, "1", "2024Q2")
