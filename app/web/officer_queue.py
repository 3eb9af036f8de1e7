"""The officers' queue (`/can-bo/ho-so`) and its CSV (`/can-bo/ho-so.csv`): the API's queue
(services/dossiers/queue.py, GET /api/v1/officer/dossiers) as a page.

- The filters are a GET form read by the API's own model (`QueueFilter`): a value it refuses
  is shown next to its control with the API's message, and the page answers 422 without
  reading the queue. A filter left empty is no filter; `page` is read leniently (1 when it is
  no page number), as the catalogue's.
- The list is `list_queue` for the signed-in officer: their agency's subtree, everything for
  an admin, earliest due first; the count of new online dossiers waiting for intake is
  `count_queue` of `status=new`, the API's total for that filter.
- The CSV is `iter_queue` with the same filters: every page, in the same order, at most
  `CSV_MAX_ROWS` rows, streamed in batches; UTF-8 with a BOM (Excel), Vietnamese headers.
"""

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from pydantic import ValidationError
from sqlalchemy import Engine

from app.config import Settings
from app.db import unit_of_work
from app.deps import SettingsDep
from app.errors import AgencyNotFound, InvalidContent, InvalidPeriod
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.common import MAX_PAGE
from app.models.dossier import Channel, DossierStatus, QueueItem
from app.models.officer import Principal, Role
from app.models.types import utcnow
from app.services.catalogue.cache import CatalogueSnapshot, public_item
from app.services.catalogue.scope import ProcedureScope
from app.services.dossiers.queue import QueueFilter, count_queue, iter_queue, list_queue
from app.services.messages import validation_details
from app.services.stats.export import neutralised
from app.web.catalogue_pages import current_snapshot
from app.web.dashboard_pages import parse_date
from app.web.filters import in_vietnam, vn_date, vn_time
from app.web.officer_auth import PATH, SignedDep, csrf_of
from app.web.rendering import render

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

PAGE_SIZE = 20
# The CSV holds at most this many dossiers, the first in the queue's order: a year of a busy
# department, and still a file Excel opens at once. The page says so when the list is longer.
CSV_MAX_ROWS = 50_000
CSV_BATCH = 500  # rows per chunk sent
FIELDS = tuple(QueueFilter.model_fields)
DATES = ("received_from", "received_to")
MAX_TYPED = 120  # what is kept of a typed value: past every limit, never echoed whole
# Beyond this many procedures (an admin's whole province), the procedure filter is a text box
# for the code rather than a list nobody scrolls through.
MAX_PROCEDURE_CHOICES = 200
# The new online dossiers waiting for their intake check, counted at the top of the page:
# `new` is that status (DOMAIN.md §4; counter and postal dossiers start accepted), and its
# count reads the index ix_dossier_queue_status alone (with the channel too, every new
# dossier's row: 14 ms rather than 1 at 10,000 of them).
WAITING = QueueFilter(status=DossierStatus.new)
WAITING_QUERY = {"status": DossierStatus.new.value}


@dataclass
class QueueForm:
    """The filters as typed, the API's filter they make (None when refused), the page, and
    the errors by input name."""

    typed: dict[str, str]
    page: int = 1
    filters: QueueFilter | None = None
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 200

    @property
    def active(self) -> bool:
        return any(self.typed.values())

    def query(self, page: int | None = None) -> dict[str, Any]:
        """This form's query string (for the pagination, the CSV and the language switch)."""
        return {**self.typed, "page": page if page and page > 1 else None}

    def value(self, name: str) -> str:
        """A date input's value: the date it names as the input wants it (yyyy-mm-dd), else
        what was typed, to be corrected."""
        picked = getattr(self.filters, name, None) if self.filters else None
        return picked.isoformat() if picked is not None else self.typed[name]


def read_form(params: Mapping[str, str]) -> QueueForm:
    typed = {name: params.get(name, "").strip()[:MAX_TYPED] for name in FIELDS}
    form = QueueForm(typed, page_number(params.get("page", "")))
    values: dict[str, Any] = {name: value for name, value in typed.items() if value}
    for name in DATES:  # a date typed as people write it, where the browser shows a text box
        if name in values and (day := parse_date(values[name])) is not None:
            values[name] = day
    try:
        form.filters = QueueFilter.model_validate(values)
        form.filters.check()
    except ValidationError as refused:
        details = validation_details(refused.errors(), ("query",))
        _refuse(form, InvalidContent.message, details, InvalidContent.status)
    except InvalidPeriod as refused:
        _refuse(form, refused.message, refused.details, refused.status)
    return form


def _refuse(form: QueueForm, message: str, details: list[Any], status: int) -> None:
    """The API's refusal on the form: each detail next to the input its `loc` names."""
    form.filters, form.status = None, status
    for problem in details:
        form.errors.setdefault(str(problem["loc"][-1]), sentence(message, problem["msg"]))


def page_number(text: str) -> int:
    """`page` as typed: a page number from 1 to MAX_PAGE, else 1."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_PAGE)):
        return 1
    return min(max(int(text), 1), MAX_PAGE)


def sentence(message: str, detail: str) -> str:
    """The API's message and a detail's `msg`, as one line next to the control."""
    return f"{message} {detail[:1].upper()}{detail[1:]}."


@dataclass(frozen=True)
class Shown:
    items: list[QueueItem]
    total: int
    waiting: int  # new online dossiers waiting for their intake check

    @property
    def pages(self) -> int:
        return (self.total + PAGE_SIZE - 1) // PAGE_SIZE


def read_queue(
    engine: Engine, settings: Settings, officer: Principal, form: QueueForm, now: datetime
) -> Shown:
    """The page of the queue and the count of dossiers waiting for intake, in one snapshot
    (without the list when the filters were refused)."""
    intake_check = timedelta(hours=settings.intake_check_hours)
    with unit_of_work(engine, snapshot=True) as session:
        waiting = count_queue(session, officer, WAITING, now)
        if form.filters is None:
            return Shown([], 0, waiting)
        items, total = list_queue(
            session, officer, form.filters, form.page, PAGE_SIZE, now, intake_check
        )
    return Shown(items, total, waiting)


# ---------------------------------------------------------------------------------------------
# The catalogue's names, read once per snapshot


@dataclass
class Names:
    """Procedures' and agencies' names of one catalogue snapshot, parsed on first use, and
    the procedure filter's choices for each agency's subtree."""

    snapshot: CatalogueSnapshot
    procedures: dict[str, str] = field(default_factory=dict)
    choices: dict[str | None, list[tuple[str, str]] | None] = field(default_factory=dict)

    def procedure(self, code: str) -> str:
        if code not in self.procedures:
            entries = self.snapshot.entries_of([code])
            self.procedures[code] = public_item(entries[0]).name if entries else ""
        return self.procedures[code]

    def agency(self, code: str) -> str:
        agency = self.snapshot.agencies.get(code)
        return agency.name if agency else ""

    def choices_for(self, officer: Principal) -> list[tuple[str, str]] | None:
        """(code, name) of the procedures offered in the officer's subtree (every one for an
        admin), or None when there are too many for a list."""
        agency = None if officer.role == Role.admin else officer.agency_code
        if agency not in self.choices:
            scope = ProcedureScope(agency=agency, include_retired=True)
            try:
                found = self.snapshot.search(None, scope, 1, MAX_PROCEDURE_CHOICES + 1).items
            except AgencyNotFound:
                found = []
            self.choices[agency] = (
                None
                if len(found) > MAX_PROCEDURE_CHOICES
                else [(e.code, self.procedure(e.code)) for e in found]
            )
        return self.choices[agency]


_NAMES: "WeakKeyDictionary[CatalogueSnapshot, Names]" = WeakKeyDictionary()


def names_of(snapshot: CatalogueSnapshot) -> Names:
    if (kept := _NAMES.get(snapshot)) is None:
        kept = _NAMES[snapshot] = Names(snapshot)
    return kept


# ---------------------------------------------------------------------------------------------
# The page


@router.get("/can-bo/ho-so", response_class=HTMLResponse)
async def queue_page(request: Request, signed: SignedDep, settings: SettingsDep) -> Response:
    """The queue of the signed-in officer's agency, filtered as the form says."""
    form = read_form(request.query_params)
    snapshot = await current_snapshot(request)
    shown = await run_in_threadpool(
        read_queue, request.app.state.engine, settings, signed.principal, form, utcnow()
    )
    guard = csrf_of(request, settings, signed)
    names = names_of(snapshot)
    context = {
        "signed": signed,
        "csrf_token": guard.token,
        "form": form,
        "shown": shown,
        "names": names,
        "procedures": names.choices_for(signed.principal),
        "statuses": list(DossierStatus),
        "channels": list(Channel),
        "waiting_query": WAITING_QUERY,
        "csv_max": CSV_MAX_ROWS,
        "intake_hours": settings.intake_check_hours,
    }
    response = render(request, "officer_queue.html", context, status_code=form.status)
    guard.keep(response, PATH)
    return response


# ---------------------------------------------------------------------------------------------
# The CSV

CSV_HEADERS = (
    "Mã hồ sơ",
    "Mã thủ tục",
    "Tên thủ tục",
    "Mã cơ quan tiếp nhận",
    "Cơ quan tiếp nhận",
    "Người nộp",
    "Hình thức nộp",
    "Trạng thái",
    "Ngày nộp",
    "Ngày tiếp nhận",
    "Hạn xử lý",
    "Quá hạn",
    "Sắp đến hạn",
    "Chờ tiếp nhận quá hạn",
)
BOM = "\ufeff"


def csv_moment(moment: datetime | None) -> str:
    """`dd/mm/yyyy HH:MM` in Vietnam time."""
    return "" if moment is None else f"{vn_date(moment)} {vn_time(moment)}"


YES = {True: "Có", False: "Không"}


def csv_row(item: QueueItem, names: Names) -> list[str]:
    row = [
        item.code,
        item.procedure_code,
        names.procedure(item.procedure_code),
        item.agency_code,
        names.agency(item.agency_code),
        item.applicant_name,
        item.channel.label,
        item.status_label,
        csv_moment(item.submitted_at),
        csv_moment(item.received_at),
        csv_moment(item.due_at),
        YES[item.overdue],
        YES[item.due_soon],
        YES[item.intake_overdue],
    ]
    # The applicant's name is the citizen's own text: a spreadsheet must not run it.
    return [neutralised(value) for value in row]


def csv_chunks(
    engine: Engine, settings: Settings, officer: Principal, filters: QueueFilter, names: Names
) -> Iterator[bytes]:
    """The CSV in chunks of CSV_BATCH rows; the first chunk (the headers and the first batch)
    comes once the query has run, so that a database error is still an error page."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS)
    now, intake_check = utcnow(), timedelta(hours=settings.intake_check_hours)
    with unit_of_work(engine, snapshot=True) as session:
        rows = iter_queue(session, officer, filters, now, CSV_MAX_ROWS, intake_check)
        for n, item in enumerate(rows, start=1):
            writer.writerow(csv_row(item, names))
            if n % CSV_BATCH == 0:
                yield _taken(out)
    yield _taken(out)


def _taken(out: io.StringIO) -> bytes:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text.encode()


@router.get("/can-bo/ho-so.csv")
async def queue_csv(request: Request, signed: SignedDep, settings: SettingsDep) -> Response:
    """The filtered queue as CSV: every page, at most CSV_MAX_ROWS dossiers."""
    form = read_form(request.query_params)
    if form.filters is None:
        return await queue_page(request, signed, settings)
    names = names_of(await current_snapshot(request))
    chunks = csv_chunks(request.app.state.engine, settings, signed.principal, form.filters, names)
    first = await run_in_threadpool(next, chunks)
    stamp = in_vietnam(utcnow()).strftime("%Y%m%d-%H%M")

    def body() -> Iterator[bytes]:
        yield BOM.encode() + first
        yield from chunks

    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="ho-so-{stamp}.csv"'},
    )
