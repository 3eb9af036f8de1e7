"""An officer registers a dossier handed in at the desk (issue 16), in Chromium against the live
server with the sample catalogue: signs in through the form, chooses the procedure, fills the
generated form with the scanned papers, and prints the receipt for the applicant. What the
pages show is checked against the API; axe finds no serious or critical violation."""

import re
import uuid
from datetime import datetime

from playwright.sync_api import FilePayload, Page, expect

from app.models.officer import OfficerCreate, Role
from app.services.officers import create_officer
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveApp
from tests.browser.dossiers import (
    AGENCY,
    APPLICANT,
    APPLICATION,
    FORM,
    HEALTH,
    PASSWORD,
    PROCEDURE,
    pdf,
    public_view,
    sample_procedure,
)
from tests.browser.screenshots import save_screenshot

OFFICER_NAME = "Hoàng Văn Minh"
REGISTER = "Tiếp nhận hồ sơ"


def a_pdf(name: str, text: str) -> FilePayload:
    return FilePayload(name=name, mimeType="application/pdf", buffer=pdf(text))


def test_an_officer_registers_a_counter_dossier_and_prints_its_receipt(
    page: Page, live_app: LiveApp, page_problems: list[str]
) -> None:
    base = live_app.url
    username = f"tiepnhan-{uuid.uuid4().hex[:8]}"
    account = OfficerCreate(
        username=username,
        full_name=OFFICER_NAME,
        password=PASSWORD,
        agency_code=AGENCY,
        role=Role.officer,
    )
    create_officer(live_app.engine, account)
    procedure = sample_procedure()

    # Not signed in: the sign-in form, which brings the officer back.
    page.goto(f"{base}/can-bo/tiep-nhan")
    page.wait_for_url(re.compile(r"/can-bo/\?next="))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/can-bo/tiep-nhan")

    # The agency's procedures, searched by name without diacritics.
    search = page.locator("form[role=search] input[name=q]")
    search.fill("cap lai giay phep lai xe")
    search.press("Enter")
    page.wait_for_url(re.compile(r"[?&]q=cap"))
    page.locator(f"a[data-procedure-code='{PROCEDURE}']").click()
    page.wait_for_url(f"{base}/can-bo/tiep-nhan/{PROCEDURE}")
    expect(page.locator(".lead")).to_contain_text(procedure["name"])

    # The form: counter by default; the applicant and the form as typed from the papers.
    expect(page.get_by_label("Trực tiếp tại Bộ phận Tiếp nhận và Trả kết quả")).to_be_checked()
    for key, value in APPLICANT.items():
        page.fill(f"[name='applicant.individual.{key}']", value)
    for key in ("ho_ten", "ngay_sinh", "so_dinh_danh", "so_giay_phep_lai_xe"):
        page.fill(f"[name='form.{key}']", FORM[key])
    page.select_option("[name='form.hang']", FORM["hang"])
    expect(page.locator("[data-documents-hint]")).to_contain_text("bắt buộc")
    assert_accessible(page)
    save_screenshot(page, "officer-register")

    # The health certificate left on paper: a required document, so the API refuses it.
    application = page.locator(f"input[type=file][name={APPLICATION}]")
    health = page.locator(f"input[type=file][name={HEALTH}]")
    application.set_input_files(a_pdf("don-de-nghi.pdf", "DON DE NGHI"))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name=REGISTER, exact=True).click()
    assert posted.value.status == 422
    expect(health).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-error-summary]")).to_contain_text("Thiếu thành phần hồ sơ")
    expect(page.locator("[name='form.ho_ten']")).to_have_value(FORM["ho_ten"])
    assert_accessible(page)

    # Both scans: registered.
    application.set_input_files(a_pdf("don-de-nghi.pdf", "DON DE NGHI"))
    health.set_input_files(a_pdf("giay-kham.pdf", "GIAY KHAM SUC KHOE"))
    page.get_by_role("button", name=REGISTER, exact=True).click()
    page.wait_for_url(re.compile(r"/bien-nhan/"))

    # The receipt: the code, the appointment, the signatures and the applicant's private link.
    code = page.locator("[data-dossier-code]").get_attribute("data-dossier-code") or ""
    assert re.fullmatch(rf"{re.escape(AGENCY)}-\d{{6}}-\d{{4}}", code), code
    assert page.url == f"{base}/can-bo/tiep-nhan/{PROCEDURE}/bien-nhan/{code}"
    private = page.locator("a[data-private-link]").get_attribute("href") or ""
    assert re.fullmatch(rf"{re.escape(base)}/ho-so/{re.escape(code)}\?token=[^&\s]+", private)
    expect(page.locator("[data-qr] > svg")).to_have_count(1)
    signatures = page.locator("[data-signatures]")
    expect(signatures).to_contain_text("NGƯỜI NỘP HỒ SƠ")
    expect(signatures).to_contain_text("NGƯỜI TIẾP NHẬN HỒ SƠ")
    expect(page.locator("[data-officer-name]")).to_have_text(OFFICER_NAME)
    expect(page.locator(f"[data-officer='{username}']")).to_be_visible()
    due = page.locator("[data-due-at]").get_attribute("data-due-at") or ""
    assert_accessible(page)
    save_screenshot(page, "officer-register-receipt")

    # The API: a counter dossier, received at once, with the appointment the receipt shows.
    view = public_view(base, code)
    assert (view["status"], view["channel"]) == ("accepted", "counter")
    assert view["received_at"] == view["submitted_at"]
    assert datetime.fromisoformat(view["due_at"]) == datetime.fromisoformat(due)
    assert page_problems == []
