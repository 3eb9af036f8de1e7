"""The administrators' pages in Debian's Chromium: an administrator signs in through the form,
creates an officer's account, changes a procedure's processing time and adds a day to the
working calendar, each checked in the database, with no serious or critical axe-core violation
on the way. Screenshots: officer-admin-officers, officer-admin-catalogue and
officer-admin-calendar (1280 px); every page of the section, its refusals too, is in
test_every_officer_page.py.

The live server is shared by the whole package: the procedure edited is one no other browser
test uses, it is put back as it was, and the calendar's day is in 2099, far from every
deadline another test computes."""

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from app.models import Officer, Procedure
from app.models.calendar import CalendarOverride
from app.models.officer import OfficerCreate, Role
from app.services.catalogue.importing import replace_procedure
from app.services.catalogue.records import procedure_record
from app.services.officers import create_officer
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveApp
from tests.browser.screenshots import save_screenshot

PASSWORD = "mat-khau-quan-tri-2026"
# "Đăng ký thành lập doanh nghiệp tư nhân" of the sample catalogue: no other browser test
# submits to it or reads its processing time.
PROCEDURE = "2.001610"
AGENCY = "000.00.03.H60"  # Sở Tài chính tỉnh Tuyên Quang
DAY = date(2099, 8, 22)


@pytest.fixture
def admin_name(live_app: LiveApp) -> str:
    """A new administrator's account, as `dvc-gateway create-officer` would make it."""
    username = f"quantri-{uuid.uuid4().hex[:8]}"
    data = OfficerCreate(
        username=username,
        full_name="Quản trị viên",
        password=PASSWORD,
        agency_code=AGENCY,
        role=Role.admin,
    )
    create_officer(live_app.engine, data)
    return username


@pytest.fixture
def procedure_kept(live_app: LiveApp) -> Iterator[None]:
    """PROCEDURE as it was before the test, put back after it."""
    with Session(live_app.engine) as session:
        record = procedure_record(session, PROCEDURE)
    yield
    replace_procedure(live_app.engine, PROCEDURE, record)


def sign_in(page: Page, live_app: LiveApp, username: str, where: str) -> None:
    """Through the sign-in form, which the page `where` sends the browser to."""
    page.goto(live_app.url + where)
    expect(page).to_have_url(f"{live_app.url}/can-bo/?next={where.replace('/', '%2F')}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(live_app.url + where)


@pytest.mark.usefixtures("procedure_kept")
def test_an_administrator_manages_accounts_the_catalogue_and_the_calendar(
    page: Page, live_app: LiveApp, admin_name: str, page_problems: list[str]
) -> None:
    sign_in(page, live_app, admin_name, "/can-bo/quan-tri")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quản trị hệ thống")
    assert_accessible(page)

    # An officer's account.
    page.get_by_role("link", name="Tài khoản cán bộ").first.click()
    new = f"canbo-{uuid.uuid4().hex[:8]}"
    page.get_by_label("Tên đăng nhập").fill(new)
    page.get_by_label("Họ và tên").fill("Trần Văn Bình")
    page.get_by_label("Vai trò").select_option("officer")
    page.get_by_label("Cơ quan", exact=True).select_option(AGENCY)
    page.get_by_label("Mật khẩu").fill("mot-mat-khau-dai-du")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.locator("[data-done=officer_created]")).to_contain_text(new)
    expect(page.locator(f"tr[data-officer-row='{new}']")).to_be_visible()
    with Session(live_app.engine) as session:
        account = session.scalars(select(Officer).where(col(Officer.username) == new)).one()
    assert (account.full_name, account.role, account.agency_code, account.disabled) == (
        "Trần Văn Bình",
        Role.officer,
        AGENCY,
        False,
    )
    assert_accessible(page)
    save_screenshot(page, "officer-admin-officers")

    # A procedure's processing time.
    page.get_by_role("navigation", name="Các mục quản trị").get_by_role(
        "link", name="Danh mục thủ tục"
    ).click()
    page.get_by_role("searchbox", name="Tên hoặc mã thủ tục").fill(PROCEDURE)
    page.get_by_role("button", name="Tìm kiếm").click()
    page.locator(f"a[data-edit-procedure='{PROCEDURE}']").click()
    expect(page.get_by_label("Số lượng")).to_have_value("3")
    page.get_by_label("Số lượng").fill("4,5")
    page.get_by_label("Đơn vị").select_option("working_days")
    page.get_by_role("button", name="Lưu thủ tục").click()
    expect(page.locator("[data-done=procedure_saved]")).to_be_visible()
    expect(page.get_by_label("Số lượng")).to_have_value("4,5")
    with Session(live_app.engine) as session:
        stored = session.get_one(Procedure, PROCEDURE)
        assert (stored.processing_amount, stored.processing_days) == (4.5, 5)
    assert_accessible(page)
    page.goto(f"{live_app.url}/can-bo/quan-tri/danh-muc")
    assert_accessible(page)
    save_screenshot(page, "officer-admin-catalogue")

    # A make-up working Saturday.
    page.goto(f"{live_app.url}/can-bo/quan-tri/lich?year=2099")
    page.get_by_label("Ngày", exact=True).fill(DAY.isoformat())
    page.get_by_label("Ngày làm việc (làm bù)").check()
    page.get_by_label("Ghi chú").fill("Làm bù cho ngày nghỉ Quốc khánh")
    page.get_by_role("button", name="Lưu ngày điều chỉnh").click()
    expect(page.locator("[data-done=override_saved]")).to_be_visible()
    row = page.locator(f"tr[data-day='{DAY.isoformat()}'][data-override]")
    expect(row).to_contain_text("Làm bù cho ngày nghỉ Quốc khánh")
    with Session(live_app.engine) as session:
        override = session.get_one(CalendarOverride, DAY)
        assert (override.working, override.note) == (True, "Làm bù cho ngày nghỉ Quốc khánh")
    assert_accessible(page)
    save_screenshot(page, "officer-admin-calendar")
    # And removed again: the rules apply to the day.
    row.get_by_role("button", name="Xóa").click()
    expect(page.locator("[data-done=override_removed]")).to_be_visible()
    with Session(live_app.engine) as session:
        assert session.get(CalendarOverride, DAY) is None
    assert page_problems == []
