"""The heading grammar, as data. Adding a numbering style is adding a row here.

Ranks order the kinds from outermost to innermost; a document uses whichever subset it
needs (纲要: 章 > 节 > 一、 > (一); 行动计划: 一、 > (一) > 1.; 实施方案: 一、 > 1、).
"""

from __future__ import annotations

import re

from ..regexes import compiled

CN_NUM = "一二三四五六七八九十百千万零〇两"

# (kind, rank, pattern). Patterns run on one stripped line of normalised text (full-width
# forms already folded to ASCII), and capture ``num`` and ``title``.
HEADINGS: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    # 附件1：重点任务分工表 / 附件 / 附表二 close the body: what follows (a task list, a project
    # table) is the annex's, not the last section's. A sentence that opens with 附件 (附件中的…) is not.
    ("annex", 0, compiled(rf"^(?P<word>附件|附表)\s*(?:(?P<num>\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*[:.、]?\s*|:\s*|\s+|(?=$))"
                            r"(?P<title>[^。,;]{0,40})$")),
    # 第一篇 / 第一部分 group chapters in long 纲要; they number on their own (第二篇 holds 第三章).
    ("volume", 0, compiled(rf"^第\s*(?P<num>[{CN_NUM}\d]{{1,8}})\s*(?:篇|部分)\s*(?P<title>[^。]{{0,60}})$")),
    ("chapter", 1, compiled(rf"^第\s*(?P<num>[{CN_NUM}\d]{{1,8}})\s*章\s*(?P<title>[^。]{{0,60}})$")),
    ("section", 2, compiled(rf"^第\s*(?P<num>[{CN_NUM}\d]{{1,8}})\s*节\s*(?P<title>[^。]{{0,60}})$")),
    ("part", 3, compiled(rf"^(?P<num>[{CN_NUM}]{{1,6}})\s*、\s*(?P<title>\S.*)$")),
    ("subpart", 4, compiled(rf"^\((?P<num>[{CN_NUM}]{{1,6}})\)\s*(?P<title>\S.*)$")),
    # One run of blanks, not \s*…\s+: overlapping blanks backtrack quadratically on a long line.
    ("item", 6, compiled(r"^(?P<num>\d{1,3})(?:\s*[、.](?!\d)\s*|\s+(?=[\u4e00-\u9fff]))(?P<title>\S.*)$")),
    # 第一条 / 第十二条 of a 若干措施 or 实施细则: articles, numbered straight through like items.
    ("item", 6, compiled(rf"^第\s*(?P<num>[{CN_NUM}\d]{{1,4}})\s*条(?:\s+|[:、]\s*)(?P<title>\S.*)$")),
    # (1) under 1. in 行动计划 and 实施方案: the innermost numbered level.
    ("subitem", 7, compiled(r"^\((?P<num>\d{1,2})\)\s*(?P<title>[^\d\s].*)$")),
    # 专栏 sits inside a part or subpart and holds the numbered items listed in it.
    ("box", 5, compiled(rf"^专栏\s*(?P<num>\d{{1,3}}|[{CN_NUM}]{{1,3}})?\s*[:]?\s*(?P<title>\S.*)$")),
)
RANK = {kind: rank for kind, rank, _ in HEADINGS}

# Blanks set between the characters of a heading (第 一 章　总　体　要　求, as covers and PDFs
# space them): dropped from the title, so that 总体要求 reads as itself.
SPACED_OUT = compiled(r"(?<=[\u4e00-\u9fff“”])[ \t]+(?=[\u4e00-\u9fff“”])")

# Kinds whose numbering is checked for gaps and restarts. Items are numbered straight
# through a whole 实施方案 (1–64 across parts), so a jump there is not a gap.
CHECKED_KINDS = ("volume", "chapter", "section", "part", "subpart")

# A heading line longer than this, with no 。 to end its title, is body text that happens to
# open with a numeral; real titles in the corpus stay under 45 characters.
MAX_TITLE = 60

# An item's name before a colon (1.钢铁超低排放改造工程:完成…) is at most this long.
NAMED_ITEM = 20
# A paragraph's lead sentence: short, ends in 。, and is followed by more text.
# 扩大绿色生态空间。结合实施…… → title 扩大绿色生态空间
LEAD_SENTENCE = compiled(r"^(?:——|—|-)?\s*(?P<title>[^。,;:!?]{2,40}?)。(?P<rest>\S)")

# Table lines: ``cell |`` (one cell a line), ``a | b | c |`` (one row a line), ``||`` (a row end).
# Markdown pipe rows open with a pipe too (``| 指标 | 目标 |``), and are ruled by ``|---|:--:|``.
# A table copied out of Word or a spreadsheet keeps a tab between cells: a line of three or
# more non-empty tab-separated cells is a row when the line before or after it is one too (a
# heading may have tabs after its number, a sentence a tab or two inside it).
# (Written so that a long line without tabs is one linear scan: ``[^\t]*\S[^\t]*`` backtracked
# quadratically and took a second over the corpus.)
TAB_ROW = compiled(r"^(?=[^\t]*[^\t\s])[^\t]*\t+(?=[^\t]*[^\t\s])[^\t]*\t+(?=[^\t]*[^\t\s])")
TABLE_LINE = compiled(r"\|\s*$|^\|.*\|")
MARKDOWN_RULE = compiled(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
PIPES_ONLY = compiled(r"^\|+$")
TABLE_HEADER_WORDS = ("指标", "序号", "目标", "属性", "类别", "单位", "现状", "基期", "项目", "名称", "年")

# A table written one cell a line with no separators (a Word table pasted as text, a docx whose
# table became paragraphs): at least three header cells a line each, one of them naming the
# indicator and one a value, then rows of as many short cells, most rows with a figure.
STACKED_HEADER = compiled(
    r"^(?:序号|编号|类别|领域|分类|指标(?:名称)?|名称|项目(?:名称)?|(?:计量)?单位|属性|指标属性|备注|"
    r"(?:\d{4}\s*年)?(?:目标值?|规划目标|预期目标|基期值?|现状值?|实际值|完成值)|\d{4}\s*年(?:\s*\(?[^\s()]{0,6}\)?)?)$")
STACKED_NAME = compiled(r"指标|名称|项目")
STACKED_VALUE = compiled(r"目标|\d{4}\s*年|基期|现状|实际|完成")
STACKED_CELL = compiled(r"^[^。;；]{1,40}$")
NUMBER_CELL = compiled(r"^[<>≥≤约]?\s*-?\d+(?:\.\d+)?\s*%?(?:以上|以下|左右)?$")
MIN_STACKED_COLUMNS = 3
MAX_STACKED_LINES = 2000  # cells looked at for one table: bounded whatever the input

# Contents pages (目录): the title line, and entries that end in a page number after dot
# leaders ("第一章 总体要求……1", "一、主要目标 .......... 3") or after a tab or wide gap
# ("第二章 重点任务\t5", as Word's TOC field and PDF layout give them).
CONTENTS_TITLE = compiled(r"^(?:目\s*录|目\s*次|contents)\s*$", re.I)
# Leaders may be spaced (". . . ." as Word and LaTeX set them); each dot takes at most one space, so
# the run is read one way only.
LEADER_ENTRY = compiled(r"^(?P<title>\S.{0,80}?)\s*(?:(?:[.．·•・⋯…_] ?){3,}|…{2,}|[-—]{4,})\s*[-—]?\s*(?P<page>\d{1,4}|[ivxlcIVXLC]{1,6})\s*[-—]?\s*$")
# One whitespace run before the page number (``\s{2,}\s*`` split a long run of spaces every way:
# minutes on a line of spaces).
PAGE_ENTRY = compiled(r"^(?P<title>\S.{0,60}?)\s+(?P<page>\d{1,4})\s*$")
# A run of this many heading lines each ending in a page number is a contents page even
# without its 目录 title (a title lost at a page break).
MIN_UNTITLED_CONTENTS = 3

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_GROUPS = {"万": 10_000, "亿": 100_000_000}


def cn_to_int(label: str) -> int | None:
    """``"十一"`` → 11, ``"一百零五"`` → 105, ``"三千万"`` → 30000000, ``"28"`` → 28; None for anything else."""
    if label.isdigit():
        return int(label)
    if not label:
        return None
    total, group, digit = 0, 0, 0  # total: whole 亿s; group: below the current 万/亿; digit: pending
    for ch in label:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            group += (digit or 1) * CN_UNITS[ch]
            digit = 0
        elif ch in CN_GROUPS:
            if ch == "亿":  # 一万亿: everything so far is counted in 亿s
                total = ((total + group + digit) or 1) * CN_GROUPS[ch]
            else:
                total += ((group + digit) or 1) * CN_GROUPS[ch]
            group, digit = 0, 0
        else:
            return None
    return total + group + digit


_DIGIT_CHARS = "零一二三四五六七八九"
_POWERS = ((100_000_000, "亿"), (10_000, "万"), (1000, "千"), (100, "百"), (10, "十"))


def int_to_cn(number: int, _top: bool = True) -> str:
    """``11`` → ``"十一"``, ``105`` → ``"一百零五"``, ``20000`` → ``"二万"``: any size, no lookup table to run off."""
    if number < 0:
        return str(number)
    if number < 10:
        return _DIGIT_CHARS[number]
    for value, unit in _POWERS:
        if number >= value:
            high, rest = divmod(number, value)
            head = "" if value == 10 and high == 1 and _top else int_to_cn(high, _top)
            if not rest:
                return head + unit
            gap = "零" if rest < value // 10 else ""
            return head + unit + gap + int_to_cn(rest, False)
    raise AssertionError("unreachable")
