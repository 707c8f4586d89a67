from __future__ import annotations

import pytest

from planwatch.errors import DecodeError, IngestError, UnsupportedFormat
from planwatch.ingest import READERS, read_document
from planwatch.ingest.normalize import normalize, unify_width
from planwatch.ingest.similarity import find_same_plans
from planwatch.outline import parse_outline

from .conftest import SAMPLE_PLAN


def headings(path):
    return [(n.kind, n.label, n.title) for n in parse_outline(read_document(path)).headings()]


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_encodings_give_the_same_outline(tmp_path, sample_txt, encoding):
    other = tmp_path / f"plan-{encoding}.txt"
    other.write_bytes(SAMPLE_PLAN.encode(encoding))
    doc = read_document(other)
    assert doc.text == read_document(sample_txt).text
    assert headings(other) == headings(sample_txt)


def test_big5_traditional_is_normalised_with_offsets(tmp_path, sample_txt):
    from planwatch.ingest.normalize import _converter

    traditional = opencc_to_traditional(SAMPLE_PLAN)
    path = tmp_path / "plan-big5.txt"
    path.write_bytes(traditional.encode("big5"))
    doc = read_document(path)
    assert doc.script == "traditional"
    assert doc.encoding in ("big5", "cp950", "big5hkscs")
    assert headings(path) == [(k, lbl, _converter().convert(t)) for k, lbl, t in headings(path)]
    assert [h[:2] for h in headings(path)] == [h[:2] for h in headings(sample_txt)]
    at = doc.text.index("扩大绿色空间")
    assert doc.original_text(at, at + 6) == "擴大綠色空間"


def opencc_to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2tw").convert(text)


def test_width_unified_for_parsing():
    assert unify_width("（一）１２３，") == "(一)123,"
    text, script, offsets = normalize("（一）加强法治")
    assert text == "(一)加强法治" and script == "simplified" and offsets is None


def test_docx_paragraphs_and_tables(tmp_path, sample_txt):
    import docx

    document = docx.Document()
    for line in SAMPLE_PLAN.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=3)
    for i, cell in enumerate(("指标", "2025年目标", "属性")):
        table.rows[0].cells[i].text = cell
    for i, cell in enumerate(("森林覆盖率(%)", "44", "约束性")):
        table.rows[1].cells[i].text = cell
    path = tmp_path / "plan.docx"
    document.save(path)
    assert headings(path) == headings(sample_txt)
    assert "森林覆盖率(%) | 44 | 约束性 |" in read_document(path).text


NUMBERING = """<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%2、"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>"""


def test_pdf_tables_stay_where_they_stand_on_the_page(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "table.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 11)
    c.drawString(72, 780, "一、主要指标")
    c.drawString(72, 760, "主要指标见下表。")
    cells = [("指标", "2025年目标"), ("森林覆盖率(%)", "44")]
    for r, row in enumerate(cells):
        for k, cell in enumerate(row):
            c.drawString(80 + k * 150, 724 - r * 24, cell)
    for k in range(3):
        c.line(72 + k * 150, 740, 72 + k * 150, 692)
    for r in range(3):
        c.line(72, 740 - r * 24, 372, 740 - r * 24)
    c.drawString(72, 660, "二、重点任务")
    c.save()
    lines = read_document(path).text.splitlines()
    table_at = next(i for i, line in enumerate(lines) if line.startswith("森林覆盖率"))
    assert lines.index("主要指标见下表。") < table_at < lines.index("二、重点任务")


def test_docx_automatic_numbering_is_written_into_the_text(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    num = parse_xml('<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
                    '<w:abstractNumId w:val="90"/></w:num>')
    numbering.append(num)

    def numbered(text, level):
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:ilvl w:val="{level}"/>'
            '<w:numId w:val="90"/></w:numPr>'))
        assert p._p.pPr.find(qn("w:numPr")) is not None

    document.add_paragraph("临河区绿色发展行动计划")
    numbered("总体要求", 0)
    numbered("指导思想", 1)
    numbered("发展目标", 1)
    numbered("重点任务", 0)
    numbered("扩大绿色空间", 1)
    numbered("新建口袋公园20个。", 2)
    numbered("建成北湖湿地公园。", 2)
    path = tmp_path / "numbered.docx"
    document.save(path)
    lines = read_document(path).text.splitlines()
    assert lines[1:] == ["第一章 总体要求", "一、指导思想", "二、发展目标", "第二章 重点任务", "一、扩大绿色空间",
                         "1.新建口袋公园20个。", "2.建成北湖湿地公园。"]
    assert [h[:2] for h in headings(path)][:2] == [("chapter", "一"), ("part", "一")]


def test_pdf_text_layer_drops_running_headers_and_page_numbers(tmp_path, sample_txt):
    reportlab = pytest.importorskip("reportlab")
    assert reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path))
    lines = SAMPLE_PLAN.splitlines()
    for page, chunk in enumerate((lines[:6], lines[6:12], lines[12:])):
        c.setFont("STSong-Light", 11)
        c.drawString(72, 810, "临河区人民政府文件")
        y = 770
        for line in chunk:
            c.drawString(72, y, line)
            y -= 18
        c.drawString(300, 30, f"- {page + 1} -")
        c.showPage()
    c.save()
    doc = read_document(path)
    assert doc.format == "pdf"
    assert "临河区人民政府文件" not in doc.text
    assert "- 2 -" not in doc.text
    assert headings(path) == headings(sample_txt)


def test_html_keeps_content_and_tables_drops_navigation(tmp_path):
    html = """<html><head><style>p{}</style><script>var x=1;</script></head><body>
    <div class="nav">首页 | 政务公开</div><div class="breadcrumb">当前位置: 首页 > 规划</div>
    <div id="zoom"><p>一、发展目标</p><p>到2025年,森林覆盖率提高到44%。这是一段足够长的正文内容,用来让正文区域被识别为主要内容区域。</p>
    <table><tr><td>指标</td><td>2025年目标</td></tr><tr><td>森林覆盖率(%)</td><td>44</td></tr></table>
    <p>二、重点任务</p><p>建设北湖湿地公园,推进滨河绿道建设。再补充一些文字使正文超过两百个字符的阈值,保证选择器命中。再补充一些文字使正文超过两百个字符的阈值,保证选择器命中。再补充一些文字使正文超过两百个字符的阈值。</p></div>
    <div class="footer">版权所有</div></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    doc = read_document(path)
    assert "当前位置" not in doc.text and "版权所有" not in doc.text and "var x" not in doc.text
    assert "森林覆盖率(%) | 44 |" in doc.text
    outline = parse_outline(doc)
    assert [h.title for h in outline.headings()] == ["发展目标", "重点任务"]
    assert outline.root.children[0].tables[0].rows[1] == ("森林覆盖率(%)", "44")


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("missing.txt", None, IngestError),
        ("empty.txt", b"", IngestError),
        ("junk.txt", bytes(range(256)) * 20, DecodeError),
        ("plan.xyz", b"hello", UnsupportedFormat),
        ("broken.docx", b"PK\x03\x04 not really a zip", IngestError),
        ("broken.pdf", b"%PDF-1.4 garbage", IngestError),
        ("fake.pdf", b"just text", IngestError),
    ],
)
def test_bad_input_names_the_file(tmp_path, name, content, error):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error) as info:
        read_document(path)
    assert str(path) in str(info.value)


def test_directory_is_refused(tmp_path):
    with pytest.raises(IngestError, match="directory"):
        read_document(tmp_path)


def test_readers_seam_accepts_new_formats(tmp_path, monkeypatch):
    monkeypatch.setitem(READERS, ".plan", lambda path, data, limits: (data.decode(), "plan", "utf-8", {}))
    path = tmp_path / "x.plan"
    path.write_text("一、总体要求\n正文。", encoding="utf-8")
    assert read_document(path).format == "plan"


def test_image_only_pdf_is_refused(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 200, 200, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(UnsupportedFormat, match="no text layer"):
        read_document(path)


def test_same_plan_recognised_in_two_forms(tmp_path, sample_txt):
    excerpt = tmp_path / "excerpt.txt"
    excerpt.write_text(opencc_to_traditional(SAMPLE_PLAN[: len(SAMPLE_PLAN) // 2]), encoding="utf-8")
    unrelated = tmp_path / "other.txt"
    unrelated.write_text("一、其他事项\n完全不同的一份文件内容,与上面的规划没有任何关系。\n", encoding="utf-8")
    docs = [read_document(p) for p in (sample_txt, excerpt, unrelated)]
    found = find_same_plans(docs)
    assert len(found) == 1
    assert found[0].b_in_a > 0.9 and found[0].a_in_b < 0.8


def test_metadata_found(sample_txt):
    md = read_document(sample_txt).metadata
    assert md.title == "临河区生态环境保护行动计划(2021—2025年)"
    assert md.period == (2021, 2025)


def test_corpus_same_plan(corpus):
    docs = [read_document(p) for p in sorted(corpus.glob("*.txt"))]
    pairs = {(o.a[:3], o.b[:3]) for o in find_same_plans(docs)}
    assert pairs == {("001", "003")}


def test_simplified_text_is_told_without_loading_opencc():
    import subprocess
    import sys

    code = ("import sys; from planwatch.ingest import document_from_text; "
            "d = document_from_text('临河区国民经济和社会发展规划\\n到2025年，森林覆盖率达到32%。', path='s.txt'); "
            "t = document_from_text('臨河區國民經濟和社會發展規劃\\n到2025年，森林覆蓋率達到32%。', path='t.txt'); "
            "print(d.script, t.script)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["simplified", "traditional"]
    code = ("import sys; from planwatch.ingest import document_from_text; "
            "document_from_text('临河区国民经济和社会发展规划', path='s.txt'); print('opencc' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
