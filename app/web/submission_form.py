"""The submission form, shared by the public page (`/thu-tuc/{code}/nop-ho-so`,
submission_pages.py) and the officers' counter and postal registration (`/can-bo/tiep-nhan`,
registration_pages.py): one form generator, one way from the page's fields to the API's parts,
one POST flow on the API's services (docs/API.md, Web pages).

- The form is generated from the procedure's JSON Schema (app/web/schema_form.py), with the
  applicant block, the agency choice when several agencies offer the procedure, a page's own
  controls (the officers' channel) and one file input per document. Its first field is the
  anti-forgery token (app/web/csrf.py), its second a hidden Idempotency-Key drawn when the
  page is rendered.
- The POST (`receive_form`) streams the body through the API's `SubmissionRules` (behind the
  anti-forgery check), turns the page's fields into the API's parts (`procedure_code`,
  `applicant`, `form` and the page's `passed` fields: `agency_code`, the officers' `channel`)
  and calls `submission.submit_dossier` with the page's intake and Idempotency-Key: the API's
  rules, the API's messages, and a refresh or a double click replays the first dossier. A
  refusal (413, 415, 422, 409 for a reused key) shows the form again, values kept, each
  message next to the field its `loc` names; files are never kept (nothing is stored).

A page supplies what differs (`Post`): its procedure, its guard, its intake, which fields go on
to the API, and how it draws the form (`Render`, given a `Shown`; `form_context` builds what
the shared template `_submission_form.html` needs).
"""

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool

from app.config import Settings
from app.errors import AppError, IdempotencyKeyReused, InvalidContent, detail
from app.models.applicant import ApplicantKind, canonical_kinds
from app.models.catalogue import AgencyRef, Procedure
from app.models.types import utcnow
from app.routers.files import receive_parts
from app.services.dossiers import submission
from app.services.dossiers.uploads import UploadRules
from app.web import schema_form
from app.web.csrf import Csrf

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
    and only the `passed` fields go on to the API's rules."""

    def __init__(self, inner: submission.SubmissionRules, code: str, passed: Sequence[str]) -> None:
        self.inner = inner
        self.passed = tuple(passed)
        self.flat: dict[str, str] = {}
        inner.on_text("procedure_code", code)

    def on_text(self, name: str, value: str) -> None:
        self.flat[name] = value
        if name in self.passed:
            self.inner.on_text(name, value)

    def file_limit(self, key: str) -> int | None:
        return self.inner.file_limit(key)

    def check_type(self, key: str, content_type: str | None) -> None:
        self.inner.check_type(key, content_type)

    def document_name(self, key: str) -> str:
        return self.inner.document_name(key)


def api_parts(
    procedure: Procedure, flat: Mapping[str, str], passed: Sequence[str] = (AGENCY_FIELD,)
) -> dict[str, str]:
    """The API's text parts for the page's fields: the form's JSON object (`parse_submitted`),
    the applicant's block of the chosen kind, and each `passed` field that was filled in."""
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
    for name in passed:
        if value := flat.get(name, "").strip():
            parts[name] = value
    return parts


# -- drawing the form -------------------------------------------------------------------------


@dataclass
class Refusal:
    message: str
    details: list[dict[str, Any]]
    files_dropped: bool


@dataclass(frozen=True)
class Shown:
    """The form as it is to be drawn: the values typed (`flat`), its Idempotency-Key, the rows
    an add/remove button asked for, and the refusal with its status and headers."""

    flat: Mapping[str, Any]
    key: str
    rows: Mapping[str, int] | None = None
    refusal: Refusal | None = None
    status: int = 200
    headers: Mapping[str, str] | None = None


Render = Callable[[Shown], Response]  # run in a worker thread: it may read the database


@dataclass(frozen=True)
class Control:
    """A control of the page's own beside the generated ones (the agency's select, the
    channel's radios): the errors whose `loc` is `[name]` are shown next to it, and in the
    error summary under its `label`, linking to `target` (an id)."""

    name: str
    target: str
    label: str


def form_context(
    procedure: Procedure,
    shown: Shown,
    settings: Settings,
    agencies: list[AgencyRef],
    controls: Sequence[Control] = (),
) -> dict[str, Any]:
    """What `_submission_form.html` needs. `agencies` are the options of the agency's select
    (none: no select); `controls` the page's own, shown (the agency's among them when it has
    a select)."""
    flat = shown.flat
    details = [d for d in (shown.refusal.details if shown.refusal else []) if isinstance(d, dict)]
    kinds = kinds_of(procedure) or ["individual"]
    kind = str(flat.get(KIND_FIELD) or kinds[0])
    values = schema_form.parse_submitted(procedure.form_schema, flat)
    fields = schema_form.build_fields(procedure.form_schema, values, details, rows=shown.rows)
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
    kind_errors = _loc_errors(details, "applicant", "kind")
    control_errors = {c.name: _loc_errors(details, c.name) for c in controls}
    summary = [("applicant-kind-0", m) for m in kind_errors]
    summary += schema_form.error_summary(fields)
    for _, block_fields in blocks:
        summary += schema_form.error_summary(block_fields)
    for control in controls:
        summary += [
            (control.target, schema_form.labelled(control.label, m))
            for m in control_errors[control.name]
        ]
    summary += schema_form.error_summary([], files)
    placed = [f for _, block_fields in blocks for f in block_fields]
    beside = [["files"], ["applicant"]]
    others = [d for d in details if _loc(d)[:1] not in beside and _loc(d) not in _names(controls)]
    unplaced = schema_form.unplaced_errors([*fields, *placed], others)
    unplaced += schema_form.unplaced_errors(placed, _applicant_errors(details, kind))
    return {
        "procedure": procedure,
        "idempotency_key": shown.key,
        "fields": fields,
        "has_rows": _has_rows(fields),
        "kinds": kinds,
        "kind": kind,
        "kind_errors": kind_errors,
        "blocks": blocks,
        "agencies": agencies,
        "agency": str(flat.get(AGENCY_FIELD) or ""),
        "agency_errors": control_errors.get(AGENCY_FIELD, []),
        "control_errors": control_errors,
        "files": files,
        "refusal": shown.refusal,
        "summary": summary,
        "unplaced": unplaced,
    }


def _loc(item: Mapping[str, Any]) -> list[Any]:
    return list(item.get("loc") or [])


def _names(controls: Sequence[Control]) -> list[list[str]]:
    return [[c.name] for c in controls]


def _applicant_errors(details: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The applicant's `loc` ["applicant", "phone"] as the chosen block's field."""
    moved = []
    for item in details:
        loc = item.get("loc")
        if isinstance(loc, list) and len(loc) >= 2 and loc[0] == "applicant" and loc[1] != "kind":
            moved.append({**item, "loc": [block_prefix(kind), *loc[1:]]})
    return moved


def _loc_errors(details: list[dict[str, Any]], *loc: str) -> list[str]:
    return [str(d.get("msg")) for d in details if _loc(d) == list(loc)]


def _has_rows(fields: list[schema_form.Field]) -> bool:
    return any(f.kind == "array" or _has_rows(f.children) for f in fields)


# -- the POST ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """A page's submission: its procedure (already checked for the page's intake), its
    anti-forgery guard, the intake `submit_dossier` receives, how the form is drawn again, the
    fields that go on to the API besides the applicant and the form, the statuses shown on the
    form, and `key_scope`, put in front of the page's Idempotency-Key (a key replays only the
    dossiers of its own scope)."""

    procedure: Procedure
    guard: Csrf
    intake: submission.Intake
    render: Render
    passed: tuple[str, ...] = (AGENCY_FIELD,)
    shown: tuple[int, ...] = REFUSED
    key_scope: str = ""


async def receive_form(
    request: Request, settings: Settings, post: Post
) -> submission.SubmissionResult | Response:
    """The page's multipart POST through the API's services: the dossier made (or replayed),
    or the form drawn again (a refusal, or an add/remove row button)."""
    engine, storage = request.app.state.engine, request.app.state.storage
    procedure = post.procedure
    page: PageRules | None = None

    def rules() -> UploadRules:  # after the anti-forgery check only
        nonlocal page
        inner = submission.SubmissionRules(engine, settings, post.intake)
        page = PageRules(inner, procedure.code, post.passed)
        return page

    def again(flat: Mapping[str, str], exc: AppError, files_dropped: bool) -> Response:
        key = flat.get(KEY_FIELD) or str(uuid.uuid4())
        if isinstance(exc, IdempotencyKeyReused):
            key = str(uuid.uuid4())  # the old key belongs to a dossier already made
        refusal = Refusal(exc.message, list(exc.details), files_dropped)
        return post.render(Shown(flat, key, None, refusal, exc.status, exc.headers))

    try:
        received = await receive_parts(request, settings, post.guard.guarded(rules))
    except AppError as exc:
        if page is None or exc.status not in post.shown:
            raise
        return await run_in_threadpool(again, page.flat, exc, True)
    assert page is not None
    flat = page.flat
    change = schema_form.row_change(flat)
    if change is not None:
        for dropped in received.files:
            storage.discard(dropped.pending)
        kept = flat.get(KEY_FIELD) or str(uuid.uuid4())
        return await run_in_threadpool(post.render, Shown(change.flat, kept, change.rows))
    parts = api_parts(procedure, flat, post.passed)
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
            post.key_scope + key if key is not None else None,
            utcnow(),
            post.intake,
        )
    except AppError as exc:
        if exc.status not in post.shown:
            raise
        return await run_in_threadpool(again, flat, exc, bool(received.files))
    if not result.replayed:
        request.app.state.metrics.dossiers_submitted.labels(result.created.channel.value).inc()
    return result
