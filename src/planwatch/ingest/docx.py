"""Word documents: paragraphs and tables in body order, with list numbering written out.

Word keeps automatic numbering (第一章, 一、, (一), 1.) outside the paragraph text, in
numbering.xml; the outline needs it in the text, so each numbered paragraph gets its label
back: ``<w:numPr>`` + ``lvlText="第%1章"`` + ``numFmt="chineseCounting"`` → ``"第一章 总体要求"``.

The package is read here rather than through python-docx, because a .docx is a zip of XML
from anyone: each part's declared size is checked before it is inflated, only stored and
deflated parts are read, the XML is parsed with entities, DTDs, the network and
XML_PARSE_HUGE all off (so libxml2 stops at 256 levels of nesting), and every walk is a
loop over one level, never a recursion. Whatever goes wrong, the error names the file.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from lxml import etree

from ..errors import IngestError
from .grid import CONTINUE, span_grid
from .limits import DEFAULT_LIMITS, Limits, check

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OFFICE_DOCUMENT = R_TYPES + "officeDocument"
# Word lets a list start anywhere in 0–32767 and nests lists nine levels deep (ilvl 0–8).
MAX_START = 32767
MAX_LEVEL = 8
# cn2an writes Chinese numerals up to 16 digits; Word's own counters never come near.
MAX_CN_DIGITS = 16
# Word's grid has at most 63 columns; a larger gridSpan or gridBefore is damage, capped.
MAX_GRID = 64
CN_FORMATS = ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional", "japaneseCounting")


def read_docx(path: str, data: bytes | None = None, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text of a .docx, one line per paragraph or table row; ``IngestError`` naming ``path`` otherwise."""
    package = _Package(path, data if data is not None else _read_bytes(path), limits)
    main = package.main_part()
    document = package.xml(main)
    related = package.related(main)
    styles = package.xml(related["styles"]) if "styles" in related else None
    numbering_xml = package.xml(related["numbering"]) if "numbering" in related else None
    numbering = _Numbering(path, numbering_xml, styles)
    body = document.find(f"{W}body")
    if body is None:
        raise IngestError(path, f"not a Word document ({main} has no w:body)")
    lines: list[str] = []
    size = 0
    for block in body:
        tag = block.tag
        if tag == f"{W}p":
            text = paragraph_text(block).strip()
            line = numbering.label(block) + text if text else ""
        elif tag == f"{W}tbl":
            line = "\n".join(_table_lines(block))
        else:
            continue
        if line:
            lines.append(line)
            size += len(line) + 1
            check(path, "text of", size, limits.max_chars, " characters")
    return "\n".join(lines) + "\n"


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from None


class _Package:
    """The zip, its parts read under the limits, its XML parsed by a hardened parser."""

    def __init__(self, path: str, data: bytes, limits: Limits):
        self.path, self.limits = path, limits
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise IngestError(path, f"not a readable .docx file (not a zip archive: {_one_line(exc)})") from None

    def read(self, name: str) -> bytes:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise IngestError(self.path, f"not a readable .docx file (part {name} is missing)") from None
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise IngestError(self.path, f"not a readable .docx file (part {name} uses zip compression method {info.compress_type})")
        if info.flag_bits & 0x1:
            raise IngestError(self.path, f"not a readable .docx file (part {name} is encrypted)")
        check(self.path, f"part {name} unpacks to", info.file_size, self.limits.max_part_bytes, " bytes")
        try:
            # zipfile stops at the declared size (and fails its CRC) if the data runs longer.
            return self.zip.read(info)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise IngestError(self.path, f"not a readable .docx file (part {name} is damaged: {_one_line(exc)})") from None

    def xml(self, name: str):
        return parse_part(self.path, name, self.read(name))

    def main_part(self) -> str:
        """The document part the package's relationships name, word/document.xml in practice."""
        if "_rels/.rels" in self.names:
            for rel in self.xml("_rels/.rels").iter(f"{REL}Relationship"):
                target = rel.get("Target") or ""
                if rel.get("Type") == OFFICE_DOCUMENT and target:
                    return posixpath.normpath(target.lstrip("/"))
        if "word/document.xml" in self.names:
            return "word/document.xml"
        raise IngestError(self.path, "not a Word document (no word/document.xml in the package)")

    def related(self, part: str) -> dict[str, str]:
        """``{"styles": "word/styles.xml", "numbering": …}`` for the parts present."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        out: dict[str, str] = {}
        if rels in self.names:
            for rel in self.xml(rels).iter(f"{REL}Relationship"):
                kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
                target = rel.get("Target") or ""
                if kind in ("styles", "numbering") and target and rel.get("TargetMode") != "External":
                    resolved = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
                    if resolved in self.names:
                        out.setdefault(kind, resolved)
        return out


def parse_part(path: str, name: str, data: bytes):
    """One XML part; entities stay unexpanded, a DTD is refused, depth stops at libxml2's 256."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, dtd_validation=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise IngestError(path, f"not a readable .docx file (bad XML in {name}: {_one_line(exc)})") from None
    if root is None:
        raise IngestError(path, f"not a readable .docx file ({name} is empty)")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise IngestError(path, f"not a readable .docx file ({name} declares a DTD, which Word never writes)")
    return root


def paragraph_text(p) -> str:
    """Runs and hyperlinked runs, with tabs, line breaks and non-breaking hyphens as text."""
    out: list[str] = []
    for child in p:
        if child.tag == f"{W}r":
            _run_text(child, out)
        elif child.tag == f"{W}hyperlink":
            for run in child:
                if run.tag == f"{W}r":
                    _run_text(run, out)
    return "".join(out)


def _run_text(run, out: list[str]) -> None:
    for e in run:
        tag = e.tag
        if tag == f"{W}t":
            out.append(e.text or "")
        elif tag in (f"{W}tab", f"{W}ptab"):
            out.append("\t")
        elif tag == f"{W}cr" or (tag == f"{W}br" and e.get(f"{W}type", "textWrapping") == "textWrapping"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")


def _table_lines(tbl) -> list[str]:
    """One ``cell | cell |`` line per row, merged cells spread over the grid by
    ``grid.span_grid``: a cell merged down from above (vMerge) repeats the text of the cell it
    continues, a cell spanning columns (gridSpan) stands in each of them."""
    rows: list[list[tuple[str, int, int]]] = []
    for tr in tbl.iterchildren(f"{W}tr"):
        before = _int_attr(tr.find(f"{W}trPr/{W}gridBefore"), 0, MAX_GRID)
        row: list[tuple[str, int, int]] = [("", before, 1)] if before else []
        for tc in tr.iterchildren(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            span = max(1, _int_attr(props.find(f"{W}gridSpan") if props is not None else None, 1, MAX_GRID))
            merge = props.find(f"{W}vMerge") if props is not None else None
            if merge is not None and merge.get(f"{W}val", "continue") == "continue":
                row.append(("", span, CONTINUE))
            else:
                row.append((" ".join("\n".join(paragraph_text(p) for p in tc.iterchildren(f"{W}p")).split()), span, 1))
        rows.append(row)
    return [" | ".join(cells) + " |" for cells in span_grid(rows) if any(cells)]


def _int_attr(element, default: int, ceiling: int) -> int:
    # Layout attributes only steer the merge lookup: a bad one falls back, it never fails the file.
    if element is None:
        return default
    try:
        return min(int(element.get(f"{W}val", default)), ceiling)
    except ValueError:
        return default


def _format(n: int, fmt: str) -> str:
    import cn2an

    if fmt in CN_FORMATS and 0 <= n < 10**MAX_CN_DIGITS:
        return cn2an.an2cn(n, "up" if fmt == "chineseLegalSimplified" else "low")
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("upperLetter", "lowerLetter") and n >= 1:
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= n < 4000:
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                           (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


class _Numbering:
    """Counters for Word's numbered lists, advanced paragraph by paragraph as Word does."""

    def __init__(self, path: str, root, styles):
        self.path = path
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId → ilvl → (start, numFmt, lvlText)
        self.nums: dict[str, str] = {}  # numId → abstractNumId
        self.counters: dict[str, dict[int, int]] = {}
        self.style_ppr, self.default_ppr = _paragraph_styles(styles)
        if root is None:
            return
        for abstract in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{W}lvl"):
                ilvl = self._number(lvl.get(f"{W}ilvl", "0"), "w:ilvl", 0, MAX_LEVEL)
                start = self._number(_val(lvl, "start") or "1", "w:start", 0, MAX_START)
                levels[ilvl] = (start, _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "")
            self.levels[abstract.get(f"{W}abstractNumId") or ""] = levels
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.nums[num.get(f"{W}numId") or ""] = ref.get(f"{W}val") or ""

    def _number(self, raw: str, attribute: str, low: int, high: int) -> int:
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise IngestError(self.path, f"bad list numbering: {attribute}={raw[:40]!r} is not a whole number in {low}–{high}")
        return value

    def label(self, p) -> str:
        num_id, ilvl = self._num_pr(p)
        abstract = self.nums.get(num_id or "")
        levels = self.levels.get(abstract or "")
        if not levels or ilvl not in levels or levels[ilvl][1] in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(abstract, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = levels[ilvl][2]
        for k in range(ilvl + 1):
            start, fmt, _ = levels.get(k, (1, "decimal", ""))
            text = text.replace(f"%{k + 1}", _format(counters.get(k, start), fmt))
        return text if text.endswith(("、", ".", "．", ")", "）", " ")) else text + " "

    def _num_pr(self, p) -> tuple[str | None, int]:
        own = p.find(f"{W}pPr")
        style_id = own.find(f"{W}pStyle") if own is not None else None
        style = self.style_ppr.get(style_id.get(f"{W}val") or "", self.default_ppr) if style_id is not None else self.default_ppr
        for source in (own, style):
            num_pr = source.find(f"{W}numPr") if source is not None else None
            if num_pr is not None:
                num_id, ilvl = num_pr.find(f"{W}numId"), num_pr.find(f"{W}ilvl")
                if num_id is not None and num_id.get(f"{W}val") != "0":
                    level = self._number(ilvl.get(f"{W}val") or "", "w:ilvl", 0, MAX_LEVEL) if ilvl is not None else 0
                    return num_id.get(f"{W}val"), level
        return None, 0


def _paragraph_styles(styles) -> tuple[dict, object]:
    """styleId → the style's w:pPr, and the default paragraph style's (as python-docx resolves them)."""
    by_id, default = {}, None
    if styles is None:
        return by_id, default
    for style in styles.iterchildren(f"{W}style"):
        if style.get(f"{W}type") != "paragraph":
            continue
        ppr = style.find(f"{W}pPr")
        by_id.setdefault(style.get(f"{W}styleId") or "", ppr)
        if style.get(f"{W}default") in ("1", "true", "on") and default is None:
            default = ppr
    return by_id, default


def _val(element, child: str) -> str | None:
    found = element.find(f"{W}{child}")
    return found.get(f"{W}val") if found is not None else None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
