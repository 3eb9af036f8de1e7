"""One procedure, many offering agencies (issue 14): reads, filters, submission to the
receiving agency, registration at the counter, and statistics by the receiving agency."""

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from app.config import Settings
from app.main import create_app
from app.models import Agency, Dossier, ProcedureAgency
from app.models.types import VN_TZ
from tests.dossier_helpers import everything, submit
from tests.factories import (
    APPLICANT,
    FORM,
    ONLINE_DOCUMENTS,
    ONLINE_FORM_SCHEMA,
    PDF_BYTES,
    AuthAs,
    make_agency,
    make_field,
    make_officer,
    make_procedure,
    officer_headers,
)

PROVINCE = "000.00.00.H20"
WARD_A = "000.00.31.H20"
WARD_B = "000.00.32.H20"
KHAI_SINH = "1.001193.H20"


@pytest.fixture(autouse=True)
def world(session: Session) -> dict[str, Agency]:
    province = make_agency(session, PROVINCE, "Ủy ban nhân dân tỉnh", "province")
    ward_a = make_agency(session, WARD_A, "UBND phường Hà Giang 1", "commune", province)
    ward_b = make_agency(session, WARD_B, "UBND phường Hà Giang 2", "commune", province)
    field = make_field(session)
    make_procedure(
        session,
        ward_a,
        field,
        KHAI_SINH,
        "Đăng ký khai sinh",
        also_offered_by=[ward_b],
        form_schema=ONLINE_FORM_SCHEMA,
        required_documents=ONLINE_DOCUMENTS,
    )
    make_procedure(session, province, field, "1.000002", "Cấp phiếu lý lịch tư pháp", level=2)
    make_officer(session, "root", role="admin")
    return {"province": province, "a": ward_a, "b": ward_b}


@pytest.fixture
def fresh_client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """Statistics revalidated on every request, so each write is seen at once."""
    with TestClient(create_app(settings.model_copy(update={"stats_check_s": 0}), engine)) as c:
        yield c


AGENCIES = [
    {"code": WARD_A, "name": "UBND phường Hà Giang 1"},
    {"code": WARD_B, "name": "UBND phường Hà Giang 2"},
]


def codes(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/api/v1/procedures", params=params)
    assert response.status_code == 200, response.text
    return [item["code"] for item in response.json()["items"]]


# -- reads --------------------------------------------------------------------------------------


def test_reads_show_every_offering_agency_first_agency_code_first(client: TestClient) -> None:
    item = client.get("/api/v1/procedures", params={"q": "khai sinh"}).json()
    assert item["total"] == 1  # one record, not one per ward
    assert item["items"][0]["agencies"] == AGENCIES
    assert item["items"][0]["agency_code"] == WARD_A
    detail = client.get(f"/api/v1/procedures/{KHAI_SINH}").json()
    assert detail["agencies"] == AGENCIES and detail["agency_code"] == WARD_A


def test_the_agency_filter_matches_any_offering_agency_in_the_subtree(client: TestClient) -> None:
    assert codes(client, agency=WARD_B) == [KHAI_SINH]
    assert codes(client, agency=WARD_A) == [KHAI_SINH]
    # The province's subtree holds both wards: the procedure is listed once.
    page = client.get("/api/v1/procedures", params={"agency": PROVINCE}).json()
    assert [i["code"] for i in page["items"]] == ["1.000002", KHAI_SINH] and page["total"] == 2
    assert codes(client, agency=WARD_B, q="khai sinh") == [KHAI_SINH]
    assert client.get("/api/v1/procedures", params={"agency": "000.00.99.H20"}).status_code == 404


def test_catalogue_statistics_count_a_procedure_once_per_scope(client: TestClient) -> None:
    ward = client.get("/api/v1/stats/catalogue", params={"agency": WARD_B}).json()
    assert ward["total"] == 1 and ward["by_level"]["3"] == 1
    assert client.get("/api/v1/stats/catalogue").json()["total"] == 2


# -- submission -----------------------------------------------------------------------------


def test_an_online_dossier_names_its_receiving_agency(client: TestClient, session: Session) -> None:
    response = submit(client, extra={"agency_code": WARD_B})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["agency_code"] == WARD_B
    assert body["code"].startswith(f"{WARD_B}-{datetime.now(VN_TZ):%y%m%d}-")
    dossier = session.scalars(select(Dossier)).one()
    assert dossier.agency_code == WARD_B
    tracked = client.get(f"/api/v1/dossiers/{body['code']}").json()
    assert tracked["agency"] == {"code": WARD_B, "name": "UBND phường Hà Giang 2"}


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({}, "agency_required"),
        ({"agency_code": "   "}, "agency_required"),
        ({"agency_code": PROVINCE}, "agency_not_offering"),  # an ancestor offers nothing
        ({"agency_code": "000.00.99.H20"}, "agency_not_offering"),
        ({"agency_code": "not a code"}, "agency_not_offering"),
    ],
)
def test_a_dossier_without_an_offering_agency_leaves_no_trace(
    client: TestClient, engine: Engine, settings: Settings, extra: dict[str, str], code: str
) -> None:
    before = everything(engine, settings)
    response = submit(client, extra=extra)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["details"][0]["loc"] == ["agency_code"]
    assert any(ch in error["message"] for ch in "ơưạ")  # Vietnamese
    assert everything(engine, settings) == before


def test_one_offering_agency_needs_no_agency_code(client: TestClient, session: Session) -> None:
    link = session.get(ProcedureAgency, (KHAI_SINH, WARD_B))
    session.delete(link)
    session.commit()
    response = submit(client)
    assert response.status_code == 201, response.text
    assert response.json()["agency_code"] == WARD_A


def register(client: TestClient, who: str, agency: str, **fields: str) -> Any:
    data = {
        "procedure_code": KHAI_SINH,
        "channel": "counter",
        "applicant": json.dumps(APPLICANT),
        "form": json.dumps(FORM),
        **fields,
    }
    files: list[Any] = [(name, (None, value)) for name, value in data.items()]
    files.append(("to_khai", ("to-khai.pdf", PDF_BYTES, "application/pdf")))
    return client.post(
        "/api/v1/officer/dossiers",
        files=files,
        headers=officer_headers(client, who, agency=agency),
    )


def test_a_counter_dossier_defaults_to_the_officers_agency(client: TestClient) -> None:
    response = register(client, "ward-b", WARD_B)
    assert response.status_code == 201, response.text
    assert response.json()["agency_code"] == WARD_B
    assert response.json()["code"].startswith(WARD_B)


def test_a_province_officer_names_the_ward_and_a_ward_officer_only_their_own(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    before = everything(engine, settings)
    refused = register(client, "tinh", PROVINCE)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "agency_required"
    other = register(client, "ward-a", WARD_A, agency_code=WARD_B)
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "other_agency"
    after = everything(engine, settings)
    # Only the officers' accounts (made on first use) differ.
    assert {k: v for k, v in after["rows"].items() if k != "officer"} == {
        k: v for k, v in before["rows"].items() if k != "officer"
    }
    assert after["files"] == before["files"]
    named = register(client, "tinh", PROVINCE, agency_code=WARD_A)
    assert named.status_code == 201, named.text
    assert named.json()["agency_code"] == WARD_A


def test_statistics_by_agency_count_the_receiving_agency(
    fresh_client: TestClient, auth_as: AuthAs
) -> None:
    assert register(fresh_client, "ward-b", WARD_B).status_code == 201
    assert register(fresh_client, "ward-b", WARD_B, channel="postal").status_code == 201
    today = datetime.now(VN_TZ).date().isoformat()
    params = {"from": today, "to": today, "group_by": "agency"}
    body = fresh_client.get("/api/v1/stats/online-ratio", params=params).json()
    totals = {row["key"]: row["total"] for row in body["rows"]}
    assert totals[WARD_B] == 2
    assert totals.get(WARD_A, 0) == 0
    ward_a = fresh_client.get("/api/v1/stats/online-ratio", params={**params, "agency": WARD_A})
    assert ward_a.json()["total"]["total"] == 0


# -- the catalogue's writes -------------------------------------------------------------------


def record(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "1.000894.H20",
        "name": "Đăng ký kết hôn",
        "level": 3,
        "agencies": [WARD_B, WARD_A],
        "field_code": "G01",
        "processing_time": {"value": 5, "unit": "working_days"},
        "required_documents": ONLINE_DOCUMENTS,
        "form_schema": ONLINE_FORM_SCHEMA,
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def test_agencies_alone_make_the_first_the_agency_code(client: TestClient, auth_as: AuthAs) -> None:
    created = client.post("/api/v1/procedures", json=record(), headers=auth_as("root"))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["agency_code"] == WARD_B
    assert [a["code"] for a in body["agencies"]] == [WARD_B, WARD_A]
    assert body["tier"] == "commune"


def test_agency_code_comes_first_in_reads(client: TestClient, auth_as: AuthAs) -> None:
    created = client.post(
        "/api/v1/procedures", json=record(agency_code=WARD_A), headers=auth_as("root")
    )
    assert created.status_code == 201, created.text
    assert [a["code"] for a in created.json()["agencies"]] == [WARD_A, WARD_B]


@pytest.mark.parametrize(
    ("changes", "where", "words"),
    [
        ({"agency_code": PROVINCE}, [], "phải nằm trong danh sách agencies"),
        ({"agencies": [WARD_A, PROVINCE]}, ["agencies", 1], "khác cấp commune"),
        ({"agencies": [WARD_A, "000.00.77.H20"]}, ["agencies", 1], "không có cơ quan"),
        ({"agencies": [WARD_A, WARD_A]}, [], "bị lặp lại"),
        ({"agencies": []}, [], "ít nhất một cơ quan"),
        ({"agencies": None}, [], "cần agency_code hoặc agencies"),
        ({"agencies": ["000.00.31.h20"]}, ["agencies", 0], ""),
    ],
)
def test_bad_offering_agencies_are_refused_and_nothing_is_written(
    client: TestClient,
    auth_as: AuthAs,
    engine: Engine,
    settings: Settings,
    changes: dict[str, Any],
    where: list[Any],
    words: str,
) -> None:
    headers = auth_as("root")
    before = everything(engine, settings)
    response = client.post("/api/v1/procedures", json=record(**changes), headers=headers)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_catalogue"
    assert error["details"][0]["loc"][:2] == ["procedures", 0]
    assert error["details"][0]["loc"][2:] == where
    assert words in error["details"][0]["msg"]
    assert everything(engine, settings) == before


def test_changing_only_the_agencies_is_an_update(
    client: TestClient, auth_as: AuthAs, session: Session
) -> None:
    headers = auth_as("root")
    doc = {"procedures": [record()]}
    assert client.post("/api/v1/catalogue/import", json=doc, headers=headers).status_code == 200
    again = client.post("/api/v1/catalogue/import", json=doc, headers=headers).json()
    assert again["unchanged"]["procedures"] == 1 and again["updated"]["procedures"] == 0
    doc["procedures"][0]["agencies"] = [WARD_B]
    changed = client.post("/api/v1/catalogue/import", json=doc, headers=headers).json()
    assert changed["updated"]["procedures"] == 1
    links = session.scalars(
        select(col(ProcedureAgency.agency_code)).where(
            col(ProcedureAgency.procedure_code) == "1.000894.H20"
        )
    ).all()
    assert links == [WARD_B]
    read = client.get("/api/v1/procedures/1.000894.H20").json()
    assert [a["code"] for a in read["agencies"]] == [WARD_B]  # the cache was invalidated
    assert codes(client, agency=WARD_A, q="ket hon") == []


def test_a_record_read_can_be_written_back(client: TestClient, auth_as: AuthAs) -> None:
    headers = auth_as("root")
    read = client.get(f"/api/v1/procedures/{KHAI_SINH}").json()
    for name in ("online_mode", "retired_at"):
        read.pop(name)
    read["name"] = "Đăng ký khai sinh (sửa)"
    replaced = client.put(f"/api/v1/procedures/{KHAI_SINH}", json=read, headers=headers)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["agencies"] == AGENCIES
