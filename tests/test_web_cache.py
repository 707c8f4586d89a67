"""Pages kept per session and ledger version (web/cache.py): served again only to the session
they were made for, only while it is live, and only until the next audited write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text, update

from planwatch.store import add_comment
from planwatch.store.schema import WebSession

from .test_web import CSRF, app_for, session_for, web_db  # noqa: F401  (fixtures)


def test_a_kept_page_follows_the_audited_ledger_and_nothing_else(app_for, web_db):  # noqa: F811
    client = app_for()
    session_for(client, "规划科")
    add_comment(web_db, "T6", "请按月报送进度", actor="规划科")
    first = client.get("/items/T6.json").json()
    assert [c["body"] for c in first["comments"]] == ["请按月报送进度"]
    with web_db.begin() as c:  # a change behind the store's back, unaudited: the kept page does not see it
        c.execute(text("UPDATE comments SET body = '改写'"))
    assert [c["body"] for c in client.get("/items/T6.json").json()["comments"]] == ["请按月报送进度"]
    add_comment(web_db, "T6", "已督办", actor="规划科")  # an audited write: the next view is made afresh
    assert [c["body"] for c in client.get("/items/T6.json").json()["comments"]] == ["改写", "已督办"]


def test_a_kept_page_is_only_its_own_sessions(app_for, web_db):  # noqa: F811
    admin = app_for()
    session_for(admin, "admin")
    assert admin.get("/items/T6.json").status_code == 200
    assert admin.get("/items/T6.json").status_code == 200  # kept now
    education = app_for()
    session_for(education, "教委填报员")
    assert education.get("/items/T6.json").status_code == 403  # another department's item, whatever admin was shown
    anonymous = app_for()
    anonymous.cookies.set("planwatch_session", "forged.value")
    assert anonymous.get("/items/T6.json").status_code == 401


def test_a_kept_page_ends_with_its_session(app_for, web_db):  # noqa: F811
    client = app_for()
    csrf = session_for(client, "观察员")
    assert client.get("/plans/1.json").status_code == 200
    assert client.get("/plans/1.json").status_code == 200
    cookie = client.cookies.get("planwatch_session")
    assert client.post("/logout", data={"csrf": csrf}).status_code == 303
    replay = app_for()
    replay.cookies.set("planwatch_session", cookie)
    assert replay.get("/plans/1.json").status_code == 401
    assert replay.get("/plans/1").status_code == 303


def test_a_session_due_for_its_touch_goes_to_the_app(app_for, web_db):  # noqa: F811
    client = app_for()
    session_for(client, "观察员")
    assert client.get("/").status_code == 200
    old = datetime.now(UTC) - timedelta(minutes=5)
    with web_db.begin() as c:
        c.execute(update(WebSession).values(last_seen=old))
    assert client.get("/").status_code == 200
    with web_db.connect() as c:
        seen = c.execute(select(WebSession.last_seen)).scalar()
    assert (seen.replace(tzinfo=UTC) if seen.tzinfo is None else seen) > old + timedelta(minutes=4)  # touched by the app
    assert CSRF.search(client.get("/").text)  # and the kept page still carries the session's form token


def test_kept_pages_stay_within_their_count_and_bytes():
    from planwatch.web.cache import PageCache

    cache = PageCache(app=None, size=3, max_bytes=25)
    for i in range(6):
        cache._keep(("k", i), [], b"x" * 10)
    assert list(cache.pages) == [("k", 4), ("k", 5)] and cache.bytes == 20  # 25 bytes hold two pages of ten
    cache._keep(("k", 5), [], b"y" * 5)
    assert cache.bytes == 15 and cache.pages[("k", 5)][1] == b"yyyyy"
