"""The browser-test layer itself, proved on what the app serves today (Swagger at /docs) and on
small pages written here: the pages of issue 15 build on these fixtures."""

import struct
import subprocess
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from app.services.catalogue.sample import sample_document
from tests.browser.axe import assert_accessible, axe_results, axe_violations
from tests.browser.chromium import CHROMIUM, Viewport, both_widths, require_chromium
from tests.browser.screenshots import SCREENSHOTS, save_screenshot

BAD_PAGE = """<!doctype html>
<html lang="vi"><head><title>Tra cứu hồ sơ</title></head>
<body><main><h1>Tra cứu hồ sơ</h1>
<p style="color:#d0d0d0;background:#ffffff">Nhập mã hồ sơ ghi trên giấy tiếp nhận.</p>
<input type="text" name="code">
</main></body></html>"""

GOOD_PAGE = """<!doctype html>
<html lang="vi"><head><title>Tra cứu hồ sơ</title></head>
<body><main><h1>Tra cứu hồ sơ</h1>
<p style="color:#1a1a1a;background:#ffffff">Nhập mã hồ sơ ghi trên giấy tiếp nhận.</p>
<label for="code">Mã hồ sơ</label> <input type="text" id="code" name="code">
</main></body></html>"""

# Only moderate findings: no landmark, no level-one heading.
MODERATE_ONLY_PAGE = """<!doctype html>
<html lang="vi"><head><title>Tra cứu</title></head><body><p>Tra cứu hồ sơ</p></body></html>"""


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_browser_is_debians_chromium(browser: Browser) -> None:
    # `chromium --version` prints e.g. "Chromium 156.0.8078.114 built on Debian ...": the
    # browser Playwright launched is that binary, not one of Playwright's own downloads.
    printed = subprocess.run(
        [str(CHROMIUM), "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert "Debian" in printed
    assert browser.version in printed.split()


def test_a_missing_chromium_fails_the_tests_rather_than_skipping_them(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium"):
        require_chromium(tmp_path / "chromium")


def test_the_live_server_holds_the_sample_catalogue(live_server: str) -> None:
    answer = httpx.get(f"{live_server}/api/v1/procedures", params={"page_size": 1})
    assert answer.status_code == 200
    assert answer.json()["total"] == len(sample_document()["procedures"])


@both_widths
def test_swagger_opens_without_errors_and_is_screenshotted(
    page: Page, live_server: str, page_problems: list[str], viewport: Viewport
) -> None:
    page.goto(f"{live_server}/docs")
    # Swagger UI draws the operations from /openapi.json: its tags appear once it has run.
    page.locator(".opblock-tag", has_text="catalogue").first.wait_for()
    assert page.viewport_size == {"width": viewport.width, "height": viewport.height}
    shot = save_screenshot(page, "swagger")
    assert shot == SCREENSHOTS / f"swagger-{viewport.width}px.png"
    width, height = png_size(shot)
    assert width == viewport.width
    assert height >= viewport.height
    assert page_problems == []


def test_page_problems_records_console_errors_and_uncaught_exceptions(
    page: Page, page_problems: list[str]
) -> None:
    page.set_content("<script>console.error('hỏng'); throw new Error('vỡ');</script>")
    assert any("console error: hỏng" in problem for problem in page_problems), page_problems
    assert any("uncaught" in problem and "vỡ" in problem for problem in page_problems)


def test_assert_accessible_fails_on_a_missing_label_and_low_contrast(page: Page) -> None:
    page.set_content(BAD_PAGE)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "[critical] label:" in message
    assert "[serious] color-contrast:" in message
    assert "    at input\n" in message  # where, so the fix is easy to find


def test_assert_accessible_passes_on_a_labelled_readable_page(page: Page) -> None:
    page.set_content(GOOD_PAGE)
    assert_accessible(page)
    # axe really ran: the rules the bad page broke are among those this one passes.
    passed = {rule["id"] for rule in axe_results(page)["passes"]}
    assert {"label", "color-contrast"} <= passed


def test_moderate_findings_are_reported_but_do_not_fail(page: Page) -> None:
    page.set_content(MODERATE_ONLY_PAGE)
    found = axe_violations(page)
    assert found, "axe should report the missing landmark and heading"
    assert {v.impact for v in found} <= {"moderate", "minor"}
    assert_accessible(page)


def test_axe_is_served_locally_not_from_a_network(page: Page) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_content(GOOD_PAGE)
    axe_results(page)
    assert requests == []
    assert page.evaluate("() => axe.version") == "4.14.1"


def test_a_pages_own_error_status_is_not_a_problem_but_a_failing_asset_is(
    page: Page, live_server: str, page_problems: list[str]
) -> None:
    # The 404 page is what was asked for (Chromium still logs its status as a console error).
    answer = page.goto(f"{live_server}/thu-tuc/khong-co")
    assert answer is not None and answer.status == 404
    assert page_problems == []
    with page.expect_console_message(lambda m: m.type == "error"):
        page.set_content(f'<img src="{live_server}/static/khong-co.png" alt="">')
    assert page_problems == [
        "console error: Failed to load resource: the server responded with a status of 404 "
        f"(Not Found) ({live_server}/static/khong-co.png)"
    ]


def test_axe_checks_the_apps_pages_under_their_own_content_security_policy(
    page: Page, live_server: str, page_problems: list[str]
) -> None:
    answer = page.goto(f"{live_server}/tra-cuu")
    assert answer is not None
    assert "script-src 'self'" in (answer.headers.get("content-security-policy") or "")
    assert axe_results(page)["passes"]
    # The policy stayed on: an inline script is still refused.
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate("""() => {
            const s = document.createElement("script");
            s.textContent = "window.inlineRan = true";
            document.head.append(s);
        }""")
    assert page.evaluate("() => window.inlineRan === undefined")
    assert any("Content Security Policy" in p for p in page_problems)
