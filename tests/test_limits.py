"""Reader limits a user can change for one run (``--limit``, ``PLANWATCH_LIMITS``), and the
clear errors a bad value gets."""

from __future__ import annotations

import pytest

from planwatch.errors import LimitExceeded, PlanwatchError
from planwatch.ingest import read_document
from planwatch.ingest.limits import DEFAULT_LIMITS, LIMITS_ENV, current_limits, parse_limits


def long_plan(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("一、总体要求\n" + "正文。" * 5_000, encoding="utf-8")
    return path


def test_parse_changes_only_the_named_limits():
    limits = parse_limits(" max_chars = 8_000_000 , max_pages=500,")
    assert (limits.max_chars, limits.max_pages) == (8_000_000, 500)
    assert limits.max_depth == DEFAULT_LIMITS.max_depth
    assert parse_limits("") == DEFAULT_LIMITS


@pytest.mark.parametrize(("text", "message"), [
    ("pages=5", "unknown limit 'pages'"),
    ("max_pages", "max_pages must be a whole number"),
    ("max_pages=0", "max_pages must be a whole number"),
    ("max_pages=-3", "max_pages must be a whole number"),
    ("max_chars=1e6", "max_chars must be a whole number"),
])
def test_parse_names_the_bad_entry(text, message):
    with pytest.raises(ValueError, match=message):
        parse_limits(text)


def test_environment_governs_read_document(tmp_path, monkeypatch):
    path = long_plan(tmp_path)
    assert read_document(path).text
    monkeypatch.setenv(LIMITS_ENV, "max_chars=1000")
    with pytest.raises(LimitExceeded, match="1,000"):
        read_document(path)


def test_bad_environment_is_a_planwatch_error_naming_the_variable(monkeypatch):
    monkeypatch.setenv(LIMITS_ENV, "max_chars=lots")
    with pytest.raises(PlanwatchError, match=f"^{LIMITS_ENV}: max_chars"):
        current_limits()


def test_cli_limit_refuses_a_file_past_it_in_one_line(tmp_path, run_cli):
    path = long_plan(tmp_path)
    ok = run_cli("inspect", path)
    assert ok.exit_code == 0, ok.output
    result = run_cli("--limit", "max_chars=1000", "inspect", path)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "long.txt" in errors[0] and "1,000" in errors[0]
    assert "Documents" not in result.output


def test_cli_limit_raises_a_limit_above_the_default(tmp_path, run_cli, monkeypatch):
    path = long_plan(tmp_path)
    monkeypatch.setenv(LIMITS_ENV, "max_chars=1000")
    assert run_cli("inspect", path).exit_code == 1
    assert run_cli("--limit", "max_chars=100000", "inspect", path).exit_code == 0


def test_cli_unknown_limit_is_a_usage_error(tmp_path, run_cli):
    result = run_cli("--limit", "max_lines=5", "inspect", long_plan(tmp_path))
    assert result.exit_code == 2
    assert "unknown limit 'max_lines'" in result.output
