"""Plain text saved with hard line breaks (a PDF converted to text, a mail body): paragraphs
rejoined, with a map from each character back to the file.

Converters break every line at one width (35 characters, say) and leave the page's number and
running header as lines of their own. A line as wide as that, not ending a sentence, runs on
into the next one, across a page number or header between them::

    "加快高速铁路建设。…沿海高速铁路桐屿\\n- 12 -\\n段，力争2028年前建成。" → "…桐屿段，力争2028年前建成。"

Text with no common width (a file written line by line) is left as it is.
"""

from __future__ import annotations

from collections import Counter

from .pdf import HEADING_START, PAGE_NUMBER, SENTENCE_END, contents_entry

# Lines at least this long say how wide the text was wrapped; this many of them are needed, and
# this share of them must be within a character of the commonest length.
MEASURED = 12
MIN_LINES = 20
SHARE_AT_WIDTH = 0.3
MIN_WIDTH = 20
# A line this share of the width or more is full: its sentence goes on.
FULL = 0.9
# A line repeated this often (and no longer than RUNNING_MAX) is a running header.
RUNNING_TIMES = 3
RUNNING_MAX = 40


def unwrap(text: str) -> tuple[str, list[int] | None]:
    """``text`` with hard-wrapped paragraphs joined, and for each character of the result its
    index in ``text`` (None when nothing was joined)."""
    lines = text.split("\n")
    width = _width(lines)
    if width is None:
        return text, None
    counts = Counter(part.strip() for line in lines for part in line.split("\f") if part.strip())
    seen: set[str] = set()
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    out: list[str] = []
    kept: list[int] = []
    open_line = False
    for k, line in enumerate(lines):
        stripped = line.strip()
        first = stripped not in seen
        seen.add(stripped)
        near_number = any(PAGE_NUMBER.match(lines[j]) for j in range(max(0, k - 2), min(len(lines), k + 3)) if j != k)
        if open_line and (not stripped or _furniture(line, counts, first, near_number)):
            continue  # blank lines and the page's furniture between a line and its continuation
        if open_line and stripped and not HEADING_START.match(stripped) and out and out[-1].endswith("\n"):
            out[-1] = out[-1][:-1]  # the line break that the converter put inside a sentence
            kept.pop()
            line = line.lstrip(" \t\u3000")
            starts[k] += len(lines[k]) - len(line)
        newline = 1 if k < len(lines) - 1 else 0  # the last piece of a split has no break after it
        out.append(line + "\n" * newline)
        kept.extend(range(starts[k], starts[k] + len(line) + newline))
        body = line.rstrip()
        open_line = (len(body) >= FULL * width and not body.endswith(SENTENCE_END + ("；", ";"))
                     and not contents_entry(body)) if stripped else False
    joined = "".join(out)
    return (joined, kept) if len(joined) != len(text) else (text, None)


def _furniture(line: str, counts: Counter, first: bool, near_number: bool) -> bool:
    """A page number, a running header (repeated, next to a page number or a page break, and seen
    before), or both on one line (- 12 -\f规划名称)."""
    parts = [part.strip() for part in line.split("\f") if part.strip()]
    paged = "\f" in line or near_number
    return bool(parts) and all(PAGE_NUMBER.match(part) or (paged and counts[part] >= RUNNING_TIMES and len(part) <= RUNNING_MAX
                                                            and (not first or "\f" in line)) for part in parts)


def _width(lines: list[str]) -> int | None:
    lengths = [len(line.rstrip()) for line in lines if len(line.strip()) >= MEASURED]
    if len(lengths) < MIN_LINES:
        return None
    common, _ = Counter(lengths).most_common(1)[0]
    near = sum(1 for n in lengths if abs(n - common) <= 1)
    return common if common >= MIN_WIDTH and near >= SHARE_AT_WIDTH * len(lengths) else None
