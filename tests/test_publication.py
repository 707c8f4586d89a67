"""The public edition shows only the fields a plan marks public: by default statuses, figures and
the office's public summary, never the departments' 本期进展 or 存在问题 text."""

from __future__ import annotations

import json

import pytest

from planwatch.errors import PermissionDenied, ValidationError
from planwatch.report.bulletin import build_bulletin
from planwatch.store import add_user, list_reports
from planwatch.store.publication import plan_publication, set_publication

PERIOD = "2024Q4"


def _texts(engine) -> tuple[set[str], set[str]]:
    reports = list_reports(engine, review="approved")
    return {r["narrative"] for r in reports if r["narrative"]}, {r["problems"] for r in reports if r["problems"]}


def _dump(bulletin) -> str:
    from dataclasses import asdict

    return json.dumps(asdict(bulletin), ensure_ascii=False, default=str)


def test_the_public_edition_leaves_out_internal_narrative_by_default(demo_db):
    narratives, problems = _texts(demo_db)
    assert narratives and problems  # the demo ledger has both, so the test can fail
    internal = _dump(build_bulletin(demo_db, "1", PERIOD, save=False))
    assert any(n in internal for n in narratives)
    public = build_bulletin(demo_db, "1", PERIOD, public=True, save=False)
    text = _dump(public)
    assert not [p for p in problems if p in text] and not [n for n in narratives if n in text]
    assert public.tasks[0].status  # statuses are public
    assert plan_publication(demo_db, "1").fields == ("status", "figures", "summary")


def test_fields_marked_public_appear(demo_db):
    narratives, problems = _texts(demo_db)
    set_publication(demo_db, "1", ["narrative", "problems"], "2024年规划实施总体有序推进。")
    text = _dump(build_bulletin(demo_db, "1", PERIOD, public=True, save=False))
    assert any(n in text for n in narratives)
    assert plan_publication(demo_db, "1").fields == ("status", "narrative", "problems")  # status always


def test_choosing_public_fields_is_checked_and_audited(demo_db, run_cli):
    url = demo_db.url.render_as_string(hide_password=False)
    with pytest.raises(ValidationError, match="secrets: not a public field"):
        set_publication(demo_db, "1", ["status", "secrets"])
    done = run_cli("publication", "--plan", "1", "--fields", "status,narrative", "--summary", "公开摘要", "--db", url, "--format", "json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {"plan": 1, "fields": ["status", "narrative"], "summary": "公开摘要"}
    audit = json.loads(run_cli("audit", "--entity", "plan_publication", "--db", url, "--format", "json").output)
    assert audit[0]["old"]["fields"] == ["status", "figures", "summary"] and audit[0]["new"]["fields"] == ["status", "narrative"]
    add_user(demo_db, "admin", "admin")
    add_user(demo_db, "观察员", "viewer", actor="admin")
    with pytest.raises(PermissionDenied):
        set_publication(demo_db, "1", ["status"], actor="观察员")
