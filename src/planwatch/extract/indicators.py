"""The same indicator across plans: a target's metric as a canonical indicator name.

    indicator("全区森林覆盖率") → Indicator(name="森林覆盖率", direction="up", how="synonym")
    indicator("GDP增速", "annual_growth") → Indicator(name="地区生产总值增速", …)

Plans name one indicator many ways (地区生产总值年均增速 / GDP增速 / 经济增速). A curated
table shipped as data (``indicators.csv``: canonical name, desired direction, synonyms) maps
the usual names; a name not in it is matched by character-bigram similarity to the table, and
one that resembles nothing is its own indicator under its normalised name. Normalising drops
what says where or how a figure is counted rather than what it measures: a region prefix
(全市, 全区), a bracketed remark (（比2015年）), a leading 新增/累计, and growth wording
(年均增长, 增长率 → 增速).
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from ..regexes import compiled

# Words before a metric that scope it to the plan's own region.
REGION_PREFIX = compiled(r"^(?:全省|全市|全区|全县|全州|全旗|本省|本市|本区|本县|全省域|全市域|全区域|区域|地方)")
# A bracketed remark: （比2015年）, (“十三五”期间累计), (PM2.5) is kept apart below.
REMARK = compiled(r"[（(][^（）()]*[)）]")
LEADING_VERB = compiled(r"^(?:新增|新建|建成|累计|完成|实现|累计完成|累计新增)(?=[\u4e00-\u9fffA-Za-z0-9]{2})")
GROWTH = compiled(r"(?:年均增长率|年均增速|年均增长|年增长率|年增速|增长率|增长速度|增长|增幅)$")
DECLINE = compiled(r"(?:累计降幅|累计下降|降幅|下降率|下降|降低率|降低)$")
GROWTH_TYPES = ("annual_growth",)
# A name not in the table joins a known indicator only when it is that name with a character
# or two inserted inside (的, 数, 常住) and begins and ends the same way: a changed or added
# qualifier (城镇居民… for 居民…, 乡镇… for 城市…, 进出口 for 出口) names another indicator,
# and plain bigram similarity merged those.
SIMILAR = 0.8
SAME_EDGE = 2
MAX_INSERTED = 2
# Words that make lower figures better when the table does not know the indicator.
LOWER_BETTER = ("失业率", "浓度", "能耗", "排放", "事故", "死亡", "用水量", "用地规模", "贫困", "发生率", "亡人")


@dataclass(frozen=True)
class Indicator:
    name: str
    direction: str  # up / down: which way is better
    how: str  # synonym / similar / own


@dataclass(frozen=True)
class _Entry:
    name: str
    direction: str


def normalise(metric: str, type_: str | None = None) -> str:
    text = unicodedata.normalize("NFKC", metric).replace(" ", "")
    keep_pm = "PM2.5" in text.upper()
    text = REMARK.sub("", text).strip("的")
    if keep_pm and "PM2.5" not in text.upper():
        text = text.replace("细颗粒物", "PM2.5") if "细颗粒物" in text else "PM2.5" + text
    text = REGION_PREFIX.sub("", text)
    text = LEADING_VERB.sub("", text)
    grew, fell = GROWTH.search(text), DECLINE.search(text)
    if fell:
        text = text[:fell.start()] + "降低"
    elif grew:
        text = text[:grew.start()] + "增速"
    elif type_ in GROWTH_TYPES and not text.endswith("增速"):
        text += "增速"
    return text.replace("的", "") or metric


@cache
def _table() -> tuple[dict[str, _Entry], tuple[tuple[str, frozenset[str], _Entry], ...]]:
    names: dict[str, _Entry] = {}
    with resources.files(__package__).joinpath("indicators.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            entry = _Entry(row["canonical"], row["direction"])
            for name in [row["canonical"], *filter(None, row["synonyms"].split("|"))]:
                names[normalise(name)] = entry
    grams = tuple((name, _bigrams(name), entry) for name, entry in names.items())
    return names, grams


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset({text})


def _inserted_inside(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    if len(long) - len(short) > MAX_INSERTED or short[:SAME_EDGE] != long[:SAME_EDGE] or short[-SAME_EDGE:] != long[-SAME_EDGE:]:
        return False
    chars = iter(long)
    return all(c in chars for c in short)  # short is a subsequence of long


def _direction(name: str) -> str:
    if name.endswith("降低"):  # a reduction is the target: more is better
        return "up"
    return "down" if any(w in name for w in LOWER_BETTER) else "up"


@lru_cache(maxsize=65536)
def indicator(metric: str, type_: str | None = None) -> Indicator:
    """The canonical indicator a target's metric measures (cached: plans repeat their names)."""
    name = normalise(metric, type_)
    names, grams = _table()
    if name in names:
        entry = names[name]
        return Indicator(entry.name, entry.direction, "synonym")
    mine = _bigrams(name)
    best, score = None, 0.0
    for known, theirs, entry in grams:
        if not _inserted_inside(known, name):
            continue
        dice = 2 * len(mine & theirs) / (len(mine) + len(theirs))
        if dice > score:
            best, score = entry, dice
    if best is not None and score >= SIMILAR:
        return Indicator(best.name, best.direction, "similar")
    return Indicator(name, _direction(name), "own")
