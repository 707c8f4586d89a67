"""Review with its consequence: approving a report changes what the assessment counts, so the
stored assessments it makes stale are computed again at once (the dashboards read stored rows).
The CLI's ``report approve`` and the web's review form both call ``review_and_reassess``.

The review is one transaction and each re-assessment another: a stored assessment is derived
data, so a re-assessment that fails leaves the review standing and the next ``assess`` (or
approval) puts the stored rows right.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from ..store import review_reports
from ..store.assessments import assessments_after
from .run import assess_plan


@dataclass(frozen=True)
class Reviewed:
    reports: list[dict]  # the reviewed reports, as ``store.progress.report_dict``
    reassessed: tuple[tuple[int, str], ...] = ()  # (plan id, as of) assessments stored anew

    @property
    def summary(self) -> str:
        done = "、".join(f"规划 {plan} {as_of}" for plan, as_of in self.reassessed)
        return f"{len(self.reports)} report(s) reviewed" + (f"; re-assessed {done}" if done else "")


def review_and_reassess(engine: Engine, report_ids: list[int], decision: str, comment: str = "",
                        actor: str | None = None) -> Reviewed:
    """Approve or return reports (all or none); after an approval, store the new assessment of
    each plan as of the reports' periods and of every later period already assessed."""
    reports = review_reports(engine, report_ids, decision, comment, actor=actor)
    if decision != "approve":  # a returned report never counted
        return Reviewed(reports)
    stale = assessments_after(engine, [r["id"] for r in reports])
    for plan_id, as_of in stale:
        assess_plan(engine, str(plan_id), as_of, actor=actor, save=True)
    return Reviewed(reports, tuple(stale))
