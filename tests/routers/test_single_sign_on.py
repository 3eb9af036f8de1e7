"""Officers signing in through an external OpenID Connect provider: a real one (npm
oidc-provider, started by the test on 127.0.0.1), its discovery document and JWKS fetched by
the app, its tokens accepted by the officer API."""

import base64
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models import Agency
from tests.clock import Clock
from tests.dossier_helpers import submit
from tests.factories import make_agency, make_officer, make_online_procedure
from tests.oidc_provider import Provider, officer_client, running_provider

CLIENTS = [
    officer_client("officer-lan", secret="s-lan", username="lan", agency="000.00.00.H20"),
    officer_client("officer-mai", secret="s-mai", username="mai", agency="000.00.11.H20"),
    officer_client("stranger", secret="s-x", username="stranger", agency="000.00.00.H20"),
]


@pytest.fixture(scope="module")
def idp() -> Iterator[Provider]:
    with running_provider(CLIENTS, audience="dvc-gateway") as provider:
        yield provider


@pytest.fixture
def sso_client(
    idp: Provider, settings: Settings, engine: Engine, session: Session
) -> Iterator[TestClient]:
    make_online_procedure(session)
    province = session.get_one(Agency, "000.00.00.H20")
    make_agency(session, "000.00.11.H20", "UBND thành phố Hà Giang", "district", province)
    make_officer(session, "lan")
    make_officer(session, "mai", agency_code="000.00.11.H20")
    sso = settings.model_copy(update={"oidc_issuer": idp.issuer, "oidc_audience": "dvc-gateway"})
    with TestClient(create_app(sso, engine)) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_provider_token_opens_the_officer_api(sso_client: TestClient, idp: Provider) -> None:
    code = submit(sso_client).json()["code"]
    token = idp.token("officer-lan")
    queue = sso_client.get("/api/v1/officer/dossiers", headers=bearer(token))
    assert queue.status_code == 200, queue.text
    assert [item["code"] for item in queue.json()["items"]] == [code]
    accepted = sso_client.post(
        f"/api/v1/officer/dossiers/{code}/actions",
        json={"action": "accept", "version": 1},
        headers=bearer(token),
    )
    assert accepted.status_code == 200
    assert accepted.json()["events"][-1]["actor"] == "officer:lan"


def test_agency_comes_from_the_providers_claim(sso_client: TestClient, idp: Provider) -> None:
    code = submit(sso_client).json()["code"]
    response = sso_client.post(
        f"/api/v1/officer/dossiers/{code}/actions",
        json={"action": "accept", "version": 1},
        headers=bearer(idp.token("officer-mai")),
    )
    assert response.status_code == 403  # a district officer, a provincial dossier


def test_an_officer_unknown_here_is_refused(sso_client: TestClient, idp: Provider) -> None:
    response = sso_client.get("/api/v1/officer/dossiers", headers=bearer(idp.token("stranger")))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "unknown_officer"


def test_a_token_for_another_audience_is_refused(
    settings: Settings, engine: Engine, session: Session
) -> None:
    make_agency(session)
    make_officer(session, "lan")
    with running_provider(CLIENTS[:1], audience="some-other-api") as other:
        sso = settings.model_copy(
            update={"oidc_issuer": other.issuer, "oidc_audience": "dvc-gateway"}
        )
        with TestClient(create_app(sso, engine)) as client:
            response = client.get(
                "/api/v1/officer/dossiers", headers=bearer(other.token("officer-lan"))
            )
    assert response.status_code == 401


def test_an_expired_provider_token_is_refused(sso_client: TestClient, idp: Provider) -> None:
    clock = Clock()
    authenticator = sso_client.app.state.authenticator  # type: ignore[attr-defined]
    authenticator.clock = clock
    token = idp.token("officer-lan")
    assert sso_client.get("/api/v1/officer/dossiers", headers=bearer(token)).status_code == 200
    # Expired `leeway` seconds after `exp`, not a second earlier.
    clock.now = expiry_of(token) + authenticator.leeway_s - 1
    assert sso_client.get("/api/v1/officer/dossiers", headers=bearer(token)).status_code == 200
    clock.advance(1)
    expired = sso_client.get("/api/v1/officer/dossiers", headers=bearer(token))
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "invalid_token"


def expiry_of(token: str) -> int:
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return int(claims["exp"])


def test_keys_are_cached_and_the_provider_is_asked_once(
    sso_client: TestClient, idp: Provider
) -> None:
    token = idp.token("officer-lan")
    for _ in range(3):
        assert sso_client.get("/api/v1/officer/dossiers", headers=bearer(token)).status_code == 200
    oidc = sso_client.app.state.authenticator.oidc  # type: ignore[attr-defined]
    fetched_at = oidc._fetched_at
    sso_client.get("/api/v1/officer/dossiers", headers=bearer(token))
    assert oidc._fetched_at == fetched_at
