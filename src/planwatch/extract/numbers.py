"""Numbers in a clause: value, unit and the qualifiers written around them.

``"新增充电桩2.6万座"`` → ``Mention(value=2.6, unit="万座", start=5, end=11)``. Chinese numerals
are converted only once captured (cn2an over whole sentences rewrites 一般 → 1般).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .patterns import (
    AFTER_APPROX,
    AFTER_GE,
    AFTER_LE,
    BIG_N,
    BUILD_VERBS,
    CLASS_AFTER,
    CN_COUNT_VERBS,
    CN_DIGITS,
    CN_MAGNITUDE,
    CN_SMALL_UNITS,
    CONTEXT_UNITS,
    DOUBLING,
    GOAL_AFTER,
    MAGNITUDE_CLASS,
    NAME_AFTER,
    NAME_BEFORE,
    QUOTED,
    RATE_AFTER,
    SIZE_CLASS_AFTER,
    TIME_QUALIFIER,
    TIME_UNITS,
    UNIT_ALTERNATE,
    UNITLESS_BEFORE,
    VALUE,
)

# The context a number's filters read on each side: names, qualifiers and verbs stand within a
# few characters of it, and a bounded window keeps a clause of thousands of characters linear.
WINDOW = 40


@dataclass
class Mention:
    value: float
    unit: str
    start: int  # in the clause, including a leading qualifier such as 超过
    end: int  # after the unit and a trailing qualifier such as 以上
    num_start: int
    comparator: str | None = None  # from qualifiers attached to the number itself
    counted: bool = False  # 12大场景: the counted thing follows
    goal: bool = False  # 距2025年2.8%的目标仍有差距: a target quoted where progress is reported


def cn_value(text: str) -> float | None:
    """``"十二"`` → 12.0, ``"两"`` → 2.0, ``"1,000"`` → 1000.0, ``"三千五百万"`` → 35000000.0."""
    text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    if (small := _small_cn(text)) is not None or (small := _sectioned_cn(text)) is not None:
        return small
    if text[:1] in "十百千万":
        text = "一" + text
    import cn2an  # loaded only for numerals past 千 or with 零: compiling its patterns takes 0.2 s

    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def year_number(text: str) -> int:
    """``"2035"`` → 2035, ``"二〇三五"`` → 2035 (a year as patterns.YEAR_DIGITS reads it)."""
    if text.isdigit():
        return int(text)
    return int("".join(str(CN_DIGITS.get(ch, 0)) for ch in text))


def find_mentions(clause: str) -> list[Mention]:
    quoted = Spans((m.start(), m.end()) for m in QUOTED.finditer(clause))
    found: list[Mention] = []
    taken = Spans()
    for m in MAGNITUDE_CLASS.finditer(clause):
        # 培育2个千亿级产业集群: two records, the count and the scale each reaches (GUIDE: 千亿级 → 1000 亿元 >=)
        found.append(Mention(float(CN_MAGNITUDE[m.group("num")]), (m.group("mag") or m.group("mag2")) + "元", m.start(), m.end(), m.start(), ">="))
        taken.add(m.start(), m.end())
    for m in DOUBLING.finditer(clause):
        found.append(Mention(float(CN_DIGITS[m.group("num")]), "番", m.start(), m.end(), m.start("num")))
        taken.add(m.start(), m.end())
    for m in VALUE.finditer(clause):
        mention = _value_mention(clause, m, quoted, taken)
        if mention is not None:
            found.append(mention)
            taken.add(mention.start, mention.end)
    for m in BIG_N.finditer(clause):
        if taken.overlaps(m.start(), m.end()) or quoted.holds(m.start()) or not _big_n_listed(clause, m):
            continue
        value = cn_value(m.group("num"))
        if value is not None and value >= 2:
            found.append(Mention(value, "", m.start(), m.end(), m.start(), None, counted=True))
    found.sort(key=lambda x: x.start)
    return found


def _bounded_share(unit: str, before: str, after: str) -> bool:
    """不低于常住人口1‰的…队伍: a share with a bound before it is a target even as an attribute."""
    return unit in ("%", "‰") and after.startswith("的") and bool(re.search(r"(?:不低于|不少于|不超过|不高于|至少)[\u4e00-\u9fff]{0,8}$", before))


def _value_mention(clause: str, m: re.Match, quoted, taken) -> Mention | None:
    num, unit = m.group("num"), m.group("unit") or ""
    if not unit and len(num) > 1 and num[-1] == "万" and not num[0].isdigit():
        num, unit = num[:-1], "万"  # 四万农民: value 4, unit 万
    stop = m.end()
    if not unit and num[0].isdigit():
        unit, stop = _context_unit(clause, m)
    unitless = not unit and num[0].isdigit() and UNITLESS_BEFORE.search(clause, max(0, m.start("num") - WINDOW), m.start("num"))
    if (not unit and not unitless) or taken.overlaps(m.start("num"), stop) or quoted.holds(m.start("num")):
        return None
    at = m.start("neg") if m.group("neg") else m.start("num")
    before, after = clause[max(0, at - WINDOW) : at], clause[stop : stop + WINDOW]
    if unit == "成" and (after[:2] == "不变" or ("\u4e00" <= after[:1] <= "\u9fff" and not after.startswith(("以", "左", "多")))):
        return None  # 四成以上 is a share; 一成不变 and 1成本 are words
    if not num[0].isdigit() and unit != "成" and not _cn_count_ok(num, unit, before, clause, m):
        return None
    goal = bool(GOAL_AFTER.match(after))
    if _names_something(num, unit, before, after, goal):
        return None
    low = re.split(r"\s*[-~—至到]\s*", num)[0]
    value = cn_value(low)
    if value is None:
        return None
    if m.group("neg"):
        value = -value
    comparator = ">=" if (m.group("approx") or low != num) else None
    unit, end = _unit_as_written(clause, unit, stop)
    within = ("内",) if unit in TIME_UNITS else ()
    for words, comp in ((AFTER_GE, ">="), (AFTER_LE + within, "<="), (AFTER_APPROX, "~")):
        word = next((w for w in words if after.startswith(w)), None)
        if word:
            comparator, end = comp, end + len(word)
            break
    if goal and comparator is None:
        comparator = _goal_bound(after)
    pre = m.group("pre")
    start = m.start()
    if pre and comparator is None:
        comparator = _pre_comparator(pre)
    if not pre:
        start = at
    return Mention(value, unit, start, end, m.start("num"), comparator, goal=goal)


def _names_something(num: str, unit: str, before: str, after: str, goal: bool) -> bool:
    """A number that is part of a name, an ordinal, a time qualifier or a size class, not a record."""
    if NAME_BEFORE.search(before) or (NAME_AFTER.match(after) and not goal and not _bounded_share(unit, before, after)):
        return True
    if _part_of_number(before, after) or TIME_QUALIFIER.match(unit + after[:4]) or (num == "24" and unit == "小时"):
        return True
    return _sizes_what_follows(unit, after)


def _goal_bound(after: str) -> str | None:
    """控制在5.5%的目标以内: the bound written after the goal."""
    bound = GOAL_AFTER.match(after).group("bound")
    return None if not bound else "<=" if bound in AFTER_LE else ">="


def _unit_as_written(clause: str, unit: str, end: int) -> tuple[str, int]:
    """14.2万台(套): the unit with its alternate in the parentheses it came in; 12万吨/日: with its time."""
    if not unit:
        return unit, end
    if alternate := UNIT_ALTERNATE.match(clause[end : end + 3]):
        return f"{unit}（{alternate.group(1)}）", end + alternate.end()
    if rate := RATE_AFTER.match(clause[end : end + 3]):
        return unit + rate.group(), end + rate.end()
    return unit, end


def _sizes_what_follows(unit: str, after: str) -> bool:
    """万余 / 亿多 (a round figure's qualifier), 5000万元以上项目200个 (a sum that sizes the count),
    年主营业务收入2000万元及以上的工业企业 (a sum that defines a class of what follows)."""
    return (unit in ("万", "亿", "万亿") and after[:1] in ("余", "多")) or (
        unit.endswith("元") and bool(SIZE_CLASS_AFTER.match(after) or CLASS_AFTER.match(after)))


def _context_unit(clause: str, m: re.Match) -> tuple[str, int]:
    """人均预期寿命达到80.5岁, 审批时间压缩至5天: ("岁" / "天", its end) where the words before the
    number make it one (``CONTEXT_UNITS``) — else ("", end of the number)."""
    for before, unit in CONTEXT_UNITS:
        span = unit.match(clause, m.end())
        if span and before.search(clause, max(0, m.start("num") - WINDOW), m.start("num")):
            return span.group(1), span.end()
    return "", m.end()


def _pre_comparator(pre: str) -> str | None:
    if pre in ("不超过", "不高于", "低于"):
        return "<="
    if pre in ("约", "近", "接近"):
        return "~"
    if pre == "达":
        return None
    return ">="


MAGNITUDE_CLASSES = ("十亿级", "百亿级", "千亿级", "万亿级")


def _cn_count_ok(num: str, unit: str, before: str, clause: str, m: re.Match) -> bool:
    """Chinese numerals count only as magnitudes (千亿元, 四万, 百兆) or right after a build verb."""
    if _cn_noise(clause, m) or num in ("零", "〇"):
        return False
    if unit.startswith(("万", "亿")) and num not in ("百", "千", "十"):
        return True
    if unit == "兆" and m.group("pre"):
        return True  # 超千兆, 过百兆, 达万兆
    round_magnitude = num in ("十", "百", "千", "万", "百万", "千万")
    if round_magnitude and (m.group("pre") in ("超", "超过", "突破", "过", "近", "接近")
                            or clause.startswith(("以上", "左右"), m.end()) or before.endswith(("稳定在", "保持在", "达到"))):
        return True  # a round magnitude passed or held: 超百家, 突破百万台, 稳定在百万吨以上
    if len(num) > 1 and (m.group("approx") or clause.startswith(("以上", "左右"), m.end())):
        return True  # 建成老年助餐点八十个以上: a bound is never a slogan's
    if unit == "个" and clause.startswith(MAGNITUDE_CLASSES, m.end()):
        return True  # 两个千亿级产业集群: the count of what reaches that scale
    if len(num) > 1 and any(c in num for c in "百千万") and num not in ("百万", "千万"):
        return True  # a numeral with a magnitude and its coefficient counts, not a slogan: 三万人, 五百名
    return before.endswith(CN_COUNT_VERBS) and len(num) == 1 or unit.startswith("亿")


def _big_n_listed(clause: str, m: re.Match) -> bool:
    """12大场景 counts a list of names it follows (A、B等12大场景) under a build verb."""
    before = clause[max(0, m.start() - WINDOW) : m.start()]
    after = clause[m.end() : m.end() + 12]
    built = any(v in before for v in BUILD_VERBS) or "建设" in after
    return built and ("、" in before or before.endswith("等")) and not before.endswith("党的")


def _cn_noise(clause: str, m: re.Match) -> bool:
    """Chinese numerals that count slogans or ordinals: 一批, 两翼, 四个“…”."""
    return clause.startswith("“", m.end()) or clause[max(0, m.start("num") - 1) : m.start("num")] in ("第", "“")


def _part_of_number(before: str, after: str) -> bool:
    # ASCII digits only: a footnote's ① after 0.4% is a digit to str.isdigit, not more of the number
    return bool(before[-1:]) and before[-1] in "0123456789." or bool(after[:1]) and after[0] in "0123456789"


class Spans:
    """Disjoint character ranges kept sorted, so each lookup is a bisection (a clause can hold
    thousands of numbers)."""

    def __init__(self, spans=()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # spans starting before ``end``; the nearest may reach in
        return i > 0 and self.ends[i - 1] > start and self.starts[i - 1] < end

    def holds(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos)
        return i > 0 and self.ends[i - 1] > pos


def _sectioned_cn(text: str) -> float | None:
    """三万, 两千三百万, 五亿三千万: sections below 万 times 亿 and 万, read without cn2an (whose
    patterns take 0.2 s to compile); None for anything else (零, 万亿)."""
    total = 0.0
    for mark, size in (("亿", 1e8), ("万", 1e4)):
        if mark in text:
            head, text = text.split(mark, 1)
            value = _small_cn(head) if head else 1.0
            if value is None:
                return None
            total += value * size
    if text:
        rest = _small_cn(text)
        if rest is None:
            return None
        total += rest
    return total


def _small_cn(text: str) -> float | None:
    """A numeral below 万 written without 零 (三, 十二, 两千, 三百五十), or None for cn2an to read."""
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None:
                return None  # 二三 is not a numeral of this form
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS and CN_SMALL_UNITS[ch] < last_unit:
            last_unit = CN_SMALL_UNITS[ch]
            total += (1 if digit is None else digit) * last_unit
            digit = None
        else:
            return None
    return float(total + (digit or 0)) if text else None
