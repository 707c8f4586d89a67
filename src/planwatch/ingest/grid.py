"""Merged table cells → a rectangular grid of rows, the same for HTML and Word tables.

A cell spanning rows stands in each of them (an empty unit cell under a merged 推进单位 takes
the value above); a cell spanning columns stands in each of its columns (a merged 2025年 over
目标 and 属性 heads both), except when it is its row's only text (a category row such as
一、经济发展), which keeps to its first column::

    [[("指标", 1, 2), ("2025年", 2, 1)], [("目标", 1, 1), ("属性", 1, 1)]]
    → [["指标", "2025年", "2025年"], ["指标", "目标", "属性"]]
"""

from __future__ import annotations

# A cell: (text, colspan, rowspan). rowspan CONTINUE marks Word's vMerge continuation cell,
# which holds no text of its own and takes the text above it.
CONTINUE = -1


def span_grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    grid: list[list[str | None]] = []
    pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still to cover)
    for r, row in enumerate(rows):
        out: list[str | None] = []
        alone = sum(1 for text, _, _ in row if text.strip()) <= 1
        col = 0
        for text, colspan, rowspan in row:
            while col in pending:
                out.append(_take(pending, col))
                col += 1
            colspan = max(1, colspan)
            if rowspan == CONTINUE:
                above = grid[r - 1] if r else []
                for k in range(colspan):
                    out.append(above[col + k] if col + k < len(above) else "")
            else:
                for k in range(colspan):
                    out.append(text if k == 0 or not alone else "")
                    if rowspan > 1:
                        pending[col + k] = (text, rowspan - 1)
            col += colspan
        while col in pending:
            out.append(_take(pending, col))
            col += 1
        grid.append(out)
    width = max((len(r) for r in grid), default=0)
    return [[c or "" for c in r] + [""] * (width - len(r)) for r in grid]


def _take(pending: dict[int, tuple[str, int]], col: int) -> str:
    text, left = pending[col]
    if left <= 1:
        del pending[col]
    else:
        pending[col] = (text, left - 1)
    return text
