"""The officers' single sign-on pages, on app/services/officer_sso.py (served when OIDC_ISSUER
and OIDC_CLIENT_ID are set; 404 otherwise).

- `GET /can-bo/dang-nhap/sso?next=…`: a new sign-in (state, nonce, PKCE S256) and a 303 to
  the provider's authorization endpoint. What the return needs is kept in the browser, sealed:
  the cookie `officer_sso`, AES-256-GCM under a secret of the data key (derived as
  app/web/csrf.py derives its own), HttpOnly, SameSite=Lax (it must come back with the
  provider's redirect, a navigation from another site), Path=/can-bo, for 10 minutes.
- `GET /can-bo/dang-nhap/sso/callback`: the return. The cookie is forgotten whatever happens
  (one use); its state must match, then the code is exchanged and the ID token checked, and
  an existing, enabled account with the provider's username gets a session (the provider's
  role and agency) and a 303 to `next`. Every failure is the sign-in page with what went
  wrong in words, and no session: 400 for a return this browser did not start (or an expired
  one), 401 cancelled or refused by the provider, 403 for an account unknown here or disabled
  or claims missing, 503 when the provider cannot be reached.
"""

import base64
import json
import secrets
from dataclasses import asdict

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.config import Settings
from app.deps import SettingsDep
from app.errors import (
    AppError,
    MissingClaims,
    NotFound,
    ProviderDown,
    SsoCancelled,
    SsoRefused,
    SsoStateInvalid,
    UnknownOfficer,
)
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.types import utcnow
from app.services import officer_sso
from app.services.dossiers.tokens import server_secret
from app.services.officer_sso import PENDING_S, Pending, SingleSignOn
from app.web import officer_auth
from app.web.i18n import Lang, pick_lang, translate
from app.web.officer_auth import COOKIE, PATH, SSO_START, current_signed, safe_next
from app.web.officer_pages import sign_in_form
from app.web.rendering import lang_of, link_for

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

PENDING_COOKIE = "officer_sso"
CALLBACK = f"{SSO_START}/callback"
SECRET_LABEL = b"dvc-gateway officers' single sign-on (pending sign-in)"
NONCE_BYTES = 12
# A sealed Pending is about 400 characters; anything much longer is not one of ours.
MAX_COOKIE = 2000
# Each failure's words on the page (app/web/i18n.py).
MESSAGES: dict[type[AppError], str] = {
    SsoStateInvalid: "sso_state_invalid",
    SsoCancelled: "sso_cancelled",
    SsoRefused: "sso_refused",
    UnknownOfficer: "sso_unknown_officer",
    MissingClaims: "sso_missing_claims",
    ProviderDown: "sso_unavailable",
}
FAILURES = tuple(MESSAGES)


@router.get(SSO_START, response_class=HTMLResponse)
async def start(request: Request, settings: SettingsDep, next: str | None = None) -> Response:
    """A new sign-in at the provider: 303 to its authorization endpoint."""
    sso = _configured(request)
    target = safe_next(next)
    if await current_signed(request) is not None:
        return RedirectResponse(target, status_code=303)
    try:
        url, pending = await sso.begin(_redirect_uri(request, sso), target, lang_of(request))
    except ProviderDown as down:
        return _refused(request, settings, sso, target, down, lang_of(request))
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        PENDING_COOKIE,
        _seal(settings, pending),
        max_age=PENDING_S,
        path=PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.get(CALLBACK, response_class=HTMLResponse, name="officer_sso_callback")
async def callback(request: Request, settings: SettingsDep) -> Response:
    """The provider's return: a session and a 303 to `next`, or the sign-in page saying why
    not."""
    sso = _configured(request)
    pending = _unseal(settings, request.cookies.get(PENDING_COOKIE))
    target = pending.next if pending else safe_next(None)
    try:
        code = sso.returned_code(pending, request.query_params)
        assert pending is not None  # returned_code refuses a return without one
        verified = await sso.finish(pending, _redirect_uri(request, sso), code)
        token = await run_in_threadpool(
            officer_sso.sign_in,
            request.app.state.engine,
            settings,
            verified,
            utcnow(),
            request.cookies.get(COOKIE),
        )
    except FAILURES as refused:
        # The provider's return carries no language: the one the sign-in began in, if known.
        lang = _lang(pending) if pending else lang_of(request)
        response = _refused(request, settings, sso, target, refused, lang)
    else:
        response = RedirectResponse(link_for(_lang(pending), target), status_code=303)
        officer_auth.keep_session(request, response, token, settings.officer_session_max_s)
    response.delete_cookie(
        PENDING_COOKIE,
        path=PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


def _configured(request: Request) -> SingleSignOn:
    sso: SingleSignOn | None = request.app.state.single_sign_on
    if sso is None:
        raise NotFound()
    return sso


def _redirect_uri(request: Request, sso: SingleSignOn) -> str:
    return sso.redirect_uri or str(request.url_for("officer_sso_callback"))


def _lang(pending: Pending) -> Lang:
    return pick_lang(pending.lang)


def _refused(
    request: Request,
    settings: Settings,
    sso: SingleSignOn,
    target: str,
    refused: AppError,
    lang: Lang,
) -> Response:
    key = next(words for kind, words in MESSAGES.items() if isinstance(refused, kind))
    return sign_in_form(
        request,
        settings,
        next=target,
        error=translate(lang, key, name=sso.display_name),
        status=refused.status,
        headers=refused.headers,
        fields_in_error=False,
        lang=lang,
    )


def _key(settings: Settings) -> AESGCM:
    return AESGCM(server_secret(settings.data_key_path, SECRET_LABEL))


def _seal(settings: Settings, pending: Pending) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    plain = json.dumps(asdict(pending)).encode()
    sealed = nonce + _key(settings).encrypt(nonce, plain, PENDING_COOKIE.encode())
    return base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def _unseal(settings: Settings, value: str | None) -> Pending | None:
    """The pending sign-in the cookie holds, or None for no cookie or one not sealed here."""
    if not value or len(value) > MAX_COOKIE:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        plain = _key(settings).decrypt(nonce, sealed, PENDING_COOKIE.encode())
        return Pending(**json.loads(plain))
    except (InvalidTag, ValueError, TypeError):
        return None
