"""The data behind each page, built once and shown twice: as HTML (pages.py) and as its JSON
twin at the same path + ``.json`` (api.py). Every value comes from a store or assess function
the CLI also calls; nothing here decides a rule.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from ..assess.records import Explanation
from ..assess.rollup import roll_up
from ..assess.settings import Thresholds
from ..errors import NotFound
from ..model import PROJECT_STAGES
from ..report.charts import indicator_chart
from ..report.charts_data import series
from ..store import list_periods, list_plans, missing_reports
from ..store.dashboard import Page, audit_page, item_detail, ledger_view, my_quarter, stored_assessment


def latest_period(engine: Engine, period: str | None) -> str:
    if period:
        return period.upper()
    periods = list_periods(engine)
    if not periods:
        today = date.today()
        return f"{today.year}Q{(today.month - 1) // 3 + 1}"
    return periods[-1]["label"]


def home(engine: Engine, actor: str) -> dict:
    return ledger_view(engine, ("home", actor), lambda: {"plans": [p for p in list_plans(engine) if p["current"]],
                                                          "periods": list_periods(engine)})


def dashboard(engine: Engine, actor: str, plan: int, period: str | None, kind: str, status: str | None, binding: str | None,
              department: str | None, page: int, size: int) -> dict:
    """A plan's stored assessment: lights for the plan, its chapters and departments, and a page of items."""
    key = ("dashboard", actor, plan, period, kind, status, binding, department, page, size)
    return ledger_view(engine, key, lambda: _dashboard(engine, actor, plan, period, kind, status, binding, department, page, size))


def _dashboard(engine: Engine, actor: str, plan: int, period: str | None, kind: str, status: str | None, binding: str | None,
               department: str | None, page: int, size: int) -> dict:
    as_of = latest_period(engine, period)
    data = stored_assessment(engine, str(plan), as_of, actor, kind=kind, status=status or None, binding=binding or None,
                             department=department or None, page=Page(page, size))
    th = Thresholds.from_dict(data["plan"]["settings"])
    every = data.pop("all")
    data["rollups"] = {
        "plan": roll_up([("全部", r["status"], r["red"]) for r in every], kind, th),
        "chapters": roll_up([(r["chapter"], r["status"], r["red"]) for r in every], kind, th),
        "departments": roll_up([(r["lead"], r["status"], r["red"]) for r in every], kind, th),
    }
    data["filters"] = {"status": status or "", "binding": binding or "", "department": department or "", "kind": kind}
    data["choices"] = {"status": sorted({r["status"] for r in every}), "department": sorted({r["lead"] for r in every}),
                       "binding": sorted({r["binding"] for r in every if r["binding"]})}
    return data


def item(engine: Engine, actor: str, ref: str, period: str | None) -> dict:
    return ledger_view(engine, ("item", actor, ref.upper(), period), lambda: _item(engine, actor, ref, period))


def _item(engine: Engine, actor: str, ref: str, period: str | None) -> dict:
    from ..store.people import list_departments

    data = item_detail(engine, ref, actor, period)
    data["departments"] = [d["name"] for d in list_departments(engine)]
    data["stage_names"] = PROJECT_STAGES
    a = data["assessment"]
    data["chart"] = ""
    if data["kind"] == "target" and a and Explanation.from_dict(a["explanation"]).inputs is not None:
        chart = series({"explanation": a["explanation"], "numbers": a["numbers"], "type": data["type"], "value": data["value"],
                        "metric": data["metric"], "unit": data["unit"]})
        data["chart"] = indicator_chart(chart) if chart else ""
    return data


def quarter(engine: Engine, actor: str, period: str | None) -> dict:
    return my_quarter(engine, actor, period)


def periods(engine: Engine, actor: str, plan: int | None, period: str | None) -> dict:
    rows = list_periods(engine)
    plans = [p for p in list_plans(engine) if p["current"]]
    chosen = period or next((p["label"] for p in reversed(rows) if p["status"] == "open"), None)
    plan_id = plan or (plans[0]["id"] if plans else None)
    chasing = []
    if chosen and plan_id:
        try:
            chasing = missing_reports(engine, str(plan_id), chosen)
        except NotFound:
            chasing = []
    return {"periods": rows, "plans": plans, "plan": plan_id, "period": chosen, "missing": chasing}


def review(engine: Engine, actor: str, period: str | None, plan: int | None, page: Page | None = None) -> dict:
    """One page of the period's review queue, riskiest first (the ranking is over the whole
    queue, so a page is cut from it after ranking)."""
    from ..assess.review import review_period

    label = period or next((p["label"] for p in reversed(list_periods(engine)) if p["status"] == "open"), None)
    if label is None:
        return {"period": None, "queue": [], "total": 0, "page": 1, "pages": 1}
    queue = review_period(engine, label, str(plan) if plan else None)
    page = page or Page()
    shown = queue[page.offset:page.offset + page.size]
    return {"period": label, "total": len(queue), "page": max(page.number, 1), "pages": max(1, -(-len(queue) // page.size)),
            "queue": [{"report": f.report_id, "item": f.item, "title": f.title, "department": f.department,
                       "risk": f.score, "flags": [reason for _, reason in f.flags]} for f in shown]}


def audit(engine: Engine, actor: str, entity: str | None, who: str | None, action: str | None, page: int, size: int) -> dict:
    data = audit_page(engine, actor, entity or None, who or None, action or None, Page(page, size))
    data["filters"] = {"entity": entity or "", "actor": who or "", "action": action or ""}
    return data


def reader(engine: Engine, actor: str, plan: int) -> dict:
    """The plan reader: the outline, and the text with every item highlighted where the plan says it."""
    from ..store.people import list_departments
    from ..store.reader import plan_text

    text = plan_text(engine, str(plan))
    from collections import deque

    paragraphs, pending, active = [], deque(text.marks), []
    heads = deque(text.headings)
    for p in text.paragraphs:
        while pending and pending[0].start < p.end:
            active.append(pending.popleft())
        active = [m for m in active if m.end > p.start]
        anchors = []
        while heads and heads[0].start < p.end:
            anchors.append(heads.popleft().id)
        placed = _placed(p, active)
        paragraphs.append({"start": p.start, "end": p.end, "anchors": anchors,
                           "marks": [{"ref": m.ref, "kind": m.kind, "at": list(local)} for m, local in placed],
                           "fragments": _fragments(p, placed)})
    counts = {kind: sum(m.kind == kind for m in text.marks) for kind in ("target", "task", "project")}
    return {"plan": {"id": text.plan_id, "title": text.title, "current": text.current},
            "headings": [{"id": h.id, "level": h.level, "label": h.label, "title": h.title} for h in text.headings],
            "paragraphs": paragraphs, "counts": counts, "departments": [d["name"] for d in list_departments(engine)],
            "items": [{"ref": m.ref, "kind": m.kind, "label": m.label} for m in text.marks]}


def _placed(p, marks) -> list[tuple]:
    """Each mark's span within the paragraph: where its quote is found, else its offsets, clipped."""
    out = []
    for m in marks:
        at = p.text.find(m.quote) if m.quote and len(m.quote) <= len(p.text) else -1
        if at >= 0 and m.start <= p.end and m.end >= p.start:
            local = (at, at + len(m.quote))
        else:
            local = (max(0, m.start - p.start), min(len(p.text), m.end - p.start))
        if local[1] > local[0]:
            out.append((m, local))
    return out


def _fragments(p, placed: list[tuple]) -> list[dict]:
    """The paragraph cut at every mark boundary; each piece names the marks covering it and links
    to the innermost item (a target or project inside a task's sentence); a badge opens each task."""
    cuts = sorted({0, len(p.text)} | {x for _, local in placed for x in local})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [(m, local) for m, local in placed if local[0] <= a and local[1] >= b]
        for m, local in placed:
            if m.kind == "task" and local[0] == a:
                out.append({"badge": m.ref, "link": f"/items/{m.ref}", "title": m.label})
        inner = min(covering, key=lambda c: (c[1][1] - c[1][0], c[0].kind == "task"), default=None)
        piece = {"text": p.text[a:b], "kinds": sorted({m.kind for m, _ in covering})}
        if inner:
            m = inner[0]
            piece |= {"ref": m.ref, "title": f"{m.ref} {m.label}", "link": f"/items/{m.ref}"}
        out.append(piece)
    return out
