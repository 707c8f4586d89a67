"""Quantified targets and reported figures in running text.

Each outline line (heading lines hold text in 实施方案 items) is cut into sentences and
clauses; every number with a unit is a candidate; filters drop names, dates and ordinals;
the words around the number give comparator, type and metric; the outline gives the year
and whether the figure is promised (target) or reported (actual).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from ..model import Document, Target
from ..regexes import compiled
from .numbers import Mention, find_mentions, year_number
from .patterns import (
    ADDITION_VERBS,
    BEFORE_LE,
    CLAUSE_SPLIT,
    COUNT_UNITS,
    CUMULATIVE_BUILT,
    DEADLINE,
    DECREASE_VERBS,
    DUE_BEFORE,
    FIVE_YEAR_END,
    FIVE_YEAR_LAST,
    FIVE_YEAR_SPAN,
    FLOW_BEFORE_NUMBER,
    FLOW_BEFORE_VERB,
    FLOW_UNITS,
    GROWTH_WORDS,
    INCREASE_POINTS,
    INCREASE_VERBS,
    LEVEL_QUALIFIERS,
    LEVEL_VERBS,
    MEASURE_WORDS,
    MULTI_YEAR_GROWTH,
    NOT_EACH,
    ONE_YEAR_CHANGE_BEFORE,
    PAIRED_SUBJECTS,
    SENTENCE_SPLIT,
    SINCE,
    STATUS_AFTER,
    STOCK_BEFORE,
    STOCK_IN,
    STOCK_LEAD,
    THRESHOLD_AFTER,
    THRESHOLD_VERBS,
    TOTAL_BEFORE,
    YEAR_RANGE,
)

LEADING_NOISE = compiled(r"^(?:到|至|力争到|力争|确保|预计到)?\s*(?:20\d{2}\s*年(?:底前|年底|底|末|上半年|下半年|前)?)?\s*(?:,)?(?:实现|确保|力争|全区|全市|使|将|其中)?")
BASELINE = compiled(r"由(?:现状|\d{4}年的?|目前的?)?(?P<num>\d+(?:\.\d+)?)[^\d,;。]{0,12}?(?:减少|增加|减|降|增|提高|提升|精简|压缩|扩大|下降|上升)(?:到|至)")
# 增加值 (value added), 增长率, 建设用地 (land for building) and 建筑 (buildings) are nouns, not the
# verbs 增加, 增长, 建设, 建.
VERB_BEFORE = compiled("(" + "|".join(sorted(LEVEL_VERBS + INCREASE_VERBS + DECREASE_VERBS, key=len, reverse=True))
                         + r")(?![值率]|(?<=建设)用地|(?<=建)设用地|(?<=建)筑)")
# A cheap test run before the full grammar: most clauses hold no number at all.
MAY_HOLD_NUMBER = compiled(r"\d|[二两三四五六七八九十百千万][个家所座条项件处套户名万亿大兆成人台辆张床场栋间株米亩部站册头只列支艘架吨元]|[一二三四五六七八九十百千]万|[十百千万]亿|新建一|新增一|翻[一两二三四]番")
LIST_SEP = compiled(r"[、和及与]")
# A list item right after the previous figure that shares its verb: 、全民健身中心 (no verb of its own).
LIST_ITEM = compiled(r"、([\u4e00-\u9fffA-Za-z0-9“”()]{2,16})(?<!以上)$")
BREAKDOWN = compiled(r"^\s*其中")
PER_UNIT = compiled(r"每(?!年|月|季|天|日)(?:个|万|千|百|十万)?")
DECREASE_AFTER = compiled(r"脱贫|脱低|摘帽|清零")
# How far before a number its verb, qualifiers and metric are looked for: clauses are short
# (a gold quote is rarely 60 characters), and a bound keeps a clause of thousands linear.
LOOKBACK = 80
# A clause longer than this (a run-on line without punctuation) is quoted around each number,
# not whole: the GUIDE's quote is the shortest natural span, and whole quotes would grow as n².
LONG_CLAUSE = 400
# Amounts of money, time and speed are levels unless a verb says they are added.
LEVEL_UNITS = ("元", "分钟", "小时", "兆", "元/人", "美元")


@dataclass(frozen=True)
class LineContext:
    """What the outline says about one line: its section path, year and kind."""

    section: tuple[str, ...]
    year: int | None
    kind: str  # target or actual


def targets_in_line(doc: Document, start: int, end: int, ctx: LineContext) -> list[Target]:
    text = doc.text[start:end]
    out: list[Target] = []
    if not MAY_HOLD_NUMBER.search(text):
        return out
    for s_start, sentence in _pieces(text, SENTENCE_SPLIT):
        if not MAY_HOLD_NUMBER.search(sentence):
            continue
        out.extend(_sentence_targets(doc, sentence, start + s_start, ctx))
    return out


@dataclass(frozen=True)
class Earlier:
    """What the sentence said before a clause: its first deadline, the last year and verb before it."""

    sentence_year: int | None = None
    year: int | None = None
    verb: str | None = None
    span: bool = False  # the sentence names a span of years (2024—2025年, “十五五”期间): 每年 falls in it


def _sentence_targets(doc: Document, sentence: str, offset: int, ctx: LineContext) -> list[Target]:
    # Deadlines and verbs are found once per sentence and read through a moving index: each
    # clause asks only what came before it, so a long run of clauses costs linear time.
    years = [(m.end(), year_number(m.group("year"))) for m in DEADLINE.finditer(sentence) if _is_deadline(sentence, m)]
    verbs = [(m.end(), m.group(1)) for m in VERB_BEFORE.finditer(sentence)]
    sentence_year = _year_in(sentence)
    span = bool(YEAR_RANGE.search(sentence) or FIVE_YEAR_SPAN.search(sentence))
    in_sentence: list[Target] = []
    y = v = 0
    parts = stock = False
    for c_start, clause in _pieces(sentence, CLAUSE_SPLIT):
        while y < len(years) and years[y][0] <= c_start:
            y += 1
        while v < len(verbs) and verbs[v][0] <= c_start:
            v += 1
        if not MAY_HOLD_NUMBER.search(clause):
            parts = parts or clause == "其中"  # 其中，企业23.5万户，个体工商户44.1万户: the clauses after it are parts
            continue
        earlier = Earlier(sentence_year, years[y - 1][1] if y else None, verbs[v - 1][1] if v else None, span)
        found = _subject_carried(_clause_targets(doc, clause, offset + c_start, ctx, earlier), in_sentence)
        if stock and not _verb_in(clause) and not CHANGE_IN.search(clause):
            # 年末共有图书馆13个，文化馆13个: the count of what there is goes on (a change stays a change)
            found = [replace(t, type="level") if t.type == "increase" else t for t in found]
        stock = stock or bool(STOCK_LEAD.search(clause) and not _adds(clause))  # …年末新建5G基站500个 adds
        in_sentence.extend(_part_as_whole(found, in_sentence) if parts or BREAKDOWN.match(clause) else found)
    return in_sentence


def _part_as_whole(found: list[Target], earlier: list[Target]) -> list[Target]:
    """共有A级景区86个，其中5A级景区3个: a part counted in the same unit is what its whole is, a stock
    (其中新设经营主体71.2万户 still adds: 新设 says so)."""
    if not earlier or earlier[-1].type != "level":
        return found
    return [replace(t, type="level") if t.type == "increase" and t.unit == earlier[-1].unit and not _adds(t.quote) else t
            for t in found]


def _adds(text: str) -> bool:
    return any(v in text for v in ADDITION_VERBS)


def _subject_carried(found: list[Target], earlier: list[Target]) -> list[Target]:
    """地区生产总值1583亿元，比上年增长5.6%: the change clause has no subject of its own; it is
    the previous figure's (GUIDE: metric <指标>增速 / <指标>降幅)."""
    if not earlier:
        return found
    changes = [t for t in found if t.metric and ONE_YEAR_CHANGE.match(t.metric)]
    # 接待游客6.35亿人次、旅游总收入6870亿元，分别增长9.2%和11.5%: each change is its own figure's
    respective = len(changes) > 1 and len(earlier) >= len(changes) and all("分别" in t.quote for t in changes)
    subjects = iter(earlier[-len(changes):] if respective else [])
    out = []
    for t in found:
        if t.metric and ONE_YEAR_CHANGE.match(t.metric):
            whose = next(subjects, earlier[-1])
            subject = CHANGE_SUFFIX.sub("", whose.metric)  # the indicator, not its rate: 生产总值 of 生产总值年均增速
            # An amount added is the indicator's own change (常住人口 +2.3万人); a rate is its 增速 / 降幅.
            average = AVERAGE.search(t.metric)
            suffix = ("降幅" if t.type == "decrease" else f"{average.group(0) if average else ''}增速" if t.type == "annual_growth"
                      else "")
            t = replace(t, metric=f"{subject}{suffix}")
        out.append(t)
    return out


# A metric that is only the change word: 比上年增长, 同比下降, 较上年提高 (+ a 年均增速 added later).
CHANGE_SUFFIX = compiled(r"(?:年均增速|增速|降幅)$")
AVERAGE = compiled(r"[两三四五]年平均|年均")
ONE_YEAR_CHANGE = compiled(r"^(?:\d{4}\s*[—–~-]\s*\d{4}年)?(?:比上年末|比上年|比年初|同比|较上年|比去年|[比较]\d{4}年(?:末|底)?)?(?:年均|[两三四五]年平均)?(?:增长|下降|提高|减少|增加|净增|增产|减产)?"
                             r"(?:年均增速|增速|降幅)?$"
                             # or only a year and a verb: 地区生产总值年均增长7.2%,2020年达到4120亿元
                             # or nothing but 力争 and a verb: …年均增长5%左右，力争突破5500亿元
                             r"|^(?:力争|确保|预计)?(?:(?:到|至)?\d{4}年(?:末|底)?)?(?:达到|达|为|突破|超过)?$")


def _pieces(text: str, splitter: re.Pattern[str]):
    pos = 0
    for m in splitter.finditer(text + "\n"):
        piece = text[pos : m.start()]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            yield pos + lead, piece.strip()
        pos = m.end()


def _clause_targets(doc: Document, clause: str, offset: int, ctx: LineContext, earlier: Earlier) -> list[Target]:
    mentions = find_mentions(clause)
    if not mentions:
        return []
    mentions = _drop_qualifiers(clause, mentions)
    baseline_match = BASELINE.search(clause)
    respectively = "分别" in clause
    year_explicit_value, kind = _clause_year_and_kind(doc, clause, ctx, earlier)
    out = []
    shared_comparator = mentions[-1].comparator if respectively else None
    metrics = _clause_metrics(clause, mentions) if respectively else None
    for i, m in enumerate(mentions):
        if baseline_match and m.num_start <= baseline_match.end("num") and m.start >= baseline_match.start():
            continue  # the 由A of 由A减到B is the baseline of B, not a record
        baseline = float(baseline_match.group("num")) if baseline_match and m.start >= baseline_match.end() else None
        before = clause[max(0, m.start - LOOKBACK) : m.start]
        comparator = m.comparator or shared_comparator or _verb_comparator(before)
        kind_type = _type(clause, before, m, earlier.verb)
        metric = (metrics[i] if metrics else None) or _metric(clause, before, m, kind_type)
        item = LIST_ITEM.match(clause, mentions[i - 1].end, m.start) if i and not metrics else None
        if item and not ONE_YEAR_CHANGE.match(item.group(1)):
            # 新建体育公园10个、全民健身中心5个; 森林覆盖率达到32%、森林蓄积量达到1.5亿立方米: the item
            # after the 、 names the second figure, read as any metric is (its own verb dropped)
            metric = _metric(clause, item.group(1), m, kind_type)
        if kind_type == "annual_growth" and i and BESIDE_LEVEL.match(clause[mentions[i - 1].end : m.start]):
            metric = out[-1].metric if out else metric  # 出口达2800亿元、增长7.5%: the level's indicator
        elif kind_type == "decrease" and i and out and BESIDE_FALL.match(clause[mentions[i - 1].end : m.start]):
            metric = f"{out[-1].metric}降幅" if m.unit in ("%", "‰") else out[-1].metric  # 粮食产量120万吨、下降2.1%
        if baseline is not None:
            # 地区生产总值由2020年的2860亿元增加到3856亿元: a level, its indicator named before 由
            kind_type = "level"
            metric = LEADING_NOISE.sub("", clause[: baseline_match.start()]).strip() or metric
        # 经济总量和城乡居民人均收入再翻一番: each subject doubles, as with 均
        shared = [metric] if metrics else _shared_subjects(metric + "均" if m.unit == "番" else metric)
        year = year_explicit_value or earlier.year or earlier.sentence_year or ctx.year
        if year_explicit_value is None and kind == "target" and not earlier.span and EVERY_YEAR.search(before):
            year = None  # 每年遴选示范机构2家: due every year, not in one (a review still reports its year)
        item_kind = kind
        if m.goal:
            item_kind, kind_type, year = _quoted_goal(before, kind_type, year)
        span_start, span_end = offset, offset + len(clause)
        if len(clause) > LONG_CLAUSE:
            span_start, span_end = offset + max(0, m.start - LOOKBACK), offset + m.end
        for name in shared:
            if kind_type == "annual_growth":
                name = _growth_name(name, any(w in before[-12:] for w in MULTI_YEAR_GROWTH))
            elif kind_type == "decrease" and m.unit in ("%", "‰"):
                name = _fall_name(name)
            out.append(
                Target(
                    doc=doc.name, kind=item_kind, metric=name, value=_clean(m.value), unit=m.unit, comparator=comparator or "=",
                    type=kind_type, baseline=baseline, year=year, year_explicit=year_explicit_value is not None,
                    binding=None, quote=doc.original_text(span_start, span_end), section=ctx.section,
                    span=doc.original_span(span_start, span_end),
                )
            )
    return out


def _clause_year_and_kind(doc: Document, clause: str, ctx: LineContext, earlier: Earlier) -> tuple[int | None, str]:
    """The year the clause itself writes, and whether its figures are targets or reached."""
    explicit = DEADLINE.search(clause)
    year_explicit_value = year_number(explicit.group("year")) if explicit and _is_deadline(clause, explicit) else None
    if year_explicit_value is None and (inside := YEAR_BEFORE_VERB.search(clause)):
        year_explicit_value = int(inside.group("year"))
    # In a review, a clause due after the year reviewed (到2025年，确保…) looks ahead: a target.
    stated = year_explicit_value or earlier.year or earlier.sentence_year
    kind = "target" if ctx.kind == "actual" and stated and ctx.year and stated > ctx.year else ctx.kind
    start = doc.metadata.period[0] if doc.metadata.period else None
    if kind == "target" and stated and start and stated < start and not DUE_WORD.search(clause):
        kind = "actual"  # 近年来…，2024年全县规上工业企业172家 in a 2025—2027 plan: where it starts from
    return year_explicit_value, kind


def _clause_metrics(clause: str, mentions: list[Mention]) -> list[str] | None:
    """The names a 分别 clause gives its figures, one each, or None."""
    change = clause[: mentions[0].start].replace("分别", "").strip()
    if len(mentions) > 1 and ONE_YEAR_CHANGE.match(change):
        # 分别增长9.2%和11.5%: only the change is written; each figure is the change of its own
        # subject before it (_subject_carried), so each takes the change word as its name for now
        return [change] * len(mentions)
    return _respective_metrics(clause, len(mentions))


def _quoted_goal(before: str, kind_type: str, year: int | None) -> tuple[str, str, int | None]:
    """距2025年2.8%的目标: the target itself, a level, due when the year before it says (else as
    the clause's context dates it)."""
    named = GOAL_YEAR.search(before)
    return "target", "level" if kind_type == "increase" else kind_type, int(named.group(1)) if named else year


def _growth_name(name: str, multi_year: bool) -> str:
    """``"生产总值增长"`` → ``"生产总值增速"``; a multi-year rate keeps 年均 (``年均增速``)."""
    if multi_year:
        if re.fullmatch(r"[两三四五]年", name):
            return name + "平均增速"  # 两年平均增长5.9%: the average of those years, not 年均 over the plan
        return name if name.endswith(("增速", "增长")) else name + "年均增速"
    name = ONE_YEAR_TAIL.sub("", name)
    return name if name.endswith(("增速", "涨幅", "增幅")) else name + "增速"


def _fall_name(name: str) -> str:
    """``"火灾死亡人数下降"`` → ``"火灾死亡人数降幅"``, ``"能耗累计下降"`` → ``"能耗累计降幅"`` (GUIDE: a
    rate of decrease is the indicator's 降幅); a fall against a named year keeps its words."""
    fall = FALL_TAIL.search(name)
    if BASE_YEAR_FALL.search(name):
        return name  # PM2.5年均浓度比2015年下降55%: the fall since that year, named as written
    return f"{name[: fall.start()]}{fall.group('sum') or ''}降幅" if fall and fall.start() else name


# The words a rate of decrease is written with, at the end of its name.
FALL = "(?:下降|降低|减少|压减|回落)"
BASE_YEAR_FALL = compiled(rf"[比较]\d{{4}}年(?:末|底)?(?:累计)?{FALL}了?$")
FALL_TAIL = compiled(rf"(?:比上年|同比|较上年)?(?P<sum>累计)?{FALL}了?$")
# The change word a one-year growth metric ends with, and the words between a level and its growth.
ONE_YEAR_TAIL = compiled(r"(?:(?<!平)均|分别)?(?:比上年|同比)?(?:增长|上涨)(?:达到|达|为)?$")
ONE_YEAR_TAIL_KEEP_EACH = compiled(r"(?:增长|上涨)$")
BESIDE_LEVEL = compiled(r"^[、,]?(?:比上年|同比)?(?:增长|上涨)$")
BESIDE_FALL = compiled(rf"^[、,]?(?:比上年|同比|较上年)?{FALL}$")


def _shared_subjects(metric: str) -> list[str]:
    """``"受污染耕地和污染地块安全利用率均"`` → ``["受污染耕地安全利用率", "污染地块安全利用率"]``.

    均 after a joined subject gives each subject the same figure; the indicator written once at
    the end (安全利用率) belongs to all. Parallel subjects are about as long as each other, so
    the last one ends at the word boundary nearest the others' length.
    """
    if not metric.endswith("均") or metric.endswith(NOT_EACH):
        return [metric]
    metric = metric[:-1]
    parts = [p for p in re.split(r"和|及|与|、", metric) if p]
    if len(parts) < 2:
        return [metric]
    if all(p.endswith(MEASURE_WORDS) for p in parts[:-1]):
        return parts  # each subject names its own measure
    last = parts[-1]
    target_len = sum(len(p) for p in parts[:-1]) / (len(parts) - 1)
    measure = next((m for m in MEASURE_WORDS if last.endswith(m) and len(last) > len(m)), None)
    if measure is not None:
        # The last subject is as long as the others, and the measure it ends in stays whole.
        k = min(max(1, math.ceil(target_len - 0.5)), len(last) - len(measure))
        return [p + last[k:] for p in parts[:-1]] + [last]
    return _segmented_subjects(metric, parts, target_len)


def _segmented_subjects(metric: str, parts: list[str], target_len: float) -> list[str]:
    """The same split at a word boundary from jieba, for a measure not in MEASURE_WORDS."""
    import logging

    import jieba  # loaded only here: its dictionary takes a second to load

    jieba.setLogLevel(logging.WARNING)
    last = parts[-1]
    bounds, at = [], 0
    for word in jieba.lcut(last, HMM=False)[:-1]:
        at += len(word)
        if len(last) - at >= 2:
            bounds.append(at)
    if not bounds:
        return [metric]
    k = min(bounds, key=lambda b: (abs(b - target_len), b))
    tail = last[k:]
    return [p + tail for p in parts[:-1]] + [last]


def _clean(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _is_deadline(clause: str, m: re.Match, inner: bool = True) -> bool:
    prefix = clause[max(0, m.start() - 2) : m.start("year")]
    if clause.startswith(("基础上", "的基础"), m.end()):
        return False  # 在2020年基础上翻一番: the base year, not when it is due
    # a year opening an inner clause dates it and those after it (…，2024年全县规上工业企业172家), not
    # the clauses before it (``inner=False``), nor a span since it (2020年以来)
    opens = m.start() == 0 or (inner and clause[m.start() - 1] in ",;:，；：" and not clause.startswith(SINCE_YEAR, m.end()))
    return bool(m.group("when")) or any(p in prefix for p in DUE_BEFORE) or opens


def _year_in(sentence: str) -> int | None:
    for m in DEADLINE.finditer(sentence):
        if _is_deadline(sentence, m, inner=False) and sentence[m.end() : m.end() + 1] not in ("的",):
            return year_number(m.group("year"))
    # 到“十四五”末 / “十四五”期间 / 2024—2025年: the period's last year, outside cited titles
    # (编制《三山五园地区整体保护规划(2019—2035年)》 dates nothing)
    sentence = CITED_TITLE.sub("", sentence) if "《" in sentence else sentence
    # the first period named, unless it is what a figure is compared with (较“十三五”末新增2140公里)
    periods = sorted((*FIVE_YEAR_END.finditer(sentence), *FIVE_YEAR_SPAN.finditer(sentence)), key=lambda m: m.start())
    period = next((m for m in periods if not COMPARED_WITH.search(sentence, max(0, m.start() - 3), m.start())), None)
    if period:
        return FIVE_YEAR_LAST[period.group(1)]
    span = YEAR_RANGE.search(sentence)
    return year_number(span.group(2)) if span else None


# What lies between a count and a growth rate when the count is part of the subject's name.
COUNTED_SUBJECT = compiled(r"[\u4e00-\u9fff“”]{2,20}?(?:比上年|同比)?(?:增长|增速为?|上涨|提高)")


def _drop_qualifiers(clause: str, mentions: list[Mention]) -> list[Mention]:
    """500米服务半径覆盖率达到90%: the 500米 names the metric."""
    kept = []
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None and not m.counted:
            between = clause[m.end : nxt.start]
            if re.search(r"[\u4e00-\u9fff]{0,12}(率|比例|比重|半径|覆盖)", between) and VERB_BEFORE.search(between) and "、" not in between:
                continue
        if nxt is not None and nxt.unit == "%" and m.unit in COUNT_UNITS and COUNTED_SUBJECT.fullmatch(clause, m.end, nxt.start):
            continue  # 17个重点传统制造业增加值增长8%: the count names whose growth it is
        kept.append(m)
    return kept


def _verb_comparator(before: str) -> str | None:
    tail = before[-6:]
    if any(tail.endswith(w) for w in BEFORE_LE):
        return "<="
    if tail.endswith(THRESHOLD_VERBS):
        return ">="
    window = before[-14:]
    if any(w in window for w in ("不低于", "不少于", "至少")):
        return ">="
    if any(w in window for w in ("不超过", "不高于")):
        return "<="
    if any(w in window for w in ("约占", "约为", "大约")):
        return "~"  # 服务业增加值约占地区生产总值的58%
    return None


def _change_type(before: str, m: Mention) -> str | None:
    """The type a change word fixes whatever else the clause says."""
    if m.unit == "番":
        return "increase"  # 翻一番: the amount it had is added once more
    if any(w in before[-12:] for w in GROWTH_WORDS) or (m.unit in ("%", "‰") and ONE_YEAR_CHANGE_BEFORE.search(before)):
        return "annual_growth"
    if m.unit in ("个百分点", "百分点", "个千分点", "千分点", "岁", "年") and INCREASE_POINTS.search(before):
        return "increase"
    if "降幅" in before:
        return "decrease"
    if RAISED_BY.search(before.rstrip()) and m.unit not in ("%", "‰"):
        return "increase"  # 基础养老金每人每年再提高30元: an amount added (提高到 is a level reached)
    return None


def _type(clause: str, before: str, m: Mention, verb_earlier: str | None = None) -> str:
    if (changed := _change_type(before, m)) is not None:
        return changed
    after = clause[m.end : m.end + LOOKBACK]
    verb = _nearest_verb(before)
    if verb is None and clause[m.start : m.num_start] in LEVEL_QUALIFIERS:
        return "level"  # 上市企业总数突破300家: reaching a level, not adding an amount
    own_item = LIST_SEP.split(before)[-1]
    added_in_total = before.rstrip().endswith("累计") and _adds(own_item)
    if (before.rstrip().endswith(STOCK_BEFORE) and not added_in_total) or TOTAL_BEFORE.search(before.rstrip()):
        return "level"  # 新增18家、累计38家: the running total is a stock (城镇新增就业累计256万人 stays added)
    if CUMULATIVE_BUILT.search(before[-14:]):
        return "level"  # 累计建成5G基站2.1万个: the facilities there are (累计入市155公顷 stays an amount added)
    if verb is None and verb_earlier and BREAKDOWN.match(before):
        verb = verb_earlier  # 达1095万户，其中企业380万户: a part is what its whole is
    if verb in ADDITION_VERBS:
        return "increase"
    # 全年新能源汽车产量5.6万辆 (no verb): the year's output, not cars added,
    # and 全年共授权专利1.2万件, 力争全年开行2500列 (the year's count, with no verb that builds or adds)
    flow = (FLOW_BEFORE_VERB.search(before.rstrip()) or (verb not in ADDITION_VERBS + DECREASE_VERBS and FLOW_BEFORE_NUMBER.search(before.rstrip()))
            or (verb is None and _year_count(before)))
    if verb in LEVEL_VERBS or PER_UNIT.search(before) or flow:
        return "level"
    if verb in DECREASE_VERBS or any(v in before for v in DECREASE_VERBS) or DECREASE_AFTER.search(after[:8]):
        return "decrease"
    if STATUS_AFTER.match(after) and not _verb_in(before):
        return "level"  # the count is the subject of a status: 20项工程全面完成
    if m.unit in ("%", "‰", "成") or m.unit.endswith(LEVEL_UNITS + FLOW_UNITS):
        return "level"
    if verb is None and STOCK_IN.search(before):
        return "level"  # 年末全市共有规上工业企业2356家: a stock, whatever is counted
    base = m.unit.lstrip("万亿千百")

    if verb in INCREASE_VERBS or m.counted or base in COUNT_UNITS or _counted_noun_follows(clause, m):
        return "increase" if base in COUNT_UNITS + ("公里", "亩", "公顷", "平方米", "平方公里", "座", "") or verb else "level"
    return "level"


def _year_count(before: str) -> bool:
    """全年共授权专利1.2万件: a count over the year; 全年新开工项目486个 counts new things, an addition."""
    at = before.rfind("全年")
    return at >= 0 and "新" not in before[at:]


def _nearest_verb(before: str) -> str | None:
    found = list(VERB_BEFORE.finditer(before))
    return found[-1].group(1) if found else None


def _counted_noun_follows(clause: str, m: Mention) -> bool:
    after = clause[m.end : m.end + 2]
    return bool(after) and "\u4e00" <= after[0] <= "\u9fff" and not after.startswith(THRESHOLD_AFTER)


def _metric(clause: str, before: str, m: Mention, kind_type: str) -> str:
    after = clause[m.end : m.end + LOOKBACK]
    share = SHARE_OF.search(before)
    if m.unit in ("%", "‰") and after.startswith("的") and share:
        # 不低于常住人口1‰的专兼职平安巡防队伍 → 专兼职平安巡防队伍占常住人口比例
        return f"{after[1:].strip('“”')}占{share.group('base')}比例"
    if kind_type == "annual_growth":
        joined = ONE_YEAR_TAIL_KEEP_EACH.sub("", before)
        if joined.endswith("均") and LIST_SEP.search(joined):
            return LEADING_NOISE.sub("", joined)  # A、B均增长10%: one record each (see _shared_subjects)
    noun = re.match(r"[\u4e00-\u9fffA-Za-z0-9“”()]{2,20}?(?=[、,;和及与]|建设|实现|落地|$)", after)
    if (m.counted or _counted_noun_follows(clause, m)) and noun and not before.rstrip().endswith(tuple(LEVEL_VERBS)):
        return noun.group(0).strip("“”")
    head = LIST_SEP.split(before)[-1] if "、" in before and not _verb_in(before) else before
    head = LEADING_NOISE.sub("", head)
    for word in HEAD_VERBS:
        if head.endswith(word):
            head = head[: -len(word)]
            break
    # 一般公共预算收入完成126亿元, 城镇新增就业累计完成9.6万人: the verb is no part of the name.
    head = re.sub(r"(超过|突破|不低于|不超过|约|近|达|分别|累计|完成|力争|预计|确保|争取)+$", "", head).strip("“”,")
    head = BASE_YEAR_TAIL.sub("", head) or head  # 人均收入在2020年基础上翻一番: the base year is no part of the name
    head = DUE_YEAR_TAIL.sub("", head) or head  # 数字化率2028年达到60%: nor the year it is due
    head = FOOTNOTE_MARK.sub("", head) or head  # 地区生产总值[1]: the communiqué's note marker
    return head or before.strip() or clause[:LOOKBACK]


CITED_TITLE = compiled(r"《[^《》]*》")
SINCE_YEAR = (*SINCE, "的", "基础")  # and 2020年的, 2020年基础上: what it is measured from
CHANGE_IN = compiled(r"比上年|比年初|同比|较上年|提高|增加|减少|下降|增长")
EVERY_YEAR = compiled(r"每年|年年")
GOAL_YEAR = compiled(r"(20\d{2})年(?:底|末)?$")
DUE_WORD = compiled(r"到|至|力争|确保|预计|计划|目标")
DUE_YEAR_TAIL = compiled(r"(?<=[\u4e00-\u9fff])20\d{2}年$")  # after a name, not a range's end (2021—2023年)
RAISED_BY = compiled(r"(?:再|每年|年均)?(?:提高|增加|上调|提升)$")
COMPARED_WITH = compiled(r"(?:较|比|与|同)[“\"]?$")
# A year between an indicator and its verb (数字化率2028年达到60%) is when the figure is due.
YEAR_BEFORE_VERB = compiled(r"(?<!\d)(?P<year>20\d{2})年(?=达到|达|突破|超过|提高到|提升到|增至|降至|降到|控制在|保持在|稳定在)")
FOOTNOTE_MARK = compiled(r"\[\d{1,2}\]|[\u2460-\u2473]")
BASE_YEAR_TAIL = compiled(r"(?:在|比|较|与)\d{4}年(?:末|底)?(?:的)?(?:基础上|相比)?再?$")
HEAD_VERBS = tuple(sorted(LEVEL_VERBS + GROWTH_WORDS, key=len, reverse=True))
SHARE_OF = compiled(r"(?:不低于|不少于|不超过|不高于|至少)(?P<base>[\u4e00-\u9fff]{1,8})$")


def _verb_in(text: str) -> bool:
    return bool(VERB_BEFORE.search(text))


# Measures one 分别 list may write once at its end: rates and shares (安全利用率, 覆盖率, 比重), longest first.
SHARED_TAILS = ("累计降幅", "降幅", "增速", *(w for w in MEASURE_WORDS if w.endswith(("率", "比重", "比例", "占比"))))
OWN_MEASURE = ("率", "度", "比", "比重", "比例", "增速", "增幅", "降幅", "占比", "指数")


def _respective_metrics(clause: str, count: int) -> list[str] | None:
    head = clause.split("分别")[0]
    head = LEADING_NOISE.sub("", head)
    items = [x for x in re.split(r"[、和]", head) if x]
    if len(items) == 1 and count == 2 and items[0].startswith(tuple(PAIRED_SUBJECTS)):
        # 城乡居民人均可支配收入分别达到5.6万元、2.6万元: the urban and the rural figure
        pair = PAIRED_SUBJECTS[items[0][:2]]
        items = [word + items[0][2:] for word in pair]
    if len(items) != count:
        return None
    # 水耗、能耗累计降幅: the shared tail (累计降幅) belongs to every item.
    last = items[-1]
    tail = ""
    for word in SHARED_TAILS:
        if last.endswith(word) and len(last) > len(word):
            tail = word
            break
    # An item with a measure of its own (建成区绿地率、绿化覆盖率) keeps it.
    return [item if item.endswith(tail) or item.endswith(OWN_MEASURE) else item + tail for item in items]

