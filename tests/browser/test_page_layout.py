"""Layout rules the sweep of tests/browser/test_every_page.py found broken, each pinned on the
page where it showed."""

import pytest
from playwright.sync_api import Page

from tests.browser.chromium import PHONE
from tests.browser.dossiers import PROCEDURE, open_receipt, submit_by_api

phone = pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["360px"])


@phone
def test_the_documents_of_the_submission_form_fit_a_phone(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/thu-tuc/{PROCEDURE}/nop-ho-so")
    documents = page.locator("fieldset#documents")
    box = documents.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE.width
    for file_input in documents.locator("input[type=file]").all():
        inner = file_input.bounding_box()
        assert inner is not None and inner["x"] + inner["width"] <= box["x"] + box["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE.width


@phone
def test_every_typed_field_of_the_submission_form_looks_like_a_text_field(
    page: Page, live_server: str
) -> None:
    # The generated form has date, email, tel and number inputs besides text ones (schema_form):
    # each is drawn as the house's text input, a 2.75 rem (44 px) target with a dark border.
    page.goto(f"{live_server}/thu-tuc/{PROCEDURE}/nop-ho-so")
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('form input:not([type=hidden]):not([type=file])'
                   + ':not([type=radio]):not([type=checkbox])')].map(e => {
            const style = getComputedStyle(e);
            return [e.type, e.name, Math.round(e.getBoundingClientRect().height),
                    style.borderTopWidth, style.borderTopColor];
        })"""
    )
    assert {kind for kind, *_ in drawn} >= {"text", "date", "email"}
    for kind, name, height, border, color in drawn:
        assert (height, border, color) == (44, "2px", "rgb(27, 27, 27)"), (kind, name)


@phone
def test_the_receipts_private_link_wraps_on_a_phone(page: Page, live_server: str) -> None:
    open_receipt(page, live_server, submit_by_api(live_server))
    link = page.locator("a[data-private-link]")
    # Whether a random token has a hyphen to break at is luck: the worst case has none.
    link.evaluate("a => { a.textContent = a.textContent.replace(/[-_]/g, 'A'); }")
    box = link.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE.width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE.width


def test_the_navigation_lines_up_with_the_page_on_a_desktop(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/")
    lefts = [
        page.locator(selector).first.bounding_box()
        for selector in (".site-name", ".site-nav a", "main h1")
    ]
    assert all(box is not None for box in lefts)
    xs = {round(box["x"]) for box in lefts if box is not None}
    assert len(xs) == 1, xs  # one left edge, the content's, not the window's
    assert xs.pop() > 100  # centred in 1280 px, not against the window's edge


def test_a_field_in_error_is_drawn_with_the_error_colour(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/thu-tuc/{PROCEDURE}/nop-ho-so")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.locator("[data-error-summary]").wait_for()
    invalid = page.locator("input[aria-invalid=true]:not([type=file])")
    assert invalid.count() >= 1
    for control in invalid.all():
        border = control.evaluate(
            "e => [getComputedStyle(e).borderTopColor, getComputedStyle(e).borderTopWidth]"
        )
        assert border == ["rgb(177, 14, 30)", "3px"], control.get_attribute("name")
    valid = page.locator("input[type=text]:not([aria-invalid])").first
    assert valid.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(27, 27, 27)"
