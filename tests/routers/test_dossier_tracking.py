"""Public tracking by code, and the applicant's access with the dossier's token."""

import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlmodel import Session

from app.config import Settings
from app.db import unit_of_work
from app.main import create_app
from app.models import Dossier, DossierEvent, DossierFile
from app.models.dossier import MOVE_NOTES, DossierStatus
from app.models.types import utcnow
from app.services.dossiers import tracking, workflow
from tests.dossier_helpers import submit
from tests.factories import (
    APPLICANT,
    FORM,
    JPEG_BYTES,
    PDF_BYTES,
    make_dossier,
    make_online_procedure,
    move,
)

FILES = [
    ("to_khai", ("Tờ khai của bà Hoa.pdf", PDF_BYTES, "application/pdf")),
    ("anh", ("ảnh giấy chứng sinh.jpg", JPEG_BYTES, "image/jpeg")),
]


@pytest.fixture
def created(client: TestClient, session: Session) -> dict[str, Any]:
    make_online_procedure(session)
    response = submit(client, files=FILES)
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_public_view_shows_status_dates_and_history(
    client: TestClient, created: dict[str, Any]
) -> None:
    response = client.get(f"/api/v1/dossiers/{created['code']}")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == created["code"]
    assert body["procedure"] == {"code": "1.001193.H20", "name": "Đăng ký khai sinh"}
    assert body["agency"] == {"code": "000.00.00.H20", "name": "Ủy ban nhân dân tỉnh"}
    assert body["channel"] == "online"
    assert (body["status"], body["status_label"]) == ("new", "Mới đăng ký")
    assert body["submitted_at"] == created["submitted_at"]
    assert body["received_at"] is None and body["due_at"] is None
    assert body["on_time"] is None and body["overdue"] is False
    assert [(h["status"], h["note"]) for h in body["history"]] == [
        ("new", "Hồ sơ được nộp trực tuyến.")
    ]


def test_public_view_never_shows_personal_data(
    client: TestClient, created: dict[str, Any], session: Session, settings: Settings
) -> None:
    text = client.get(f"/api/v1/dossiers/{created['code']}").text
    secrets = [str(v) for v in APPLICANT.values()] + [
        v for v in FORM.values() if isinstance(v, str)
    ]
    secrets += ["Tờ khai của bà Hoa", "ảnh giấy chứng sinh", created["access_token"]]
    secrets += [f.storage_key for f in session.scalars(select(DossierFile))]
    secrets += [str(settings.storage_url)]
    leaked = [s for s in secrets if s in text or json.dumps(s)[1:-1] in text]
    assert leaked == []
    # Internal notes stay internal too.
    dossier = session.scalars(select(Dossier)).one()
    assert dossier.id is not None
    session.add(
        DossierEvent(
            dossier_id=dossier.id,
            action="note",
            from_status=DossierStatus.new,
            to_status=DossierStatus.new,
            actor="officer:lan",
            note="gọi điện cho bà Hoa số 0912345678",
            public_note="Đang kiểm tra hồ sơ.",
            at=utcnow(),
        )
    )
    session.commit()
    body = client.get(f"/api/v1/dossiers/{created['code']}").text
    assert "0912345678" not in body and "Đang kiểm tra hồ sơ." in body


@pytest.mark.parametrize(
    "code",
    ["000.00.00.H20-991231-0001", "000.00.00.H20", "H20", "%25", "000.00.00.H20-261126-000"],
)
def test_unknown_or_malformed_codes_are_404(
    client: TestClient, created: dict[str, Any], code: str
) -> None:
    response = client.get(f"/api/v1/dossiers/{code}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "dossier_not_found"


def test_partial_codes_never_match(client: TestClient, created: dict[str, Any]) -> None:
    # OpenCPS once returned other people's dossiers for a partial code.
    code = created["code"]
    for partial in (code[:-1], code[:-4] + "%", code + "1", " " + code[:-1], code[1:]):
        assert client.get(f"/api/v1/dossiers/{quote(partial)}").status_code == 404


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(lambda c: f"  {c} ", id="spaces"),
        pytest.param(lambda c: f"\t{c}\n", id="tab-and-newline"),
        pytest.param(lambda c: c.replace("H20", "h20"), id="lowercase-letter"),
        pytest.param(lambda c: f" {c.lower()} ", id="both"),
    ],
)
def test_a_code_as_a_person_types_it_is_found(
    client: TestClient, created: dict[str, Any], typed: Any
) -> None:
    code = created["code"]
    response = client.get(f"/api/v1/dossiers/{quote(typed(code))}")
    assert response.status_code == 200, response.text
    assert response.json()["code"] == code
    token = bearer(created["access_token"])
    details = client.get(f"/api/v1/dossiers/{quote(typed(code))}/details", headers=token)
    assert details.status_code == 200 and details.json()["code"] == code


def test_a_typed_code_is_normalised_once_and_read_in_one_statement(
    client: TestClient, created: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The busiest public read stays one SELECT, by the exact code: normalising adds none."""
    reader = client.app.state.reader  # type: ignore[attr-defined]
    asked: list[dict[str, Any]] = []
    read = reader.all

    async def counted(statement: Any, params: dict[str, Any]) -> Any:
        asked.append(params)
        return await read(statement, params)

    monkeypatch.setattr(reader, "all", counted)
    typed = f" {created['code'].lower()} "
    assert client.get(f"/api/v1/dossiers/{quote(typed)}").status_code == 200
    assert asked == [{"code": created["code"]}]


def test_history_entries_without_a_public_note_say_what_happened(
    client: TestClient, session: Session
) -> None:
    """An officer's public note is optional on most moves: the public history then shows the
    move's own Vietnamese text, derived when read (events written before read the same)."""
    made = make_dossier(session, "processing")
    move(session, made.code, "request_fee", public_note="Mời nộp lệ phí 8.000 đồng.")
    move(session, made.code, "confirm_fee")
    history = client.get(f"/api/v1/dossiers/{made.code}").json()["history"]
    assert [h["note"] for h in history] == [
        "Hồ sơ được nộp trực tuyến.",
        "Hồ sơ đã được tiếp nhận.",
        "Hồ sơ đang được giải quyết.",
        "Mời nộp lệ phí 8.000 đồng.",
        "Đã xác nhận thực hiện nghĩa vụ tài chính.",
    ]
    # Stored as they were written: empty, the text is derived when read (no migration).
    events = session.scalars(select(DossierEvent).order_by(DossierEvent.id)).all()  # type: ignore[arg-type]
    assert [e.public_note for e in events][1:3] == ["", ""]


def test_every_workflow_move_has_a_fixed_public_text() -> None:
    texts = set(MOVE_NOTES.values())
    assert {a.value for a in workflow.Action} | {"submit", "register"} == set(MOVE_NOTES)
    assert len(texts) == len(MOVE_NOTES) and all(t.endswith(".") for t in texts)
    # The applicant's moves read the same whether the event stored its text or not.
    assert MOVE_NOTES["supplement"] == "Người nộp hồ sơ đã bổ sung hồ sơ."
    assert {
        workflow.Action.supplement: MOVE_NOTES["supplement"],
        workflow.Action.withdraw: MOVE_NOTES["withdraw"],
    } == workflow.APPLICANT_NOTES


def test_overdue_and_on_time_are_derived_from_dates(client: TestClient, session: Session) -> None:
    # Accepted a month ago: its deadline (5 working days) has passed.
    month_ago = utcnow() - timedelta(days=30)
    late = make_dossier(session, "processing", now=month_ago)
    due = late.dossier.due_at
    assert due is not None and due < utcnow()
    body = client.get(f"/api/v1/dossiers/{late.code}").json()
    assert (body["overdue"], body["on_time"]) == (True, None)
    move(session, late.code, "complete", now=due - timedelta(minutes=1))
    body = client.get(f"/api/v1/dossiers/{late.code}").json()
    assert (body["overdue"], body["on_time"]) == (False, True)
    after = make_dossier(session, "processing", now=month_ago)
    move(session, after.code, "complete", now=due + timedelta(minutes=1))
    assert client.get(f"/api/v1/dossiers/{after.code}").json()["on_time"] is False


def test_details_need_the_dossiers_own_token(client: TestClient, created: dict[str, Any]) -> None:
    url = f"/api/v1/dossiers/{created['code']}/details"
    missing = client.get(url)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["error"]["code"] == "unauthenticated"
    assert client.get(url, headers=bearer("not-a-token")).status_code == 401
    other = submit(client).json()
    forbidden = client.get(url, headers=bearer(other["access_token"]))
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "forbidden"
    assert client.get(url, headers=bearer(created["access_token"])).status_code == 200


def test_details_show_applicant_form_and_documents(
    client: TestClient, created: dict[str, Any]
) -> None:
    url = f"/api/v1/dossiers/{created['code']}/details"
    body = client.get(url, headers=bearer(created["access_token"])).json()
    assert body["status"] == "new" and body["history"]
    # As submitted, with its kind (an individual when absent) and the phone in E.164.
    assert body["applicant"] == {
        **APPLICANT,
        "kind": "individual",
        "birth_date": None,
        "passport_number": None,
        "phone": "+84912345678",
    }
    assert body["form"] == FORM
    documents = {d["key"]: d for d in body["documents"]}
    assert documents["to_khai"]["filename"] == "Tờ khai của bà Hoa.pdf"
    assert documents["to_khai"]["content_type"] == "application/pdf"
    assert documents["to_khai"]["size"] == len(PDF_BYTES)
    assert documents["anh"]["sha256"] == hashlib.sha256(JPEG_BYTES).hexdigest()
    assert "storage_key" not in json.dumps(body)


def test_documents_download_with_name_type_and_matching_hash(
    client: TestClient, created: dict[str, Any], settings: Settings
) -> None:
    token = created["access_token"]
    base = f"/api/v1/dossiers/{created['code']}"
    documents = client.get(f"{base}/details", headers=bearer(token)).json()["documents"]
    for document in documents:
        response = client.get(f"{base}/documents/{document['id']}", headers=bearer(token))
        assert response.status_code == 200
        assert response.headers["content-type"] == document["content_type"]
        assert hashlib.sha256(response.content).hexdigest() == document["sha256"]
        disposition = response.headers["content-disposition"]
        assert f"filename*=UTF-8''{quote(document['filename'])}" in disposition
    one = documents[0]["id"]
    assert client.get(f"{base}/documents/{one}").status_code == 401
    assert client.get(f"{base}/documents/ffff", headers=bearer(token)).status_code == 404
    assert client.get(f"{base}/documents/..%2F..%2Fx", headers=bearer(token)).status_code == 404
    assert Path(settings.storage_url).exists()


def test_a_document_of_another_dossier_is_not_served(
    client: TestClient, created: dict[str, Any]
) -> None:
    other = submit(client).json()
    other_docs = client.get(
        f"/api/v1/dossiers/{other['code']}/details", headers=bearer(other["access_token"])
    ).json()["documents"]
    response = client.get(
        f"/api/v1/dossiers/{created['code']}/documents/{other_docs[0]['id']}",
        headers=bearer(created["access_token"]),
    )
    assert response.status_code == 404


def test_tracking_on_a_database_file_answers_the_services_view_and_the_404_shape(
    file_client: TestClient, threaded_engine: Engine
) -> None:
    # As deployed (a SQLite file or PostgreSQL): the route's body is the service's view,
    # byte for byte, and the 404 is the error handler's, for an unknown and a malformed code.
    with Session(threaded_engine) as session:
        make_online_procedure(session)
    code = submit(file_client, files=FILES).json()["code"]
    tracked = file_client.get(f"/api/v1/dossiers/{code}")
    assert tracked.status_code == 200
    assert tracked.headers["content-type"] == "application/json"
    with unit_of_work(threaded_engine) as session:
        view = tracking.public_view(session, code, utcnow())
    assert tracked.content == view.model_dump_json().encode()
    for unknown in ("000.00.00.H20-250101-9999", "nope"):
        missing = file_client.get(f"/api/v1/dossiers/{unknown}")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/json"
        assert (
            missing.content
            == (
                '{"error":{"code":"dossier_not_found","message":"Không tìm thấy hồ sơ '
                f'{unknown}.","details":[]}}}}'
            ).encode()
        )
    metrics = file_client.get("/metrics").text
    route = 'route="/api/v1/dossiers/{code}"'
    assert f'{route},status="200"}} 1.0' in metrics and f'{route},status="404"}} 2.0' in metrics


def test_tracking_sees_each_commit_as_it_lands(file_client: TestClient) -> None:
    # The route reads on the loop reader's long-lived connections, outside any transaction:
    # a read never keeps the snapshot of an earlier one.
    engine = file_client.app.state.engine  # type: ignore[attr-defined]
    made = make_dossier(engine)
    assert file_client.get(f"/api/v1/dossiers/{made.code}").json()["status"] == "new"
    move(engine, made.code, "accept")
    after = file_client.get(f"/api/v1/dossiers/{made.code}").json()
    assert after["status"] == "accepted"
    assert [entry["status"] for entry in after["history"]] == ["new", "accepted"]


def test_a_download_is_named_by_its_detected_type(client: TestClient, session: Session) -> None:
    # A PDF uploaded as poly.html (or with no extension) must not be opened as a web page.
    make_online_procedure(session)
    files = [
        ("to_khai", ("poly.html", PDF_BYTES, "text/html")),
        ("anh", ("ảnh chụp", JPEG_BYTES, "image/jpeg")),
    ]
    created = submit(client, files=files).json()
    base = f"/api/v1/dossiers/{created['code']}"
    token = bearer(created["access_token"])
    documents = client.get(f"{base}/details", headers=token).json()["documents"]
    names = {}
    for document in documents:
        response = client.get(f"{base}/documents/{document['id']}", headers=token)
        assert response.headers.get_list("x-content-type-options") == ["nosniff"]
        assert response.headers["cache-control"] == "no-store"
        names[document["filename"]] = response.headers["content-disposition"]
    assert names["poly.html"] == "attachment; filename=\"poly.pdf\"; filename*=UTF-8''poly.pdf"
    assert names["ảnh chụp"].endswith(f"filename*=UTF-8''{quote('ảnh chụp.jpg')}")


def test_a_client_guessing_codes_is_slowed_down_and_others_are_not(
    settings: Settings, engine: Engine, session: Session
) -> None:
    made = make_dossier(session)
    app = create_app(settings.model_copy(update={"tracking_miss_per_min": 3}), engine)
    guesses = [f"000.00.00.H20-250101-{n:04d}" for n in range(1, 4)] + ["nope"]
    # One client after the other: each test client runs the app on an event loop of its own.
    with TestClient(app, client=("203.0.113.7", 4000)) as guesser:
        assert [guesser.get(f"/api/v1/dossiers/{g}").status_code for g in guesses[:3]] == [404] * 3
        for code in (guesses[3], made.code):  # now even a real code is refused to the guesser
            slowed = guesser.get(f"/api/v1/dossiers/{code}")
            assert slowed.status_code == 429
            assert slowed.json()["error"]["code"] == "too_many_misses"
            assert 1 <= int(slowed.headers["retry-after"]) <= 60
    with TestClient(app, client=("198.51.100.2", 4000)) as citizen:
        assert citizen.get(f"/api/v1/dossiers/{made.code}").status_code == 200
        assert citizen.get(f"/api/v1/dossiers/{guesses[0]}").status_code == 404  # its first miss
        assert citizen.get(f"/api/v1/dossiers/{made.code}").status_code == 200
