"""Online submission as pages: the form `/thu-tuc/{code}/nop-ho-so` and its receipt (docs/API.md,
Web pages), on the very services of `POST /api/v1/dossiers` (app/routers/dossiers.py).

- The form, its POST and its refusals are app/web/submission_form.py's, shared with the
  officers' registration: the form generated from the procedure's JSON Schema, the applicant
  block, the agency choice when several agencies offer the procedure, one file input per
  document, the anti-forgery token first and a hidden Idempotency-Key second; the API's rules
  and messages, a refusal shown next to its field with nothing stored, a replay for a refresh.
- Levels 1–2 and retired procedures: the API's own 409 `procedure_not_online`, as an error
  page; an unknown procedure: the 404 page.
- Success: 303 to `/thu-tuc/{code}/nop-ho-so/bien-nhan/{dossier_code}`. The access token is not
  in that address: it travels in a short-lived cookie (app/web/receipts.py), which the receipt
  reads with the API's applicant check. The receipt prints the private link
  `/ho-so/{code}?token=…` once more; after the cookie expires, the private link is the way in.
"""

import uuid
from functools import partial
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from app.config import Settings
from app.db import unit_of_work
from app.deps import SettingsDep
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.catalogue import Procedure
from app.routers.files import UPLOAD_ROUTE_LIMIT
from app.services.catalogue.procedures import offering_agencies
from app.services.dossiers import submission, tracking
from app.web.csrf import Csrf, csrf_secret
from app.web.i18n import translate
from app.web.receipts import RECEIPT_COOKIE, keep_receipt_token, receipt_context
from app.web.rendering import lang_of, link_for, render
from app.web.submission_form import AGENCY_FIELD, Control, Post, Shown, form_context, receive_form

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

# The page's own words in the shared form (_submission_form.html).
WORDS = {
    "errors_title": "submit_errors_title",
    "files_again": "submit_files_again",
    "kind": "submit_kind",
    "kind_hint": "submit_kind_hint",
    "agency": "submit_agency",
    "button": "submit_button",
}


def form_path(code: str) -> str:
    return f"/thu-tuc/{quote(code, safe='')}/nop-ho-so"


def receipt_path(code: str, dossier_code: str) -> str:
    return f"{form_path(code)}/bien-nhan/{quote(dossier_code, safe='')}"


def _guard(request: Request, settings: Settings, procedure: Procedure) -> Csrf:
    return Csrf(request, csrf_secret(settings), scope=form_path(procedure.code))


@router.get("/thu-tuc/{code}/nop-ho-so", response_class=HTMLResponse)
def form_page(code: str, request: Request, settings: SettingsDep) -> Response:
    """The submission form of a level 3–4 procedure."""
    procedure = _procedure(request.app.state.engine, code)
    return _form(request, settings, procedure, Shown({}, str(uuid.uuid4())))


@router.post(
    "/thu-tuc/{code}/nop-ho-so", response_class=HTMLResponse, max_body_size=UPLOAD_ROUTE_LIMIT
)
async def submit(code: str, request: Request, settings: SettingsDep) -> Response:
    """The API's submission for the page's form; see the module's docstring."""
    procedure = await run_in_threadpool(_procedure, request.app.state.engine, code)
    post = Post(
        procedure=procedure,
        guard=_guard(request, settings, procedure),
        intake=submission.ONLINE,
        render=partial(_form, request, settings, procedure),
    )
    outcome = await receive_form(request, settings, post)
    if isinstance(outcome, Response):
        return outcome
    created = outcome.created
    target = receipt_path(procedure.code, created.code)
    answer = RedirectResponse(link_for(lang_of(request), target), status_code=303)
    keep_receipt_token(request, answer, created.access_token, target)
    return answer


def _procedure(engine: Engine, code: str) -> Procedure:
    """The API's own check: 404 for an unknown code, 409 below level 3 or retired."""
    with unit_of_work(engine) as session:
        procedure = submission.load_online_procedure(session, code.strip())
        session.expunge(procedure)
        return procedure


def _form(request: Request, settings: Settings, procedure: Procedure, shown: Shown) -> Response:
    with unit_of_work(request.app.state.engine) as session:
        agencies = offering_agencies(session, [procedure.code]).get(procedure.code, [])
    # A select when several agencies offer the procedure; with one, the API takes it.
    choices = agencies if len(agencies) > 1 else []
    label = translate(lang_of(request), "submit_agency")
    controls = [Control(AGENCY_FIELD, "agency", label)] if choices else []
    guard = _guard(request, settings, procedure)
    context = {
        **form_context(procedure, shown, settings, choices, controls),
        "action": form_path(procedure.code),
        "csrf_token": guard.token,
        "words": WORDS,
        "channels": [],
    }
    answer = render(
        request, "submit.html", context, status_code=shown.status, headers=shown.headers
    )
    guard.keep(answer, form_path(procedure.code))
    return answer


@router.get("/thu-tuc/{code}/nop-ho-so/bien-nhan/{dossier_code}", response_class=HTMLResponse)
def receipt(code: str, dossier_code: str, request: Request) -> Response:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả: for the browser that submitted it (the
    receipt cookie), with the private link; the API's applicant check decides."""
    token = request.cookies.get(RECEIPT_COOKIE)
    with unit_of_work(request.app.state.engine) as session:
        dossier = tracking.authorize_applicant(session, dossier_code, token)
        assert token is not None
        context = receipt_context(request, session, dossier, token)
    # An online receipt has no signatures: no officer received it at a desk.
    extra = {"layout": "base.html", "document_form": "receipt_electronic", "signatures": None}
    return render(request, "receipt.html", {**context, **extra})
