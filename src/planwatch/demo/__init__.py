"""The bundled demo: a fictional district's five-year plan written for planwatch."""

from __future__ import annotations

from pathlib import Path

DEMO_PLAN = Path(__file__).with_name("qingchuan_plan.txt")
DEMO_COMMUNIQUE = Path(__file__).with_name("communique_2024.txt")


def demo_plan_path() -> Path:
    return DEMO_PLAN
