"""Hostile JSON and text over HTTP (issue 12): every refusal is a 422 (or the multipart 400) in
the contract's shape, with a Vietnamese message, on both databases, and leaves nothing behind."""

import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.models.applicant import PERSONAL_ID_MSG
from tests.dossier_helpers import everything, submit
from tests.factories import (
    APPLICANT,
    FORM,
    FORM_SCHEMA,
    PDF_BYTES,
    make_dossier,
    make_officer,
    make_online_procedure,
    officer_headers,
    procedure_record,
)

# The contract's limits (API.md, Conventions), stated here rather than imported.
MAX_DEPTH = 64
MAX_INT_DIGITS = 100
INVALID_JSON = ("invalid_json", "Nội dung JSON không hợp lệ.")
NUL_CHARACTER = ("nul_character", "Dữ liệu chứa ký tự NUL (U+0000), không được chấp nhận.")
NOT_FINITE = "chỉ nhận số hữu hạn (không nhận NaN, Infinity hay số tràn như 1e999)"
TOO_DEEP = f"mảng và đối tượng lồng nhau quá {MAX_DEPTH} cấp"
TOO_LONG = f"số nguyên dài quá {MAX_INT_DIGITS} chữ số"
NUL = "chứa ký tự NUL (U+0000)"
SURROGATE = "chứa ký tự Unicode không hợp lệ (nửa cặp surrogate)"

# A JSON value in the place of a field's value, the detail's message it earns, and where the
# detail points: at the field ("value"), at the first array past the limit ("depth"), or at
# the whole document ("parse": found while parsing, the place is not known). The deep arrays
# are one level past the limit, and far past it (the standard parser's recursion limit: a 500
# until now).
HOSTILE: dict[str, tuple[str, str, str]] = {
    "nested one level too deep": ("[" * MAX_DEPTH + "]" * MAX_DEPTH, TOO_DEEP, "depth"),
    "nested 5000 levels deep": ("[" * 5000 + "]" * 5000, TOO_DEEP, "parse"),
    "integer of 101 digits": ("1" + "0" * MAX_INT_DIGITS, TOO_LONG, "parse"),
    "integer of 4301 digits": ("-" + "9" * 4301, TOO_LONG, "parse"),
    "NaN": ("NaN", NOT_FINITE, "parse"),
    "Infinity": ("Infinity", NOT_FINITE, "parse"),
    "-Infinity": ("-Infinity", NOT_FINITE, "parse"),
    "1e999": ("1e999", NOT_FINITE, "parse"),
    "a lone surrogate": ('"\\ud800"', SURROGATE, "value"),
    "NUL": ('"Tôi không cần\\u0000 nữa."', NUL, "value"),
}


def expected_loc(where: str, hostile: str, field: list[str | int]) -> list[str | int]:
    """The detail's `loc` for a hostile value at `field` of the document found at `where`."""
    place = HOSTILE[hostile][2]
    if place == "parse":
        return [where]
    if place == "value":
        return [where, *field]
    # Each step of `field` is one level: the array at level MAX_DEPTH is the one refused.
    return [where, *field, *[0] * (MAX_DEPTH - len(field))]


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_online_procedure(session)
    make_officer(session, "lan")
    make_officer(session, "root", role="admin")


def assert_refused(response: httpx.Response, status: int, code: str, *details: Any) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert not error["message"].isascii(), error  # Vietnamese, not FastAPI's English
    if details:
        assert error["details"] == list(details), error["details"]


# ---------------------------------------------------------------------------------------------
# JSON bodies: the applicant's withdrawal, officers' actions, the admin bodies


# method, path, the body with %s in the place of a value, that place, and the headers
JsonCall = tuple[str, str, str, list[str | int], dict[str, str]]


@pytest.fixture
def json_calls(client: TestClient, session: Session) -> list[JsonCall]:
    made = make_dossier(session)
    applicant = {"Authorization": f"Bearer {made.access_token}"}
    officer = officer_headers(client, "lan")
    admin = officer_headers(client, "root")
    record = procedure_record(description="__HOSTILE__")
    procedure = json.dumps(record).replace('"__HOSTILE__"', "%s")
    action = '{"action": "refuse", "version": 1, "public_note": %s}'
    override = '{"day": "2026-12-31", "working": false, "note": %s}'
    new_officer = '{"username": "nam", "agency_code": "000.00.00.H20", "full_name": %s}'
    return [
        ("post", f"/api/v1/dossiers/{made.code}/withdraw", '{"reason": %s}', ["reason"], applicant),
        ("post", f"/api/v1/officer/dossiers/{made.code}/actions", action, ["public_note"], officer),
        ("post", "/api/v1/procedures", procedure, ["description"], admin),
        ("put", "/api/v1/procedures/1.001193.H20", procedure, ["description"], admin),
        (
            "post",
            "/api/v1/catalogue/import",
            '{"fields": [{"code": "G9", "name": %s}]}',
            ["fields", 0, "name"],
            admin,
        ),
        ("put", "/api/v1/admin/calendar", override, ["note"], admin),
        ("post", "/api/v1/admin/officers", new_officer, ["full_name"], admin),
        ("patch", "/api/v1/admin/officers/lan", '{"disabled": %s}', ["disabled"], admin),
    ]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_json_bodies_are_refused_and_change_nothing(
    client: TestClient,
    engine: Engine,
    settings: Settings,
    json_calls: list[JsonCall],
    hostile: str,
) -> None:
    value, reason, _ = HOSTILE[hostile]
    code, message = NUL_CHARACTER if reason == NUL else INVALID_JSON
    before = everything(engine, settings)
    for method, path, template, field, headers in json_calls:
        response = client.request(
            method,
            path,
            content=(template % value).encode(),
            headers={**headers, "content-type": "application/json"},
        )
        loc = expected_loc("body", hostile, field)
        assert_refused(response, 422, code, {"loc": loc, "msg": reason})
        assert response.json()["error"]["message"] == message
    assert everything(engine, settings) == before


def test_a_body_that_is_not_json_says_where(client: TestClient, session: Session) -> None:
    made = make_dossier(session)
    response = client.post(
        f"/api/v1/dossiers/{made.code}/withdraw",
        content=b'{"reason": "x",}',
        headers={
            "Authorization": f"Bearer {made.access_token}",
            "content-type": "application/json",
        },
    )
    where = {"loc": ["body"], "msg": "không phải JSON hợp lệ (dòng 1, cột 16)"}
    assert_refused(response, 422, "invalid_json", where)


def test_json_within_the_limits_is_read_as_before(client: TestClient, session: Session) -> None:
    made = make_dossier(session)
    # 100 digits are a number like any other: here a version that is not the current one.
    action = '{"action": "accept", "version": %s}' % ("9" * MAX_INT_DIGITS)
    response = client.post(
        f"/api/v1/officer/dossiers/{made.code}/actions",
        content=action.encode(),
        headers={**officer_headers(client, "lan"), "content-type": "application/json"},
    )
    assert_refused(response, 409, "stale_version")
    # 64 levels (the object and 63 arrays) are read: the form's schema refuses the value.
    nested = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    form = json.dumps(FORM, ensure_ascii=False).replace('"Trần Minh Khôi"', nested)
    refused = submit(client, form=form)
    assert_refused(refused, 422, "invalid_form")
    assert refused.json()["error"]["details"][0]["loc"] == ["form", "ho_ten"]


def test_a_bearer_token_of_hostile_json_is_an_invalid_token(client: TestClient) -> None:
    # Its claims are read before the signature is checked, to choose the issuer's keys.
    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    for claims in ("[" * 5000 + "]" * 5000, '{"iss": ' + "1" * 5000 + "}", '{"iss": NaN}'):
        token = ".".join([b64(b'{"alg": "RS256"}'), b64(claims.encode()), b64(b"signature")])
        response = client.get(
            "/api/v1/officer/dossiers", headers={"Authorization": f"Bearer {token}"}
        )
        assert_refused(response, 401, "invalid_token")


# ---------------------------------------------------------------------------------------------
# The JSON parts of a submission: online, at the counter, and a supplement's corrected form


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_form_and_applicant_parts_are_refused_and_leave_nothing(
    client: TestClient, engine: Engine, settings: Settings, session: Session, hostile: str
) -> None:
    value, reason, _ = HOSTILE[hostile]
    made = make_dossier(session, "supplement_requested", road=["request_supplement"])
    form = json.dumps(FORM, ensure_ascii=False).replace('"Trần Minh Khôi"', value)
    applicant = json.dumps(APPLICANT, ensure_ascii=False).replace('"Nguyễn Thị Hoa"', value)
    good_form, good_applicant = json.dumps(FORM), json.dumps(APPLICANT)
    before = everything(engine, settings)
    attempts: list[tuple[str, str, Callable[[], httpx.Response]]] = [
        ("form", "ho_ten", lambda: submit(client, form=form)),
        ("applicant", "full_name", lambda: submit(client, applicant=applicant)),
        ("form", "ho_ten", lambda: register(client, good_applicant, form)),
        ("applicant", "full_name", lambda: register(client, applicant, good_form)),
        ("form", "ho_ten", lambda: supplement(client, made.code, made.access_token, form)),
    ]
    for part, field, attempt in attempts:
        code = "nul_character" if reason == NUL else f"invalid_{part}"
        loc = expected_loc(part, hostile, [field])
        assert_refused(attempt(), 422, code, {"loc": loc, "msg": reason})
    assert everything(engine, settings) == before


def register(client: TestClient, applicant: str, form: str) -> httpx.Response:
    """Counter registration by officer `lan`."""
    parts = {
        "procedure_code": "1.001193.H20",
        "channel": "counter",
        "applicant": applicant,
        "form": form,
    }
    files = [("to_khai", ("to-khai.pdf", PDF_BYTES, "application/pdf"))]
    response: httpx.Response = client.post(
        "/api/v1/officer/dossiers",
        files=[(name, (None, value)) for name, value in parts.items()] + files,
        headers=officer_headers(client, "lan"),
    )
    return response


def supplement(client: TestClient, code: str, token: str, form: str) -> httpx.Response:
    response: httpx.Response = client.post(
        f"/api/v1/dossiers/{code}/supplement",
        files=[("form", (None, form))],
        headers={"Authorization": f"Bearer {token}"},
    )
    return response


def test_nan_no_longer_passes_a_required_number_field(
    client: TestClient, engine: Engine, settings: Settings, session: Session
) -> None:
    # Until now NaN was a number to the form's schema: SQLite stored it as null, PostgreSQL
    # failed with a 500.
    schema = {
        **FORM_SCHEMA,
        "properties": {"so_tien": {"type": "number", "title": "Số tiền"}},
        "required": ["so_tien"],
    }
    make_online_procedure(session, code="1.001194.H20", form_schema=schema)
    before = everything(engine, settings)
    for value in ("NaN", "Infinity", "-Infinity", "1e999"):
        response = submit(client, procedure_code="1.001194.H20", form=f'{{"so_tien": {value}}}')
        assert_refused(response, 422, "invalid_form", {"loc": ["form"], "msg": NOT_FINITE})
    assert everything(engine, settings) == before
    assert (
        submit(client, procedure_code="1.001194.H20", form='{"so_tien": 1e300}').status_code == 201
    )


# ---------------------------------------------------------------------------------------------
# NUL characters in the path, the query, forms and text parts


def test_nul_in_a_path_is_refused_on_every_route(
    client: TestClient, engine: Engine, settings: Settings, session: Session
) -> None:
    made = make_dossier(session)
    applicant = {"Authorization": f"Bearer {made.access_token}"}
    officer = officer_headers(client, "lan")
    admin = officer_headers(client, "root")
    calls: list[tuple[str, str, dict[str, str], dict[str, Any]]] = [
        ("get", "/api/v1/agencies/000%00", {}, {}),
        ("get", "/api/v1/procedures/1.001193%00", {}, {}),
        ("get", "/api/v1/dossiers/%00", {}, {}),
        ("get", f"/api/v1/dossiers/{made.code}%00/details", applicant, {}),
        ("get", f"/api/v1/dossiers/{made.code}/documents/a%00", applicant, {}),
        ("post", f"/api/v1/dossiers/{made.code}%00/withdraw", applicant, {"json": {"reason": "x"}}),
        (
            "post",
            f"/api/v1/dossiers/{made.code}%00/supplement",
            applicant,
            {"files": [("form", (None, "{}"))]},
        ),
        ("get", f"/api/v1/officer/dossiers/{made.code}%00", officer, {}),
        ("get", f"/api/v1/officer/dossiers/{made.code}/documents/%00", officer, {}),
        (
            "post",
            f"/api/v1/officer/dossiers/{made.code}%00/actions",
            officer,
            {"json": {"action": "accept", "version": 1}},
        ),
        ("put", "/api/v1/procedures/%00", admin, {"json": {}}),
        ("delete", "/api/v1/procedures/1.001193.H20%00", admin, {}),
        ("patch", "/api/v1/admin/officers/lan%00", admin, {"json": {"disabled": True}}),
        ("delete", "/api/v1/admin/calendar/%00", admin, {}),
    ]
    before = everything(engine, settings)
    for method, path, headers, kwargs in calls:
        response = client.request(method, path, headers=headers, **kwargs)
        assert_refused(response, 422, "nul_character", {"loc": ["path"], "msg": NUL})
    assert everything(engine, settings) == before


def test_nul_in_a_query_is_refused_and_named(client: TestClient) -> None:
    officer = officer_headers(client, "lan")
    calls: list[tuple[str, dict[str, str], str]] = [
        ("/api/v1/procedures?q=%00", {}, "q"),
        ("/api/v1/procedures?agency=000.00.00.H20%00", {}, "agency"),
        ("/api/v1/procedures?field=G01%00&page=1", {}, "field"),
        ("/api/v1/agencies?parent=%00", {}, "parent"),
        ("/api/v1/stats/online-ratio?agency=%00", {}, "agency"),
        ("/api/v1/stats/catalogue?procedure=%00", {}, "procedure"),
        ("/api/v1/officer/dossiers?procedure=1.001193.H20%00", officer, "procedure"),
        ("/api/v1/officer/dossiers?q=Hoa%00", officer, "q"),
        ("/api/v1/admin/calendar?year=2026%00", officer, "year"),
    ]
    for path, headers, name in calls:
        response = client.get(path, headers=headers)
        assert_refused(response, 422, "nul_character", {"loc": ["query", name], "msg": NUL})


def test_nul_in_the_sign_in_form_is_refused(client: TestClient) -> None:
    for form in ({"username": "lan\x00", "password": "x"}, {"username": "lan", "password": "\x00"}):
        name = "username" if "\x00" in form["username"] else "password"
        response = client.post("/api/v1/auth/token", data=form)
        assert_refused(response, 422, "nul_character", {"loc": ["body", name], "msg": NUL})
    multipart = client.post(
        "/api/v1/auth/token", files=[("username", (None, "lan\x00")), ("password", (None, "x"))]
    )
    assert_refused(multipart, 422, "nul_character", {"loc": ["body"], "msg": NUL})


def test_nul_in_a_text_part_is_refused_and_leaves_nothing(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    before = everything(engine, settings)
    online = submit(client, procedure_code="1.001193.H20\x00")
    assert_refused(online, 422, "nul_character", {"loc": ["procedure_code"], "msg": NUL})
    counter = client.post(
        "/api/v1/officer/dossiers",
        files=[
            ("procedure_code", (None, "1.001193.H20")),
            ("channel", (None, "counter\x00")),
            ("applicant", (None, json.dumps(APPLICANT))),
            ("form", (None, json.dumps(FORM))),
            ("to_khai", ("to-khai.pdf", PDF_BYTES, "application/pdf")),
        ],
        headers=officer_headers(client, "lan"),
    )
    assert_refused(counter, 422, "nul_character", {"loc": ["channel"], "msg": NUL})
    assert everything(engine, settings) == before


# ---------------------------------------------------------------------------------------------
# Pages, statistics periods, multipart boundaries, identity numbers


@pytest.mark.parametrize("page", ["10001", "10000000000000000000", "9" * 5000])
def test_a_page_beyond_the_last_is_refused_on_every_list(client: TestClient, page: str) -> None:
    officer = officer_headers(client, "lan")
    for path, headers in (("/api/v1/procedures", {}), ("/api/v1/officer/dossiers", officer)):
        response = client.get(path, params={"page": page}, headers=headers)
        assert_refused(response, 422, "validation_error")
        assert response.json()["error"]["details"][0]["loc"] == ["query", "page"]
        assert client.get(path, params={"page": "10000"}, headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("query", "loc"),
    [
        ({"to": "9999-12-31"}, ["query", "to"]),
        ({"from": "2100-06-01", "to": "2101-01-01"}, ["query", "to"]),
        ({"from": "1900-12-31", "to": "1901-06-01"}, ["query", "from"]),
        ({"from": "0001-01-01", "to": "0001-12-31"}, ["query", "from"]),
    ],
)
def test_a_period_beyond_the_calendar_is_refused(
    client: TestClient, query: dict[str, str], loc: list[str]
) -> None:
    within = {"loc": loc, "msg": "phải từ 01/01/1901 đến 31/12/2100"}
    for kind in ("online-ratio", "on-time", "status", "indicators"):
        for group_by in ("none", "day", "month"):
            response = client.get(f"/api/v1/stats/{kind}", params={**query, "group_by": group_by})
            assert_refused(response, 422, "invalid_period", within)


def test_the_calendars_last_years_are_served(client: TestClient) -> None:
    for query in ({"from": "1901-01-01", "to": "1901-12-31"}, {"to": "2100-12-31"}):
        response = client.get("/api/v1/stats/online-ratio", params={**query, "group_by": "month"})
        assert response.status_code == 200, response.text


def test_a_multipart_boundary_over_256_characters_is_a_400(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    before = everything(engine, settings)
    for boundary in ("b" * 257, "b" * 5000):
        body = f'--{boundary}\r\nContent-Disposition: form-data; name="procedure_code"\r\n\r\n'
        body += f"1.001193.H20\r\n--{boundary}--\r\n"
        response = client.post(
            "/api/v1/dossiers",
            content=body.encode(),
            headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        )
        assert_refused(
            response,
            400,
            "malformed_request",
        )
        assert "256" in response.json()["error"]["message"]
    assert everything(engine, settings) == before


@pytest.mark.parametrize(
    "id_number",
    [
        "٠٠١١٩٠٠١٢٣٤٥",  # Arabic-Indic digits, which `\d` and str.isdigit take
        "۰۰۱۱۹۰۰۱۲۳۴۵",  # Extended Arabic-Indic
        "００１１９００１２３４５",  # full-width
        "००११९००१२",  # Devanagari, 9 digits
        "001190012345\n",
    ],
)
def test_identity_numbers_take_ascii_digits_only(
    client: TestClient, engine: Engine, settings: Settings, id_number: str
) -> None:
    before = everything(engine, settings)
    response = submit(client, applicant={**APPLICANT, "id_number": id_number})
    if id_number.endswith("\n"):
        assert response.status_code == 201  # surrounding spaces are trimmed, as ever
        return
    assert_refused(
        response,
        422,
        "invalid_applicant",
        {"loc": ["applicant", "id_number"], "msg": PERSONAL_ID_MSG},
    )
    phone = submit(client, applicant={**APPLICANT, "phone": "٠٩١٢٣٤٥٦٧٨"})
    assert_refused(phone, 422, "invalid_applicant")
    assert everything(engine, settings) == before


def test_agency_codes_take_ascii_digits_only(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    before = everything(engine, settings)
    agency = {"code": "٠٠٠.٠٠.٠٠.H٢١", "name": "Ủy ban nhân dân tỉnh", "tier": "province"}
    response = client.post(
        "/api/v1/catalogue/import",
        json={"agencies": [agency]},
        headers=officer_headers(client, "root"),
    )
    assert_refused(response, 422, "invalid_catalogue")
    assert everything(engine, settings) == before
