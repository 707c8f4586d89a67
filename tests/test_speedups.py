"""The fast paths that keep `planwatch extract` quick give the answers of the slow ones: small
Chinese numerals without cn2an, shared measures without jieba, the text check in one regex."""

from __future__ import annotations

import random

import pytest

from planwatch.extract.numbers import _small_cn, cn_value
from planwatch.extract.targets import _shared_subjects
from planwatch.ingest.decode import text_share
from planwatch.pipeline import process


@pytest.mark.parametrize(("text", "value"), [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("两千", 2000), ("三百五十", 350),
                                             ("九十九", 99), ("五千三百二十一", 5321), ("千", 1000)])
def test_small_numerals(text, value):
    assert _small_cn(text) == value == cn_value(text)


@pytest.mark.parametrize("text", ["一百零五", "三千五百万", "二三", "十百", ""])
def test_other_numerals_go_to_cn2an(text):
    assert _small_cn(text) is None


def test_cn2an_still_reads_what_the_fast_path_leaves():
    assert cn_value("一百零五") == 105 and cn_value("三千五百万") == 35_000_000 and cn_value("二三") == 23


@pytest.mark.parametrize(("metric", "subjects"), [
    ("城镇和农村生活污水处理率均", ["城镇生活污水处理率", "农村生活污水处理率"]),
    ("受污染耕地和建设用地安全利用率均", ["受污染耕地安全利用率", "建设用地安全利用率"]),
    ("接待游客人次、旅游总收入均", ["接待游客人次", "旅游总收入"]),  # each names its own measure
    ("居民人均可支配收入年均", ["居民人均可支配收入年均"]),  # 年均 is a word, not "each"
    ("主要农产品抽检合格率均", ["主要农产品抽检合格率"]),
])
def test_shared_measures_without_jieba(metric, subjects):
    assert _shared_subjects(metric) == subjects


def _old_is_texty(ch: str) -> bool:  # the per-character test the regex replaced
    o = ord(ch)
    return ((0x20 <= o < 0x7F) or ch in "\n\r\t" or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF
            or 0x2000 <= o <= 0x206F or 0x3400 <= o <= 0x4DBF or o in (0xA0, 0xB7, 0xD7, 0x2103, 0x2030)
            or 0x2460 <= o <= 0x24FF or 0x2160 <= o <= 0x217F)


def test_text_share_counts_as_the_character_test_did():
    rng = random.Random(5)
    for _ in range(300):
        sample = "".join(chr(rng.choice((rng.randint(0, 0x2FFFF), rng.randint(0x4E00, 0x9FFF), rng.randint(0, 0x7F))))
                         for _ in range(rng.randint(1, 80)))
        assert text_share(sample) == pytest.approx(sum(map(_old_is_texty, sample)) / len(sample))
    assert text_share("") == 0.0


def test_width_is_unified_as_translate_did():
    from planwatch.ingest.normalize import _WIDTH, unify_width

    rng = random.Random(7)
    wide = [chr(c) for c in _WIDTH]
    for _ in range(200):
        text = "".join(rng.choice((rng.choice(wide), chr(rng.randint(0x4E00, 0x9FFF)), chr(rng.randint(0x20, 0x7E))))
                       for _ in range(rng.randint(0, 60)))
        assert unify_width(text) == text.translate(_WIDTH)


def test_units_and_bodies_are_found_as_before_the_prefilters():
    from planwatch.extract.tasks import find_units

    assert find_units("完善排水设施,区水务局牵头,区城管委、各街道配合。") == (["区水务局"], ["区城管委", "各街道"])
    assert find_units("区政府统筹推进,加快建设") == (["区政府"], [])
    assert find_units("鼓励社会资本参与建设") == ([], [])


def test_a_quote_repeated_in_a_task_keeps_each_mention_s_own_span(tmp_path):
    text = "临河区建设规划\n一、重点任务\n(一)完善设施\n建成城南水厂,完善配套管网;年内建成城南水厂。\n"
    plan = tmp_path / "plan.txt"
    plan.write_text(text, encoding="utf-8")
    projects = [p for p in process(str(plan)).projects if p.name == "城南水厂"]
    assert [text[p.span.start : p.span.end] for p in projects] == ["建成城南水厂", "建成城南水厂"]
    assert projects[0].span.start < projects[1].span.start


def test_the_factored_unit_pattern_matches_what_the_alternation_of_every_unit_did():
    import re

    from planwatch.extract.patterns import UNIT_PATTERN, UNITS

    every = re.compile("(?:" + "|".join(re.escape(u) for u in UNITS) + ")")
    factored = re.compile(UNIT_PATTERN)
    rng = random.Random(3)
    letters = sorted(set("".join(UNITS))) + ["的", "年", "以", "上"]
    samples = [*UNITS, *(u + rng.choice(letters) for u in UNITS)]
    samples += ["".join(rng.choice(letters) for _ in range(rng.randint(1, 6))) for _ in range(20_000)]
    for s in samples:
        a, b = every.match(s), factored.match(s)
        assert (a and a.group()) == (b and b.group()), s
