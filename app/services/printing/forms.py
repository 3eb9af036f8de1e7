"""The one-stop forms as PDF, from the officers' view of a dossier (its events included). The
titles, their sources and what could not be checked are in `wording.py`; the shared layout in
`sheet.py`. Each function returns the PDF's bytes."""

from collections.abc import Mapping
from datetime import datetime

from app.errors import NothingToPrint
from app.models.catalogue import Procedure
from app.models.dossier import Channel, DossierEventPublic, OfficerDossierView
from app.services.dossiers.submission import documents_of
from app.services.dossiers.workflow import Action
from app.services.printing import wording as w
from app.services.printing.sheet import ONE_STOP_DESK, Sheet

# The forms, as printable_forms names them, and the event each of the 02-04 is printed from;
# the receipt is printed from the receipt itself, the control sheet from whatever happened.
FORMS = ("receipt", "supplement", "refusal", "apology", "control")
SOURCES = {
    "supplement": Action.request_supplement,
    "refusal": Action.refuse,
    "apology": Action.reschedule,
}

SUBMITTER = "Người nộp hồ sơ"
RECEIVER = "Người tiếp nhận hồ sơ"
GUIDE = "Người hướng dẫn"
ISSUER = "Người lập phiếu"


def receipt_pdf(
    view: OfficerDossierView,
    procedure: Procedure,
    *,
    officer: str,
    tracking_url: str,
    now: datetime,
    private_link: str | None = None,
) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu số 01), for a received dossier: on
    `accept`, and on counter or postal registration. The items in receipt.html's order; the
    appointment given at receipt (`original_due_at`, which later pauses and apologies leave as
    it was); the QR code of `tracking_url`; at a desk (counter) the applicant's and the
    officer's signatures, otherwise the officer's. `private_link` (the applicant's
    `/ho-so/{code}?token=…`, known only at registration) is printed with its warning when
    given. 409 `nothing_to_print` before the dossier is received."""
    moments = _receipt_moments(view)
    if moments is None:
        raise NothingToPrint("Hồ sơ chưa được tiếp nhận: chưa có giấy tiếp nhận để in.")
    received, due = moments
    sheet = _desk_form(view, w.RECEIPT.title, w.long_date(received), now)
    sheet.para("1. Thành phần hồ sơ nộp gồm:", bold=True)
    sheet.grid(
        ["STT", "Tên loại giấy tờ", "Hình thức (bản chính, bản sao hoặc bản chụp)", "Số lượng"],
        [[str(n), *line] for n, line in enumerate(_received_documents(view, procedure), 1)],
        widths=(8, 50, 30, 12),
        centred=(0, 3),
    )
    sheet.para("2. Số lượng hồ sơ: 01 (bộ)")
    sheet.para(
        "3. Thời gian giải quyết hồ sơ theo quy định là: "
        + w.processing_time(procedure.processing_time)
    )
    sheet.para(f"4. Thời gian nhận hồ sơ: {w.long_time(received)}")
    sheet.para(f"5. Thời gian trả kết quả giải quyết hồ sơ: {w.long_time(due)}", bold=True)
    sheet.gap(3)
    sheet.qr(tracking_url, "Tra cứu tình trạng hồ sơ")
    if private_link:
        sheet.para("Đường dẫn riêng của người nộp hồ sơ:")
        sheet.para(private_link, size=9)
        sheet.para(
            "Hãy giữ bí mật đường dẫn này: ai có nó đều xem được hồ sơ, bổ sung hoặc rút hồ sơ.",
            bold=True,
        )
    if view.channel is Channel.counter:
        sheet.signatures((SUBMITTER, w.applicant_name(view.applicant)), (RECEIVER, officer))
    else:
        sheet.signatures((RECEIVER, officer))
    return sheet.bytes()


def supplement_request_pdf(
    view: OfficerDossierView,
    procedure: Procedure,
    *,
    officer: str,
    now: datetime,
    event: DossierEventPublic | None = None,
) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu số 02), from a `request_supplement`
    event (the latest unless `event` names one): the documents it asked for, with the numbers
    of originals and copies the procedure sets, and its reason (the public note). 409
    `nothing_to_print` when no supplement was asked."""
    event = source_event(view, "supplement", event)
    if event is None:
        raise NothingToPrint("Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện nào để in.")
    sheet = _desk_form(view, w.SUPPLEMENT.title, w.long_date(event.at), now)
    sheet.para("Yêu cầu hoàn thiện hồ sơ gồm những nội dung như sau:", bold=True)
    known = documents_of(procedure)
    rows = []
    # A request recorded before requests named their documents asked for any of them.
    for n, key in enumerate(event.documents or list(known), 1):
        doc = known.get(key)
        name = doc.name if doc else key
        originals, copies = (str(doc.originals), str(doc.copies)) if doc else ("", "")
        rows.append([str(n), name, originals, copies])
    sheet.grid(
        ["TT", "Thành phần hồ sơ", "Bản chính", "Bản sao"],
        rows,
        widths=(9, 63, 14, 14),
        centred=(0, 2, 3),
    )
    sheet.field("Lý do", event.public_note or "")
    sheet.para(
        "Người nộp hồ sơ bổ sung các giấy tờ trên bằng đường dẫn riêng của hồ sơ hoặc tại "
        "Bộ phận tiếp nhận và trả kết quả. Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, "
        "xin liên hệ Bộ phận tiếp nhận và trả kết quả để được hướng dẫn."
    )
    sheet.signatures((GUIDE, officer))
    return sheet.bytes()


def refusal_pdf(
    view: OfficerDossierView,
    *,
    officer: str,
    now: datetime,
    event: DossierEventPublic | None = None,
) -> bytes:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu số 03), from the `refuse` event: its
    reason (the public note). 409 `nothing_to_print` for a dossier that was not refused."""
    event = source_event(view, "refusal", event)
    if event is None:
        raise NothingToPrint("Hồ sơ không bị từ chối tiếp nhận: không có phiếu từ chối để in.")
    sheet = _desk_form(view, w.REFUSAL.title, w.long_date(event.at), now)
    sheet.para(
        f"Qua xem xét, {ONE_STOP_DESK.capitalize()} của {view.agency.name} thông báo không "
        "tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"
    )
    sheet.para(event.public_note or "", bold=True)
    sheet.para("Xin thông báo cho Ông/Bà được biết và thực hiện./.")
    sheet.signatures((RECEIVER, officer))
    return sheet.bytes()


def apology_pdf(
    view: OfficerDossierView,
    *,
    officer: str,
    now: datetime,
    event: DossierEventPublic | None = None,
) -> bytes:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu số 04 of 2018), from a `reschedule`
    event (the latest unless `event` names one): the appointment it replaces (the previous
    apology's, or the legal due moment `due_at`), the apology and its reason (the public
    note) and the new appointment (the event's `due_at`). 409 `nothing_to_print` when no
    new appointment was given."""
    event = source_event(view, "apology", event)
    if event is None or event.due_at is None:  # (source_event saw to the due_at: for mypy)
        raise NothingToPrint("Hồ sơ chưa được hẹn lại ngày trả kết quả: không có phiếu để in.")
    before = [
        e.due_at for e in view.events if e.action == event.action and e.at < event.at and e.due_at
    ]
    original = before[-1] if before else view.due_at
    sheet = _start(view, w.APOLOGY.title, w.long_date(event.at), now)
    name = w.applicant_name(view.applicant)
    sheet.para(f"Kính gửi: {name}", bold=True, align="C")
    sheet.gap(2)
    received = w.long_date(view.received_at) if view.received_at else ""
    sheet.para(
        f"{received[:1].upper()}{received[1:]}, Bộ phận tiếp nhận và trả kết quả của "
        f"{view.agency.name} tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính "
        f"“{view.procedure.name}” của Ông/Bà."
    )
    if original is not None:
        sheet.field("Thời gian hẹn trả kết quả giải quyết hồ sơ", w.long_time(original))
    sheet.para(
        f"{view.agency.name} không thể trả kết quả giải quyết hồ sơ của Ông/Bà đúng thời gian "
        "đã hẹn."
    )
    sheet.field("Lý do", event.public_note or "")
    sheet.para(
        f"Sự chậm trễ này làm ảnh hưởng đến Ông/Bà. {view.agency.name} trân trọng xin lỗi "
        "Ông/Bà và hẹn lại thời gian trả kết quả giải quyết hồ sơ như sau:"
    )
    sheet.field("Thời gian hẹn trả kết quả mới", w.long_time(event.due_at), bold=True)
    sheet.para("Rất mong nhận được sự thông cảm của Ông/Bà./.")
    sheet.signatures((ISSUER, officer))
    return sheet.bytes()


def printable_forms(view: OfficerDossierView) -> list[str]:
    """The forms of FORMS, in its order, that the dossier has the data for: the ones the
    functions here print rather than raise 409 `nothing_to_print` (the officers' print links)."""
    shown = []
    for form in FORMS:
        if form == "receipt":
            printable = _receipt_moments(view) is not None
        else:
            printable = form not in SOURCES or source_event(view, form) is not None
        if printable:
            shown.append(form)
    return shown


def source_event(
    view: OfficerDossierView, form: str, event: DossierEventPublic | None = None
) -> DossierEventPublic | None:
    """The event `form` (one of SOURCES) is printed from: `event` if given, else the latest of
    its action; None when there is none, when `event` is another action's, or for an apology
    without its new appointment."""
    action = SOURCES[form]
    found = event or w.latest(view.events, action)
    if found is None or found.action != action.value:
        return None
    if action is Action.reschedule and found.due_at is None:
        return None
    return found


def control_sheet_pdf(
    view: OfficerDossierView,
    *,
    now: datetime,
    names: Mapping[str, str] | None = None,
) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu số 05 of 2018, 06 of 2025), from the
    dossier's events: each step, who made it (`names` maps an actor such as `officer:lan` to
    the officer's full name), when, and whether the agency's step came before the due date,
    by the due moment or after it (`due_at`, the legal due moment; the applicant's own moves
    and the steps before receipt are not judged). The circular's sheet records hand-overs
    between agencies with their signatures; the system records the moves of one receiving
    agency, so each move is a row and the signatures are the events' actors."""
    sheet = _start(view, w.CONTROL.title, w.long_date(now), now)
    sheet.field("Kèm theo hồ sơ của", w.applicant_name(view.applicant), bold=True)
    sheet.field("Nội dung yêu cầu giải quyết", f"{view.procedure.name} ({view.procedure.code})")
    sheet.field("Cơ quan giải quyết hồ sơ", view.agency.name)
    if view.received_at is not None:
        sheet.field("Thời gian nhận hồ sơ", w.long_time(view.received_at))
    if view.due_at is not None:
        sheet.field("Thời gian hẹn trả kết quả", w.long_time(view.due_at))
    if view.rescheduled_due_at is not None:
        sheet.field("Thời gian hẹn lại trả kết quả", w.long_time(view.rescheduled_due_at))
    sheet.gap(2)
    rows = []
    for n, event in enumerate(view.events, 1):
        judged = ""
        received = view.received_at
        if view.due_at and received and event.at > received and not _applicants(event):
            judged = w.judged(event.at, view.due_at)
        step = f"{w.step_label(event.action)}\n→ {event.to_status.label}"
        who = w.actor_name(event.actor, names or {})
        rows.append([str(n), step, who, w.long_time(event.at), judged, w.event_note(event)])
    sheet.grid(
        ["STT", "Bước xử lý", "Người thực hiện", "Thời gian", "Kết quả", "Ghi chú"],
        rows,
        widths=(6, 22, 14, 24, 11, 23),
        centred=(0, 4),
    )
    sheet.para(f"Trạng thái hiện tại: {view.status_label}", bold=True)
    return sheet.bytes()


# -- shared parts ------------------------------------------------------------------------------


def _start(view: OfficerDossierView, title: str, day: str, now: datetime) -> Sheet:
    sheet = Sheet(f"{title} {view.code}", now)
    sheet.heading(view.agency.name, day[:1].upper() + day[1:])
    sheet.form_title(title, view.code)
    return sheet


def _desk_form(view: OfficerDossierView, title: str, day: str, now: datetime) -> Sheet:
    """The head the desk's forms 01 to 03 share: the heading and the title, the desk, then the
    applicant and what they asked for; each form's own body and signatures follow."""
    sheet = _start(view, title, day, now)
    sheet.field("Bộ phận tiếp nhận và trả kết quả", view.agency.name)
    sheet.field("Tiếp nhận hồ sơ của", w.applicant_name(view.applicant), bold=True)
    for line_label, value in w.applicant_lines(view.applicant):
        sheet.field(line_label, value)
    sheet.field("Nội dung yêu cầu giải quyết", f"{view.procedure.name} ({view.procedure.code})")
    sheet.gap(1)
    return sheet


def _receipt_moments(view: OfficerDossierView) -> tuple[datetime, datetime] | None:
    """Received when, and the appointment given then; None before receipt."""
    received, due = view.received_at, view.original_due_at or view.due_at
    return None if received is None or due is None else (received, due)


def _applicants(event: DossierEventPublic) -> bool:
    return event.action in w.APPLICANT_ACTIONS or event.actor == w.APPLICANT_ACTOR


def _received_documents(view: OfficerDossierView, procedure: Procedure) -> list[list[str]]:
    """The documents received, as receipt.html lists them: each document's electronic copies
    with their number of files. A dossier registered at the counter without scans was handed
    in on paper, and a desk registers only a complete dossier: the procedure's required
    documents, with the numbers of originals and copies it sets."""
    known = documents_of(procedure)
    counts: dict[str, int] = {}
    for document in view.documents:
        counts[document.key] = counts.get(document.key, 0) + 1
    if counts:
        return [
            [known[key].name if key in known else key, "Bản điện tử", f"{count} tệp"]
            for key, count in counts.items()
        ]
    rows = []
    for doc in known.values():
        if doc.required:
            form = ", ".join(
                part for part, n in (("bản chính", doc.originals), ("bản sao", doc.copies)) if n
            )
            rows.append([doc.name, form.capitalize(), str(doc.originals + doc.copies)])
    return rows
