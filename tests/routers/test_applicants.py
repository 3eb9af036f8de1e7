"""Applicants over HTTP (API.md, Submitting a dossier; DOMAIN.md §3): individuals, foreigners
and organisations, the kinds each procedure takes, what each view shows, and applicants stored
before kinds existed."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlmodel import Session, col

from app.config import Settings
from app.models import Agency, Dossier, Procedure, ProcedureField
from tests.dossier_helpers import DEFAULT_FILES, everything, submit
from tests.factories import (
    APPLICANT,
    FORM,
    AuthAs,
    make_officer,
    make_online_procedure,
    make_procedure,
    officer_headers,
    procedure_record,
)

ONLINE = "1.001193.H20"  # the default kinds: individuals and organisations
FOREIGNERS = "1.000020.H20"  # individuals and foreigners
BUSINESSES = "2.000030.H20"  # organisations only
COMPANY: dict[str, Any] = {
    "kind": "organisation",
    "name": "Hợp tác xã Chè Shan Tuyết Lũng Phìn",
    "tax_code": "0100109106-001",
    "representative": {
        "full_name": "Vàng Seo Sử",
        "title": "Giám đốc",
        "id_number": "002085001234",
    },
    "phone": "0912.345.678",
    "email": "lienhe@chelungphin.vn",
    "address": "Thôn Lũng Phìn, xã Lũng Phìn, tỉnh Tuyên Quang",
}
FOREIGNER: dict[str, Any] = {
    "full_name": "Kim Min-jun",
    "birth_date": "1988-04-02",
    "passport_number": "m12345678",
    "phone": "+84 912 345 678",
    "address": "Khách sạn Phố Cáo, phường Hà Giang 1",
}


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_online_procedure(session)
    agency = session.get_one(Agency, "000.00.00.H20")
    field = session.get_one(ProcedureField, "G01")
    make_procedure(
        session,
        agency,
        field,
        code=FOREIGNERS,
        name="Đăng ký kết hôn có yếu tố nước ngoài",
        applicant_kinds=["individual", "foreigner"],
    )
    make_procedure(
        session,
        agency,
        field,
        code=BUSINESSES,
        name="Cấp giấy chứng nhận đăng ký hợp tác xã",
        applicant_kinds=["organisation"],
    )
    make_officer(session, "lan")
    make_officer(session, "root", role="admin")


def send(client: TestClient, applicant: Any, code: str = ONLINE) -> Any:
    form = FORM if code == ONLINE else {"ho_ten": "Kim Min-jun"}
    files = DEFAULT_FILES
    return submit(client, procedure_code=code, applicant=applicant, form=form, files=files)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_organisation_submits_and_is_stored_as_sent_normalised(
    client: TestClient, session: Session
) -> None:
    response = send(client, COMPANY)
    assert response.status_code == 201, response.text
    dossier = session.scalars(select(Dossier)).one()
    assert dossier.applicant == {
        **COMPANY,
        "representative": {**COMPANY["representative"], "passport_number": None},
        "phone": "+84912345678",
    }
    assert dossier.applicant_name == "hop tac xa che shan tuyet lung phin"


def test_the_officer_and_the_applicant_see_all_of_it_the_public_none(
    client: TestClient,
) -> None:
    created = send(client, COMPANY).json()
    code, token = created["code"], created["access_token"]
    expected = {
        **COMPANY,
        "representative": {**COMPANY["representative"], "passport_number": None},
        "phone": "+84912345678",
    }
    officer = client.get(f"/api/v1/officer/dossiers/{code}", headers=officer_headers(client))
    assert officer.json()["applicant"] == expected
    details = client.get(f"/api/v1/dossiers/{code}/details", headers=bearer(token))
    assert details.json()["applicant"] == expected
    public = client.get(f"/api/v1/dossiers/{code}")
    assert public.status_code == 200 and "applicant" not in public.json()
    text = json.dumps(public.json(), ensure_ascii=False)
    for value in ("Lũng Phìn", "0100109106", "Vàng Seo Sử", "002085001234", "912345678", "@"):
        assert value not in text


def test_an_older_client_without_kind_submits_an_individual(client: TestClient) -> None:
    created = send(client, {**APPLICANT, "phone": "0912 345 678"}).json()
    details = client.get(
        f"/api/v1/dossiers/{created['code']}/details", headers=bearer(created["access_token"])
    ).json()
    assert details["applicant"]["kind"] == "individual"
    assert details["applicant"]["phone"] == "+84912345678"
    assert details["applicant"]["id_number"] == APPLICANT["id_number"]


def test_a_foreigner_applies_with_a_passport_where_the_procedure_takes_foreigners(
    client: TestClient, session: Session
) -> None:
    response = send(client, FOREIGNER, code=FOREIGNERS)
    assert response.status_code == 201, response.text
    stored = session.scalars(select(Dossier)).one().applicant
    assert stored["passport_number"] == "M12345678" and stored["id_number"] is None
    assert stored["birth_date"] == "1988-04-02"


@pytest.mark.parametrize(
    ("code", "applicant", "loc"),
    [
        (ONLINE, FOREIGNER, ["applicant", "passport_number"]),
        (BUSINESSES, APPLICANT, ["applicant", "kind"]),
        (FOREIGNERS, COMPANY, ["applicant", "kind"]),
    ],
)
def test_a_kind_the_procedure_does_not_take_is_refused_and_nothing_is_stored(
    client: TestClient,
    engine: Engine,
    settings: Settings,
    code: str,
    applicant: dict[str, Any],
    loc: list[str],
) -> None:
    before = everything(engine, settings)
    response = send(client, applicant, code=code)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "applicant_kind_not_allowed"
    assert [d["loc"] for d in error["details"]] == [loc]
    assert error["details"][0]["msg"].startswith("thủ tục chỉ tiếp nhận hồ sơ của: ")
    assert code in error["message"]
    assert everything(client.app.state.engine, settings) == before  # type: ignore[attr-defined]


def test_an_old_identity_card_is_refused_with_the_law_that_ended_it(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    before = everything(engine, settings)
    response = send(client, {**APPLICANT, "id_number": "073123456"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_applicant"
    [detail] = error["details"]
    assert detail["loc"] == ["applicant", "id_number"]
    assert "01/01/2025" in detail["msg"] and "Điều 46" in detail["msg"]
    assert "12 chữ số" in detail["msg"]
    assert everything(client.app.state.engine, settings) == before  # type: ignore[attr-defined]


def test_each_bad_field_of_an_organisation_is_named_in_vietnamese(client: TestClient) -> None:
    bad = {
        **COMPANY,
        "tax_code": "0100109107",
        "phone": "+1 202 555 0100",
        "representative": {"full_name": "", "title": "Giám đốc", "id_number": "00208500123"},
    }
    response = send(client, bad)
    assert response.status_code == 422
    details = {tuple(d["loc"]): d["msg"] for d in response.json()["error"]["details"]}
    assert set(details) == {
        ("applicant", "tax_code"),
        ("applicant", "phone"),
        ("applicant", "representative", "full_name"),
        ("applicant", "representative", "id_number"),
    }
    assert "chữ số kiểm tra" in details[("applicant", "tax_code")]
    assert "12 chữ số" in details[("applicant", "representative", "id_number")]
    assert "0100109107" not in response.text and "202 555" not in response.text


def test_the_queue_finds_organisations_by_their_name(client: TestClient) -> None:
    company = send(client, COMPANY).json()["code"]
    person = send(client, APPLICANT).json()["code"]

    def found(q: str) -> list[tuple[str, str]]:
        body = client.get(
            "/api/v1/officer/dossiers", params={"q": q}, headers=officer_headers(client)
        ).json()
        return [(item["code"], item["applicant_name"]) for item in body["items"]]

    assert found("che shan tuyet") == [(company, COMPANY["name"])]
    assert found("HỢP TÁC XÃ") == [(company, COMPANY["name"])]
    assert found("nguyen thi hoa") == [(person, APPLICANT["full_name"])]


def register(client: TestClient, applicant: Any, code: str = ONLINE) -> Any:
    data = {
        "procedure_code": code,
        "channel": "counter",
        "applicant": json.dumps(applicant),
        "form": json.dumps(FORM),
    }
    files = {"to_khai": ("to-khai.pdf", DEFAULT_FILES[0][1][1], "application/pdf")}
    return client.post(
        "/api/v1/officer/dossiers", data=data, files=files, headers=officer_headers(client)
    )


def test_an_officer_registers_an_organisation_at_the_counter(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    response = register(client, COMPANY)
    assert response.status_code == 201, response.text
    view = client.get(
        f"/api/v1/officer/dossiers/{response.json()['code']}", headers=officer_headers(client)
    ).json()
    assert view["applicant"]["kind"] == "organisation"
    assert view["applicant"]["representative"]["full_name"] == "Vàng Seo Sử"
    before = everything(engine, settings)
    refused = register(client, COMPANY, code=FOREIGNERS)
    assert refused.json()["error"]["code"] == "applicant_kind_not_allowed"
    assert everything(client.app.state.engine, settings) == before  # type: ignore[attr-defined]


def test_an_applicant_stored_before_kinds_still_reads(client: TestClient, session: Session) -> None:
    created = send(client, APPLICANT).json()
    old = {"full_name": "Lò Văn Páo", "id_number": "073123456", "phone": "0912345678"}
    statement = update(Dossier).where(col(Dossier.code) == created["code"]).values(applicant=old)
    session.execute(statement)
    session.commit()
    details = client.get(
        f"/api/v1/dossiers/{created['code']}/details", headers=bearer(created["access_token"])
    )
    assert details.status_code == 200
    assert details.json()["applicant"] == {
        **old,
        "kind": "individual",
        "birth_date": None,
        "passport_number": None,
        "email": None,
        "address": None,
    }
    officer = client.get(
        f"/api/v1/officer/dossiers/{created['code']}", headers=officer_headers(client)
    )
    assert officer.json()["applicant"]["id_number"] == "073123456"
    queue = client.get("/api/v1/officer/dossiers", headers=officer_headers(client)).json()
    assert queue["items"][0]["applicant_name"] == "Lò Văn Páo"


# ---------------------------------------------------------------------------------------------
# The catalogue: who may apply


def test_a_procedure_says_who_may_apply(
    client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    headers = auth_as("root")
    created = client.post("/api/v1/procedures", json=procedure_record(), headers=headers)
    assert created.json()["applicant_kinds"] == ["individual", "organisation"]  # the default
    kinds = ["foreigner", "individual", "foreigner"]
    record = procedure_record(applicant_kinds=kinds)
    updated = client.put("/api/v1/procedures/1.009999.H20", json=record, headers=headers)
    assert updated.json()["applicant_kinds"] == ["individual", "foreigner"]  # once each, in order
    shown = client.get("/api/v1/procedures/1.009999.H20").json()
    assert shown["applicant_kinds"] == ["individual", "foreigner"]
    session.expire_all()
    assert session.get_one(Procedure, "1.009999.H20").applicant_kinds == [
        "individual",
        "foreigner",
    ]
    listed = client.get("/api/v1/procedures", params={"q": "le hoi"}).json()["items"][0]
    assert "applicant_kinds" not in listed  # the procedure's page, not its row in a list


@pytest.mark.parametrize("kinds", [[], ["company"], "individual", None])
def test_who_may_apply_is_one_or_more_known_kinds(
    client: TestClient, session: Session, auth_as: AuthAs, kinds: Any
) -> None:
    response = client.post(
        "/api/v1/procedures", json=procedure_record(applicant_kinds=kinds), headers=auth_as("root")
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_catalogue"
    assert error["details"][0]["loc"][:3] == ["procedures", 0, "applicant_kinds"]
    assert session.get(Procedure, "1.009999.H20") is None


def test_the_import_carries_who_may_apply_and_reimporting_changes_nothing(
    client: TestClient, auth_as: AuthAs
) -> None:
    headers = auth_as("root")
    document = {"procedures": [procedure_record(applicant_kinds=["organisation"])]}
    first = client.post("/api/v1/catalogue/import", json=document, headers=headers).json()
    assert first["created"]["procedures"] == 1
    again = client.post("/api/v1/catalogue/import", json=document, headers=headers).json()
    assert again["unchanged"]["procedures"] == 1
    assert client.get("/api/v1/procedures/1.009999.H20").json()["applicant_kinds"] == [
        "organisation"
    ]


def test_existing_procedures_take_individuals_and_organisations(client: TestClient) -> None:
    assert client.get(f"/api/v1/procedures/{ONLINE}").json()["applicant_kinds"] == [
        "individual",
        "organisation",
    ]
