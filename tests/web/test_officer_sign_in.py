"""The officers' sign-in and sign-out pages (/can-bo/) and their server-side sessions: the
API's password check and throttle, a cookie no script reads, a session that ends on the
server, and CSRF fields on every form."""

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models import LoginFailure, OfficerSession
from app.models.officer import Officer
from app.models.types import utcnow
from app.services import officer_sessions
from app.web.csrf import COOKIE as CSRF_COOKIE
from app.web.csrf import csrf_secret, sign
from app.web.officer_auth import COOKIE, SignedDep, safe_next
from tests.factories import PROVINCE, make_agency, make_officer
from tests.web.html import elements

PASSWORD = "mat-khau-du-dai-1"


@pytest.fixture
def officer(session: Session) -> Officer:
    make_agency(session)
    return make_officer(session, "lan", PROVINCE, password=PASSWORD)


def csrf_field(html: str) -> str:
    (field,) = [a["value"] for a in elements(html).all("input", name="csrf_token")]
    return field


def sign_in(
    client: TestClient,
    username: str = "lan",
    password: str = PASSWORD,
    *,
    field: str | None = None,
    **extra: str,
) -> Any:
    """The sign-in form posted; `field`: the form's CSRF field from an earlier visit (a
    signed-in browser is sent on from the form)."""
    if field is None:
        page = client.get("/can-bo/")
        assert page.status_code == 200
        field = csrf_field(page.text)
    data = {"csrf_token": field, "username": username, "password": password}
    return client.post("/can-bo/dang-nhap", data={**data, **extra}, follow_redirects=False)


def sessions(engine: Engine) -> list[OfficerSession]:
    with Session(engine) as session:
        return list(session.scalars(select(OfficerSession)).all())


def count(engine: Engine, table: Any) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_the_form_has_labelled_fields_a_csrf_field_and_is_never_cached(client: TestClient) -> None:
    page = client.get("/can-bo/")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    shown = elements(page.text)
    for name in ("username", "password"):
        (field,) = shown.all("input", name=name)
        assert shown.all("label", **{"for": field["id"]})
    assert shown.all("input", name="password")[0]["autocomplete"] == "current-password"
    assert re.fullmatch(r"[0-9a-f]{64}", csrf_field(page.text))
    cookie = page.headers["set-cookie"].lower()
    assert cookie.startswith("csrf=") and "path=/can-bo" in cookie and "httponly" in cookie


@pytest.mark.usefixtures("officer")
def test_signing_in_starts_a_server_side_session_with_a_lax_httponly_cookie(
    client: TestClient, engine: Engine
) -> None:
    answer = sign_in(client)
    assert answer.status_code == 303 and answer.headers["location"] == "/can-bo/ho-so"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}="))
    token = cookie.split(";")[0].split("=", 1)[1]
    attributes = cookie.lower()
    assert (
        "httponly" in attributes and "samesite=lax" in attributes and "path=/can-bo" in attributes
    )
    assert "secure" not in attributes  # served over plain HTTP here
    (stored,) = sessions(engine)
    assert stored.id == officer_sessions.token_id(token) != token  # only the token's hash
    assert stored.issuer == "local" and stored.expires_at > stored.created_at
    # Signed in, the sign-in page sends the officer on.
    again = client.get("/can-bo/", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/can-bo/ho-so"


@pytest.mark.usefixtures("officer")
def test_a_session_over_https_has_a_secure_cookie(settings: Settings, engine: Engine) -> None:
    with TestClient(create_app(settings, engine), base_url="https://testserver") as client:
        answer = sign_in(client)
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}="))
    assert "secure" in cookie.lower()


@pytest.mark.usefixtures("officer")
def test_each_sign_in_rotates_the_token_and_ends_the_previous_session(
    client: TestClient, engine: Engine
) -> None:
    field = csrf_field(client.get("/can-bo/").text)
    first = sign_in(client, field=field).cookies[COOKIE]
    second = sign_in(client, field=field).cookies[COOKIE]  # the old cookie is sent with it
    assert first != second
    (stored,) = sessions(engine)
    assert stored.id == officer_sessions.token_id(second)


@pytest.mark.usefixtures("officer")
@pytest.mark.parametrize(
    ("username", "password"), [("lan", "sai-mat-khau-roi"), ("khong-co-ai", PASSWORD)]
)
def test_a_wrong_username_or_password_is_the_form_again_with_the_apis_message(
    client: TestClient, engine: Engine, username: str, password: str
) -> None:
    answer = sign_in(client, username, password)
    assert answer.status_code == 401
    shown = elements(answer.text)
    assert "Sai tên đăng nhập hoặc mật khẩu." in shown.plain_text()
    assert shown.all("input", name="username", value=username, aria_invalid="true")
    assert not shown.all("input", name="password", value=password)  # never sent back
    assert COOKIE not in answer.cookies and sessions(engine) == []


@pytest.mark.usefixtures("officer")
def test_the_apis_throttle_applies_and_says_when_to_try_again(
    client: TestClient, engine: Engine
) -> None:
    for _ in range(3):
        assert sign_in(client, password="sai-mat-khau-roi").status_code == 401
    blocked = sign_in(client)  # the right password, while blocked
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    assert "Đăng nhập sai quá nhiều lần" in elements(blocked.text).plain_text()
    assert sessions(engine) == []


@pytest.mark.usefixtures("officer")
def test_a_post_without_the_csrf_field_changes_nothing(client: TestClient, engine: Engine) -> None:
    client.get("/can-bo/")
    for field in ("", "0" * 64):
        answer = client.post(
            "/can-bo/dang-nhap",
            data={"csrf_token": field, "username": "lan", "password": "sai-mat-khau-roi"},
        )
        assert answer.status_code == 403
        assert answer.headers["content-type"].startswith("text/html")
    assert sessions(engine) == [] and count(engine, LoginFailure) == 0  # no failure counted


@pytest.mark.usefixtures("officer")
def test_signing_out_ends_the_session_on_the_server(client: TestClient, engine: Engine) -> None:
    token = sign_in(client).cookies[COOKIE]
    page = client.get("/can-bo/ho-so?x=1", follow_redirects=False)  # the queue
    assert page.status_code == 200
    # The sign-out form's field is scoped to the session: the sign-in form's is refused.
    refused = client.post("/can-bo/dang-xuat", data={"csrf_token": "0" * 64})
    assert refused.status_code == 403 and len(sessions(engine)) == 1
    scoped = officer_sessions.read(engine, client.app.state.settings, token, utcnow())  # type: ignore[attr-defined]
    assert scoped is not None
    field = sign(
        csrf_secret(client.app.state.settings),  # type: ignore[attr-defined]
        f"officer-session:{scoped.session_id}",
        client.cookies[CSRF_COOKIE],
    )
    answer = client.post("/can-bo/dang-xuat", data={"csrf_token": field}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/can-bo/?done=sign_out"
    assert sessions(engine) == []
    # The cookie is forgotten, and a copy of the token signs no one in.
    assert COOKIE not in client.cookies
    client.cookies.set(COOKIE, token, path="/can-bo")
    assert client.get("/can-bo/", follow_redirects=False).status_code == 200
    assert "Bạn đã đăng xuất." in client.get("/can-bo/?done=sign_out").text


def test_a_session_ends_when_idle_at_its_end_and_when_its_account_is_disabled(
    officer: Officer, engine: Engine, settings: Settings
) -> None:
    assert officer.id is not None
    now = utcnow()
    token = officer_sessions.start(engine, settings, officer.id, now)
    idle = timedelta(seconds=settings.officer_session_idle_s)
    # Seen within the idle time, it lives on, and its last visit moves.
    seen = officer_sessions.read(engine, settings, token, now + idle - timedelta(seconds=1))
    assert seen is not None and seen.principal.username == "lan"
    assert seen.principal.agency_code == PROVINCE and seen.principal.issuer == settings.token_issuer
    later = now + idle - timedelta(seconds=1) + idle - timedelta(seconds=1)
    assert officer_sessions.read(engine, settings, token, later) is not None
    # Idle too long: ended, and deleted.
    assert officer_sessions.read(engine, settings, token, later + idle) is None
    assert sessions(engine) == []
    # At its fixed end, however busy.
    token = officer_sessions.start(engine, settings, officer.id, now)
    end = now + timedelta(seconds=settings.officer_session_max_s)
    moment = now
    while moment + idle / 2 < end:
        moment += idle / 2
        assert officer_sessions.read(engine, settings, token, moment) is not None
    assert officer_sessions.read(engine, settings, token, end) is None
    # A disabled account's session ends at its next request.
    token = officer_sessions.start(engine, settings, officer.id, now)
    with Session(engine) as session:
        account = session.get_one(Officer, officer.id)
        account.disabled = True
        session.add(account)
        session.commit()
    assert officer_sessions.read(engine, settings, token, now) is None
    assert officer_sessions.read(engine, settings, "no-such-token", now) is None


@pytest.mark.parametrize(
    ("target", "goes_to"),
    [
        (None, "/can-bo/ho-so"),
        ("/can-bo/ho-so/000.00.00.H20-261204-0001", "/can-bo/ho-so/000.00.00.H20-261204-0001"),
        ("/can-bo/ho-so?status=new&page=2", "/can-bo/ho-so?status=new&page=2"),
        ("https://evil.example/can-bo/", "/can-bo/ho-so"),
        ("//evil.example/can-bo/x", "/can-bo/ho-so"),
        ("/can-bo\\@evil.example", "/can-bo/ho-so"),
        ("/ho-so/x", "/can-bo/ho-so"),
    ],
)
def test_after_sign_in_only_a_page_of_the_officers_is_a_destination(
    target: str | None, goes_to: str
) -> None:
    assert safe_next(target) == goes_to


@pytest.mark.usefixtures("officer")
def test_a_page_that_needs_an_officer_sends_the_browser_to_sign_in_and_back(
    settings: Settings, engine: Engine
) -> None:
    app: FastAPI = create_app(settings, engine)
    probe = APIRouter()

    @probe.get("/can-bo/thu-nghiem")
    async def needs_officer(signed: SignedDep) -> dict[str, str]:
        return {"username": signed.principal.username}

    app.router.routes[:0] = probe.routes  # before the pages' catch-alls
    with TestClient(app) as client:
        answer = client.get("/can-bo/thu-nghiem?a=1", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/can-bo/?next=%2Fcan-bo%2Fthu-nghiem%3Fa%3D1"
        back = sign_in(client, next="/can-bo/thu-nghiem?a=1")
        assert back.headers["location"] == "/can-bo/thu-nghiem?a=1"
        assert client.get("/can-bo/thu-nghiem").json() == {"username": "lan"}


@pytest.mark.usefixtures("officer")
def test_signing_in_from_the_english_page_stays_in_english(client: TestClient) -> None:
    page = client.get("/can-bo/?lang=en")
    (form,) = elements(page.text).all("form", action="/can-bo/dang-nhap?lang=en")
    assert form["method"] == "post"
    data = {"csrf_token": csrf_field(page.text), "username": "lan", "password": PASSWORD}
    answer = client.post("/can-bo/dang-nhap?lang=en", data=data, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/can-bo/ho-so?lang=en"
    wrong = client.post("/can-bo/dang-nhap?lang=en", data={**data, "password": "sai-mat-khau-roi"})
    assert wrong.status_code == 401 and '<html lang="en">' in wrong.text
