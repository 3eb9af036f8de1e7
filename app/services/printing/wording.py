"""What the printed forms write, and how: their titles and sources, Vietnamese dates as forms
write them, the applicant's name and contacts, the steps of the process-control sheet.

## The forms and where they come from

Circular 01/2018/TT-VPCP (Văn phòng Chính phủ, 23/11/2018; guiding Decree 61/2018/NĐ-CP),
Annex, designed "for electronic means, printed on A5; mẫu số 06 on A4":
  01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả · 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ ·
  03 Phiếu từ chối tiếp nhận giải quyết hồ sơ · 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả ·
  05 Phiếu kiểm soát quá trình giải quyết hồ sơ · 06 Sổ theo dõi hồ sơ
(the list and the paper sizes as trangtinphapluat.com, "Tổng hợp các biểu mẫu trong quy trình
giải quyết thủ tục hành chính", gives them; the circular's text at thuvienphapluat.vn,
van-ban/EN/Bo-may-hanh-chinh/Circular-01-2018-TT-VPCP-implementation-Decree-61-2018-ND-CP).

Circular 03/2025/TT-VPCP (15/9/2025; guiding Decree 118/2025/NĐ-CP, which replaced Decree
61/2018), Annex I, in force from 15/9/2025:
  01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả · 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ ·
  03 Phiếu từ chối tiếp nhận giải quyết hồ sơ · 04 Văn bản xin lỗi và đề nghị gia hạn thời
  gian giải quyết · 05 Thông báo dừng giải quyết hồ sơ · 06 Phiếu kiểm soát quá trình giải
  quyết hồ sơ · 07 Sổ theo dõi hồ sơ
(the list as thuviennhadat.vn, "Tải file word biểu mẫu Thông tư 03/2025/TT-VPCP", gives it;
the circular's preamble at hethongphapluat.com).

**What could not be checked.** No copy of either annex itself was found, only those lists and
the forms as provinces' one-stop systems print them from the 2018 annex (Thanh Hóa's public
service centre for 02 and 03, Đồng Nai and Bình Phước land offices for 01, 04 and 05, found
with the search tool). The items and their order follow those prints; the wording of each
sentence is theirs where they agree, and plain Vietnamese where they differ. The 2025 items
are not known here: the titles of 01–03, the control sheet and the register are the same in
both lists, so the forms keep them; the 2025 mẫu 04 is a different document (an apology with
a request to extend the time), which the workflow's `reschedule` does not model, so the
apology keeps the 2018 title. Check every form against the 2025 annex before relying on it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from app.models.applicant import (
    IndividualApplicantPublic,
    OrganisationApplicantPublic,
    national_phone,
)
from app.models.catalogue import ProcessingTime
from app.models.dossier import DossierEventPublic
from app.models.types import VN_TZ
from app.services.dossiers.workflow import ACTION_LABELS, Action


@dataclass(frozen=True)
class Form:
    title: str
    number_2018: str  # mẫu số in Circular 01/2018/TT-VPCP's annex
    number_2025: str | None  # in Circular 03/2025/TT-VPCP's Annex I, where the title is the same


RECEIPT = Form("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "01", "01")
SUPPLEMENT = Form("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "02", "02")
REFUSAL = Form("Phiếu từ chối tiếp nhận giải quyết hồ sơ", "03", "03")
APOLOGY = Form("Phiếu xin lỗi và hẹn lại ngày trả kết quả", "04", None)
CONTROL = Form("Phiếu kiểm soát quá trình giải quyết hồ sơ", "05", "06")
REGISTER = Form("Sổ theo dõi hồ sơ", "06", "07")

Applicant = IndividualApplicantPublic | OrganisationApplicantPublic
APPLICANT_ACTOR = "applicant"
APPLICANT_LABEL = "Người nộp hồ sơ"
# The applicant's own moves and the registration: no step of the agency's to judge.
APPLICANT_ACTIONS = frozenset({"submit", "supplement", "withdraw"})
STEP_LABELS = {
    "submit": "Nộp hồ sơ trực tuyến",
    "register": "Tiếp nhận hồ sơ tại Bộ phận Một cửa",
    **{action.value: label[0].upper() + label[1:] for action, label in ACTION_LABELS.items()},
}


# -- dates and numbers, as the forms write them ------------------------------------------------


def in_vietnam(moment: datetime) -> datetime:
    """The moment in Vietnam time; a naive moment is UTC, as the database keeps it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VN_TZ)


def long_date(value: datetime | date) -> str:
    """`ngày 04 tháng 12 năm 2026` (a moment's Vietnam date)."""
    day = in_vietnam(value).date() if isinstance(value, datetime) else value
    return f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def long_time(value: datetime) -> str:
    """`09 giờ 30 phút, ngày 04 tháng 12 năm 2026`, Vietnam time."""
    local = in_vietnam(value)
    return f"{local:%H} giờ {local:%M} phút, {long_date(local)}"


def short_date(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def number(value: float) -> str:
    """`5`, `0,5`, `1.000`: the Vietnamese way."""
    whole = int(value)
    text = f"{whole:,}".replace(",", ".")
    if value != whole:
        text += "," + f"{value:.2f}".split(".")[1].rstrip("0")
    return text


def amount(value: int) -> str:
    """`8.000 đồng`."""
    return f"{number(value)} đồng"


def event_note(event: DossierEventPublic) -> str:
    """An event's public note, with the amount of a fee request."""
    if event.amount_vnd is None:
        return event.public_note
    return f"{event.public_note}\nSố tiền phải nộp: {amount(event.amount_vnd)}".strip()


def processing_time(time: ProcessingTime) -> str:
    """`5 ngày làm việc`, `0,5 ngày làm việc`, `4 giờ làm việc`."""
    return f"{number(time.value)} {time.unit.label}"


# -- the applicant -------------------------------------------------------------------------------


def applicant_name(applicant: Applicant) -> str:
    if isinstance(applicant, OrganisationApplicantPublic):
        return applicant.name
    return applicant.full_name


def applicant_lines(applicant: Applicant) -> list[tuple[str, str]]:
    """The applicant's address and contacts as the forms list them, as far as given."""
    lines = []
    if isinstance(applicant, OrganisationApplicantPublic):
        who = applicant.representative
        lines.append(("Người đại diện theo pháp luật", f"{who.full_name} ({who.title})"))
        lines.append(("Mã số thuế", applicant.tax_code))
    if applicant.address:
        lines.append(("Địa chỉ", applicant.address))
    contacts = [f"Số điện thoại: {national_phone(applicant.phone)}"] if applicant.phone else []
    if applicant.email:
        contacts.append(f"Email: {applicant.email}")
    if contacts:
        label, _, value = " – ".join(contacts).partition(": ")
        lines.append((label, value))
    return lines


def address_and_phone(applicant: Applicant) -> str:
    """The register's "Địa chỉ, số điện thoại" cell."""
    parts = [applicant.address or "", national_phone(applicant.phone) if applicant.phone else ""]
    return "; ".join(p for p in parts if p)


# -- events ------------------------------------------------------------------------------------


def latest(events: Iterable[DossierEventPublic], action: Action) -> DossierEventPublic | None:
    """The last event of `action` (events come in the order they happened)."""
    found = None
    for event in events:
        if event.action == action.value:
            found = event
    return found


def actor_name(actor: str, names: Mapping[str, str]) -> str:
    """Who made a move: the name the caller knows for the actor (`officer:lan` → its full
    name), else the account's username; the applicant as "Người nộp hồ sơ"."""
    if actor == APPLICANT_ACTOR:
        return APPLICANT_LABEL
    return names.get(actor) or actor.removeprefix("officer:")


def step_label(action: str) -> str:
    return STEP_LABELS.get(action, action)


def judged(at: datetime, due_at: datetime) -> str:
    """A step against the due moment: "Trước hạn" on a Vietnam date before the due date (the
    national portals' "trước hạn", as the statistics count early), "Đúng hạn" by the due
    moment, "Quá hạn" after it."""
    if at > due_at:
        return "Quá hạn"
    if in_vietnam(at).date() < in_vietnam(due_at).date():
        return "Trước hạn"
    return "Đúng hạn"
