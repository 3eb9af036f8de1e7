"""The officers' single sign-on (/can-bo/dang-nhap/sso), end to end over HTTP with a real
OpenID Connect provider (tests/oidc_provider.py): the app's redirect to the provider, the
provider's own login page filled in, the return to the app's callback; then the session, and
every way the flow is refused without one."""

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from app.config import Settings
from app.main import create_app
from app.models import OfficerSession
from app.models.officer import Officer
from app.models.types import utcnow
from app.services import officer_sessions
from app.services.officer_sso import PENDING_S
from app.web.officer_auth import COOKIE
from app.web.officer_sso import PENDING_COOKIE
from tests.factories import PROVINCE, make_agency, make_officer
from tests.oidc_provider import Provider, officer_user, running_provider, web_client
from tests.web.html import elements

CALLBACK = "http://testserver/can-bo/dang-nhap/sso/callback"
DISTRICT = "000.00.11.H20"
NAME = "VNeID thử nghiệm"
PAGES = web_client("dvc-pages", [CALLBACK], secret="dvc-pages-secret")
PUBLIC = web_client("dvc-public", [CALLBACK])
# The provider says lan is an admin of the district; her account here says officer of the
# province: a single sign-on session is what the provider says.
LAN = officer_user("lan", role="admin", agency=DISTRICT)
STRANGER = officer_user("stranger")  # no account here
KHOA = officer_user("khoa")  # an account here, disabled
HUNG = officer_user("hung", role=None)  # the provider gives no role
USERS = [LAN, STRANGER, KHOA, HUNG]


@pytest.fixture(scope="module")
def idp() -> Iterator[Provider]:
    with running_provider(sso_clients=[PAGES, PUBLIC], users=USERS) as provider:
        yield provider


def sso_settings(settings: Settings, idp: Provider, client: dict[str, Any] = PAGES) -> Settings:
    secret = client["client_secret"]
    return settings.model_copy(
        update={
            "oidc_issuer": idp.issuer,
            "oidc_client_id": client["client_id"],
            "oidc_client_secret": SecretStr(secret) if secret else None,
            "oidc_display_name": NAME,
        }
    )


@pytest.fixture
def accounts(session: Session) -> None:
    province = make_agency(session)
    make_agency(session, DISTRICT, "UBND thành phố Hà Giang", "district", province)
    for username in ("lan", "khoa", "hung"):
        make_officer(session, username, PROVINCE)
    khoa = session.scalars(select(Officer).where(col(Officer.username) == "khoa")).one()
    khoa.disabled = True
    session.add(khoa)
    session.commit()


@pytest.fixture
def app(settings: Settings, engine: Engine, idp: Provider, accounts: None) -> Iterator[TestClient]:
    with TestClient(create_app(sso_settings(settings, idp), engine)) as client:
        yield client


def start(app: TestClient, **query: str) -> Any:
    answer = app.get(f"/can-bo/dang-nhap/sso?{urlencode(query)}", follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer


def through_provider(app: TestClient, idp: Provider, user: dict[str, Any], **query: str) -> str:
    """The app's redirect followed to the provider, whose login form `user` fills in: the
    address the provider sends the browser back to."""
    location = start(app, **query).headers["location"]
    return idp.sign_in(location, user["username"], user["password"])


def returned(app: TestClient, back: str) -> Any:
    return app.get(back, follow_redirects=False)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def stored_sessions(engine: Engine) -> list[OfficerSession]:
    with Session(engine) as session:
        return list(session.scalars(select(OfficerSession)).all())


def cookie_header(answer: httpx.Response, name: str) -> str:
    return next(c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{name}="))


def assert_refused(
    answer: httpx.Response, status: int, words: str, engine: Engine, form: str = "/can-bo/dang-nhap"
) -> None:
    """The sign-in page again (its form posting to `form`), with the reason in words, and no
    session anywhere."""
    assert answer.status_code == status, answer.text
    shown = elements(answer.text)
    assert shown.all("form", action=form)
    assert len(shown.all("div", role="alert")) == 1
    assert words in shown.plain_text()
    assert not shown.all("input", aria_invalid="true")  # the password fields did nothing wrong
    assert shown.all("a", data_action="sign_in_sso")  # try again
    assert COOKIE not in answer.cookies and stored_sessions(engine) == []
    assert "max-age=0" in cookie_header(answer, PENDING_COOKIE).lower()  # used up


def test_the_sign_in_page_offers_the_provider_only_when_configured(
    app: TestClient, client: TestClient
) -> None:
    shown = elements(app.get("/can-bo/?next=/can-bo/ho-so/X").text)
    (link,) = shown.all("a", data_action="sign_in_sso")
    assert link["href"] == "/can-bo/dang-nhap/sso?next=%2Fcan-bo%2Fho-so%2FX"
    assert f"Đăng nhập bằng {NAME}" in shown.plain_text()
    # Without OIDC_CLIENT_ID: no link, and nothing to start.
    assert not elements(client.get("/can-bo/").text).all("a", data_action="sign_in_sso")
    assert client.get("/can-bo/dang-nhap/sso").status_code == 404
    assert client.get("/can-bo/dang-nhap/sso/callback?code=x&state=y").status_code == 404


def test_the_authorization_request_carries_state_nonce_and_pkce_s256(
    app: TestClient, idp: Provider
) -> None:
    first, second = start(app), start(app)
    location = first.headers["location"]
    assert location.startswith(idp.authorization_endpoint + "?")
    asked = query_of(location)
    assert asked["client_id"] == "dvc-pages" and asked["response_type"] == "code"
    assert asked["redirect_uri"] == CALLBACK and asked["scope"] == "openid profile"
    assert asked["code_challenge_method"] == "S256"
    assert len(asked["code_challenge"]) == 43  # base64url of a SHA-256
    other = query_of(second.headers["location"])
    for fresh in ("state", "nonce", "code_challenge"):
        assert len(asked[fresh]) >= 43 and asked[fresh] != other[fresh]
    cookie = cookie_header(first, PENDING_COOKIE)
    attributes = cookie.lower()
    assert "httponly" in attributes and "samesite=lax" in attributes
    assert "path=/can-bo" in attributes and f"max-age={PENDING_S}" in attributes
    value = cookie.split(";")[0].split("=", 1)[1]
    assert asked["state"] not in value and asked["nonce"] not in value  # sealed, not signed


def test_signing_in_at_the_provider_starts_a_session_with_its_role_and_agency(
    app: TestClient, idp: Provider, engine: Engine
) -> None:
    back = through_provider(app, idp, LAN, next="/can-bo/ho-so/000.00.00.H20-261204-0001")
    assert back.startswith(CALLBACK + "?") and query_of(back)["iss"] == idp.issuer
    answer = returned(app, back)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/can-bo/ho-so/000.00.00.H20-261204-0001"
    session_cookie = cookie_header(answer, COOKIE).lower()
    assert "httponly" in session_cookie and "samesite=lax" in session_cookie
    assert "max-age=0" in cookie_header(answer, PENDING_COOKIE).lower()
    (stored,) = stored_sessions(engine)
    assert (stored.issuer, stored.role, stored.agency_code) == (idp.issuer, "admin", DISTRICT)
    settings = app.app.state.settings  # type: ignore[attr-defined]
    signed = officer_sessions.read(engine, settings, answer.cookies[COOKIE], utcnow())
    assert signed is not None
    principal = signed.principal
    assert (principal.username, principal.role, principal.agency_code) == ("lan", "admin", DISTRICT)
    assert principal.issuer == idp.issuer
    # Signed in, the sign-in page sends the officer on.
    assert app.get("/can-bo/", follow_redirects=False).status_code == 303


def test_english_is_kept_and_a_foreign_next_goes_to_the_queue(
    app: TestClient, idp: Provider
) -> None:
    location = app.get("/can-bo/?lang=en")
    link = elements(location.text).all("a", data_action="sign_in_sso")[0]["href"]
    assert link == "/can-bo/dang-nhap/sso?next=%2Fcan-bo%2Fho-so&lang=en"
    back = through_provider(app, idp, LAN, next="https://evil.example/can-bo/", lang="en")
    assert returned(app, back).headers["location"] == "/can-bo/ho-so?lang=en"


def test_a_public_client_signs_in_with_pkce_alone(
    settings: Settings, engine: Engine, idp: Provider, accounts: None
) -> None:
    with TestClient(create_app(sso_settings(settings, idp, PUBLIC), engine)) as app:
        assert returned(app, through_provider(app, idp, LAN)).status_code == 303
    (stored,) = stored_sessions(engine)
    assert stored.issuer == idp.issuer


def test_a_return_with_another_state_is_refused(
    app: TestClient, idp: Provider, engine: Engine
) -> None:
    back = through_provider(app, idp, LAN)
    forged = re.sub(r"state=[^&]+", "state=not-the-state", back)
    assert forged != back
    assert_refused(returned(app, forged), 400, "không hợp lệ hoặc đã hết hạn", engine)
    # Nor is the right state accepted once the pending sign-in is gone.
    assert_refused(returned(app, back), 400, "không hợp lệ hoặc đã hết hạn", engine)


def test_a_return_to_another_browser_is_refused(
    app: TestClient, idp: Provider, engine: Engine
) -> None:
    back = through_provider(app, idp, LAN)
    other_browser = TestClient(app.app)  # no cookies of the first
    assert_refused(returned(other_browser, back), 400, "đăng nhập lại", engine)


def test_a_return_from_another_issuer_is_refused(
    app: TestClient, idp: Provider, engine: Engine
) -> None:
    back = through_provider(app, idp, LAN)
    mixed_up = re.sub(r"iss=[^&]+", "iss=https%3A%2F%2Fevil.example", back)
    assert mixed_up != back
    assert_refused(returned(app, mixed_up), 400, "không hợp lệ", engine)


def test_a_code_is_good_once(app: TestClient, idp: Provider, engine: Engine) -> None:
    started = start(app)
    pending = started.cookies[PENDING_COOKIE]
    back = idp.sign_in(started.headers["location"], LAN["username"], LAN["password"])
    assert returned(app, back).status_code == 303
    (first,) = stored_sessions(engine)
    # The same return again, even with the pending sign-in's cookie put back: the provider
    # refuses the code, and no second session starts.
    app.cookies.set(PENDING_COOKIE, pending, path="/can-bo")
    again = returned(app, back)
    assert again.status_code == 401
    assert "không xác nhận được việc đăng nhập" in elements(again.text).plain_text()
    assert [s.id for s in stored_sessions(engine)] == [first.id]


def test_a_pending_sign_in_expires(app: TestClient, idp: Provider, engine: Engine) -> None:
    back = through_provider(app, idp, LAN)
    sso = app.app.state.single_sign_on  # type: ignore[attr-defined]
    now = sso.clock()
    sso.clock = lambda: now + PENDING_S
    assert_refused(returned(app, back), 400, "đã hết hạn", engine)


def test_cancelling_at_the_provider_says_so(app: TestClient, idp: Provider, engine: Engine) -> None:
    back = idp.cancel(start(app).headers["location"])
    assert query_of(back)["error"] == "access_denied"
    assert_refused(returned(app, back), 401, f"Bạn đã hủy đăng nhập bằng {NAME}.", engine)


def test_a_refusal_after_the_provider_is_in_the_language_the_sign_in_began_in(
    app: TestClient, idp: Provider, engine: Engine
) -> None:
    """The provider's return carries no `lang`: the page says why in English all the same,
    and its links and form stay in English."""
    back = idp.cancel(start(app, lang="en").headers["location"])
    answer = returned(app, back)
    english = "/can-bo/dang-nhap?lang=en"
    assert_refused(answer, 401, f"You cancelled signing in with {NAME}.", engine, english)
    shown = elements(answer.text)
    assert shown.all("html", lang="en")
    assert shown.all("a", data_action="sign_in_sso")[0]["href"].endswith("lang=en")


def test_another_error_of_the_provider_is_a_refusal(app: TestClient, engine: Engine) -> None:
    state = query_of(start(app).headers["location"])["state"]
    answer = returned(app, f"{CALLBACK}?error=server_error&state={state}")
    assert_refused(answer, 401, "không xác nhận được việc đăng nhập", engine)


@pytest.mark.parametrize("user", [STRANGER, KHOA], ids=["unknown", "disabled"])
def test_an_account_unknown_here_or_disabled_is_refused(
    app: TestClient, idp: Provider, engine: Engine, user: dict[str, Any]
) -> None:
    answer = returned(app, through_provider(app, idp, user))
    assert_refused(answer, 403, "không gắn với tài khoản cán bộ nào đang hoạt động", engine)


def test_an_officer_without_a_role_claim_is_refused(
    app: TestClient, idp: Provider, engine: Engine
) -> None:
    answer = returned(app, through_provider(app, idp, HUNG))
    assert_refused(answer, 403, "không cho biết vai trò hoặc cơ quan", engine)


def test_the_claims_may_come_from_userinfo(
    settings: Settings, engine: Engine, accounts: None
) -> None:
    with (
        running_provider(sso_clients=[PAGES], users=[LAN], conform_id_token_claims=True) as idp,
        TestClient(create_app(sso_settings(settings, idp), engine)) as app,
    ):
        assert returned(app, through_provider(app, idp, LAN)).status_code == 303
    (stored,) = stored_sessions(engine)
    assert (stored.role, stored.agency_code) == ("admin", DISTRICT)


def test_a_provider_that_cannot_be_reached_is_a_503_page(
    settings: Settings, engine: Engine, accounts: None, idp: Provider
) -> None:
    down = sso_settings(settings, idp).model_copy(update={"oidc_issuer": "http://127.0.0.1:9"})
    with TestClient(create_app(down, engine)) as app:
        answer = app.get("/can-bo/dang-nhap/sso", follow_redirects=False)
    assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
    assert f"Không kết nối được {NAME}" in elements(answer.text).plain_text()
    assert PENDING_COOKIE not in answer.cookies


def test_a_provider_gone_before_the_exchange_is_a_503_page(
    settings: Settings, engine: Engine, accounts: None
) -> None:
    with running_provider(sso_clients=[PAGES], users=[LAN]) as idp:
        app = TestClient(create_app(sso_settings(settings, idp), engine))
        back = through_provider(app, idp, LAN)
    # The provider has stopped: its keys are cached, its token endpoint does not answer.
    answer = returned(app, back)
    assert_refused(answer, 503, f"Không kết nối được {NAME}", engine)
    assert answer.headers["retry-after"] == "5"
    app.close()
