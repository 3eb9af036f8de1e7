"""The administrators' pages (/can-bo/quan-tri): accounts, the working calendar and the
catalogue, on the admin API's services. Each form is held to its data: what it changes is
what the API would change (the API, asked the same afterwards, finds nothing left to change),
a refusal leaves no trace, an officer is refused as the API refuses them, and a form without
its CSRF field changes nothing."""

import json
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from app.config import Settings
from app.main import create_app
from app.models import Agency, Officer, OfficerSession, Procedure
from app.models.calendar import CalendarOverride
from app.models.officer import Role
from app.models.types import utcnow
from app.security import hash_password
from app.services import officer_sessions
from app.services.catalogue.cache import read_revision
from app.services.catalogue.importing import MAX_IMPORT_MB, replace_procedure
from app.services.catalogue.procedures import offering_codes
from app.services.catalogue.records import procedure_record
from app.services.officers import authenticate
from app.web.csrf import COOKIE as CSRF_COOKIE
from app.web.csrf import csrf_secret, sign
from app.web.officer_auth import COOKIE as SESSION_COOKIE
from tests.factories import (
    ONLINE_PROCEDURE,
    PROVINCE,
    engine_of,
    make_agency,
    make_online_procedure,
    officer_headers,
)
from tests.factories import (
    procedure_record as new_record,
)
from tests.web.html import elements

PASSWORD = "mat-khau-du-dai-1"
SECOND_PROVINCE_AGENCY = "000.00.01.H20"
COMMUNE = "000.01.01.H20"
OFFICERS = "/can-bo/quan-tri/can-bo"
CALENDAR = "/can-bo/quan-tri/lich"
CATALOGUE = "/can-bo/quan-tri/danh-muc"
PROCEDURE_PAGE = f"{CATALOGUE}/{ONLINE_PROCEDURE}"
PAGES = (
    "/can-bo/quan-tri",
    OFFICERS,
    f"{OFFICERS}/lan",
    f"{CALENDAR}?year=2026",
    CATALOGUE,
    PROCEDURE_PAGE,
)


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_online_procedure(session)
    # As an import writes it (the factory writes the row itself, without the defaults an
    # import fills in), so that the record the page reads back is the one stored.
    with Session(engine_of(session)) as reading:
        record = procedure_record(reading, ONLINE_PROCEDURE)
    replace_procedure(engine_of(session), ONLINE_PROCEDURE, record)
    province = session.get_one(Agency, PROVINCE)
    make_agency(session, SECOND_PROVINCE_AGENCY, "Sở Tư pháp", "province", province)
    make_agency(session, COMMUNE, "Ủy ban nhân dân xã Yên Sơn", "commune", province)
    # The accounts written with one hash of the password: hashing is made slow on purpose.
    for username, role in (("root", Role.admin), ("lan", Role.officer)):
        session.add(
            Officer(
                username=username,
                full_name="",
                role=role,
                agency_code=PROVINCE,
                password_hash=password_hash(),
            )
        )
    session.commit()


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def sign_in(client: TestClient, username: str = "root") -> None:
    page = client.get("/can-bo/")
    field = elements(page.text).all("input", name="csrf_token")[0]["value"]
    data = {"csrf_token": field, "username": username, "password": PASSWORD}
    answer = client.post("/can-bo/dang-nhap", data=data, follow_redirects=False)
    assert answer.status_code == 303


@pytest.fixture
def admin(client: TestClient) -> TestClient:
    sign_in(client)
    return client


@pytest.fixture
def other_browser(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine)) as browser:
        yield browser


def session_field(client: TestClient) -> str:
    """The CSRF field of the browser's session, as its pages would carry it."""
    app = client.app
    token = client.cookies[SESSION_COOKIE]
    signed = officer_sessions.read(app.state.engine, app.state.settings, token, utcnow())  # type: ignore[attr-defined]
    assert signed is not None
    secret = csrf_secret(app.state.settings)  # type: ignore[attr-defined]
    return sign(secret, f"officer-session:{signed.session_id}", client.cookies[CSRF_COOKIE])


def csrf(client: TestClient, page: str) -> str:
    shown = client.get(page)
    assert shown.status_code == 200, shown.text
    fields = {a["value"] for a in elements(shown.text).all("input", name="csrf_token")}
    (field,) = fields  # every form of the session's pages carries the same one
    return field


def post(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    """`data` posted to `action` as the form on `page` posts it."""
    form = {"csrf_token": csrf(client, page), **data}
    return client.post(action, data=form, follow_redirects=False)


def shown(answer: Any) -> Any:
    return elements(answer.text)


def error_of(answer: Any, field_id: str, group: str | None = None) -> str:
    """The message next to the control `field_id`, which points to it (aria-describedby);
    the message of a group of boxes is the group's (`group`)."""
    page = shown(answer)
    controls = [a for tag in ("input", "select", "button") for a in page.all(tag, id=field_id)]
    assert controls, f"no control {field_id}"
    error_id = f"{group or field_id}-error"
    assert error_id in controls[0].get("aria-describedby", "").split()
    assert controls[0].get("aria-invalid") == "true" or controls[0] in page.all("button")
    start = answer.text.index(f'id="{error_id}"')
    return str(elements(answer.text[answer.text.rindex("<", 0, start) :]).plain_text())


def accounts(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        rows = session.scalars(select(Officer).order_by(col(Officer.username)))
        return [(o.username, o.full_name, o.role, o.agency_code, o.disabled) for o in rows]


def overrides(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        rows = session.scalars(select(CalendarOverride).order_by(col(CalendarOverride.day)))
        return [(o.day, o.working, o.note) for o in rows]


def catalogue(engine: Engine) -> tuple[Any, ...]:
    """Every procedure's columns and agencies, and the catalogue's revision."""
    with Session(engine) as session:
        columns = [c.name for c in Procedure.__table__.columns]  # type: ignore[attr-defined]
        procedures = session.scalars(select(Procedure).order_by(col(Procedure.code))).all()
        rows = [
            ({c: getattr(p, c) for c in columns}, offering_codes(session, p.code))
            for p in procedures
        ]
        return rows, read_revision(session)


def everything(engine: Engine) -> tuple[Any, ...]:
    return accounts(engine), overrides(engine), catalogue(engine)


# -- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_without_a_session_every_page_sends_the_browser_to_sign_in(
    client: TestClient, page: str
) -> None:
    answer = client.get(page, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/can-bo/?next=")


@pytest.mark.parametrize("page", PAGES)
def test_an_officer_gets_the_apis_admin_only_as_a_page(client: TestClient, page: str) -> None:
    sign_in(client, "lan")
    answer = client.get(page)
    assert answer.status_code == 403 and answer.headers["content-type"].startswith("text/html")
    assert "Chỉ quản trị viên được thực hiện thao tác này." in shown(answer).plain_text()
    assert 'href="/can-bo/quan-tri"' not in client.get("/can-bo/quan-tri/x").text


FORMS: list[tuple[str, dict[str, Any]]] = [
    (OFFICERS, {"username": "hoa", "role": "officer", "agency_code": PROVINCE}),
    (f"{OFFICERS}/lan", {"role": "admin", "agency_code": PROVINCE}),
    (f"{OFFICERS}/lan/trang-thai", {"disabled": "true"}),
    (CALENDAR, {"day": "2026-08-22", "working": "true", "note": ""}),
    (f"{CALENDAR}/xoa", {"day": "2026-05-04"}),
    (PROCEDURE_PAGE, {"level": "4", "processing_time.value": "1"}),
    (f"{PROCEDURE_PAGE}/ngung", {}),
]


@pytest.mark.parametrize(("action", "data"), FORMS)
def test_an_officers_post_is_refused_and_changes_nothing(
    client: TestClient, engine: Engine, action: str, data: dict[str, Any]
) -> None:
    with Session(engine) as session:
        session.add(CalendarOverride(day=date(2026, 5, 4), working=True, note=""))
        session.commit()
    sign_in(client, "lan")
    before = everything(engine)
    # The officer's own session field: the refusal is the role, not the form.
    answer = client.post(action, data={"csrf_token": session_field(client), **data})
    assert answer.status_code == 403 and "Chỉ quản trị viên" in shown(answer).plain_text()
    assert everything(engine) == before


@pytest.mark.parametrize(("action", "data"), FORMS)
def test_a_post_without_the_sessions_csrf_field_changes_nothing(
    admin: TestClient, engine: Engine, action: str, data: dict[str, Any]
) -> None:
    with Session(engine) as session:
        session.add(CalendarOverride(day=date(2026, 5, 4), working=True, note=""))
        session.commit()
    admin.get("/can-bo/quan-tri")
    before = everything(engine)
    for field in (None, "", "0" * 64):
        form = data if field is None else {"csrf_token": field, **data}
        answer = admin.post(action, data=form, follow_redirects=False)
        assert answer.status_code == 403, answer.text
        assert "Biểu mẫu không hợp lệ" in shown(answer).plain_text()
    assert everything(engine) == before


@pytest.mark.parametrize("page", PAGES)
def test_every_control_is_labelled_and_every_answer_is_never_cached(
    admin: TestClient, page: str
) -> None:
    answer = admin.get(page)
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert len(answer.content) < 60_000
    page_elements = shown(answer)
    labelled = {a["for"] for a in page_elements.all("label", **{"for": ""})}
    for tag in ("input", "select", "textarea"):
        for control in page_elements.all(tag):
            if control.get("type") in ("hidden", "submit"):
                continue
            assert control.get("id") in labelled, control
    assert page_elements.all("a", href="/can-bo/quan-tri", aria_current="page") or (
        page_elements.all("nav", aria_label="Các mục quản trị")
    )


def test_the_pages_speak_english_and_their_forms_keep_it(admin: TestClient) -> None:
    page = admin.get(f"{CALENDAR}?year=2026&lang=en")
    assert "Working calendar 2026" in page.text and 'lang="en"' in page.text
    assert shown(page).all("form", action="/can-bo/quan-tri/lich?lang=en")
    answer = post(
        admin,
        f"{CALENDAR}?lang=en",
        f"{CALENDAR}?lang=en",
        {"day": "2026-08-22", "working": "true", "note": ""},
    )
    assert answer.headers["location"] == f"{CALENDAR}?year=2026&done=override_saved&lang=en"
    assert "The override is saved." in admin.get(answer.headers["location"]).text


# -- accounts ----------------------------------------------------------------------------------


def test_the_list_shows_every_account(admin: TestClient) -> None:
    rows = shown(admin.get(OFFICERS)).all("tr", data_officer_row="")
    assert [r["data-officer-row"] for r in rows] == ["lan", "root"]
    assert "2 tài khoản" in shown(admin.get(OFFICERS)).plain_text()


def test_a_new_account_is_the_one_the_api_would_create(
    admin: TestClient, client: TestClient, engine: Engine
) -> None:
    typed = {
        "username": "hoa",
        "full_name": "Nguyễn Thị Hoa",
        "role": "officer",
        "agency_code": COMMUNE,
        "password": "mot-mat-khau-dai",
    }
    answer = post(admin, OFFICERS, OFFICERS, typed)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{OFFICERS}?username=hoa&done=officer_created"
    notice = shown(admin.get(answer.headers["location"]))
    assert notice.all("p", data_done="officer_created") and notice.all("a", href=f"{OFFICERS}/hoa")
    api = client.post(
        "/api/v1/admin/officers",
        json={**typed, "username": "hoa2"},
        headers=officer_headers(client, "root", role="admin"),
    )
    assert api.status_code == 201
    (page_row,) = [a for a in accounts(engine) if a[0] == "hoa"]
    (api_row,) = [a for a in accounts(engine) if a[0] == "hoa2"]
    assert page_row[1:] == api_row[1:] == ("Nguyễn Thị Hoa", "officer", COMMUNE, False)
    with Session(engine) as session:
        assert authenticate(session, "hoa", "mot-mat-khau-dai").username == "hoa"


@pytest.mark.parametrize(
    ("typed", "field", "status", "message"),
    [
        ({"password": "ngan"}, "password", 422, "tối thiểu 10 ký tự"),
        ({"username": "Hoa Nguyen"}, "username", 422, "tên đăng nhập"),
        ({"username": "lan"}, "username", 409, "Tên đăng nhập lan đã tồn tại."),
        ({"agency_code": "000.99.99.H20"}, "agency_code", 404, "Không tìm thấy cơ quan"),
        ({"agency_code": "tỉnh"}, "agency_code", 422, "NNN.NN.NN.Hxx"),
        ({"role": "chief"}, "role", 422, "'officer', 'admin'"),
    ],
)
def test_a_refused_account_is_the_form_again_with_the_apis_message(
    admin: TestClient,
    engine: Engine,
    typed: dict[str, str],
    field: str,
    status: int,
    message: str,
) -> None:
    good = {"username": "hoa", "full_name": "Hoa", "role": "officer", "agency_code": PROVINCE}
    before = accounts(engine)
    answer = post(admin, OFFICERS, OFFICERS, {**good, "password": "mot-mat-khau-dai", **typed})
    assert answer.status_code == status
    assert message.lower() in error_of(answer, field).lower()
    assert accounts(engine) == before
    page = shown(answer)
    assert page.all("div", data_refusal=str(status))
    assert not page.all("input", name="password", value="mot-mat-khau-dai")  # never sent back
    if field != "username":
        assert page.all("input", name="username", value=typed.get("username", "hoa"))


def test_a_new_role_and_agency_apply_to_the_accounts_session_at_once(
    admin: TestClient, other_browser: TestClient, engine: Engine, client: TestClient
) -> None:
    sign_in(other_browser, "lan")
    assert other_browser.get("/can-bo/quan-tri").status_code == 403
    changes = {"role": "admin", "agency_code": SECOND_PROVINCE_AGENCY}
    answer = post(admin, f"{OFFICERS}/lan", f"{OFFICERS}/lan", changes)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{OFFICERS}/lan?done=officer_saved"
    assert "Đã lưu vai trò và cơ quan." in admin.get(answer.headers["location"]).text
    after = accounts(engine)
    assert after[0] == ("lan", "", "admin", SECOND_PROVINCE_AGENCY, False)
    assert other_browser.get("/can-bo/quan-tri").status_code == 200  # the same session
    # The API asked the same finds nothing to change.
    again = client.patch(
        "/api/v1/admin/officers/lan",
        json=changes,
        headers=officer_headers(client, "root", role="admin"),
    )
    assert again.status_code == 200 and accounts(engine) == after


@pytest.mark.parametrize(
    ("account", "changes", "field", "status", "message"),
    [
        ("root", {"role": "officer"}, "role", 409, "Không thể tự bỏ quyền quản trị"),
        ("lan", {"agency_code": "000.99.99.H20"}, "agency_code", 404, "Không tìm thấy cơ quan"),
        ("lan", {"role": ""}, "role", 422, "'officer', 'admin'"),
    ],
)
def test_a_refused_change_of_role_or_agency_changes_nothing(
    admin: TestClient,
    engine: Engine,
    account: str,
    changes: dict[str, str],
    field: str,
    status: int,
    message: str,
) -> None:
    before = accounts(engine)
    page = f"{OFFICERS}/{account}"
    answer = post(admin, page, page, {"role": "admin", "agency_code": PROVINCE, **changes})
    assert answer.status_code == status and message in error_of(answer, field)
    assert accounts(engine) == before


def test_disabling_an_account_ends_its_sessions_and_re_enabling_it_signs_in_again(
    admin: TestClient, other_browser: TestClient, engine: Engine
) -> None:
    sign_in(other_browser, "lan")
    state = f"{OFFICERS}/lan/trang-thai"
    page = shown(admin.get(f"{OFFICERS}/lan"))
    assert page.all("button", data_action="disable_officer")
    answer = post(admin, f"{OFFICERS}/lan", state, {"disabled": "true"})
    assert answer.headers["location"] == f"{OFFICERS}/lan?done=officer_disabled"
    assert accounts(engine)[0][-1] is True
    with Session(engine) as session:
        lan = session.scalars(select(Officer).where(col(Officer.username) == "lan")).one()
        left = session.scalar(select(func.count()).where(col(OfficerSession.officer_id) == lan.id))
    assert left == 0
    ended = other_browser.get("/can-bo/quan-tri", follow_redirects=False)
    assert ended.status_code == 303 and ended.headers["location"].startswith("/can-bo/?next=")
    assert shown(admin.get(f"{OFFICERS}/lan")).all("button", data_action="enable_officer")
    answer = post(admin, f"{OFFICERS}/lan", state, {"disabled": "false"})
    assert answer.headers["location"] == f"{OFFICERS}/lan?done=officer_enabled"
    assert accounts(engine)[0][-1] is False
    sign_in(other_browser, "lan")


def test_an_admin_cannot_disable_their_own_account(admin: TestClient, engine: Engine) -> None:
    before = accounts(engine)
    answer = post(admin, f"{OFFICERS}/root", f"{OFFICERS}/root/trang-thai", {"disabled": "true"})
    assert answer.status_code == 409
    assert "Không thể tự vô hiệu hóa tài khoản" in error_of(answer, "disabled")
    assert accounts(engine) == before


def test_an_unknown_account_is_the_404_page(admin: TestClient) -> None:
    assert admin.get(f"{OFFICERS}/khong-co").status_code == 404
    answer = post(admin, OFFICERS, f"{OFFICERS}/khong-co", {"role": "admin"})
    assert answer.status_code == 404


# -- the calendar ------------------------------------------------------------------------------


def test_the_calendar_lists_the_years_holidays_and_make_up_days(admin: TestClient) -> None:
    page = shown(admin.get(f"{CALENDAR}?year=2026"))
    days = {r["data-day"]: r["data-kind"] for r in page.all("tr", data_day="")}
    assert days["2026-09-02"] == "holiday" and days["2026-01-10"] == "working"
    assert not page.all("button", data_action="remove_override")  # the rules only
    # A year the calendar does not know is this year.
    assert admin.get(f"{CALENDAR}?year=3000").status_code == 200


def test_an_override_added_changed_and_removed_is_what_the_api_would_store(
    admin: TestClient, client: TestClient, engine: Engine
) -> None:
    page = f"{CALENDAR}?year=2026"
    typed = {"day": "22/08/2026", "working": "true", "note": "Làm bù cho ngày 31/8"}
    answer = post(admin, page, CALENDAR, typed)
    assert answer.headers["location"] == f"{CALENDAR}?year=2026&done=override_saved"
    headers = officer_headers(client, "root", role="admin")
    same = {"day": "2026-08-23", "working": True, "note": "Làm bù cho ngày 31/8"}
    assert client.put("/api/v1/admin/calendar", json=same, headers=headers).status_code == 200
    (by_page, by_api) = overrides(engine)
    assert by_page[1:] == by_api[1:] and by_page[0] == date(2026, 8, 22)
    listed = shown(admin.get(answer.headers["location"]))
    assert listed.all("tr", data_day="2026-08-22", data_kind="working", data_override="")
    assert "Đã lưu ngày điều chỉnh." in listed.plain_text()
    # The same day again replaces its override.
    post(admin, page, CALENDAR, {**typed, "day": "2026-08-22", "working": "false", "note": ""})
    assert overrides(engine)[0] == (date(2026, 8, 22), False, "")
    removed = post(admin, page, f"{CALENDAR}/xoa", {"day": "2026-08-22", "year": "2026"})
    assert removed.headers["location"] == f"{CALENDAR}?year=2026&done=override_removed"
    assert overrides(engine) == [by_api]
    again = post(admin, page, f"{CALENDAR}/xoa", {"day": "2026-08-22", "year": "2026"})
    assert again.status_code == 404
    assert "Ngày 2026-08-22 không có điều chỉnh." in shown(again).plain_text()


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"day": "32/13/2026"}, "day", "phải có dạng YYYY-MM-DD"),
        ({"day": ""}, "day", "phải có dạng YYYY-MM-DD"),
        ({"working": ""}, "working", "bắt buộc"),
        ({"note": "x" * 301}, "note", "tối đa 300 ký tự"),
    ],
)
def test_a_refused_override_is_the_form_again_with_the_apis_message(
    admin: TestClient, engine: Engine, typed: dict[str, str], field: str, message: str
) -> None:
    good = {"day": "2026-08-22", "working": "true", "note": "làm bù", "year": "2026"}
    answer = post(admin, f"{CALENDAR}?year=2026", CALENDAR, {**good, **typed})
    assert answer.status_code == 422
    assert message in shown(answer).plain_text()
    if field == "working":
        assert shown(answer).all("input", name="working", aria_invalid="true")
    else:
        assert message in error_of(answer, field)
    assert overrides(engine) == []


# -- the catalogue: import ---------------------------------------------------------------------


def upload(client: TestClient, content: bytes | None, *, first: str = "csrf_token") -> Any:
    """The import form posted with `content` as its file (None: no file chosen)."""
    field = csrf(client, CATALOGUE)
    chosen = ("danh-muc.json", content, "application/json") if content is not None else ("", b"")
    parts: list[tuple[str, Any]] = [("document", chosen)]
    token = [("csrf_token", (None, field))]
    files = token + parts if first == "csrf_token" else parts + token
    return client.post(f"{CATALOGUE}/nhap", files=files, follow_redirects=False)


def test_an_imported_document_shows_its_report(admin: TestClient, engine: Engine) -> None:
    document = {"procedures": [new_record("1.000100.H20"), new_record(ONLINE_PROCEDURE)]}
    answer = upload(admin, json.dumps(document).encode())
    assert answer.status_code == 200, answer.text
    report = shown(answer)
    (row,) = report.all("tr", data_section="procedures")
    assert report.all("td", data_created="1") and report.all("td", data_updated="1")
    assert row and report.all("li", data_warning="1.000100.H20")  # no legal basis, no steps...
    with Session(engine) as session:
        assert session.get(Procedure, "1.000100.H20") is not None
    again = shown(upload(admin, json.dumps(document).encode()))
    assert again.all("td", data_unchanged="2")  # the same document changes nothing


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (b'{"procedures": [{"code": "x"}]}', 422, "procedures[0] (x)"),
        (
            json.dumps({"procedures": [new_record(agency_code="000.99.99.H20")]}).encode(),
            422,
            "không có cơ quan 000.99.99.H20",
        ),
        (b"{not json", 422, "không phải JSON hợp lệ"),
        (b"", 422, "không phải JSON hợp lệ"),
        (None, 422, "bắt buộc: chọn tệp danh mục"),
    ],
)
def test_a_refused_document_writes_nothing_and_says_why_next_to_the_file(
    admin: TestClient, engine: Engine, content: bytes | None, status: int, message: str
) -> None:
    before = catalogue(engine)
    answer = upload(admin, content)
    assert answer.status_code == status
    page = shown(answer)
    assert page.all(
        "input", type="file", aria_invalid="true", aria_describedby="document-hint document-error"
    )
    assert message in error_of(answer, "document")
    assert catalogue(engine) == before


def test_a_document_over_the_limit_is_refused_while_it_arrives(
    settings: Settings, engine: Engine
) -> None:
    settings.max_file_mb = 1  # a dossier file's limit: not the import's, which is the API's
    with TestClient(create_app(settings, engine)) as browser:
        sign_in(browser)
        before = catalogue(engine)
        under = upload(browser, b" " * (2 * 1024 * 1024))  # past MAX_FILE_MB, not the import's
        assert under.status_code == 422  # read whole: a blank file is no JSON
        answer = upload(browser, b" " * (MAX_IMPORT_MB * 1024 * 1024 + 1))
        assert answer.status_code == 413
        assert f"Tệp danh mục vượt quá {MAX_IMPORT_MB} MB." in error_of(answer, "document")
        assert catalogue(engine) == before


def test_an_upload_whose_first_part_is_not_the_csrf_field_is_refused(
    admin: TestClient, engine: Engine
) -> None:
    before = catalogue(engine)
    document = json.dumps({"procedures": [new_record("1.000100.H20")]}).encode()
    assert upload(admin, document, first="document").status_code == 403
    assert catalogue(engine) == before


# -- the catalogue: a procedure ----------------------------------------------------------------


def procedure_form(admin: TestClient) -> dict[str, Any]:
    """What the procedure's form sends as served: its inputs, checked boxes and selects."""
    html = admin.get(PROCEDURE_PAGE).text
    page = elements(html)
    data: dict[str, Any] = {"agencies": []}
    for control in page.all("input", name=""):
        if control["name"] == "csrf_token":
            continue
        if control.get("type") == "checkbox":
            if "checked" in control:
                data.setdefault(control["name"], []).append(control["value"])
        else:
            data[control["name"]] = control.get("value", "")
    for select_ in page.all("select", name=""):
        start = html.index(f'name="{select_["name"]}"')
        options = elements(html[start : html.index("</select>", start)]).all("option")
        data[select_["name"]] = next(o["value"] for o in options if "selected" in o)
    return data


def api_record(client: TestClient) -> dict[str, Any]:
    app_engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(app_engine) as session:
        return procedure_record(session, ONLINE_PROCEDURE)


def test_the_form_sent_as_served_changes_nothing(admin: TestClient, engine: Engine) -> None:
    before = catalogue(engine)
    answer = post(admin, PROCEDURE_PAGE, PROCEDURE_PAGE, procedure_form(admin))
    assert answer.headers["location"] == f"{PROCEDURE_PAGE}?done=procedure_saved"
    assert catalogue(engine) == before


def test_an_edited_procedure_is_the_record_the_api_would_write(
    admin: TestClient, client: TestClient, engine: Engine
) -> None:
    data = procedure_form(admin)
    data.update(
        {
            "level": "4",
            "processing_time.value": "2,5",
            "processing_time.unit": "working_days",
            "fees.0.label": "Lệ phí cấp bản sao",
            "fees.0.amount_vnd": "50.000",
            "fees.0.per": "copy",
            "fees.0.online_discount_vnd": "10.000",
            "fees.1.label": "Phí thẩm định",
            "fees.1.amount_vnd": "200000",
            "agencies": [PROVINCE, SECOND_PROVINCE_AGENCY],
        }
    )
    answer = post(admin, PROCEDURE_PAGE, PROCEDURE_PAGE, data)
    assert answer.status_code == 303, answer.text
    saved = shown(admin.get(answer.headers["location"]))
    assert saved.all("p", data_done="procedure_saved")
    record = api_record(client)
    assert record["level"] == 4 and record["processing_time"] == {
        "value": 2.5,
        "unit": "working_days",
    }
    assert record["fees"] == [
        {
            "label": "Lệ phí cấp bản sao",
            "amount_vnd": 50000,
            "per": "copy",
            "online_discount_vnd": 10000,
        },
        {"label": "Phí thẩm định", "amount_vnd": 200000, "per": None, "online_discount_vnd": 0},
    ]
    assert record["agencies"] == [PROVINCE, SECOND_PROVINCE_AGENCY]
    # The API, sent the record the page meant, finds nothing left to change.
    after = catalogue(engine)
    headers = officer_headers(client, "root", role="admin")
    put = client.put(f"/api/v1/procedures/{ONLINE_PROCEDURE}", json=record, headers=headers)
    assert put.status_code == 200 and put.json()["processing_days"] == 3
    assert catalogue(engine) == after
    # A line removed, and the first agency unchecked: the next one becomes the procedure's own.
    data = procedure_form(admin)
    data["fees.0.remove"] = "1"
    data["agencies"] = [SECOND_PROVINCE_AGENCY]
    assert post(admin, PROCEDURE_PAGE, PROCEDURE_PAGE, data).status_code == 303
    record = api_record(client)
    assert [line["label"] for line in record["fees"]] == ["Phí thẩm định"]
    assert record["agency_code"] == SECOND_PROVINCE_AGENCY
    assert record["agencies"] == [SECOND_PROVINCE_AGENCY]


def test_an_edit_made_on_a_record_changed_since_is_refused_and_shows_the_change(
    admin: TestClient, other_browser: TestClient, client: TestClient, engine: Engine
) -> None:
    """Two administrators open the procedure; the first saves a new level; the second's save,
    made on the page as it was, would put the old level back: a 409 over the current record,
    which the second may then edit and save."""
    sign_in(other_browser)
    second = procedure_form(other_browser)  # shown before the first administrator saves
    first = {**procedure_form(admin), "level": "4"}
    assert post(admin, PROCEDURE_PAGE, PROCEDURE_PAGE, first).status_code == 303
    after_first = catalogue(engine)
    stale = {**second, "processing_time.value": "9"}
    answer = post(other_browser, PROCEDURE_PAGE, PROCEDURE_PAGE, stale)
    assert answer.status_code == 409, answer.text
    assert "Thủ tục vừa được người khác cập nhật" in shown(answer).plain_text()
    assert shown(answer).all("div", data_refusal="409")
    assert catalogue(engine) == after_first  # the first save stands, nothing of the second
    # The page now shows the first administrator's level, and a save on it goes through.
    assert shown(answer).all("option", value="4", selected="")
    again = {**procedure_form(other_browser), "processing_time.value": "9"}
    assert again["seen"] != second["seen"]
    assert post(other_browser, PROCEDURE_PAGE, PROCEDURE_PAGE, again).status_code == 303
    record = api_record(client)
    assert record["level"] == 4 and record["processing_time"]["value"] == 9


def test_an_edit_without_the_version_it_was_made_on_is_refused(
    admin: TestClient, engine: Engine
) -> None:
    before = catalogue(engine)
    data = {k: v for k, v in procedure_form(admin).items() if k != "seen"}
    answer = post(admin, PROCEDURE_PAGE, PROCEDURE_PAGE, {**data, "level": "4"})
    assert answer.status_code == 409
    assert catalogue(engine) == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"processing_time.value": "0,3"}, "processing_time-value", "bội số của 0,5"),
        ({"processing_time.value": "ba"}, "processing_time-value", "số"),
        ({"processing_time.unit": "weeks"}, "processing_time-unit", "working_days"),
        ({"level": "2"}, "level", "không tiếp nhận hồ sơ trực tuyến"),
        ({"fees.0.amount_vnd": "năm mươi"}, "fees-0-amount_vnd", "số nguyên"),
        (
            {"fees.0.online_discount_vnd": "5", "fees.0.amount_vnd": "1"},
            "fees-0-online_discount_vnd",
            "online_discount_vnd",
        ),
        ({"agencies": []}, "agency-000-00-00-H20", "ít nhất một cơ quan"),
        ({"agencies": [PROVINCE, COMMUNE]}, "agency-000-00-00-H20", "khác cấp"),
    ],
)
def test_a_refused_edit_is_the_form_again_with_the_import_message(
    admin: TestClient, engine: Engine, changes: dict[str, Any], field: str, message: str
) -> None:
    before = catalogue(engine)
    data = {**procedure_form(admin), **changes}
    answer = post(admin, PROCEDURE_PAGE, PROCEDURE_PAGE, data)
    assert answer.status_code == 422, answer.text
    assert message in error_of(answer, field, "agencies" if field.startswith("agency-") else None)
    assert catalogue(engine) == before
    # The values stay as typed.
    typed = {k: v for k, v in changes.items() if isinstance(v, str) and k != "level"}
    for name, value in typed.items():
        if name != "processing_time.unit":
            assert shown(answer).all("input", name=name, value=value)


def test_a_retired_procedure_takes_no_new_dossiers(
    admin: TestClient, client: TestClient, engine: Engine
) -> None:
    answer = post(admin, PROCEDURE_PAGE, f"{PROCEDURE_PAGE}/ngung", {})
    assert answer.headers["location"] == f"{PROCEDURE_PAGE}?done=procedure_retired"
    page = shown(admin.get(answer.headers["location"]))
    assert page.all("p", data_retired_at="") and not page.all(
        "button", data_action="retire_procedure"
    )
    with Session(engine) as session:
        assert session.get_one(Procedure, ONLINE_PROCEDURE).retired_at is not None
    assert client.get(f"/api/v1/procedures/{ONLINE_PROCEDURE}").json()["retired_at"]


def test_the_catalogue_lists_the_procedures_to_edit(admin: TestClient) -> None:
    page = shown(admin.get(f"{CATALOGUE}?q=khai+sinh"))
    assert page.all("a", href=PROCEDURE_PAGE, data_edit_procedure=ONLINE_PROCEDURE)
    assert admin.get(f"{CATALOGUE}/9.999999").status_code == 404
    refused = admin.get(f"{CATALOGUE}?q=%25%25")
    assert shown(refused).all("input", name="q", aria_invalid="true")
