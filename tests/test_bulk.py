"""Bulk writes (COPY on PostgreSQL, the driver's executemany on SQLite) store what the ORM reads
back: column defaults filled, JSON lists of Chinese text intact, the search index in step."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.pipeline import process
from planwatch.store import store_extraction
from planwatch.store.schema import OutlineNode, TargetRow, TaskRow
from planwatch.store.search import search

PLAN = """临河区“十四五”时期生态建设规划
一、主要任务
（一）扩大绿色空间
新建口袋公园12个，森林覆盖率达到45%。（牵头单位：区园林绿化局；配合单位：各街道）
"""


def test_bulk_rows_read_back_with_defaults_and_json(fresh_db, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    result = store_extraction(fresh_db, process(path))
    with Session(fresh_db) as s:
        nodes = s.scalars(select(OutlineNode).where(OutlineNode.plan_id == result.plan_id).order_by(OutlineNode.id)).all()
        by_kind = {n.kind: n for n in nodes}
        assert by_kind["subpart"].parent_id == by_kind["part"].id and by_kind["part"].parent_id == by_kind["document"].id
        assert by_kind["subpart"].title == "扩大绿色空间" and by_kind["document"].label == ""
        targets = s.scalars(select(TargetRow).where(TargetRow.plan_id == result.plan_id).order_by(TargetRow.position)).all()
        assert [(t.metric, t.value, t.section) for t in targets] == [
            ("新建口袋公园", 12, ["主要任务", "扩大绿色空间"]), ("森林覆盖率", 45, ["主要任务", "扩大绿色空间"])]
        task = s.scalars(select(TaskRow).where(TaskRow.plan_id == result.plan_id)).one()
        assert (task.lead, task.support, task.version) == (["区园林绿化局"], ["各街道"], 1)
    assert [h.match for h in search(fresh_db, "口袋公园")] == ["口袋公园"]


def test_a_plan_with_no_text_lines_prepares_none():
    from planwatch.extract import extract
    from planwatch.ingest import document_from_text
    from planwatch.outline import parse_outline
    from planwatch.store.prepared import prepare

    prepared = prepare(extract(parse_outline(document_from_text("   \n", path="blank.txt"))), "0" * 64)
    assert prepared.text_lines() == [] and len(prepared.lines) == 0
