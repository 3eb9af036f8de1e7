"""`stats rebuild` repairs drift without losing the dossier writes that run meanwhile."""

import pytest
from sqlalchemy import Engine, func, select, update
from sqlmodel import Session

from app.models.stats import stat_daily, stat_due, stat_monthly, stat_revision
from app.services.stats import counters
from tests.factories import make_dossier, move


def total(engine: Engine, column: str) -> tuple[int, int]:
    with Session(engine) as session:
        daily = session.scalar(select(func.sum(stat_daily.c[column]))) or 0
        monthly = session.scalar(select(func.sum(stat_monthly.c[column]))) or 0
    return int(daily), int(monthly)


def test_a_submission_during_the_rebuild_is_kept(
    threaded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def submit() -> None:
        make_dossier(threaded_engine)

    for _ in range(2):
        submit()
    with Session(threaded_engine) as session:
        session.execute(update(stat_daily).values(submitted=stat_daily.c.submitted + 5))
        session.commit()
    assert total(threaded_engine, "submitted") == (7, 2)

    read_counters = counters.current_counters

    def submit_then_read(
        session: Session,
    ) -> tuple[counters.Rows, counters.Rows, counters.Rows]:
        # A dossier committed after the rebuild has read the dossiers and before it reads
        # the counters: its counters must neither be lost nor be counted twice.
        submit()
        return read_counters(session)

    monkeypatch.setattr(counters, "current_counters", submit_then_read)
    report = counters.rebuild(threaded_engine)
    monkeypatch.undo()
    assert len(report.drifted) == 1 and "'submitted': -5" in report.drifted[0]
    assert total(threaded_engine, "submitted") == (3, 3)
    assert total(threaded_engine, "st_new") == (3, 3)
    assert counters.rebuild(threaded_engine, dry_run=True).drifted == []
    with Session(threaded_engine) as session:
        assert session.scalar(select(stat_revision.c.revision)) == 1


def test_a_rebuild_without_drift_writes_nothing(threaded_engine: Engine) -> None:
    make_dossier(threaded_engine)
    report = counters.rebuild(threaded_engine)
    assert report.drifted == [] and report.groups == 1
    with Session(threaded_engine) as session:
        assert not session.scalar(select(stat_revision.c.revision))  # no row, or never bumped


def test_due_rows_leave_when_the_clock_stops(threaded_engine: Engine) -> None:
    """One due row per due moment: kept at zero they would pile up with every dossier."""
    code = make_dossier(threaded_engine).code

    def due_rows() -> list[int]:
        with Session(threaded_engine) as session:
            return [int(n) for n in session.scalars(select(stat_due.c.n))]

    move(threaded_engine, code, "accept")
    assert due_rows() == [1]
    move(threaded_engine, code, "start_processing")
    move(threaded_engine, code, "complete", public_note="Đã giải quyết.")
    assert due_rows() == []
    assert counters.rebuild(threaded_engine, dry_run=True).drifted == []
