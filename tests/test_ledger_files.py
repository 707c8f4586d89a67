"""Hostile and careless ledger files: formulas, non-finite numbers, duplicated rows, text that
would become a formula when exported, and department names that try to leave the output folder."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from planwatch.report.ledger import ledger_file_name
from planwatch.store import list_observations, list_reports, make_engine

from .test_ledger import DEP, assigned, cli_json, export, fill  # noqa: F401  (assigned is a fixture)

GOOD = {"I2": {"状态": "推进中", "本期进展": "正常推进"}}


def refused(run_cli, db_url, path, *expected):
    result = run_cli("ledger", "import", path, "--db", db_url)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("error: ") and lines[0].endswith("nothing was changed")
    assert all(line.startswith("  - sheet ") for line in lines[1:]), result.output  # one line per problem, each naming its cell
    for text in expected:
        assert text in result.output, result.output
    assert list_reports(make_engine(db_url)) == []
    return result.output


def test_a_formula_in_a_cell_is_refused_with_the_cell_named(run_cli, assigned, tmp_path):  # noqa: F811
    blank = export(run_cli, assigned, tmp_path / "ledger.xlsx")
    filled = fill(blank, tmp_path / "f.xlsx", {**GOOD, "T5": {"状态": "推进中", "完成比例": "=20+25", "本期进展": "=A1"}})
    out = refused(run_cli, assigned, filled, "row 3 column L (完成比例)", "row 3 column J (本期进展)", "formula (=20+25)")
    assert "2 problem(s)" in out


@pytest.mark.parametrize("text", ["inf", "-Infinity", "nan", "1e999"])
def test_non_finite_figures_are_refused_as_such(run_cli, assigned, tmp_path, text):  # noqa: F811
    filled = fill(export(run_cli, assigned, tmp_path / "ledger.xlsx"), tmp_path / "n.xlsx",
                  {**GOOD, "I1": {"状态": "推进中", "本期数值": text}, "T5": {"状态": "推进中", "完成比例": text}})
    out = refused(run_cli, assigned, filled, "column M (本期数值)", "column L (完成比例)", "is not a finite number")
    assert "outside 0–100" not in out
    assert list_observations(make_engine(assigned)) == []


def test_a_non_finite_version_is_a_problem_not_a_crash(run_cli, assigned, tmp_path):  # noqa: F811
    blank = export(run_cli, assigned, tmp_path / "ledger.xlsx")
    book = load_workbook(blank)
    sheet = book["台账"]
    version = get_column_letter(sheet.max_column)  # the hidden 版本 column, the last one
    sheet[f"{version}3"] = "nan"  # T5's
    sheet["K3"] = "推进中"
    book.save(tmp_path / "v.xlsx")
    refused(run_cli, assigned, tmp_path / "v.xlsx", f"column {version} (版本)", "not a finite number")


def test_a_duplicated_row_is_refused_for_being_a_duplicate(run_cli, assigned, tmp_path):  # noqa: F811
    filled = fill(export(run_cli, assigned, tmp_path / "ledger.xlsx"), tmp_path / "d.xlsx", {"T5": {"状态": "推进中"}})
    book = load_workbook(filled)
    sheet = book["台账"]
    sheet.append([c.value for c in sheet[3]])  # T5 pasted again below the last row
    sheet.cell(sheet.max_row, 12).value = 80
    book.save(tmp_path / "dup.xlsx")
    out = refused(run_cli, assigned, tmp_path / "dup.xlsx", f"row {sheet.max_row} column B (编号)", "T5 is filled in twice (first in row 3)")
    assert "someone else" not in out


HOSTILE = {"narrative": '=HYPERLINK("http://example.invalid/x","点此查看")', "problems": "+1+1", "next_steps": "@SUM(A1:A9)"}


def test_exported_text_never_becomes_a_formula_and_round_trips(run_cli, assigned, tmp_path):  # noqa: F811
    args = ("--period", "2024Q2", "--department", DEP, "--db", assigned)
    cli_json(run_cli, "report", "submit", "T5", "--status", "推进中", "--narrative", HOSTILE["narrative"],
             "--problems", HOSTILE["problems"], "--next-steps", HOSTILE["next_steps"], *args)
    cli_json(run_cli, "report", "submit", "T6", "--status", "推进中", "--narrative", "-完成立项\n-开工", "--problems", "\t缩进", *args)
    path = export(run_cli, assigned, tmp_path / "ledger.xlsx")
    book = load_workbook(path)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    starts = ("=", "+", "-", "@", "\t", "\r")
    assert not [c.coordinate for c in cells if isinstance(c.value, str) and c.value.startswith(starts)]
    texts = {c.value for c in cells}
    assert "'" + HOSTILE["narrative"] in texts and "'-完成立项\n-开工" in texts
    again = cli_json(run_cli, "ledger", "import", path, "--db", assigned)
    assert (again["unchanged"], again["updated"], again["created"]) == (2, 0, 0)
    t5 = next(r for r in list_reports(make_engine(assigned)) if r["item"] == "T5")
    assert {k: t5[k] for k in HOSTILE} == HOSTILE


def test_department_names_cannot_leave_the_output_folder(run_cli, assigned, tmp_path):  # noqa: F811
    names = ["../逃逸", "/../../逃逸", "a/b", "a:b", "..", "/etc/x", "C:\\Windows\\y"]
    for name in names:
        cli_json(run_cli, "departments", "add", name, "--db", assigned)
        cli_json(run_cli, "assign", "T5", "--support", name, "--db", assigned)
    out = tmp_path / "a" / "b" / "out"
    written = cli_json(run_cli, "ledger", "export", "--plan", "1", "--period", "2024Q2", "-o", out, "--db", assigned)
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == len(written) == len(names) + 2 and len(set(files)) == len(files)
    assert all((out / f).resolve().parent == out.resolve() for f in files)
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b"] and [p.name for p in (tmp_path / "a" / "b").iterdir()] == ["out"]
    meta = {load_workbook(w["file"])["_planwatch"]["B4"].value for w in written}
    assert {"../逃逸", "/etc/x"} <= meta


@pytest.mark.parametrize(("department", "expected"), [
    ("区水务局", "2024Q2_区水务局_台账.xlsx"),
    ("../../etc", "2024Q2_____etc_台账.xlsx"),
    ("a\x00b\nc", "2024Q2_a_b_c_台账.xlsx"),
    ("...", "2024Q2___台账.xlsx"),
])
def test_ledger_file_names_are_plain_names(department, expected):
    assert ledger_file_name("2024Q2", department) == expected


def test_ledger_file_names_stay_short_and_unique():
    used: set[str] = set()
    long = ledger_file_name("2024Q2", "水" * 500, used)
    assert len(long.encode("utf-8")) <= 255
    assert ledger_file_name("2024Q2", "a/b", used) != ledger_file_name("2024Q2", "a:b", used)


@pytest.mark.parametrize("label", ["9999Q4", "0000", "2101H1"])
def test_periods_out_of_range_are_refused_not_crashed(run_cli, fresh_db, label):
    result = run_cli("period", "open", label, "--db", fresh_db.url.render_as_string(hide_password=False))
    assert result.exit_code == 1 and f"period {label!r}: the year must be from 1949 to 2100" in result.output


def test_observations_refuse_non_finite_values(run_cli, assigned, tmp_path):  # noqa: F811
    result = run_cli("observe", "add", "I1", "--year", "2024", "--value", "inf", "--db", assigned)
    assert result.exit_code == 1 and "not a finite number" in result.output
    table = tmp_path / "统计.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["指标编号", "年份", "数值"], ["I1", "2024", "nan"], ["I1", "inf", "3"]])
    result = run_cli("observe", "import", table, "--plan", "1", "--db", assigned)
    assert result.exit_code == 1 and "row 2" in result.output and "not a finite number" in result.output
    assert "row 3 column" in result.output and "is not a year" in result.output
    assert list_observations(make_engine(assigned)) == []


def test_a_formula_in_a_statistics_table_is_refused(run_cli, assigned, tmp_path):  # noqa: F811
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["指标编号", "年份", "数值"])
    book.active.append(["I1", 2024, "=600+55"])
    book.save(tmp_path / "统计.xlsx")
    result = run_cli("observe", "import", tmp_path / "统计.xlsx", "--plan", "1", "--db", assigned)
    assert result.exit_code == 1 and "row 2 column C" in result.output and "formula" in result.output
    assert list_observations(make_engine(assigned)) == []
