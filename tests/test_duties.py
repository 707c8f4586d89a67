"""Separation of duties: no self-review, reopening needs an admin and a reason, the three MLPS
administrators kept apart, comments within one's own departments, role changes audited."""

from __future__ import annotations

import pytest

from planwatch.errors import ConflictError, PermissionDenied, ValidationError
from planwatch.store import (
    ReportInput,
    add_comment,
    add_department,
    add_user,
    audit_entries,
    close_period,
    open_period,
    reopen_period,
    review_report,
    set_role,
    submit_report,
    verify_audit,
)


def test_a_planner_cannot_approve_or_return_a_report_they_filed(staffed_db):
    report = submit_report(staffed_db, "T6", "2024Q2", "区水务局", ReportInput("推进中", 30, "完成立项"), actor="规划科")
    for decision in ("approve", "return"):
        with pytest.raises(PermissionDenied, match="submitted report"):
            review_report(staffed_db, report["id"], decision, "请补充", actor="规划科")
    add_user(staffed_db, "分管领导", "planner", actor="admin")
    assert review_report(staffed_db, report["id"], "approve", actor="分管领导")["review"] == "approved"


def test_self_approval_is_refused_from_the_cli(run_cli, staffed_db):
    db = staffed_db.url.render_as_string(hide_password=False)
    report = submit_report(staffed_db, "T6", "2024Q2", "区水务局", ReportInput("推进中", 30), actor="admin")
    result = run_cli("report", "approve", str(report["id"]), "--db", db, "--user", "admin")
    assert result.exit_code == 1 and "may not approve" in result.output


def test_reopening_a_closed_period_needs_an_admin_and_a_reason(staffed_db):
    close_period(staffed_db, "2024Q2", actor="规划科")
    with pytest.raises(ConflictError, match="period reopen"):
        open_period(staffed_db, "2024Q2", actor="规划科")
    with pytest.raises(PermissionDenied, match="planner"):
        reopen_period(staffed_db, "2024Q2", "数据修订", actor="规划科")
    with pytest.raises(ValidationError, match="reason"):
        reopen_period(staffed_db, "2024Q2", "  ", actor="admin")
    assert reopen_period(staffed_db, "2024Q2", "区统计局修订二季度数据", actor="admin")["status"] == "open"
    [entry] = [e for e in audit_entries(staffed_db, entity="period", actor="admin") if e["action"] == "reopen"]
    assert (entry["actor"], entry["new"]["reason"]) == ("admin", "区统计局修订二季度数据")


@pytest.fixture
def three_admins(staffed_db):
    add_user(staffed_db, "系统管理员", "sysadmin", actor="admin")
    add_user(staffed_db, "安全管理员", "secadmin", actor="admin")
    add_user(staffed_db, "审计管理员", "auditor", actor="admin")
    return staffed_db


def test_the_audit_administrator_can_change_nothing(three_admins):
    db, who = three_admins, "审计管理员"
    attempts = [
        lambda: add_department(db, "区林业局", actor=who),
        lambda: add_user(db, "新人", "viewer", actor=who),
        lambda: set_role(db, "观察员", "planner", actor=who),
        lambda: open_period(db, "2024Q3", actor=who),
        lambda: close_period(db, "2024Q2", actor=who),
        lambda: reopen_period(db, "2024Q2", "x", actor=who),
        lambda: submit_report(db, "T6", "2024Q2", "区水务局", ReportInput("推进中"), actor=who),
        lambda: add_comment(db, "T6", "看过了", actor=who),
    ]
    before = len(audit_entries(db, limit=10_000, actor=who))
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="auditor"):
            attempt()
    assert len(audit_entries(db, limit=10_000, actor=who)) == before and verify_audit(db, actor=who).ok


def test_system_and_security_administrators_are_kept_apart(three_admins):
    db = three_admins
    add_user(db, "新人", "viewer", actor="系统管理员")  # the system administrator adds accounts
    with pytest.raises(PermissionDenied, match="sysadmin"):
        add_user(db, "另一人", "planner", actor="系统管理员")  # but gives no role beyond viewer
    with pytest.raises(PermissionDenied, match="sysadmin"):
        set_role(db, "新人", "planner", actor="系统管理员")
    assert set_role(db, "新人", "planner", actor="安全管理员")["role"] == "planner"
    with pytest.raises(PermissionDenied, match="own role"):
        set_role(db, "安全管理员", "admin", actor="安全管理员")
    with pytest.raises(PermissionDenied, match="secadmin"):
        add_department(db, "区林业局", actor="安全管理员")
    with pytest.raises(PermissionDenied, match="auditor|sysadmin|secadmin"):
        audit_entries(db, actor="系统管理员")
    [change] = [e for e in audit_entries(db, entity="user", actor="审计管理员") if e["action"] == "update"]
    assert (change["actor"], change["old"], change["new"]) == ("安全管理员", {"role": "viewer"}, {"role": "planner"})


def test_reporters_comment_only_on_their_departments_items(staffed_db):
    assert add_comment(staffed_db, "T6", "已安排", actor="水务填报员")["author"] == "水务填报员"
    assert add_comment(staffed_db, "T5", "街道已启动", actor="水务填报员")  # 滨河街道 sits under 区水务局
    with pytest.raises(PermissionDenied, match="outside their department"):
        add_comment(staffed_db, "T6", "我们也有意见", actor="教委填报员")
    with pytest.raises(PermissionDenied):
        add_comment(staffed_db, "T1", "未分配的任务", actor="水务填报员")
    assert add_comment(staffed_db, "T1", "请尽快分配", actor="规划科")


def test_exports_are_audited(run_cli, staffed_db, tmp_path):
    db = staffed_db.url.render_as_string(hide_password=False)
    out = tmp_path / "台账.xlsx"
    result = run_cli("ledger", "export", "--plan", "1", "--period", "2024Q2", "--department", "区水务局", "-o", out,
                     "--db", db, "--user", "规划科")
    assert result.exit_code == 0
    [entry] = audit_entries(staffed_db, entity="ledger", actor="admin")
    assert (entry["action"], entry["actor"], entry["new"]["files"][0]["department"]) == ("export", "规划科", "区水务局")
