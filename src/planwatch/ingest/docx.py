"""Word documents: paragraphs and tables in body order, with list numbering written out.

Word keeps automatic numbering (第一章, 一、, (一), 1.) outside the paragraph text, in
numbering.xml; the outline needs it in the text, so each numbered paragraph gets its label
back: ``<w:numPr>`` + ``lvlText="第%1章"`` + ``numFmt="chineseCounting"`` → ``"第一章 总体要求"``.
"""

from __future__ import annotations

import zipfile

from ..errors import IngestError


def read_docx(path: str) -> str:
    import docx  # python-docx: imported here so plain-text users never pay for it
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(path, f"not a readable .docx file ({type(exc).__name__})") from None
    lines: list[str] = []
    numbering = _Numbering(document)
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(block, document)
            text = paragraph.text.strip()
            if text:
                lines.append(numbering.label(paragraph) + text)
        elif tag == "tbl":
            for row in DocxTable(block, document).rows:
                cells = _unique_cells(row.cells)
                if any(cells):
                    lines.append(" | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _unique_cells(cells) -> list[str]:
    # Merged cells repeat the same object once per grid column; keep each once.
    seen, out = set(), []
    for cell in cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        out.append(" ".join(cell.text.split()))
    return out


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _format(n: int, fmt: str) -> str:
    import cn2an

    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional", "japaneseCounting"):
        return cn2an.an2cn(n, "up" if fmt == "chineseLegalSimplified" else "low")
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
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

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId → ilvl → (start, numFmt, lvlText)
        self.nums: dict[str, str] = {}  # numId → abstractNumId
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (int(_val(lvl, "start") or 1), _val(lvl, "numFmt") or "decimal",
                                                          _val(lvl, "lvlText") or "")
            self.levels[abstract.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.nums[num.get(f"{W}numId")] = ref.get(f"{W}val")

    def label(self, paragraph) -> str:
        num_id, ilvl = self._num_pr(paragraph)
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

    @staticmethod
    def _num_pr(paragraph) -> tuple[str | None, int]:
        style = paragraph.style.element if paragraph.style is not None else None
        for source in (paragraph._p.pPr, style.pPr if style is not None else None):
            num_pr = source.find(f"{W}numPr") if source is not None else None
            if num_pr is not None:
                num_id, ilvl = num_pr.find(f"{W}numId"), num_pr.find(f"{W}ilvl")
                if num_id is not None and num_id.get(f"{W}val") != "0":
                    return num_id.get(f"{W}val"), int(ilvl.get(f"{W}val")) if ilvl is not None else 0
        return None, 0


def _val(element, child: str) -> str | None:
    found = element.find(f"{W}{child}")
    return found.get(f"{W}val") if found is not None else None
