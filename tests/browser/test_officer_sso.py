"""The officers' single sign-on in Debian's Chromium: the officer presses "Đăng nhập bằng …" on
the sign-in page, signs in on the real provider's own login page (tests/oidc/provider.mjs),
and lands back on the officers' pages signed in; cancelling there brings them back to the
sign-in page, which says so.

The app here is a live server of its own, configured with this module's provider: the
provider must know the app's callback address before it starts, and the app the provider's
issuer, so the app's port is taken first (`bound_socket`)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from playwright.sync_api import Page, expect
from pydantic import SecretStr

from app.config import Settings
from app.main import create_app
from app.migrate import migrated_engine
from app.models.officer import OfficerCreate, Role
from app.services.catalogue.importing import import_catalogue
from app.services.catalogue.sample import sample_document
from app.services.officers import create_officer
from app.web.officer_auth import SignedDep, csrf_of
from app.web.rendering import render
from tests.browser.axe import assert_accessible
from tests.browser.chromium import both_widths
from tests.browser.conftest import LiveApp
from tests.browser.screenshots import save_screenshot
from tests.live_server import base_url_of, bound_socket
from tests.live_server import live_server as serve
from tests.oidc_provider import officer_user, running_provider, web_client

NAME = "VNeID (thử nghiệm)"
AGENCY = "000.01.15.H60"  # an agency of the sample catalogue
HOA = officer_user("hoa", role="admin", agency=AGENCY)
# A page of the officers' that shows who is signed in (the navigation), whatever pages are
# served yet.
LANDING = "/can-bo/thu-nghiem-sso"


def landing_route() -> APIRouter:
    probe = APIRouter()

    @probe.get(LANDING, response_class=HTMLResponse)
    async def landing(request: Request, signed: SignedDep) -> HTMLResponse:
        token = csrf_of(request, request.app.state.settings, signed).token
        return render(request, "officer_base.html", {"signed": signed, "csrf_token": token})

    return probe


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory: pytest.TempPathFactory, signing_key_path: str) -> Iterator[LiveApp]:
    """The app, with the sample catalogue and the account `hoa`, signing in at its own
    provider."""
    sock = bound_socket()
    base_url = base_url_of(sock)
    pages = web_client(
        "dvc-pages", [f"{base_url}/can-bo/dang-nhap/sso/callback"], secret="dvc-pages-secret"
    )
    folder = tmp_path_factory.mktemp("browser-sso")
    url = f"sqlite:///{folder / 'dvc.db'}"
    with (
        running_provider(sso_clients=[pages], users=[HOA]) as idp,
        migrated_engine(url) as engine,
    ):
        import_catalogue(engine, sample_document())
        create_officer(engine, OfficerCreate(username="hoa", agency_code=AGENCY, role=Role.officer))
        settings = Settings(
            signing_key_path=signing_key_path,
            data_key_path=str(Path(signing_key_path).parent / "data-key"),
            database_url=url,
            storage_url=str(folder / "files"),
            oidc_issuer=idp.issuer,
            oidc_client_id="dvc-pages",
            oidc_client_secret=SecretStr("dvc-pages-secret"),
            oidc_display_name=NAME,
            _env_file=None,
        )
        app = create_app(settings, engine)
        app.router.routes[:0] = landing_route().routes  # before the pages' catch-alls
        with serve(app, sock) as served:
            assert served == base_url
            yield LiveApp(served, engine, settings)


def sign_in_page(page: Page, base: str) -> None:
    page.goto(f"{base}/can-bo/?next={LANDING}")
    expect(page.get_by_role("link", name=f"Đăng nhập bằng {NAME}")).to_be_visible()


@both_widths
def test_an_officer_signs_in_at_the_provider_and_lands_back_signed_in(
    page: Page, sso_app: LiveApp, page_problems: list[str]
) -> None:
    sign_in_page(page, sso_app.url)
    assert_accessible(page)
    save_screenshot(page, "officer-sign-in-sso")
    page.get_by_role("link", name=f"Đăng nhập bằng {NAME}").click()
    # The provider's own page, on its own address.
    expect(page.get_by_role("heading", name="Hệ thống xác thực (thử nghiệm)")).to_be_visible()
    assert not page.url.startswith(sso_app.url)
    page.get_by_label("Tên đăng nhập").fill("hoa")
    page.get_by_label("Mật khẩu").fill(HOA["password"])
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{sso_app.url}{LANDING}")
    expect(page.locator("[data-officer]")).to_have_text("hoa")
    # The provider's role (admin), not the account's own (officer).
    expect(page.get_by_role("link", name="Quản trị")).to_be_visible()
    save_screenshot(page, "officer-signed-in-sso")
    cookies = {c["name"]: c for c in page.context.cookies(f"{sso_app.url}/can-bo/")}
    assert (
        cookies["officer_session"]["httpOnly"] and cookies["officer_session"]["path"] == "/can-bo"
    )
    assert "officer_sso" not in cookies  # used up
    assert page_problems == []


def test_cancelling_at_the_provider_comes_back_to_the_sign_in_page(
    page: Page, sso_app: LiveApp, page_problems: list[str]
) -> None:
    sign_in_page(page, sso_app.url)
    page.get_by_role("link", name=f"Đăng nhập bằng {NAME}").click()
    page.get_by_role("link", name="Hủy").click()
    expect(page.get_by_role("alert")).to_have_text(f"Bạn đã hủy đăng nhập bằng {NAME}.")
    assert page.url.startswith(f"{sso_app.url}/can-bo/dang-nhap/sso/callback")
    expect(page.get_by_role("link", name=f"Đăng nhập bằng {NAME}")).to_be_visible()
    assert_accessible(page)
    assert "officer_session" not in {
        c["name"] for c in page.context.cookies(f"{sso_app.url}/can-bo/")
    }
    assert page_problems == []
