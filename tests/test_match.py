"""Matching a communiqué's reported figures to the plan's targets."""

from __future__ import annotations

import json

import pytest

from planwatch.assess.match import metric_similarity, propose, unit_factor

from .conftest import DEMO_PLAN


def test_units_convert_by_magnitude_and_percentage_points_are_penalised():
    assert unit_factor("万亩", "亩")[0] == 10_000
    assert unit_factor("亩", "万亩")[0] == pytest.approx(1e-4)
    assert unit_factor("%", "个百分点")[1] < 1
    assert unit_factor("亿元", "%")[0] is None


def test_metric_similarity_prefers_containment():
    assert metric_similarity("全年森林覆盖率", "森林覆盖率") > metric_similarity("森林面积", "森林覆盖率")
    assert metric_similarity("地区生产总值", "细颗粒物年均浓度") == 0


def test_each_figure_goes_to_its_best_target():
    targets = [{"id": 1, "metric": "森林覆盖率", "unit": "%", "year": 2025}, {"id": 2, "metric": "新增造林面积", "unit": "万亩", "year": 2025},
               {"id": 3, "metric": "城市污水处理率", "unit": "%", "year": 2025}]
    figures = [{"id": 10, "metric": "森林覆盖率", "unit": "%", "year": 2024}, {"id": 11, "metric": "造林面积", "unit": "亩", "year": 2024},
               {"id": 12, "metric": "粮食产量", "unit": "万吨", "year": 2024}, {"id": 13, "metric": "森林覆盖率", "unit": "%", "year": 2012}]
    found = {(p.figure_id, p.target_id): p for p in propose(targets, figures, (2021, 2025))}
    assert (10, 1) in found and found[(10, 1)].score == 1.0
    assert (11, 2) in found and found[(11, 2)].factor == pytest.approx(1e-4)
    assert not any(f == 12 for f, _ in found)
    assert (13, 1) in found and found[(13, 1)].score < found[(10, 1)].score  # outside the plan period


def test_accepted_matches_become_observations_citing_the_document(run_cli, db_url):
    from planwatch.demo import DEMO_COMMUNIQUE

    stored = json.loads(run_cli("ingest", DEMO_PLAN, DEMO_COMMUNIQUE, "--db", db_url, "--format", "json").output)["stored"]
    plan, doc = (str(s["plan_id"]) for s in stored)
    proposals = json.loads(run_cli("match", "--plan", plan, "--document", doc, "--db", db_url, "--format", "json").output)
    forest = [p for p in proposals if p["metric"] == "森林覆盖率"]
    assert forest and all(p["reported"] == "43.2%" and p["year"] == 2024 for p in forest)
    accepted = json.loads(run_cli("match", "accept", str(forest[0]["id"]), "--db", db_url, "--format", "json").output)
    assert accepted[0]["status"] == "accepted" and accepted[0]["observation"]
    obs = json.loads(run_cli("observe", "list", "--target", forest[0]["target"], "--db", db_url, "--format", "json").output)
    assert obs[0]["value"] == 43.2 and obs[0]["source"] == "document" and "统计公报" in obs[0]["source_ref"]
    again = run_cli("match", "accept", str(forest[0]["id"]), "--db", db_url)
    assert again.exit_code == 1 and "accepted already" in again.output
    pending = json.loads(run_cli("match", "list", "--plan", plan, "--status", "proposed", "--db", db_url, "--format", "json").output)
    assert len(pending) == len(proposals) - 1
