"""Printed one-stop forms (issue 16, the officers' workspace): PDF with a bundled Unicode
font, and the register as XLSX, from the data the system holds. No routes, no pages: the
officers' pages call these and send the bytes (`application/pdf`, or the XLSX type).

Every PDF function takes the officers' view of the dossier, `tracking.officer_view(session,
dossier, now)` (its events included), and what the view lacks, all read in the page's one
`unit_of_work`; it reads no database itself and returns the PDF's bytes. It is CPU work (about
0.1 s: the font is parsed and subset per document): call it from a sync route or
`run_in_threadpool`, after the unit of work has ended.

- `receipt_pdf(view, procedure, *, officer, tracking_url, now, private_link=None)`:
  Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu số 01), on `accept` and on counter or postal
  registration; `procedure` is the dossier's `Procedure` row (processing time, documents),
  `officer` the receiving officer's full name, `tracking_url` the absolute `/tra-cuu/{code}`
  (its QR code is printed), `private_link` the applicant's link, known only at registration.
- `supplement_request_pdf(view, procedure, *, officer, now, event=None)`: Phiếu yêu cầu bổ
  sung, hoàn thiện hồ sơ (mẫu số 02), from the latest `request_supplement` event (or `event`).
- `refusal_pdf(view, *, officer, now, event=None)`: Phiếu từ chối tiếp nhận giải quyết hồ sơ
  (mẫu số 03), from the `refuse` event.
- `apology_pdf(view, *, officer, now, event=None)`: Phiếu xin lỗi và hẹn lại ngày trả kết quả
  (mẫu số 04 of 2018), from the latest `reschedule` event.
- `control_sheet_pdf(view, *, now, names=None)`: Phiếu kiểm soát quá trình giải quyết hồ sơ,
  the event list; `names` maps actors (`officer:lan`) to officers' full names.
- `read_register(session, agency_code, first_day, last_day, now)` then
  `register_xlsx(entries, agency_name, first_day, last_day)`: Sổ theo dõi hồ sơ of the
  dossiers an agency received on those Vietnam days, as XLSX (`REGISTER_COLUMNS`; the rows
  start at `REGISTER_FIRST_ROW`).

- `printable_forms(view)`: the forms above (`FORMS`: receipt, supplement, refusal, apology,
  control) the dossier has the data for, by the same rule the functions raise by.

A form the dossier has no data for (a receipt before receipt, a refusal of a dossier never
refused, ...) raises 409 `nothing_to_print`. Dates are written as the forms write them, in
Vietnam time ("09 giờ 30 phút, ngày 04 tháng 12 năm 2026"); any Unicode text prints (see
`sheet.py`). The forms' sources, and what could not be checked, are in `wording.py`;
docs/DOMAIN.md §4 "Printed forms" says what fills each form.
"""

from app.services.printing.forms import (
    FORMS,
    apology_pdf,
    control_sheet_pdf,
    printable_forms,
    receipt_pdf,
    refusal_pdf,
    supplement_request_pdf,
)
from app.services.printing.register import (
    REGISTER_COLUMNS,
    REGISTER_FIRST_ROW,
    REGISTER_HEADINGS_ROW,
    RegisterEntry,
    read_register,
    register_xlsx,
)

__all__ = [
    "FORMS",
    "REGISTER_COLUMNS",
    "REGISTER_FIRST_ROW",
    "REGISTER_HEADINGS_ROW",
    "RegisterEntry",
    "apology_pdf",
    "control_sheet_pdf",
    "printable_forms",
    "read_register",
    "receipt_pdf",
    "refusal_pdf",
    "register_xlsx",
    "supplement_request_pdf",
]
