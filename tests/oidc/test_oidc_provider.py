"""Self-test of the OpenID provider harness (tests/oidc_provider.py): a real oidc-provider issues
client_credentials access tokens that verify against its published JWKS, and runs the
authorization code flow (PKCE required) with its own login page."""

import base64
import hashlib
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidClaimError
from joserfc.jwk import KeySet

from tests.oidc_provider import (
    OIDCProviderError,
    Provider,
    ensure_node_modules,
    officer_client,
    officer_user,
    running_provider,
    web_client,
)

LAN = officer_client("officer-a", secret="s1", username="lan", agency="000.00.00.H20")
MAI = officer_client(
    "officer-b", secret="s2 with spaces/and:colons", username="mai", role="lead", agency="H20.01"
)


@pytest.fixture(scope="module")
def idp() -> Iterator[Provider]:
    with running_provider([LAN, MAI]) as provider:
        yield provider


def verify(idp: Provider, token: str, *, as_issued: bool = False) -> jwt.Token:
    """What a resource server does: find the keys through discovery, check signature and claims.
    `as_issued`: the claims as of the moment of issue, for a token that may already be
    expired (a 1-second lifetime outlasts no busy machine)."""
    discovery = httpx.get(f"{idp.issuer}/.well-known/openid-configuration").json()
    key_set = KeySet.import_key_set(httpx.get(discovery["jwks_uri"]).json())
    decoded = jwt.decode(token, key_set, algorithms=["RS256"])
    now = int(decoded.claims["iat"]) if as_issued else None
    jwt.JWTClaimsRegistry(
        now=now,
        iss={"essential": True, "value": discovery["issuer"]},
        aud={"essential": True, "value": idp.audience},
        exp={"essential": True},
        iat={"essential": True},
    ).validate(decoded.claims)
    return decoded


def test_discovery_and_jwks_over_plain_http(idp: Provider) -> None:
    assert idp.issuer.startswith("http://127.0.0.1:")
    response = httpx.get(idp.discovery_url)
    assert response.status_code == 200
    discovery = response.json()
    assert discovery["issuer"] == idp.issuer
    assert discovery["jwks_uri"] == idp.jwks_uri == f"{idp.issuer}/jwks"
    assert discovery["token_endpoint"] == f"{idp.issuer}/token"
    assert "client_credentials" in discovery["grant_types_supported"]

    keys = httpx.get(idp.jwks_uri).json()["keys"]
    assert len(keys) == 1
    (key,) = keys
    assert key["kty"] == "RSA"
    assert key["alg"] == "RS256"
    assert key["use"] == "sig"
    assert key["kid"]
    assert "d" not in key  # the public half only


def test_access_token_is_an_rs256_jwt_with_the_officer_claims(idp: Provider) -> None:
    token = idp.token("officer-a")
    decoded = verify(idp, token)

    kids = {key["kid"] for key in idp.jwks()["keys"]}
    assert decoded.header["alg"] == "RS256"
    assert decoded.header["typ"] == "at+jwt"
    assert decoded.header["kid"] in kids

    claims: dict[str, Any] = decoded.claims
    assert claims["iss"] == idp.issuer
    assert claims["aud"] == "dvc-gateway"
    assert claims["preferred_username"] == "lan"
    assert claims["dvc_role"] == "officer"
    assert claims["dvc_agency"] == "000.00.00.H20"
    assert claims["sub"] == claims["client_id"] == "officer-a"
    assert claims["scope"] == "officer"
    assert claims["exp"] - claims["iat"] == 600
    assert claims["jti"]


def test_each_client_carries_its_own_officer(idp: Provider) -> None:
    claims = verify(idp, idp.token("officer-b")).claims
    assert claims["preferred_username"] == "mai"
    assert claims["dvc_role"] == "lead"
    assert claims["dvc_agency"] == "H20.01"
    assert claims["sub"] == "officer-b"


def test_tokens_are_fresh_per_request(idp: Provider) -> None:
    first = verify(idp, idp.token("officer-a")).claims
    second = verify(idp, idp.token("officer-a")).claims
    assert first["jti"] != second["jti"]


def test_a_tampered_token_fails_the_signature_check(idp: Provider) -> None:
    header, payload, signature = idp.token("officer-a").split(".")
    other = idp.token("officer-b").split(".")[1]
    with pytest.raises(BadSignatureError):
        verify(idp, f"{header}.{other}.{signature}")
    assert payload != other


def test_the_wrong_audience_is_rejected(idp: Provider) -> None:
    decoded = verify(idp, idp.token("officer-a"))
    with pytest.raises(InvalidClaimError):
        jwt.JWTClaimsRegistry(aud={"essential": True, "value": "someone-else"}).validate(
            decoded.claims
        )


def test_bad_client_credentials_are_refused(idp: Provider) -> None:
    response = idp.token_response("officer-a", secret="wrong")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    with pytest.raises(OIDCProviderError, match="no client 'nobody'"):
        idp.token("nobody")


def test_a_short_ttl_gives_an_expiring_token() -> None:
    with running_provider([LAN], ttl=1) as provider:
        response = provider.token_response("officer-a")
        assert response.json()["expires_in"] == 1
        decoded = verify(provider, response.json()["access_token"], as_issued=True)
    claims = decoded.claims
    assert claims["exp"] - claims["iat"] == 1
    with pytest.raises(ExpiredTokenError):
        jwt.JWTClaimsRegistry(now=claims["exp"]).validate(claims)


def test_a_uri_audience_and_the_default_client() -> None:
    with running_provider(audience="https://dvc.example.vn/api") as provider:
        claims = verify(provider, provider.token("dvc-test")).claims
        assert claims["aud"] == "https://dvc.example.vn/api"
        assert claims["preferred_username"] == "dvc-test"
        process = provider.process
    assert process.poll() is not None  # stopped on exit


def test_a_second_install_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_node_modules()

    def no_npm(*args: object, **kwargs: object) -> None:
        raise AssertionError("npm ci ran although node_modules is up to date")

    monkeypatch.setattr(subprocess, "run", no_npm)
    ensure_node_modules()


def test_missing_node_is_an_error_not_a_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _tool: None)
    with pytest.raises(OIDCProviderError, match="`node` is not on PATH"), running_provider():
        pass


# -- the authorization code flow -----------------------------------------------------------------

BACK = "http://testserver/back"
PAGES = web_client("pages", [BACK], secret="pages-secret")
PUBLIC = web_client("public-pages", [BACK])
HOA = officer_user("hoa", role="admin", agency="000.00.11.H20")


@pytest.fixture(scope="module")
def code_idp() -> Iterator[Provider]:
    with running_provider(sso_clients=[PAGES, PUBLIC], users=[HOA]) as provider:
        yield provider


def authorization_url(idp: Provider, client_id: str = "pages", **extra: str) -> tuple[str, str]:
    """An authorization request with PKCE S256 (and its verifier), as the app makes one."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    params = {
        "client_id": client_id,
        "response_type": "code",
        "scope": "openid profile",
        "redirect_uri": BACK,
        "state": "the-state",
        "nonce": "the-nonce",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return f"{idp.authorization_endpoint}?{urlencode(params)}", verifier


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def exchange(
    idp: Provider, code: str, verifier: str, client: dict[str, Any] = PAGES
) -> httpx.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": BACK}
    data["code_verifier"] = verifier
    if client["client_secret"] is None:
        return httpx.post(idp.token_endpoint, data={**data, "client_id": client["client_id"]})
    auth = (client["client_id"], client["client_secret"])
    return httpx.post(idp.token_endpoint, data=data, auth=auth)


def id_token_claims(idp: Provider, token: str) -> dict[str, Any]:
    key_set = KeySet.import_key_set(httpx.get(idp.jwks_uri).json())
    return dict(jwt.decode(token, key_set, algorithms=["RS256"]).claims)


def test_the_code_flow_gives_an_id_token_with_the_officers_claims(code_idp: Provider) -> None:
    url, verifier = authorization_url(code_idp)
    back = code_idp.sign_in(url, "hoa", HOA["password"])
    assert back.startswith(BACK + "?")
    answer = query_of(back)
    assert answer["state"] == "the-state" and answer["iss"] == code_idp.issuer
    tokens = exchange(code_idp, answer["code"], verifier)
    assert tokens.status_code == 200, tokens.text
    claims = id_token_claims(code_idp, tokens.json()["id_token"])
    assert claims["iss"] == code_idp.issuer and claims["aud"] == "pages"
    assert claims["nonce"] == "the-nonce" and claims["sub"] == "hoa"
    assert claims["preferred_username"] == "hoa"
    assert (claims["dvc_role"], claims["dvc_agency"]) == ("admin", "000.00.11.H20")
    # The code is good once.
    again = exchange(code_idp, answer["code"], verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_pkce_is_required_and_checked(code_idp: Provider) -> None:
    url, _ = authorization_url(code_idp)
    without = url.replace("code_challenge", "no_challenge")
    refused = httpx.get(without)
    assert refused.is_redirect
    assert query_of(refused.headers["location"])["error"] == "invalid_request"
    code = query_of(code_idp.sign_in(url, "hoa", HOA["password"]))["code"]
    wrong = exchange(code_idp, code, secrets.token_urlsafe(48))
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"


def test_a_public_client_signs_in_with_pkce_alone(code_idp: Provider) -> None:
    url, verifier = authorization_url(code_idp, "public-pages")
    code = query_of(code_idp.sign_in(url, "hoa", HOA["password"]))["code"]
    assert exchange(code_idp, code, verifier, PUBLIC).status_code == 200


def test_a_wrong_password_stays_on_the_login_page(code_idp: Provider) -> None:
    url, _ = authorization_url(code_idp)
    with pytest.raises(OIDCProviderError, match="401"):
        code_idp.sign_in(url, "hoa", "not-the-password")


def test_cancelling_sends_access_denied_back(code_idp: Provider) -> None:
    url, _ = authorization_url(code_idp)
    answer = query_of(code_idp.cancel(url))
    assert answer["error"] == "access_denied" and answer["state"] == "the-state"


def test_conforming_id_tokens_leave_the_claims_to_userinfo() -> None:
    with running_provider(
        sso_clients=[PAGES], users=[HOA], conform_id_token_claims=True
    ) as provider:
        url, verifier = authorization_url(provider)
        code = query_of(provider.sign_in(url, "hoa", HOA["password"]))["code"]
        tokens = exchange(provider, code, verifier).json()
        claims = id_token_claims(provider, tokens["id_token"])
        assert "dvc_role" not in claims and claims["sub"] == "hoa"
        userinfo = httpx.get(
            provider.metadata()["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        ).json()
    assert userinfo == {
        "sub": "hoa",
        "preferred_username": "hoa",
        "dvc_role": "admin",
        "dvc_agency": "000.00.11.H20",
    }
