"""Out-of-range labels and ids from users: a clean error or a 404, never ValueError or
OverflowError (an HTTP 500)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from planwatch.errors import ValidationError
from planwatch.store.ledger import period_bounds


@pytest.mark.parametrize("label", ["9999Q4", "9999", "0000Q1", "0001H2", "9999H2"])
def test_periods_outside_the_calendar_are_refused_cleanly(label):
    with pytest.raises(ValidationError, match="the year must be from"):
        period_bounds(label)


def test_period_open_9999q4_is_one_line_and_exit_1(run_cli, db_url, fresh_db):
    result = run_cli("period", "open", "9999Q4", "--db", db_url)
    assert result.exit_code == 1
    assert result.stderr.startswith("error:") and "9999Q4" in result.stderr


@pytest.mark.parametrize("ref", ["9223372036854775808", "99999999999999999999999"])
def test_plan_ids_past_64_bits_are_not_found(loaded_db, ref):
    client = TestClient(create_app_for(loaded_db), raise_server_exceptions=False)
    assert client.get(f"/public/plans/{ref}").status_code == 404
    assert client.get(f"/public/plans/{ref}.json").status_code == 404


def test_a_period_outside_the_calendar_is_a_bad_request(loaded_db):
    client = TestClient(create_app_for(loaded_db), raise_server_exceptions=False)
    response = client.get("/public/plans/1.json?period=9999Q4")
    assert response.status_code == 400 and "9999Q4" in response.json()["error"]


def create_app_for(engine):
    from planwatch.web import Settings, create_app

    # The plan pages need a session; the public site shows the same bounds checks.
    return create_app(Settings(engine.url.render_as_string(hide_password=False), b"k" * 40, https=False, public_only=True))


def test_a_pdf_style_line_of_twenty_thousand_dots_is_no_contents_entry_and_costs_little():
    # counted, not timed: only the line's tail is searched
    from planwatch.ingest.pdf import CONTENTS_TAIL, contents_entry

    assert contents_entry("第一章 总体要求 . . . . . . 12") and not contents_entry("." * 20_000 + "x")
    assert contents_entry("." * 20_000 + " 3") and CONTENTS_TAIL < 100


def test_review_findings_on_odd_input():
    from planwatch.extract import extract
    from planwatch.ingest import document_from_text
    from planwatch.ingest.html import html_to_text
    from planwatch.outline import parse_outline

    # a blank year in a title (〇〇〇〇年) is no year, and a month after it dates nothing
    doc = document_from_text("〇〇〇〇年某县政府工作报告\n一、今年的主要任务\n（一）推进产业升级。6月底前完成园区规划编制，县发改局牵头。\n")
    assert doc.metadata.year is None and extract(parse_outline(doc)).tasks[0].deadlines == ()
    # a <title> with a long run of line breaks, and blocks of thousands of <br> and <b>, stay cheap
    assert "工作报告" in html_to_text("<html><head><title>某县" + "\n" * 20_000 + "工作报告</title></head><body><p>正文。</p></body></html>")
    assert html_to_text("<html><body><p>" + "一，<br>" * 20_000 + "</p></body></html>").count("\n") == 1
    assert html_to_text("<html><body><p>" + "一<b>二</b>" * 20_000 + "</p></body></html>").count("\n") == 1
