"""An officer's day with one dossier, in Chromium against the live server with the sample
catalogue (issue 16): sign in through the form, open a new online dossier and see its PDF,
accept it and print its receipt (the PDF's text checked), ask for one document again, and
after the citizen supplements it through the private link, process, complete with an
electronic result and return it; the public tracking page shows each step. A second officer
acting on a page gone stale is told so, and nothing of theirs is applied. What the pages show
is checked against the API."""

import io
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect
from pypdf import PdfReader

from app.models.officer import OfficerCreate, Role
from app.services.officers import create_officer
from app.web.i18n import translate
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveApp
from tests.browser.dossiers import (
    AGENCY,
    APPLICANT,
    APPLICATION,
    HEALTH,
    PASSWORD,
    SUPPLEMENT_NOTE,
    Submitted,
    pdf,
    public_view,
    sample_procedure,
    submit_by_api,
)
from tests.browser.screenshots import save_screenshot

CONFLICT = "Hồ sơ vừa được người khác cập nhật"
RESULT_NOTE = "Đã cấp lại giấy phép lái xe hạng B."


def an_officer(live: LiveApp) -> str:
    """A new account of the dossiers' agency, as an administrator makes it: its username."""
    username = f"canbo-{uuid.uuid4().hex[:8]}"
    data = OfficerCreate(
        username=username, password=PASSWORD, agency_code=AGENCY, role=Role.officer
    )
    create_officer(live.engine, data)
    return username


def sign_in(page: Page, username: str) -> None:
    """The sign-in form the page sent the browser to; it brings the officer back."""
    expect(page.locator("input[name=username]")).to_be_visible()
    page.get_by_label(translate("vi", "officer_username")).fill(username)
    page.get_by_label(translate("vi", "officer_password")).fill(PASSWORD)
    page.get_by_role("button", name=translate("vi", "officer_sign_in")).click()


def act(page: Page, action: str, **fields: str) -> None:
    """Open the action's form, fill it in, send it, by keyboard as an officer without a mouse
    does; wait for the page to come back. (By mouse, headless Chromium hit-tests a PDF frame
    where it was before the page scrolled: a click on a form above it lands in the PDF.)"""
    form = page.locator(f"details[data-action-form={action}]")
    form.locator("summary").press("Enter")
    expect(form).to_have_attribute("open", "")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator(f"button[data-action={action}]").press("Enter")


# Chromium's own PDF viewer (an extension with chrome:// resources) draws the previews; its
# requests are aborted each time the officer's page navigates on, and so is a preview still
# loading then (a lazy frame scrolled into view just before a form is sent). Those are the
# browser leaving a page, not failures of the page.
BROWSERS_OWN = ("GET chrome://", "GET chrome-extension://")
ABORTED_PREVIEW = re.compile(r"request failed: GET \S+/tai-lieu/[0-9a-f]+ \(net::ERR_ABORTED\)")


def ours(problems: list[str]) -> list[str]:
    """The page's own problems: all but the viewer's requests and previews left loading."""
    return [
        p
        for p in problems
        if not any(own in p for own in BROWSERS_OWN) and not ABORTED_PREVIEW.fullmatch(p)
    ]


def status_of(page: Page) -> str:
    return page.locator("[data-status]").get_attribute("data-status") or ""


def full_view(live: LiveApp, username: str, code: str) -> dict[str, Any]:
    token = httpx.post(
        f"{live.url}/api/v1/auth/token", data={"username": username, "password": PASSWORD}
    ).json()["access_token"]
    answer = httpx.get(
        f"{live.url}/api/v1/officer/dossiers/{code}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


@pytest.fixture
def second(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """Another officer's browser (a context of its own: its own cookies) and what went wrong
    in it; a page that answered with its own error status (the conflict's 409) is the test's
    to check."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"uncaught: {exc}"))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" and "status of 409" not in m.text else None
        ),
    )
    yield page, problems
    context.close()


def supplement_as_citizen(browser: Browser, base: str, made: Submitted) -> None:
    """The citizen's supplement through the private link, in their own browser."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    citizen = context.new_page()
    citizen.goto(f"{base}{made.private_link}")
    citizen.wait_for_url(f"{base}/ho-so/{made.code}")
    form = citizen.locator("[data-form=supplement]")
    inputs = form.locator("input[type=file]")
    assert [i.get_attribute("name") for i in inputs.all()] == [HEALTH]
    inputs.set_input_files(
        FilePayload(
            name="giay-kham-moi.pdf", mimeType="application/pdf", buffer=pdf("GIAY KHAM MOI")
        )
    )
    form.get_by_role("button", name=translate("vi", "supplement_button")).click()
    citizen.wait_for_url(f"{base}/ho-so/{made.code}?done=supplement")
    context.close()


def test_an_officer_moves_a_dossier_from_intake_to_its_result(
    page: Page,
    live_app: LiveApp,
    browser: Browser,
    second: tuple[Page, list[str]],
    page_problems: list[str],
) -> None:
    base = live_app.url
    made = submit_by_api(base)
    officer = an_officer(live_app)
    dossier_url = f"{base}/can-bo/ho-so/{made.code}"

    # The dossier's link, before signing in: the sign-in form, then back to the dossier.
    page.goto(dossier_url)
    assert page.url.startswith(f"{base}/can-bo/?next=")
    sign_in(page, officer)
    page.wait_for_url(dossier_url)
    expect(page.locator("[data-dossier-code]")).to_have_attribute("data-dossier-code", made.code)
    assert status_of(page) == "new"
    expect(page.locator("main")).to_contain_text(APPLICANT["full_name"])
    buttons = page.locator("main button[data-action]")
    assert [b.get_attribute("data-action") for b in buttons.all()] == [
        "accept",
        "refuse",
        "request_supplement",
    ]

    # Its PDFs, each previewed in the page: the frame holds the document itself.
    frames = page.locator("iframe[data-preview=pdf]")
    expect(frames).to_have_count(2)
    first = frames.first
    first.scroll_into_view_if_needed()
    src = first.get_attribute("src") or ""
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box is not None and box["height"] > 300
    page.wait_for_function(
        "src => [...document.querySelectorAll('iframe')].some(f => f.getAttribute('src') === src)",
        arg=src,
    )
    page.wait_for_timeout(500)  # the viewer draws the page
    assert any(f.url == base + src for f in page.frames), [f.url for f in page.frames]
    preview = page.request.get(base + src)
    assert preview.headers["content-type"] == "application/pdf"
    assert preview.headers["content-disposition"].startswith("inline;")
    assert preview.body().startswith(b"%PDF-")
    assert_accessible(page)
    save_screenshot(page, "officer-dossier")

    # Accepted; then one of its two documents asked for again.
    act(page, "accept")
    assert page.url == f"{dossier_url}?done=accept"
    expect(page.get_by_role("status")).to_contain_text(translate("vi", "od_action_accept"))
    assert status_of(page) == "accepted"
    # The receipt (mẫu số 01) printed: its link, downloaded with the officer's session, is a
    # PDF whose text names the dossier, the applicant and the appointment.
    link = page.locator("a[data-print=giay-tiep-nhan]")
    printed = page.context.request.get(f"{base}{link.get_attribute('href')}")
    assert printed.status == 200 and printed.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join(
            p.extract_text() or "" for p in PdfReader(io.BytesIO(printed.body())).pages
        ).split()
    )
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text.upper() and made.code in text
    assert APPLICANT["full_name"] in text and "tháng" in text
    form = page.locator("details[data-action-form=request_supplement]")
    form.locator("summary").press("Enter")
    documents = {d["key"]: d["name"] for d in sample_procedure()["required_documents"]}
    form.get_by_label(documents[HEALTH]).press("Space")
    expect(form.get_by_label(documents[HEALTH])).to_be_checked()
    form.locator("[name=public_note]").fill(SUPPLEMENT_NOTE)
    with page.expect_navigation():
        form.locator("button[data-action=request_supplement]").press("Enter")
    assert status_of(page) == "supplement_requested"
    expect(page.locator("[data-requested]")).to_have_attribute("data-requested", HEALTH)
    view = full_view(live_app, officer, made.code)
    assert view["events"][-1]["documents"] == [HEALTH]

    # The citizen sends it through the private link; the officer's page shows it back.
    supplement_as_citizen(browser, base, made)
    page.goto(dossier_url)
    assert status_of(page) == "accepted"
    expect(page.locator(f"li[data-document-key={HEALTH}]")).to_have_count(2)

    # A second officer opens the page now; the first one moves on.
    other, other_problems = second
    other.goto(dossier_url)
    sign_in(other, an_officer(live_app))
    other.wait_for_url(dossier_url)
    act(page, "start_processing")
    assert status_of(page) == "processing"

    # The second officer acts on what their page showed: refused, told why, shown the
    # dossier as it is now, nothing of theirs applied.
    with other.expect_response(lambda r: r.request.method == "POST") as posted:
        act(other, "stop", public_note="Người nộp đề nghị dừng.")
    assert posted.value.status == 409
    conflict = other.locator("[data-conflict]")
    expect(conflict).to_contain_text(CONFLICT)
    expect(conflict.get_by_role("link", name=translate("vi", "od_reload"))).to_be_visible()
    assert status_of(other) == "processing"
    assert public_view(base, made.code)["status"] == "processing"
    assert_accessible(other)
    save_screenshot(other, "officer-dossier-conflict")
    assert other_problems == []

    # Completed with its electronic result, then returned.
    form = page.locator("details[data-action-form=complete]")
    form.locator("summary").press("Enter")
    form.locator("[name=public_note]").fill(RESULT_NOTE)
    form.locator("input[type=file][name=result]").set_input_files(
        FilePayload(
            name="giay-phep-lai-xe.pdf", mimeType="application/pdf", buffer=pdf("GPLX HANG B")
        )
    )
    with page.expect_navigation():
        form.locator("button[data-action=complete]").press("Enter")
    assert page.url == f"{dossier_url}?done=complete"
    assert status_of(page) == "processed"
    results = page.locator("section[aria-labelledby=results] iframe[data-preview=pdf]")
    expect(results).to_have_count(1)
    act(page, "return_result")
    assert status_of(page) == "returned"
    expect(page.locator("main button[data-action]")).to_have_count(0)

    # The public tracking page shows every step, and the officer's words meant for it.
    page.goto(f"{base}/tra-cuu/{made.code}")
    shown = [e.get_attribute("data-event") for e in page.locator("li[data-event]").all()]
    steps = ["new", "accepted", "supplement_requested", "accepted", "processing", "processed"]
    assert shown == [*steps, "returned"]
    assert shown == [e["status"] for e in public_view(base, made.code)["history"]]
    expect(page.locator("main")).to_contain_text(RESULT_NOTE)
    expect(page.locator("main")).not_to_contain_text(APPLICANT["full_name"])
    details = full_view(live_app, officer, made.code)
    assert [d["key"] for d in details["documents"]] == [APPLICATION, HEALTH, HEALTH]
    assert ours(page_problems) == []
