"""Years and kinds from context: what the genre, the headings and the lead-ins say about a line.

A figure's year is written in its own clause less often than not. The reader of a plan dates
it from around it: the document's genre and own year (a 2025 work report reviews 2024 and sets
targets for 2025), the heading it stands under (二、2025年目标任务, “十三五”时期发展成就,
“十四五”时期重点工作), and a lead-in before it (到2025年，…: / 到2025年，A达到X。B达到Y。).
``Scope`` carries that down the outline; ``extract_targets`` only asks it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import Metadata
from .numbers import year_number
from .patterns import (
    COMING_OPENER,
    FIVE_YEAR_LAST,
    FIVE_YEAR_NAME,
    FORWARD_TITLES,
    HEADING_YEAR,
    LEAD_IN_YEAR,
    REVIEW_OPENER,
    REVIEW_TITLES,
    YEAR_RANGE,
)


@dataclass(frozen=True)
class Scope:
    """The context of the lines under one heading."""

    path: tuple[str, ...] = ()
    year: int | None = None  # dates targets with no year of their own
    review: bool = False  # figures here report what was reached (kind actual)
    review_year: int | None = None  # … in this year
    own_year: int | None = None  # the document's own year, for work reports (今年 = this year)


def document_scope(md: Metadata) -> Scope:
    """The genre's conventions: who reports on which year, what an undated target is due."""
    if md.genre == "communique":
        return Scope(review=True, review_year=md.year)
    if md.genre == "work_report" and md.year:
        return Scope(year=md.year, review_year=md.year - 1, own_year=md.year)
    if md.genre == "midterm_evaluation":  # it reports progress so far, except where it looks ahead
        return Scope(review=True, review_year=(md.year - 1) if md.year else (md.period[0] + 1 if md.period else None))
    return Scope(review_year=(md.period[0] - 1) if md.period else None)


def heading_scope(scope: Scope, title: str, lead_in: str, md: Metadata) -> Scope:
    """The scope of a heading's section: ``"一、2024年工作回顾"`` → review of 2024;
    ``"“十四五”时期重点工作"`` → targets due 2025; a lead-in paragraph 到2025年… → 2025."""
    path = (*scope.path, title) if title else scope.path
    named = heading_year(title)
    review = (scope.review and not FORWARD_TITLES.search(title)) or bool(REVIEW_TITLES.search(title))
    if named is not None and not review and _before_document(named, md) and FIVE_YEAR_NAME.search(title):
        review = True  # a past plan period named on its own (“十三五”时期主要指标完成情况)
    if review:
        return replace(scope, path=path, review=True, review_year=named or scope.review_year)
    year = lead_in_year(lead_in) or named or scope.year
    return replace(scope, path=path, year=year)


def heading_year(title: str) -> int | None:
    """The one year a heading names: a year, the end of a range, or the end of a plan period."""
    found = YEAR_RANGE.search(title)
    if found:
        return year_number(found.group(2))
    period = FIVE_YEAR_NAME.search(title)
    if period:
        return FIVE_YEAR_LAST[period.group(1)]
    years = {year_number(y) for y in HEADING_YEAR.findall(title)}
    return years.pop() if len(years) == 1 else None


def paragraph_scope(scope: Scope, text: str) -> Scope:
    """In a work report a paragraph can open the review (过去一年，…) or the coming year (今年…)
    where no heading says so; in a review, a lead-in to a later year (到2025年，确保…) looks ahead."""
    opening = LEAD_IN_YEAR.match(text.lstrip(" —-")) if scope.review else None  # the paragraph opens with it
    ahead = year_number(opening.group(1)) if opening else None
    if ahead and scope.review_year and ahead > scope.review_year:
        return replace(scope, review=False, year=ahead)
    if scope.own_year is None:
        return scope
    if REVIEW_OPENER.match(text):
        return replace(scope, review=True)
    coming = COMING_OPENER.match(text) if scope.review else None
    if coming and (coming.group("year") is None or int(coming.group("year")) == scope.own_year):
        return replace(scope, review=False, year=scope.own_year)
    return scope


def lead_in_year(text: str) -> int | None:
    """``"到2025年，全区实现以下目标："`` → 2025: a horizon stated at the head of a paragraph."""
    found = LEAD_IN_YEAR.search(text)
    return year_number(found.group(1)) if found else None


def governs_following(text: str) -> bool:
    """A lead-in paragraph that introduces a list (到2025年，实现以下目标：) dates the lines after it."""
    return text.rstrip().endswith((":", "："))


def _before_document(year: int, md: Metadata) -> bool:
    start = md.period[0] if md.period else md.year
    return start is not None and year < start

