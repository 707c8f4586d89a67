"""Identity keys: how a target or task in a revised plan is recognised as the same item.

    Target(kind="target", metric="森林覆盖率") → "target|森林覆盖率"
    Task(title="扩大绿色空间") → "扩大绿色空间"

A key repeated within one plan is numbered (``…#2``) in document order. Migration 0002 froze
a copy of this rule for rows stored before keys existed.
"""

from __future__ import annotations

from collections.abc import Iterable


def target_key(kind: str, metric: str) -> str:
    return f"{kind}|{metric}"


def task_key(title: str, text: str) -> str:
    return (title or text[:40]).strip()


def numbered(keys: Iterable[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        n = seen[key] = seen.get(key, 0) + 1
        out.append(key if n == 1 else f"{key}#{n}")
    return out
