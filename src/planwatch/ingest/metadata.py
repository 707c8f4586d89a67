"""Plan metadata found in the text: title, issuers, dates, document number, period."""

from __future__ import annotations

import re
from datetime import date

from ..model import Metadata

CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# Words that make a heading line a document title: plans, and the documents that report on them.
PLAN_WORDS = ("规划", "纲要", "方案", "计划", "意见", "行动", "公报", "工作报告", "评估报告")
QUOTED_TITLE = re.compile(r"(?:印发|发布|公布|^|\n)\s*《([^《》\n]{4,80}?(?:规划|纲要|方案|计划|意见)[^《》\n]{0,20}?)》")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［(（]\d{4}[〕\]］)）]\d+号")
FIELD = re.compile(r"\[?(制定机关|发布机构|发文机关|成文日期|发布日期|发布时间|实施日期|发文字号)\]?\s*[:：]?\s*([^\n]*)")
DATE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
PERIOD = re.compile(r"(20\d{2})\s*[-—–~至到]\s*(20\d{2})\s*年")
FIVE_YEAR = {"十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030), "十二五": (2011, 2015)}
NTH_FIVE_YEAR = re.compile(r"第(十[二三四五六])个五年规划")
VISION = re.compile(r"([二〇零一三四五六七八九]{4}|20\d{2})年远景目标")
ISSUER = re.compile(r"(?:^|\n)\s*((?:中共)?[\u4e00-\u9fff]{2,12}(?:人民政府|委员会|办公厅|人民代表大会)(?:办公厅|办公室)?)\s*(?:\n|$)")


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
    return Metadata(
        title=title,
        issuers=issuers,
        doc_number=doc_number,
        written=written,
        published=published,
        effective=_date(fields.get("实施日期")),
        period=_period(title or "", head),
        vision_year=_vision(head),
    )


def _title(head: str, front_matter: dict) -> str | None:
    for line in head.splitlines()[:40]:
        line = line.strip()
        plan_like = 6 <= len(line) <= 60 and any(w in line for w in PLAN_WORDS) and not re.search(r"[,，。;；>]", line)
        if plan_like and not re.match(r"^(第|[一二三四五六七八九十]+、|\(|\[)", line):
            quoted = re.search(r"《([^《》]+)》", line)
            return quoted.group(1) if quoted else line
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
    year = found.group(1).translate(CN_DIGITS)
    return int(year) if year.isdigit() else None
