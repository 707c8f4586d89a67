"""Bulletins and mid-term reports: structure and numbers checked against the store, in every format."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from docx import Document as Docx
from openpyxl import load_workbook
from selectolax.lexbor import LexborHTMLParser

from planwatch.report.bulletin import build_bulletin
from planwatch.report.charts import cjk_face
from planwatch.report.render import CHARTS_MISSING, DOCX_INDICATOR_CHARTS, HTML_INDICATOR_CHARTS, html, render
from planwatch.store import list_observations
from planwatch.store.assessments import load_assessments

from .conftest import DEMO_PLAN


@pytest.fixture
def bulletin(demo_db):
    return build_bulletin(demo_db, "1", "2024Q4", "midterm")


def test_summary_numbers_are_the_stored_assessments(demo_db, bulletin):
    stored = load_assessments(demo_db, "1", "2024Q4")
    targets = Counter(a["status"] for a in stored if a["item"].startswith("I"))
    tasks = Counter(a["status"] for a in stored if a["item"].startswith("T"))
    assert bulletin.summary.targets.nonzero() == dict(targets)
    assert bulletin.summary.tasks.nonzero() == dict(tasks)
    assert all(a["explanation"].get("thresholds") or not a["item"].startswith("I") for a in stored)


def test_html_report_has_every_section_and_the_store_figures(demo_db, bulletin):
    page = LexborHTMLParser(html(bulletin))
    for section in ("summary-targets", "summary-tasks", "chapters", "departments", "indicator-charts", "all-targets", "sources"):
        assert page.css_first(f"#{section}") is not None, section
    assert len(page.css("#indicator-charts svg")) == min(len(bulletin.indicators), HTML_INDICATOR_CHARTS) > 0
    bars = [p for p in page.css("#chapter-charts svg path") if "fill: #43a047" in (p.attributes.get("style") or "")]
    assert bars, "no 正常 bar in the chapter status chart"
    assert len(page.css("#sources li")) == len(bulletin.sources)
    latest = {o["target"]: o["value"] for o in list_observations(demo_db, plan="1") if o["year"] == 2024}
    rows = page.css("#all-targets tr")[1:]
    assert len(rows) == bulletin.summary.target_total
    for row in rows:
        cells = [c.text(strip=True) for c in row.css("td")]
        if cells[0] in latest:
            assert float(cells[5]) == pytest.approx(latest[cells[0]]), cells[0]
    assert "批示" in page.text() and "请区水务局加快进度" in page.text()


def test_the_bulletin_says_who_has_not_reported(demo_db, bulletin):
    from planwatch.store import missing_reports

    expected = {r["department"]: r["missing"] for r in missing_reports(demo_db, "1", "2024Q4")}
    assert {r.department: r.missing for r in bulletin.reporting} == expected
    assert all(r.reported + r.missing == r.assigned for r in bulletin.reporting)
    page = LexborHTMLParser(html(bulletin))
    assert len(page.css("#reporting tr")) == len(expected) + 1


def test_every_figure_cites_its_source_and_plan_quotes_are_verbatim(bulletin):
    text = DEMO_PLAN.read_text(encoding="utf-8")
    for t in bulletin.targets:
        assert t.cites, t.ref
        clause = bulletin.sources[t.cites[0] - 1]
        assert clause.kind == "plan" and t.quote in text and t.quote in clause.text
        assert len(t.cites) == 1 + len(t.observations) + len(t.reports)
        assert [bulletin.sources[c - 1].kind for c in t.cites[1:]] == ["observation"] * len(t.observations) + ["report"] * len(t.reports)
    for t in bulletin.tasks:
        assert t.cites and (t.report_id is None or any(bulletin.sources[c - 1].kind == "report" for c in t.cites))


def test_public_edition_leaves_out_internal_notes(demo_db):
    public = build_bulletin(demo_db, "1", "2024Q4", "quarterly", public=True)
    assert public.edition == "公开版" and public.comments == ()
    page = html(public)
    assert "请区水务局加快进度" not in page and "内部版" not in page
    assert "all-targets" not in page  # the full table is the mid-term report's


def test_docx_xlsx_and_markdown(bulletin, tmp_path):
    docx = Docx(render(bulletin, "docx", tmp_path / "r.docx"))
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:5] == ["一、总体情况", "二、分章节情况", "三、分部门情况", "四、进度滞后的任务", "五、未达序时进度的指标"]
    assert "七、重大项目推进情况" in headings and "八、全部指标评估" in headings and "数据来源" in headings and "六、主要指标走势" in headings
    if cjk_face():
        assert len(docx.inline_shapes) == 2 + min(len(bulletin.indicators), DOCX_INDICATOR_CHARTS)  # PNG charts
    else:
        assert any(p.text == CHARTS_MISSING for p in docx.paragraphs)
    late = [t for t in docx.tables if t.rows[0].cells[0].text == "编号" and t.rows[0].cells[1].text == "任务"]
    assert len(late[0].rows) == len(bulletin.late_tasks) + 1
    book = load_workbook(render(bulletin, "xlsx", tmp_path / "r.xlsx"))
    assert {"概览", "指标", "任务", "章节", "部门", "来源", "批示"} <= set(book.sheetnames)
    assert len(book["图表"]._charts) == 1 + min(len(bulletin.indicators), 60)
    statuses = [r[10] for r in book["指标"].iter_rows(min_row=2, values_only=True)]
    assert Counter(statuses) == Counter(t.status for t in bulletin.targets)
    md = render(bulletin, "md", tmp_path / "r.md").read_text(encoding="utf-8")
    assert md.startswith(f"# {bulletin.title}") and "## 五、未达序时进度的指标" in md and "## 数据来源" in md


def test_report_command_writes_each_format(run_cli, demo_db, tmp_path):
    url = demo_db.url.render_as_string(hide_password=False)
    for fmt in ("html", "md", "xlsx", "docx"):
        out = tmp_path / f"bulletin.{fmt}"
        result = run_cli("report", "--plan", "1", "--period", "2024Q4", "--format", fmt, "-o", out, "--db", url)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    result = run_cli("report", "build", "--plan", "1", "--period", "2024Q4", "--kind", "midterm", "--public", "-o",
                     tmp_path / "public.html", "--db", url)
    assert result.exit_code == 0 and "公开版" in result.output


def test_thresholds_are_per_plan_settings_used_by_the_assessment(run_cli, demo_db):
    import json

    url = demo_db.url.render_as_string(hide_password=False)
    before = json.loads(run_cli("assess", "--plan", "1", "--period", "2024Q4", "--db", url, "--format", "json").output)
    result = run_cli("thresholds", "--plan", "1", "on_track=0.5", "at_risk=0.2", "--db", url, "--format", "json")
    assert result.exit_code == 0, result.output
    assert {r["name"]: r["value"] for r in json.loads(result.output)}["on_track"] == 0.5
    after = json.loads(run_cli("assess", "--plan", "1", "--period", "2024Q4", "--db", url, "--format", "json").output)
    worse = {"需加力", "进展有限", "倒退"}
    assert sum(r["status"] in worse for r in after) < sum(r["status"] in worse for r in before)
    explained = json.loads(run_cli("assess", "--plan", "1", "--period", "2024Q4", "--explain", after[0]["item"], "--db", url,
                                   "--format", "json").output)
    assert explained["thresholds"]["on_track"] == 0.5
    bad = run_cli("thresholds", "--plan", "1", "speed=3", "--db", url)
    assert bad.exit_code == 2 and "speed" in bad.output


GOLDEN = Path(__file__).with_name("golden") / "midterm_structure.json"


def structure(bulletin, tmp_path) -> dict:
    """The skeleton of each rendering: section headings in order, table ids, chart counts."""
    page = LexborHTMLParser(html(bulletin))
    md = render(bulletin, "md", tmp_path / "s.md").read_text(encoding="utf-8")
    docx = Docx(render(bulletin, "docx", tmp_path / "s.docx"))
    book = load_workbook(render(bulletin, "xlsx", tmp_path / "s.xlsx"))
    return {
        "html_sections": [h.text(strip=True) for h in page.css("h2")],
        "html_tables": [t.attributes.get("id") for t in page.css("table")],
        "md_sections": [line[3:] for line in md.splitlines() if line.startswith("## ")],
        "docx_sections": [p.text for p in docx.paragraphs if p.style.name == "Heading 1"],
        "xlsx_sheets": book.sheetnames,
    }


def test_rendered_structure_matches_the_golden_file(bulletin, tmp_path):
    got = structure(bulletin, tmp_path)
    if not GOLDEN.exists():
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.fail(f"wrote {GOLDEN.name}: review it and commit it")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))
