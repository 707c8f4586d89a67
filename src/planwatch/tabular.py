"""Spreadsheet rows as they arrive from users: CSV (UTF-8 or GB18030, as Excel saves it) or xlsx.

Each row keeps its sheet and 1-based row number so an error can point at the cell.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IngestError


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
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors for damaged files
        raise IngestError(str(path), f"not a readable xlsx workbook ({exc})") from exc
    sheet = book.worksheets[0]
    rows = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]
    book.close()
    return sheet_rows(sheet.title, rows)


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


def cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""
