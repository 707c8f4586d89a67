"""Which region a plan belongs to (省 / 市 / 区县), read from its title, issuer and text.

    "青川市临河区国民经济和社会发展第十四个五年规划…" → Region(province=None, city="青川市", county="临河区")

Two counties publish plans under the same generic title (《国民经济和社会发展第十四个五年
规划和二〇三五年远景目标纲要》); the region is what keeps them two plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document
from ..regexes import compiled

_NAME = r"[\u4e00-\u9fff]"
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")  # 直辖市: a city at the province's level
PROVINCE = compiled(rf"({_NAME}{{2,6}}?(?:省|自治区|特别行政区)|(?:{'|'.join(MUNICIPALITIES)})市)")
CITY = compiled(rf"({_NAME}{{2,4}}?(?:市|自治州|地区|盟))")
COUNTY = compiled(rf"({_NAME}{{1,4}}?(?:新区|自治县|自治旗|区|县|旗))")
# Words ending like a place that are not one (城区 in 城区绿化覆盖率, 社区, 园区 …): data, extend here.
NOT_PLACES = ("城区", "社区", "园区", "小区", "景区", "片区", "辖区", "郊区", "市区", "街区", "矿区", "山区", "灾区",
              "示范区", "开发区", "保护区", "功能区", "集聚区", "先行区", "试验区", "核心区", "城市", "都市", "超市", "全市",
              "本市", "全区", "本区", "全县", "本县", "各区", "各县")
# How far into the text a region named in the head is believed (the title block and first paragraph).
HEAD = 600


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None

    @property
    def name(self) -> str:
        parts = [p for p in (self.province, self.city, self.county) if p]
        return "".join(p for i, p in enumerate(parts) if p not in parts[:i])  # 北京市 once, though province and city

    @property
    def level(self) -> str | None:
        if self.county:
            return "区县"
        if self.city:
            return "省" if self.city.removesuffix("市") in MUNICIPALITIES else "市"
        return "省" if self.province else None

    def fill(self, other: Region) -> Region:
        """Missing higher levels taken from ``other`` when it agrees with what is known."""
        if other.county and self.county and other.county != self.county:
            return self
        if other.city and self.city and other.city != self.city:
            return self
        return Region(self.province or other.province, self.city or other.city, self.county or other.county)


def _place(pattern: re.Pattern, text: str) -> str | None:
    found = pattern.match(text)
    if found and not any(found.group(1).endswith(w) for w in NOT_PLACES):
        return found.group(1)
    return None


def region_in(text: str) -> Region:
    """The region a name starts with: "江北省青川市临河区人民政府" → Region("江北省", "青川市", "临河区")."""
    text = text.strip().lstrip("《“\"").removeprefix("中共")  # 中共北京市委办公厅: the party committee of 北京市
    province = _place(PROVINCE, text)
    if province:
        text = text[len(province):]
        if province.endswith("市"):  # 上海市浦东新区: the municipality is the city too
            county = _place(COUNTY, text)
            return Region(province, province, county)
    city = _place(CITY, text)
    if city:
        text = text[len(city):]
    county = _place(COUNTY, text)
    return Region(province, city, county)


def _mentions(head: str) -> Region:
    """The first place in the head of the text written as 市+区县 (青川市临河区), the most telling form."""
    for found in re.finditer(rf"{_NAME}{{2,4}}?(?:市|自治州){_NAME}{{1,4}}?(?:新区|区|县|旗)", head):
        region = region_in(head[found.start():])
        if region.city and region.county:
            return region
    return Region()


def find_region(title: str | None, issuers: tuple[str, ...] = (), text: str = "") -> Region:
    """From the title, then the issuer, then the head of the text, most specific first."""
    region = region_in(title or "")
    for issuer in issuers:
        region = region.fill(region_in(issuer)) if region.name else region_in(issuer)
    head = _mentions(text[:HEAD])
    return region.fill(head) if region.name else head


def document_region(doc: Document) -> Region:
    return find_region(doc.metadata.title, doc.metadata.issuers, doc.text)
