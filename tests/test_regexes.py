"""planwatch.regexes: patterns built from stored programs behave as re.compile's."""

import marshal
import re
import zlib

import pytest

from planwatch.regexes import STAMP, ProgramCache, load

PATTERNS = [
    (r"(?P<num>\d+(?:\.\d+)?)(?P<unit>万亩|亿元|%)", 0),
    (r"[\u4e00-\u9fff“”]{2,12}?(?:提高到|达到)", 0),
    (r"(?<=[\u4e00-\u9fff])[ \t]+(?=[\u4e00-\u9fff])", 0),
    (r"^第[一二三四五六七八九十百]+章\s*(?P<title>.+)$", re.M),
    (r"abc|ABC", re.I),
]
TEXT = "到2025年，森林覆盖率提高到32.1%，新增造林面积12.5万亩。\n第三章 总 体 要 求\nAbC"


def _same(a: re.Pattern, b: re.Pattern) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    assert [m.groupdict() or m.group() for m in a.finditer(TEXT)] == [m.groupdict() or m.group() for m in b.finditer(TEXT)]


@pytest.mark.parametrize("source,flags", PATTERNS)
def test_a_pattern_from_a_stored_program_matches_as_re_compile_does(tmp_path, source, flags):
    path = tmp_path / "programs.marshal"
    first = ProgramCache(path)
    _same(first.compiled(source, flags), re.compile(source, flags))
    first.save()
    assert (source, int(flags)) in load(path)

    again = ProgramCache(path)
    assert (source, int(flags)) in again.programs()
    _same(again.compiled(source, flags), re.compile(source, flags))
    again.save()  # nothing new: the file is left as it was
    assert load(path).keys() == {(source, int(flags))}


def _write(path, stamp, programs, checksum=None):
    blob = marshal.dumps(programs)
    path.write_bytes(marshal.dumps((stamp, zlib.crc32(blob) if checksum is None else checksum, blob)))


def test_a_damaged_or_foreign_file_is_no_cache(tmp_path):
    path = tmp_path / "programs.marshal"
    path.write_bytes(b"\x00not marshal")
    assert load(path) == {}
    _write(path, ("another python",), {("x", 0): (0, [], 0, {}, ())})
    assert load(path) == {}
    # A program _sre refuses (here: empty code) is compiled afresh, not trusted.
    _write(path, STAMP, {("森林", 0): (32, [1, 2, 3], 0, {}, ())})
    cache = ProgramCache(path)
    assert cache.compiled("森林").search("提高森林覆盖率").group() == "森林"


def test_a_program_changed_on_disk_is_not_run(tmp_path):
    # One changed word of a program can pass _sre's check and crash the interpreter: the
    # checksum keeps such a file out.
    path = tmp_path / "programs.marshal"
    source = PATTERNS[0][0]
    first = ProgramCache(path)
    first.compiled(source)
    first.save()
    stamp, checksum, blob = marshal.loads(path.read_bytes())
    programs = marshal.loads(blob)
    flags, code, groups, groupindex, indexgroup = programs[(source, 0)]
    code = [*code[:28], 0, *code[29:]]
    programs[(source, 0)] = (flags, code, groups, groupindex, indexgroup)
    _write(path, stamp, programs, checksum=checksum)
    assert load(path) == {}
    assert ProgramCache(path).compiled(source).search("提高到32.1%").group("num") == "32.1"


def test_a_bad_pattern_is_re_error_as_before(tmp_path):
    with pytest.raises(re.error):
        ProgramCache(tmp_path / "p.marshal").compiled("(unclosed")


def test_an_unwritable_place_leaves_every_run_compiling(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    cache = ProgramCache(blocked / "programs.marshal")
    assert cache.compiled(r"\d+万亩").search("12万亩")
    cache.save()  # no exception, nothing written
    assert blocked.read_text() == "not a directory"
