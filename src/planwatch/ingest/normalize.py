"""Script and width normalisation with an offset map back to the original text.

Measured on corpus files 001 (traditional) and 003 (the same plan, simplified): OpenCC's
``t2s`` left 著力/着力 different, ``tw2s`` none, so ``tw2s`` it is. Phrase configs rewrite
vocabulary and are not used. Simplified text is never converted: ``tw2s`` turns 著 into 着
even in simplified prose.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..regexes import compiled

if TYPE_CHECKING:
    import opencc

# Share of CJK characters that tw2s changes above which a text counts as traditional:
# simplified plans measure < 0.1% (只 著), traditional ones > 20%.
TRADITIONAL_SHARE = 0.03

_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: 0x20, 0xFEFF: 0x20})


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    import opencc  # here: only traditional-script text needs it

    return opencc.OpenCC("tw2s")


WIDE = compiled("[" + "".join(map(chr, sorted(_WIDTH))) + "]")


def unify_width(text: str) -> str:
    """Full-width ASCII forms to half-width, length preserving: ``（一）１`` → ``(一)1``.

    One ``replace`` per distinct wide character present (a plan has a dozen): ``str.translate``
    looks each character up in a dict, fifteen times slower on Chinese text."""
    for wide in set(WIDE.findall(text)):
        text = text.replace(wide, chr(_WIDTH[ord(wide)]))
    return text


def to_simplified(text: str) -> str:
    return _converter().convert(text)


# Characters read to decide the script: the shares above are as clear on 20,000 characters as
# on the whole text, and OpenCC's pass over the sample was a sixth of reading a plan.
SCRIPT_SAMPLE = 20_000


def detect_script(text: str) -> str:
    sample = text[:SCRIPT_SAMPLE]
    cjk = sum(map(len, CJK_RUNS.findall(sample)))  # runs, not characters: a list a tenth as long
    if not cjk:
        return "simplified"
    if len(COMMON_TRADITIONAL.findall(sample)) < CLEARLY_SIMPLIFIED * cjk:
        return "simplified"  # none of the commonest traditional forms: no need to load OpenCC
    converted = to_simplified(sample)
    changed = _changed(sample, converted)
    return "traditional" if changed / cjk > TRADITIONAL_SHARE else "simplified"


CJK_RUNS = compiled("[\u4e00-\u9fff]+")
# The commonest characters whose traditional form differs (們 這 個 為 國 會 發 經 …): about a sixth of
# a traditional plan's characters, none of a simplified one's. Below this share OpenCC's exact
# count is not needed; above it OpenCC decides.
COMMON_TRADITIONAL = compiled("[們這個為國會發經與學對說時來產業區縣務實當開關長從點體應現進動質數將機設計劃濟華議員書號門間問題電車東見單環處歷總辦規標準構統網層級]")
CLEARLY_SIMPLIFIED = 0.005


def _changed(a: str, b: str) -> int:
    """Characters OpenCC changed, about: a line-by-line comparison skips the (usual) unchanged
    lines at C speed; tw2s maps nearly character for character, so changed lines compare by position."""
    total = 0
    for x, y in zip(a.split("\n"), b.split("\n"), strict=False):
        if x != y:
            total += sum(1 for p, q in zip(x, y, strict=False) if p != q)
    return total


# Markdown's marks, which say how text looks, not what it says: **bold**, __bold__, heading
# hashes and underlines (===, ---), rules, quote and list markers at a line's start (a plan
# converted to Markdown by pandoc).
# Also a backslash that escapes punctuation (3\. keeps pandoc from making a list: 3. as written)
# and footnote marks ([^1], and [^1]: before a note's text).
MARKUP = compiled(r"^[ \t]*(?:={3,}|-{3,}|\*{3,}|_{3,})[ \t]*$|\*\*|__|^[ \t]*#{1,6}[ \t]+|^[ \t]*>[ \t]?|^[ \t]*[-*+][ \t]+(?=\S)"
                  r"|\\(?=[!-/:-@\[-`{-~])|\[\^[^\]\s]{1,20}\]:?[ \t]*", re.M)
MAY_HOLD_MARKUP = compiled(r"\*\*|__|^[ \t]*(?:#{1,6}|>|[-*+])[ \t]|^[ \t]*(?:={3,}|-{3,})[ \t]*$|\\[!-/:-@\[-`{-~]|\[\^", re.M)


def strip_markup(text: str) -> tuple[str, tuple[int, ...] | None]:
    """``"## 一、目标\n**扩大绿色空间。**新增…"`` → ``"一、目标\n扩大绿色空间。新增…"`` and, for each
    character kept, its index in ``text`` (None when there was nothing to strip)."""
    if not MAY_HOLD_MARKUP.search(text):
        return text, None
    kept, parts, at = [], [], 0
    for m in MARKUP.finditer(text):
        parts.append(text[at : m.start()])
        kept.extend(range(at, m.start()))
        at = m.end()
    parts.append(text[at:])
    kept.extend(range(at, len(text)))
    return "".join(parts), tuple(kept)


def normalize(original: str, markup: bool = False, path: str = "<text>") -> tuple[str, str, tuple[int, ...] | None]:
    """Return ``(text, script, offsets)``; offsets is None when the map is the identity.
    With ``markup`` (plain text and Markdown files) grid and HTML tables become pipe rows and
    Markdown's marks are dropped first."""
    stripped, kept = original, None
    if markup:
        from .markdown import flatten_tables
        from .unwrap import unwrap

        flat, rows_kept = flatten_tables(original, path)
        stripped, kept = strip_markup(flat)
        if rows_kept is not None:
            kept = tuple(rows_kept) if kept is None else tuple(rows_kept[i] for i in kept)
        stripped, joined = unwrap(stripped)  # hard line breaks inside paragraphs
        if joined is not None:
            kept = tuple(joined) if kept is None else tuple(kept[i] for i in joined)
    script = detect_script(stripped)
    text = unify_width(stripped)
    offsets = None
    if script == "traditional":
        converted = to_simplified(text)
        if len(converted) != len(text):
            offsets = _align(text, converted)
        text = converted
    if kept is not None:
        offsets = kept if offsets is None else tuple(kept[i] for i in offsets)
    return text, script, offsets


def _align(before: str, after: str) -> tuple[int, ...]:
    """Offsets from ``after`` back to ``before`` when conversion changed lengths."""
    offsets = [0] * len(after)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(j2 - j1):
            offsets[j1 + k] = min(i1 + (k if tag == "equal" else k * max(i2 - i1, 1) // max(j2 - j1, 1)), max(i2 - 1, i1))
    return tuple(offsets)
