"""Match figures reported in a later document (a statistical communiqué, a work report, a
mid-term review) to the plan's targets, so accepted matches become observations.

    score = metric similarity × unit compatibility × year plausibility

Metric similarity is the Dice coefficient of character bigrams, or containment when one name
holds the other (森林覆盖率 in 全区森林覆盖率). Units are compatible when they differ only by a
magnitude prefix (万亩 vs 亩: factor 10,000) or are % and 个百分点 (penalised: a level is not a
change). A figure's year should fall inside the plan's period.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

MAGNITUDES = {"亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3, "百": 1e2}
# Proposals below this score are noise: on the demo's fictional communiqué the right links
# score above 0.7 and the best wrong ones below 0.45.
MATCH_FLOOR = 0.5
POINTS_PENALTY = 0.8
YEAR_PENALTY = 0.6


@dataclass(frozen=True)
class Proposal:
    target_id: int
    figure_id: int
    score: float
    factor: float
    reasons: tuple[str, ...]


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def metric_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a in b or b in a:
        return 0.9 * min(len(a), len(b)) / max(len(a), len(b)) + 0.1
    ba, bb = bigrams(a), bigrams(b)
    return 2 * len(ba & bb) / (len(ba) + len(bb))


def split_unit(unit: str) -> tuple[float, str]:
    for prefix, factor in MAGNITUDES.items():
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return factor, unit[len(prefix):]
    return 1.0, unit


def unit_factor(figure_unit: str, target_unit: str) -> tuple[float | None, float, str]:
    """(factor to multiply the figure by, score, reason); factor None when incompatible."""
    if figure_unit == target_unit:
        return 1.0, 1.0, "同一单位"
    if {figure_unit, target_unit} == {"%", "个百分点"}:
        return 1.0, POINTS_PENALTY, "% 与 个百分点"
    (fa, base_a), (fb, base_b) = split_unit(figure_unit), split_unit(target_unit)
    if base_a and base_a == base_b:
        return fa / fb, 1.0, f"{figure_unit} → {target_unit} ×{fa / fb:g}"
    return None, 0.0, f"单位不符（{figure_unit} / {target_unit}）"


def score_pair(target: dict, figure: dict, period: tuple[int, int] | None) -> Proposal | None:
    similarity = metric_similarity(figure["metric"], target["metric"])
    factor, unit_score, unit_reason = unit_factor(figure["unit"], target["unit"])
    if factor is None or similarity == 0:
        return None
    year_score, year_reason = 1.0, ""
    if figure.get("year") is not None and period:
        last = target.get("year") or period[1]
        if not (period[0] - 1 <= figure["year"] <= last):
            year_score, year_reason = YEAR_PENALTY, f"年份 {figure['year']} 不在规划期内"
    score = similarity * unit_score * year_score
    reasons = (f"指标相似度 {similarity:.2f}（{figure['metric']} / {target['metric']}）", unit_reason) + ((year_reason,) if year_reason else ())
    return Proposal(target["id"], figure["id"], round(score, 4), factor, reasons)


def propose(targets: list[dict], figures: list[dict], period: tuple[int, int] | None) -> list[Proposal]:
    """For each figure, its best-scoring target above the floor (ties: every tied target)."""
    out = []
    for figure in figures:
        scored = [p for t in targets if (p := score_pair(t, figure, period)) and p.score >= MATCH_FLOOR]
        if scored:
            best = max(p.score for p in scored)
            out += [p for p in scored if p.score == best]
    return out


def propose_matches(engine: Engine, plan: str, document: str, actor: str | None = None) -> list[dict]:
    """Score the document's reported figures against the plan's targets and keep the proposals."""
    from ..store.matches import match_inputs, save_proposals

    data = match_inputs(engine, plan, document)
    proposals = propose(data["targets"], data["figures"], data["period"])
    return save_proposals(engine, [p.__dict__ for p in proposals], actor=actor)
