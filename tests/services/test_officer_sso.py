"""The ID token checks of the officers' single sign-on (app/services/officer_sso.py), on tokens
made here with a key of our own: what a real provider never sends wrong on purpose."""

import base64
import json
from typing import Any

import anyio
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from app.errors import SsoCancelled, SsoRefused, SsoStateInvalid
from app.security import OidcProvider
from app.services.officer_sso import PENDING_S, Pending, SingleSignOn

ISSUER = "https://xac-thuc.example.vn"
CLIENT = "dvc-pages"
NONCE = "the-nonce"
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
NOW = 1_800_000_000


def single_sign_on() -> SingleSignOn:
    provider = OidcProvider(issuer=ISSUER, audience="dvc-gateway", clock=lambda: 0)
    provider._keys = KeySet([RSAKey.import_key(KEY.as_dict(private=False))])  # never fetched
    provider._metadata = {"issuer": ISSUER}
    return SingleSignOn(
        provider=provider,
        client_id=CLIENT,
        client_secret=None,
        scopes="openid profile",
        display_name="VNeID",
        redirect_uri=None,
        claim_names=("preferred_username", "dvc_role", "dvc_agency"),
        leeway_s=30,
        clock=lambda: NOW,
    )


def id_token(header: dict[str, Any] | None = None, key: RSAKey = KEY, **changes: Any) -> str:
    claims = {
        "iss": ISSUER,
        "aud": CLIENT,
        "sub": "lan",
        "nonce": NONCE,
        "iat": NOW - 10,
        "exp": NOW + 600,
        "preferred_username": "lan",
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(header or {"alg": "RS256", "kid": "k1"}, claims, key)


def checked(token: str) -> dict[str, Any]:
    return anyio.run(single_sign_on()._id_token, token, NONCE)


def test_a_good_id_token_gives_its_claims() -> None:
    assert checked(id_token())["preferred_username"] == "lan"
    # Several audiences: ours among them, and the token is for us (azp).
    assert checked(id_token(aud=[CLIENT, "other"], azp=CLIENT))["sub"] == "lan"
    assert checked(id_token(exp=NOW - 29))["sub"] == "lan"  # within the leeway


@pytest.mark.parametrize(
    "changes",
    [
        {"nonce": "another-nonce"},
        {"nonce": None},
        {"aud": "dvc-gateway"},  # an access token's audience, not our client
        {"aud": [CLIENT, "other"]},  # several audiences, no azp
        {"aud": [CLIENT, "other"], "azp": "other"},
        {"iss": "https://evil.example"},
        {"exp": NOW - 31},
        {"exp": None},
        {"iat": None},
        {"sub": None},
    ],
    ids=lambda changes: ",".join(f"{k}={v}" for k, v in changes.items()),
)
def test_an_id_token_not_for_this_sign_in_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(SsoRefused):
        checked(id_token(**changes))


def test_an_id_token_of_another_key_or_algorithm_is_refused() -> None:
    stranger = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    with pytest.raises(SsoRefused):
        checked(id_token(key=stranger))
    _, payload, _ = id_token().split(".")
    for alg in ("none", "HS256"):
        header = base64.urlsafe_b64encode(json.dumps({"alg": alg, "kid": "k1"}).encode())
        with pytest.raises(SsoRefused):
            checked(f"{header.decode().rstrip('=')}.{payload}.")
    with pytest.raises(SsoRefused):
        checked("not a token")
    with pytest.raises(SsoRefused):
        anyio.run(single_sign_on()._id_token, None, NONCE)


def pending(**changes: Any) -> Pending:
    values: dict[str, Any] = {
        "state": "s" * 43,
        "nonce": NONCE,
        "code_verifier": "v" * 64,
        "next": "/can-bo/ho-so",
        "lang": "vi",
        "expires_at": NOW + PENDING_S,
    }
    return Pending(**{**values, **changes})


@pytest.mark.parametrize(
    ("waiting", "params", "refusal"),
    [
        (None, {"state": "s" * 43, "code": "c"}, SsoStateInvalid),
        (pending(), {"state": "t" * 43, "code": "c"}, SsoStateInvalid),
        (pending(), {"code": "c"}, SsoStateInvalid),
        (pending(expires_at=NOW), {"state": "s" * 43, "code": "c"}, SsoStateInvalid),
        (pending(), {"state": "s" * 43, "code": "c", "iss": "https://evil"}, SsoStateInvalid),
        (pending(), {"state": "s" * 43, "error": "access_denied"}, SsoCancelled),
        (pending(), {"state": "s" * 43, "error": "login_required"}, SsoRefused),
        (pending(), {"state": "s" * 43}, SsoRefused),
    ],
)
def test_a_return_is_checked_against_the_pending_sign_in(
    waiting: Pending | None, params: dict[str, str], refusal: type[Exception]
) -> None:
    with pytest.raises(refusal):
        single_sign_on().returned_code(waiting, params)


def test_a_return_to_the_pending_sign_in_gives_its_code() -> None:
    sso = single_sign_on()
    assert sso.returned_code(pending(), {"state": "s" * 43, "code": "c", "iss": ISSUER}) == "c"
    assert sso.returned_code(pending(), {"state": "s" * 43, "code": "c"}) == "c"


def test_begin_asks_for_a_code_with_pkce_s256() -> None:
    sso = single_sign_on()
    sso.provider._metadata["authorization_endpoint"] = f"{ISSUER}/auth"
    url, started = anyio.run(sso.begin, "https://dvc.example.vn/cb", "/can-bo/ho-so", "en")
    assert url.startswith(f"{ISSUER}/auth?")
    assert "code_challenge_method=S256" in url and f"nonce={started.nonce}" in url
    assert started.code_verifier not in url  # only its hash travels
    assert started.expires_at == NOW + PENDING_S and started.lang == "en"
    assert len({started.state, started.nonce, started.code_verifier}) == 3
    assert min(len(started.state), len(started.nonce)) >= 43 and len(started.code_verifier) == 64
