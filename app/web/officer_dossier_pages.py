"""The officers' page of one dossier, `/can-bo/ho-so/{code}` (docs/API.md, Web pages): the API's
full view (`GET /api/v1/officer/dossiers/{code}`) as a page, and the API's actions as its
forms, on the same services (`tracking.officer_view`, `workflow.officer_request`,
`results.apply_with_results`).

- Access is the API's: without a live session, a 303 to the sign-in page; another agency's
  dossier is the API's 403 `other_agency` as a page, an unknown code its 404.
- One form per action the workflow allows now (app/web/officer_actions.py), each with the
  dossier's `version` and the CSRF field of the officer's session. `complete` posts multipart
  to `…/hoan-thanh`, its result files streamed in through the API's upload rules
  (`ResultRules`, behind the CSRF check); every other action posts a plain form to
  `…/thao-tac`.
- Success: a 303 back to the page with `?done={action}`. A refusal (409, 413, 415, 422): the
  page again, read afresh, with the service's status and message next to its field and what
  the officer typed. A stale version (the API's 409 `stale_version`) says that someone else
  acted first, above the dossier as it stands now: nothing of the officer's is applied to it.
- `…/tai-lieu/{id}`: a document or a result. A PDF, JPEG or PNG (the type detected from its
  content at upload) is answered inline, for the page's preview (`<iframe>` for a PDF, `<img>`
  for an image), framed only by this site's own pages; any other type downloads.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.db import unit_of_work
from app.deps import EngineDep, SessionDep, SettingsDep
from app.errors import AppError
from app.headers import NoStore, allow_own_frames
from app.inputs import CheckedRoute
from app.models.applicant import national_phone
from app.models.catalogue import DocumentType, Procedure
from app.models.dossier import Dossier, OfficerDossierView
from app.models.types import utcnow
from app.routers.files import (
    UPLOAD_ROUTE_LIMIT,
    discarded_on_error,
    document_response,
    multipart_action_fields,
    receive_parts,
)
from app.services.dossiers import results, tracking, workflow
from app.services.dossiers.submission import documents_of
from app.services.dossiers.uploads import ReceivedFile
from app.services.officer_sessions import Signed
from app.web.answers import answers
from app.web.csrf import FIELD
from app.web.filters import vn_date
from app.web.officer_actions import SHOWN_STATUSES, PageError, Typed, action_forms, page_error
from app.web.officer_auth import PATH, SignedDep, csrf_of
from app.web.print_pages import printable
from app.web.rendering import lang_of, link_for, render
from app.web.tracking_pages import timeliness

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

# Shown in the page: a PDF in a frame, an image as an image (types detected from the content).
FRAMED_TYPES = frozenset({DocumentType.pdf.value})
IMAGE_TYPES = frozenset({DocumentType.jpeg.value, DocumentType.png.value})
# A preview is the file alone: it loads nothing, and only this site's pages may frame it.
PREVIEW_POLICY = "default-src 'none'; frame-ancestors 'self'"
OFFICER_ACTIONS = frozenset(a.value for a, m in workflow.MOVES.items() if m.by_officer)


def page_path(code: str) -> str:
    return f"{PATH}/ho-so/{code}"


@router.get("/can-bo/ho-so/{code}", response_class=HTMLResponse)
def dossier_page(
    code: str,
    request: Request,
    signed: SignedDep,
    session: SessionDep,
    settings: SettingsDep,
    done: str | None = None,
) -> Response:
    """The dossier as the API's full view shows it, with a form per action allowed now."""
    dossier = tracking.dossier_for_officer(session, signed.principal, code)
    notice = done if done in OFFICER_ACTIONS else None
    return _page(request, session, settings, signed, dossier, notice=notice)


@router.get("/can-bo/ho-so/{code}/tai-lieu/{document_id}", response_class=StreamingResponse)
def document(
    code: str, document_id: str, request: Request, signed: SignedDep, session: SessionDep
) -> StreamingResponse:
    """One of the dossier's files: inline for the page's preview when it is a PDF, JPEG or
    PNG, else downloaded (the headers of the API's download otherwise)."""
    dossier = tracking.dossier_for_officer(session, signed.principal, code)
    found = tracking.get_document(session, dossier, document_id)
    if found.content_type not in FRAMED_TYPES | IMAGE_TYPES:
        return document_response(request, found)
    allow_own_frames(request)
    answer = document_response(request, found, inline=True)
    answer.headers["Content-Security-Policy"] = PREVIEW_POLICY
    return answer


@router.post("/can-bo/ho-so/{code}/thao-tac", response_class=HTMLResponse)
def act(
    code: str,
    request: Request,
    signed: SignedDep,
    engine: EngineDep,
    settings: SettingsDep,
    csrf_token: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    public_note: Annotated[str, Form()] = "",
    due_at: Annotated[str, Form()] = "",
    documents: Annotated[list[str] | None, Form()] = None,
    amount_vnd: Annotated[str, Form()] = "",
) -> Response:
    """An action's form (all but `complete`): the API's action, after the CSRF check."""
    csrf_of(request, settings, signed).check(csrf_token)
    typed = Typed(action, version, note, public_note, due_at, documents, amount_vnd)
    try:
        results.apply_with_results(
            engine,
            request.app.state.storage,
            settings,
            code,
            workflow.Actor.of(signed.principal),
            typed.request(),
            [],
            utcnow(),
        )
    except AppError as exc:
        if exc.status not in SHOWN_STATUSES:
            raise
        return _refused(request, engine, settings, signed, code, exc, typed)
    return _done(request, code, typed.action)


@router.post(
    "/can-bo/ho-so/{code}/hoan-thanh",
    response_class=HTMLResponse,
    max_body_size=UPLOAD_ROUTE_LIMIT,
)
async def complete(
    code: str, request: Request, signed: SignedDep, settings: SettingsDep
) -> Response:
    """The `complete` form with its result files (multipart, the CSRF field first): the API's
    multipart action, the files streamed in through its upload rules and stored with the move
    in one commit, or not at all."""
    engine, storage = request.app.state.engine, request.app.state.storage

    def rules() -> results.ResultRules:  # after the CSRF check only
        issues_result = results.check_can_attach(engine, code, signed.principal)
        return results.ResultRules(settings, issues_result)

    typed = Typed(workflow.Action.complete.value, "")
    files: list[ReceivedFile] = []
    try:
        guarded = csrf_of(request, settings, signed).guarded(rules)
        received = await receive_parts(request, settings, guarded)
        files = received.files
        fields = {k: v for k, v in received.fields.items() if k != FIELD}
        with discarded_on_error(storage, files):
            typed = Typed.of(multipart_action_fields(fields))
            move = typed.request()
        await run_in_threadpool(
            results.apply_with_results,
            engine,
            storage,
            settings,
            code,
            workflow.Actor.of(signed.principal),
            move,
            files,
            utcnow(),
        )
    except AppError as exc:
        if exc.status not in SHOWN_STATUSES:
            raise
        return await run_in_threadpool(
            _refused, request, engine, settings, signed, code, exc, typed
        )
    return _done(request, code, typed.action)


def _done(request: Request, code: str, action: str) -> Response:
    path = page_path(tracking.normalise_code(code))
    return RedirectResponse(link_for(lang_of(request), path, {"done": action}), status_code=303)


def _refused(
    request: Request,
    engine: Engine,
    settings: Settings,
    signed: Signed,
    code: str,
    exc: AppError,
    typed: Typed,
) -> Response:
    """The page again, read afresh, with the service's refusal and its status. Refused while
    the body streamed in, the rest is not read: the connection closes after this page (the
    receiver's `Connection: close`)."""
    with unit_of_work(engine) as session:
        dossier = tracking.dossier_for_officer(session, signed.principal, code)
        return _page(
            request,
            session,
            settings,
            signed,
            dossier,
            error=page_error(exc, typed),
            status=exc.status,
            headers=exc.headers,
        )


def _page(
    request: Request,
    session: Session,
    settings: Settings,
    signed: Signed,
    dossier: Dossier,
    *,
    notice: str | None = None,
    error: PageError | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    view = tracking.officer_view(session, dossier, utcnow())
    procedure = session.get(Procedure, dossier.procedure_code)
    assert procedure is not None
    documents = documents_of(procedure)
    guard = csrf_of(request, settings, signed)
    context: dict[str, Any] = {
        "signed": signed,
        "csrf_token": guard.token,
        "view": view,
        "timeliness": timeliness(view),
        "applicant": applicant_facts(view),
        "answers": answers(lang_of(request), procedure.form_schema or {}, view.form),
        "document_names": {key: d.name for key, d in documents.items()},
        "forms": action_forms(view.status, procedure, documents),
        "prints": printable(view),
        "max_file_mb": settings.max_file_mb,
        "base": page_path(view.code),
        "framed_types": FRAMED_TYPES,
        "image_types": IMAGE_TYPES,
        "notice": notice,
        "error": error,
    }
    answer = render(request, "officer_dossier.html", context, status_code=status, headers=headers)
    guard.keep(answer, PATH)
    return answer


def applicant_facts(view: OfficerDossierView) -> list[tuple[str, str]]:
    """The applicant as (label key, value) pairs, as far as given: a person's identity, or an
    organisation's with its legal representative, and the contacts."""
    data = view.applicant.model_dump()
    representative = data.get("representative") or {}
    pairs = [
        ("od_organisation", data.get("name")),
        ("od_tax_code", data.get("tax_code")),
        ("od_full_name", data.get("full_name")),
        ("od_birth_date", vn_date(data.get("birth_date"))),
        ("od_id_number", data.get("id_number")),
        ("od_passport_number", data.get("passport_number")),
        ("od_representative", _representative(representative)),
        ("receipt_phone", national_phone(str(data.get("phone") or ""))),
        ("od_email", data.get("email")),
        ("receipt_address", data.get("address")),
    ]
    return [(label, str(value)) for label, value in pairs if value]


def _representative(person: dict[str, Any]) -> str:
    if not person:
        return ""
    identity = person.get("id_number") or person.get("passport_number") or ""
    parts = [person.get("full_name"), person.get("title"), identity]
    return ", ".join(str(p) for p in parts if p)
