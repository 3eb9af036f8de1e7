"""A supplement request names the documents it asks for, and the supplement sends only those
(API.md, Officers and Applicant; DOMAIN.md §4); an empty `form` part and an empty file in a
supplement."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlmodel import Session, col

from app.config import Settings
from app.models import DossierEvent
from tests.dossier_helpers import everything, submit
from tests.factories import (
    JPEG_BYTES,
    PDF_BYTES,
    make_dossier,
    make_officer,
    make_online_procedure,
    officer_headers,
)

ACTIONS = "/api/v1/officer/dossiers/{code}/actions"
NOTE = "Ảnh giấy chứng sinh bị mờ, đề nghị chụp lại."
PHOTO = ("anh", ("anh-moi.jpg", JPEG_BYTES, "image/jpeg"))
FORM_FILE = ("to_khai", ("to-khai-moi.pdf", PDF_BYTES + b"2", "application/pdf"))


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_online_procedure(session)
    make_officer(session, "lan")


@pytest.fixture
def created(client: TestClient) -> dict[str, Any]:
    response = submit(client)
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    return body


def ask(client: TestClient, code: str, version: int = 1, **fields: Any) -> Any:
    body = {"action": "request_supplement", "version": version, "public_note": NOTE, **fields}
    return client.post(ACTIONS.format(code=code), json=body, headers=officer_headers(client))


def send(client: TestClient, code: str, token: str, parts: list[Any]) -> Any:
    return client.post(
        f"/api/v1/dossiers/{code}/supplement",
        files=parts,
        headers={"Authorization": f"Bearer {token}"},
    )


def details(client: TestClient, code: str, token: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get(
        f"/api/v1/dossiers/{code}/details", headers={"Authorization": f"Bearer {token}"}
    ).json()
    return body


def test_the_request_names_its_documents_and_the_applicant_sees_them(
    client: TestClient, created: dict[str, Any], session: Session
) -> None:
    code, token = created["code"], created["access_token"]
    asked = ask(client, code, documents=["anh", "anh"])
    assert asked.status_code == 200, asked.text
    assert asked.json()["events"][-1]["documents"] == ["anh"]  # each once
    event = session.scalars(
        select(DossierEvent).where(col(DossierEvent.action) == "request_supplement")
    )
    assert event.one().documents == ["anh"]
    shown = details(client, code, token)
    assert shown["requested_documents"] == [{"key": "anh", "name": "Ảnh chụp giấy chứng sinh"}]
    assert send(client, code, token, [PHOTO]).status_code == 200
    assert details(client, code, token)["requested_documents"] == []  # none open any more


@pytest.mark.parametrize(
    ("documents", "code", "loc"),
    [
        pytest.param(None, "documents_required", ["body", "documents"], id="absent"),
        pytest.param([], "documents_required", ["body", "documents"], id="empty"),
        pytest.param(["giay_cuoi"], "unknown_document", ["body", "documents", "giay_cuoi"]),
        pytest.param(["anh", "x"], "unknown_document", ["body", "documents", "x"], id="one-bad"),
    ],
)
def test_a_request_without_known_documents_is_refused_and_changes_nothing(
    client: TestClient,
    created: dict[str, Any],
    engine: Engine,
    settings: Settings,
    documents: list[str] | None,
    code: str,
    loc: list[str],
) -> None:
    before = everything(engine, settings)
    fields: dict[str, Any] = {} if documents is None else {"documents": documents}
    answer = ask(client, created["code"], **fields)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == code
    assert [d["loc"] for d in error["details"]] == [loc]
    if code == "unknown_document":  # it names the procedure's documents in Vietnamese
        assert "Tờ khai đăng ký khai sinh" in error["details"][0]["msg"]
    assert everything(engine, settings) == before


def test_documents_go_with_a_supplement_request_only(
    client: TestClient, created: dict[str, Any], engine: Engine, settings: Settings
) -> None:
    before = everything(engine, settings)
    body = {"action": "accept", "version": 1, "documents": ["anh"]}
    answer = client.post(
        ACTIONS.format(code=created["code"]), json=body, headers=officer_headers(client)
    )
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "invalid_documents"
    assert everything(engine, settings) == before


@pytest.mark.parametrize(
    "parts",
    [
        pytest.param([FORM_FILE], id="other"),
        pytest.param([PHOTO, FORM_FILE], id="asked-and-other"),
        pytest.param([FORM_FILE, PHOTO], id="other-first"),
    ],
)
def test_only_the_documents_asked_for_may_be_sent(
    client: TestClient,
    created: dict[str, Any],
    engine: Engine,
    settings: Settings,
    parts: list[Any],
) -> None:
    code, token = created["code"], created["access_token"]
    assert ask(client, code, documents=["anh"]).status_code == 200
    before = everything(engine, settings)
    answer = send(client, code, token, parts)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "document_not_requested"
    assert "Tờ khai đăng ký khai sinh" in error["message"]  # by its name, not its key
    assert error["details"] == [
        {"loc": ["files", "to_khai"], "msg": "chỉ bổ sung: Ảnh chụp giấy chứng sinh"}
    ]
    assert everything(engine, settings) == before


def test_a_request_made_before_documents_were_named_takes_any_document(
    client: TestClient, engine: Engine, session: Session
) -> None:
    made = make_dossier(engine, "supplement_requested")
    session.execute(update(DossierEvent).values(documents=None))  # as the migration leaves it
    session.commit()
    assert details(client, made.code, made.access_token)["requested_documents"] == []
    answer = send(client, made.code, made.access_token, [FORM_FILE, PHOTO])
    assert answer.status_code == 200, answer.text


def test_an_empty_form_part_is_no_form(
    client: TestClient, created: dict[str, Any], session: Session
) -> None:
    code, token = created["code"], created["access_token"]
    assert ask(client, code, documents=["anh"]).status_code == 200
    before = details(client, code, token)["form"]
    for empty in ("", "  \r\n"):
        parts = [("form", (None, empty)), PHOTO]
        answer = send(client, code, token, parts)
        assert answer.status_code == 200, answer.text
        assert details(client, code, token)["form"] == before
        assert ask(client, code, answer_version(client, code), documents=["anh"]).status_code == 200


def answer_version(client: TestClient, code: str) -> int:
    view = client.get(f"/api/v1/officer/dossiers/{code}", headers=officer_headers(client)).json()
    version: int = view["version"]
    return version


def test_an_empty_form_part_alone_is_an_empty_supplement(
    client: TestClient, created: dict[str, Any], engine: Engine, settings: Settings
) -> None:
    code, token = created["code"], created["access_token"]
    assert ask(client, code, documents=["anh"]).status_code == 200
    before = everything(engine, settings)
    answer = send(client, code, token, [("form", (None, ""))])
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "empty_supplement"
    assert everything(engine, settings) == before


def test_an_empty_file_in_a_supplement_is_refused_as_empty(
    client: TestClient, created: dict[str, Any], engine: Engine, settings: Settings
) -> None:
    code, token = created["code"], created["access_token"]
    assert ask(client, code, documents=["anh"]).status_code == 200
    before = everything(engine, settings)
    for parts in ([("anh", ("anh.jpg", b"", "image/jpeg"))], [PHOTO, ("anh", ("b.jpg", b"", ""))]):
        answer = send(client, code, token, parts)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["code"] == "empty_file"
        assert answer.json()["error"]["details"] == [{"loc": ["files", "anh"], "msg": "tệp rỗng"}]
    assert everything(engine, settings) == before


def test_a_multipart_request_names_its_documents_in_one_part(
    client: TestClient, created: dict[str, Any]
) -> None:
    parts = {
        "action": "request_supplement",
        "version": "1",
        "public_note": NOTE,
        "documents": " anh, to_khai ,",
    }
    answer = client.post(
        ACTIONS.format(code=created["code"]),
        files=[(name, (None, value)) for name, value in parts.items()],
        headers=officer_headers(client),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["events"][-1]["documents"] == ["anh", "to_khai"]
