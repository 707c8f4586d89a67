"""Plain text and Markdown, with or without YAML front matter.

Pages saved from news sites often arrive as ``.txt`` holding front matter and raw HTML
(corpus file 003); such text is handed to the HTML reader.
"""

from __future__ import annotations

import re

import yaml

from .html import html_to_text

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
HTML_MARKERS = re.compile(r"<(p|div|br|table|span|strong|td)\b[^>]*>", re.I)
# A text with at least this many block tags is HTML, whatever its extension says.
MIN_HTML_TAGS = 5


def split_front_matter(text: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    return meta, text[match.end() :]


def read_text(decoded: str) -> tuple[str, dict, str]:
    """Return ``(original_text, front_matter, format)``."""
    meta, body = split_front_matter(decoded.replace("\r\n", "\n").replace("\r", "\n"))
    if len(HTML_MARKERS.findall(body[:20_000])) >= MIN_HTML_TAGS:
        return html_to_text(body), meta, "html"
    return body, meta, "txt"
