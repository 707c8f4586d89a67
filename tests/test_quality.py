"""The pinned quality gate: scores on ../shared/gold must not drop below tests/quality_floors.json."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GOLD, SHARED

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())
TOOLS = SHARED / "tools"


def _digest() -> str:
    return hashlib.sha256(b"".join((GOLD / f).read_bytes() for f in ("outline.json", "targets.jsonl", "tasks.jsonl", "projects.jsonl"))).hexdigest()[:16]


def _planwatch(args: list[str], out: Path) -> None:
    with out.open("w", encoding="utf-8") as handle:
        subprocess.run([sys.executable, "-m", "planwatch", *args], stdout=handle, check=True)


def _score(tool: str, *args: str) -> str:
    return subprocess.run([sys.executable, str(TOOLS / tool), *args], capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def corpus_files():
    if not (SHARED / "corpus").is_dir() or not TOOLS.is_dir():
        pytest.skip(f"shared corpus and scorers not found under {SHARED}")
    if _digest() != FLOORS["gold_digest"]:
        pytest.skip("gold annotations changed since the floors were pinned: re-measure and update tests/quality_floors.json")
    return [str(p) for p in sorted((SHARED / "corpus").glob("*.txt"))]


def test_outline_floor(corpus_files, tmp_path):
    out = tmp_path / "outline.jsonl"
    _planwatch(["outline", *corpus_files, "--format", "jsonl"], out)
    f1 = float(re.search(r"F1 ([\d.]+)", _score("score_outline.py", str(GOLD / "outline.json"), str(out))).group(1))
    assert f1 >= FLOORS["outline_f1"]


def test_target_floors(corpus_files, tmp_path):
    out = tmp_path / "targets.jsonl"
    _planwatch(["extract", *corpus_files, "--format", "jsonl"], out)
    line = _score("score_targets.py", str(GOLD / "targets.jsonl"), str(out))
    loose, strict = (float(x) for x in re.findall(r"F1 ([\d.]+)", line))
    assert loose >= FLOORS["targets_loose_f1"] and strict >= FLOORS["targets_strict_f1"], line


def test_task_and_project_floors(corpus_files, tmp_path):
    files = [f for f in corpus_files if Path(f).name[:3] in ("000", "003")]
    tasks, projects = tmp_path / "tasks.jsonl", tmp_path / "projects.jsonl"
    _planwatch(["extract", *files, "--what", "tasks", "--format", "jsonl"], tasks)
    _planwatch(["extract", *files, "--what", "projects", "--format", "jsonl"], projects)
    line = _score("score_tasks.py", "tasks", str(GOLD / "tasks.jsonl"), str(tasks))
    f1s = [float(x) for x in re.findall(r"F1 ([\d.]+)", line)]
    assert f1s[0] >= FLOORS["tasks_f1"] and f1s[-1] >= FLOORS["task_deadlines_f1"], line
    line = _score("score_tasks.py", "projects", str(GOLD / "projects.jsonl"), str(projects))
    assert float(re.search(r"F1 ([\d.]+)", line).group(1)) >= FLOORS["projects_f1"], line


@pytest.fixture(scope="module")
def corpus2_files():
    folder = SHARED / "corpus2"
    gold = folder / "targets.jsonl"
    if not gold.is_file() or not TOOLS.is_dir():
        pytest.skip(f"second corpus and scorers not found under {SHARED}")
    if hashlib.sha256(gold.read_bytes()).hexdigest()[:16] != FLOORS["corpus2_digest"]:
        pytest.skip("corpus2 gold changed since the floors were pinned: re-measure and update tests/quality_floors.json")
    return gold, [str(p) for p in sorted(folder.glob("*.docx"))]


def test_corpus2_target_floors(corpus2_files, tmp_path):
    gold, files = corpus2_files
    out = tmp_path / "targets.jsonl"
    _planwatch(["extract", *files, "--format", "jsonl"], out)
    line = _score("score_targets.py", str(gold), str(out))
    loose, strict = (float(x) for x in re.findall(r"F1 ([\d.]+)", line))
    assert loose >= FLOORS["corpus2_targets_loose_f1"] and strict >= FLOORS["corpus2_targets_strict_f1"], line


PROBES = Path(__file__).parent / "probes"


@pytest.fixture(scope="module")
def scorers():
    if not TOOLS.is_dir():
        pytest.skip(f"scorers not found under {TOOLS}")
    return TOOLS


def _probe_files(kind: str) -> list[str]:
    return [str(p) for p in sorted((PROBES / kind).iterdir()) if p.name not in ("gold.jsonl", "README.md")]


def test_probe_target_floors(scorers, tmp_path):
    out = tmp_path / "targets.jsonl"
    _planwatch(["extract", *_probe_files("targets"), "--format", "jsonl"], out)
    line = _score("score_targets.py", str(PROBES / "targets" / "gold.jsonl"), str(out))
    loose, strict = (float(x) for x in re.findall(r"F1 ([\d.]+)", line))
    assert loose >= FLOORS["probe_targets_loose_f1"] and strict >= FLOORS["probe_targets_strict_f1"], line


def test_probe_task_floors(scorers, tmp_path):
    out = tmp_path / "tasks.jsonl"
    _planwatch(["extract", *_probe_files("tasks"), "--what", "tasks", "--format", "jsonl"], out)
    line = _score("score_tasks.py", "tasks", str(PROBES / "tasks" / "gold.jsonl"), str(out))
    f1s = [float(x) for x in re.findall(r"F1 ([\d.]+)", line)]
    assert f1s[0] >= FLOORS["probe_tasks_f1"] and f1s[-1] >= FLOORS["probe_task_deadlines_f1"], line
