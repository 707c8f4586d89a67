"""The appraisal in reports: the ranked scorecards as a table, and as an Excel workbook with
every item's part in them."""

from __future__ import annotations

from pathlib import Path

from ..assess.appraisal import MEASURES, Appraisal
from ..tabular import neutralise
from .records import AppraisalRow


def appraisal_rows(a: Appraisal) -> tuple[AppraisalRow, ...]:
    return tuple(AppraisalRow(c.rank, c.department, c.level,
                              tuple((m.name, "—" if m.share is None else f"{m.share * 100:.1f}%") for m in c.measures),
                              c.binding_missed, c.penalty, c.score, c.grade, c.formula) for c in a.cards)


def appraisal_note(a: Appraisal) -> str:
    s = a.settings
    return (f"{a.year} 年度，截至 {a.as_of.isoformat()}。权重：指标达标率 {s.weight_targets:g}、任务按期率 {s.weight_tasks:g}、"
            f"项目推进率 {s.weight_projects:g}、报送及时率 {s.weight_timeliness:g}、报送质量 {s.weight_quality:g}；约束性指标未达标每项扣 {s.binding_penalty:g} 分；"
            f"优秀 ≥ {s.excellent:g}，良好 ≥ {s.good:g}，合格 ≥ {s.passing:g}。")


def scorecard_table(rows: tuple[AppraisalRow, ...]) -> tuple[list[str], list[list]]:
    """The ranked table (header, rows), shared by the workbook and the annual report."""
    header = ["名次", "单位", "层级", *[name for _, name in MEASURES], "约束性指标未达标", "扣分", "得分", "等次", "计算"]
    body = [[r.rank or "—", r.department, r.level, *[share for _, share in r.shares], "、".join(r.binding_missed) or "无",
             f"{r.penalty:g}", "—" if r.score is None else f"{r.score:.1f}", r.grade, r.formula] for r in rows]
    return header, body


def write_xlsx(a: Appraisal, path: str | Path) -> Path:
    from openpyxl import Workbook

    path = Path(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "考核"
    sheet.append([f"{a.plan} {a.year} 年度考核", appraisal_note(a)])
    header, rows = scorecard_table(appraisal_rows(a))
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    names = dict(MEASURES)
    detail = book.create_sheet("明细")
    detail.append(["单位", "考核项", "编号", "事项", "状态", "计入达标", "说明"])
    for c in a.cards:
        for line in c.lines:
            detail.append([neutralise(v) for v in (c.department, names[line.measure], line.item, line.title, line.status,
                                                   "是" if line.good else "否", line.note)])
    book.save(path)
    return path
