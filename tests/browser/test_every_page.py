"""Every public page, the dashboard too, at 360 and 1280 px: no serious or critical axe-core
violation, nothing wrong in the page (console errors, failed requests), no sideways scrolling
on a phone, and a screenshot in build/screenshots/ for people to look at.

A page is one entry of PAGES: a name (the screenshot's), how to get there, the status it
answers with, and an element that proves it is the page meant (a search with results, a form
with its errors). A new page is one more entry, e.g. the dashboard:
    Entry("dashboard", at("/thong-ke"), shows="figure[data-chart]"),
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, Response, expect

from tests.browser.axe import assert_accessible
from tests.browser.chromium import PHONE, Viewport, both_widths
from tests.browser.conftest import LiveApp
from tests.browser.dossiers import (
    HEALTH,
    PROCEDURE,
    Submitted,
    ask_for_supplement,
    open_receipt,
    submit_by_api,
)
from tests.browser.screenshots import save_screenshot


@dataclass(frozen=True)
class World:
    """What the pages show: the live server and two dossiers of PROCEDURE made through the
    API, one just submitted and one an officer asked to supplement."""

    url: str
    new: Submitted
    asked: Submitted


Opener = Callable[[Page, World], Response | None]


@dataclass(frozen=True)
class Entry:
    name: str
    open: Opener
    shows: str  # a CSS selector found only on the page meant
    status: int = 200


def at(path: str) -> Opener:
    """Open `path`, formatted with the World's fields ("/tra-cuu/{new.code}")."""

    def open_page(page: Page, world: World) -> Response | None:
        return page.goto(world.url + path.format(new=world.new, asked=world.asked))

    return open_page


def form_submitted_empty(page: Page, world: World) -> Response | None:
    """The submission form sent with nothing filled in: shown again with the API's 422."""
    page.goto(f"{world.url}/thu-tuc/{PROCEDURE}/nop-ho-so")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_load_state()
    return posted.value


def receipt(page: Page, world: World) -> Response | None:
    return open_receipt(page, world.url, world.new)


PAGES = [
    Entry("home", at("/"), shows="ol[data-list] a[data-procedure-code]"),
    Entry("home-search", at("/?q=giay+phep+lai+xe"), shows="ol:not([data-list]) [data-level]"),
    Entry("home-en", at("/?lang=en"), shows="html[lang=en] form[role=search]"),
    Entry("procedure", at(f"/thu-tuc/{PROCEDURE}"), shows="a[href$='/nop-ho-so']"),
    Entry("submit", at(f"/thu-tuc/{PROCEDURE}/nop-ho-so"), shows=f"input[name={HEALTH}]"),
    Entry("submit-errors", form_submitted_empty, shows="[data-error-summary]", status=422),
    Entry("receipt", receipt, shows="[data-qr] svg"),
    Entry("track-form", at("/tra-cuu"), shows="form input[name=code]"),
    Entry("track", at("/tra-cuu/{new.code}"), shows="[data-status=new]"),
    Entry(
        "applicant",
        at("/ho-so/{new.code}?token={new.access_token}"),
        shows="[data-form=withdraw]",
    ),
    Entry(
        "applicant-supplement",
        at("/ho-so/{asked.code}?token={asked.access_token}"),
        shows=f"[data-form=supplement] input[name={HEALTH}]",
    ),
    Entry("dashboard", at("/thong-ke"), shows="figure[data-chart=status] svg + table"),
    Entry("dashboard-en", at("/thong-ke?lang=en"), shows="html[lang=en] figure[data-chart]"),
    Entry(
        "dashboard-refused",
        at("/thong-ke?from=2026-06-30&to=2026-01-01"),
        shows="input[name=from][aria-invalid=true]",
        status=422,
    ),
    Entry("not-found", at("/thu-tuc/khong-co"), shows="[data-error='404']", status=404),
]


@pytest.fixture(scope="module")
def world(live_app: LiveApp) -> World:
    new = submit_by_api(live_app.url)
    asked = submit_by_api(live_app.url)
    ask_for_supplement(live_app, asked.code, [HEALTH])
    return World(live_app.url, new, asked)


@both_widths
@pytest.mark.parametrize("entry", PAGES, ids=lambda e: e.name)
def test_every_public_page_is_accessible_fits_a_phone_and_is_screenshotted(
    page: Page, viewport: Viewport, world: World, entry: Entry, page_problems: list[str]
) -> None:
    answer = entry.open(page, world)
    assert answer is not None and answer.status == entry.status, page.url
    expect(page.locator(entry.shows).first).to_be_attached()
    assert_accessible(page)
    save_screenshot(page, entry.name)
    if viewport == PHONE:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE.width, f"{page.url} scrolls sideways: {width} px wide"
    assert page_problems == []
