"""The indicators over HTTP on the days the calendar makes hard (DOMAIN.md §5–6): Tết, the
30/4–1/5 holiday with its make-up Saturday, National Day, and a procedure whose level changes
between two dossiers. The histories are written through the workflow at chosen moments (HTTP
takes the server's clock); the figures are read through the statistics endpoints, so the
counters, the queries and the rows are all on the path. On SQLite and PostgreSQL."""

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models.catalogue import Procedure
from app.models.types import VN_TZ
from tests.factories import (
    ONLINE_DOCUMENTS,
    ONLINE_FORM_SCHEMA,
    ONLINE_PROCEDURE,
    AuthAs,
    engine_of,
    make_dossier,
    make_officer,
    make_online_procedure,
    move,
    procedure_record,
)

ON_TIME = "/api/v1/stats/on-time"


@pytest.fixture
def fresh_client(settings: Settings, engine: Any) -> Any:
    """Statistics revalidated on every request, so each write is seen at once."""
    with TestClient(create_app(settings.model_copy(update={"stats_check_s": 0}), engine)) as c:
        yield c


def vn(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def done(session: Session, code: str, start: datetime, end: datetime) -> None:
    move(engine_of(session), code, "start_processing", now=start)
    move(engine_of(session), code, "complete", now=end)


def on_time(client: TestClient, first: str, last: str, **params: str) -> Any:
    response = client.get(ON_TIME, params={"from": first, "to": last, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_tet_is_no_working_time(fresh_client: TestClient, session: Session) -> None:
    """Tết 2025 (Labour Code 2019 Art. 112; the days off 27–31 January): received Friday
    24 January 09:00 with 3 working days, due Wednesday 5 February 17:00; done Tuesday
    4 February 09:00: on time, and 2 working days of processing (6.5 desk hours on Friday, 8
    on Monday 3 February, 1.5 on Tuesday). January, judged at its end, has it in progress
    and not yet due."""
    make_online_procedure(session, processing_days=3)
    made = make_dossier(session, "accepted", now=vn(2025, 1, 24, 9))
    assert made.dossier.due_at == vn(2025, 2, 5, 17)
    done(session, made.code, vn(2025, 2, 3, 8), vn(2025, 2, 4, 9))
    january = on_time(fresh_client, "2025-01-01", "2025-01-31")["total"]
    assert (january["received"], january["in_progress"], january["on_time_ratio"]) == (1, 1, 1.0)
    assert january["processed"] == 1  # 2.2 counts it where it was received
    february = on_time(fresh_client, "2025-02-01", "2025-02-28")["total"]
    assert (february["carried_over"], february["on_time"], february["late"]) == (1, 1, 0)
    assert january["avg_working_days"] == 2.0


def test_the_make_up_saturday_counts_as_a_working_day(
    fresh_client: TestClient, session: Session
) -> None:
    """2025: Friday 2 May off, Saturday 26 April worked in exchange (the `holidays` package's
    weekend workdays). Received Thursday 24 April 09:00 with 2 working days: due Saturday
    26 April 17:00, not Monday 28 April. Done Monday 28 April 09:00: late, and 3 working days
    of processing (Thursday 6.5 h, Friday 8, Saturday 8, Monday 1.5). Received Tuesday
    29 April with 1 working day: 30 April, 1 and 2 May and the weekend are off, due Monday
    5 May 17:00; done then at 16:00, on time."""
    make_online_procedure(session, processing_days=2)
    late = make_dossier(session, "accepted", now=vn(2025, 4, 24, 9))
    assert late.dossier.due_at == vn(2025, 4, 26, 17)
    done(session, late.code, vn(2025, 4, 25, 8), vn(2025, 4, 28, 9))
    april = on_time(fresh_client, "2025-04-01", "2025-04-30")["total"]
    assert (april["finished"], april["on_time"], april["late"], april["on_time_ratio"]) == (
        1,
        0,
        1,
        0.0,
    )
    assert april["avg_working_days"] == 3.0
    with Session(engine_of(session)) as s:
        s.get_one(Procedure, ONLINE_PROCEDURE).processing_amount = 1.0
        s.commit()
    in_time = make_dossier(session, "accepted", now=vn(2025, 4, 29, 9))
    assert in_time.dossier.due_at == vn(2025, 5, 5, 17)
    done(session, in_time.code, vn(2025, 5, 5, 8), vn(2025, 5, 5, 16))
    may = on_time(fresh_client, "2025-05-01", "2025-05-31")["total"]
    assert (may["carried_over"], may["on_time"], may["late"], may["on_time_ratio"]) == (
        1,
        1,
        0,
        1.0,
    )
    # From Tuesday 09:00: 6.5 h that day, then Monday 5 May 07:30–16:00, 7 h (lunch off).
    assert on_time(fresh_client, "2025-04-29", "2025-04-29")["total"]["avg_working_days"] == (
        round(13.5 / 8, 3)
    )


def test_national_day(fresh_client: TestClient, session: Session) -> None:
    """2025: Monday 1 and Tuesday 2 September off. Received Friday 29 August 09:00 with
    1 working day: due Wednesday 3 September 17:00; done then at 10:00: on time, 1.125
    working days (6.5 h on Friday, 2.5 on Wednesday)."""
    make_online_procedure(session, processing_days=1)
    made = make_dossier(session, "accepted", now=vn(2025, 8, 29, 9))
    assert made.dossier.due_at == vn(2025, 9, 3, 17)
    done(session, made.code, vn(2025, 9, 3, 8), vn(2025, 9, 3, 10))
    summer = on_time(fresh_client, "2025-08-01", "2025-09-30")["total"]
    assert (summer["on_time"], summer["late"], summer["avg_working_days"]) == (1, 0, 1.125)


def test_a_level_change_over_http_keeps_past_figures(
    fresh_client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    """An admin upgrades the procedure from level 3 to 4 between two dossiers: statistics by
    level, and the level filter, keep the first at level 3."""
    make_online_procedure(session, processing_days=5)
    make_officer(session, "root", role="admin")
    make_dossier(session, "accepted", now=vn(2025, 3, 3, 9))
    upgraded = procedure_record(
        ONLINE_PROCEDURE,
        level=4,
        processing_days=5,
        form_schema=ONLINE_FORM_SCHEMA,
        required_documents=ONLINE_DOCUMENTS,
    )
    put = fresh_client.put(
        f"/api/v1/procedures/{ONLINE_PROCEDURE}", json=upgraded, headers=auth_as("root")
    )
    assert put.status_code == 200 and put.json()["level"] == 4, put.text
    make_dossier(session, "accepted", now=vn(2025, 3, 4, 9))
    by_level = on_time(fresh_client, "2025-03-01", "2025-03-31", group_by="level")
    received = {row["key"]: row["received"] for row in by_level["rows"]}
    assert received == {"1": 0, "2": 0, "3": 1, "4": 1}
    level_3 = on_time(fresh_client, "2025-03-01", "2025-03-31", level="3")["total"]
    assert level_3["received"] == 1
