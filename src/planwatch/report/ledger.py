"""The department ledger (台账) as an Excel workbook, written and read back.

The sheet is what a department office expects: a title line, Chinese column names, a frozen
header, a drop-down for 状态, 0–100 validation for 完成比例, and every column but the input
ones locked so a row's key and the plan's wording cannot be edited by accident. A hidden
sheet carries the plan, period and department the file was made for.

Text that begins like a formula is written with a leading apostrophe and read back without it;
a formula typed into a returned file is refused with its cell named (see ``planwatch.tabular``).
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import IngestError, PlanwatchError, ValidationError
from ..model import PROJECT_STAGES
from ..store import assigned_departments, ledger_rows, log_event
from ..store.ledger_sheet import COLUMNS, HEADERS, LedgerMeta
from ..store.progress import STATUSES
from ..tabular import SheetRow, neutralise, sheet_rows, unneutralise, worksheet_grid

SHEET = "台账"
META_SHEET = "_planwatch"
INPUT_FILL = PatternFill("solid", fgColor="FFF8E1")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
# Characters no file system takes in a name (Windows' set, plus controls and both slashes).
UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
# A name is at most 255 bytes; a department's part keeps 180 so period and suffix always fit.
MAX_NAME_BYTES = 180


def export_ledgers(engine, plan: str, period: str, output: str | Path, department: str | None = None,
                   actor: str | None = None) -> list[dict]:
    """One department's ledger into the file ``output``, or every assigned department's into the
    folder ``output``, each under a name made safe from the department's (never outside it)."""
    names = [department] if department else assigned_departments(engine, plan)
    folder = Path(output)
    written, used = [], set()
    for name in names:
        meta, rows = ledger_rows(engine, plan, period, name)
        path = folder if department else _inside(folder, ledger_file_name(meta.period, meta.department, used))
        path.parent.mkdir(parents=True, exist_ok=True)
        write_ledger(meta, rows, path)
        written.append({"file": str(path), "rows": len(rows), "plan": meta.plan_id, "period": meta.period, "department": meta.department})
    log_event(engine, actor, "export", "ledger", None, {"plan": plan, "period": period.upper(), "files": written})
    return written


def ledger_file_name(period: str, department: str, used: set[str] | None = None) -> str:
    """``("2024Q2", "../区/水务局")`` → ``"2024Q2___区_水务局_台账.xlsx"``: no separators, no
    leading dots, bounded length; ``used`` (lower-cased names taken) makes it unique."""
    part = re.sub(r"\.\.+", "_", UNSAFE_IN_NAMES.sub("_", department)).strip(" .")
    part = part.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", errors="ignore") or "_"
    stem, n = f"{period}_{part}_台账", 1
    name = f"{stem}.xlsx"
    while used is not None and name.lower() in used:  # two names that differ only in unsafe characters
        n += 1
        name = f"{stem}-{n}.xlsx"
    if used is not None:
        used.add(name.lower())
    return name


def _inside(folder: Path, name: str) -> Path:
    path = folder / name
    if path.resolve().parent != folder.resolve() or path.is_symlink():
        raise PlanwatchError(f"{path}: a ledger file must be a plain file inside {folder}")
    return path


def write_ledger(meta: LedgerMeta, rows: list[dict], path: str | Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    last = get_column_letter(len(COLUMNS))
    sheet["A1"] = neutralise(f"{meta.plan_title} 实施进展台账 — {meta.department} — {meta.period}")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.merge_cells(f"A1:{last}1")
    for i, col in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=2, column=i, value=col.header)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(i)].width = col.width
    # Named styles, one per kind of column: setting a cell's style by name is a lookup, where
    # setting alignment, protection and fill objects hashes them for every cell (4x slower).
    names = [_column_style(book, col) for col in COLUMNS]
    for r, row in enumerate(rows, start=3):
        for i, (col, name) in enumerate(zip(COLUMNS, names, strict=True), start=1):
            sheet.cell(row=r, column=i, value=neutralise(row.get(col.field))).style = name
    _validations(sheet, len(rows))
    sheet.freeze_panes = "C3"
    sheet.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True  # 版本: the optimistic-lock check
    sheet.protection.sheet = True
    sheet.protection.formatRows = sheet.protection.formatColumns = False  # people resize rows to read long text
    _meta_sheet(book, meta)
    out = Path(path)
    book.save(out)
    return out


def _column_style(book: Workbook, col) -> str:
    wrap = col.width >= 16
    name = f"planwatch-{'input' if col.editable else 'key'}-{'wrap' if wrap else 'plain'}"
    if name not in book.named_styles:
        style = NamedStyle(name=name, alignment=Alignment(vertical="top", wrap_text=wrap), protection=Protection(locked=not col.editable))
        if col.editable:
            style.fill = INPUT_FILL
        book.add_named_style(style)
    return name


def _validations(sheet, n: int) -> None:
    if n == 0:
        return
    letters = {c.field: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                            errorTitle="状态", error="请从下拉列表中选择：" + "/".join(STATUSES), showErrorMessage=True)
    percent = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                             errorTitle="完成比例", error="请填写0到100之间的数字", showErrorMessage=True)
    stage = DataValidation(type="list", formula1='"' + ",".join(PROJECT_STAGES) + '"', allow_blank=True,
                           errorTitle="已达节点", error="项目行请从下拉列表中选择：" + "/".join(PROJECT_STAGES), showErrorMessage=True)
    status.add(f"{letters['status']}3:{letters['status']}{n + 2}")
    percent.add(f"{letters['percent']}3:{letters['percent']}{n + 2}")
    stage.add(f"{letters['stage']}3:{letters['stage']}{n + 2}")
    for rule in (status, percent, stage):
        sheet.add_data_validation(rule)


def _meta_sheet(book: Workbook, meta: LedgerMeta) -> None:
    sheet = book.create_sheet(META_SHEET)
    for key, value in (("plan_id", meta.plan_id), ("plan_title", meta.plan_title), ("period", meta.period),
                       ("department", meta.department), ("exported_at", meta.exported_at)):
        sheet.append([key, neutralise(value)])
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def read_ledger(path: str | Path) -> tuple[LedgerMeta, list[SheetRow]]:
    """A filled ledger's header facts and its rows, each knowing its sheet, row and column letters."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(str(path), "no such file")
    try:
        book = load_workbook(path)  # not data_only: a formula must be seen to be refused
    except Exception as exc:  # damaged or non-xlsx files raise zipfile, KeyError or openpyxl errors
        raise IngestError(str(path), f"not a readable xlsx workbook ({exc})") from exc
    if SHEET not in book.sheetnames or META_SHEET not in book.sheetnames:
        raise ValidationError([f"no {SHEET!r} sheet with its {META_SHEET!r} sheet: export one with `planwatch ledger export`"], str(path))
    meta = _read_meta(book[META_SHEET], path)
    sheet = book[SHEET]
    grid = worksheet_grid(sheet, str(path), "编号")
    header_at = next((i for i, r in enumerate(grid) if "编号" in r), None)
    if header_at is None:
        raise ValidationError([f"sheet {SHEET}: no header row with 编号"], str(path))
    header = ["" if h is None else str(h).strip() for h in grid[header_at]]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise ValidationError([f"sheet {SHEET} row {header_at + 1}: missing columns {', '.join(missing)}"], str(path))
    rows = sheet_rows(SHEET, grid, header_at)
    for row in rows:
        row.values = {h: unneutralise(v) for h, v in row.values.items()}
    return meta, rows


def _read_meta(sheet, path: Path) -> LedgerMeta:
    values = {str(k): unneutralise(v) if isinstance(v, str) else v for k, v, *_ in worksheet_grid(sheet, str(path)) if k}
    try:
        return LedgerMeta(int(values["plan_id"]), str(values.get("plan_title", "")), str(values["period"]),
                          str(values["department"]), str(values.get("exported_at", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError([f"sheet {META_SHEET}: damaged ({exc})"], str(path)) from exc

