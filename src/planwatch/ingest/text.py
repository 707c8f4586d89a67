"""Plain text and Markdown, with or without YAML front matter.

Pages saved from news sites often arrive as ``.txt`` holding front matter and raw HTML
(corpus file 003); such text is handed to the HTML reader.
"""

from __future__ import annotations

import datetime as dt
import re

from ..errors import IngestError
from ..regexes import compiled
from .limits import DEFAULT_LIMITS, Limits, check
from .markdown import HTML_TABLE

FRONT_MATTER = compiled(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
HTML_MARKERS = compiled(r"<(p|div|br|table|span|strong|td)\b[^>]*>", re.I)
# A text with at least this many block tags is HTML, whatever its extension says; tags inside a
# table do not count, for Markdown holds a table with merged cells as raw HTML (ingest.markdown).
MIN_HTML_TAGS = 5
# Front matter is a few lines of title, date and source; PyYAML is pure Python, so a block
# this long (some 2,000 lines) already takes a noticeable share of a second to parse.
MAX_FRONT_MATTER = 64 * 1024
SCALARS = (str, int, float, bool, dt.date)


def split_front_matter(text: str, path: str = "<text>") -> tuple[dict, str]:
    """``"---\\ntitle: 规划\\n---\\n正文"`` → ``({"title": "规划"}, "正文")``.

    Only scalar fields are kept (an alias bomb in a list never reaches the metadata); a
    field whose value YAML cannot construct (``date: 2024-02-30``) is an ``IngestError``
    naming that field.
    """
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    block = match.group(1)
    check(path, "front matter of", len(block), MAX_FRONT_MATTER, " characters")
    meta = _load(block, path)
    if not isinstance(meta, dict):
        meta = {}
    return {str(k): v for k, v in meta.items() if isinstance(k, SCALARS) and isinstance(v, SCALARS)}, text[match.end() :]


def _load(block: str, path: str):
    import yaml  # only a Markdown file with front matter needs it (30 ms to import)

    try:
        return yaml.safe_load(block) or {}
    except yaml.YAMLError:
        return {}  # not front matter after all: the text keeps its dashes
    except RecursionError:
        raise IngestError(path, "front matter is nested too deeply") from None
    except (ValueError, OverflowError, TypeError) as exc:
        field, value = _failing_field(block)
        where = f"front matter field {field!r}" if field is not None else "front matter"
        shown = f" {value[:40]!r}" if value else ""
        raise IngestError(path, f"{where}: invalid value{shown} ({exc})") from None


def _failing_field(block: str) -> tuple[str | None, str | None]:
    """The top-level key whose value will not construct, found by constructing each alone."""
    import yaml

    try:
        root = yaml.compose(block, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None, None
    if not isinstance(root, yaml.MappingNode):
        return None, None
    for key_node, value_node in root.value:
        try:
            yaml.SafeLoader("").construct_document(value_node)
        except (ValueError, OverflowError, TypeError, yaml.YAMLError, RecursionError):
            value = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            return str(key_node.value), value
    return None, None


def read_text(decoded: str, path: str = "<text>", limits: Limits = DEFAULT_LIMITS) -> tuple[str, dict, str]:
    """Return ``(original_text, front_matter, format)``."""
    check(path, "text of", len(decoded), limits.max_chars, " characters")
    meta, body = split_front_matter(decoded.replace("\r\n", "\n").replace("\r", "\n"), path)
    if len(HTML_MARKERS.findall(HTML_TABLE.sub("", body[:20_000]))) >= MIN_HTML_TAGS:
        from .html import html_to_text  # selectolax, only for text that is HTML after all

        return html_to_text(body, path, limits), meta, "html"
    return body, meta, "txt"
