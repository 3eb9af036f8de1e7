"""A procedure's processing time in its own unit, and whether a fee pauses its clock: written
by the admin API and the import, read by the list and the detail (API.md, Catalogue)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Procedure
from tests.factories import AuthAs, make_officer, make_online_procedure
from tests.factories import procedure_record as procedure


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_online_procedure(session)
    make_officer(session, "root", role="admin")


def test_a_procedure_in_calendar_days_that_pauses_for_fees(
    client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    record = procedure(
        processing_days=None,
        processing_time={"value": 30, "unit": "calendar_days"},
        fee_pauses_clock=True,
    )
    del record["processing_days"]
    created = client.post("/api/v1/procedures", json=record, headers=auth_as("root"))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["processing_time"] == {"value": 30.0, "unit": "calendar_days"}
    assert body["processing_days"] == 30
    assert body["fee_pauses_clock"] is True
    detail = client.get("/api/v1/procedures/1.009999.H20").json()
    assert detail["processing_time"] == body["processing_time"]
    assert detail["fee_pauses_clock"] is True
    item = client.get("/api/v1/procedures", params={"q": "le hoi"}).json()["items"][0]
    assert item["processing_time"] == {"value": 30.0, "unit": "calendar_days"}
    assert "fee_pauses_clock" not in item  # the detail's field only
    row = session.get(Procedure, "1.009999.H20")
    assert row is not None
    assert (row.processing_amount, row.processing_unit, row.fee_pauses_clock) == (
        30.0,
        "calendar_days",
        True,
    )


@pytest.mark.parametrize(
    ("time", "days"),
    [
        ({"value": 0.5}, 1),  # the unit defaults to working days; older clients see 1 day
        ({"value": 2.5, "unit": "working_days"}, 3),
        ({"value": 4, "unit": "working_hours"}, 1),
        ({"value": 20, "unit": "working_hours"}, 3),
        ({"value": 2, "unit": "months"}, 60),
        ({"value": 0, "unit": "working_days"}, 0),
    ],
)
def test_half_days_hours_and_months(
    client: TestClient, auth_as: AuthAs, time: dict[str, Any], days: int
) -> None:
    record = procedure(processing_time=time)
    del record["processing_days"]
    created = client.post("/api/v1/procedures", json=record, headers=auth_as("root"))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["processing_time"]["value"] == time["value"]
    assert body["processing_time"]["unit"] == time.get("unit", "working_days")
    assert body["processing_days"] == days
    assert body["fee_pauses_clock"] is False


def test_processing_days_alone_is_working_days(client: TestClient, auth_as: AuthAs) -> None:
    created = client.post(
        "/api/v1/procedures", json=procedure(processing_days=7), headers=auth_as("root")
    )
    assert created.json()["processing_time"] == {"value": 7.0, "unit": "working_days"}
    # an older client sends back what it read, with its own change to processing_days
    record = {**created.json(), "processing_days": 9}
    for name in ("online_mode", "retired_at"):
        record.pop(name)
    replaced = client.put("/api/v1/procedures/1.009999.H20", json=record, headers=auth_as("root"))
    assert replaced.status_code == 422
    assert "processing_days (9) không khớp" in replaced.text
    record["processing_time"] = {"value": 9, "unit": "working_days"}
    replaced = client.put("/api/v1/procedures/1.009999.H20", json=record, headers=auth_as("root"))
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["processing_days"] == 9


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ({"value": 0.3}, "bội số của 0,5"),
        ({"value": 1.5, "unit": "calendar_days"}, "số nguyên khi tính theo ngày"),
        ({"value": 0.5, "unit": "months"}, "số nguyên khi tính theo tháng"),
        ({"value": -1}, "phải từ 0 trở lên"),
        ({"value": 3651}, "tối đa 3650 ngày làm việc"),
        ({"value": 121, "unit": "months"}, "tối đa 120 tháng"),
        ({"value": 1, "unit": "weeks"}, "'working_days'"),
        ({"value": 1, "unit": "working_days", "extra": 1}, "không được hỗ trợ"),
        ({"unit": "working_days"}, "bắt buộc"),
    ],
)
def test_a_bad_processing_time_is_refused_and_nothing_is_written(
    client: TestClient, session: Session, auth_as: AuthAs, time: dict[str, Any], message: str
) -> None:
    record = procedure(processing_time=time)
    del record["processing_days"]
    response = client.post("/api/v1/procedures", json=record, headers=auth_as("root"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_catalogue"
    assert message in error["details"][0]["msg"]
    assert session.get(Procedure, "1.009999.H20") is None


def test_a_procedure_without_any_processing_time_is_refused(
    client: TestClient, auth_as: AuthAs
) -> None:
    record = procedure()
    del record["processing_days"]
    response = client.post("/api/v1/procedures", json=record, headers=auth_as("root"))
    assert response.status_code == 422
    assert "bắt buộc: thời hạn giải quyết (processing_time, hoặc processing_days)" in response.text


def test_the_import_reads_processing_times(client: TestClient, auth_as: AuthAs) -> None:
    records = [
        procedure("1.009998.H20", processing_time={"value": 4, "unit": "working_hours"}),
        procedure("1.009997.H20", processing_days=3),
    ]
    del records[0]["processing_days"]
    document = {"procedures": records}
    first = client.post("/api/v1/catalogue/import", json=document, headers=auth_as("root"))
    assert first.status_code == 200, first.text
    assert first.json()["created"]["procedures"] == 2
    again = client.post("/api/v1/catalogue/import", json=document, headers=auth_as("root"))
    assert again.json()["unchanged"]["procedures"] == 2  # re-importing changes nothing
    detail = client.get("/api/v1/procedures/1.009998.H20").json()
    assert detail["processing_time"] == {"value": 4.0, "unit": "working_hours"}
