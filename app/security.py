"""Officer authentication: passwords (Argon2id), the built-in RS256 token issuer and external
OpenID Connect tokens (joserfc, the JOSE library of the Authlib project).

Every token is checked the same way: only RS256, the issuer's own key (picked by `kid`), and
`iss`, `aud`, `exp` and `nbf` enforced. `alg: none`, HS256 made with the public key, a foreign
issuer or an expired token never get past `verify_token`.
"""

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey
from joserfc.jws import extract_compact
from joserfc.jwt import JWTClaimsRegistry

from app.config import Settings
from app.errors import InvalidToken, ProviderDown
from app.keys import load_or_create
from app.services import strict_json

ALGORITHMS = ["RS256"]
LEEWAY_S = 30


def password_hasher() -> PasswordHasher:
    """Argon2id with argon2-cffi's defaults, RFC 9106's second recommended option (t=3,
    m=64 MiB, p=4): about 0.2 s a hash on one of our CI cores."""
    return PasswordHasher()


_hasher = password_hasher()
# Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


# ---------------------------------------------------------------------------------------------
# The built-in issuer


def load_or_create_key(path: Path) -> RSAKey:
    """The issuer's private key, created on first start (app/keys.py)."""

    def make() -> bytes:
        key = RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex, "use": "sig"})
        return json.dumps(key.as_dict(private=True)).encode()

    return RSAKey.import_key(json.loads(load_or_create(path, make)))


@dataclass
class LocalIssuer:
    key: RSAKey
    issuer: str
    audience: str
    ttl_s: int

    def issue(self, username: str, role: str, agency_code: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": username,
            "role": role,
            "agency": agency_code,
            "iat": now,
            "nbf": now,
            "exp": now + self.ttl_s,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)

    def key_set(self) -> KeySet:
        return KeySet([RSAKey.import_key(self.key.as_dict(private=False))])


# ---------------------------------------------------------------------------------------------
# External OpenID Connect provider


@dataclass
class OidcProvider:
    """Discovery and JWKS fetched with httpx and cached for `ttl_s`; an unknown `kid` triggers
    one refetch (the provider rotated its keys), at most once per `min_refetch_s`."""

    issuer: str
    audience: str
    ttl_s: float = 600
    min_refetch_s: float = 10
    timeout_s: float = 5
    clock: Callable[[], float] = time.monotonic  # injectable: tests move time, never sleep
    _keys: KeySet | None = None
    _metadata: dict[str, Any] = field(default_factory=dict)
    _fetched_at: float = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def key_set(self, kid: str | None) -> KeySet:
        with self._lock:
            age = self.clock() - self._fetched_at
            stale = self._keys is None or age > self.ttl_s
            unknown = kid is not None and self._keys is not None and not _has_kid(self._keys, kid)
            if stale or (unknown and age > self.min_refetch_s):
                self._metadata, self._keys = self._fetch()
                self._fetched_at = self.clock()
            assert self._keys is not None
            return self._keys

    def metadata(self) -> dict[str, Any]:
        """The discovery document (its endpoints), fetched and cached with the keys."""
        self.key_set(None)
        return self._metadata

    def _fetch(self) -> tuple[dict[str, Any], KeySet]:
        try:
            with httpx.Client(timeout=self.timeout_s) as client:
                url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
                discovery = client.get(url).raise_for_status().json()
                if not isinstance(discovery, dict) or discovery.get("issuer") != self.issuer:
                    raise ValueError("discovery document names another issuer")
                jwks = client.get(discovery["jwks_uri"]).raise_for_status().json()
            return discovery, KeySet.import_key_set(jwks)
        except (httpx.HTTPError, ValueError, KeyError, TypeError, JoseError) as exc:
            raise ProviderDown() from exc


def _has_kid(keys: KeySet, kid: str) -> bool:
    return any(key.kid == kid for key in keys.keys)


# ---------------------------------------------------------------------------------------------
# Verification


@dataclass(frozen=True)
class VerifiedToken:
    issuer: str
    claims: dict[str, Any]


class Authenticator:
    def __init__(
        self,
        local: LocalIssuer,
        oidc: OidcProvider | None,
        leeway_s: int = LEEWAY_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.local = local
        self.oidc = oidc
        self.leeway_s = leeway_s
        self.clock = clock  # the moment `exp` and `nbf` are checked against

    def verify(self, token: str) -> VerifiedToken:
        """The token's claims if it is valid; 401 otherwise, whatever the reason."""
        try:
            header, unverified = _peek(token)
            issuer = unverified.get("iss")
            if issuer == self.local.issuer:
                keys, audience = self.local.key_set(), self.local.audience
            elif self.oidc is not None and issuer == self.oidc.issuer:
                keys, audience = self.oidc.key_set(header.get("kid")), self.oidc.audience
            else:
                raise InvalidToken("Mã truy cập do bên không được tin cậy cấp.")
            decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
            registry = JWTClaimsRegistry(
                now=int(self.clock()),
                leeway=self.leeway_s,
                iss={"essential": True, "value": issuer},
                aud={"essential": True, "value": audience},
                exp={"essential": True},
            )
            registry.validate(decoded.claims)
        except (JoseError, ValueError, TypeError) as exc:
            raise InvalidToken() from exc
        return VerifiedToken(issuer=str(issuer), claims=dict(decoded.claims))


def _peek(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims before verification, only to choose the issuer's keys."""
    compact = extract_compact(token.encode("ascii"))
    # Not yet verified, so anyone's JSON: the strict parser (a JSONRefused is a ValueError).
    claims = strict_json.loads(compact.payload)
    if not isinstance(claims, dict):
        raise ValueError("claims are not an object")
    return dict(compact.protected), claims


def build_authenticator(settings: Settings) -> Authenticator:
    local = LocalIssuer(
        key=load_or_create_key(Path(settings.signing_key_path)),
        issuer=settings.token_issuer,
        audience=settings.token_audience,
        ttl_s=settings.token_ttl_minutes * 60,
    )
    oidc = None
    if settings.oidc_issuer:
        oidc = OidcProvider(
            issuer=settings.oidc_issuer,
            audience=settings.oidc_audience or settings.token_audience,
            ttl_s=settings.oidc_jwks_ttl_s,
        )
    return Authenticator(local, oidc, settings.token_leeway_s)
