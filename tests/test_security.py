"""The provider's keys: cached, refetched once when a token names an unknown key (rotation),
and never fetched in a storm for tokens with made-up key ids."""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from argon2 import Type
from joserfc import jwt
from joserfc.jwk import RSAKey

from app import security
from app.errors import AppError
from app.security import Authenticator, LocalIssuer, OidcProvider
from tests.clock import Clock

AUDIENCE = "dvc-gateway"


class KeyServer:
    """A minimal discovery + JWKS endpoint whose key set the test can rotate."""

    def __init__(self) -> None:
        self.keys: list[RSAKey] = []
        self.jwks_fetches = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.endswith("openid-configuration"):
                    body: Any = {"issuer": server.issuer, "jwks_uri": server.issuer + "/jwks"}
                else:
                    server.jwks_fetches += 1
                    body = {"keys": [k.as_dict(private=False) for k in server.keys]}
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: Any) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def token(self, key: RSAKey, kid: str | None = None) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": AUDIENCE, "sub": "x", "exp": now + 60}
        return jwt.encode({"alg": "RS256", "kid": kid or key.kid}, claims, key)


@pytest.fixture
def keys() -> Iterator[KeyServer]:
    server = KeyServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()


def rsa(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid})


def authenticator(server: KeyServer, clock: Clock | None = None) -> Authenticator:
    local = LocalIssuer(key=rsa("local"), issuer="dvc-gateway", audience=AUDIENCE, ttl_s=60)
    provider = OidcProvider(
        issuer=server.issuer, audience=AUDIENCE, min_refetch_s=0.2, clock=clock or Clock()
    )
    return Authenticator(local, provider)


def test_keys_are_cached_and_refetched_once_after_a_rotation(keys: KeyServer) -> None:
    first, second = rsa("k1"), rsa("k2")
    keys.keys = [first]
    clock = Clock()
    auth = authenticator(keys, clock)
    for _ in range(3):
        assert auth.verify(keys.token(first)).claims["sub"] == "x"
    assert keys.jwks_fetches == 1
    keys.keys = [second]  # the provider rotated its key
    clock.advance(0.25)  # past min_refetch_s
    assert auth.verify(keys.token(second)).issuer == keys.issuer
    assert keys.jwks_fetches == 2


def test_keys_are_fetched_again_once_their_ttl_has_passed(keys: KeyServer) -> None:
    key = rsa("k1")
    keys.keys = [key]
    clock = Clock()
    auth = authenticator(keys, clock)
    auth.verify(keys.token(key))
    clock.advance(600)  # OidcProvider.ttl_s: not yet stale
    auth.verify(keys.token(key))
    assert keys.jwks_fetches == 1
    clock.advance(1)
    auth.verify(keys.token(key))
    assert keys.jwks_fetches == 2


def test_unknown_key_ids_do_not_cause_a_fetch_storm(keys: KeyServer) -> None:
    key = rsa("k1")
    keys.keys = [key]
    auth = authenticator(keys)
    auth.verify(keys.token(key))
    for i in range(20):
        with pytest.raises(AppError) as refused:
            auth.verify(keys.token(rsa(f"evil{i}") if i == 0 else key, kid=f"made-up-{i}"))
        assert refused.value.status == 401
    assert keys.jwks_fetches <= 2


def test_an_unreachable_provider_is_a_503_not_a_500() -> None:
    local = LocalIssuer(key=rsa("local"), issuer="dvc-gateway", audience=AUDIENCE, ttl_s=60)
    provider = OidcProvider(issuer="http://127.0.0.1:9", audience=AUDIENCE, timeout_s=1)
    auth = Authenticator(local, provider)
    claims = {"iss": "http://127.0.0.1:9", "aud": AUDIENCE, "exp": int(time.time()) + 60}
    token = jwt.encode({"alg": "RS256", "kid": "a"}, claims, rsa("a"))
    with pytest.raises(AppError) as down:
        auth.verify(token)
    assert down.value.status == 503


def test_passwords_are_hashed_with_argon2id_at_rfc_9106s_cost() -> None:
    """The production hasher (the suite swaps in a cheap one: tests/conftest.py)."""
    hasher = security.password_hasher()
    assert (hasher.type, hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        Type.ID,
        3,
        64 * 1024,
        4,
    )
    assert hasher.hash("mat-khau").startswith("$argon2id$v=19$m=65536,t=3,p=4$")
