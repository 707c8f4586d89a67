"""Contents pages (目录): which lines of a document are its table of contents.

A contents page repeats the headings with page numbers; outlined, every entry would open a
duplicate chapter and count as a task. These lines are dropped before the tree is built:
``["目  录", "第一章 总体要求……1", "第二章 重点任务……5", "第一章 总体要求"]`` → ``{0, 1, 2}``.
"""

from __future__ import annotations

from collections.abc import Callable

from .patterns import CONTENTS_TITLE, LEADER_ENTRY, MIN_UNTITLED_CONTENTS, PAGE_ENTRY


def contents_lines(lines: list[str], is_heading: Callable[[str], bool]) -> set[int]:
    """Indices of the lines that belong to a contents page (``lines`` are stripped)."""
    out: set[int] = set()
    i, n = 0, len(lines)
    while i < n:
        text = lines[i]
        if CONTENTS_TITLE.match(text):
            j = _block_end(lines, i + 1, is_heading)
            out.update(range(i, j))
            i = j
        elif LEADER_ENTRY.match(text):
            out.add(i)
            i += 1
        elif _page_entry(text, is_heading):
            j = i
            while j < n and (not lines[j] or _page_entry(lines[j], is_heading) or LEADER_ENTRY.match(lines[j])):
                j += 1
            if sum(1 for k in range(i, j) if lines[k]) >= MIN_UNTITLED_CONTENTS:
                out.update(range(i, j))
            i = max(j, i + 1)
        else:
            i += 1
    return out


def _block_end(lines: list[str], i: int, is_heading: Callable[[str], bool]) -> int:
    """The first line after 目录 that is not an entry. Entries without page numbers (a contents
    list typed by hand) count while the same heading comes again further down."""
    last = {text: k for k, text in enumerate(lines)}
    while i < len(lines):
        text = lines[i]
        entry = LEADER_ENTRY.match(text) or PAGE_ENTRY.match(text) or (is_heading(text) and last[text] > i)
        if text and not entry:
            break
        i += 1
    return i


def _page_entry(text: str, is_heading: Callable[[str], bool]) -> bool:
    m = PAGE_ENTRY.match(text)
    return bool(m) and is_heading(m.group("title").strip())
