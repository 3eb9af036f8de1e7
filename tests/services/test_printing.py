"""The printed forms (app/services/printing): each PDF built from a real dossier moved through
the workflow, its text read back with pypdf; the register read back with openpyxl."""

import io
import json
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
import segno
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import ContentStream
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.errors import NothingToPrint
from app.models.catalogue import Procedure
from app.models.dossier import OfficerDossierView
from app.models.officer import Principal, Role
from app.models.types import VN_TZ
from app.services import printing
from app.services.dossiers.submission import Intake, submit_dossier
from app.services.dossiers.tracking import get_dossier, officer_view
from app.services.dossiers.workflow import Action, Actor, Request, apply_action
from app.services.printing import wording
from tests.factories import (
    APPLICANT,
    NOTE,
    PROVINCE,
    make_agency,
    make_dossier,
    make_online_procedure,
    move,
    submission,
)
from tests.memory_storage import MemoryStorage

OFFICER = "Trần Văn Lan"
AGENCY = "Ủy ban nhân dân tỉnh"
PROCEDURE = "Đăng ký khai sinh"
URL = "https://dvc.example.vn/tra-cuu/"
LAN = Principal(username="lan", role=Role.officer, agency_code=PROVINCE, issuer="tests")


def vn(day: int, hour: int = 9, minute: int = 30) -> datetime:
    """A moment of December 2026, Vietnam time (4 December is a Friday)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=VN_TZ)


RECEIVED = vn(4)  # Friday 09:30; 5 working days: due Friday 11 December at 17:00
RECEIVED_TEXT = "09 giờ 30 phút, ngày 04 tháng 12 năm 2026"
DUE_TEXT = "17 giờ 00 phút, ngày 11 tháng 12 năm 2026"


def text_of(pdf: bytes) -> str:
    """All pages' text, whitespace runs as single spaces (a line may wrap anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def view_of(engine: Engine, code: str, now: datetime) -> tuple[OfficerDossierView, Procedure]:
    with Session(engine) as session:
        dossier = get_dossier(session, code)
        view = officer_view(session, dossier, now)
        procedure = session.get_one(Procedure, dossier.procedure_code)
    return view, procedure


def desk_dossier(engine: Engine, now: datetime, applicant: dict[str, Any] | None = None) -> str:
    """A dossier registered at the counter by `lan` (accepted on registration)."""
    storage = MemoryStorage()
    desk = submission(storage)
    desk.fields["channel"] = "counter"
    if applicant is not None:
        desk.fields["applicant"] = json.dumps(applicant)
    settings = Settings(_env_file=None)
    created = submit_dossier(engine, storage, settings, desk, None, now, Intake(officer=LAN))
    return created.created.code


def reschedule(engine: Engine, code: str, due_at: datetime, now: datetime, why: str) -> None:
    request = Request(Action.reschedule, None, public_note=why, due_at=due_at)
    apply_action(engine, code, Actor.of(LAN), request, now)


def assert_names_the_dossier(text: str, code: str, name: str = APPLICANT["full_name"]) -> None:
    assert code in text
    assert name in text
    assert PROCEDURE in text
    assert AGENCY in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


# -- mẫu số 01 -----------------------------------------------------------------------------------


def test_the_receipt_of_an_accepted_online_dossier(engine: Engine) -> None:
    made = make_dossier(engine, "accepted", now=RECEIVED)
    view, procedure = view_of(engine, made.code, RECEIVED)
    pdf = printing.receipt_pdf(
        view, procedure, officer=OFFICER, tracking_url=URL + made.code, now=RECEIVED
    )
    text = text_of(pdf)
    assert_names_the_dossier(text, made.code)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Ngày 04 tháng 12 năm 2026" in text
    for item in (
        "1. Thành phần hồ sơ nộp gồm:",
        "1 Tờ khai đăng ký khai sinh Bản điện tử 1 tệp",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 5 ngày làm việc",
        f"4. Thời gian nhận hồ sơ: {RECEIVED_TEXT}",
        f"5. Thời gian trả kết quả giải quyết hồ sơ: {DUE_TEXT}",
    ):
        assert item in text
    assert text.index("1. Thành phần") < text.index("2. Số lượng") < text.index("5. Thời gian")
    assert "Số 5 đường Nguyễn Trãi" in text and "0912 345 678" in text
    assert URL + made.code in text
    # Online: the officer signs alone; nobody handed the dossier in at a desk.
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and OFFICER in text
    assert "NGƯỜI NỘP HỒ SƠ" not in text
    assert pages(pdf) == 1


def test_a_desk_receipt_has_both_signatures_and_the_private_link(engine: Engine) -> None:
    make_online_procedure_once(engine)
    code = desk_dossier(engine, RECEIVED)
    view, procedure = view_of(engine, code, RECEIVED)
    link = f"https://dvc.example.vn/ho-so/{code}?token=bi-mat"
    pdf = printing.receipt_pdf(
        view,
        procedure,
        officer=OFFICER,
        tracking_url=URL + code,
        now=RECEIVED,
        private_link=link,
    )
    text = text_of(pdf)
    assert_names_the_dossier(text, code)
    assert f"4. Thời gian nhận hồ sơ: {RECEIVED_TEXT}" in text
    assert f"5. Thời gian trả kết quả giải quyết hồ sơ: {DUE_TEXT}" in text
    assert text.index("NGƯỜI NỘP HỒ SƠ") < text.index("NGƯỜI TIẾP NHẬN HỒ SƠ")
    assert text.count("(Ký và ghi rõ họ tên)") == 2
    assert text.rindex(APPLICANT["full_name"]) > text.index("NGƯỜI NỘP HỒ SƠ")
    assert link in "".join(text.split())  # a long address wraps
    assert pages(pdf) == 1


def make_online_procedure_once(engine: Engine) -> None:
    with Session(engine) as session:
        make_online_procedure(session)


def test_the_receipt_draws_the_tracking_qr_code_as_vector_squares(engine: Engine) -> None:
    """The squares on the page are segno's matrix of the tracking link, and the square links
    to it."""
    made = make_dossier(engine, "accepted", now=RECEIVED)
    view, procedure = view_of(engine, made.code, RECEIVED)
    url = URL + made.code
    pdf = printing.receipt_pdf(view, procedure, officer=OFFICER, tracking_url=url, now=RECEIVED)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert drawn_matrix(page) == [list(row) for row in segno.make(url, error="m").matrix]
    uris = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]
    assert url in uris


def drawn_matrix(page: Any) -> list[list[int]]:
    """The QR code rebuilt from the filled rectangles ("re … f") of the page: one run of dark
    modules per rectangle, all of the module's height."""
    rects: list[tuple[float, float, float, float]] = []
    filled: list[tuple[float, float, float, float]] = []
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"re":
            x, y, width, height = (float(v) for v in operands)
            # (left, bottom, width, height): fpdf2 writes heights downwards, negative.
            rects.append((x, min(y, y + height), width, abs(height)))
        elif operator in (b"f", b"F", b"f*"):
            filled += rects
            rects = []
        elif operator in (b"S", b"n", b"B"):
            rects = []
    module = min(height for *_, height in filled)
    squares = [r for r in filled if abs(r[3] - module) < 1e-3]
    left = min(x for x, *_ in squares)
    top = max(bottom + height for _x, bottom, _w, height in squares)
    size = round((max(x + width for x, _b, width, _h in squares) - left) / module)
    matrix = [[0] * size for _ in range(size)]
    for x, bottom, width, height in squares:
        row, start = round((top - bottom - height) / module), round((x - left) / module)
        for col in range(start, start + round(width / module)):
            matrix[row][col] = 1
    return matrix


def test_no_receipt_before_the_dossier_is_received(engine: Engine) -> None:
    made = make_dossier(engine, "new", now=RECEIVED)
    view, procedure = view_of(engine, made.code, RECEIVED)
    with pytest.raises(NothingToPrint) as refused:
        printing.receipt_pdf(view, procedure, officer=OFFICER, tracking_url=URL, now=RECEIVED)
    assert refused.value.status == 409 and refused.value.code == "nothing_to_print"


# -- mẫu số 02, 03, 04 ---------------------------------------------------------------------------


def test_the_supplement_request_lists_the_documents_asked_and_why(engine: Engine) -> None:
    made = make_dossier(engine, "processing", now=RECEIVED)
    asked = vn(8, 14, 5)
    move(engine, made.code, "request_supplement", now=asked, public_note="Ảnh bị mờ, chụp lại.")
    view, procedure = view_of(engine, made.code, asked)
    pdf = printing.supplement_request_pdf(view, procedure, officer=OFFICER, now=asked)
    text = text_of(pdf)
    assert_names_the_dossier(text, made.code)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Ngày 08 tháng 12 năm 2026" in text
    # Each document asked for, with the originals and copies the procedure sets.
    assert "1 Tờ khai đăng ký khai sinh 1 0" in text
    assert "2 Ảnh chụp giấy chứng sinh 1 0" in text
    assert "Lý do: Ảnh bị mờ, chụp lại." in text
    assert "NGƯỜI HƯỚNG DẪN" in text and OFFICER in text
    assert pages(pdf) == 1


def test_the_refusal_gives_its_reason(engine: Engine) -> None:
    made = make_dossier(engine, "refused", now=RECEIVED)
    view, _procedure = view_of(engine, made.code, RECEIVED)
    pdf = printing.refusal_pdf(view, officer=OFFICER, now=RECEIVED)
    text = text_of(pdf)
    assert_names_the_dossier(text, made.code)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Ngày 04 tháng 12 năm 2026" in text
    assert f"với lý do cụ thể như sau: {NOTE}" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and OFFICER in text
    assert pages(pdf) == 1


def test_forms_without_their_event_are_not_printed(engine: Engine) -> None:
    made = make_dossier(engine, "accepted", now=RECEIVED)
    view, procedure = view_of(engine, made.code, RECEIVED)
    with pytest.raises(NothingToPrint):
        printing.refusal_pdf(view, officer=OFFICER, now=RECEIVED)
    with pytest.raises(NothingToPrint):
        printing.apology_pdf(view, officer=OFFICER, now=RECEIVED)
    with pytest.raises(NothingToPrint):
        printing.supplement_request_pdf(view, procedure, officer=OFFICER, now=RECEIVED)


def test_the_apology_gives_the_old_and_the_new_appointment(engine: Engine) -> None:
    made = make_dossier(engine, "processing", now=RECEIVED)
    reschedule(engine, made.code, vn(18, 16, 0), vn(10, 10, 0), "Cần xác minh thực địa.")
    view, _procedure = view_of(engine, made.code, vn(10, 11))
    pdf = printing.apology_pdf(view, officer=OFFICER, now=vn(10, 11))
    text = text_of(pdf)
    assert_names_the_dossier(text, made.code)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert f"Kính gửi: {APPLICANT['full_name']}" in text
    assert "Ngày 10 tháng 12 năm 2026" in text  # the apology's date
    assert "Ngày 04 tháng 12 năm 2026, Bộ phận tiếp nhận" in text  # received
    assert f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {DUE_TEXT}" in text
    assert "Lý do: Cần xác minh thực địa." in text
    assert "Thời gian hẹn trả kết quả mới: 16 giờ 00 phút, ngày 18 tháng 12 năm 2026" in text
    assert pages(pdf) == 1


def test_a_second_apology_replaces_the_first_appointment(engine: Engine) -> None:
    made = make_dossier(engine, "processing", now=RECEIVED)
    reschedule(engine, made.code, vn(18, 16, 0), vn(10, 10, 0), "Lần một.")
    reschedule(engine, made.code, vn(23, 10, 0), vn(17, 10, 0), "Lần hai.")
    view, _procedure = view_of(engine, made.code, vn(17, 11))
    text = text_of(printing.apology_pdf(view, officer=OFFICER, now=vn(17, 11)))
    assert "hồ sơ: 16 giờ 00 phút, ngày 18 tháng 12 năm 2026" in text
    assert "mới: 10 giờ 00 phút, ngày 23 tháng 12 năm 2026" in text
    assert "Lý do: Lần hai." in text
    first = next(e for e in view.events if e.action == Action.reschedule.value)
    text = text_of(printing.apology_pdf(view, officer=OFFICER, now=vn(17, 11), event=first))
    assert f"hồ sơ: {DUE_TEXT}" in text and "Lý do: Lần một." in text


# -- mẫu số 05 (2018) / 06 (2025) ----------------------------------------------------------------


def test_the_control_sheet_lists_every_step_who_when_and_whether_on_time(engine: Engine) -> None:
    made = make_dossier(engine, "accepted", now=RECEIVED)
    move(engine, made.code, "start_processing", now=vn(7, 8, 0))
    move(engine, made.code, "complete", now=vn(11, 16, 0))  # the due day, before 17:00
    move(engine, made.code, "return_result", now=vn(14, 10, 15))  # after the due moment
    view, _procedure = view_of(engine, made.code, vn(14, 11))
    pdf = printing.control_sheet_pdf(view, now=vn(14, 11), names={"officer:lan": OFFICER})
    text = text_of(pdf)
    assert_names_the_dossier(text, made.code)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert f"Thời gian nhận hồ sơ: {RECEIVED_TEXT}" in text
    assert f"Thời gian hẹn trả kết quả: {DUE_TEXT}" in text
    steps = [
        "Nộp hồ sơ trực tuyến",
        "Tiếp nhận hồ sơ",
        "Chuyển xử lý hồ sơ",
        "Hoàn thành xử lý hồ sơ",
        "Trả kết quả",
    ]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions)
    for moment in ("08 giờ 00 phút, ngày 07 tháng 12 năm 2026", "10 giờ 15 phút, ngày 14"):
        assert moment in text
    assert text.count(OFFICER) == 4 and "Người nộp hồ sơ" in text
    # Submission and acceptance are before the clock; then early, on the due day, late.
    judged = re.findall(r"Trước hạn|Đúng hạn|Quá hạn", text.split("Ghi chú", 1)[1])
    assert judged == ["Trước hạn", "Đúng hạn", "Quá hạn"]
    assert "Trạng thái hiện tại: Đã trả kết quả" in text


def test_the_control_sheet_writes_the_amount_of_a_fee_request(engine: Engine) -> None:
    made = make_dossier(engine, "accepted", now=RECEIVED)
    move(engine, made.code, "request_fee", now=vn(7, 8, 0), amount_vnd=1_250_000)
    move(engine, made.code, "confirm_fee", now=vn(8, 8, 0))
    view, _procedure = view_of(engine, made.code, vn(8, 9))
    text = text_of(printing.control_sheet_pdf(view, now=vn(8, 9), names={}))
    assert "Số tiền phải nộp: 1.250.000 đồng" in text
    assert text.count("Số tiền phải nộp") == 1  # the fee request's row alone


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (datetime(2026, 12, 4, 2, 30, tzinfo=UTC), "09 giờ 30 phút, ngày 04 tháng 12 năm 2026"),
        # 17:05 UTC on 31 December is 00:05 on 1 January in Vietnam.
        (datetime(2026, 12, 31, 17, 5, tzinfo=UTC), "00 giờ 05 phút, ngày 01 tháng 01 năm 2027"),
        (datetime(2026, 12, 31, 17, 5), "00 giờ 05 phút, ngày 01 tháng 01 năm 2027"),  # naive UTC
    ],
)
def test_moments_are_written_as_the_forms_write_them(moment: datetime, written: str) -> None:
    assert wording.long_time(moment) == written
    assert wording.long_date(date(2026, 3, 5)) == "ngày 05 tháng 03 năm 2026"


# -- any Unicode ---------------------------------------------------------------------------------

HOSTILE = "Nguyễn Thị Ỷ <b>&amp;</b> & 😀 Đặng Quốc Bảo"
# Controls and format characters are not printed; a character without a glyph is U+FFFD.
TYPED = (
    unicodedata.normalize("NFD", "Nguyễn Thị Ỷ") + " <b>&amp;</b> &\u202e\u0007 😀 Đặng Quốc Bảo"
)
NO_GLYPH = "Phạm 🦄"
FORMS: dict[str, Callable[[OfficerDossierView, Procedure], bytes]] = {
    "receipt": lambda v, p: printing.receipt_pdf(
        v, p, officer=HOSTILE, tracking_url=URL + v.code, now=RECEIVED
    ),
    "supplement": lambda v, p: printing.supplement_request_pdf(v, p, officer=HOSTILE, now=RECEIVED),
    "control": lambda v, _p: printing.control_sheet_pdf(v, now=RECEIVED),
}


@pytest.mark.parametrize("form", FORMS)
def test_any_unicode_name_prints_and_reads_back(engine: Engine, form: str) -> None:
    """Typed decomposed, with markup, a right-to-left override, a bell and an emoji: the name
    reads back composed, as typed less the controls; the reason too."""
    make_online_procedure_once(engine)
    code = desk_dossier(engine, RECEIVED, {**APPLICANT, "full_name": TYPED, "address": NO_GLYPH})
    move(engine, code, "request_supplement", now=RECEIVED, public_note=TYPED)
    view, procedure = view_of(engine, code, RECEIVED)
    text = text_of(FORMS[form](view, procedure))
    assert text.count(HOSTILE) >= 2  # the name, and the officer's name or the reason
    assert code in text
    if form != "control":
        assert "Địa chỉ: Phạm \ufffd" in text  # the unicorn has no glyph in DejaVu Sans


def test_any_unicode_in_the_apology_and_the_refusal(engine: Engine) -> None:
    make_online_procedure_once(engine)
    code = desk_dossier(engine, RECEIVED, {**APPLICANT, "full_name": TYPED})
    reschedule(engine, code, vn(18, 16, 0), vn(10, 10, 0), TYPED)
    view, _procedure = view_of(engine, code, vn(10, 11))
    text = text_of(printing.apology_pdf(view, officer=HOSTILE, now=vn(10, 11)))
    assert f"Kính gửi: {HOSTILE}" in text and f"Lý do: {HOSTILE}" in text
    refused = make_dossier(engine, "refused", road=["refuse"], now=RECEIVED)
    view, _procedure = view_of(engine, refused.code, RECEIVED)
    text = text_of(printing.refusal_pdf(view, officer=HOSTILE, now=RECEIVED))
    assert HOSTILE in text


def test_a_very_long_name_without_spaces_wraps(engine: Engine) -> None:
    make_online_procedure_once(engine)
    code = desk_dossier(engine, RECEIVED, {**APPLICANT, "full_name": "Ỷ" * 200})
    view, procedure = view_of(engine, code, RECEIVED)
    pdf = FORMS["receipt"](view, procedure)
    assert "Ỷ" * 200 in "".join(text_of(pdf).split())
    assert pages(pdf) == 1


# -- mẫu số 06 (2018) / 07 (2025) ----------------------------------------------------------------


def test_the_register_has_one_row_per_dossier_received_in_the_period(engine: Engine) -> None:
    with Session(engine) as session:
        make_online_procedure(session, name='=HYPERLINK("http://x") Đăng ký khai sinh')
        make_agency(session, "000.00.01.H20", "Sở Tư pháp")
    early = make_dossier(engine, "accepted", now=vn(3))  # received before the period
    online = make_dossier(engine, "accepted", now=RECEIVED)
    desk = desk_dossier(engine, vn(7, 14, 0))
    make_dossier(engine, "new", now=vn(8))  # submitted, never received
    move(engine, online.code, "start_processing", now=vn(7, 8, 0))
    move(engine, online.code, "complete", now=vn(14, 9, 0))  # after the due moment
    move(engine, online.code, "return_result", now=vn(14, 15, 45))
    now = vn(16)
    with Session(engine) as session:
        entries = printing.read_register(
            session, PROVINCE, date(2026, 12, 4), date(2026, 12, 10), now
        )
        assert (
            printing.read_register(
                session, "000.00.01.H20", date(2026, 12, 1), date(2026, 12, 31), now
            )
            == []
        )
    book = load_workbook(
        io.BytesIO(printing.register_xlsx(entries, AGENCY, date(2026, 12, 4), date(2026, 12, 10)))
    )
    sheet = book.active
    assert sheet is not None
    assert sheet["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["A2"].value == AGENCY
    assert sheet["A3"].value == "Từ ngày 04/12/2026 đến ngày 10/12/2026"
    headings = [c.value for c in sheet[printing.REGISTER_HEADINGS_ROW]]
    assert headings == [heading for _key, heading in printing.REGISTER_COLUMNS]
    rows = [
        dict(zip([k for k, _ in printing.REGISTER_COLUMNS], row, strict=True))
        for row in sheet.iter_rows(min_row=printing.REGISTER_FIRST_ROW, values_only=True)
    ]
    assert [r["code"] for r in rows] == [online.code, desk]
    assert early.code not in [r["code"] for r in rows]
    first, second = rows
    assert first["number"] == 1 and second["number"] == 2
    assert first["procedure"] == '=HYPERLINK("http://x") Đăng ký khai sinh'
    assert sheet.cell(printing.REGISTER_FIRST_ROW, 3).data_type == "s"  # text, not a formula
    assert first["sets"] == 1
    assert first["applicant"] == APPLICANT["full_name"]
    assert first["address_phone"] == f"{APPLICANT['address']}; 0912 345 678"
    assert first["agency"] == AGENCY
    assert first["received_at"] == datetime(2026, 12, 4, 9, 30)  # Vietnam time
    assert first["due_at"] == datetime(2026, 12, 11, 17, 0)
    assert first["returned_at"] == datetime(2026, 12, 14, 15, 45)
    assert first["channel"] == "Trực tuyến" and second["channel"] == "Trực tiếp"
    assert first["status"] == "Đã trả kết quả" and second["status"] == "Được tiếp nhận"
    assert first["note"] == "Trễ hạn"
    assert second["received_at"] == datetime(2026, 12, 7, 14, 0)
    assert second["returned_at"] is None and second["signature"] is None
    assert second["note"] == "Quá hạn"  # due Monday 14 December at 17:00, in progress on the 16th
