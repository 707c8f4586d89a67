"""Word documents: paragraphs and tables in body order."""

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
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(block, document).text.strip()
            if text:
                lines.append(text)
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
