"""The applicant's pages: `/ho-so/{code}`, the dossier as its access token shows it (docs/API.md,
Web pages), on the services of the API's applicant routes (app/routers/dossiers.py).

Access: the private link `/ho-so/{code}?token=…` (the submission's `access_token`) is answered
with a cookie holding the token (HttpOnly, SameSite=Strict, Path `/ho-so/{code}`, Secure over
HTTPS) and a 303 to the page without the token, so that it stays in neither the history nor a
Referer; later visits, downloads and forms read the cookie. A missing or wrong token is the
API's own refusal (401, or 403 for another dossier's token), as a page, with no data.

Every answer here carries personal data: `Cache-Control: no-store` (the `NoStore` dependency,
on errors too) and `Referrer-Policy: no-referrer` (app/headers.py, on every answer). Every
form that changes something carries the anti-forgery field (app/web/csrf.py), checked before
any service call.
"""

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.db import unit_of_work
from app.deps import EngineDep, SessionDep, SettingsDep
from app.errors import AppError, InvalidContent, TooLarge, UnsupportedMediaType
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.catalogue import Procedure, RequiredDocument
from app.models.dossier import Dossier, DossierStatus, WithdrawIn
from app.models.types import utcnow
from app.routers.files import UPLOAD_ROUTE_LIMIT, document_response, receive_parts
from app.services.dossiers import applicant, tracking, workflow
from app.services.dossiers.submission import document_limit, documents_of
from app.services.dossiers.supplement_requests import open_request_documents
from app.services.dossiers.uploads import MB, UploadRules
from app.services.messages import validation_details
from app.web.answers import answers
from app.web.csrf import Csrf, csrf_secret, set_private_cookie
from app.web.rendering import lang_of, link_for, render
from app.web.tracking_pages import timeliness

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

TOKEN_PARAM = "token"  # noqa: S105 (a name) the private link: /ho-so/{code}?token=…
TOKEN_COOKIE = "dossier_token"  # noqa: S105 (a name, not a secret)
# What the page says after a 303 from a form that worked (`?done=…`): these words only.
DONE = {"supplement": "supplement_sent", "withdraw": "withdraw_sent"}
REFUSED_UPLOADS = (InvalidContent, UnsupportedMediaType, TooLarge)  # 422, 415, 413


def page_path(code: str) -> str:
    """The dossier's page, and the Path of its cookies."""
    return f"/ho-so/{quote(code, safe='')}"


def private_link(code: str, token: str) -> str:
    """The applicant's private link, as a receipt prints it."""
    return f"{page_path(code)}?{TOKEN_PARAM}={quote(token, safe='')}"


@dataclass(frozen=True)
class PageError:
    """A refusal shown on the page: next to `field` (a document key, `reason`), or above."""

    message: str
    field: str | None = None
    form: str = "supplement"  # the form it belongs to


@router.get("/ho-so/{code}", response_class=HTMLResponse)
def applicant_page(
    code: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: str | None = None,
    done: str | None = None,
) -> Response:
    """The applicant's view of the dossier; with `?token=`, the cookie and a 303 without it."""
    if token is not None:
        dossier = tracking.authorize_applicant(session, code, token)
        target = link_for(lang_of(request), page_path(dossier.code))
        answer = RedirectResponse(target, status_code=303)
        set_private_cookie(request, answer, TOKEN_COOKIE, token, page_path(dossier.code))
        return answer
    dossier = tracking.authorize_applicant(session, code, request.cookies.get(TOKEN_COOKIE))
    return _page(request, session, settings, dossier, notice=DONE.get(done or ""))


@router.get("/ho-so/{code}/tai-lieu/{document_id}", response_class=StreamingResponse)
def download(
    code: str, document_id: str, request: Request, session: SessionDep
) -> StreamingResponse:
    """One of the dossier's files (a document or a result), as the API's download sends it."""
    dossier = tracking.authorize_applicant(session, code, request.cookies.get(TOKEN_COOKIE))
    return document_response(request, tracking.get_document(session, dossier, document_id))


@router.post("/ho-so/{code}/bo-sung", response_class=HTMLResponse, max_body_size=UPLOAD_ROUTE_LIMIT)
async def supplement(code: str, request: Request, settings: SettingsDep) -> Response:
    """The supplement form: the API's supplement (the same streaming parser and rules), after
    the anti-forgery field, the body's first part. A refused file shows the page again with
    the service's message next to its input; nothing is stored."""
    token = request.cookies.get(TOKEN_COOKIE)
    engine, storage = request.app.state.engine, request.app.state.storage
    guard = Csrf(request, csrf_secret(settings), tracking.normalise_code(code))

    def rules() -> UploadRules:  # after the anti-forgery check only
        expected = applicant.check_supplement_allowed(engine, code, token)
        return applicant.SupplementRules(engine, settings, expected)

    try:
        received = await receive_parts(request, settings, guard.guarded(rules))
        await run_in_threadpool(
            applicant.supplement_dossier,
            engine,
            storage,
            settings,
            code,
            token,
            received,
            utcnow(),
        )
    except REFUSED_UPLOADS as exc:
        return await run_in_threadpool(_refused, request, engine, settings, code, token, exc)
    return _done(request, code, "supplement")


@router.post("/ho-so/{code}/rut-ho-so", response_class=HTMLResponse)
def withdraw(
    code: str,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    csrf_token: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """The withdraw form: the API's withdraw, after the anti-forgery check."""
    Csrf(request, csrf_secret(settings), tracking.normalise_code(code)).check(csrf_token)
    token = request.cookies.get(TOKEN_COOKIE)
    try:
        body = WithdrawIn(reason=reason)
    except ValidationError as exc:
        message = validation_details(exc.errors())[0]["msg"]
        error = PageError(message, "reason", "withdraw")
        with unit_of_work(engine) as session:
            dossier = tracking.authorize_applicant(session, code, token)
            return _page(request, session, settings, dossier, error=error, status=422)
    applicant.withdraw_dossier(engine, code, token, body.reason, utcnow())
    return _done(request, code, "withdraw")


def _done(request: Request, code: str, what: str) -> Response:
    target = link_for(lang_of(request), page_path(tracking.normalise_code(code)), {"done": what})
    return RedirectResponse(target, status_code=303)


def _refused(
    request: Request,
    engine: Engine,
    settings: Settings,
    code: str,
    token: str | None,
    exc: AppError,
) -> Response:
    """The page again, with the service's refusal next to the file input it concerns."""
    field = None
    for item in exc.details:
        loc = item.get("loc") if isinstance(item, dict) else None
        if isinstance(loc, list) and len(loc) == 2 and loc[0] == "files":
            field = str(loc[1])
            break
    with unit_of_work(engine) as session:
        dossier = tracking.authorize_applicant(session, code, token)
        error = PageError(exc.message, field)
        # Refused mid-body, the rest of the upload is not read: the connection closes after
        # this page (the receiver's `Connection: close`).
        headers = exc.headers or {}
        return _page(
            request, session, settings, dossier, error=error, status=exc.status, headers=headers
        )


def _page(
    request: Request,
    session: Session,
    settings: Settings,
    dossier: Dossier,
    *,
    notice: str | None = None,
    error: PageError | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    lang = lang_of(request)
    view = tracking.details_view(session, dossier, utcnow())
    procedure = session.get(Procedure, dossier.procedure_code)
    assert procedure is not None
    documents = documents_of(procedure)
    guard = Csrf(request, csrf_secret(settings), dossier.code)
    context: dict[str, Any] = {
        "view": view,
        "timeliness": timeliness(view),
        "answers": answers(lang, procedure.form_schema or {}, view.form),
        "document_names": {key: d.name for key, d in documents.items()},
        "supplement": _supplement_fields(session, dossier, documents, settings),
        "can_withdraw": workflow.Action.withdraw.value
        in workflow.allowed_actions(dossier.status, by_officer=False),
        "base": page_path(dossier.code),
        "csrf_token": guard.token,
        "notice": notice,
        "error": error,
    }
    answer = render(request, "applicant.html", context, status_code=status, headers=headers)
    guard.keep(answer, page_path(dossier.code))
    return answer


@dataclass(frozen=True)
class FileField:
    """One file input of the supplement form."""

    key: str
    name: str
    accept: str  # the input's `accept=`: the document's content types
    types: list[str]
    max_mb: int


def _supplement_fields(
    session: Session, dossier: Dossier, documents: dict[str, RequiredDocument], settings: Settings
) -> list[FileField]:
    """The documents the open request asked for (the service's list; a request that named none
    takes any of the procedure's), each with its types and limit; none unless asked."""
    if dossier.status != DossierStatus.supplement_requested:
        return []
    asked = open_request_documents(session, dossier)
    keys = list(documents) if asked is None else [k for k in asked if k in documents]
    return [
        FileField(
            key=key,
            name=documents[key].name,
            accept=",".join(str(t) for t in documents[key].accepted_types),
            types=[str(t) for t in documents[key].accepted_types],
            max_mb=document_limit(documents[key], settings) // MB,
        )
        for key in keys
    ]
