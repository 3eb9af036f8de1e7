"""Sổ theo dõi hồ sơ (mẫu số 06 of Circular 01/2018/TT-VPCP, 07 of Circular 03/2025/TT-VPCP;
see `wording.py` for the sources and what could not be checked) as XLSX: one row per dossier
an agency received in a period, in the order received.

The columns are the register's as the provinces' systems print it from the 2018 annex (STT,
the dossier code, the procedure, the number of sets, the person or organisation, address and
phone, the agency in charge, the dates received, due and returned, the signature on
collection), with what the system adds: the channel, the status and a note (late, overdue,
the new appointment of an apology). "Received" is the statistics' received (DOMAIN.md §6):
accepted by the agency, on its Vietnam date; the register is the receiving desk's own, so it
lists the dossiers of `agency_code` itself, not of the agencies under it.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select
from sqlmodel import Session, col

from app.models.applicant import applicant_public
from app.models.catalogue import Procedure
from app.models.dossier import Dossier, DossierEvent, DossierStatus
from app.models.types import VN_TZ
from app.services.catalogue.scope import get_agency
from app.services.dossiers.timeliness import timeliness
from app.services.dossiers.workflow import Action
from app.services.printing import wording as w

# (key, heading) in the sheet's order; REGISTER_HEADINGS_ROW holds the headings, the row
# under it their numbers "(1)", "(2)"… as the form numbers its columns, the dossiers follow.
REGISTER_COLUMNS: list[tuple[str, str]] = [
    ("number", "STT"),
    ("code", "Mã hồ sơ"),
    ("procedure", "Tên thủ tục hành chính"),
    ("sets", "Số lượng hồ sơ (bộ)"),
    ("applicant", "Tên cá nhân, tổ chức"),
    ("address_phone", "Địa chỉ, số điện thoại"),
    ("agency", "Cơ quan chủ trì giải quyết"),
    ("received_at", "Nhận hồ sơ"),
    ("due_at", "Hẹn trả kết quả"),
    ("returned_at", "Trả kết quả"),
    ("channel", "Hình thức nộp"),
    ("status", "Tình trạng"),
    ("signature", "Ký nhận"),
    ("note", "Ghi chú"),
]
REGISTER_HEADINGS_ROW = 5
REGISTER_FIRST_ROW = REGISTER_HEADINGS_ROW + 2
DATE_FORMAT = "dd/mm/yyyy hh:mm"
WIDTHS = {"number": 6, "code": 27, "procedure": 40, "sets": 9, "applicant": 26}
WIDTHS |= {"address_phone": 34, "agency": 26, "status": 20, "note": 36, "signature": 12}
# A text cell that begins with "=" is stored by openpyxl as a formula: a name imported or typed
# as "=HYPERLINK(…)" must reach the register as the text it is (as services/stats/export.py).
FORMULA_START = "="


@dataclass(frozen=True)
class RegisterEntry:
    """One dossier of the register, with what it shows (times in UTC, as stored)."""

    code: str
    procedure: str
    applicant: str
    address_phone: str
    agency: str
    received_at: datetime
    due_at: datetime | None
    returned_at: datetime | None
    channel: str
    status: str
    note: str


def read_register(
    session: Session, agency_code: str, first_day: date, last_day: date, now: datetime
) -> list[RegisterEntry]:
    """The dossiers `agency_code` received on the Vietnam days `first_day`..`last_day`,
    in the order received, with their procedures' names and the moment each result was
    returned (the `return_result` event). 404 `agency_not_found` for an unknown agency."""
    agency = get_agency(session, agency_code)
    start = datetime.combine(first_day, time(), VN_TZ)
    end = datetime.combine(last_day + timedelta(days=1), time(), VN_TZ)
    returned = (
        select(col(DossierEvent.dossier_id), func.max(col(DossierEvent.at)).label("returned_at"))
        .where(col(DossierEvent.action) == Action.return_result.value)
        .group_by(col(DossierEvent.dossier_id))
        .subquery()
    )
    statement = (
        select(Dossier, col(Procedure.name), returned.c.returned_at)
        .join(Procedure, col(Procedure.code) == col(Dossier.procedure_code))
        .outerjoin(returned, returned.c.dossier_id == col(Dossier.id))
        .where(col(Dossier.agency_code) == agency.code)
        .where(col(Dossier.received_at) >= start, col(Dossier.received_at) < end)
        .order_by(col(Dossier.received_at), col(Dossier.id))
    )
    return [
        _entry(dossier, procedure_name, agency.name, returned_at, now)
        for dossier, procedure_name, returned_at in session.execute(statement).all()
    ]


def _entry(
    dossier: Dossier, procedure: str, agency: str, returned_at: datetime | None, now: datetime
) -> RegisterEntry:
    applicant = applicant_public(dossier.applicant)
    assert dossier.received_at is not None
    return RegisterEntry(
        code=dossier.code,
        procedure=procedure,
        applicant=w.applicant_name(applicant),
        address_phone=w.address_and_phone(applicant),
        agency=agency,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        returned_at=returned_at,
        channel=dossier.channel.label,
        status=DossierStatus(dossier.status).label,
        note=_note(dossier, now),
    )


def _note(dossier: Dossier, now: datetime) -> str:
    """Late (finished after the due moment), overdue (in progress past it), the apology's new
    appointment: what the register's "Ghi chú" says of a dossier."""
    on_time, overdue = timeliness(dossier, now)
    notes = []
    if on_time is False:
        notes.append("Trễ hạn")
    if overdue:
        notes.append("Quá hạn")
    if dossier.rescheduled_due_at is not None:
        notes.append(f"Hẹn lại: {w.long_time(dossier.rescheduled_due_at)}")
    return "; ".join(notes)


def register_xlsx(
    entries: list[RegisterEntry], agency_name: str, first_day: date, last_day: date
) -> bytes:
    """The register as an XLSX workbook: a title, the agency and the period, the headings and
    their numbers, then one row per entry; times in Vietnam time (cells of dates, shown
    `dd/mm/yyyy hh:mm`); A4 landscape, one page wide, the headings repeated on every page."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = w.REGISTER.title
    width = len(REGISTER_COLUMNS)
    _title(sheet, 1, w.REGISTER.title.upper(), width, bold=True, size=14)
    _title(sheet, 2, agency_name, width, bold=True)
    period = f"Từ ngày {w.short_date(first_day)} đến ngày {w.short_date(last_day)}"
    _title(sheet, 3, period, width)
    for index, (key, heading) in enumerate(REGISTER_COLUMNS, 1):
        cell = sheet.cell(REGISTER_HEADINGS_ROW, index, heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        number = sheet.cell(REGISTER_HEADINGS_ROW + 1, index, f"({index})")
        number.alignment = Alignment(horizontal="center")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = WIDTHS.get(key, 17)
    for offset, entry in enumerate(entries):
        _row(sheet, REGISTER_FIRST_ROW + offset, offset + 1, entry)
    sheet.freeze_panes = f"A{REGISTER_FIRST_ROW}"
    sheet.print_title_rows = f"{REGISTER_HEADINGS_ROW}:{REGISTER_HEADINGS_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _title(sheet: Worksheet, row: int, text: str, width: int, **font: Any) -> None:
    cell = sheet.cell(row, 1, ILLEGAL_CHARACTERS_RE.sub("", text))
    _as_text(cell)
    cell.font = Font(**font)
    cell.alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _row(sheet: Worksheet, row: int, number: int, entry: RegisterEntry) -> None:
    values: dict[str, Any] = {
        "number": number,
        "sets": 1,
        "signature": None,
        **{key: getattr(entry, key) for key, _ in REGISTER_COLUMNS if hasattr(entry, key)},
    }
    for index, (key, _) in enumerate(REGISTER_COLUMNS, 1):
        value = values[key]
        if isinstance(value, str):
            # Control characters have no place in a workbook (openpyxl refuses them).
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if isinstance(value, datetime):
            # Excel keeps no time zone: the local time a Vietnamese reader expects.
            value = w.in_vietnam(value).replace(tzinfo=None)
        cell = sheet.cell(row, index, value)
        if isinstance(value, datetime):
            cell.number_format = DATE_FORMAT
        _as_text(cell)
        cell.alignment = Alignment(vertical="top", wrap_text=True)


def _as_text(cell: Any) -> None:
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value[:1] == FORMULA_START):
        cell.data_type = "s"
