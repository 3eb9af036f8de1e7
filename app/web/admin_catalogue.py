"""The catalogue (`/can-bo/quan-tri/danh-muc`): importing a document, and a procedure's level,
processing time, fees and offering agencies, through services/catalogue/importing.py (the
API's `POST /api/v1/catalogue/import`, `PUT` and `DELETE /api/v1/procedures/{code}`).

- `GET /can-bo/quan-tri/danh-muc?q=&page=`: the import form and the procedures (the API's
  search, as the home page reads it), each linked to its page.
- `POST /can-bo/quan-tri/danh-muc/nhap` (multipart: `csrf_token` first, then the file
  `document`, at most MAX_IMPORT_MB): the import, all or nothing; the page answers with its
  report (counts and warnings), or with the refusal's details next to the file input. The
  report is the answer itself, not a 303: importing the same document again changes nothing,
  so a reload that sends it again is harmless, and the report would not fit in an address.
- `GET /can-bo/quan-tri/danh-muc/{code}`: the procedure's record (`records.procedure_record`)
  as a form; `POST` there sends the record with the form's changes to `replace_procedure`
  (303 back), `POST …/ngung` retires it.
"""

import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect

from app.db import unit_of_work
from app.deps import EngineDep
from app.errors import (
    BadRequest,
    CatalogueImportError,
    CsrfFailed,
    InvalidContent,
    InvalidJSON,
    MultipartRequired,
    ProcedureChanged,
    TooLarge,
    detail,
)
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.catalogue import FeePer, ImportReport, ProcessingUnit
from app.models.types import utcnow
from app.routers.files import UPLOAD_ROUTE_LIMIT
from app.services import strict_json
from app.services.catalogue import importing
from app.services.catalogue.procedures import get_procedure
from app.services.catalogue.records import procedure_record, record_version
from app.services.dossiers.uploads import MB
from app.services.officer_sessions import Signed
from app.web.admin_officers import agency_choices
from app.web.admin_pages import AdminDep, Placer, Refusal, admin_page, check_csrf, done
from app.web.catalogue_pages import Search, current_snapshot, search
from app.web.csrf import FIELD

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

CATALOGUE = "/can-bo/quan-tri/danh-muc"
DOCUMENT = "document"  # the file input's name
FORM_SLACK = 64 * 1024  # the form's other parts and the multipart framing, beside the file
FEE_KEYS = ("label", "amount_vnd", "per", "online_discount_vnd")
MAX_FEE_ROWS = 50
Text = Annotated[str, Form()]
_FEE_FIELD = re.compile(r"fees\.([0-9]{1,3})\.(label|amount_vnd|per|online_discount_vnd|remove)")
_AMOUNT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+")  # 50.000, as Vietnamese writes it
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?")  # 0,5 or 0.5
# A refusal of the record as a whole names what it is about in its message.
_RECORD_WORDS = (
    ("agenc", "agencies"),
    ("processing", "processing_time-value"),
    ("fee", "fees"),
    ("channels", "level"),
    ("form_schema", "level"),
)


# -- the catalogue's page and the import -------------------------------------------------------


async def _catalogue_page(
    request: Request,
    signed: Signed,
    *,
    report: ImportReport | None = None,
    refusal: Refusal | None = None,
) -> Response:
    wanted = Search.of({k: request.query_params.get(k, "") for k in ("q", "page")})
    results = search(await current_snapshot(request), wanted)
    context = {
        "search": wanted,
        "results": results,
        "report": report,
        "max_mb": request.app.state.settings.max_file_mb,
    }
    return admin_page(request, signed, "admin_catalogue.html", context, refusal=refusal)


@router.get(CATALOGUE, response_class=HTMLResponse)
async def catalogue_page(request: Request, signed: AdminDep) -> Response:
    """The import form, and the procedures to edit (the API's search)."""
    return await _catalogue_page(request, signed)


@router.post(CATALOGUE + "/nhap", response_class=HTMLResponse, max_body_size=UPLOAD_ROUTE_LIMIT)
async def import_document(request: Request, signed: AdminDep) -> Response:
    """An uploaded import document through the import, all or nothing: its report, or the
    refusal's details next to the file input."""
    settings = request.app.state.settings
    limit = importing.MAX_IMPORT_MB * MB
    on_file: Placer = lambda _loc, _msg: DOCUMENT  # noqa: E731
    try:
        token, content = await read_upload(request, limit)
    except (TooLarge, BadRequest, MultipartRequired) as exc:
        return await _catalogue_page(request, signed, refusal=Refusal.of(exc, on_file, DOCUMENT))
    check_csrf(request, signed, token)
    try:
        raw = _document(content)
        templates = Path(settings.templates_dir)
        engine = request.app.state.engine
        report = await run_in_threadpool(importing.import_catalogue, engine, raw, templates)
    except InvalidContent as exc:
        return await _catalogue_page(request, signed, refusal=Refusal.of(exc, on_file, DOCUMENT))
    return await _catalogue_page(request, signed, report=report)


def _document(content: bytes | None) -> Any:
    if content is None:
        raise InvalidContent(details=[detail([DOCUMENT], "bắt buộc: chọn tệp danh mục (JSON)")])
    try:
        return strict_json.loads(content)
    except strict_json.JSONRefused as refused:
        raise strict_json.refusal(refused, [DOCUMENT], InvalidJSON) from None


async def read_upload(request: Request, limit: int) -> tuple[str, bytes | None]:
    """The form's CSRF field, which must be its first part, and the file's bytes (None when
    no file was chosen); the body is refused (413) past `limit` while it arrives."""
    mime = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if mime != "multipart/form-data":
        raise MultipartRequired()
    declared = request.headers.get("content-length", "")
    too_large = TooLarge(
        f"Tệp danh mục vượt quá {limit // MB} MB.", headers={"Connection": "close"}
    )
    if declared.isdigit() and int(declared) > limit + FORM_SLACK:
        raise too_large

    async def bounded() -> Any:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit + FORM_SLACK:
                raise too_large
            yield chunk

    try:
        form = await MultiPartParser(request.headers, bounded(), max_files=1, max_fields=4).parse()
    except (MultiPartException, ClientDisconnect):
        raise BadRequest() from None
    try:
        return _first_field(form), await _file_of(form, limit, too_large)
    finally:
        await form.close()


def _first_field(form: FormData) -> str:
    items = form.multi_items()
    if not items or items[0][0] != FIELD or not isinstance(items[0][1], str):
        raise CsrfFailed()  # a part before the anti-forgery field is refused
    return items[0][1]


async def _file_of(form: FormData, limit: int, too_large: TooLarge) -> bytes | None:
    upload = form.get(DOCUMENT)
    if not isinstance(upload, UploadFile) or (not upload.filename and not upload.size):
        return None
    if (upload.size or 0) > limit:
        raise too_large
    return await upload.read()


# -- a procedure -----------------------------------------------------------------------------


def _number_text(value: Any) -> str:
    """A processing time as a Vietnamese reader types it: `3`, `0,5`."""
    return f"{value:g}".replace(".", ",") if isinstance(value, int | float) else str(value)


def _number(text: str) -> Any:
    text = text.strip()
    return float(text.replace(",", ".")) if _NUMBER.fullmatch(text) else text


def _amount(text: str) -> Any:
    text = text.strip().replace(" ", "")
    return int(text.replace(".", "")) if _AMOUNT.fullmatch(text) else text


def _level(text: str) -> Any:
    return int(text) if text.strip().isdigit() else text


class ProcedureEdit:
    """What the procedure's form edits, as typed: the level, the processing time, the fee
    lines (each with its `remove` box) and the checked offering agencies."""

    def __init__(
        self, level: str, value: str, unit: str, fees: list[dict[str, str]], agencies: list[str]
    ) -> None:
        self.level, self.value, self.unit = level, value, unit
        self.fees, self.agencies = fees, agencies
        if not self.fees or any(self.fees[-1][k].strip() for k in ("label", "amount_vnd")):
            self.fees.append({**dict.fromkeys(FEE_KEYS, ""), "remove": ""})  # a new line
        self.positions: list[int] = []  # the row of each fee line sent, for its errors

    @classmethod
    def of_record(cls, record: dict[str, Any]) -> "ProcedureEdit":
        time = record["processing_time"]
        fees = [
            {
                "label": str(line.get("label", "")),
                "amount_vnd": str(line.get("amount_vnd", "")),
                "per": str(line.get("per") or ""),
                "online_discount_vnd": str(line.get("online_discount_vnd", 0)),
                "remove": "",
            }
            for line in record["fees"]
        ]
        level = str(record["level"])
        return cls(level, _number_text(time["value"]), str(time["unit"]), fees, record["agencies"])

    @classmethod
    def of_form(cls, form: FormData) -> "ProcedureEdit":
        rows: dict[int, dict[str, str]] = {}
        for name, value in form.multi_items():
            matched = _FEE_FIELD.fullmatch(name)
            if matched and isinstance(value, str) and int(matched.group(1)) < MAX_FEE_ROWS:
                row = rows.setdefault(
                    int(matched.group(1)), dict.fromkeys((*FEE_KEYS, "remove"), "")
                )
                row[matched.group(2)] = value
        checked = [v for v in form.getlist("agencies") if isinstance(v, str)]
        return cls(
            str(form.get("level", "")),
            str(form.get("processing_time.value", "")),
            str(form.get("processing_time.unit", "")),
            [rows[i] for i in sorted(rows)],
            list(dict.fromkeys(checked)),
        )

    def apply(self, record: dict[str, Any]) -> dict[str, Any]:
        """`record` with the form's changes: the offering agencies in their order (those kept
        first, then those added), the first becoming the procedure's own."""
        lines, self.positions = [], []
        for position, row in enumerate(self.fees):
            if row["remove"] or not (row["label"].strip() or row["amount_vnd"].strip()):
                continue
            self.positions.append(position)
            discount = row["online_discount_vnd"]
            lines.append(
                {
                    "label": row["label"],
                    "amount_vnd": _amount(row["amount_vnd"]),
                    "per": row["per"] or None,
                    "online_discount_vnd": _amount(discount) if discount.strip() else 0,
                }
            )
        kept = [code for code in record["agencies"] if code in self.agencies]
        added = [code for code in self.agencies if code not in kept]
        edited = {k: v for k, v in record.items() if k != "agency_code"}
        return {
            **edited,
            "level": _level(self.level),
            "processing_time": {"value": _number(self.value), "unit": self.unit},
            "fees": lines,
            "agencies": kept + added,
        }

    def place(self, loc: list[Any], msg: str) -> str | None:
        """The field of the form a detail of the import's refusal is about."""
        rest = loc[2:] if loc[:1] == ["procedures"] else loc
        if not rest:
            return next((name for word, name in _RECORD_WORDS if word in msg), None)
        head = rest[0]
        if head == "level":
            return "level"
        if head in ("processing_time", "processing_days"):
            return "processing_time-unit" if "unit" in rest else "processing_time-value"
        if head in ("agencies", "agency_code", "tier"):
            return "agencies"
        if head == "fees":
            line = rest[1] if len(rest) > 1 and isinstance(rest[1], int) else None
            if line is None or line >= len(self.positions):
                return "fees"
            fallback = "online_discount_vnd" if "online_discount" in msg else "label"
            sub = rest[2] if len(rest) > 2 and rest[2] in FEE_KEYS else fallback
            return f"fees-{self.positions[line]}-{sub}"
        return None


def _procedure_page(
    request: Request,
    signed: Signed,
    code: str,
    edit: ProcedureEdit | None = None,
    refusal: Refusal | None = None,
    seen: str | None = None,
) -> Response:
    """The form: with `edit` (what was typed) and the version it was made on (`seen`), or
    else the record as it stands and its version."""
    with unit_of_work(request.app.state.engine) as session:
        procedure = get_procedure(session, code)  # 404 page when unknown
        record = procedure_record(session, code)
        agencies = agency_choices(session)
    context = {
        "procedure": procedure,
        "edit": edit or ProcedureEdit.of_record(record),
        "seen": seen if edit is not None and seen is not None else record_version(record),
        "agencies": agencies,
        "units": list(ProcessingUnit),
        "pers": list(FeePer),
    }
    return admin_page(request, signed, "admin_procedure.html", context, refusal=refusal)


@router.get(CATALOGUE + "/{code}", response_class=HTMLResponse)
def procedure_page(request: Request, code: str, signed: AdminDep) -> Response:
    """A procedure's level, processing time, fees and agencies as a form."""
    return _procedure_page(request, signed, code)


@router.post(CATALOGUE + "/{code}", response_class=HTMLResponse)
async def save_procedure(
    request: Request, code: str, signed: AdminDep, csrf_token: Text = ""
) -> Response:
    """The record with the form's changes, through `replace_procedure`: all of it, or (a
    refusal) none of it."""
    check_csrf(request, signed, csrf_token)
    form = await request.form()
    edit = ProcedureEdit.of_form(form)
    seen = str(form.get("seen", ""))
    return await run_in_threadpool(_save, request, signed, code, edit, seen)


def _save(request: Request, signed: Signed, code: str, edit: ProcedureEdit, seen: str) -> Response:
    """The edit applied to the record as it stands, if that is still the version the form was
    made on (`seen`): another administrator's save in between is a 409 that shows their
    version, never undone by this one."""
    engine, settings = request.app.state.engine, request.app.state.settings
    templates = Path(settings.templates_dir)
    try:
        importing.edit_procedure(engine, code, seen, edit.apply, templates)
    except ProcedureChanged as exc:
        return _procedure_page(request, signed, code, refusal=Refusal.of(exc, lambda *_: None))
    except CatalogueImportError as exc:
        return _procedure_page(request, signed, code, edit, Refusal.of(exc, edit.place), seen)
    return done(request, f"{CATALOGUE}/{code}", "procedure_saved")


@router.post(CATALOGUE + "/{code}/ngung", response_class=HTMLResponse)
def retire_procedure(
    request: Request, code: str, signed: AdminDep, engine: EngineDep, csrf_token: Text = ""
) -> Response:
    """Retire the procedure (`DELETE /api/v1/procedures/{code}`): it takes no new dossiers."""
    check_csrf(request, signed, csrf_token)
    importing.retire_procedure(engine, code, utcnow())
    return done(request, f"{CATALOGUE}/{code}", "procedure_retired")
