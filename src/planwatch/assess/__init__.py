"""Assess: is each target on track and each task on schedule, and how do chapters,
departments and the whole plan stand. Pure functions over store records (targets.py with its
methods statcan.py and midterm.py, tasks.py, rollup.py, review.py, match.py); ``run.assess_plan``
reads and saves through the store.
"""

from .rollup import GREEN, GREY, RED, YELLOW, roll_up
from .run import assess_data, assess_plan, year_end
from .settings import METHODS, Thresholds
from .status import DEFAULT_LABELS, STATUS_ORDER
from .targets import Assessment, Point, TargetFacts, assess_target
from .tasks import ReportFacts, TaskAssessment, TaskFacts, assess_task

__all__ = ["DEFAULT_LABELS", "GREEN", "GREY", "METHODS", "RED", "STATUS_ORDER", "YELLOW", "Assessment", "Point", "ReportFacts",
           "TargetFacts", "TaskAssessment", "TaskFacts", "Thresholds", "assess_data", "assess_plan", "assess_target", "assess_task",
           "roll_up", "year_end"]
