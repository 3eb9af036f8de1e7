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
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

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


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory, signing_key_path: str) -> Iterator[str]:
    """The base URL of the real app, migrated and seeded with the sample catalogue as
    `dvc-gateway seed` does, on its own SQLite file: pages do not depend on the database kind,
    and a session-long server must not share the per-test PostgreSQL tables."""
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
            yield base_url


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
    failed requests. A test asserts it is empty when the page is the project's own."""
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
    page.on(
        "console",
        lambda m: (
            page_problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: page_problems.append(f"uncaught: {exc}"))
    page.on(
        "requestfailed",
        lambda r: page_problems.append(f"request failed: {r.method} {r.url} ({r.failure})"),
    )
    yield page
    context.close()
