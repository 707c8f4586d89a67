"""Records shared by every stage: plain frozen dataclasses, no behaviour beyond small helpers.

This module imports nothing from planwatch, so any stage (and any test) can build its
inputs literally::

    Document(path="plan.txt", original="一、总体要求", text="一、总体要求")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` in a document's original text."""

    start: int
    end: int


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    issuers: tuple[str, ...] = ()
    doc_number: str | None = None
    written: date | None = None
    published: date | None = None
    effective: date | None = None
    period: tuple[int, int] | None = None
    vision_year: int | None = None
    genre: str | None = None  # a key of ingest.metadata.GENRES (work_report, communique, …)
    year: int | None = None  # the year the title names, else the year of the document's own date


@dataclass(frozen=True)
class Document:
    """One ingested file.

    ``original`` is the text as read from the file (for HTML, docx and pdf: the text the
    reader recovered, before script and width normalisation); ``text`` is the normalised
    text every later stage parses; ``offsets[i]`` is the position in ``original`` of
    ``text[i]`` (``None`` means the identity map, when nothing changed length or order).
    """

    path: str
    original: str
    text: str
    format: str = "txt"
    encoding: str = "utf-8"
    script: str = "simplified"
    metadata: Metadata = field(default_factory=Metadata)
    offsets: tuple[int, ...] | None = None
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]

    def original_span(self, start: int, end: int) -> Span:
        """Map ``text[start:end]`` to its span in ``original``."""
        if self.offsets is None or start >= end:
            return Span(start, end)
        last = min(end, len(self.offsets)) - 1
        return Span(self.offsets[min(start, last)], self.offsets[last] + 1)

    def original_text(self, start: int, end: int) -> str:
        span = self.original_span(start, end)
        return self.original[span.start : span.end]


@dataclass(frozen=True)
class Table:
    """A table recovered from the text: rows of cells, the header row first when known."""

    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1
    title: str | None = None
    start: int = 0
    end: int = 0

    @property
    def header(self) -> tuple[str, ...]:
        return self.rows[0] if self.rows and self.header_rows else ()

    @property
    def body(self) -> tuple[tuple[str, ...], ...]:
        return self.rows[self.header_rows :]


@dataclass
class Node:
    """One unit of a plan's outline.

    ``"（三）加强法治"`` → ``Node(kind="subpart", label="三", title="加强法治")``. ``start``/``end``
    cover the heading and everything under it in the normalised text; ``body_start`` is
    where the heading line ends.
    """

    kind: str
    label: str = ""
    title: str = ""
    level: int = 0
    number: int | None = None
    start: int = 0
    end: int = 0
    body_start: int = 0
    inferred: bool = False
    children: list[Node] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def walk(self):
        """Yield this node and every descendant, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Outline:
    document: Document
    root: Node
    warnings: tuple[str, ...] = ()

    def headings(self) -> list[Node]:
        return [n for n in self.root.walk() if n.kind in HEADING_KINDS]

    def path_to(self, position: int) -> list[Node]:
        """The chain of heading nodes (outermost first) that encloses ``position``."""
        chain: list[Node] = []
        node = self.root
        while True:
            inner = next(
                (c for c in node.children if c.start <= position < c.end and c.kind in HEADING_KINDS),
                None,
            )
            if inner is None:
                return chain
            chain.append(inner)
            node = inner


HEADING_KINDS = ("annex", "volume", "chapter", "section", "part", "subpart", "item", "subitem", "box")


@dataclass(frozen=True)
class Target:
    """A quantified commitment (``kind="target"``) or a reported figure (``kind="actual"``)."""

    doc: str
    kind: str
    metric: str
    value: float
    unit: str
    comparator: str = "="
    type: str = "level"
    baseline: float | None = None
    year: int | None = None
    year_explicit: bool = False
    binding: str | None = None
    quote: str = ""
    section: tuple[str, ...] = ()
    span: Span = Span(0, 0)
    in_table: bool = False  # read from a table row (an indicator table), not from running text


@dataclass(frozen=True)
class Task:
    doc: str
    title: str
    text: str
    section: tuple[str, ...] = ()
    deadlines: tuple[date, ...] = ()
    lead: tuple[str, ...] = ()
    label: str = ""
    span: Span = Span(0, 0)
    text_start: int = 0  # where ``text`` starts in the normalised document text
    support: tuple[str, ...] = ()  # cooperating bodies (配合单位), where a task table names them


# A project's milestones in the order it passes them: 前期 (preparation) → 开工 (works start) →
# 主体完工 (main structure done) → 竣工 (completed, accepted) → 投用 (in use).
PROJECT_STAGES = ("前期", "开工", "主体完工", "竣工", "投用")


@dataclass(frozen=True)
class Project:
    doc: str
    name: str
    action: str
    quote: str
    section: tuple[str, ...] = ()
    task_title: str = ""
    span: Span = Span(0, 0)
    # From a project table's columns, where it has them (总投资, 建设年限, 责任单位).
    investment: float | None = None  # planned total investment, in investment_unit
    investment_unit: str = ""  # 亿元 / 万元
    years: tuple[int, int] | None = None  # 建设起止年限
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """Everything the extract stage yields for one document."""

    outline: Outline
    targets: tuple[Target, ...] = ()
    tasks: tuple[Task, ...] = ()
    projects: tuple[Project, ...] = ()
