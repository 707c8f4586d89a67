"""``planwatch indicators`` and ``planwatch cascade``: the same indicator across plans."""

from __future__ import annotations

from dataclasses import asdict

import click

from .app import db_option, engine_for, format_option, main, print_rows


@main.command()
@click.option("--query", "-q", help="Only indicators whose name (or a plan's wording of it) contains this.")
@click.option("--min-plans", type=click.IntRange(min=1), default=1, show_default=True, help="Only indicators targeted by this many plans.")
@db_option
@format_option
def indicators(query: str | None, min_plans: int, db: str | None, fmt: str) -> None:
    """Each canonical indicator with every current plan that targets it (region, level, value, year, binding).

    Plans' own names (全区森林覆盖率, GDP增速, 单位GDP能耗降低) are mapped to one indicator by a
    synonym table shipped with planwatch, then by character similarity.

    Example: planwatch indicators --query 森林 --min-plans 2
    """
    from ..store.indicators import indicators as run

    found = run(engine_for(db), query=query, min_plans=min_plans)
    if fmt == "json":
        print_rows([{"indicator": s.name, "direction": s.direction, "plans": s.plans,
                     "targets": [_target(t) for t in s.targets]} for s in found], fmt, "")
        return
    rows = [{"indicator": s.name, "plan": f"#{t.plan_id}", "region": t.region, "level": t.level, "metric": t.metric,
             "value": f"{t.comparator if t.comparator != '=' else ''}{t.value:g}{t.unit}", "year": t.year, "binding": t.binding,
             "ref": t.ref}
            for s in found for t in s.targets]
    print_rows(rows, fmt, f"{len(found)} indicator(s)")


@main.command()
@click.option("--parent", required=True, help="The upper plan (id or a unique part of its title).")
@click.option("--child", "children", multiple=True, help="A lower plan (repeatable); default: current plans of regions inside the parent's.")
@db_option
@format_option
def cascade(parent: str, children: tuple[str, ...], db: str | None, fmt: str) -> None:
    """Compare a city's targets with its districts' and list the conflicts with their sources.

    A district floor below the city's, a binding city target no district carries, district
    totals short of a city total. Exit status 0 whether or not conflicts are found.

    Example: planwatch cascade --parent 青川市国民经济和社会发展
    """
    from ..assess.cascade import cascade as run

    result = run(engine_for(db), parent, list(children) or None)
    if fmt == "json":
        print_rows({"parent": {"id": result.parent_id, "title": result.parent, "region": result.region},
                    "children": [asdict(c) for c in result.children],
                    "conflicts": [{"kind": c.kind, "indicator": c.indicator, "detail": c.detail, "parent": _target(c.parent),
                                   "children": [_target(t) for t in c.children]} for c in result.conflicts]}, fmt, "")
        return
    rows = [{"kind": c.kind, "indicator": c.indicator, "detail": c.detail,
             "sources": "; ".join(f"#{t.plan_id} {t.ref} chars {t.span_start}–{t.span_end}" for t in (c.parent, *c.children))}
            for c in result.conflicts]
    print_rows(rows, fmt, f"#{result.parent_id} {result.region or result.parent}: {len(result.children)} lower plan(s), "
                          f"{len(result.conflicts)} conflict(s)")


def _target(t) -> dict:
    return {"ref": t.ref, "plan_id": t.plan_id, "plan": t.plan, "region": t.region, "level": t.level, "metric": t.metric,
            "value": t.value, "unit": t.unit, "comparator": t.comparator, "type": t.type, "year": t.year, "binding": t.binding,
            "quote": t.quote, "section": list(t.section), "span": [t.span_start, t.span_end]}
