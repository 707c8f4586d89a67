"""Plan metadata found in the text: title, issuers, dates, document number, period, genre, year.

``"2025年某省政府工作报告"`` → ``Metadata(title=…, genre="work_report", year=2025)``.
"""

from __future__ import annotations

import re
from datetime import date

from ..model import Metadata
from ..regexes import compiled

CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# Words that make a heading line a document title: plans, and the documents that report on them.
PLAN_WORDS = ("规划", "纲要", "方案", "计划", "意见", "行动", "公报", "工作报告", "评估报告")
QUOTED_TITLE = compiled(r"(?:印发|发布|公布|^|\n)\s*《([^《》\n]{4,80}?(?:规划|纲要|方案|计划|意见)[^《》\n]{0,20}?)》")
DOC_NUMBER = compiled(r"[\u4e00-\u9fff]{1,8}[〔\[［(（]\d{4}[〕\]］)）]\d+号")
FIELD = compiled(r"\[?(制定机关|发布机构|发文机关|成文日期|发布日期|发布时间|实施日期|发文字号)\]?\s*[:：]?\s*([^\n]*)")
DATE = compiled(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
PERIOD = compiled(r"(20\d{2})\s*[-—–~至到]\s*(20\d{2})\s*年")
FIVE_YEAR = {"十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030), "十二五": (2011, 2015)}
NTH_FIVE_YEAR = compiled(r"第(十[二三四五六])个五年规划")
VISION = compiled(r"([二〇零一三四五六七八九]{4}|20\d{2})年远景目标|展望(?:到|至)?([二〇零一三四五六七八九]{4}|20\d{2})年")
# Genres, tried in this order on the title: a title holds several genre words
# (…纲要实施中期评估报告, …五年规划的建议, 关于印发…规划的通知), and the most specific one wins.
GENRES = (
    ("midterm_evaluation", "中期评估报告", compiled(r"中期评估|评估报告")),
    ("work_report", "政府工作报告", compiled(r"政府工作报告")),
    ("communique", "统计公报", compiled(r"统计公报")),
    ("proposal", "建议", compiled(r"规划的?建议|建议$")),
    ("implementation_plan", "实施方案", compiled(r"方案|实施意见|若干措施|行动计划|工作计划|意见$")),
    ("development_plan", "规划纲要", compiled(r"纲要|国民经济和社会发展.{0,16}规划")),
    ("special_plan", "专项规划", compiled(r"规划")),
)
GENRE_LABELS = {key: label for key, label, _ in GENRES}
# Without a title, the body says what it is: a report to a congress opens with 各位代表 and
# reviews the year; a communiqué reports 全年 figures; a plan lays out 主要目标 and 保障措施.
GENRE_STRUCTURE = (
    ("work_report", (compiled(r"各位代表"), compiled(r"工作回顾|过去一年|过去的一年|过去五年"))),
    ("communique", (compiled(r"统计公报|初步核算,?全年"),)),
    ("implementation_plan", (compiled(r"(?:^|\n)\s*[一二三四五六七八九十]+、\s*(?:总体要求|指导思想)"), compiled(r"(?:^|\n)\s*[一二三四五六七八九十]+、\s*(?:保障措施|组织实施|组织保障)"))),
)
TITLE_YEAR = compiled(r"(?:((?:19|20)\d{2})\s*|([二〇零一三四五六七八九]{4}))年(?!远景)")
# A cover page's first title line, set over two lines in a large font (青川市2025年 / 国民经济和社会
#发展统计公报): short, unpunctuated, naming the region, the year or the plan period, and no
# document word of its own.
TITLE_PIECE = compiled(r"^(?=[^,，。;；:：>《》()（）]{2,25}$)(?!\d{4}\s*年\s*\d{1,2}\s*月)(?![\d.\-/\s]+$)(?!.*(?:规划|纲要|方案|计划|公报|报告|人民政府|委员会|办公厅|办公室)$)"
                         r".*(?:[省市区县州盟旗]|20\d{2}年|国民经济|十[一二三四五六]五)")
ISSUER = compiled(r"(?:^|\n)\s*((?:中共)?[\u4e00-\u9fff]{2,12}(?:人民政府|委员会|办公厅|人民代表大会)(?:办公厅|办公室)?)\s*(?:\n|$)")


def find_metadata(text: str, front_matter: dict | None = None) -> Metadata:
    head = text[:6000]
    fields = {name: value.strip() for name, value in FIELD.findall(head)}
    title = _title(head, front_matter or {})
    issuers = tuple(dict.fromkeys(_issuers(head, fields)))
    doc_number = fields.get("发文字号") if fields.get("发文字号") and re.search(r"\d", fields["发文字号"]) else None
    if doc_number is None:
        found = DOC_NUMBER.search(head)
        doc_number = found.group(0) if found else None
    written = _date(fields.get("成文日期"))
    published = _date(fields.get("发布日期") or fields.get("发布时间")) or _date(str((front_matter or {}).get("date", "")))
    genre = find_genre(title, text)
    return Metadata(
        title=title,
        issuers=issuers,
        doc_number=doc_number,
        written=written,
        published=published,
        effective=_date(fields.get("实施日期")),
        period=_period(title or "", head),
        vision_year=_vision(head),
        genre=genre,
        year=_own_year(title or "", head, genre, written or published),
    )


def find_genre(title: str | None, text: str) -> str | None:
    """``"关于制定某市国民经济和社会发展第十五个五年规划的建议"`` → ``"proposal"``; None when unknown."""
    for key, _, pattern in GENRES:
        if title and pattern.search(title):
            return key
    for key, markers in GENRE_STRUCTURE:
        if _in_order(text, markers):
            return key
    return None


def _in_order(text: str, markers) -> bool:
    at = 0
    for marker in markers:
        found = marker.search(text, at)
        if found is None:
            return False
        at = found.end()
    return True


def _own_year(title: str, head: str, genre: str | None, dated: date | None) -> int | None:
    """The year the document speaks for: the single year its title names (2025年某省政府工作报告,
    某市2024年统计公报); else its own date (a work report's 2025年1月13日在…会议上), where a
    communiqué, published in the spring, reports on the year before."""
    if not PERIOD.search(title):
        years = {_year_number(m) for m in TITLE_YEAR.finditer(title)} - {None}
        if len(years) == 1:
            return years.pop()
    if dated is None:
        found = DATE.search(head[:400].translate(CN_DIGITS))
        dated = _date(found.group(0)) if found else None
    if dated is None:
        return None
    return dated.year - 1 if genre == "communique" else dated.year


def _year_number(m: re.Match) -> int | None:
    text = (m.group(1) or m.group(2)).translate(CN_DIGITS)
    return int(text) if text.isdigit() and 1900 <= int(text) <= 2200 else None  # 〇〇〇〇年 is a blank, not a year


def _title(head: str, front_matter: dict) -> str | None:
    previous = ""
    for line in head.splitlines()[:40]:
        line = line.strip()
        if not line:
            continue
        plan_like = 4 <= len(line) <= 60 and any(w in line for w in PLAN_WORDS) and not re.search(r"[,，。;；>]", line)
        piece = TITLE_PIECE.match(previous) is not None
        if plan_like and (piece or len(line) >= 6) and (not re.match(r"^(第|[一二三四五六七八九十]+、|\(|\[)", line)
                                                      or (piece and NTH_FIVE_YEAR.match(line))):
            quoted = re.search(r"《([^《》]+)》", line)
            return quoted.group(1) if quoted else (previous + line if piece else line)
        previous = line
    found = QUOTED_TITLE.search(head)
    if found:
        return found.group(1)
    title = front_matter.get("title")
    return str(title) if title else None


def _issuers(head: str, fields: dict) -> list[str]:
    out = [fields["制定机关"]] if fields.get("制定机关") else []
    out += [m.strip() for m in ISSUER.findall(head)]
    return out


def _date(value: str | None) -> date | None:
    if not value:
        return None
    found = DATE.search(value.translate(CN_DIGITS))
    if not found:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def _period(title: str, head: str) -> tuple[int, int] | None:
    for source in (title, head):
        found = PERIOD.search(source)
        if found and int(found.group(1)) < int(found.group(2)) <= int(found.group(1)) + 15:
            return int(found.group(1)), int(found.group(2))
        nth = NTH_FIVE_YEAR.search(source)
        if nth:
            return FIVE_YEAR[_nth_key(nth.group(1))]
        for key, span in FIVE_YEAR.items():
            if f"“{key}”" in source or f"{key}规划" in source:
                return span
    return None


def _nth_key(nth: str) -> str:
    return {"十二": "十二五", "十三": "十三五", "十四": "十四五", "十五": "十五五"}.get(nth, "十四五")


def _vision(head: str) -> int | None:
    found = VISION.search(head)
    if not found:
        return None
    year = (found.group(1) or found.group(2)).translate(CN_DIGITS)
    return int(year) if year.isdigit() else None
