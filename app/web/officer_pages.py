"""The officers' sign-in and sign-out pages (`/can-bo/`), on the API's password check and
throttle (services/officers.py) and the server-side sessions (services/officer_sessions.py).

- `GET /can-bo/`: the sign-in form (a signed-in officer goes on to the queue).
- `POST /can-bo/dang-nhap`: the CSRF check, then the throttled password check; a wrong
  username or password is the form again with the API's message (401), too many failures the
  API's 429 with `Retry-After`; success starts a new session (the browser's old one ends) and
  sends the officer to `next` (a path under /can-bo/) or the queue.
- `POST /can-bo/dang-xuat`: ends the session on the server and forgets the cookie.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.deps import SettingsDep
from app.errors import InvalidCredentials, TooManyAttempts
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.types import utcnow
from app.ratelimit import client_of
from app.services import officer_sessions
from app.services.officers import authenticate, throttled
from app.web import officer_auth
from app.web.i18n import Lang, translate
from app.web.officer_auth import COOKIE, PATH, csrf_of, current_signed, safe_next, sso_offer
from app.web.rendering import lang_of, link_for, render

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

MAX_USERNAME = 100
MAX_PASSWORD = 200


@router.get("/can-bo", response_class=HTMLResponse)
@router.get("/can-bo/", response_class=HTMLResponse)
async def sign_in_page(
    request: Request, settings: SettingsDep, next: str | None = None, done: str | None = None
) -> Response:
    signed = await current_signed(request)
    if signed is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    notice = translate(lang_of(request), "officer_signed_out") if done == "sign_out" else None
    return sign_in_form(request, settings, next=safe_next(next), notice=notice)


@router.post("/can-bo/dang-nhap", response_class=HTMLResponse)
async def sign_in(
    request: Request,
    settings: SettingsDep,
    csrf_token: Annotated[str, Form()] = "",
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    csrf_of(request, settings, None).check(csrf_token)
    typed = username.strip().lower()[:MAX_USERNAME]
    engine = request.app.state.engine
    try:
        officer_id = await run_in_threadpool(
            throttled,
            engine,
            typed,
            client_of(request),
            utcnow(),
            lambda session: authenticate(session, typed, password[:MAX_PASSWORD]).id,
        )
    except (InvalidCredentials, TooManyAttempts) as refused:
        return sign_in_form(
            request,
            settings,
            next=safe_next(next),
            username=typed,
            error=refused.message,
            status=refused.status,
            headers=refused.headers,
        )
    assert officer_id is not None
    token = await run_in_threadpool(
        officer_sessions.start,
        engine,
        settings,
        officer_id,
        utcnow(),
        previous=request.cookies.get(COOKIE),
    )
    response = RedirectResponse(link_for(lang_of(request), safe_next(next)), status_code=303)
    officer_auth.keep_session(request, response, token, settings.officer_session_max_s)
    return response


@router.post("/can-bo/dang-xuat")
async def sign_out(
    request: Request, settings: SettingsDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    signed = await current_signed(request)
    if signed is not None:  # an ended session needs no check: there is nothing left to end
        csrf_of(request, settings, signed).check(csrf_token)
        await run_in_threadpool(
            officer_sessions.end, request.app.state.engine, request.cookies.get(COOKIE)
        )
    target = link_for(lang_of(request), "/can-bo/", {"done": "sign_out"})
    response = RedirectResponse(target, status_code=303)
    officer_auth.forget_session(request, response)
    return response


def sign_in_form(
    request: Request,
    settings: Any,
    *,
    next: str,
    username: str = "",
    error: str | None = None,
    notice: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    fields_in_error: bool = True,
    lang: Lang | None = None,
) -> Response:
    """The sign-in page; `error` is the form's (`fields_in_error`) or single sign-on's; in
    `lang` when given, else the request's."""
    guard = csrf_of(request, settings, None)
    context = {
        "signed": None,
        "csrf_token": guard.token,
        "next": next,
        "username": username,
        "error": error,
        "fields_in_error": bool(error) and fields_in_error,
        "notice": notice,
        "sso": sso_offer(request, next, lang),
    }
    response = render(
        request,
        "officer_sign_in.html",
        context,
        status_code=status,
        headers=headers or {},
        lang=lang,
    )
    guard.keep(response, PATH)
    return response
