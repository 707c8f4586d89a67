"""The plan reader and the item review (校核) in the browser's forms, over a real SQLite ledger:
every item highlighted at its source span and linked to its page; edit, add, merge, remove and
assign through the same store functions as `planwatch items` and `planwatch assign`."""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from planwatch.store import audit_entries
from planwatch.store.accounts import set_password
from planwatch.store.assessments import assessment_inputs

from .test_web import PASSWORD, USERS, make_client, session_for


@pytest.fixture
def web_db(staffed_db):
    for name in USERS:
        set_password(staffed_db, name, PASSWORD, actor=name)
    return staffed_db


@pytest.fixture
def app_for(web_db):
    return lambda **settings: make_client(web_db, **settings)


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.text[:300])
    return LexborHTMLParser(response.text)


def test_every_item_is_highlighted_at_its_source_and_links_to_its_page(app_for, web_db):
    client = app_for()
    session_for(client, "规划科")
    page = _page(client, "/plans/1/text")
    data = assessment_inputs(web_db, "1", "2024Q4")
    targets, tasks = {t["ref"]: t for t in data["targets"]}, {t["ref"] for t in data["tasks"]}
    linked = {a.attributes["data-ref"] for a in page.css("#plan-text a.m")}
    assert set(targets) <= linked
    assert {a.text() for a in page.css("#plan-text a.badge")} == tasks
    for a in page.css("#plan-text a.m"):
        assert a.attributes["href"] == f"/items/{a.attributes['data-ref']}"
    bare = re.compile(r"\s+")
    for ref, t in targets.items():  # each highlighted piece is part of the target's quote or of a restatement of it
        said = [bare.sub("", t["quote"])] + [bare.sub("", m["quote"]) for m in client.get(f"/items/{ref}.json").json()["mentions"]]
        pieces = [bare.sub("", a.text()) for a in page.css(f'#plan-text [data-ref="{ref}"]')]
        assert pieces and all(any(piece in q for q in said) for piece in pieces), ref
    anchors = {n.attributes["id"] for n in page.css("#plan-text span[id]")}
    outline = [a.attributes["href"][1:] for a in page.css("#outline a")]
    assert outline and set(outline) <= anchors


def test_a_target_restated_in_a_table_is_one_item_with_both_places_marked(app_for, web_db):
    client = app_for()
    session_for(client, "规划科")
    restated = [t["ref"] for t in assessment_inputs(web_db, "1", "2024Q4")["targets"]
                if client.get(f"/items/{t['ref']}.json").json()["mentions"]]
    assert restated  # the demo plan states two targets in its text and again in its indicator table
    page = _page(client, "/plans/1/text")
    for ref in restated:
        paragraphs = {n.parent.attributes.get("data-start") for n in page.css(f'#plan-text [data-ref="{ref}"]')}
        assert len(paragraphs) >= 2, ref  # marked where the text says it and where the table repeats it
        assert "另见" in _page(client, f"/items/{ref}").css_first("main").text()


def test_the_json_twin_places_each_mark_in_its_paragraph(app_for):
    client = app_for()
    session_for(client, "观察员")
    data = client.get("/plans/1/text.json").json()
    assert data["counts"]["target"] > 0 and data["counts"]["task"] > 0
    for p in data["paragraphs"]:
        text = "".join(f.get("text", "") for f in p["fragments"])
        assert len(text) == p["end"] - p["start"] or text  # the paragraph's stored text, cut and rejoined
        for m in p["marks"]:
            assert 0 <= m["at"][0] < m["at"][1] <= len(text)


def test_viewers_read_but_only_planners_see_the_review_forms(app_for):
    viewer, planner = app_for(), app_for()
    session_for(viewer, "观察员")
    session_for(planner, "规划科")
    assert not _page(viewer, "/plans/1/text").css("#add-item, #merge-items")
    assert not _page(viewer, "/items/I1").css("#edit-item, #assign-item, #remove-item")
    assert _page(planner, "/plans/1/text").css("#add-item") and _page(planner, "/items/I1").css("#edit-item")


def _form(page, selector) -> dict:
    form = page.css_first(selector)
    return {i.attributes["name"]: i.attributes.get("value") or "" for i in form.css("input") if i.attributes.get("name")}


def test_edit_sends_only_what_changed_and_is_audited(app_for, web_db):
    client = app_for()
    session_for(client, "规划科")
    fields = _form(_page(client, "/items/I1"), "#edit-item")
    old = fields["value"]
    fields["value"] = str(float(old) + 1)
    response = client.post("/items/I1/edit", data=fields)
    assert response.status_code == 303 and "value%20changed" in response.headers["location"].replace("+", "%20")
    assert f"{float(old) + 1:g}" in _page(client, "/items/I1").css_first(".facts").text()
    edits = [e for e in audit_entries(web_db, entity="target", actor="admin") if e["action"] == "update"]
    assert edits and edits[0]["new"] == {"value": float(old) + 1}
    again = client.post("/items/I1/edit", data=_form(_page(client, "/items/I1"), "#edit-item"))  # nothing changed
    assert again.status_code == 400


def test_add_merge_remove_and_assign_from_the_browser(app_for, web_db):
    client = app_for()
    token = session_for(client, "规划科")
    data = client.get("/plans/1/text.json").json()
    plain = next(f["text"] for p in data["paragraphs"] if not p["marks"] for f in p["fragments"]
                 if len(f.get("text", "")) > 12 and "。" not in f["text"][:12])
    quote = plain[:12]
    added = client.post("/plans/1/items/add", data={"csrf": token, "quote": quote, "what": "task"})
    assert added.status_code == 303, added.text
    new_ref = re.search(r"/items/(T\d+)", added.headers["location"]).group(1)
    assert any(b.text() == new_ref for b in _page(client, "/plans/1/text").css("a.badge"))
    project = client.post("/plans/1/items/add", data={"csrf": token, "quote": plain[:14], "what": "project", "name": "示范工程"})
    assert project.status_code == 303, project.text
    project_ref = re.search(r"/items/(P\d+)", project.headers["location"]).group(1)
    assert "示范工程" in _page(client, f"/items/{project_ref}").text()

    tasks = [t["ref"] for t in assessment_inputs(web_db, "1", "2024Q4")["tasks"] if t["ref"] not in ("T5", "T6", new_ref)]
    keep, other = tasks[0], tasks[1]
    merged = client.post("/plans/1/items/merge", data={"csrf": token, "keep": keep, "others": other})
    assert merged.status_code == 303
    badges = {b.text() for b in _page(client, "/plans/1/text").css("a.badge")}
    assert keep in badges and other not in badges

    assert client.post(f"/items/{new_ref}/remove", data={"csrf": token, "plan": "1"}).status_code == 400  # not confirmed
    gone = client.post(f"/items/{new_ref}/remove", data={"csrf": token, "plan": "1", "confirm": "true"})
    assert gone.status_code == 303 and client.get(f"/items/{new_ref}").status_code == 404

    assigned = client.post(f"/items/{keep}/assign", data={"csrf": token, "lead": "区教委", "support": "区水务局"})
    assert assigned.status_code == 303
    text = _page(client, f"/items/{keep}").text()
    assert "牵头：区教委" in text and "配合：区水务局" in text


def test_a_reporter_cannot_correct_items(app_for):
    client = app_for()
    token = session_for(client, "水务填报员")
    assert client.post("/items/I1/edit", data={"csrf": token, "value": "99", "was_value": "1"}).status_code == 403
    assert client.post("/items/T6/assign", data={"csrf": token, "lead": "区水务局"}).status_code == 403
