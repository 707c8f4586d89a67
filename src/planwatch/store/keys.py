"""Identity keys: how a target or task in a revised plan is recognised as the same item.

    Target(kind="target", metric="森林覆盖率") → "target|森林覆盖率"
    Task(title="扩大绿色空间") → "扩大绿色空间"
    Project(name="青溪第二再生水厂") → "青溪第二再生水厂"

A key repeated within one plan is numbered (``…#2``) in document order. Migration 0002 froze
a copy of this rule for rows stored before keys existed.
"""

from __future__ import annotations

from collections.abc import Iterable


def target_key(kind: str, metric: str) -> str:
    return f"{kind}|{metric}"


def task_key(title: str, text: str) -> str:
    return (title or text[:40]).strip()


def project_key(name: str) -> str:
    return name.strip()


def numbered(keys: Iterable[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        n = seen[key] = seen.get(key, 0) + 1
        out.append(key if n == 1 else f"{key}#{n}")
    return out


def plan_key(region: str, title: str, period: tuple[int, int] | None) -> str:
    """A plan's identity across versions: ``plan_key("青川市临河区", "…纲要", (2021, 2025))`` →
    "青川市临河区|…纲要|2021-2025". Two regions' plans under one generic title stay apart."""
    span = f"{period[0]}-{period[1]}" if period else ""
    return f"{region}|{title}|{span}"
