"""The officers' counter and postal registration (`/can-bo/tiep-nhan`; docs/API.md, Web pages):
`POST /api/v1/officer/dossiers` as pages, on the same services and the same form as the public
submission page (app/web/submission_form.py).

- `GET /can-bo/tiep-nhan`: the procedures the officer's agency subtree offers (an admin: all),
  any level and not retired, searched as the catalogue's search does (`q`, by 20 a page).
- `GET /can-bo/tiep-nhan/{code}`: the procedure's form, as the API's officer intake checks it
  (404 unknown, 409 `procedure_retired`, 403 `other_agency`): the channel (counter or postal,
  those the procedure offers), the applicant block, the generated form, the agency when several
  offer the procedure (those in the officer's reach), one file input per document.
- `POST` the same path: the shared flow with the officer's `Intake` (the dossier starts
  accepted, received at once, the officer recorded on its first event) and a refusal, 403
  `other_agency` included, shown on the form with nothing stored.
- Success: 303 to `…/bien-nhan/{dossier_code}`, the access token in the receipt's cookie
  (app/web/receipts.py); the receipt adds mẫu số 01's signatures, and only the officer who
  registered the dossier sees it.
"""

import uuid
from functools import partial
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from app.config import Settings
from app.db import unit_of_work
from app.deps import SettingsDep
from app.errors import Forbidden, Unauthenticated
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.catalogue import AgencyRef, Procedure
from app.models.dossier import Channel
from app.models.officer import Principal, Role
from app.routers.files import UPLOAD_ROUTE_LIMIT
from app.services.catalogue.procedures import offering_agencies
from app.services.catalogue.scope import can_act
from app.services.dossiers import submission, tracking
from app.services.officer_sessions import Signed
from app.services.officers import get_officer
from app.web.catalogue_pages import Search, current_snapshot, search
from app.web.i18n import translate
from app.web.officer_auth import PATH, SignedDep, csrf_of
from app.web.receipts import RECEIPT_COOKIE, keep_receipt_token, receipt_context
from app.web.rendering import lang_of, link_for, render
from app.web.submission_form import AGENCY_FIELD, Control, Post, Shown, form_context, receive_form

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

BASE = "/can-bo/tiep-nhan"
CHANNEL_FIELD = "channel"
DESK_CHANNELS = (Channel.counter, Channel.postal)
# The page's own words in the shared form (_submission_form.html).
WORDS = {
    "errors_title": "register_errors_title",
    "files_again": "register_files_again",
    "kind": "register_kind",
    "kind_hint": "register_kind_hint",
    "agency": "submit_agency",
    "button": "register_button",
    "action": "register",
    "channel": "register_channel",
    "documents_hint": "register_documents_hint",
}
RECEIPT_GONE = (
    "Giấy tiếp nhận chỉ mở được trên trình duyệt đã tiếp nhận hồ sơ, trong 1 giờ sau khi tiếp "
    "nhận; sau đó, người nộp hồ sơ dùng đường dẫn riêng in trên giấy."
)


def form_path(code: str) -> str:
    return f"{BASE}/{quote(code, safe='')}"


def receipt_path(code: str, dossier_code: str) -> str:
    return f"{form_path(code)}/bien-nhan/{quote(dossier_code, safe='')}"


def _intake(signed: Signed) -> submission.Intake:
    return submission.Intake(officer=signed.principal)


@router.get(BASE, response_class=HTMLResponse)
async def choose(request: Request, settings: SettingsDep, signed: SignedDep) -> Response:
    """The procedures an officer may register a dossier for: those offered in their agency's
    subtree (an admin's: all), any level, not retired; the catalogue's search (`q`, `page`),
    read as leniently as the home page reads it."""
    officer = signed.principal
    params = request.query_params
    agency = "" if officer.role == Role.admin else officer.agency_code
    wanted = Search.of({"q": params.get("q", ""), "page": params.get("page", ""), "agency": agency})
    results = search(await current_snapshot(request), wanted)
    context = {"search": wanted, "results": results}
    return _officer_page(request, settings, signed, "officer_register_choose.html", context)


@router.get(BASE + "/{code}", response_class=HTMLResponse)
def form_page(code: str, request: Request, settings: SettingsDep, signed: SignedDep) -> Response:
    """The registration form of a procedure the officer may register dossiers for."""
    engine = request.app.state.engine
    procedure = _procedure(engine, code, signed)
    agencies = _agencies(engine, procedure, signed.principal)
    flat = {CHANNEL_FIELD: _channels(procedure)[0].value}
    if chosen := _default_agency(agencies, signed.principal):
        flat[AGENCY_FIELD] = chosen
    return _form(request, settings, signed, procedure, agencies, Shown(flat, str(uuid.uuid4())))


@router.post(BASE + "/{code}", response_class=HTMLResponse, max_body_size=UPLOAD_ROUTE_LIMIT)
async def register(
    code: str, request: Request, settings: SettingsDep, signed: SignedDep
) -> Response:
    """`POST /api/v1/officer/dossiers` for the page's form, with the page's Idempotency-Key
    (scoped to the officer); see the module's docstring."""
    engine = request.app.state.engine
    procedure = await run_in_threadpool(_procedure, engine, code, signed)
    agencies = await run_in_threadpool(_agencies, engine, procedure, signed.principal)
    post = Post(
        procedure=procedure,
        guard=csrf_of(request, settings, signed),
        intake=_intake(signed),
        render=partial(_form, request, settings, signed, procedure, agencies),
        passed=(AGENCY_FIELD, CHANNEL_FIELD),
        # 403: an agency outside the officer's subtree (the API's other_agency), on the form.
        shown=(403, 409, 413, 415, 422),
        key_scope=f"can-bo:{signed.principal.username}:",
    )
    outcome = await receive_form(request, settings, post)
    if isinstance(outcome, Response):
        return outcome
    created = outcome.created
    target = receipt_path(procedure.code, created.code)
    answer = RedirectResponse(link_for(lang_of(request), target), status_code=303)
    keep_receipt_token(request, answer, created.access_token, target)
    return answer


def _procedure(engine: Engine, code: str, signed: Signed) -> Procedure:
    """The API's officer check: 404 unknown, 409 retired, 403 outside the officer's subtree."""
    with unit_of_work(engine) as session:
        procedure = submission.load_procedure_for(session, code.strip(), _intake(signed))
        session.expunge(procedure)
        return procedure


def _agencies(engine: Engine, procedure: Procedure, officer: Principal) -> list[AgencyRef]:
    """The options of the agency's select: when several agencies offer the procedure, those
    the officer may register for (the API's `can_act`), even if only one is left, so that the
    officer sees which agency receives the dossier; none when one agency offers it."""
    with unit_of_work(engine) as session:
        offering = offering_agencies(session, [procedure.code]).get(procedure.code, [])
        if len(offering) <= 1:
            return []
        return [a for a in offering if can_act(session, officer, a.code)]


def _default_agency(agencies: list[AgencyRef], officer: Principal) -> str | None:
    """The officer's own agency when it offers the procedure, else the only one in reach."""
    codes = [a.code for a in agencies]
    if officer.agency_code in codes:
        return officer.agency_code
    return codes[0] if len(codes) == 1 else None


def _channels(procedure: Procedure) -> list[Channel]:
    """The desk channels the procedure takes (its `channels`); both when it names neither, so
    that the service's own refusal (`channel_not_offered`) says why."""
    offered = [c for c in DESK_CHANNELS if c.value in procedure.channels]
    return offered or list(DESK_CHANNELS)


def _officer_page(
    request: Request,
    settings: Settings,
    signed: Signed,
    template: str,
    context: dict[str, Any],
    shown: Shown | None = None,
) -> Response:
    """An officer's page: officer_base.html's session and the CSRF field of its forms."""
    guard = csrf_of(request, settings, signed)
    answer = render(
        request,
        template,
        {**context, "signed": signed, "csrf_token": guard.token},
        status_code=shown.status if shown else 200,
        headers=shown.headers if shown else None,
    )
    guard.keep(answer, PATH)
    return answer


def _form(
    request: Request,
    settings: Settings,
    signed: Signed,
    procedure: Procedure,
    agencies: list[AgencyRef],
    shown: Shown,
) -> Response:
    lang = lang_of(request)
    controls = [Control(CHANNEL_FIELD, "channel-0", translate(lang, "register_channel"))]
    if agencies:
        controls.append(Control(AGENCY_FIELD, "agency", translate(lang, "submit_agency")))
    channels = [
        (c.value, translate(lang, f"register_channel_{c.value}")) for c in _channels(procedure)
    ]
    context = {
        **form_context(procedure, shown, settings, agencies, controls),
        "action": form_path(procedure.code),
        "words": WORDS,
        "channels": channels,
        "channel": str(shown.flat.get(CHANNEL_FIELD) or ""),
    }
    return _officer_page(request, settings, signed, "officer_register.html", context, shown)


@router.get(BASE + "/{code}/bien-nhan/{dossier_code}", response_class=HTMLResponse)
def receipt(
    code: str, dossier_code: str, request: Request, settings: SettingsDep, signed: SignedDep
) -> Response:
    """The desk receipt (mẫu số 01 with its signatures), for the officer who registered the
    dossier, in the browser that did (the receipt cookie; the API's applicant check)."""
    token = request.cookies.get(RECEIPT_COOKIE)
    with unit_of_work(request.app.state.engine) as session:
        dossier = tracking.get_dossier(session, dossier_code)
        username = signed.principal.username
        if submission.registered_by(session, dossier) != username:
            raise Forbidden("Chỉ cán bộ đã tiếp nhận hồ sơ này xem được giấy tiếp nhận.")
        try:
            dossier = tracking.authorize_applicant(session, dossier_code, token)
        except Unauthenticated:
            raise Unauthenticated(RECEIPT_GONE) from None
        assert token is not None
        context = receipt_context(request, session, dossier, token)
        officer = get_officer(session, username)
    extra = {
        "layout": "officer_base.html",
        "document_form": "register_scanned",
        "signatures": {"officer": officer.full_name or officer.username},
    }
    return _officer_page(request, settings, signed, "receipt.html", {**context, **extra})
