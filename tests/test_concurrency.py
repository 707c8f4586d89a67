"""Two reporters updating the same report at once: one wins, the other is told, none is lost.

Runs threads against a real SQLite file and a real PostgreSQL database.
"""

from __future__ import annotations

import threading

import pytest

from planwatch.errors import ConflictError
from planwatch.store import ReportInput, add_department, assign, list_reports, open_period, submit_report

WRITERS = 4


@pytest.fixture
def reported_db(loaded_db):
    add_department(loaded_db, "区水务局")
    assign(loaded_db, ["T6"], lead="区水务局")
    open_period(loaded_db, "2024Q2")
    submit_report(loaded_db, "T6", "2024Q2", "区水务局", ReportInput("推进中", 10, "first"))
    return loaded_db


def _race(n: int, work) -> list:
    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(i):
        barrier.wait()
        try:
            outcomes[i] = work(i)
        except Exception as exc:  # the outcome under test, whatever it is
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def test_concurrent_updates_from_the_same_version_never_overwrite_silently(reported_db):
    def update(i):
        return submit_report(reported_db, "T6", "2024Q2", "区水务局", ReportInput("推进中", 20 + i, f"writer {i}"),
                             expected_version=1)

    outcomes = _race(WRITERS, update)
    winners = [o for o in outcomes if isinstance(o, dict)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, ConflictError) for o in outcomes if not isinstance(o, dict)), outcomes
    [stored] = list_reports(reported_db)
    assert (stored["narrative"], stored["version"]) == (winners[0]["narrative"], 2)


def test_concurrent_first_reports_on_the_same_item_make_one_report(loaded_db):
    add_department(loaded_db, "区水务局")
    assign(loaded_db, ["T5"], lead="区水务局")
    open_period(loaded_db, "2024Q2")

    def create(i):
        return submit_report(loaded_db, "T5", "2024Q2", "区水务局", ReportInput("推进中", i, f"writer {i}"), expected_version=None)

    outcomes = _race(WRITERS, create)
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ConflictError)], outcomes
    reports = list_reports(loaded_db)
    assert len(reports) == 1
    # without a version to check, later writers update in turn; each update is a new version
    assert reports[0]["version"] == sum(isinstance(o, dict) for o in outcomes)


def test_a_stale_orm_write_is_caught_by_the_version_column(reported_db):
    """Below the service check: a session holding version 1 cannot write over version 2."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    from planwatch.store.schema import ProgressReport

    with Session(reported_db, expire_on_commit=False) as first:
        mine = first.get(ProgressReport, 1)
        first.commit()  # holds version 1 in memory, as a web form would
        with Session(reported_db) as second:
            second.get(ProgressReport, 1).narrative = "theirs"
            second.commit()
        mine.narrative = "mine"
        with pytest.raises(StaleDataError):
            first.commit()
    assert list_reports(reported_db)[0]["narrative"] == "theirs"
