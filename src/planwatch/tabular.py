"""Spreadsheet rows as they arrive from users: CSV (UTF-8 or GB18030, as Excel saves it) or xlsx.

Each row keeps its sheet and 1-based row number so an error can point at the cell. A formula
in a workbook is refused with its cell named: read with ``data_only`` it would arrive empty (a
file saved by a script has no cached value), read without it as the formula's text. Text we
write goes through ``neutralise`` so a cell that begins like a formula stays text (OWASP's
"CSV injection": ``=HYPERLINK(…)`` in a narrative must not become a live link).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IngestError, ValidationError

# What makes Excel, WPS or LibreOffice read a typed text as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class SheetRow:
    sheet: str
    row: int
    values: dict[str, str]
    columns: dict[str, str] = field(default_factory=dict)  # header → column letter

    def where(self, header: str | None = None) -> str:
        col = f" column {self.columns.get(header, '?')} ({header})" if header else ""
        return f"sheet {self.sheet} row {self.row}{col}"


def read_rows(path: str | Path) -> list[SheetRow]:
    path = Path(path)
    if not path.is_file():
        raise IngestError(str(path), "no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    raise IngestError(str(path), f"cannot read {suffix or 'extensionless'} files as a table; use .csv or .xlsx")


def _csv_rows(path: Path) -> list[SheetRow]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise IngestError(str(path), "not UTF-8 or GB18030 text")
    rows = list(csv.reader(io.StringIO(text)))
    return sheet_rows(path.stem, rows)


def _xlsx_rows(path: Path) -> list[SheetRow]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors for damaged files
        raise IngestError(str(path), f"not a readable xlsx workbook ({exc})") from exc
    try:
        sheet = book.worksheets[0]
        rows = [["" if v is None else v for v in r] for r in worksheet_grid(sheet, str(path))]
    finally:
        book.close()
    return sheet_rows(sheet.title, rows)


def worksheet_grid(sheet, source: str, header_text: str | None = None) -> list[list]:
    """A worksheet's values, row by row; any formula cell is refused, every one named.

    ``header_text`` (a column title such as 编号) finds the header row, so a formula under it is
    named by row and column title like every other problem in the file."""
    grid, formulas = [], []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            if cell.data_type == "f":
                formulas.append((cell.row, cell.column, cell.value))
            values.append(cell.value)
        grid.append(values)
    if formulas:
        header = next((r for r in grid if header_text in r), None) if header_text else None
        raise ValidationError([_formula_problem(sheet.title, header, *f) for f in formulas], source)
    return grid


def _formula_problem(title: str, header: list | None, row: int, column: int, formula) -> str:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column)
    name = header[column - 1] if header and column <= len(header) and header[column - 1] else None
    where = f"sheet {title} row {row} column {letter}" + (f" ({name})" if name else "")
    text = getattr(formula, "text", formula)  # array formulas are objects holding their text
    return f"{where}: a formula ({str(text)[:40]}) is not accepted; type the value itself"


def sheet_rows(sheet: str, grid: list[list], header_at: int = 0) -> list[SheetRow]:
    """The non-empty rows below the header row ``header_at`` (0-based), keyed by header."""
    from openpyxl.utils import get_column_letter

    if len(grid) <= header_at:
        return []
    header = ["" if h is None else str(h).strip() for h in grid[header_at]]
    letters = {h: get_column_letter(i + 1) for i, h in enumerate(header) if h}
    out = []
    for n, values in enumerate(grid[header_at + 1:], start=header_at + 2):
        cells = {h: cell_text(v) for h, v in zip(header, values, strict=False) if h}
        if any(cells.values()):
            out.append(SheetRow(sheet, n, cells, letters))
    return out


def neutralise(value):
    """A value to write into a cell: text that would start a formula gets a leading apostrophe.

    ``"=HYPERLINK(\"http://x\")"`` → ``"'=HYPERLINK(\"http://x\")"``; numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Text read back from a file we wrote: the apostrophe ``neutralise`` added comes off again."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""
