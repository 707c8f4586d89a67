"""The review queue: doubtful reports first, each flag with its reason."""

from __future__ import annotations

from datetime import date

from planwatch.assess.review import ReportUnderReview, is_stock_only, review_queue, similarity

Q2 = dict(period_start=date(2024, 4, 1), period_end=date(2024, 6, 30))


def report(rid, narrative, status="推进中", percent=50, **kw):
    return ReportUnderReview(rid, f"T{rid}", "治理水环境", "区水务局", status, percent, narrative, **{**Q2, **kw})


def test_stock_phrases_without_specifics_are_flagged():
    assert is_stock_only("各项工作稳步推进，有序开展，持续加强统筹协调。")
    assert not is_stock_only("稳步推进，北湖湿地公园完成主体工程")
    assert not is_stock_only("稳步推进，完成投资3.2亿元")
    assert not is_stock_only("稳步推进，9月底前完成验收")
    assert not is_stock_only("稳步推进滨河绿道一期", projects=("滨河绿道一期",))


def test_queue_ranks_and_explains():
    queue = review_queue([
        report(1, "完成青溪第二再生水厂主体结构，累计完成投资2.1亿元"),
        report(2, "各项工作稳步推进，有序开展。"),
        report(3, "完成泵站改造4座", status="已完成", percent=40),
        report(4, "完成泵站改造4座，管网铺设12公里", previous="完成泵站改造4座，管网铺设12公里"),
        report(5, "完成泵站改造6座", deadlines=(date(2024, 6, 30),)),
        report(6, "完成泵站改造6座", deadlines=(date(2024, 3, 31),)),
        report(7, "森林覆盖率提升工作完成造林2000亩", status="已完成", percent=100, target_statuses=("进展有限",), target_problems=("进展有限",)),
    ])
    by_id = {f.report_id: f for f in queue}
    assert by_id[1].flags == []
    assert [k for k, _ in by_id[2].flags] == ["stock"]
    assert by_id[3].flags[0][0] == "contradiction" and "40%" in by_id[3].flags[0][1]
    assert [k for k, _ in by_id[4].flags] == ["copied"]
    assert [k for k, _ in by_id[5].flags] == ["evidence"]
    assert [k for k, _ in by_id[6].flags] == ["contradiction"] and "2024-03-31" in by_id[6].flags[0][1]
    assert [k for k, _ in by_id[7].flags] == ["target"]
    assert queue[0].report_id == 3 and queue[-1].report_id == 1


def test_similarity_is_containment_of_shingles():
    assert similarity("完成泵站改造4座", "完成泵站改造4座") == 1.0
    assert similarity("完成泵站改造4座", "召开推进会两次") == 0.0


def test_review_command_lists_the_demo_queue(run_cli, demo_db):
    import json

    url = demo_db.url.render_as_string(hide_password=False)
    result = run_cli("review", "--period", "2024Q4", "--db", url, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and rows[0]["risk"] >= rows[-1]["risk"]
    assert any("套话" in flag for r in rows for flag in r["flags"])


def test_a_claim_contradicted_by_the_task_s_own_target_is_flagged_without_a_stored_assessment(loaded_db):
    from planwatch.assess.review import review_period
    from planwatch.store import (
        ObservationInput,
        ReportInput,
        add_department,
        add_observation,
        assign,
        open_period,
        plan_items,
        submit_report,
    )

    [target] = [t for t in plan_items(loaded_db, "1", "targets") if t["metric"] == "城市污水处理率" and t["kind"] == "target"]
    task = next(t["item"] for t in plan_items(loaded_db, "1", "tasks") if t["start"] <= target["start"] and target["end"] <= t["end"])
    add_department(loaded_db, "区水务局")
    assign(loaded_db, [task], lead="区水务局")
    open_period(loaded_db, "2024Q4")
    for year, value in ((2022, 95.0), (2023, 95.2), (2024, 95.3)):  # not reached
        add_observation(loaded_db, target["item"], ObservationInput(year, value, "%", "bulletin"))
    submit_report(loaded_db, task, "2024Q4", "区水务局", ReportInput("已完成", 100, "青溪第二再生水厂建成通水，处理率达标"))
    [flagged] = review_period(loaded_db, "2024Q4")
    kinds = [k for k, _ in flagged.flags]
    assert kinds == ["target", "evidence"] and "逾期未完成" in flagged.flags[0][1]  # its deadline (2024-12-31) falls in the period too
