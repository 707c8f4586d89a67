"""Properties over generated input (hypothesis): Chinese numerals of any size read back, and no
text, however odd, makes a reader or the extraction raise anything but planwatch's own error."""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is in the test extra: ./scripts/setup installs it")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from planwatch.errors import PlanwatchError  # noqa: E402
from planwatch.extract.numbers import cn_value, find_mentions  # noqa: E402
from planwatch.ingest import read_document  # noqa: E402
from planwatch.model import Document  # noqa: E402
from planwatch.outline.patterns import cn_to_int, int_to_cn  # noqa: E402
from planwatch.pipeline import process_document  # noqa: E402

# Plan-like text: headings, numbers, units and punctuation mixed with anything else.
PIECES = st.sampled_from(["第一章 ", "第一百零二章 ", "一、", "（三）", "1.", "到2025年", "达到", "增长", "超过", "不低于",
                          "45%", "三千五百亿元", "突破百万", "超百家", "两千亿元", "千亿级", "。", "；", "\n", "|", "——",
                          "约束性", "万人", "个", "亿", "万", "零", "十", "百"])
PLANLIKE = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=120).map("".join)
# Derandomized and with no example database: the same examples on every run and machine, so a
# failure is reproducible and CI does not depend on luck (new examples come with new seeds of code).
QUICK = settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(st.integers(min_value=0, max_value=10**24))
def test_chinese_numerals_of_any_size_round_trip(number):
    assert cn_to_int(int_to_cn(number)) == number


@QUICK
@given(st.integers(min_value=1, max_value=99_999_999))
def test_numeral_values_read_as_numbers(number):
    assert cn_value(int_to_cn(number)) == number


@QUICK
@given(PLANLIKE)
def test_mentions_lie_inside_their_clause(clause):
    for m in find_mentions(clause):
        assert 0 <= m.start <= m.num_start < m.end <= len(clause)


@QUICK
@given(PLANLIKE)
def test_extraction_of_any_text_gives_items_with_spans_into_it(text):
    extraction = process_document(Document(path="gen.txt", original=text, text=text))
    for item in (*extraction.targets, *extraction.tasks):
        assert 0 <= item.span.start <= item.span.end <= len(text)


@settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4_000), suffix=st.sampled_from([".txt", ".md", ".html", ".docx", ".pdf"]))
def test_any_bytes_are_read_or_refused_with_our_error(tmp_path, data, suffix):
    path = tmp_path / f"in{suffix}"
    path.write_bytes(data)
    try:
        read_document(path)
    except PlanwatchError as exc:
        assert str(path) in str(exc)
