"""The officers' pages' sign-in, sign-out and session (`/can-bo/`): the page side of
app/services/officer_sessions.py.

- The session cookie `officer_session` is HttpOnly, SameSite=Lax (a link from an e-mail to a
  dossier opens signed in; a form posted from another site carries no cookie), Secure when the
  page came over HTTPS, Path=/can-bo; the session's end is kept on the server.
- Every form carries the CSRF field of app/web/csrf.py, scoped to the session (`scope_of`),
  or, before sign-in, to the sign-in form; the `csrf` cookie has Path=/can-bo.
- A page route takes `SignedDep`: without a live session the browser is sent (303) to the
  sign-in page, which brings it back to the page it asked for (`next`, a path under
  /can-bo/ only).
"""

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from app.config import Settings
from app.http_cache import Answered
from app.models.types import utcnow
from app.services import officer_sessions
from app.services.officer_sessions import Signed
from app.web.csrf import Csrf, csrf_secret
from app.web.i18n import Lang
from app.web.rendering import lang_of, link_for

COOKIE = "officer_session"
PATH = "/can-bo"
SIGN_IN = "/can-bo/"
HOME = "/can-bo/ho-so"
SIGN_IN_SCOPE = "officer-sign-in"
SSO_START = "/can-bo/dang-nhap/sso"


def scope_of(signed: Signed) -> str:
    """The CSRF scope of a signed-in officer's forms: their session (a form of an ended
    session, or of another officer's, is refused)."""
    return f"officer-session:{signed.session_id}"


def csrf_of(request: Request, settings: Settings, signed: Signed | None) -> Csrf:
    scope = scope_of(signed) if signed else SIGN_IN_SCOPE
    return Csrf(request, csrf_secret(settings), scope)


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: a path under /can-bo/ of this site, else the queue."""
    if not target:
        return HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(PATH + "/") or "\\" in target:
        return HOME
    return target


def sso_offer(request: Request, next: str, lang: Lang | None = None) -> dict[str, str] | None:
    """The sign-in page's "Đăng nhập bằng …" link, when single sign-on is configured."""
    sso = request.app.state.single_sign_on
    if sso is None:
        return None
    url = link_for(lang or lang_of(request), SSO_START, {"next": next})
    return {"url": url, "name": sso.display_name}


def sign_in_link(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{SIGN_IN}?next={quote(here, safe='')}"


async def current_signed(request: Request) -> Signed | None:
    state = request.app.state
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    return await run_in_threadpool(
        officer_sessions.read, state.engine, state.settings, token, utcnow()
    )


async def require_signed(request: Request) -> Signed:
    """The signed-in officer; without a live session, a 303 to the sign-in page."""
    signed = await current_signed(request)
    if signed is None:
        raise Answered(RedirectResponse(sign_in_link(request), status_code=303))
    return signed


SignedDep = Annotated[Signed, Depends(require_signed)]


def keep_session(request: Request, response: Response, token: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=max_age,
        path=PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def forget_session(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path=PATH, httponly=True, samesite="lax", secure=request.url.scheme == "https"
    )
