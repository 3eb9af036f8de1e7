"""The officers' printed forms (issue 16): a dossier's one-stop forms as PDF and an agency's
register as XLSX, made by app/services/printing/ from what one unit of work reads.

- `GET /can-bo/ho-so/{code}/in/{form}`: `giay-tiep-nhan` (mẫu số 01), `phieu-bo-sung` (02),
  `phieu-tu-choi` (03), `phieu-xin-loi` (04), `phieu-kiem-soat` (the control sheet), for an
  officer who may act on the dossier (the API's rule: 404 unknown, 403 another agency). A form
  the dossier has no data for yet is the service's 409 `nothing_to_print` as a page.
- `GET /can-bo/so-theo-doi?from=…&to=…[&agency=…]`: Sổ theo dõi hồ sơ of the officer's agency
  (an admin may name any agency) for the receipt days given (by default this month so far),
  as XLSX.

Every answer is `Cache-Control: no-store` (they hold applicants' data), a PDF `inline` (the
browser shows it, and its print button prints it), the register an attachment.
"""

from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlmodel import col, select

from app.db import unit_of_work
from app.errors import AdminOnly, AgencyNotFound, InvalidPeriod, NotFound, detail
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models import Agency, Officer, Procedure
from app.models.dossier import OfficerDossierView
from app.models.officer import Role
from app.models.types import VN_TZ, utcnow
from app.services import printing
from app.services.dossiers import tracking
from app.services.officer_sessions import Signed
from app.web.officer_auth import SignedDep

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMS = {
    "giay-tiep-nhan": "receipt",
    "phieu-bo-sung": "supplement",
    "phieu-tu-choi": "refusal",
    "phieu-xin-loi": "apology",
    "phieu-kiem-soat": "control",
}
MAX_REGISTER_DAYS = 366  # a year's register at most in one file


def printable(view: OfficerDossierView) -> list[str]:
    """The forms a dossier has the data for, in FORMS's order (the page's print links), as
    app/services/printing decides what it prints."""
    kinds = printing.printable_forms(view)
    return [form for form, kind in FORMS.items() if kind in kinds]


@router.get("/can-bo/ho-so/{code}/in/{form}")
async def print_form(code: str, form: str, request: Request, signed: SignedDep) -> Response:
    kind = FORMS.get(form)
    if kind is None:
        raise NotFound("Không có mẫu in này.")
    base = str(request.base_url).rstrip("/")
    data = await run_in_threadpool(_make, request.app.state.engine, signed, code, kind, base)
    filename = f"{form}-{code}.pdf"
    return Response(
        data,
        media_type=PDF,
        headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(filename)}"},
    )


def _make(engine: Any, signed: Signed, code: str, kind: str, base: str) -> bytes:
    now = utcnow()
    with unit_of_work(engine) as session:
        dossier = tracking.dossier_for_officer(session, signed.principal, code)
        view = tracking.officer_view(session, dossier, now)
        procedure = session.get(Procedure, dossier.procedure_code)
        assert procedure is not None
        # The officers who acted, and the one printing, by their full names.
        usernames = {e.actor.removeprefix("officer:") for e in view.events}
        usernames.add(signed.principal.username)
        statement = select(Officer).where(col(Officer.username).in_(sorted(usernames)))
        names = {
            f"officer:{o.username}": o.full_name or o.username for o in session.scalars(statement)
        }
    officer = names.get(f"officer:{signed.principal.username}", signed.principal.username)
    if kind == "receipt":
        tracking_url = f"{base}/tra-cuu/{quote(view.code, safe='')}"
        return printing.receipt_pdf(
            view, procedure, officer=officer, tracking_url=tracking_url, now=now
        )
    if kind == "supplement":
        return printing.supplement_request_pdf(view, procedure, officer=officer, now=now)
    if kind == "refusal":
        return printing.refusal_pdf(view, officer=officer, now=now)
    if kind == "apology":
        return printing.apology_pdf(view, officer=officer, now=now)
    return printing.control_sheet_pdf(view, now=now, names=names)


@router.get("/can-bo/so-theo-doi")
async def register(
    request: Request,
    signed: SignedDep,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    agency: str | None = None,
) -> Response:
    today = datetime.now(VN_TZ).date()
    last = date_to or today
    first = date_from or last.replace(day=1)
    if first > last:
        raise InvalidPeriod(details=[detail(["query", "from"], "phải trước hoặc bằng 'to'")])
    if (last - first).days >= MAX_REGISTER_DAYS:
        raise InvalidPeriod(details=[detail(["query", "to"], "tối đa 366 ngày một sổ")])
    principal = signed.principal
    code = agency or principal.agency_code
    if code != principal.agency_code and principal.role != Role.admin:
        raise AdminOnly()
    data = await run_in_threadpool(_register, request.app.state.engine, code, first, last)
    filename = f"so-theo-doi-{code}-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def _register(engine: Any, code: str, first: date, last: date) -> bytes:
    now = utcnow()
    with unit_of_work(engine) as session:
        found = session.scalars(select(Agency).where(col(Agency.code) == code)).first()
        if found is None:
            raise AgencyNotFound(code)
        entries = printing.read_register(session, code, first, last, now)
        name = found.name
    return printing.register_xlsx(entries, name, first, last)
