"""Browser tests: the real app on a free port with the sample catalogue, driven by Debian's
Chromium through Playwright.

Chromium is /usr/bin/chromium from Debian's `chromium` package; Playwright never downloads a
browser (`playwright install` is never run). `python3 dev.py test` and `.ci/run` install the
package when it is missing; without it every browser test fails with the command to run.

    def test_home(page: Page, live_server: str, page_problems: list[str]) -> None:
        page.goto(f"{live_server}/")
        assert_accessible(page)          # tests/browser/axe.py
        save_screenshot(page, "home")     # build/screenshots/home-1280px.png
        assert page_problems == []

`@both_widths` (tests/browser/chromium.py) runs a test at 360 px (a cheap phone) and 1280 px
(a desktop); without it the page is 1280 px wide. Every test here carries the `browser`
marker (`pytest -m browser` runs only these).

`live_app` is the same server with its engine and settings, for what a test must set up
behind the pages (an officer's account, see tests/browser/dossiers.py).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    sync_playwright,
)
from sqlalchemy import Engine

from app.config import Settings
from app.main import create_app
from app.migrate import migrated_engine
from app.services.catalogue.importing import import_catalogue
from app.services.catalogue.sample import sample_document
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, DESKTOP, Viewport, require_chromium
from tests.live_server import live_server as serve

BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The marker follows the folder, so a new browser test cannot forget it: the PostgreSQL
    # pass of .ci/run deselects these with -m "not browser".
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)
    # Playwright's sync API keeps an asyncio loop running in the main thread for as long as it
    # lives, and every later asyncio.run / anyio.run there fails ("Already running asyncio in
    # this thread"). So the browser tests run last, and their Playwright stops with the package.
    browser = [item for item in items if BROWSER_DIR in item.path.parents]
    items[:] = [item for item in items if BROWSER_DIR not in item.path.parents] + browser


@dataclass(frozen=True)
class LiveApp:
    """The live server: its base URL, and the engine and settings it serves with."""

    url: str
    engine: Engine
    settings: Settings


@pytest.fixture(scope="package")
def live_app(tmp_path_factory: pytest.TempPathFactory, signing_key_path: str) -> Iterator[LiveApp]:
    """The real app, migrated and seeded with the sample catalogue as `dvc-gateway seed` does,
    on its own SQLite file: pages do not depend on the database kind, and a session-long
    server must not share the per-test PostgreSQL tables."""
    folder = tmp_path_factory.mktemp("browser-app")
    url = f"sqlite:///{folder / 'dvc.db'}"
    with migrated_engine(url) as engine:
        import_catalogue(engine, sample_document())
        settings = Settings(
            signing_key_path=signing_key_path,
            data_key_path=str(Path(signing_key_path).parent / "data-key"),
            database_url=url,
            storage_url=str(folder / "files"),
            _env_file=None,
        )
        with serve(create_app(settings, engine)) as base_url:
            yield LiveApp(base_url, engine, settings)


@pytest.fixture(scope="package")
def live_server(live_app: LiveApp) -> str:
    """The base URL of the live server (`live_app`)."""
    return live_app.url


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Debian Chromium for the whole run; each test gets a fresh context."""
    require_chromium(CHROMIUM)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def viewport(request: pytest.FixtureRequest) -> Viewport:
    """The page's size: DESKTOP unless the test is parametrized (see `both_widths`)."""
    return getattr(request, "param", DESKTOP)


@pytest.fixture
def page_problems() -> list[str]:
    """What went wrong in the page while the test ran: console errors, uncaught exceptions,
    failed requests. A test asserts it is empty when the page is the project's own. The page's
    own error status (a 404 page, a form refused with 422) is not one: the test checks it."""
    return []


@pytest.fixture
def page(browser: Browser, viewport: Viewport, page_problems: list[str]) -> Iterator[Page]:
    """A page in a fresh context (no cookies), Vietnamese locale and Vietnam time."""
    context = browser.new_context(
        viewport={"width": viewport.width, "height": viewport.height},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    page = context.new_page()
    documents: set[tuple[str, int]] = set()  # (url, status) of the pages the tab opened
    page.on(
        "response",
        lambda r: (
            documents.add((r.url, r.status))
            if r.request.is_navigation_request() and r.frame == page.main_frame
            else None
        ),
    )
    page.on("console", lambda m: _console(m, documents, page_problems))
    page.on("pageerror", lambda exc: page_problems.append(f"uncaught: {exc}"))
    page.on("requestfailed", lambda r: _failed(r, page_problems))
    yield page
    context.close()


# Chromium logs every answer of 400 or more as a console error, the page's own included. A page
# whose own status is an error (the 404 page, a form shown again with its 422) is what the test
# opened and checks itself; a failing stylesheet, script or icon stays a problem.
_FAILED_LOAD = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


def _console(message: ConsoleMessage, documents: set[tuple[str, int]], found: list[str]) -> None:
    if message.type != "error":
        return
    failed = _FAILED_LOAD.match(message.text)
    url = message.location.get("url", "")
    if failed and (url, int(failed.group(1))) in documents:
        return
    found.append(f"console {message.type}: {message.text}" + (f" ({url})" if failed else ""))


# Chromium's own PDF viewer (an extension with chrome:// resources) loads its parts while a
# dossier's page previews a PDF; a navigation away (a form posted) cancels them. That is the
# browser's, not the page's.
_PDF_VIEWER = ("chrome-extension://", "chrome://")


def _failed(request: Request, found: list[str]) -> None:
    if request.url.startswith(_PDF_VIEWER) and request.failure == "net::ERR_ABORTED":
        return
    found.append(f"request failed: {request.method} {request.url} ({request.failure})")
