"""Layout rules the sweep of tests/browser/test_every_page.py found broken, each pinned on the
page where it showed."""

import pytest
from playwright.sync_api import Page

from tests.browser.chromium import PHONE
from tests.browser.dossiers import PROCEDURE

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
