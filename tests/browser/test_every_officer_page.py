"""Every officers' page (issue 16: "axe-core finds no serious or critical violation on any
officer page"): each page of `/can-bo/` as an officer, an administrator or nobody meets it,
its refused forms and its error pages too, with every action form opened (axe checks only
what is shown), at 1280 px, and each page's own layout at 360 px too. No serious or critical
axe-core violation, nothing wrong in the page (console errors, failed requests), no sideways
scrolling on a phone, and a screenshot in build/screenshots/ for people to look at.

A page is one entry of PAGES, as in test_every_page.py: a name, the route it is a page of, how
to get there, the status it answers with, and an element that proves it is the page meant.
`test_every_officer_route_has_a_page_here` fails when a route under `/can-bo/` answers HTML and
has no entry, so a new page cannot be left out.

Nothing here changes what another browser test reads: the dossiers are this module's own, the
refused forms write nothing, and the import sends a procedure's own record back unchanged."""

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from fastapi.routing import APIRoute
from playwright.sync_api import FilePayload, Page, Response, expect
from sqlalchemy import Engine
from sqlmodel import Session

from app.main import create_app
from app.models.officer import OfficerCreate, Role
from app.services import officer_sessions
from app.services.catalogue.records import procedure_record
from app.services.officers import create_officer
from app.web.officer_auth import COOKIE, PATH
from tests.app_routes import routes_of
from tests.browser.axe import assert_accessible
from tests.browser.chromium import DESKTOP, PHONE, Viewport
from tests.browser.conftest import LiveApp
from tests.browser.dossiers import (
    AGENCY,
    APPLICANT,
    APPLICATION,
    FORM,
    HEALTH,
    PASSWORD,
    PROCEDURE,
    act,
    officer_headers,
    pdf,
    submit_by_api,
)
from tests.browser.screenshots import save_screenshot

OTHER_AGENCY = "000.00.03.H60"  # Sở Tài chính: not the dossiers' agency
ADMIN_PROCEDURE = "2.001610"  # the administrators' browser test edits it too, and puts it back
UNKNOWN_DOSSIER = "000.01.15.H60-990101-9999"


@dataclass(frozen=True)
class World:
    """The live server, a session for each kind of visitor, and the dossiers the pages show:
    one just submitted and one being processed."""

    url: str
    officer: str  # session tokens
    admin: str
    other: str  # an officer of another agency
    admin_name: str
    new: str  # dossier codes
    processing: str


Opener = Callable[[Page, World], Response | None]


@dataclass(frozen=True)
class Entry:
    name: str
    route: str  # the path template of the route this is a page of
    open: Opener
    shows: str  # a CSS selector found only on the page meant
    status: int = 200
    # Also at 360 px: each page's own layout once (its refusals and the error pages share
    # theirs, and the error pages are the public ones, checked on a phone in test_every_page).
    phone: bool = False


def signed_in(page: Page, world: World, token: str) -> None:
    """The session cookie the sign-in form sets (app/web/officer_auth.py)."""
    host = urlsplit(world.url).hostname or "127.0.0.1"
    page.context.add_cookies(
        [
            {
                "name": COOKIE,
                "value": token,
                "domain": host,
                "path": PATH,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


def as_who(who: str) -> Callable[[Page, World], None]:
    def sign(page: Page, world: World) -> None:
        if who:
            signed_in(page, world, getattr(world, who))

    return sign


def opened_forms(page: Page) -> None:
    """Every action form of a dossier's page shown, as a click on its summary shows it."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


def at(path: str, who: str = "officer", forms: bool = False) -> Opener:
    """Open `path`, formatted with the World's fields ("/can-bo/ho-so/{new}"), as `who`."""

    def open_page(page: Page, world: World) -> Response | None:
        as_who(who)(page, world)
        answer = page.goto(world.url + path.format(**world.__dict__))
        if forms:
            opened_forms(page)
        return answer

    return open_page


def posted(page: Page, button: str) -> Response:
    """Click `button` with the browser's own checks off (the page is the server's answer to
    what a script or an old browser would send) and wait for the answer."""
    # Every preview loaded first: a post while a PDF is still arriving would abort its request.
    page.wait_for_load_state("networkidle")
    page.evaluate("document.querySelectorAll('form').forEach(f => { f.noValidate = true; })")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator(button).click()
    page.wait_for_load_state()
    return answer.value


def then(opener: Opener, step: Callable[[Page, World], Response]) -> Opener:
    def open_page(page: Page, world: World) -> Response | None:
        opener(page, world)
        return step(page, world)

    return open_page


def fee_without_a_number(page: Page, world: World) -> Response:
    page.fill("#request_fee-public_note", "Lệ phí cấp lại giấy phép lái xe.")
    page.fill("#request_fee-amount_vnd", "một trăm nghìn")
    answer = posted(page, "button[data-action=request_fee]")
    opened_forms(page)
    return answer


def result_not_a_pdf(page: Page, world: World) -> Response:
    page.fill("#complete-public_note", "Đã cấp lại giấy phép lái xe.")
    text = FilePayload(name="ket-qua.txt", mimeType="text/plain", buffer=b"khong phai PDF\n")
    page.set_input_files("#complete-result", text)
    answer = posted(page, "button[data-action=complete]")
    opened_forms(page)
    return answer


def acted_on_by_someone_else(page: Page, world: World) -> Response:
    """A dossier's page left open while another officer moves the dossier through the API,
    then acted on: the conflict. The dossier is new each time (the entry runs twice)."""
    headers = HEADERS[world.url]
    stale = submit_by_api(world.url).code
    act(world.url, headers, stale, "accept")
    at(f"/can-bo/ho-so/{stale}", forms=True)(page, world)
    act(world.url, headers, stale, "start_processing")
    page.fill("#start_processing-note", "Chuyển chuyên viên thụ lý.")
    return posted(page, "button[data-action=start_processing]")


def wrong_password(page: Page, world: World) -> Response:
    page.fill("#username", "khong-co-tai-khoan-nay")
    page.fill("#password", "sai-mat-khau-roi")
    return posted(page, "button[data-action=sign_in]")


REGISTER_BUTTON = "button:text-is('Tiếp nhận hồ sơ')"


def registered_empty(page: Page, world: World) -> Response:
    return posted(page, REGISTER_BUTTON)


def registered(page: Page, world: World) -> Response:
    """A counter dossier registered from the papers: the receipt page it leads to."""
    for key, value in APPLICANT.items():
        page.fill(f"[name='applicant.individual.{key}']", value)
    for key in ("ho_ten", "ngay_sinh", "so_dinh_danh", "so_giay_phep_lai_xe"):
        page.fill(f"[name='form.{key}']", FORM[key])
    page.select_option("[name='form.hang']", FORM["hang"])
    for name in (APPLICATION, HEALTH):
        scan = FilePayload(name=f"{name}.pdf", mimeType="application/pdf", buffer=pdf(name))
        page.set_input_files(f"input[type=file][name={name}]", scan)
    with page.expect_response(re.compile(r"/bien-nhan/")) as receipt:
        page.locator(REGISTER_BUTTON).click()
    page.wait_for_load_state()
    return receipt.value


def short_password(page: Page, world: World) -> Response:
    page.get_by_label("Tên đăng nhập").fill(f"canbo-{uuid.uuid4().hex[:8]}")
    page.get_by_label("Mật khẩu").fill("ngan")
    return posted(page, "button:has-text('Tạo tài khoản')")


def override_without_its_kind(page: Page, world: World) -> Response:
    page.get_by_label("Ngày", exact=True).fill("2099-08-23")
    return posted(page, "button:has-text('Lưu ngày điều chỉnh')")


def imported(document: bytes) -> Callable[[Page, World], Response]:
    def step(page: Page, world: World) -> Response:
        file = FilePayload(name="thu-tuc.json", mimeType="application/json", buffer=document)
        page.get_by_label("Tệp danh mục (JSON)").set_input_files(file)
        return posted(page, "button:has-text('Nhập danh mục')")

    return step


def own_record(page: Page, world: World) -> Response:
    with Session(ENGINES[world.url]) as session:
        record = procedure_record(session, ADMIN_PROCEDURE)
    document = json.dumps({"procedures": [record]}, ensure_ascii=False).encode()
    return imported(document)(page, world)


def time_not_a_number(page: Page, world: World) -> Response:
    page.get_by_label("Số lượng").fill("ba ngày")
    return posted(page, "button:has-text('Lưu thủ tục')")


DOSSIER = "/can-bo/ho-so/{code}"
REGISTER = "/can-bo/tiep-nhan/{code}"
ADMIN_CATALOGUE = "/can-bo/quan-tri/danh-muc"
PAGES = [
    # Signed out.
    Entry(
        "officer-sign-in", "/can-bo/", at("/can-bo/", who=""), "input[name=username]", phone=True
    ),
    Entry("officer-sign-in-en", "/can-bo/", at("/can-bo/?lang=en", who=""), "html[lang=en]"),
    Entry(
        "officer-sign-in-refused",
        "/can-bo/",
        then(at("/can-bo/", who=""), wrong_password),
        "#sign-in-error",
        status=401,
    ),
    # The queue.
    Entry(
        "officer-queue-all",
        "/can-bo/ho-so",
        at("/can-bo/ho-so"),
        "tr[data-dossier-code]",
        phone=True,
    ),
    Entry(
        "officer-queue-filtered",
        "/can-bo/ho-so",
        at("/can-bo/ho-so?status=processing&channel=online"),
        "tr[data-dossier-code]",
    ),
    Entry(
        "officer-queue-empty",
        "/can-bo/ho-so",
        at("/can-bo/ho-so?q=khong-co-ai-ten-nay"),
        "[data-queue-empty]",
    ),
    Entry(
        "officer-queue-refused",
        "/can-bo/ho-so",
        at("/can-bo/ho-so?received_from=h%C3%B4m+qua"),
        "[data-error-summary]",
        status=422,
    ),
    # A dossier, every form open.
    Entry(
        "officer-dossier-new",
        DOSSIER,
        at("/can-bo/ho-so/{new}", forms=True),
        "form [data-action=accept]",
        phone=True,
    ),
    Entry(
        "officer-dossier-processing",
        DOSSIER,
        at("/can-bo/ho-so/{processing}", forms=True),
        "#complete-result",
        phone=True,
    ),
    Entry(
        "officer-dossier-fee-refused",
        DOSSIER,
        then(at("/can-bo/ho-so/{processing}", forms=True), fee_without_a_number),
        "#request_fee-amount_vnd[aria-invalid=true]",
        status=422,
    ),
    Entry(
        "officer-dossier-result-refused",
        DOSSIER,
        then(at("/can-bo/ho-so/{processing}", forms=True), result_not_a_pdf),
        "#complete-result[aria-invalid=true]",
        status=415,
    ),
    Entry(
        "officer-dossier-conflict",
        DOSSIER,
        acted_on_by_someone_else,
        "[data-conflict] [data-reload]",
        status=409,
    ),
    Entry(
        "officer-dossier-other-agency",
        DOSSIER,
        at("/can-bo/ho-so/{new}", who="other"),
        "[data-error='403']",
        status=403,
    ),
    Entry(
        "officer-dossier-not-found",
        DOSSIER,
        at(f"/can-bo/ho-so/{UNKNOWN_DOSSIER}"),
        "[data-error='404']",
        status=404,
    ),
    Entry(
        "officer-print-nothing",
        "/can-bo/ho-so/{code}/in/{form}",
        at("/can-bo/ho-so/{new}/in/phieu-tu-choi"),
        "[data-error='409']",
        status=409,
    ),
    Entry(
        "officer-register-book-refused",
        "/can-bo/so-theo-doi",
        at("/can-bo/so-theo-doi?from=2026-06-30&to=2026-01-01"),
        "[data-error='422']",
        status=422,
    ),
    # Registration at the desk.
    Entry(
        "officer-register-choose",
        "/can-bo/tiep-nhan",
        at("/can-bo/tiep-nhan"),
        "a[data-procedure-code]",
        phone=True,
    ),
    Entry(
        "officer-register-search",
        "/can-bo/tiep-nhan",
        at("/can-bo/tiep-nhan?q=cap+lai+giay+phep+lai+xe"),
        f"a[data-procedure-code='{PROCEDURE}']",
    ),
    Entry(
        "officer-register-form",
        REGISTER,
        at(f"/can-bo/tiep-nhan/{PROCEDURE}"),
        f"input[type=file][name={HEALTH}]",
        phone=True,
    ),
    Entry(
        "officer-register-refused",
        REGISTER,
        then(at(f"/can-bo/tiep-nhan/{PROCEDURE}"), registered_empty),
        "[data-error-summary]",
        status=422,
    ),
    Entry(
        "officer-register-receipt",
        REGISTER + "/bien-nhan/{dossier_code}",
        then(at(f"/can-bo/tiep-nhan/{PROCEDURE}"), registered),
        "[data-signatures]",
        phone=True,
    ),
    Entry(
        "officer-register-unknown",
        REGISTER,
        at("/can-bo/tiep-nhan/9.999999"),
        "[data-error='404']",
        status=404,
    ),
    # Administration.
    Entry(
        "officer-admin-home",
        "/can-bo/quan-tri",
        at("/can-bo/quan-tri", "admin"),
        "main h1",
        phone=True,
    ),
    Entry(
        "officer-admin-forbidden",
        "/can-bo/quan-tri",
        at("/can-bo/quan-tri"),
        "[data-error='403']",
        status=403,
    ),
    Entry(
        "officer-admin-officers-list",
        "/can-bo/quan-tri/can-bo",
        at("/can-bo/quan-tri/can-bo", "admin"),
        "tr[data-officer-row]",
        phone=True,
    ),
    Entry(
        "officer-admin-account-refused",
        "/can-bo/quan-tri/can-bo",
        then(at("/can-bo/quan-tri/can-bo", "admin"), short_password),
        "input[name=password][aria-invalid=true]",
        status=422,
    ),
    Entry(
        "officer-admin-account",
        "/can-bo/quan-tri/can-bo/{username}",
        at("/can-bo/quan-tri/can-bo/{admin_name}", "admin"),
        "[data-action=save_officer]",
        phone=True,
    ),
    Entry(
        "officer-admin-calendar-year",
        "/can-bo/quan-tri/lich",
        at("/can-bo/quan-tri/lich?year=2099", "admin"),
        "input[name=day]",
        phone=True,
    ),
    Entry(
        "officer-admin-calendar-refused",
        "/can-bo/quan-tri/lich",
        then(at("/can-bo/quan-tri/lich?year=2099", "admin"), override_without_its_kind),
        "input[name=working][aria-invalid=true]",
        status=422,
    ),
    Entry(
        "officer-admin-catalogue-list",
        ADMIN_CATALOGUE,
        at(ADMIN_CATALOGUE + "?q=giay+phep", "admin"),
        "a[data-edit-procedure]",
        phone=True,
    ),
    Entry(
        "officer-admin-import-report",
        ADMIN_CATALOGUE,
        then(at(ADMIN_CATALOGUE, "admin"), own_record),
        "tr[data-section=procedures] td[data-unchanged='1']",
        phone=True,
    ),
    Entry(
        "officer-admin-import-refused",
        ADMIN_CATALOGUE,
        then(at(ADMIN_CATALOGUE, "admin"), imported(b"{khong phai json")),
        "[aria-invalid=true]",
        status=422,
    ),
    Entry(
        "officer-admin-procedure",
        ADMIN_CATALOGUE + "/{code}",
        at(f"{ADMIN_CATALOGUE}/{ADMIN_PROCEDURE}", "admin"),
        "[data-fee-line]",
        phone=True,
    ),
    Entry(
        "officer-admin-procedure-refused",
        ADMIN_CATALOGUE + "/{code}",
        then(at(f"{ADMIN_CATALOGUE}/{ADMIN_PROCEDURE}", "admin"), time_not_a_number),
        "[aria-invalid=true]",
        status=422,
    ),
]

# Routes under /can-bo/ that answer something other than an HTML page, with where their
# pages (a refusal) are checked.
NOT_PAGES = {
    "/can-bo": "redirects to /can-bo/",
    "/can-bo/quan-tri/": "the same page as /can-bo/quan-tri",
    "/can-bo/ho-so.csv": "a CSV file (its refusal is the queue's page, above)",
    "/can-bo/ho-so/{code}/tai-lieu/{document_id}": "a document, shown inside the dossier's page",
    "/can-bo/dang-nhap/sso": "a redirect to the provider (test_officer_sso.py runs axe on it)",
    "/can-bo/dang-nhap/sso/callback": "a redirect back (test_officer_sso.py runs axe on it)",
}

# The live server's engine and an officer's API headers, by its URL (module-level: the
# openers get only the World, which stays a plain record).
ENGINES: dict[str, Engine] = {}
HEADERS: dict[str, dict[str, str]] = {}


def account(live: LiveApp, username: str, agency: str, role: Role) -> str:
    """A new account and a session of it, as signing in makes one: the session's token."""
    data = OfficerCreate(
        username=username,
        full_name="Nguyễn Thị Hoa",
        password=PASSWORD,
        agency_code=agency,
        role=role,
    )
    officer = create_officer(live.engine, data)
    assert officer.id is not None
    return officer_sessions.start(live.engine, live.settings, officer.id, datetime.now(UTC))


@pytest.fixture(scope="module")
def world(live_app: LiveApp) -> World:
    suffix = uuid.uuid4().hex[:8]
    admin_name = f"admin-{suffix}"
    headers = officer_headers(live_app)
    ENGINES[live_app.url] = live_app.engine
    HEADERS[live_app.url] = headers
    processing = submit_by_api(live_app.url).code
    act(live_app.url, headers, processing, "accept")
    act(live_app.url, headers, processing, "start_processing")
    return World(
        url=live_app.url,
        officer=account(live_app, f"every-{suffix}", AGENCY, Role.officer),
        admin=account(live_app, admin_name, AGENCY, Role.admin),
        other=account(live_app, f"other-{suffix}", OTHER_AGENCY, Role.officer),
        admin_name=admin_name,
        new=submit_by_api(live_app.url).code,
        processing=processing,
    )


WIDTHS = [
    *(pytest.param(e, DESKTOP, id=f"{e.name}-{DESKTOP.width}px") for e in PAGES),
    *(pytest.param(e, PHONE, id=f"{e.name}-{PHONE.width}px") for e in PAGES if e.phone),
]


@pytest.mark.parametrize(("entry", "viewport"), WIDTHS, indirect=["viewport"])
def test_every_officer_page_is_accessible_fits_a_phone_and_is_screenshotted(
    page: Page, viewport: Viewport, world: World, entry: Entry, page_problems: list[str]
) -> None:
    answer = entry.open(page, world)
    assert answer is not None and answer.status == entry.status, (
        page.url,
        answer and answer.status,
    )
    expect(page.locator(entry.shows).first).to_be_attached()
    assert_accessible(page)
    save_screenshot(page, entry.name)
    if viewport == PHONE:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE.width, f"{page.url} scrolls sideways: {width} px wide"
    assert page_problems == []


def test_every_officer_route_has_a_page_here(live_app: LiveApp) -> None:
    app = create_app(live_app.settings, live_app.engine)
    officer_routes = {
        route.path
        for route in routes_of(app.routes)
        if isinstance(route, APIRoute)
        and "GET" in (route.methods or set())
        and (route.path == "/can-bo" or route.path.startswith("/can-bo/"))
    }
    assert officer_routes, "no officer route found: the check would prove nothing"
    covered = {entry.route for entry in PAGES}
    assert officer_routes - set(NOT_PAGES) == covered
