"""A citizen's journeys through the pages, in Chromium against the live server with the sample
catalogue (issue 15): find a procedure, submit a dossier, track it; supplement it when an
officer asks. Each step is what a person sees and clicks, and what the pages show is checked
against the API."""

import re
from datetime import datetime

import httpx
from playwright.sync_api import FilePayload, Locator, Page, expect

from app.web.i18n import translate
from tests.browser.conftest import LiveApp
from tests.browser.dossiers import (
    AGENCY,
    APPLICANT,
    APPLICATION,
    FORM,
    HEALTH,
    PROCEDURE,
    SUPPLEMENT_NOTE,
    ask_for_supplement,
    pdf,
    public_view,
    sample_procedure,
    submit_by_api,
)
from tests.factories import PNG_BYTES

SEARCHED = "cap lai giay phep lai xe"  # "Cấp lại giấy phép lái xe", typed without diacritics
SUBMIT = "Nộp hồ sơ"


def described_by(page: Page, control: Locator) -> str:
    """The text of the elements the control's aria-describedby names: what a screen reader
    reads after the control's label."""
    ids = (control.get_attribute("aria-describedby") or "").split()
    assert ids, "the control has no aria-describedby"
    return " ".join(page.locator(f"[id='{i}']").inner_text() for i in ids)


def a_pdf(name: str, text: str) -> FilePayload:
    return FilePayload(name=name, mimeType="application/pdf", buffer=pdf(text))


def fill_submission(page: Page) -> None:
    """The applicant block and the generated form, as a person types them."""
    for key, value in APPLICANT.items():
        page.fill(f"[name='applicant.individual.{key}']", value)
    for key in ("ho_ten", "ngay_sinh", "so_dinh_danh", "so_giay_phep_lai_xe"):
        page.fill(f"[name='form.{key}']", FORM[key])
    page.select_option("[name='form.hang']", FORM["hang"])


def test_a_citizen_finds_a_procedure_submits_online_and_tracks_the_dossier(
    page: Page, live_server: str, page_problems: list[str]
) -> None:
    procedure = sample_procedure()
    assert procedure["level"] in (3, 4)
    assert all("application/pdf" in d["accepted_types"] for d in procedure["required_documents"])

    # The search, typed without diacritics; the result among the search's own (not the list
    # of online services below it).
    page.goto(f"{live_server}/")
    search = page.locator("form[role=search] input[name=q]")
    search.fill(SEARCHED)
    search.press("Enter")
    page.wait_for_url(re.compile(r"[?&]q=cap"))
    result = page.locator(f"ol:not([data-list]) a[data-procedure-code='{PROCEDURE}']")
    expect(result).to_have_text(procedure["name"])
    result.click()

    # The procedure page, then its submission form.
    page.wait_for_url(f"{live_server}/thu-tuc/{PROCEDURE}")
    expect(page.locator("h1")).to_have_text(procedure["name"])
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(f"{live_server}/thu-tuc/{PROCEDURE}/nop-ho-so")

    # A PNG named .pdf: the server judges the content and refuses it next to its input.
    fill_submission(page)
    application = page.locator(f"input[type=file][name={APPLICATION}]")
    health = page.locator(f"input[type=file][name={HEALTH}]")
    application.set_input_files(
        FilePayload(name="don-de-nghi.pdf", mimeType="application/pdf", buffer=PNG_BYTES)
    )
    health.set_input_files(a_pdf("giay-kham.pdf", "GIAY KHAM"))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name=SUBMIT, exact=True).click()
    assert posted.value.status == 415
    expect(application).to_have_attribute("aria-invalid", "true")
    assert "chỉ nhận tệp PDF, Word (DOCX)" in described_by(page, application)
    assert health.get_attribute("aria-invalid") is None
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("không thuộc loại được chấp nhận")
    # The values are kept, the files are not: the page asks for them again.
    expect(page.locator("[name='form.ho_ten']")).to_have_value(FORM["ho_ten"])
    expect(page.locator("[name='applicant.individual.phone']")).to_have_value(APPLICANT["phone"])
    expect(page.locator("[data-files-again]")).to_be_visible()

    # Real PDFs this time.
    application.set_input_files(a_pdf("don-de-nghi.pdf", "DON DE NGHI"))
    health.set_input_files(a_pdf("giay-kham.pdf", "GIAY KHAM"))
    page.get_by_role("button", name=SUBMIT, exact=True).click()
    page.wait_for_url(re.compile(r"/nop-ho-so/bien-nhan/"))

    # The receipt.
    code = page.locator("[data-dossier-code]").get_attribute("data-dossier-code") or ""
    assert re.fullmatch(rf"{re.escape(AGENCY)}-\d{{6}}-\d{{4}}", code), code
    assert page.url == f"{live_server}/thu-tuc/{PROCEDURE}/nop-ho-so/bien-nhan/{code}"
    due = page.locator("[data-due-at]").get_attribute("data-due-at") or ""
    due_at = datetime.fromisoformat(due)
    qr = page.locator("[data-qr] > svg")
    expect(qr).to_have_count(1)
    expect(qr.locator("title")).to_have_text(f"{live_server}/tra-cuu/{code}")  # what it encodes
    private = page.locator("a[data-private-link]").get_attribute("href") or ""
    link = rf"{re.escape(live_server)}/ho-so/{re.escape(code)}\?token=[^&\s]+"
    assert re.fullmatch(link, private), private

    # The API has the dossier, just submitted online, due after its submission.
    view = public_view(live_server, code)
    assert (view["code"], view["status"], view["channel"]) == (code, "new", "online")
    assert view["procedure"] == {"code": PROCEDURE, "name": procedure["name"]}
    assert due_at > datetime.fromisoformat(view["submitted_at"])

    # Tracking, the code typed as people do: with spaces around it and in lower case.
    page.get_by_role("link", name="Tra cứu hồ sơ").click()
    page.wait_for_url(f"{live_server}/tra-cuu")
    page.fill("input[name=code]", f"  {code.lower()}  ")
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_url(f"{live_server}/tra-cuu/{code}")
    expect(page.locator("[data-dossier-code]")).to_have_attribute("data-dossier-code", code)
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "new")
    expect(page.locator("[data-timeliness]")).to_have_attribute("data-timeliness", "not_received")
    events = page.locator("li[data-event]")
    assert events.count() >= 1
    shown = [e.get_attribute("data-event") for e in events.all()]
    assert shown == [entry["status"] for entry in view["history"]] == ["new"]
    assert page_problems == []


def test_the_applicant_supplements_through_the_private_link(
    page: Page, live_app: LiveApp, page_problems: list[str]
) -> None:
    base = live_app.url
    made = submit_by_api(base)
    ask_for_supplement(live_app, made.code, [HEALTH])  # of its two documents, one

    page.goto(f"{base}{made.private_link}")
    page.wait_for_url(f"{base}/ho-so/{made.code}")  # the token gone from the address
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "supplement_requested")
    expect(page.locator("li[data-event='supplement_requested']")).to_contain_text(SUPPLEMENT_NOTE)
    form = page.locator("[data-form=supplement]")
    inputs = form.locator("input[type=file]")
    assert [i.get_attribute("name") for i in inputs.all()] == [HEALTH]
    documents = {d["key"]: d for d in sample_procedure()["required_documents"]}
    requested = form.get_by_label(documents[HEALTH]["name"])
    assert requested.get_attribute("name") == HEALTH
    assert requested.get_attribute("accept") == "application/pdf"

    requested.set_input_files(a_pdf("giay-kham-moi.pdf", "GIAY KHAM SUC KHOE MOI"))
    form.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    page.wait_for_url(f"{base}/ho-so/{made.code}?done=supplement")
    expect(page.get_by_role("status")).to_have_text(translate("vi", "supplement_sent"))
    expect(page.locator("[data-form=supplement]")).to_have_count(0)

    # Back to where it was when the supplement was asked (DOMAIN.md §4): accepted.
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "accepted")
    view = public_view(base, made.code)
    assert view["status"] == "accepted"
    history = ["new", "accepted", "supplement_requested", "accepted"]
    assert [e["status"] for e in view["history"]] == history
    details = httpx.get(
        f"{base}/api/v1/dossiers/{made.code}/details",
        headers={"Authorization": f"Bearer {made.access_token}"},
    ).json()
    assert details["requested_documents"] == []
    sent = [(d["key"], d["filename"]) for d in details["documents"]]
    assert sent == [
        (APPLICATION, "don-de-nghi.pdf"),
        (HEALTH, "giay-kham.pdf"),
        (HEALTH, "giay-kham-moi.pdf"),
    ]
    assert page_problems == []
