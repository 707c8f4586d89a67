from __future__ import annotations

import json

from .conftest import DEMO_PLAN


def test_outline_jsonl_fields(run_cli, sample_txt):
    result = run_cli("outline", sample_txt, "--format", "jsonl")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows[0] == {**rows[0], "doc": "sample.txt", "kind": "part", "label": "一", "title": "总体要求", "level": 1, "inferred": False}
    assert {"start", "end"} <= set(rows[0])


def test_outline_reports_gaps(run_cli, tmp_path):
    path = tmp_path / "gap.txt"
    path.write_text("第一章 甲\n正文。\n第三章 丙\n正文。\n", encoding="utf-8")
    result = run_cli("outline", path, "--format", "jsonl")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["label"], r["inferred"]) for r in rows] == [("一", False), ("二", True), ("三", False)]


def test_bad_file_one_line_error_and_exit_1(run_cli, tmp_path):
    result = run_cli("outline", tmp_path / "nope.txt")
    assert result.exit_code == 1
    assert "nope.txt" in result.output and "Traceback" not in result.output


def test_error_is_one_unwrapped_line_without_markup(run_cli, tmp_path):
    # A long directory and a file name with [brackets]: the message must come out whole, on one line.
    deep = tmp_path.joinpath(*["很长的目录名" * 4] * 6, "[red]报告[1]")
    deep.mkdir(parents=True)
    result = run_cli("outline", deep / "规划[2].txt")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert str(deep / "规划[2].txt") in lines[0]


def test_extract_jsonl_carries_guide_fields(run_cli):
    result = run_cli("extract", DEMO_PLAN, "--format", "jsonl")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and rows[0]["id"] == "qin-1"
    for field in ("doc", "kind", "quote", "metric", "value", "unit", "comparator", "type", "baseline", "year", "year_explicit", "binding"):
        assert field in rows[0]
    assert any(r["binding"] == "约束性" and r["metric"] == "森林覆盖率" for r in rows)


def test_extract_tasks_projects_and_files(run_cli, tmp_path):
    tasks = [json.loads(x) for x in run_cli("extract", DEMO_PLAN, "--what", "tasks", "--format", "jsonl").output.splitlines()]
    assert any(t["title"] == "治理水环境" and t["deadlines"] == ["2024-12-31"] for t in tasks)
    projects = run_cli("extract", DEMO_PLAN, "--what", "projects", "--format", "csv").output
    assert projects.startswith("id,doc,name,action") and "青溪第二再生水厂" in projects
    out = tmp_path / "targets.xlsx"
    assert run_cli("extract", DEMO_PLAN, "--format", "xlsx", "-o", out).exit_code == 0
    from openpyxl import load_workbook

    assert load_workbook(out).active.max_row > 5


def test_inspect_reports_documents(run_cli, sample_txt):
    result = run_cli("inspect", sample_txt, "--format", "json")
    data = json.loads(result.output)
    assert data["documents"][0]["period"] == "2021–2025"


def test_demo_runs_and_stores(run_cli, tmp_path):
    db, report = tmp_path / "demo.db", tmp_path / "demo-report.html"
    result = run_cli("demo", "--db", db, "-o", report)  # never the checkout's own planwatch-demo-report.html
    assert result.exit_code == 0 and "done:" in result.output
    assert db.exists() and report.exists() and report.with_suffix(".md").exists()


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def test_each_command_is_loaded_from_the_module_the_table_names():
    from planwatch.cli import load_commands, main
    from planwatch.cli.app import MODULE_OF

    load_commands()
    defined = {name: command.callback.__module__.rsplit(".", 1)[-1] for name, command in main.commands.items()}
    assert defined == MODULE_OF


def test_every_command_documents_an_example_and_ledger_commands_speak_json():
    from planwatch.cli import load_commands, main

    load_commands()
    for path, command in _commands(main):
        assert "Example:" in (command.help or ""), " ".join(path)
        if path[0] not in ("outline", "inspect", "extract", "demo", "serve"):
            options = {o for p in command.params for o in getattr(p, "opts", [])}
            assert "--format" in options, " ".join(path)


def test_cli_reference_is_current():
    from planwatch.cli.reference import cli_reference

    from .conftest import ROOT

    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_reference(), "run scripts/docs"


def test_public_surface_is_pinned():
    import planwatch.assess
    import planwatch.store

    assert {"store_extraction", "submit_report", "apply_ledger", "ledger_rows", "import_observations", "review_reports",
            "add_user", "assign", "open_period", "close_period", "audit_entries"} <= set(planwatch.store.__all__)
    assert {"assess_plan", "assess_target", "assess_task", "Thresholds"} <= set(planwatch.assess.__all__)
    for module in (planwatch.store, planwatch.assess):
        assert all(hasattr(module, name) for name in module.__all__)
