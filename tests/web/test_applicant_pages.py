"""The applicant's page `/ho-so/{code}`: the private link becomes a cookie of that dossier, the
page shows the applicant's view, and its forms (supplement, withdraw) are the API's use cases
behind the anti-forgery check (docs/API.md, Web pages)."""

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models import DossierFile
from app.models.officer import Principal, Role
from app.models.types import utcnow
from app.services.dossiers import workflow
from app.services.dossiers.tracking import get_dossier
from tests.dossier_helpers import everything
from tests.factories import FORM, JPEG_BYTES, NOTE, PDF_BYTES, MadeDossier, make_dossier
from tests.web.html import elements

PHOTO = ("anh", ("anh-moi.jpg", JPEG_BYTES, "image/jpeg"))
REASON = "Tôi đã nộp nhầm thủ tục."


def made(client: TestClient, engine: Engine, settings: Settings, status: str) -> MadeDossier:
    """A dossier whose files are in the client's own storage (so that they download)."""
    return make_dossier(engine, status, storage=client.app.state.storage, settings=settings)  # type: ignore[attr-defined]


def ask_for(engine: Engine, code: str, *keys: str) -> None:
    """An officer's supplement request naming `keys`."""
    with Session(engine) as session:
        agency = get_dossier(session, code).agency_code
    officer = Principal(username="lan", role=Role.officer, agency_code=agency, issuer="tests")
    request = workflow.Request(
        workflow.Action.request_supplement, None, public_note=NOTE, documents=keys
    )
    workflow.apply_action(engine, code, workflow.Actor.of(officer), request, utcnow())


def open_link(client: TestClient, dossier: MadeDossier) -> httpx.Response:
    """Follow the private link (its 303 included) as a browser does."""
    link: httpx.Response = client.get(
        f"/ho-so/{dossier.code}", params={"token": dossier.access_token}
    )
    assert link.status_code == 200, link.text
    return link


def csrf_of(page: httpx.Response) -> str:
    fields = elements(page.text).all("input", name="csrf_token")
    assert fields, "no anti-forgery field"
    return fields[0]["value"]


def file_inputs(page: httpx.Response) -> list[dict[str, str]]:
    return elements(page.text).all("input", type="file")


def public(client: TestClient, code: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/api/v1/dossiers/{code}").json()
    return body


@pytest.fixture
def asked(client: TestClient, engine: Engine, settings: Settings) -> MadeDossier:
    return made(client, engine, settings, "supplement_requested")


def test_the_private_link_sets_a_private_cookie_and_drops_the_token_from_the_address(
    client: TestClient, asked: MadeDossier
) -> None:
    code = asked.code
    first = client.get(
        f"/ho-so/{code}", params={"token": asked.access_token}, follow_redirects=False
    )
    assert first.status_code == 303
    assert first.headers["location"] == f"/ho-so/{code}"
    cookie = first.headers["set-cookie"]
    parts = [p.strip().lower() for p in cookie.split(";")]
    assert cookie.startswith(f"dossier_token={asked.access_token}")
    assert "httponly" in parts and "samesite=strict" in parts
    assert f"path=/ho-so/{code}".lower() in parts
    assert "secure" not in parts  # plain HTTP here: see the HTTPS test
    assert first.headers["cache-control"] == "no-store"
    page = client.get(f"/ho-so/{code}")  # the cookie, no token
    assert page.status_code == 200
    assert asked.access_token not in page.text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    shown = elements(page.text)
    assert shown.all("strong", data_status="supplement_requested")
    text = shown.plain_text()
    assert "Yêu cầu bổ sung giấy tờ" in text
    assert "Họ và tên người được khai sinh" in text and FORM["ho_ten"] in text
    assert "20/11/2026" in text  # the answer's date, as a person reads it


def test_over_https_the_cookie_is_secure(
    settings: Settings, engine: Engine, asked: MadeDossier
) -> None:
    with TestClient(create_app(settings, engine), base_url="https://testserver") as secure:
        first = secure.get(
            f"/ho-so/{asked.code}", params={"token": asked.access_token}, follow_redirects=False
        )
    assert first.status_code == 303
    assert "secure" in [p.strip().lower() for p in first.headers["set-cookie"].split(";")]


def test_without_the_cookie_or_with_a_wrong_token_the_page_refuses_and_shows_nothing(
    client: TestClient, asked: MadeDossier
) -> None:
    for answer, status in (
        (client.get(f"/ho-so/{asked.code}"), 401),
        (client.get(f"/ho-so/{asked.code}", params={"token": "sai"}), 401),
        (client.get(f"/ho-so/{asked.code}", params={"token": ""}), 401),
    ):
        assert answer.status_code == status
        assert answer.headers["content-type"].startswith("text/html")
        assert answer.headers["cache-control"] == "no-store"
        assert "set-cookie" not in answer.headers
        assert FORM["ho_ten"] not in answer.text and "data-status" not in answer.text
        assert "đường dẫn riêng" in answer.text and "Bearer" not in answer.text
    api = client.get(f"/api/v1/dossiers/{asked.code}/details")
    assert api.status_code == 401  # the same refusal as the API's


def test_the_cookie_of_one_dossier_does_not_open_another(
    client: TestClient, engine: Engine, settings: Settings, asked: MadeDossier
) -> None:
    other = made(client, engine, settings, "accepted")
    open_link(client, asked)
    # The browser does not even send it there (its Path is the dossier's own page)...
    assert client.get(f"/ho-so/{other.code}").status_code == 401
    # ...and sent anyway, it is the token of another dossier: the API's 403.
    bare = TestClient(client.app)  # no cookie jar of its own; the app already started
    forged = bare.get(
        f"/ho-so/{other.code}", headers={"Cookie": f"dossier_token={asked.access_token}"}
    )
    assert forged.status_code == 403
    assert FORM["ho_ten"] not in forged.text


def test_a_document_downloads_through_the_page_with_the_cookie(
    client: TestClient, asked: MadeDossier
) -> None:
    page = open_link(client, asked)
    links = elements(page.text).all("a", data_document_id="")
    assert links, "no document link"
    assert all(asked.access_token not in a["href"] for a in links)
    first = client.get(links[0]["href"])
    assert first.status_code == 200
    assert first.content == PDF_BYTES
    assert first.headers["cache-control"] == "no-store"
    assert first.headers["content-disposition"].startswith("attachment")
    assert TestClient(client.app).get(links[0]["href"]).status_code == 401


def test_only_the_requested_documents_are_offered_with_their_types_and_limit(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    dossier = made(client, engine, settings, "accepted")
    assert file_inputs(open_link(client, dossier)) == []  # nothing asked, no form
    ask_for(engine, dossier.code, "anh")
    page = client.get(f"/ho-so/{dossier.code}")
    inputs = file_inputs(page)
    assert [i["name"] for i in inputs] == ["anh"]
    assert inputs[0]["accept"] == "image/jpeg,image/png"
    hint = elements(page.text).all("p", id=inputs[0]["aria-describedby"])
    assert hint, "the input's hint"
    assert "JPG, PNG" in page.text and "tối đa 1 MB" in page.text


def test_a_supplement_through_the_page_stores_the_file_and_moves_the_dossier_as_the_api(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    by_page = made(client, engine, settings, "accepted")
    by_api = made(client, engine, settings, "accepted")
    for dossier in (by_page, by_api):
        ask_for(engine, dossier.code, "anh")
    page = open_link(client, by_page)
    sent = client.post(
        f"/ho-so/{by_page.code}/bo-sung",
        data={"csrf_token": csrf_of(page)},
        files=[PHOTO],
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"] == f"/ho-so/{by_page.code}?done=supplement"
    api = client.post(
        f"/api/v1/dossiers/{by_api.code}/supplement",
        files=[PHOTO],
        headers={"Authorization": f"Bearer {by_api.access_token}"},
    )
    assert api.status_code == 200, api.text
    view, twin = public(client, by_page.code), public(client, by_api.code)
    assert view["status"] == twin["status"] == "accepted"
    assert [h["status"] for h in view["history"]] == [h["status"] for h in twin["history"]]
    # The clock resumes when each supplement arrives, a few milliseconds apart in working
    # hours (outside them both resume at the next opening, to the microsecond).
    resumed = abs(datetime.fromisoformat(view["due_at"]) - datetime.fromisoformat(twin["due_at"]))
    assert resumed < timedelta(seconds=5)
    after = client.get(f"/ho-so/{by_page.code}?done=supplement")
    assert "Đã gửi hồ sơ bổ sung" in after.text
    links = elements(after.text).all("a", data_document_id="")
    downloaded = [client.get(a["href"]).content for a in links]
    assert JPEG_BYTES in downloaded  # stored, and served back
    assert file_inputs(after) == []  # nothing asked any more


def test_a_wrong_file_type_shows_the_error_next_to_its_input_and_stores_nothing(
    client: TestClient, engine: Engine, settings: Settings, asked: MadeDossier
) -> None:
    page = open_link(client, asked)
    before = everything(engine, settings)
    with Session(engine) as session:
        rows = session.scalar(select(func.count()).select_from(DossierFile))
    refused = client.post(
        f"/ho-so/{asked.code}/bo-sung",
        data={"csrf_token": csrf_of(page)},
        files=[("to_khai", ("to-khai.pdf", JPEG_BYTES, "application/pdf"))],
    )
    assert refused.status_code == 415  # the service's own status for the type
    assert refused.headers["content-type"].startswith("text/html")
    box = next(i for i in file_inputs(refused) if i["name"] == "to_khai")
    assert box["aria-invalid"] == "true"
    message = elements(refused.text).all("p", id="doc-to_khai-error")
    assert message and "doc-to_khai-error" in box["aria-describedby"].split()
    assert "không thuộc loại được chấp nhận; chỉ nhận tệp PDF" in refused.text
    untouched = next(i for i in file_inputs(refused) if i["name"] == "anh")
    assert "aria-invalid" not in untouched
    assert everything(engine, settings) == before
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(DossierFile)) == rows
    assert public(client, asked.code)["status"] == "supplement_requested"


def test_a_form_without_the_right_anti_forgery_field_is_refused_and_changes_nothing(
    client: TestClient, engine: Engine, settings: Settings, asked: MadeDossier
) -> None:
    other = made(client, engine, settings, "supplement_requested")
    other_token = csrf_of(open_link(client, other))
    page = open_link(client, asked)
    before = everything(engine, settings)
    path = f"/ho-so/{asked.code}"
    for data in ({}, {"csrf_token": "sai"}, {"csrf_token": other_token}):
        supplement = client.post(f"{path}/bo-sung", data=data, files=[PHOTO])
        withdraw = client.post(f"{path}/rut-ho-so", data={**data, "reason": REASON})
        for answer in (supplement, withdraw):
            assert answer.status_code == 403, answer.text
            assert answer.headers["content-type"].startswith("text/html")
            assert "Biểu mẫu không hợp lệ" in answer.text
    # The field after a file is no better: the check comes before any file byte.
    late = client.post(
        f"{path}/bo-sung",
        files=[PHOTO, ("csrf_token", (None, csrf_of(page)))],
    )
    assert late.status_code == 403
    assert everything(engine, settings) == before
    assert public(client, asked.code)["status"] == "supplement_requested"


def test_withdraw_through_the_page(client: TestClient, asked: MadeDossier) -> None:
    page = open_link(client, asked)
    assert elements(page.text).all("button", data_action="withdraw")
    path = f"/ho-so/{asked.code}/rut-ho-so"
    empty = client.post(path, data={"csrf_token": csrf_of(page), "reason": "   "})
    assert empty.status_code == 422
    box = elements(empty.text).all("textarea", name="reason")[0]
    assert box["aria-invalid"] == "true" and box["aria-describedby"] == "reason-error"
    assert public(client, asked.code)["status"] == "supplement_requested"
    done = client.post(
        path, data={"csrf_token": csrf_of(page), "reason": REASON}, follow_redirects=False
    )
    assert done.status_code == 303
    assert public(client, asked.code)["status"] == "withdrawal_requested"
    after = client.get(done.headers["location"])
    assert "Đã gửi đề nghị rút hồ sơ" in after.text
    assert not elements(after.text).all("button", data_action="withdraw")  # not twice


def test_english_is_kept_through_the_private_link_and_the_forms(
    client: TestClient, asked: MadeDossier
) -> None:
    first = client.get(
        f"/ho-so/{asked.code}",
        params={"token": asked.access_token, "lang": "en"},
        follow_redirects=False,
    )
    assert first.headers["location"] == f"/ho-so/{asked.code}?lang=en"
    page = client.get(first.headers["location"])
    assert "Send the missing documents" in page.text
    actions = [f["action"] for f in elements(page.text).all("form", method="post")]
    assert actions == [
        f"/ho-so/{asked.code}/bo-sung?lang=en",
        f"/ho-so/{asked.code}/rut-ho-so?lang=en",
    ]
