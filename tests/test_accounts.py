"""Accounts: argon2 passwords, the policy, must-change, lockout, audit, and the CLI's proof of --user."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.errors import PermissionDenied, ValidationError
from planwatch.store import audit_entries
from planwatch.store.accounts import LOCK_AFTER, LoginRefused, authenticate, password_problems, set_password, unlock
from planwatch.store.schema import User

GOOD = "Qingchuan#2024"
OTHER = "Linhe-river-77"


@pytest.mark.parametrize(("password", "expect"), [
    ("Short#1", "at least 10"),
    ("alllowercaseletters", "3 of"),
    ("lowercase-only-but-long", "3 of"),
    ("Abcdefghij", "3 of"),
])
def test_policy_refuses_weak_passwords(password, expect):
    assert any(expect in p for p in password_problems("王芳", password))


def test_policy_accepts_three_classes_and_refuses_the_name():
    assert password_problems("王芳", "abcdefgh12#") == []
    assert password_problems("wangfang", "WangFang2024!") == ["a password may not contain the user's name"]


def test_hash_is_argon2_and_reset_means_must_change(staffed_db):
    result = set_password(staffed_db, "水务填报员", GOOD, actor="admin")
    assert result["must_change"] is True
    with Session(staffed_db) as s:
        stored = s.scalars(select(User.password_hash).where(User.name == "水务填报员")).one()
    assert stored.startswith("$argon2id$") and GOOD not in stored
    assert authenticate(staffed_db, "水务填报员", GOOD).must_change is True
    set_password(staffed_db, "水务填报员", OTHER, actor="水务填报员", old_password=GOOD)
    assert authenticate(staffed_db, "水务填报员", OTHER).must_change is False


def test_only_security_administrators_reset_others(staffed_db):
    with pytest.raises(PermissionDenied):
        set_password(staffed_db, "教委填报员", GOOD, actor="水务填报员")
    with pytest.raises(ValidationError):
        set_password(staffed_db, "教委填报员", "weak", actor="admin")


def test_own_change_needs_the_current_password(staffed_db):
    set_password(staffed_db, "规划科", GOOD, actor="admin")
    with pytest.raises(LoginRefused):
        set_password(staffed_db, "规划科", OTHER, actor="规划科", old_password="not it at all")


def test_five_failures_lock_for_fifteen_minutes_and_are_audited(staffed_db):
    set_password(staffed_db, "规划科", GOOD, actor="admin")
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for _ in range(LOCK_AFTER):
        with pytest.raises(LoginRefused):
            authenticate(staffed_db, "规划科", "wrong password!", now=now)
    with pytest.raises(LoginRefused, match="locked"):
        authenticate(staffed_db, "规划科", GOOD, now=now + timedelta(minutes=14))
    assert authenticate(staffed_db, "规划科", GOOD, now=now + timedelta(minutes=16)).name == "规划科"
    actions = [e["action"] for e in audit_entries(staffed_db, limit=50, entity="user", actor="admin") if e["actor"] == "规划科"]
    assert actions.count("login_failed") == LOCK_AFTER + 1 and "lock" in actions and "login" in actions


def test_unlock_lifts_a_lockout(staffed_db):
    set_password(staffed_db, "规划科", GOOD, actor="admin")
    for _ in range(LOCK_AFTER):
        with pytest.raises(LoginRefused):
            authenticate(staffed_db, "规划科", "wrong password!")
    unlock(staffed_db, "规划科", actor="admin")
    assert authenticate(staffed_db, "规划科", GOOD).name == "规划科"


def test_a_user_without_password_cannot_log_in(staffed_db):
    with pytest.raises(LoginRefused, match="no password"):
        authenticate(staffed_db, "观察员", "")


# --- the CLI: --user is proven when the user has a password ------------------------------------

@pytest.fixture
def cli_db(staffed_db):
    url = staffed_db.url.render_as_string(hide_password=False)
    set_password(staffed_db, "admin", GOOD, actor="admin")
    set_password(staffed_db, "admin", OTHER, actor="admin", old_password=GOOD)  # admin's own: no must-change
    return url


def test_cli_user_with_a_password_must_prove_it(run_cli, cli_db, monkeypatch):
    monkeypatch.setenv("PLANWATCH_PASSWORD", "guessing-Wrong1")
    refused = run_cli("departments", "add", "区财政局", "--db", cli_db, "--user", "admin")
    assert refused.exit_code == 1 and "wrong password" in refused.output
    monkeypatch.setenv("PLANWATCH_PASSWORD", OTHER)
    assert run_cli("departments", "add", "区财政局", "--db", cli_db, "--user", "admin").exit_code == 0


def test_cli_prompts_for_the_password(run_cli, cli_db, monkeypatch):
    monkeypatch.delenv("PLANWATCH_PASSWORD", raising=False)
    ok = run_cli("departments", "add", "区财政局", "--db", cli_db, "--user", "admin", input=OTHER + "\n")
    assert ok.exit_code == 0, ok.output


def test_cli_passwd_resets_and_the_user_must_change(run_cli, cli_db, monkeypatch):
    monkeypatch.setenv("PLANWATCH_PASSWORD", OTHER)
    monkeypatch.setenv("PLANWATCH_NEW_PASSWORD", GOOD)
    reset = run_cli("users", "passwd", "规划科", "--db", cli_db, "--user", "admin", "--format", "json")
    assert reset.exit_code == 0 and json.loads(reset.output)["must_change"] is True
    monkeypatch.setenv("PLANWATCH_PASSWORD", GOOD)
    blocked = run_cli("period", "open", "2024Q3", "--db", cli_db, "--user", "规划科")
    assert blocked.exit_code == 1 and "must set a new password" in blocked.output
    monkeypatch.setenv("PLANWATCH_NEW_PASSWORD", "Another-one-9")
    assert run_cli("users", "passwd", "规划科", "--db", cli_db).exit_code == 0  # own change: proves GOOD first
    monkeypatch.setenv("PLANWATCH_PASSWORD", "Another-one-9")
    assert run_cli("period", "open", "2024Q3", "--db", cli_db, "--user", "规划科").exit_code == 0


def test_cli_user_without_a_password_is_taken_at_their_word(run_cli, cli_db, monkeypatch):
    monkeypatch.delenv("PLANWATCH_PASSWORD", raising=False)
    assert run_cli("period", "open", "2024Q3", "--db", cli_db, "--user", "规划科").exit_code == 0
