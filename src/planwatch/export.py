"""Plain record lists → JSONL, CSV or a simple Excel sheet (stdout or a file)."""

from __future__ import annotations

import json
import sys

from .errors import PlanwatchError


def write_records(rows: list[dict], fmt: str, output: str | None) -> None:
    if fmt == "xlsx":
        if not output:
            raise PlanwatchError("--format xlsx needs -o FILE")
        _xlsx(rows, output)
        return
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            _write_text(rows, fmt, handle)
    else:
        _write_text(rows, fmt, sys.stdout)


def _write_text(rows: list[dict], fmt: str, handle) -> None:
    if fmt == "jsonl":
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    import csv  # here and below: JSON lines, the usual output, need neither module

    fields = list(rows[0]) if rows else []
    writer = csv.DictWriter(handle, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})


def _flat(value):
    if isinstance(value, (list, tuple)):
        return " › ".join(str(v) for v in value)
    return value


def _cell(value):
    """A plan's own text opened in a spreadsheet: a quote that starts like a formula stays text."""
    from .tabular import neutralise

    return neutralise(_flat(value))


def _xlsx(rows: list[dict], output: str) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    fields = list(rows[0]) if rows else []
    ws.append(fields)
    for row in rows:
        ws.append([_cell(row[f]) for f in fields])
    ws.freeze_panes = "A2"
    wb.save(output)
