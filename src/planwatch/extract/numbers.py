"""Numbers in a clause: value, unit and the qualifiers written around them.

``"新增充电桩2.6万座"`` → ``Mention(value=2.6, unit="万座", start=5, end=11)``. Chinese numerals
are converted only once captured (cn2an over whole sentences rewrites 一般 → 1般).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from .patterns import (
    AFTER_APPROX,
    AFTER_GE,
    AFTER_LE,
    BIG_N,
    CN_MAGNITUDE,
    MAGNITUDE_CLASS,
    NAME_AFTER,
    NAME_BEFORE,
    QUOTED,
    VALUE,
)


@dataclass
class Mention:
    value: float
    unit: str
    start: int  # in the clause, including a leading qualifier such as 超过
    end: int  # after the unit and a trailing qualifier such as 以上
    num_start: int
    comparator: str | None = None  # from qualifiers attached to the number itself
    counted: bool = False  # 12大场景: the counted thing follows


def cn_value(text: str) -> float | None:
    """``"十二"`` → 12.0, ``"两"`` → 2.0, ``"1,000"`` → 1000.0."""
    text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def find_mentions(clause: str) -> list[Mention]:
    quoted = [(m.start(), m.end()) for m in QUOTED.finditer(clause)]
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in MAGNITUDE_CLASS.finditer(clause):
        found.append(Mention(float(CN_MAGNITUDE[m.group("num")]), m.group("mag") + "元", m.start(), m.end(), m.start(), ">="))
        taken.append((m.start(), m.end()))
    for m in VALUE.finditer(clause):
        mention = _value_mention(clause, m, quoted, taken)
        if mention is not None:
            found.append(mention)
            taken.append((mention.start, mention.end))
    for m in BIG_N.finditer(clause):
        if _overlaps(m.start(), m.end(), taken) or _inside(m.start(), quoted) or m.group("num") in ("一",):
            continue
        value = cn_value(m.group("num"))
        if value is not None and value >= 2:
            found.append(Mention(value, "", m.start(), m.end(), m.start(), None, counted=True))
    found.sort(key=lambda x: x.start)
    return found


def _value_mention(clause: str, m: re.Match, quoted, taken) -> Mention | None:
    num, unit = m.group("num"), m.group("unit") or ""
    if not unit or _overlaps(m.start("num"), m.end(), taken) or _inside(m.start("num"), quoted):
        return None
    if not num[0].isdigit() and (num in ("一", "万", "百", "千") and unit not in ("兆",) or _cn_noise(clause, m)):
        return None
    before, after = clause[: m.start("num")], clause[m.end() :]
    if NAME_BEFORE.search(before) or NAME_AFTER.match(after) or _part_of_number(before, after):
        return None
    if unit in ("万", "亿", "万亿") and after[:1] and "\u4e00" <= after[:1] <= "\u9fff" and not after.startswith(("以上", "以内", "左右")):
        return None  # 2万余 …: a magnitude with its measure word further on is handled by the longer unit
    low = re.split(r"\s*[-~—至到]\s*", num)[0]
    value = cn_value(low)
    if value is None:
        return None
    comparator = ">=" if (m.group("approx") or low != num) else None
    end = m.end()
    for words, comp in ((AFTER_GE, ">="), (AFTER_LE, "<="), (AFTER_APPROX, "~")):
        word = next((w for w in words if after.startswith(w)), None)
        if word:
            comparator, end = comp, end + len(word)
            break
    pre = m.group("pre")
    start = m.start()
    if pre and comparator is None:
        comparator = _pre_comparator(pre)
    if not pre:
        start = m.start("num")
    return Mention(value, unit, start, end, m.start("num"), comparator)


def _pre_comparator(pre: str) -> str | None:
    if pre in ("不超过", "不高于", "低于"):
        return "<="
    if pre in ("约", "近", "接近"):
        return "~"
    if pre == "达":
        return None
    return ">="


def _cn_noise(clause: str, m: re.Match) -> bool:
    """Chinese numerals that count slogans or ordinals: 一批, 两翼, 四个“…”."""
    after = clause[m.end() :]
    return after.startswith("“") or clause[max(0, m.start("num") - 1) : m.start("num")] in ("第", "“")


def _part_of_number(before: str, after: str) -> bool:
    return bool(before[-1:]) and (before[-1].isdigit() or before[-1] == ".") or after[:1].isdigit()


def _overlaps(start: int, end: int, spans) -> bool:
    return any(start < e and s < end for s, e in spans)


def _inside(pos: int, spans) -> bool:
    return any(s <= pos < e for s, e in spans)
