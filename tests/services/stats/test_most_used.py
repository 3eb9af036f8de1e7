"""The most used procedures (services/stats/popular.py): ranked by dossiers in the counters."""

from datetime import date

from sqlalchemy import Engine, insert
from sqlmodel import Session

from app.models import Procedure
from app.models.stats import stat_monthly
from app.models.types import utcnow
from app.services.stats.popular import MostUsedCache, UsedProcedure, most_used_procedures
from tests.factories import make_agency, make_field, make_procedure


def counted(session: Session, code: str, month: date, channel: str, submitted: int) -> None:
    row = {
        "month": month,
        "agency_code": "000.00.00.H20",
        "procedure_code": code,
        "channel": channel,
        "level": 3,
        "submitted": submitted,
    }
    session.execute(insert(stat_monthly).values(**row))
    session.commit()


def catalogue(session: Session) -> None:
    agency, field = make_agency(session), make_field(session)
    for code in ("1.000001", "1.000002", "1.000003", "1.000004"):
        make_procedure(session, agency, field, code, f"Thủ tục {code}")


def test_ranked_by_dossiers_over_months_and_channels(engine: Engine, session: Session) -> None:
    catalogue(session)
    counted(session, "1.000001", date(2025, 1, 1), "online", 3)
    counted(session, "1.000002", date(2025, 1, 1), "online", 2)
    counted(session, "1.000002", date(2025, 2, 1), "counter", 2)  # 4 in all: first
    counted(session, "1.000003", date(2025, 2, 1), "postal", 3)  # a tie with 1.000001: by code
    assert most_used_procedures(engine, 10) == [
        UsedProcedure("1.000002", 4),
        UsedProcedure("1.000001", 3),
        UsedProcedure("1.000003", 3),
    ]
    assert [u.code for u in most_used_procedures(engine, 1)] == ["1.000002"]


def test_retired_procedures_and_empty_rows_are_left_out(engine: Engine, session: Session) -> None:
    catalogue(session)
    counted(session, "1.000001", date(2025, 1, 1), "online", 5)
    counted(session, "1.000004", date(2025, 1, 1), "online", 0)  # a row whose dossiers moved on
    procedure = session.get_one(Procedure, "1.000001")
    procedure.retired_at = utcnow()
    session.commit()
    assert most_used_procedures(engine, 10) == []


def test_the_cache_reads_again_only_after_its_time(engine: Engine, session: Session) -> None:
    catalogue(session)
    now = [0.0]
    cache = MostUsedCache(engine, ttl_s=60, clock=lambda: now[0])
    assert cache.fresh() is None and cache.read() == []
    counted(session, "1.000001", date(2025, 1, 1), "online", 1)
    assert cache.fresh() == []  # kept
    now[0] = 61.0
    assert cache.fresh() is None
    assert cache.read() == [UsedProcedure("1.000001", 1)]
