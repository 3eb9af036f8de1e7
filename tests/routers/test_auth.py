"""Officer authentication: the password login, and every way a token must be refused."""

import base64
import functools
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models.officer import Principal, Role
from app.security import LocalIssuer
from app.services.officers import set_disabled
from tests.factories import PASSWORD, PROVINCE, engine_of, make_agency, make_officer

QUEUE = "/api/v1/officer/dossiers"


@pytest.fixture(autouse=True)
def accounts(session: Session) -> None:
    province = make_agency(session)
    make_agency(session, "000.00.11.H20", "UBND thành phố", "district", province)
    make_officer(session, "lan", password=PASSWORD)
    make_officer(session, "mai", agency_code="000.00.11.H20")
    make_officer(session, "admin", role="admin", password=PASSWORD)


def issuer(client: TestClient) -> LocalIssuer:
    local: LocalIssuer = client.app.state.authenticator.local  # type: ignore[attr-defined]
    return local


def login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def signed(client: TestClient, **claims: Any) -> str:
    """A token signed with the real key, with some claims changed."""
    local = issuer(client)
    now = int(time.time())
    base = {"iss": local.issuer, "aud": local.audience, "sub": "lan", "iat": now, "exp": now + 60}
    base.update(claims)
    return jwt.encode({"alg": "RS256", "kid": local.key.kid}, base, local.key)


def test_password_login_gives_a_short_lived_rs256_token(client: TestClient) -> None:
    response = login(client, "lan")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 30 * 60
    header = json.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[0] + "=="))
    assert header["alg"] == "RS256" and header["kid"]
    assert client.get(QUEUE, headers=bearer(body["access_token"])).status_code == 200


@pytest.mark.parametrize(
    ("username", "password"), [("lan", "wrong-password"), ("nobody", PASSWORD), ("lan", "")]
)
def test_a_bad_login_is_a_401_that_does_not_say_which_part_was_wrong(
    client: TestClient, username: str, password: str
) -> None:
    response = login(client, username, password)
    assert response.status_code in (401, 422)
    if response.status_code == 401:
        assert response.json()["error"]["code"] == "invalid_credentials"


def test_a_disabled_account_cannot_log_in_or_use_an_old_token(
    client: TestClient, session: Session
) -> None:
    token = login(client, "lan").json()["access_token"]
    admin = Principal(username="root", role=Role.admin, agency_code=PROVINCE, issuer="tests")
    set_disabled(engine_of(session), "lan", True, by=admin)
    assert login(client, "lan").status_code == 401
    response = client.get(QUEUE, headers=bearer(token))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "unknown_officer"


@functools.cache
def other_key() -> RSAKey:
    return RSAKey.generate_key(2048)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict[str, Any], claims: dict[str, Any], secret: bytes | None) -> str:
    """A JWT built by hand, as an attacker would: joserfc refuses to make these."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = b""
    if secret is not None:
        signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def _forged_tokens(client: TestClient) -> dict[str, str]:
    local = issuer(client)
    public_pem = local.key.as_pem(private=False)
    now = int(time.time())
    claims = {"iss": local.issuer, "aud": local.audience, "sub": "lan", "exp": now + 60}
    forged: dict[str, Any] = {**other_key().as_dict(private=True), "kid": local.key.kid}
    forged_key = RSAKey.import_key(forged)
    return {
        "expired": signed(client, iat=now - 120, exp=now - 60),
        "not yet valid": signed(client, nbf=now + 600),
        "wrong signature": jwt.encode({"alg": "RS256", "kid": local.key.kid}, claims, forged_key),
        "wrong issuer": signed(client, iss="https://evil.example"),
        "wrong audience": signed(client, aud="someone-else"),
        "no expiry": signed(client, exp=None),
        "alg none": hand_made({"alg": "none", "typ": "JWT"}, claims, None),
        "hs256 with the public key": hand_made(
            {"alg": "HS256", "kid": local.key.kid}, claims, public_pem
        ),
        "garbage": "not.a.token",
        "tampered": signed(client)[:-4] + "AAAA",
    }


FORGERIES = [
    "expired",
    "not yet valid",
    "wrong signature",
    "wrong issuer",
    "wrong audience",
    "no expiry",
    "alg none",
    "hs256 with the public key",
    "garbage",
    "tampered",
]


@pytest.mark.parametrize("kind", FORGERIES)
def test_bad_tokens_are_401(client: TestClient, kind: str) -> None:
    token = _forged_tokens(client)[kind]
    response = client.get(QUEUE, headers=bearer(token))
    assert response.status_code == 401, kind
    assert response.json()["error"]["code"] in ("invalid_token", "unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"


def test_no_token_is_401(client: TestClient) -> None:
    response = client.get(QUEUE)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_valid_token_of_an_unknown_officer_is_403(client: TestClient) -> None:
    response = client.get(QUEUE, headers=bearer(signed(client, sub="ghost")))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "unknown_officer"


def test_the_signing_key_is_created_once_and_kept_private(client: TestClient) -> None:
    from pathlib import Path

    path = Path(client.app.state.settings.signing_key_path)  # type: ignore[attr-defined]
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    assert json.loads(path.read_text())["kid"] == issuer(client).key.kid


def test_password_guessing_is_slowed_down_with_429(client: TestClient) -> None:
    for _ in range(3):
        assert login(client, "lan", "wrong-password").status_code == 401
    blocked = login(client, "lan", PASSWORD)  # even the right password, for a while
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "too_many_attempts"
    assert int(blocked.headers["retry-after"]) > 0
    # Only this username from this address: other officers here sign in (one office, one
    # router), and so does lan from another address.
    assert login(client, "admin").status_code == 200
    other_office = TestClient(client.app, client=("198.51.100.9", 5000))
    assert login(other_office, "lan").status_code == 200


def test_a_successful_login_clears_the_usernames_failures(client: TestClient) -> None:
    for _ in range(2):
        login(client, "lan", "wrong-password")
    assert login(client, "lan").status_code == 200
    for _ in range(2):  # without the success, the next failure would wait
        assert login(client, "lan", "wrong-password").status_code == 401
    assert login(client, "lan").status_code == 200


def test_every_worker_sees_the_same_failures(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    for _ in range(3):
        assert login(client, "lan", "wrong-password").status_code == 401
    with TestClient(create_app(settings, engine)) as another_worker:
        assert login(another_worker, "lan").status_code == 429
