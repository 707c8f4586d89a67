"""Document → outline tree.

Three passes over the normalised text: classify each line (heading, table line,
paragraph); build the tree with a stack ordered by rank; where numbering skips or restarts
under the same parent, insert ``inferred`` placeholders so orphaned content is never
merged into the wrong chapter.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Document, Node, Outline, Table
from .contents import contents_lines
from .patterns import (
    CHECKED_KINDS,
    HEADINGS,
    LEAD_SENTENCE,
    MAX_STACKED_LINES,
    MAX_TITLE,
    NAMED_ITEM,
    RANK,
    SPACED_OUT,
    STACKED_HEADER,
    TAB_ROW,
    TABLE_LINE,
    cn_to_int,
    int_to_cn,
)
from .tables import parse_table_lines, stacked_table

PARAGRAPH_RANK = 9


@dataclass
class Line:
    start: int
    end: int
    text: str  # stripped


@dataclass
class Heading:
    kind: str
    rank: int
    label: str
    number: int | None
    title: str
    line: Line


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        lines.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


def classify(line: Line) -> Heading | None:
    """``"(三)加强法治"`` → ``Heading(kind="subpart", label="三", title="加强法治")``."""
    text = line.text
    for kind, rank, pattern in HEADINGS:
        match = pattern.match(text)
        if not match:
            continue
        title = _heading_title(kind, match.group("title"))
        if title is None:
            return None
        if kind == "annex":  # 附件1 重点任务清单: the word says, in every section path, that this is an annex
            title = " ".join(filter(None, (match.group("word") + (match.group("num") or ""), title)))
        label = match.group("num") or ("专栏" if kind == "box" else "")
        number = cn_to_int(label) if kind != "box" else None
        if kind == "box":
            label = "专栏"
        return Heading(kind, rank, label, number, title, line)
    return None


def _heading_title(kind: str, raw: str) -> str | None:
    raw = raw.rstrip("|").strip()
    if kind == "box":
        return raw.split(" ")[0].split("。")[0]
    if kind in SPACED_KINDS and " " in raw:
        raw = SPACED_OUT.sub("", raw)
    head, sep, _ = raw.partition("。")
    if kind in ("item", "subitem"):
        name, colon, rest = head.partition(":")
        if colon and rest and 2 <= len(name.strip()) <= NAMED_ITEM:
            return name.strip()  # 1.钢铁超低排放改造工程:完成3家企业改造 is titled by its name
    if sep:
        return head.strip() if len(head) <= MAX_TITLE else None
    if len(raw) > MAX_TITLE:
        return None
    return raw.rstrip(";:,")


SPACED_KINDS = ("volume", "chapter", "section", "part")


def _is_heading(text: str) -> bool:
    return classify(Line(0, len(text), text)) is not None


def parse_outline(document: Document) -> Outline:
    text = document.text
    lines = split_lines(text)
    root = Node(kind="document", title=document.metadata.title or document.name, level=0, start=0, end=len(text))
    builder = _Builder(root, lines)
    builder.run()
    for node in root.walk():
        if node.end < node.start:
            node.end = node.start
    return Outline(document=document, root=root, warnings=tuple(builder.warnings))


class _Builder:
    """Builds the tree in one pass. Every question the numbering checks ask about the tree
    so far (is there a node of this kind? what number had the last one?) is answered from
    tallies kept as nodes are added, and "the next higher heading" from a table built once,
    so the pass stays linear in the number of lines, whatever the headings."""

    def __init__(self, root: Node, lines: list[Line]):
        self.root = root
        self.lines = lines
        self.stack: list[Node] = [root]
        self.warnings: list[str] = []
        self.contents = contents_lines([line.text for line in lines], _is_heading)
        self.tab_rows = _tab_rows(lines)
        # a row of cells (一、生态环境 |  |  |, 1<tab>森林覆盖率<tab>%) is a table's row, not a heading
        self.headings = [(i, h) for i, line in enumerate(lines)
                         if line.text and i not in self.contents and line.text.count("|") < 2 and i not in self.tab_rows
                         and (h := classify(line))]
        self.heading_at = {i: (order, h) for order, (i, h) in enumerate(self.headings)}
        self.kind_count: dict[str, int] = {"document": 1}
        self.last_number: dict[str, int | None] = {}  # kind → number of the last real heading of that kind
        self.last_child: dict[int, dict[str, Node]] = {}  # id(parent) → kind → its last child of that kind
        self.next_higher = _next_higher_table(self.headings)

    def run(self) -> None:
        i, n = 0, len(self.lines)
        while i < n:
            line = self.lines[i]
            if not line.text or i in self.contents:
                i += 1
                continue
            found = self.heading_at.get(i)
            if found is not None:
                self._open(found[1], found[0])
                i += 1
            elif self._is_table_line(i):
                i = self._table(i)
            elif (after := self._stacked(i)) is not None:
                i = after
            else:
                self._paragraph(line)
                i += 1
        self._close_to(0, len(self.lines[-1].text) + self.lines[-1].start if self.lines else 0)

    def _add(self, parent: Node, node: Node) -> None:
        parent.children.append(node)
        self.kind_count[node.kind] = self.kind_count.get(node.kind, 0) + 1
        self.last_child.setdefault(id(parent), {})[node.kind] = node
        if not node.inferred and node.number is not None:
            self.last_number[node.kind] = node.number

    # -- headings ---------------------------------------------------------------------
    def _open(self, h: Heading, order_index: int) -> None:
        self._pop_until(h.rank, h.line.start)
        if h.kind in CHECKED_KINDS and h.number is not None:
            self._check_numbering(h, order_index)
            self._pop_until(h.rank, h.line.start)
        title = h.title
        if h.kind == "annex" and " " not in title:  # 附件1 alone: titled by the line after it
            title = " ".join(filter(None, (title, self._annex_title(order_index))))
        node = Node(
            kind=h.kind, label=h.label, title=title, level=len(self.stack), number=h.number,
            start=h.line.start, end=h.line.end, body_start=h.line.end,
        )
        self._add(self.stack[-1], node)
        self.stack.append(node)

    def _annex_title(self, order_index: int) -> str:
        """附件 on a line of its own is titled by the short line after it (重点任务清单)."""
        at = self.headings[order_index][0] + 1
        while at < len(self.lines) and not self.lines[at].text:
            at += 1
        if at == len(self.lines) or at in self.heading_at or self._is_table_line(at):
            return ""
        text = self.lines[at].text
        return text if len(text) <= MAX_TITLE and "。" not in text else ""

    def _pop_until(self, rank: int, position: int) -> None:
        while len(self.stack) > 1 and RANK.get(self.stack[-1].kind, PARAGRAPH_RANK) >= rank:
            self.stack.pop().end = position

    def _close_to(self, depth: int, position: int) -> None:
        while len(self.stack) > depth + 1:
            self.stack.pop().end = position
        self.root.end = max(self.root.end, position)

    def _last_sibling(self, kind: str) -> Node | None:
        return self.last_child.get(id(self.stack[-1]), {}).get(kind)

    def _check_numbering(self, h: Heading, order_index: int) -> None:
        last = self._last_sibling(h.kind)
        parent = self.stack[-1]
        if last is None or last.number is None:
            if self._continues_numbering(h):
                return  # 第二篇 opens with 第三章: chapters number straight through the volumes
            if h.number > 1 and parent.kind != "document" and h.number <= 3 and self._uses_kind_below(parent, h.kind):
                self._infer(h.kind, 1, h.number - 1, h.line.start, "starts at")
            elif last is None and self._skips_level(parent, h):
                self._infer_skipped_level(h, order_index)
            return
        if h.number == last.number + 1:
            return
        if h.number > last.number + 1:
            self._infer(h.kind, last.number + 1, h.number - 1, h.line.start, "skips")
            return
        # Numbering restarts under the same parent: a heading above is missing.
        self._infer_missing_parent(h, order_index)

    def _continues_numbering(self, h: Heading) -> bool:
        # Nodes are only ever added under the open path, so creation order is document order.
        last = self.last_number.get(h.kind)
        return last is not None and last == h.number - 1

    def _uses_kind_below(self, parent: Node, kind: str) -> bool:
        return self.kind_count.get(kind, 0) - (parent.kind == kind) > 0

    def _skips_level(self, parent: Node, h: Heading) -> bool:
        """A part directly under a chapter in a document whose chapters hold sections."""
        parent_rank = RANK.get(parent.kind, -1)
        between = [k for k in CHECKED_KINDS if parent_rank < RANK[k] < h.rank]
        return bool(between) and self.kind_count.get(between[-1], 0) > 0

    def _next_higher(self, order_index: int, rank: int) -> Heading | None:
        """The first checked heading after ``order_index`` ranked above ``rank``."""
        found = self.next_higher[min(rank, len(self.next_higher) - 1)][order_index]
        return self.headings[found][1] if found is not None else None

    def _infer_skipped_level(self, h: Heading, order_index: int) -> None:
        upcoming = self._next_higher(order_index, h.rank)
        parent = self.stack[-1]
        if upcoming is None or upcoming.rank <= RANK.get(parent.kind, -1) or upcoming.number is None:
            return
        if upcoming.number > 1:
            self._push_inferred(upcoming.kind, upcoming.number - 1, h.line.start, f"{h.kind} {h.label} sits directly under {parent.kind} {parent.label}")

    def _infer_missing_parent(self, h: Heading, order_index: int) -> None:
        parent = self.stack[-1]
        if parent.kind == "document":
            self.warnings.append(f"{h.kind} {h.label} restarts numbering at offset {h.line.start}")
            return
        upcoming = self._next_higher(order_index, h.rank)
        p_rank = RANK.get(parent.kind, -1)
        reason = f"{h.kind} numbering restarts at {h.label} under {parent.kind} {parent.label}"
        if upcoming is not None and upcoming.rank == p_rank and upcoming.number is not None:
            if upcoming.number > (parent.number or 0) + 1:
                self._pop_until(p_rank, h.line.start)
                self._push_inferred(parent.kind, upcoming.number - 1, h.line.start, reason)
                return
            if upcoming.number >= 2:
                # The parent level restarts too: the grandparent is missing as well.
                grand = self.stack[-2] if len(self.stack) > 2 else None
                self._pop_until(p_rank, h.line.start)
                if grand is not None and grand.kind != "document":
                    self._pop_until(RANK[grand.kind], h.line.start)
                    self._push_inferred(grand.kind, (grand.number or 0) + 1, h.line.start, reason)
                self._push_inferred(parent.kind, upcoming.number - 1, h.line.start, reason)
                return
        self._pop_until(p_rank, h.line.start)
        self._push_inferred(parent.kind, (parent.number or 0) + 1, h.line.start, reason)

    def _infer(self, kind: str, first: int, last: int, position: int, why: str) -> None:
        for number in range(first, min(last, first + 2) + 1):
            self._add(self.stack[-1], _placeholder(kind, number, len(self.stack), position))
            self.warnings.append(f"gap: {kind} {_cn(number)} missing ({why}) at offset {position}")

    def _push_inferred(self, kind: str, number: int, position: int, why: str) -> None:
        node = _placeholder(kind, number, len(self.stack), position)
        self._add(self.stack[-1], node)
        self.stack.append(node)
        self.warnings.append(f"gap: {kind} {_cn(number)} missing ({why}) at offset {position}")

    # -- content ------------------------------------------------------------------------
    def _is_table_line(self, i: int) -> bool:
        return i in self.tab_rows or bool(TABLE_LINE.search(self.lines[i].text))

    def _table(self, i: int) -> int:
        j = i
        block: list[Line] = []
        while j < len(self.lines) and (not self.lines[j].text or self._is_table_line(j)) and j not in self.heading_at:
            block.append(self.lines[j])
            j += 1
        title = self._previous_text(i)
        table = parse_table_lines([b.text for b in block], block[0].start, block[-1].end, title)
        if table is not None:
            self.stack[-1].tables.append(table)
        return j

    def _stacked(self, i: int) -> int | None:
        """A one-cell-a-line table starting at line ``i``: its Table added, the line after it returned."""
        if not STACKED_HEADER.match(self.lines[i].text.strip()):
            return None  # the usual case, decided on one line
        block: list[Line] = []
        j = i
        while j < len(self.lines) and j not in self.heading_at and len(block) < MAX_STACKED_LINES:
            if self.lines[j].text:
                block.append(self.lines[j])
            j += 1
        found = stacked_table([b.text for b in block])
        if found is None:
            return None
        used, rows = found
        last = block[used - 1]
        self.stack[-1].tables.append(Table(rows=rows, header_rows=1, title=self._previous_text(i), start=block[0].start, end=last.end))
        return self.lines.index(last, i) + 1

    def _previous_text(self, i: int) -> str | None:
        for k in range(i - 1, max(i - 3, -1), -1):
            if self.lines[k].text:
                return self.lines[k].text if len(self.lines[k].text) <= 60 else None
        return None

    def _paragraph(self, line: Line) -> None:
        match = LEAD_SENTENCE.match(line.text)
        title = match.group("title").strip() if match else ""
        node = Node(
            kind="paragraph", title=title, level=len(self.stack), start=line.start, end=line.end,
            body_start=line.start + (match.end("title") + 1 if match else 0),
        )
        self._add(self.stack[-1], node)


def _tab_rows(lines: list[Line]) -> set[int]:
    """Lines of three or more tab-separated cells next to another such line: a table's rows."""
    rows = {i for i, line in enumerate(lines) if "\t" in line.text and TAB_ROW.match(line.text)}
    return {i for i in rows if i - 1 in rows or i + 1 in rows}


def _next_higher_table(headings: list[tuple[int, Heading]]) -> list[list[int | None]]:
    """``table[rank][k]``: index in ``headings`` of the first checked heading after the k-th
    whose rank is below ``rank``; one backward sweep per rank."""
    top = max(RANK.values()) + 1
    table: list[list[int | None]] = []
    for rank in range(top + 1):
        row: list[int | None] = [None] * len(headings)
        following: int | None = None
        for k in range(len(headings) - 1, -1, -1):
            row[k] = following
            h = headings[k][1]
            if h.rank < rank and h.kind in CHECKED_KINDS:
                following = k
        table.append(row)
    return table


def _placeholder(kind: str, number: int, level: int, position: int) -> Node:
    label = _cn(number) if kind != "item" else str(number)
    return Node(kind=kind, label=label, title="", level=level, number=number, start=position, end=position, body_start=position, inferred=True)


def _cn(number: int) -> str:
    """``11`` → ``"十一"``, ``105`` → ``"一百零五"``: the label of an inferred heading."""
    return int_to_cn(number)
