"""The officers' queue in Debian's Chromium: an officer signs in through the form, lands on the
queue, filters it with the keyboard, and the page passes axe at 360 and 1280 px with the
API's dossiers, in the API's order (docs/API.md, Web pages: The officers' queue)."""

import uuid

import httpx
from playwright.sync_api import Page, expect

from app.models.officer import OfficerCreate, Role
from app.services.officers import create_officer
from tests.browser.axe import assert_accessible
from tests.browser.chromium import Viewport, both_widths
from tests.browser.conftest import LiveApp
from tests.browser.dossiers import AGENCY, PASSWORD, act, officer_headers, submit_by_api
from tests.browser.screenshots import save_screenshot


def new_officer(live: LiveApp) -> str:
    """An officer of the agency that receives the browser tests' dossiers."""
    username = f"queue-{uuid.uuid4().hex[:8]}"
    data = OfficerCreate(
        username=username, password=PASSWORD, agency_code=AGENCY, role=Role.officer
    )
    create_officer(live.engine, data)
    return username


def api_codes(live: LiveApp, headers: dict[str, str], **params: str) -> list[str]:
    answer = httpx.get(f"{live.url}/api/v1/officer/dossiers", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return [item["code"] for item in answer.json()["items"]]


def shown_codes(page: Page) -> list[str]:
    rows = page.locator("tr[data-dossier-code]")
    return [rows.nth(i).get_attribute("data-dossier-code") or "" for i in range(rows.count())]


@both_widths
def test_an_officer_signs_in_sees_the_queue_and_filters_it(
    page: Page, live_app: LiveApp, viewport: Viewport, page_problems: list[str]
) -> None:
    headers = officer_headers(live_app)
    waiting = submit_by_api(live_app.url).code
    accepted = submit_by_api(live_app.url).code
    act(live_app.url, headers, accepted, "accept")
    username = new_officer(live_app)

    # Without a session the queue sends the browser to the sign-in form, and back after it.
    page.goto(f"{live_app.url}/can-bo/ho-so")
    expect(page.locator("h1")).to_have_text("Đăng nhập cán bộ")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("button[data-action=sign_in]").click()
    expect(page.locator("h1")).to_have_text("Hồ sơ cần giải quyết")
    assert page.url == f"{live_app.url}/can-bo/ho-so"

    # The API's queue for this officer, in its order, and the waiting count with its link.
    assert shown_codes(page) == api_codes(live_app, headers)
    assert {waiting, accepted} <= set(shown_codes(page))
    count = page.locator("[data-intake-count]").get_attribute("data-intake-count")
    assert int(count or 0) >= 1
    assert page.locator(f'tr[data-dossier-code="{accepted}"] a').get_attribute("href") == (
        f"/can-bo/ho-so/{accepted}"
    )
    assert_accessible(page)
    # Nothing wider than the screen: on a phone the table scrolls in its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport.width
    save_screenshot(page, "officer-queue")

    # Filter with the keyboard only: down the status list to "accepted" (after "all" and
    # "new"), then Tab along the form to the button, and Enter.
    page.locator("#status").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#status")).to_have_value("accepted")
    for _ in range(8):
        if page.evaluate("document.activeElement.dataset.action") == "filter":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/can-bo/ho-so?*status=accepted*")  # a plain form sends every field
    assert shown_codes(page) == api_codes(live_app, headers, status="accepted")
    assert accepted in shown_codes(page) and waiting not in shown_codes(page)
    assert set(
        page.locator("tr[data-dossier-code]").evaluate_all(
            "rows => rows.map(r => r.dataset.status)"
        )
    ) == {"accepted"}
    assert_accessible(page)

    # A refused filter: the message next to its input, the page still accessible.
    page.goto(f"{live_app.url}/can-bo/ho-so?received_from=2026-12-05&received_to=2026-12-01")
    expect(page.locator("#received_from")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#received_from-error")).to_contain_text("Khoảng thời gian không hợp lệ.")
    assert_accessible(page)
    assert page_problems == [], "\n".join(page_problems)
