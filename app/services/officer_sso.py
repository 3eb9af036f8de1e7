"""The officers' single sign-on: OpenID Connect's authorization code flow with PKCE (S256), as
a client (confidential, or public with PKCE alone) of the provider `OIDC_ISSUER`.

Authlib's httpx client (`AsyncOAuth2Client`) writes the authorization request and exchanges
the code; joserfc verifies the ID token with the provider's keys, from the same cached
discovery document and JWKS as the API's bearer tokens (`security.OidcProvider`): RS256 only,
`iss` the provider, `aud` our client id (and `azp` it when there are several audiences),
`exp`, `iat`, `sub`, and the `nonce` of this very request. The username, role and agency
claims (the settings' names, as the API reads them) come from the ID token, else from
userinfo; the account must exist and be enabled here (`officers.principal_for`), and the
session keeps the provider's role and agency (`officer_sessions.start`).

What the callback needs (`Pending`: state, nonce, PKCE verifier, where to go) is the caller's
to keep between the two requests — the pages keep it sealed in a short-lived cookie; this
module never sees one. Every way the flow can fail is one of the domain's errors:
`SsoStateInvalid`, `SsoCancelled`, `SsoRefused`, `UnknownOfficer`, `MissingClaims`, and
`ProviderDown` (503) when the provider cannot be reached.
"""

import hmac
import logging
import secrets
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anyio.to_thread
import authlib.deprecate  # noqa: F401  (its own warning filter first, so the one below wins)
import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jws import extract_compact
from joserfc.jwt import JWTClaimsRegistry
from sqlalchemy import Engine

from app.config import Settings
from app.db import unit_of_work
from app.errors import ProviderDown, SsoCancelled, SsoRefused, SsoStateInvalid
from app.security import ALGORITHMS, OidcProvider, VerifiedToken
from app.services import officer_sessions
from app.services.officers import get_officer, principal_for

with warnings.catch_warnings():
    # Authlib 1.9 would rather have httpx2; the stack pins httpx, which it still supports.
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError

logger = logging.getLogger(__name__)

# How long a browser has to sign in at the provider and come back.
PENDING_S = 600


@dataclass(frozen=True)
class Pending:
    """A sign-in started by one browser, waiting for its return from the provider."""

    state: str
    nonce: str
    code_verifier: str
    next: str  # where to go once signed in (already checked by the caller)
    lang: str
    expires_at: float  # epoch seconds


@dataclass
class SingleSignOn:
    """The provider's client, as the settings describe it (`from_settings`)."""

    provider: OidcProvider
    client_id: str
    client_secret: str | None
    scopes: str
    display_name: str
    redirect_uri: str | None
    claim_names: tuple[str, ...]  # the username's, the role's and the agency's
    leeway_s: int
    clock: Callable[[], float] = time.time  # injectable: tests move time, never sleep

    def _client(self, redirect_uri: str) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_endpoint_auth_method="client_secret_basic" if self.client_secret else "none",
            scope=self.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=self.provider.timeout_s,
        )

    async def _endpoint(self, name: str) -> str | None:
        metadata = await anyio.to_thread.run_sync(self.provider.metadata)
        value = metadata.get(name)
        return value if isinstance(value, str) else None

    async def begin(self, redirect_uri: str, next: str, lang: str) -> tuple[str, Pending]:
        """The provider's authorization URL for a new sign-in (state, nonce, PKCE S256), and
        what its return will be checked against; 503 when the provider cannot be reached."""
        endpoint = await self._endpoint("authorization_endpoint")
        if endpoint is None:
            raise _provider_down(ValueError("no authorization_endpoint"))
        pending = Pending(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(48),  # 64 characters (RFC 7636: 43 to 128)
            next=next,
            lang=lang,
            expires_at=self.clock() + PENDING_S,
        )
        async with self._client(redirect_uri) as client:
            url, _ = client.create_authorization_url(
                endpoint,
                state=pending.state,
                code_verifier=pending.code_verifier,
                nonce=pending.nonce,
            )
        return str(url), pending

    def returned_code(self, pending: Pending | None, params: Mapping[str, str]) -> str:
        """The code of the provider's return to `pending`: `SsoStateInvalid` when no live
        sign-in of this browser has its `state` (or another issuer answers, RFC 9207),
        `SsoCancelled` for `access_denied`, `SsoRefused` for any other error."""
        state = params.get("state", "")
        if (
            pending is None
            or self.clock() >= pending.expires_at
            or not hmac.compare_digest(state.encode(), pending.state.encode())
            or params.get("iss", self.provider.issuer) != self.provider.issuer
        ):
            raise SsoStateInvalid()
        error = params.get("error")
        if error == "access_denied":
            raise SsoCancelled()
        code = params.get("code")
        if error or not code:
            logger.warning("single sign-on: the provider answered %r", error)
            raise SsoRefused()
        return code

    async def finish(self, pending: Pending, redirect_uri: str, code: str) -> VerifiedToken:
        """The provider's word on who signed in: the code exchanged (with the PKCE
        verifier), the ID token verified, the claims completed from userinfo if needed."""
        token_endpoint = await self._endpoint("token_endpoint")
        userinfo = await self._endpoint("userinfo_endpoint")
        if token_endpoint is None:
            raise _provider_down(ValueError("no token_endpoint"))
        async with self._client(redirect_uri) as client:
            try:
                tokens = await client.fetch_token(
                    token_endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=pending.code_verifier,
                )
            except OAuthError as refused:  # invalid_grant: a code used twice, say
                logger.warning("single sign-on: the code was refused: %s", refused)
                raise SsoRefused() from refused
            except (httpx.HTTPError, ValueError) as exc:
                raise _failure(exc) from exc
            claims = await self._id_token(tokens.get("id_token"), pending.nonce)
            if userinfo and any(name not in claims for name in self.claim_names):
                claims = {**await self._userinfo(client, userinfo, claims["sub"]), **claims}
        return VerifiedToken(issuer=self.provider.issuer, claims=claims)

    async def _id_token(self, id_token: object, nonce: str) -> dict[str, Any]:
        if not isinstance(id_token, str):
            raise SsoRefused()
        try:
            kid = extract_compact(id_token.encode("ascii")).protected.get("kid")
            keys = await anyio.to_thread.run_sync(self.provider.key_set, kid)
            claims = dict(jwt.decode(id_token, keys, algorithms=ALGORITHMS).claims)
            JWTClaimsRegistry(
                now=int(self.clock()),
                leeway=self.leeway_s,
                iss={"essential": True, "value": self.provider.issuer},
                aud={"essential": True, "value": self.client_id},
                exp={"essential": True},
                iat={"essential": True},
                sub={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(claims)
        except (JoseError, ValueError, TypeError) as exc:
            logger.warning("single sign-on: the ID token was refused: %r", exc)
            raise SsoRefused() from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise SsoRefused()  # OpenID Connect Core 3.1.3.7: another party's token
        return claims

    async def _userinfo(self, client: AsyncOAuth2Client, url: str, sub: str) -> dict[str, Any]:
        try:
            answer = await client.get(url)
            answer.raise_for_status()
            info = answer.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise _failure(exc) from exc
        # OpenID Connect Core 5.3.4: userinfo of another subject is not this sign-in's.
        if not isinstance(info, dict) or info.get("sub") != sub:
            raise SsoRefused()
        return info


def _failure(exc: Exception) -> Exception:
    """A provider that does not answer, or answers 5xx, is down (503); any other broken
    answer is a refusal."""
    if isinstance(exc, httpx.TransportError) or (
        isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code >= 500
    ):
        return _provider_down(exc)
    logger.warning("single sign-on: a broken answer of the provider: %r", exc)
    return SsoRefused()


def _provider_down(exc: Exception) -> ProviderDown:
    logger.warning("single sign-on: the provider cannot be reached: %r", exc)
    return ProviderDown()


def from_settings(settings: Settings, provider: OidcProvider | None) -> SingleSignOn | None:
    """The sign-in page's client of the provider, when one is configured (OIDC_ISSUER and
    OIDC_CLIENT_ID); `provider` is the API's, so both share its cached keys."""
    if provider is None or not settings.oidc_client_id:
        return None
    secret = settings.oidc_client_secret
    return SingleSignOn(
        provider=provider,
        client_id=settings.oidc_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        scopes=settings.oidc_scopes,
        display_name=settings.oidc_display_name,
        redirect_uri=settings.oidc_redirect_uri,
        claim_names=(
            settings.oidc_username_claim,
            settings.oidc_role_claim,
            settings.oidc_agency_claim,
        ),
        leeway_s=settings.token_leeway_s,
    )


def sign_in(
    engine: Engine,
    settings: Settings,
    verified: VerifiedToken,
    now: datetime,
    previous: str | None = None,
) -> str:
    """A page session for the officer the provider vouched for: an existing, enabled account
    with that username (`UnknownOfficer` else), with the provider's role and agency
    (`MissingClaims` without them); the browser's `previous` session ends. Returns the
    browser's token."""
    with unit_of_work(engine) as session:
        principal = principal_for(session, settings, verified)
        officer_id = get_officer(session, principal.username).id
    assert officer_id is not None
    return officer_sessions.start(
        engine,
        settings,
        officer_id,
        now,
        issuer=verified.issuer,
        role=principal.role,
        agency_code=principal.agency_code,
        previous=previous,
    )
