"""Broken and hostile files, made at test time: each must end in planwatch's own error naming
the file (or in a document), never in another exception, a hang or a flood of output."""

from __future__ import annotations

import contextlib
import io
import zipfile

import pytest

from planwatch.errors import IngestError, LimitExceeded, PlanwatchError, UnsupportedFormat
from planwatch.ingest import Limits, read_document
from planwatch.model import Document
from planwatch.outline import parse_outline
from planwatch.outline.patterns import cn_to_int, int_to_cn
from planwatch.pipeline import process

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def docx_bytes(body: str, numbering: str | None = None, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal .docx whose document.xml holds ``body`` (raw XML inside w:body)."""
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return docx_parts({"word/document.xml": document.encode()}, numbering, method)


def docx_parts(parts: dict[str, bytes], numbering: str | None = None, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        rels = ""
        if numbering is not None:
            rels = ('<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
                    'Target="numbering.xml"/>')
            z.writestr("word/numbering.xml", f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>')
        z.writestr("word/_rels/document.xml.rels",
                   f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def paragraph(text: str, num_id: str | None = None, ilvl: str = "0") -> str:
    num = f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>' if num_id else ""
    return f"<w:p>{num}<w:r><w:t>{text}</w:t></w:r></w:p>"


def numbering(start: str = "1", ilvl: str = "0", fmt: str = "chineseCounting", text: str = "第%1章") -> str:
    return (f'<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl></w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>')


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + f']><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
).encode()


def _truncated_docx() -> bytes:
    data = docx_bytes(paragraph("第一章 总则") * 50)
    return data[: len(data) * 2 // 3]


def _bad_crc_docx() -> bytes:
    data = bytearray(docx_bytes(paragraph("第一章 总则" * 40), method=zipfile.ZIP_STORED))
    at = bytes(data).find("总则".encode())
    data[at] ^= 0xFF
    return bytes(data)


def _bad_deflate_docx() -> bytes:
    data = bytearray(docx_bytes(paragraph("第一章 总则" * 200)))
    at = bytes(data).find(b"word/document.xml") + len("word/document.xml") + 5
    data[at : at + 20] = b"\xff" * 20
    return bytes(data)


DOCX_CASES = {
    "not-a-zip": b"PK\x03\x04 not really a zip",
    "truncated-zip": _truncated_docx(),
    "bad-crc": _bad_crc_docx(),
    "bad-deflate": _bad_deflate_docx(),
    "bzip2-part": docx_bytes(paragraph("一、总体要求"), method=zipfile.ZIP_BZIP2),
    "lzma-part": docx_bytes(paragraph("一、总体要求"), method=zipfile.ZIP_LZMA),
    "no-document": docx_parts({"word/other.xml": b"<x/>"}),
    "truncated-xml": docx_parts({"word/document.xml": f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>第一'.encode()}),
    "not-xml": docx_parts({"word/document.xml": b"\x00\x01 binary"}),
    "billion-laughs": docx_parts({"word/document.xml": BILLION_LAUGHS}),
    "dtd": docx_parts({"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://example.invalid/d.dtd"><d/>'}),
    "deep-xml": docx_bytes("<w:p>" + "<w:r>" * 5000 + "</w:r>" * 5000 + "</w:p>"),
    "no-body": docx_parts({"word/document.xml": f'<w:document xmlns:w="{W_NS}"/>'.encode()}),
    "bad-ilvl": docx_bytes(paragraph("总体要求", "5"), numbering(ilvl="x")),
    "bad-start": docx_bytes(paragraph("总体要求", "5"), numbering(start="abc")),
    "huge-start": docx_bytes(paragraph("总体要求", "5"), numbering(start="99999999999999999999")),
    "bad-paragraph-ilvl": docx_bytes(paragraph("总体要求", "5", ilvl="-3"), numbering()),
    "merge-without-row-above": docx_bytes('<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>'),
}


@pytest.mark.parametrize("case", sorted(DOCX_CASES))
def test_broken_docx_gives_one_planwatch_error_naming_the_file(tmp_path, case):
    path = tmp_path / f"{case}.docx"
    path.write_bytes(DOCX_CASES[case])
    with pytest.raises(IngestError) as info:
        read_document(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message


def test_docx_zip_bomb_stops_at_the_declared_size(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(docx_bytes(paragraph("一" * 1000) * 3000))
    with pytest.raises(LimitExceeded, match="word/document.xml"):
        read_document(path, Limits(max_part_bytes=1_000_000))


def test_docx_counters_of_any_size_are_written_out(tmp_path):
    path = tmp_path / "long.docx"
    path.write_bytes(docx_bytes(paragraph("总体要求", "5") * 3, numbering(start="32766")))
    lines = read_document(path).text.splitlines()
    assert lines[0] == "第三万二千七百六十六章 总体要求"
    assert lines[2] == "第三万二千七百六十八章 总体要求"


def test_docx_vertical_merges_repeat_the_cell_above_in_linear_time(tmp_path):
    rows = '<w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>目标</w:t></w:r></w:p></w:tc></w:tr>'
    rows += '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>经济</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>'
    rows += '<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>' * 3000
    path = tmp_path / "merged.docx"
    path.write_bytes(docx_bytes(paragraph("一、主要指标") + f"<w:tbl>{rows}</w:tbl>"))
    lines = read_document(path).text.splitlines()
    assert lines[1:4] == ["指标 | 目标 |", "经济 | 1 |", "经济 | 2 |"] and len(lines) == 3003


def _pdf(tmp_path, name, **encrypt):
    pytest.importorskip("reportlab")
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / name
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption(**encrypt) if encrypt else None)
    c.drawString(72, 720, "1. General requirements")
    c.drawString(72, 700, "Forest cover reaches 45% by 2025.")
    c.showPage()
    c.save()
    return path


def test_user_password_pdf_is_reported_as_encrypted(tmp_path):
    path = _pdf(tmp_path, "locked.pdf", userPassword="secret", ownerPassword="owner")
    with pytest.raises(UnsupportedFormat, match="encrypted") as info:
        read_document(path)
    assert str(path) in str(info.value)


def test_owner_password_only_pdf_is_read(tmp_path):
    path = _pdf(tmp_path, "owner.pdf", userPassword="", ownerPassword="owner", canPrint=0)
    assert "General requirements" in read_document(path).text


def test_damaged_pdf_prints_nothing(tmp_path, capfd):
    data = _pdf(tmp_path, "ok.pdf").read_bytes()
    path = tmp_path / "damaged.pdf"
    path.write_bytes(data.replace(b"obj", b"ob j", 3))  # pdfminer logs "Could not get FontBBox …" for this one
    with contextlib.suppress(PlanwatchError):
        read_document(path)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize("html", [
    "<html><body>" + "<div>" * 100_000 + "第一章" + "</div>" * 100_000,
    "<html><body>" + "".join(f"<b id=b{i}><p>第{i}条" for i in range(20_000)),
    "<table><tr><td>" * 3000 + "x",
    "<html><body>" + "<span>" * 50_000,
])
def test_deep_or_unfolding_html_is_refused_before_parsing(tmp_path, html):
    path = tmp_path / "deep.html"
    path.write_text(html, encoding="utf-8")
    with pytest.raises(LimitExceeded) as info:
        read_document(path)
    assert str(path) in str(info.value)


def test_nested_html_under_the_limit_reads_without_recursion(tmp_path):
    path = tmp_path / "nested.html"
    path.write_text("<html><body>" + "<div><span>" * 120 + "第一章 总则" + "</span></div>" * 120
                    + "<table><tr><td>指标</td><td>" * 60 + "45" + "</td></tr></table>" * 60, encoding="utf-8")
    text = read_document(path).text
    assert "第一章 总则" in text and "指标 | 45 |" in text


def test_repeated_identical_formatting_tags_are_not_refused(tmp_path):
    path = tmp_path / "fonts.html"
    path.write_text("<html><body>" + "<p><font size=3>一、总体要求。正文" * 5000, encoding="utf-8")
    assert read_document(path).text.count("一、总体要求") == 5000


def test_front_matter_with_an_invalid_date_names_the_field(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("---\ntitle: 规划\ndate: 2024-02-30\n---\n一、总体要求\n", encoding="utf-8")
    with pytest.raises(IngestError, match="field 'date'") as info:
        read_document(path)
    assert str(path) in str(info.value)


def test_front_matter_alias_bomb_keeps_only_scalars(tmp_path):
    levels = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9))
    path = tmp_path / "bomb.md"
    path.write_text(f"---\nl0: &l0 [x, x, x, x, x, x, x, x, x]\n{levels}title: *l8\n---\n一、总体要求\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.metadata.title is None or len(doc.metadata.title) < 100


def test_characters_past_the_limit_are_refused(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("一、总体要求\n" + "正文。" * 10_000, encoding="utf-8")
    with pytest.raises(LimitExceeded, match="characters"):
        read_document(path, Limits(max_chars=20_000))
    with pytest.raises(LimitExceeded, match="file size"):
        read_document(path, Limits(max_file_bytes=1000))


@pytest.mark.parametrize("number", [1, 9, 10, 11, 20, 99, 100, 101, 110, 999, 1000, 1001, 10_000, 100_005, 123_456_789, 10**20 + 7])
def test_chinese_numerals_of_any_size_round_trip(number):
    assert cn_to_int(int_to_cn(number)) == number


def test_chapters_past_one_hundred_are_read_and_gaps_filled():
    text = "\n".join(["第九十九章 甲", "正文。", "第一百零二章 乙", "正文。", "第一千零一章 丙", "正文。"])
    outline = parse_outline(Document(path="p.txt", original=text, text=text))
    chapters = [(n.label, n.number, n.inferred) for n in outline.root.children if n.kind == "chapter"]
    assert ("一百零二", 102, False) in chapters and ("一百", 100, True) in chapters and ("一千零一", 1001, False) in chapters


def test_a_file_of_headings_outlines_in_one_pass(tmp_path):
    # 40,000 headings whose numbering restarts under each chapter: every check the builder
    # makes is a table look-up, so this runs in about a second rather than minutes.
    lines = []
    for c in range(1, 201):
        lines.append(f"第{int_to_cn(c)}章 章")
        lines += [f"{int_to_cn(p % 30 + 1)}、部分" for p in range(200)]
    path = tmp_path / "headings.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = process(path)
    assert sum(1 for n in result.outline.root.walk() if n.kind == "chapter") >= 200


@pytest.mark.parametrize("command", ["outline", "inspect", "extract"])
def test_multi_file_commands_name_the_failing_file_and_go_on(tmp_path, run_cli, command):
    good = tmp_path / "good.txt"
    good.write_text("第一章 总体要求\n到2025年,森林覆盖率达到45%。\n", encoding="utf-8")
    bad = tmp_path / "[broken].docx"
    bad.write_bytes(DOCX_CASES["truncated-xml"])
    extra = ["--format", "jsonl"] if command == "extract" else ["--format", "json"]
    result = run_cli(command, bad, good, *extra)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(bad) in errors[0]
    assert "good" in result.stdout
