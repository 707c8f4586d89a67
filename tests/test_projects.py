"""Named projects (重大项目) as ledger items: read from a project table with their investment,
years and units; assigned, scheduled, reported on with investment done and milestones reached;
assessed on schedule / late / done; shown in bulletins, on the dashboard and on item pages."""

from __future__ import annotations

import json
from datetime import date

import pytest

from planwatch.assess.projects import ProjectFacts, assess_project, schedule
from planwatch.assess.tasks import ReportFacts
from planwatch.errors import ValidationError
from planwatch.extract.projects import build_years, investment
from planwatch.pipeline import process

# A fictional action plan with a project table (重大项目安排), written for these tests.
PROJECT_PLAN = """临河区城市更新三年行动方案(2023—2025年)
一、工作目标
到2025年底，完成老旧小区改造60个。
二、重点任务
(一)完善基础设施
建成临河污水处理厂三期工程。
三、重大项目安排
序号 | 项目名称 | 建设性质 | 总投资（亿元） | 建设年限 | 责任单位 | 配合单位 |
1 | 北湖片区棚户区改造项目 | 续建 | 12.5 | 2022—2024年 | 区住房城乡建设委 | 区财政局 |
2 | 滨河大道改扩建工程 | 新建 | 8 | 2023—2025年 | 区交通局 | |
3 | 青溪体育中心 | 新建 | 三千万元 | 2024年 | 区体育局 | |
四、保障措施
加强组织领导。
"""


@pytest.fixture
def project_plan(tmp_path):
    path = tmp_path / "城市更新行动方案.txt"
    path.write_text(PROJECT_PLAN, encoding="utf-8")
    return path


def test_a_project_table_gives_investment_years_and_units(project_plan):
    projects = {p.name: p for p in process(project_plan).projects}
    north = projects["北湖片区棚户区改造项目"]
    assert (north.action, north.investment, north.investment_unit, north.years) == ("续建", 12.5, "亿元", (2022, 2024))
    assert (north.lead, north.support) == (("区住房城乡建设委",), ("区财政局",))
    # A cell's own unit wins over the header's, and the magnitude stays in the unit.
    assert (projects["青溪体育中心"].investment, projects["青溪体育中心"].investment_unit) == (3000.0, "万元")
    text = process(project_plan).outline.document.original
    assert text[north.span.start:north.span.end] == "北湖片区棚户区改造项目"
    assert projects["临河污水处理厂三期工程"].investment is None  # from running text: no table, no figures


@pytest.mark.parametrize(("cell", "unit", "expected"), [
    ("12.5", "亿元", (12.5, "亿元")), ("1,200万元", "", (1200.0, "万元")), ("待定", "亿元", (None, "")), ("8", "", (None, "")),
    ("两亿元", "", (2.0, "亿元")),
])
def test_investment_cells(cell, unit, expected):
    assert investment(cell, unit) == expected


@pytest.mark.parametrize(("cell", "expected"), [("2023—2025年", (2023, 2025)), ("2024年", (2024, 2024)), ("2025-2023", None),
                                                ("长期", None)])
def test_construction_years(cell, expected):
    assert build_years(cell) == expected


def facts(**kw) -> ProjectFacts:
    return ProjectFacts(1, "滨河大道改扩建工程", **{"investment": 8.0, "unit": "亿元", "years": (2023, 2025), **kw})


def report(period: str, end: date, status: str = "推进中", money: float | None = None, stage: str | None = None,
           on: date | None = None) -> ReportFacts:
    return ReportFacts(period, end, status, None, "", "", 9, "区交通局", money, stage, on)


def test_the_schedule_reads_construction_years_unless_the_planner_set_dates():
    assert schedule(facts()) == {"开工": date(2023, 12, 31), "竣工": date(2025, 12, 31)}
    assert schedule(facts(planned={"开工": date(2023, 5, 1)}))["开工"] == date(2023, 5, 1)


def test_a_project_past_its_completion_date_is_overdue():
    a = assess_project(facts(), [report("2026Q1", date(2026, 3, 31), stage="主体完工")], "2026Q1", date(2026, 3, 31))
    assert a.status == "逾期" and "2025-12-31" in a.reason


def test_a_missed_start_of_works_is_delayed():
    a = assess_project(facts(), [report("2024Q1", date(2024, 3, 31))], "2024Q1", date(2024, 3, 31))
    assert a.status == "滞后" and "开工" in a.reason and a.next_stage == "开工"


def test_investment_trailing_the_time_elapsed_is_delayed():
    late = assess_project(facts(), [report("2025Q2", date(2025, 6, 30), money=1.0, stage="开工", on=date(2023, 4, 1))],
                          "2025Q2", date(2025, 6, 30))
    assert late.status == "滞后" and "完成投资" in late.reason and late.share == pytest.approx(0.125)
    fine = assess_project(facts(), [report("2025Q2", date(2025, 6, 30), money=6.0, stage="开工", on=date(2023, 4, 1))],
                          "2025Q2", date(2025, 6, 30))
    assert fine.status == "按期推进" and fine.stage == "开工" and fine.reached_on == date(2023, 4, 1)


def test_completion_and_missing_reports():
    done = assess_project(facts(), [report("2024Q4", date(2024, 12, 31), stage="竣工", on=date(2024, 11, 2))], "2025Q1",
                          date(2025, 3, 31))
    assert done.status == "已完成"
    silent = assess_project(facts(), [report("2024Q3", date(2024, 9, 30), stage="开工")], "2024Q4", date(2024, 12, 31))
    assert silent.status == "未报送" and "2024Q3" in silent.reason


def ledger(run_cli, project_plan, db_url):
    assert run_cli("ingest", project_plan, "--db", db_url).exit_code == 0
    assert run_cli("period", "open", "2024Q2", "--db", db_url).exit_code == 0
    return db_url


def projects_of(run_cli, url, plan: int = 1) -> dict[str, dict]:
    out = run_cli("items", "--plan", plan, "--what", "projects", "--format", "json", "--db", url)
    return {p["name"]: p for p in json.loads(out.output)}


def test_projects_are_assigned_from_their_table_and_reported_on(run_cli, project_plan, db_url):
    url = ledger(run_cli, project_plan, db_url)
    refs = {name: p["item"] for name, p in projects_of(run_cli, url).items()}
    assert all(ref.startswith("P") for ref in refs.values())
    assigned = run_cli("assign", "--from-text", "--plan", "1", "--format", "json", "--db", url)
    by_item = {a["item"]: a for a in json.loads(assigned.output)}
    north = refs["北湖片区棚户区改造项目"]
    assert by_item[north]["lead"] == "区住房城乡建设委" and by_item[north]["support"] == ["区财政局"]

    filed = run_cli("report", "submit", north, "--period", "2024Q2", "--department", "区住房城乡建设委", "--status", "推进中",
                    "--investment", "9.5", "--stage", "主体完工", "--stage-on", "2024-05-20", "--format", "json", "--db", url)
    assert filed.exit_code == 0, filed.output
    row = json.loads(filed.output)
    assert (row["investment_done"], row["stage"], row["stage_on"]) == (9.5, "主体完工", "2024-05-20")
    assert run_cli("report", "approve", str(row["id"]), "--db", url).exit_code == 0

    assessed = run_cli("assess", "--plan", "1", "--period", "2024Q2", "--format", "json", "--db", url)
    assert assessed.exit_code == 0, assessed.output
    from planwatch.store import make_engine
    from planwatch.store.assessments import load_assessments

    stored = {a["item"]: a for a in load_assessments(make_engine(url), "1", "2024Q2")}
    assert stored[north]["status"] == "按期推进" and stored[north]["method"] == "project"
    assert stored[north]["explanation"]["stage"] == "主体完工" and stored[north]["numbers"]["share"] == pytest.approx(0.76)
    # Unreported projects are 未报送, and the table's 2024年 sports centre is not overdue before its year ends.
    assert stored[refs["青溪体育中心"]]["status"] == "未报送"


def test_project_fields_belong_to_project_reports(run_cli, project_plan, db_url):
    url = ledger(run_cli, project_plan, db_url)
    run_cli("assign", "--from-text", "--plan", "1", "--db", url)
    task = json.loads(run_cli("items", "--plan", "1", "--what", "tasks", "--format", "json", "--db", url).output)[0]["item"]
    assert run_cli("assign", task, "--lead", "区交通局", "--db", url).exit_code == 0
    wrong = run_cli("report", "submit", task, "--period", "2024Q2", "--department", "区交通局", "--status", "推进中",
                    "--stage", "开工", "--db", url)
    assert wrong.exit_code != 0 and "belong to a project" in wrong.output
    ref = projects_of(run_cli, url)["滨河大道改扩建工程"]["item"]
    ahead = run_cli("report", "submit", ref, "--period", "2024Q2", "--department", "区交通局", "--status", "推进中",
                    "--investment", "-1", "--db", url)
    assert ahead.exit_code != 0 and "investment_done" in ahead.output
    from planwatch.store import list_reports, make_engine

    assert list_reports(make_engine(url)) == []  # nothing half-written


def test_a_schedule_is_set_checked_audited_and_carried_to_a_revision(run_cli, project_plan, db_url, tmp_path):
    url = ledger(run_cli, project_plan, db_url)
    ref = projects_of(run_cli, url)["滨河大道改扩建工程"]["item"]
    backwards = run_cli("projects", "schedule", ref, "开工=2025-01-01", "竣工=2024-01-01", "--db", url)
    assert backwards.exit_code != 0 and "before" in backwards.output
    ok = run_cli("projects", "schedule", ref, "开工=2023-04-01", "竣工=2025-06-30", "--investment", "9", "--format", "json",
                 "--db", url)
    assert json.loads(ok.output)["stages"] == {"开工": "2023-04-01", "竣工": "2025-06-30"}
    audit = json.loads(run_cli("audit", "--entity", "project_stage", "--format", "json", "--db", url).output)
    assert len(audit) == 2
    assert run_cli("assign", "--from-text", "--plan", "1", "--db", url).exit_code == 0

    revised = tmp_path / "城市更新行动方案（修订）.txt"
    revised.write_text(PROJECT_PLAN.replace("完成老旧小区改造60个", "完成老旧小区改造80个"), encoding="utf-8")
    again = run_cli("ingest", revised, "--format", "json", "--db", url)
    carried = json.loads(again.output)["stored"][0]
    assert carried["carried"]["schedules"] == 2 and carried["carried"]["assignments"] >= 1
    now = projects_of(run_cli, url, carried["plan_id"])["滨河大道改扩建工程"]
    assert now["item"] != ref and now["investment"] == 8.0  # the new version's own row, read from its table
    listed = {p["name"]: p for p in json.loads(run_cli("projects", "list", "--plan", carried["plan_id"], "--format", "json",
                                                       "--db", url).output)}
    assert listed["滨河大道改扩建工程"]["item"] == now["item"] and listed["滨河大道改扩建工程"]["stages"]["竣工"] == "2025-06-30"


def test_schedule_refuses_a_task(demo_db):
    from planwatch.store.projects import StageInput, schedule_project

    with pytest.raises(ValidationError, match="belongs to a project"):
        schedule_project(demo_db, "T1", [StageInput("开工", date(2024, 1, 1))])


def test_the_demo_bulletin_shows_its_projects(demo_db):
    from planwatch.report.bulletin import build_bulletin
    from planwatch.report.render import closing_sections

    b = build_bulletin(demo_db, "1", "2024Q4", kind="quarterly")
    assert {p.status for p in b.projects} == {"已完成", "按期推进", "滞后"}
    section = next(s for s in closing_sections(b) if s.id == "projects")
    assert section.title.startswith("七、") and section.rows[0][7] in ("逾期", "滞后", "未报送")  # late ones first
    assert any("个重大项目中" in s for s in b.summary.sentences)
    assert b.as_dict()["late_projects"] == [p.ref for p in b.late_projects]


# --- the web: a reporter reports on a project, a planner schedules it, the dashboard lists it --------

def test_a_project_in_the_web_cycle(staffed_db):
    from planwatch.store import assign, list_reports
    from planwatch.store.accounts import set_password

    from .test_web import CSRF, PASSWORD, USERS, make_client, session_for

    web_db = staffed_db
    for name in USERS:
        set_password(web_db, name, PASSWORD, actor=name)

    from planwatch.store import plan_items

    ref = next(p["item"] for p in plan_items(web_db, "1", "projects") if p["name"] == "青溪第二再生水厂")
    assign(web_db, [ref], lead="区水务局", actor="规划科")
    planner = make_client(web_db)
    pcsrf = session_for(planner, "规划科")
    saved = planner.post(f"/items/{ref}/schedule", data={"csrf": pcsrf, "investment": "4.5", "unit": "亿元", "开工": "2024-03-01",
                                                     "竣工": "2025-12-31"})
    assert saved.status_code == 303, saved.text
    page = planner.get(f"/items/{ref}")
    assert page.status_code == 200 and "青溪第二再生水厂" in page.text and "2025-12-31" in page.text and 'id="schedule-item"' in page.text
    assert planner.post(f"/items/{ref}/schedule", data={"csrf": pcsrf, "竣工": "2025-02-30"}).status_code == 400

    water = make_client(web_db)
    csrf = session_for(water, "水务填报员")
    form = water.get("/quarter").text
    assert 'name="investment"' in form and 'name="stage"' in form and ref in form
    posted = water.post(f"/quarter/{ref}", data={"csrf": csrf, "period": "2024Q2", "department": "区水务局", "status": "推进中",
                                             "narrative": "完成主体结构施工", "investment": "2.1", "stage": "开工",
                                             "stage_on": "2024-04-10", "action": "submit"})
    assert posted.status_code == 303, posted.text
    [r] = list_reports(web_db, item=ref)
    assert (r["investment_done"], r["stage"], r["stage_on"].isoformat()) == (2.1, "开工", "2024-04-10")
    assert water.post(f"/items/{ref}/schedule", data={"csrf": CSRF.search(water.get("/password").text).group(1),
                                                  "竣工": "2026-01-01"}).status_code == 403  # a reporter does not plan

    assert planner.post("/review", data={"csrf": pcsrf, "report": [r["id"]], "decision": "approve"}).status_code == 303
    assert planner.post("/plans/1/assess", data={"csrf": pcsrf, "period": "2024Q2"}).status_code == 303
    board = planner.get("/plans/1.json?period=2024Q2&kind=project").json()
    row = next(i for i in board["items"] if i["ref"] == ref)
    assert row["status"] == "按期推进" and row["lead"] == "区水务局"
    assert "重大项目" in planner.get("/plans/1?period=2024Q2&kind=project").text


def test_a_department_fills_its_projects_in_the_excel_ledger(run_cli, project_plan, db_url, tmp_path):
    from .test_ledger import fill

    url = ledger(run_cli, project_plan, db_url)
    run_cli("assign", "--from-text", "--plan", "1", "--db", url)
    ref = projects_of(run_cli, url)["滨河大道改扩建工程"]["item"]
    blank = tmp_path / "ledger.xlsx"
    out = run_cli("ledger", "export", "--plan", "1", "--period", "2024Q2", "--department", "区交通局", "-o", blank, "--db", url)
    assert out.exit_code == 0, out.output
    wrong = fill(blank, tmp_path / "wrong.xlsx", {ref: {"状态": "推进中", "已达节点": "快完了"}})
    refused = run_cli("ledger", "import", wrong, "--db", url)
    assert refused.exit_code == 1 and "已达节点" in refused.output and "not one of" in refused.output
    good = fill(blank, tmp_path / "good.xlsx", {ref: {"状态": "推进中", "累计完成投资": "3.5", "已达节点": "开工",
                                                     "本期进展": "完成路基施工"}})
    assert run_cli("ledger", "import", good, "--db", url).exit_code == 0
    from planwatch.store import list_reports, make_engine

    [r] = list_reports(make_engine(url), item=ref)
    assert (r["investment_done"], r["stage"], r["narrative"]) == (3.5, "开工", "完成路基施工")


def test_a_project_name_is_corrected_and_the_correction_carried_to_a_revision(run_cli, project_plan, db_url, tmp_path):
    url = ledger(run_cli, project_plan, db_url)
    ref = projects_of(run_cli, url)["青溪体育中心"]["item"]
    fixed = run_cli("items", "edit", ref, "--name", "青溪全民健身体育中心", "--format", "json", "--db", url)
    assert fixed.exit_code == 0, fixed.output and json.loads(fixed.output)["name"] == "青溪全民健身体育中心"
    wrong = run_cli("items", "edit", ref, "--value", "3", "--db", url)
    assert wrong.exit_code != 0 and "does not apply to a project" in wrong.output
    revised = tmp_path / "城市更新行动方案（修订）.txt"
    revised.write_text(PROJECT_PLAN.replace("12.5", "13.0"), encoding="utf-8")
    again = json.loads(run_cli("ingest", revised, "--format", "json", "--db", url).output)["stored"][0]
    assert again["corrections"]["replayed"] == 1
    assert "青溪全民健身体育中心" in projects_of(run_cli, url, again["plan_id"])


def test_the_review_queue_doubts_a_project_report_that_goes_backwards():
    from planwatch.assess.review import ReportUnderReview, review_queue

    def report(**kw):
        base = {"report_id": 1, "item": "P2", "title": "滨河大道改扩建工程", "department": "区交通局", "status": "推进中", "percent": None,
                "narrative": "完成滨河大道北段路基施工1.2公里", "period_start": date(2024, 4, 1), "period_end": date(2024, 6, 30),
                "planned_investment": 8.0}
        return ReportUnderReview(**{**base, **kw})

    def reasons(r):
        return [why for kind, why in review_queue([r])[0].flags if kind == "contradiction"]

    assert reasons(report(investment_done=3.0, previous_investment=2.0, stage="开工", previous_stage="开工")) == []
    assert "低于上期" in reasons(report(investment_done=1.5, previous_investment=2.0))[0]
    assert "超过计划总投资" in reasons(report(investment_done=9.5))[0]
    assert "上期已报主体完工" in reasons(report(stage="开工", previous_stage="主体完工"))[0]
    assert "已达节点却为主体完工" in reasons(report(status="已完成", stage="主体完工"))[0]


def test_a_project_list_entry_names_its_project_in_its_title():
    from planwatch.extract import extract
    from planwatch.ingest import document_from_text
    from planwatch.outline import parse_outline

    text = ("临河区规划\n第三章 重点任务\n一、建设生态城区\n专栏1 生态建设重点工程\n"
            "1.北湖湿地公园：新建湿地公园120公顷。\n2.推进绿色发展：完善机制。\n")
    found = extract(parse_outline(document_from_text(text, path="box.txt"))).projects
    assert [(p.name, p.action, p.quote) for p in found] == [("北湖湿地公园", "新建", "北湖湿地公园：新建")]
