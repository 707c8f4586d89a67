"""The web app with the real app (TestClient) for every route and role: sessions, CSRF, lockout,
expiries, scope, uploads, the quarterly cycle, the public site, and reads that take no write lock."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update

from planwatch.assess import assess_plan
from planwatch.store import list_reports
from planwatch.store.accounts import LOCK_AFTER, set_password
from planwatch.store.assessments import load_assessments
from planwatch.store.progress import ReportInput, submit_report
from planwatch.store.schema import WebSession
from planwatch.web import Settings, create_app
from planwatch.web.app import routes

PASSWORD = "Qingchuan#2024"
KEY = b"k" * 40
USERS = ("admin", "规划科", "水务填报员", "教委填报员", "观察员")


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def web_db(staffed_db):
    for name in USERS:
        set_password(staffed_db, name, PASSWORD, actor=name)  # their own: no change required
    return staffed_db


def make_client(engine, **settings) -> TestClient:
    options = {"https": False, **settings}
    return TestClient(create_app(Settings(url_of(engine), KEY, **options)), follow_redirects=False)


@pytest.fixture
def app_for(web_db):
    return lambda **settings: make_client(web_db, **settings)


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def log_in(client: TestClient, name: str, password: str = PASSWORD):
    form = client.get("/login")
    token = CSRF.search(form.text).group(1)
    return client.post("/login", data={"name": name, "password": password, "csrf": token, "next": "/"})


def session_for(client: TestClient, name: str) -> str:
    """Log in; the session's CSRF token, read from a page's form."""
    assert log_in(client, name).status_code == 303
    page = client.get("/password")
    return CSRF.search(page.text).group(1)


def internal_get_paths(app) -> list[str]:
    sample = {"plan_id": "1", "ref": "T6", "label": "2024Q2"}
    out = []
    for route in routes(app):
        path = getattr(route, "path", "")
        if "GET" not in getattr(route, "methods", set()) or path.startswith(("/public", "/static", "/login")):
            continue
        out.append(re.sub(r"{(\w+)}", lambda m: sample[m.group(1)], path))
    return out


def unsafe_paths(app) -> list[str]:
    sample = {"plan_id": "1", "ref": "T6", "label": "2024Q2"}
    return [re.sub(r"{(\w+)}", lambda m: sample[m.group(1)], r.path) for r in routes(app)
            if getattr(r, "methods", set()) & {"POST", "PUT", "PATCH", "DELETE"} and r.path != "/login"]


# --- sessions, CSRF, headers ------------------------------------------------------------------

def test_every_internal_page_and_json_twin_is_refused_without_a_session(app_for):
    client = app_for()
    paths = internal_get_paths(client.app)
    assert {"/", "/index.json", "/plans/1", "/plans/1.json", "/items/T6.json", "/quarter", "/review.json", "/periods",
            "/audit.json", "/openapi.json"} <= set(paths)
    for path in paths:
        response = client.get(path)
        if path.endswith(".json"):
            assert response.status_code == 401, path
        else:
            assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
    assert client.get("/docs").status_code == 404


def test_every_unsafe_request_without_the_csrf_token_is_refused(app_for, web_db):
    client = app_for()
    session_for(client, "admin")
    paths = unsafe_paths(client.app)
    assert {"/logout", "/password", "/quarter/T6", "/review", "/periods", "/periods/2024Q2/close", "/items/T6/comments",
            "/plans/1/assess"} <= set(paths)
    before = _audit_count(web_db)
    for path in paths:
        assert client.post(path, data={"csrf": "forged"}).status_code == 403, path
        assert client.post(path).status_code == 403, path
    assert _audit_count(web_db) == before  # nothing was written
    assert client.get("/").status_code == 200  # still logged in: /logout was refused too


def test_login_form_needs_its_own_csrf_cookie(app_for):
    client = app_for()
    assert client.post("/login", data={"name": "admin", "password": PASSWORD, "csrf": "x"}).status_code == 403


def _audit_count(engine) -> int:
    with engine.connect() as c:
        return c.execute(text("SELECT count(*) FROM audit_log")).scalar_one()


def test_cookie_flags_and_security_headers(app_for):
    client = app_for(https=True)
    form = client.get("/login")
    token = CSRF.search(form.text).group(1)
    # Secure cookies are not sent back over http by the test client: hand the login cookie over.
    login_cookie = form.cookies.get("planwatch_login")
    response = client.post("/login", data={"name": "admin", "password": PASSWORD, "csrf": token},
                           headers={"cookie": f"planwatch_login={login_cookie}"})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    headers = form.headers
    assert "script-src 'self'" in headers["content-security-policy"] and "unsafe-inline" not in headers["content-security-policy"].split(
        "script-src")[1].split(";")[0]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin" and headers["cache-control"] == "no-store"


def test_wrong_password_then_lockout_then_audit(app_for, web_db):
    client = app_for()
    for _ in range(LOCK_AFTER):
        assert log_in(client, "规划科", "not-the-Password1").status_code == 401
    refused = log_in(client, "规划科")
    assert refused.status_code == 401 and "locked" in refused.text
    admin = app_for()
    session_for(admin, "admin")
    entries = admin.get("/audit.json", params={"actor": "规划科"}).json()["entries"]
    actions = [e["action"] for e in entries]
    assert actions.count("login_failed") == LOCK_AFTER + 1 and "lock" in actions


def _age_sessions(engine, **columns) -> None:
    with engine.begin() as c:
        c.execute(update(WebSession).values(**columns))


def test_idle_expiry(app_for, web_db):
    client = app_for()
    session_for(client, "观察员")
    assert client.get("/").status_code == 200
    _age_sessions(web_db, last_seen=datetime.now(UTC) - timedelta(minutes=31))
    assert client.get("/").status_code == 303


def test_absolute_expiry_even_when_active(app_for, web_db):
    client = app_for()
    session_for(client, "观察员")
    _age_sessions(web_db, created_at=datetime.now(UTC) - timedelta(hours=13), last_seen=datetime.now(UTC))
    assert client.get("/").status_code == 303


def test_expiries_come_from_the_settings(app_for, web_db):
    short = app_for(session_idle=timedelta(minutes=5), session_absolute=timedelta(hours=1))
    session_for(short, "观察员")
    _age_sessions(web_db, last_seen=datetime.now(UTC) - timedelta(minutes=6))
    assert short.get("/").status_code == 303
    session_for(short, "观察员")
    _age_sessions(web_db, created_at=datetime.now(UTC) - timedelta(minutes=61))
    assert short.get("/index.json").status_code == 401


def test_logout_ends_the_session_on_the_server(app_for, web_db):
    client = app_for()
    csrf = session_for(client, "观察员")
    cookie = client.cookies.get("planwatch_session")
    assert client.post("/logout", data={"csrf": csrf}).status_code == 303
    replay = app_for()
    replay.cookies.set("planwatch_session", cookie)
    assert replay.get("/index.json").status_code == 401


def test_a_reset_password_must_be_changed_before_anything_else(app_for, web_db):
    set_password(web_db, "水务填报员", "Temporary#123", actor="admin")
    client = app_for()
    assert log_in(client, "水务填报员", "Temporary#123").headers["location"] == "/password"
    assert client.get("/quarter").headers["location"] == "/password"
    csrf = CSRF.search(client.get("/password").text).group(1)
    weak = client.post("/password", data={"csrf": csrf, "current": "Temporary#123", "new": "short", "again": "short"})
    assert weak.status_code == 400 and "10 characters" in weak.text
    done = client.post("/password", data={"csrf": csrf, "current": "Temporary#123", "new": "Riverside-2025", "again": "Riverside-2025"})
    assert done.status_code == 303
    assert log_in(client, "水务填报员", "Riverside-2025").headers["location"] == "/"
    assert client.get("/quarter").status_code == 200


# --- scope ------------------------------------------------------------------------------------

def test_reporters_read_only_their_subtree(app_for):
    water = app_for()
    session_for(water, "水务填报员")
    assert water.get("/items/T6.json").status_code == 200
    assert water.get("/items/T5.json").status_code == 200  # 滨河街道 sits under 区水务局
    education = app_for()
    session_for(education, "教委填报员")
    assert education.get("/items/T6.json").status_code == 403
    assert education.get("/items/T6").status_code == 403
    assert education.get("/quarter.json").json()["items"] == []


def test_reporters_cannot_write_another_departments_items(app_for, web_db):
    education = app_for()
    csrf = session_for(education, "教委填报员")
    refused = education.post("/quarter/T6", data={"csrf": csrf, "period": "2024Q2", "department": "区水务局", "status": "推进中"})
    assert refused.status_code == 403
    assert list_reports(web_db, period="2024Q2") == []


def test_roles_see_only_their_pages(app_for):
    viewer = app_for()
    session_for(viewer, "观察员")
    assert viewer.get("/audit.json").status_code == 403
    assert viewer.get("/plans/1.json").status_code == 200
    csrf = CSRF.search(viewer.get("/password").text).group(1)
    assert viewer.post("/periods", data={"csrf": csrf, "label": "2024Q3"}).status_code == 403


# --- the quarterly cycle ----------------------------------------------------------------------

def _report(client, csrf, ref, files=None, **fields):
    data = {"csrf": csrf, "period": "2024Q2", "department": "区水务局", "status": "推进中", "percent": "40",
            "narrative": "完成北湖湿地公园一期土方工程2.3万立方米", "action": "submit", **fields}
    return client.post(f"/quarter/{ref}", data=data, files=files or [])


def test_reporter_submits_with_evidence_and_the_planner_reviews(app_for, web_db):
    water = app_for()
    csrf = session_for(water, "水务填报员")
    page = water.get("/quarter")
    assert page.status_code == 200 and "T6" in page.text and "I1" in page.text
    ok = _report(water, csrf, "T6", files=[("evidence", ("验收单.pdf", b"%PDF-1.4 fictional", "application/pdf"))])
    assert ok.status_code == 303, ok.text
    assert _report(water, csrf, "I1", value="45.5", percent="50").status_code == 303
    [t6] = list_reports(web_db, item="T6")
    assert t6["review"] == "submitted" and t6["evidence"] == 1
    planner = app_for()
    pcsrf = session_for(planner, "规划科")
    queue = planner.get("/review.json").json()["queue"]
    assert {q["item"] for q in queue} == {"T6", "I1"}
    i1 = next(q["report"] for q in queue if q["item"] == "I1")
    assert planner.post("/review", data={"csrf": pcsrf, "report": [t6["id"]], "decision": "return", "comment": "请补充验收材料"}
                        ).status_code == 303
    assert planner.post("/review", data={"csrf": pcsrf, "report": [i1], "decision": "approve"}).status_code == 303
    mine = {i["ref"]: i["report"] for i in water.get("/quarter.json").json()["items"]}
    assert mine["T6"]["review"] == "returned" and mine["T6"]["review_comment"] == "请补充验收材料"
    assert mine["I1"]["review"] == "approved"
    assert "请补充验收材料" in water.get("/quarter").text


def _stored(engine, as_of: str, ref: str) -> dict:
    return next(a for a in load_assessments(engine, "1", as_of) if a["item"] == ref)


def test_web_approval_updates_the_dashboard_and_return_does_not(app_for, web_db):
    assess_plan(web_db, "1", "2024Q2", actor="规划科", save=True)
    before = _stored(web_db, "2024Q2", "T6")
    returned = submit_report(web_db, "I1", "2024Q2", "区水务局", ReportInput("推进中", 10, "开工"), actor="水务填报员")
    approved = submit_report(web_db, "T6", "2024Q2", "区水务局", ReportInput("已完成", 100, "全部建成"), actor="水务填报员")["id"]
    planner = app_for()
    csrf = session_for(planner, "规划科")
    back = planner.post("/review", data={"csrf": csrf, "report": [returned["id"]], "decision": "return", "comment": "补充数据"})
    assert back.status_code == 303
    assert _stored(web_db, "2024Q2", "T6")["at"] == before["at"]
    back = planner.post("/review", data={"csrf": csrf, "report": [approved], "decision": "approve", "period": "2024Q2"})
    assert back.status_code == 303 and "assessment%20updated" in back.headers["location"].replace("+", "%20")
    assert _stored(web_db, "2024Q2", "T6")["status"] == "已完成"
    assert [r["review"] for r in list_reports(web_db, item="T6")] == ["approved"]


def test_the_review_queue_comes_in_pages_ranked_over_the_whole_queue(app_for, web_db):
    water = app_for()
    csrf = session_for(water, "水务填报员")
    for ref in ("T6", "I1"):
        assert _report(water, csrf, ref).status_code == 303
    planner = app_for(page_size=1)
    session_for(planner, "规划科")
    whole = planner.get("/review.json?size=50").json()
    assert whole["total"] == 2 and len(whole["queue"]) == 2
    first, second = (planner.get(f"/review.json?page={n}").json() for n in (1, 2))
    assert (first["pages"], len(first["queue"]), len(second["queue"])) == (2, 1, 1)
    assert [first["queue"][0]["report"], second["queue"][0]["report"]] == [q["report"] for q in whole["queue"]]
    assert planner.get("/review.json?page=9").json()["queue"] == []
    assert "下一页" in planner.get("/review").text


def test_a_draft_is_kept_and_a_stale_form_names_who_changed_it(app_for, web_db):
    water = app_for()
    csrf = session_for(water, "水务填报员")
    assert _report(water, csrf, "T6", action="draft").status_code == 303
    [draft] = list_reports(web_db, item="T6")
    assert draft["review"] == "draft"
    version = str(draft["version"])
    assert _report(water, csrf, "T6", version=version, narrative="第二次修改：完成二期招标").status_code == 303
    stale = _report(water, csrf, "T6", version=version, narrative="过期的表单")
    assert stale.status_code == 409 and "水务填报员" in stale.text and "changed it since you read it" in stale.text
    assert list_reports(web_db, item="T6")[0]["narrative"] == "第二次修改：完成二期招标"


def test_an_upload_over_the_limit_writes_nothing(app_for, web_db):
    water = make_client(web_db, max_upload_bytes=1000)
    csrf = session_for(water, "水务填报员")
    before = _audit_count(web_db)
    big = _report(water, csrf, "T6", files=[("evidence", ("scan.pdf", b"%PDF" + b"x" * 2000, "application/pdf"))])
    assert big.status_code == 400 and "limit" in big.text
    assert list_reports(web_db, item="T6") == [] and _audit_count(web_db) == before


def test_periods_open_close_and_who_has_not_reported(app_for, web_db):
    planner = app_for()
    csrf = session_for(planner, "规划科")
    assert planner.post("/periods", data={"csrf": csrf, "label": "2024Q3", "due": "2024-10-10"}).status_code == 303
    data = planner.get("/periods.json", params={"period": "2024Q3", "plan": 1}).json()
    assert "2024Q3" in [p["label"] for p in data["periods"]]
    water = next(m for m in data["missing"] if m["department"] == "区水务局")
    assert water["missing"] == 2 and set(water["items"]) == {"T6", "I1"}
    assert planner.post("/periods/2024Q3/close", data={"csrf": csrf}).status_code == 303
    assert next(p for p in planner.get("/periods.json").json()["periods"] if p["label"] == "2024Q3")["status"] == "closed"


def test_dashboard_reads_stored_assessments_filters_and_pages(app_for, web_db):
    planner = app_for(page_size=5)
    csrf = session_for(planner, "规划科")
    empty = planner.get("/plans/1.json", params={"period": "2024Q2"}).json()
    assert empty["assessed_at"] is None and empty["items"] == []
    assert planner.post("/plans/1/assess", data={"csrf": csrf, "period": "2024Q2"}).status_code == 303
    data = planner.get("/plans/1.json", params={"period": "2024Q2"}).json()
    assert data["total"] == 12 and len(data["items"]) == 5 and data["pages"] == 3  # the plan's 12 targets (restatements folded)
    assert data["rollups"]["plan"][0]["total"] == 12 and data["rollups"]["plan"][0]["light"] in ("绿", "黄", "红", "灰")
    status = data["items"][0]["status"]
    only = planner.get("/plans/1.json", params={"period": "2024Q2", "status": status}).json()
    assert only["total"] >= 1 and {i["status"] for i in only["items"]} == {status}
    html = planner.get("/plans/1", params={"period": "2024Q2", "page": 2})
    assert html.status_code == 200 and "第 2 / 3 页" in html.text
    tasks = planner.get("/plans/1.json", params={"period": "2024Q2", "kind": "task"}).json()
    assert tasks["kind"] == "task" and tasks["total"] > 0


def test_item_page_shows_the_target_and_its_status(app_for, web_db):
    planner = app_for()
    csrf = session_for(planner, "规划科")
    planner.post("/plans/1/assess", data={"csrf": csrf, "period": "2024Q2"})
    ref = planner.get("/plans/1.json", params={"period": "2024Q2"}).json()["items"][0]["ref"]
    data = planner.get(f"/items/{ref}.json").json()
    assert data["kind"] == "target" and data["assessment"]["status"] and data["quote"]
    page = planner.get(f"/items/{ref}")
    assert page.status_code == 200 and data["metric"] in page.text and data["assessment"]["status"] in page.text
    assert planner.post("/items/T6/comments", data={"csrf": csrf, "body": "请区水务局加快进度", "instruction": "true"}).status_code == 303
    assert planner.get("/items/T6.json").json()["comments"][0]["kind"] == "instruction"


def test_audit_log_for_admins_filterable(app_for):
    admin = app_for()
    session_for(admin, "admin")
    logins = admin.get("/audit.json", params={"action": "login"}).json()
    assert logins["total"] >= 1 and {e["action"] for e in logins["entries"]} == {"login"}
    assert admin.get("/audit").status_code == 200


def test_openapi_lists_the_json_twins_behind_a_session(app_for):
    client = app_for()
    session_for(client, "观察员")
    paths = client.get("/openapi.json").json()["paths"]
    assert "/plans/{plan_id}.json" in paths and "/quarter.json" in paths


# --- the public site --------------------------------------------------------------------------

def test_public_site_is_public_and_cacheable(app_for):
    client = app_for()
    page = client.get("/public/plans/1", params={"period": "2024Q2"})
    assert page.status_code == 200 and "公开版" in page.text and page.headers["cache-control"].startswith("public")
    assert client.get("/public/plans/1.json", params={"period": "2024Q2"}).json()["comments"] == []


def test_public_only_serves_nothing_else(web_db):
    public = make_client(web_db, public_only=True)
    for path in ("/plans/1", "/plans/1.json", "/quarter", "/login", "/openapi.json", "/docs", "/audit.json"):
        assert public.get(path).status_code == 404, path
    assert public.post("/login", data={}).status_code in (404, 405)
    assert public.get("/public/plans/1").status_code == 200
    assert 'href="/public/plans/1"' in public.get("/").text


def test_unknown_plan_is_a_404_with_a_message(app_for):
    client = app_for()
    session_for(client, "观察员")
    response = client.get("/plans/99.json")
    assert response.status_code == 404 and "no plan #99" in response.json()["error"]


# --- the database under the pages -------------------------------------------------------------

def test_sqlite_reads_take_no_write_lock(tmp_path):
    import sqlite3

    from planwatch.store import make_engine, upgrade
    from planwatch.store.db import read_only

    path = tmp_path / "lock.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    writer = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # someone holds the write lock
    try:
        with read_only(engine).connect() as c:  # would wait out busy_timeout and fail under BEGIN IMMEDIATE
            assert c.execute(text("SELECT count(*) FROM plans")).scalar_one() == 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with pytest.raises(Exception, match="readonly|read-only|query_only"), read_only(engine).begin() as c:
        c.execute(text("INSERT INTO departments (name, level) VALUES ('x', '')"))
    with engine.begin() as c:  # and the writers' connections are writable again
        c.execute(text("INSERT INTO departments (name, level) VALUES ('x', '')"))
    engine.dispose()


def test_dashboard_rows_are_reused_until_the_next_write(web_db):
    from planwatch.assess import assess_plan
    from planwatch.store import assign
    from planwatch.store.dashboard import stored_assessment

    assess_plan(web_db, "1", "2024Q2", actor="规划科", save=True)
    first = stored_assessment(web_db, "1", "2024Q2", "规划科", kind="task")
    again = stored_assessment(web_db, "1", "2024Q2", "规划科", kind="task")
    assert again["all"] is first["all"]  # nothing written in between: the same rows
    t1 = next(r for r in first["all"] if r["ref"] == "T1")
    assert t1["lead"] == "未分配"
    assign(web_db, ["T1"], lead="区教委", actor="规划科")  # an audited write
    after = stored_assessment(web_db, "1", "2024Q2", "规划科", kind="task")
    assert next(r for r in after["all"] if r["ref"] == "T1")["lead"] == "区教委"
    scoped = stored_assessment(web_db, "1", "2024Q2", "教委填报员", kind="task")  # another reader's scope, its own rows
    assert {r["ref"] for r in scoped["all"]} == {"T1"}


def test_serve_with_several_workers_shares_sessions_through_the_database(web_db, tmp_path):
    """Two server processes: a session made by a login on one is honoured by whichever serves next."""
    import http.client
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    key = tmp_path / "key"
    key.write_bytes(KEY)
    server = subprocess.Popen([sys.executable, "-m", "planwatch", "serve", "--db", url_of(web_db), "--port", str(port),
                               "--key-file", str(key), "--http", "--workers", "2"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read().decode()[-400:]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "planwatch serve --workers 2 did not start"
                time.sleep(0.2)

        def get(path, cookie=""):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # a new connection: any worker may take it
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            return response.status, response.read().decode(), response.getheaders()

        status, page, headers = get("/login")
        cookie = "; ".join(v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie")
        token = CSRF.search(page).group(1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("POST", "/login", body=f"name=admin&password={PASSWORD.replace('#', '%23')}&csrf={token}&next=/",
                     headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        assert response.status == 303
        session = "; ".join(v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie")
        assert all(get("/index.json", session)[0] == 200 for _ in range(6))
    finally:
        server.terminate()
        server.wait(timeout=30)
