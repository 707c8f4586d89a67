"""The web app over the demo ledger: pages, their JSON twins, the public edition."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from planwatch.store.assessments import load_assessments
from planwatch.web import create_app


@pytest.fixture
def client(demo_db):
    return TestClient(create_app(demo_db.url.render_as_string(hide_password=False)))


def test_index_lists_current_plans_with_a_json_twin(client):
    page = client.get("/")
    assert page.status_code == 200 and "青川市临河区" in page.text
    assert [p["id"] for p in client.get("/index.json").json()] == [1]


def test_dashboard_and_its_json_twin_agree_and_write_nothing(client, demo_db):
    html = client.get("/plans/1", params={"period": "2024Q4"})
    data = client.get("/plans/1.json", params={"period": "2024Q4"}).json()
    assert html.status_code == 200 and 'id="indicator-charts"' in html.text and "<svg" in html.text
    assert data["period"] == "2024Q4" and data["summary"]["target_total"] == 14
    assert f"纳入监测的{data['summary']['target_total']}项指标" in html.text
    assert "请区水务局加快进度" in html.text  # the internal edition shows 批示
    assert load_assessments(demo_db, "1", "2024Q4") == []  # a page view stores nothing


def test_public_page_leaves_out_internal_notes(client):
    page = client.get("/public/plans/1", params={"period": "2024Q4"})
    assert page.status_code == 200 and "公开版" in page.text and "请区水务局加快进度" not in page.text
    assert client.get("/public/plans/1.json", params={"period": "2024Q4"}).json()["comments"] == []


def test_public_only_app_has_no_internal_pages(demo_db):
    public = TestClient(create_app(demo_db.url.render_as_string(hide_password=False), public_only=True))
    assert public.get("/plans/1").status_code == 404
    assert public.get("/public/plans/1").status_code == 200
    assert 'href="/public/plans/1"' in public.get("/").text


def test_unknown_plan_is_a_404_with_a_message(client):
    response = client.get("/plans/99.json")
    assert response.status_code == 404 and "no plan #99" in response.json()["error"]
