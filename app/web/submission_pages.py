"""Online submission as pages: the form `/thu-tuc/{code}/nop-ho-so` and its receipt (docs/API.md,
Web pages), on the very services of `POST /api/v1/dossiers` (app/routers/dossiers.py).

- The form is generated from the procedure's JSON Schema (app/web/schema_form.py), with the
  applicant block, the agency choice when several agencies offer the procedure, and one file
  input per document. Its first field is the anti-forgery token (app/web/csrf.py), its second
  a hidden Idempotency-Key drawn when the page is rendered.
- The POST streams the body through the API's `SubmissionRules` (behind the anti-forgery
  check), turns the page's fields into the API's parts (`procedure_code`, `agency_code`,
  `applicant`, `form`) and calls `submission.submit_dossier` with the page's Idempotency-Key:
  the API's rules, the API's messages, and a refresh or a double click replays the first
  dossier. A refusal (413, 415, 422, 409 for a reused key) shows the form again, values kept,
  each message next to the field its `loc` names; files are never kept (nothing is stored).
- Levels 1–2 and retired procedures: the API's own 409 `procedure_not_online`, as an error
  page; an unknown procedure: the 404 page.
- Success: 303 to `/thu-tuc/{code}/nop-ho-so/bien-nhan/{dossier_code}`. The access token is not
  in that address: it travels in a short-lived cookie (`receipt_token`: HttpOnly,
  SameSite=Strict, Path = that receipt, 1 hour), which the receipt reads with the API's
  applicant check. The receipt prints the private link `/ho-so/{code}?token=…` once more;
  after the cookie expires, the private link is the way in.
"""

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import segno
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from app.config import Settings
from app.db import unit_of_work
from app.deps import SettingsDep
from app.errors import AppError, IdempotencyKeyReused, InvalidContent, detail
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.applicant import ApplicantKind, canonical_kinds, national_phone
from app.models.catalogue import Procedure
from app.models.types import utcnow
from app.routers.files import UPLOAD_ROUTE_LIMIT, receive_parts
from app.services.catalogue.procedures import offering_agencies
from app.services.dossiers import submission, tracking, workflow
from app.services.dossiers.uploads import UploadRules
from app.web import schema_form
from app.web.applicant_pages import private_link
from app.web.csrf import Csrf, csrf_secret
from app.web.i18n import translate
from app.web.rendering import lang_of, link_for, render

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

RECEIPT_COOKIE = "receipt_token"
RECEIPT_SECONDS = 3600
KEY_FIELD = "idempotency_key"
KIND_FIELD = "applicant_kind"
AGENCY_FIELD = "agency_code"
MAX_KEY = 255  # the API's Idempotency-Key header limit
REFUSED = (409, 413, 415, 422)  # shown on the form; anything else is an error page

# The applicant block's fields: titles only (what a person reads), no rule — the API's
# applicant models decide, and their 422 details land next to these fields by `loc`.
INDIVIDUAL: dict[str, Any] = {
    "type": "object",
    "properties": {
        "full_name": {"type": "string", "title": "Họ và tên"},
        "birth_date": {"type": "string", "format": "date", "title": "Ngày sinh"},
        "id_number": {
            "type": "string",
            "title": "Số định danh cá nhân",
            "description": "12 chữ số in trên thẻ căn cước; người nước ngoài nhập số hộ chiếu.",
        },
        "passport_number": {"type": "string", "title": "Số hộ chiếu"},
        "phone": {"type": "string", "title": "Số điện thoại"},
        "email": {"type": "string", "format": "email", "title": "Email"},
        "address": {"type": "string", "title": "Địa chỉ"},
    },
}
ORGANISATION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "title": "Tên tổ chức"},
        "tax_code": {"type": "string", "title": "Mã số thuế"},
        "representative": {
            "type": "object",
            "title": "Người đại diện theo pháp luật",
            "properties": {
                "full_name": {"type": "string", "title": "Họ và tên"},
                "title": {"type": "string", "title": "Chức vụ"},
                "id_number": {"type": "string", "title": "Số định danh cá nhân"},
            },
        },
        "phone": {"type": "string", "title": "Số điện thoại"},
        "email": {"type": "string", "format": "email", "title": "Email"},
        "address": {"type": "string", "title": "Địa chỉ trụ sở chính"},
    },
}
BLOCKS = {"individual": INDIVIDUAL, "organisation": ORGANISATION}


def form_path(code: str) -> str:
    return f"/thu-tuc/{quote(code, safe='')}/nop-ho-so"


def receipt_path(code: str, dossier_code: str) -> str:
    return f"{form_path(code)}/bien-nhan/{quote(dossier_code, safe='')}"


def block_prefix(kind: str) -> str:
    return f"applicant.{kind}"


def kinds_of(procedure: Procedure) -> list[str]:
    """The applicant blocks the procedure allows (a foreigner fills the individual's block,
    with a passport number)."""
    allowed = canonical_kinds(procedure.applicant_kinds)
    kinds = []
    if ApplicantKind.individual in allowed or ApplicantKind.foreigner in allowed:
        kinds.append("individual")
    if ApplicantKind.organisation in allowed:
        kinds.append("organisation")
    return kinds


class PageRules:
    """The API's submission rules for the page's body: the procedure comes from the address
    (so files are checked as they stream in), the page's own fields are kept for the answer,
    and only `agency_code` goes on to the API's rules."""

    def __init__(self, inner: submission.SubmissionRules, code: str) -> None:
        self.inner = inner
        self.flat: dict[str, str] = {}
        inner.on_text("procedure_code", code)

    def on_text(self, name: str, value: str) -> None:
        self.flat[name] = value
        if name == AGENCY_FIELD:
            self.inner.on_text(name, value)

    def file_limit(self, key: str) -> int | None:
        return self.inner.file_limit(key)

    def check_type(self, key: str, content_type: str | None) -> None:
        self.inner.check_type(key, content_type)

    def document_name(self, key: str) -> str:
        return self.inner.document_name(key)


@dataclass
class Refusal:
    message: str
    details: list[dict[str, Any]]
    files_dropped: bool


@router.get("/thu-tuc/{code}/nop-ho-so", response_class=HTMLResponse)
def form_page(code: str, request: Request, settings: SettingsDep) -> Response:
    """The submission form of a level 3–4 procedure."""
    engine = request.app.state.engine
    procedure = _procedure(engine, code)
    return _form(request, engine, settings, procedure, {}, key=str(uuid.uuid4()))


@router.post(
    "/thu-tuc/{code}/nop-ho-so", response_class=HTMLResponse, max_body_size=UPLOAD_ROUTE_LIMIT
)
async def submit(code: str, request: Request, settings: SettingsDep) -> Response:
    """The API's submission for the page's form; see the module's docstring."""
    engine, storage = request.app.state.engine, request.app.state.storage
    procedure = await run_in_threadpool(_procedure, engine, code)
    guard = Csrf(request, csrf_secret(settings), scope=form_path(procedure.code))
    page: PageRules | None = None

    def rules() -> UploadRules:  # after the anti-forgery check only
        nonlocal page
        page = PageRules(submission.SubmissionRules(engine, settings), procedure.code)
        return page

    try:
        received = await receive_parts(request, settings, guard.guarded(rules))
    except AppError as exc:
        if page is None or exc.status not in REFUSED:
            raise
        refusal = Refusal(exc.message, list(exc.details), True)
        return await run_in_threadpool(
            _form_again, request, engine, settings, procedure, page.flat, refusal, exc
        )
    assert page is not None
    flat = page.flat
    change = schema_form.row_change(flat)
    if change is not None:
        for dropped in received.files:
            storage.discard(dropped.pending)
        return await run_in_threadpool(
            _form,
            request,
            engine,
            settings,
            procedure,
            change.flat,
            key=flat.get(KEY_FIELD) or str(uuid.uuid4()),
            rows=change.rows,
        )
    parts = api_parts(procedure, flat)
    key = flat.get(KEY_FIELD, "").strip() or None
    try:
        if key is not None and len(key) > MAX_KEY:
            for dropped in received.files:
                storage.discard(dropped.pending)
            raise InvalidContent(details=[detail(["header", "Idempotency-Key"], "quá dài")])
        result = await run_in_threadpool(
            submission.submit_dossier,
            engine,
            storage,
            settings,
            submission.Received(fields=parts, files=received.files),
            key,
            utcnow(),
        )
    except AppError as exc:
        if exc.status not in REFUSED:
            raise
        refusal = Refusal(exc.message, list(exc.details), bool(received.files))
        return await run_in_threadpool(
            _form_again, request, engine, settings, procedure, flat, refusal, exc
        )
    created = result.created
    if not result.replayed:
        request.app.state.metrics.dossiers_submitted.labels(created.channel.value).inc()
    target = receipt_path(procedure.code, created.code)
    answer = RedirectResponse(link_for(lang_of(request), target), status_code=303)
    answer.set_cookie(
        RECEIPT_COOKIE,
        created.access_token,
        max_age=RECEIPT_SECONDS,
        path=target,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return answer


def api_parts(procedure: Procedure, flat: Mapping[str, str]) -> dict[str, str]:
    """The API's text parts for the page's fields: the form's JSON object (`parse_submitted`),
    the applicant's block of the chosen kind, and the agency when one was chosen."""
    kinds = kinds_of(procedure) or ["individual"]
    kind = flat.get(KIND_FIELD) or kinds[0]
    applicant: dict[str, Any] = {"kind": kind}
    if kind in BLOCKS:
        applicant.update(schema_form.parse_submitted(BLOCKS[kind], flat, prefix=block_prefix(kind)))
    form = schema_form.parse_submitted(procedure.form_schema, flat)
    parts = {
        "procedure_code": procedure.code,
        "applicant": json.dumps(applicant, ensure_ascii=False),
        "form": json.dumps(form, ensure_ascii=False),
    }
    if agency := flat.get(AGENCY_FIELD, "").strip():
        parts[AGENCY_FIELD] = agency
    return parts


def _procedure(engine: Engine, code: str) -> Procedure:
    """The API's own check: 404 for an unknown code, 409 below level 3 or retired."""
    with unit_of_work(engine) as session:
        procedure = submission.load_online_procedure(session, code.strip())
        session.expunge(procedure)
        return procedure


def _form_again(
    request: Request,
    engine: Engine,
    settings: Settings,
    procedure: Procedure,
    flat: Mapping[str, str],
    refusal: Refusal,
    exc: AppError,
) -> Response:
    key = flat.get(KEY_FIELD) or str(uuid.uuid4())
    if isinstance(exc, IdempotencyKeyReused):
        key = str(uuid.uuid4())  # the old key belongs to a dossier already made
    return _form(
        request,
        engine,
        settings,
        procedure,
        flat,
        key=key,
        refusal=refusal,
        status=exc.status,
        headers=exc.headers,
    )


def _applicant_errors(details: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The applicant's `loc` ["applicant", "phone"] as the chosen block's field."""
    moved = []
    for item in details:
        loc = item.get("loc")
        if isinstance(loc, list) and len(loc) >= 2 and loc[0] == "applicant" and loc[1] != "kind":
            moved.append({**item, "loc": [block_prefix(kind), *loc[1:]]})
    return moved


def _loc_errors(details: list[dict[str, Any]], *loc: str) -> list[str]:
    return [str(d.get("msg")) for d in details if list(d.get("loc") or []) == list(loc)]


def _form(
    request: Request,
    engine: Engine,
    settings: Settings,
    procedure: Procedure,
    flat: Mapping[str, Any],
    *,
    key: str,
    rows: Mapping[str, int] | None = None,
    refusal: Refusal | None = None,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    details = refusal.details if refusal else []
    details = [d for d in details if isinstance(d, dict)]
    kinds = kinds_of(procedure) or ["individual"]
    kind = str(flat.get(KIND_FIELD) or kinds[0])
    values = schema_form.parse_submitted(procedure.form_schema, flat)
    fields = schema_form.build_fields(procedure.form_schema, values, details, rows=rows)
    blocks = []
    for block in kinds:
        prefix = block_prefix(block)
        block_values = schema_form.parse_submitted(BLOCKS[block], flat, prefix=prefix)
        errors = _applicant_errors(details, block) if block == kind else []
        blocks.append(
            (block, schema_form.build_fields(BLOCKS[block], block_values, errors, prefix=prefix))
        )
    documents = list(submission.documents_of(procedure).values())
    files = schema_form.file_fields(documents, settings.max_file_mb, details)
    with unit_of_work(engine) as session:
        agencies = offering_agencies(session, [procedure.code]).get(procedure.code, [])
    agency_errors = _loc_errors(details, AGENCY_FIELD)
    kind_errors = _loc_errors(details, "applicant", "kind")
    summary = []
    if kind_errors:
        summary += [("applicant-kind-0", m) for m in kind_errors]
    summary += schema_form.error_summary(fields)
    for _, block_fields in blocks:
        summary += schema_form.error_summary(block_fields)
    if len(agencies) > 1:
        label = translate(lang_of(request), "submit_agency")
        summary += [("agency", schema_form.labelled(label, m)) for m in agency_errors]
    summary += schema_form.error_summary([], files)
    placed = [f for _, block_fields in blocks for f in block_fields]
    others = [d for d in details if list(d.get("loc") or [])[:1] not in (["files"], ["applicant"])]
    unplaced = schema_form.unplaced_errors([*fields, *placed], others)
    unplaced += schema_form.unplaced_errors(placed, _applicant_errors(details, kind))
    unplaced = [m for m in unplaced if m not in agency_errors + kind_errors or len(agencies) <= 1]
    guard = Csrf(request, csrf_secret(settings), scope=form_path(procedure.code))
    context = {
        "procedure": procedure,
        "action": form_path(procedure.code),
        "csrf_token": guard.token,
        "idempotency_key": key,
        "fields": fields,
        "has_rows": _has_rows(fields),
        "kinds": kinds,
        "kind": kind,
        "kind_errors": kind_errors,
        "blocks": blocks,
        "agencies": agencies if len(agencies) > 1 else [],
        "agency": str(flat.get(AGENCY_FIELD) or ""),
        "agency_errors": agency_errors,
        "files": files,
        "refusal": refusal,
        "summary": summary,
        "unplaced": unplaced,
    }
    answer = render(request, "submit.html", context, status_code=status, headers=headers)
    guard.keep(answer, form_path(procedure.code))
    return answer


def _has_rows(fields: list[schema_form.Field]) -> bool:
    return any(f.kind == "array" or _has_rows(f.children) for f in fields)


# -- the receipt -------------------------------------------------------------------------------


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG, made here (segno), with no XML declaration."""
    made: str = segno.make(url, error="m").svg_inline(scale=4, title=url)
    return made


@router.get("/thu-tuc/{code}/nop-ho-so/bien-nhan/{dossier_code}", response_class=HTMLResponse)
def receipt(code: str, dossier_code: str, request: Request) -> Response:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả: for the browser that submitted it (the
    receipt cookie), with the private link; the API's applicant check decides."""
    engine = request.app.state.engine
    token = request.cookies.get(RECEIPT_COOKIE)
    with unit_of_work(engine) as session:
        dossier = tracking.authorize_applicant(session, dossier_code, token)
        view = tracking.details_view(session, dossier, utcnow())
        procedure = session.get(Procedure, dossier.procedure_code)
        assert procedure is not None and token is not None
        documents = submission.documents_of(procedure)
        # Online, the appointment is fixed when the agency accepts the dossier; until then the
        # receipt shows the workflow's own computation from the submission, as expected.
        expected_due = (
            None
            if view.due_at is not None
            else workflow.receipt_dates(session, procedure, view.submitted_at)["due_at"]
        )
    counts: dict[str, int] = {}
    for document in view.documents:
        counts[document.key] = counts.get(document.key, 0) + 1
    received = [(documents[k].name if k in documents else k, n) for k, n in counts.items()]
    tracking_url = str(request.base_url).rstrip("/") + f"/tra-cuu/{quote(view.code, safe='')}"
    context = {
        "view": view,
        "procedure": procedure,
        "due_at": view.due_at or expected_due,
        "expected": view.due_at is None,
        "applicant_name": _applicant_name(view.applicant),
        "contact": _contact(view.applicant),
        "received": received,
        "tracking_url": tracking_url,
        "qr": qr_svg(tracking_url),
        "private_link": str(request.base_url).rstrip("/") + private_link(view.code, token),
    }
    return render(request, "receipt.html", context)


def _contact(applicant: Any) -> dict[str, str]:
    """The applicant's address, phone and e-mail, as far as given (the receipt's "Địa chỉ",
    "Số điện thoại", "Email")."""
    data = applicant.model_dump() if hasattr(applicant, "model_dump") else dict(applicant)
    contact = {k: str(data.get(k) or "") for k in ("address", "phone", "email")}
    contact["phone"] = national_phone(contact["phone"])
    return contact


def _applicant_name(applicant: Any) -> str:
    data = applicant.model_dump() if hasattr(applicant, "model_dump") else dict(applicant)
    return str(data.get("full_name") or data.get("name") or "")
