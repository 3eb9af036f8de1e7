"""Administration over HTTP: catalogue writes, calendar overrides and officer accounts, all
behind the admin role."""

import json
import threading
import time
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from app.config import Settings
from app.db import writer
from app.models import Agency, Officer, Procedure
from app.models.calendar import CalendarOverride
from app.services.catalogue.importing import MAX_IMPORT_MB
from app.services.catalogue.sample import sample_document
from tests.dossier_helpers import submit
from tests.factories import (
    PROVINCE,
    AuthAs,
    make_agency,
    make_officer,
    make_online_procedure,
    officer_headers,
)
from tests.factories import (
    procedure_record as procedure,
)


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_online_procedure(session)
    make_officer(session, "root", role="admin")
    make_officer(session, "lan")


ADMIN_CALLS: list[tuple[str, str, Any]] = [
    ("post", "/api/v1/procedures", procedure()),
    ("put", "/api/v1/procedures/1.001193.H20", procedure()),
    ("delete", "/api/v1/procedures/1.001193.H20", None),
    ("post", "/api/v1/catalogue/import", {"procedures": []}),
    ("put", "/api/v1/admin/calendar", {"day": "2026-12-31", "working": False}),
    ("post", "/api/v1/admin/officers", {"username": "x1", "agency_code": "000.00.00.H20"}),
    ("patch", "/api/v1/admin/officers/lan", {"disabled": True}),
    ("patch", "/api/v1/admin/officers/lan", {"role": "admin"}),
    ("get", "/api/v1/admin/officers", None),
]


@pytest.mark.parametrize(("method", "url", "body"), ADMIN_CALLS)
def test_admin_endpoints_refuse_officers_and_anonymous_callers(
    client: TestClient, session: Session, method: str, url: str, body: Any, auth_as: AuthAs
) -> None:
    before = session.scalar(select(func.count()).select_from(Procedure))
    kwargs: dict[str, Any] = {"json": body} if body is not None else {}
    officer = client.request(method, url, headers=auth_as("lan"), **kwargs)
    assert officer.status_code == 403
    assert officer.json()["error"]["code"] == "admin_only"
    assert client.request(method, url, **kwargs).status_code == 401
    assert session.scalar(select(func.count()).select_from(Procedure)) == before


def test_create_update_and_retire_a_procedure(client: TestClient, auth_as: AuthAs) -> None:
    headers = auth_as("root")
    created = client.post("/api/v1/procedures", json=procedure(), headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["online_mode"] == "partial"
    again = client.post("/api/v1/procedures", json=procedure(), headers=headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "procedure_exists"
    updated = client.put(
        "/api/v1/procedures/1.009999.H20", json=procedure(level=4, code="ignored"), headers=headers
    )
    assert updated.json()["level"] == 4 and updated.json()["code"] == "1.009999.H20"
    assert client.get("/api/v1/procedures", params={"q": "le hoi"}).json()["total"] == 1
    retired = client.delete("/api/v1/procedures/1.009999.H20", headers=headers)
    assert retired.json()["retired_at"] is not None


def test_a_bad_procedure_is_refused_and_nothing_is_written(
    client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    headers = auth_as("root")
    response = client.post("/api/v1/procedures", json=procedure(level=7), headers=headers)
    assert response.status_code == 422
    # The import's own validation, not FastAPI's: its code, and details naming the record.
    error = response.json()["error"]
    assert error["code"] == "invalid_catalogue"
    assert error["details"] == [
        {
            "loc": ["procedures", 0, "level"],
            "msg": "procedures[0] (1.009999.H20) level: phải từ 1 đến 4",
        }
    ]
    replaced = client.put("/api/v1/procedures/1.001193.H20", json={"level": 1}, headers=headers)
    assert replaced.json()["error"]["code"] == "invalid_catalogue"
    assert session.get(Procedure, "1.009999.H20") is None
    missing = client.put("/api/v1/procedures/9.999999", json=procedure(), headers=headers)
    assert missing.status_code == 404


def test_a_procedure_says_whether_it_issues_a_result_and_on_paper(
    client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    headers = auth_as("root")
    created = client.post("/api/v1/procedures", json=procedure(), headers=headers)
    assert (created.json()["issues_result"], created.json()["requires_paper_result"]) == (
        True,
        False,
    )  # the defaults: most procedures end in a document, electronic is enough
    paper = procedure(requires_paper_result=True)
    assert client.put("/api/v1/procedures/1.009999.H20", json=paper, headers=headers).is_success
    shown = client.get("/api/v1/procedures/1.009999.H20").json()
    assert (shown["issues_result"], shown["requires_paper_result"]) == (True, True)
    for bad in (
        procedure(issues_result=False, requires_paper_result=True),  # no result, on paper?
        procedure(issues_result="có"),
    ):
        refused = client.put("/api/v1/procedures/1.009999.H20", json=bad, headers=headers)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_catalogue"
    session.expire_all()
    stored = session.get_one(Procedure, "1.009999.H20")
    assert (stored.issues_result, stored.requires_paper_result) == (True, True)
    none = procedure(issues_result=False)
    assert client.put("/api/v1/procedures/1.009999.H20", json=none, headers=headers).is_success
    assert client.get("/api/v1/procedures/1.009999.H20").json()["issues_result"] is False
    # The list stays as it was: these are the procedure's page, not its row in a list.
    listed = client.get("/api/v1/procedures", params={"q": "le hoi"}).json()["items"][0]
    assert "issues_result" not in listed


def test_the_documentation_shows_the_catalogue_write_bodies(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    bodies = {
        ("/api/v1/procedures", "post"): "ProcedureCreate",
        ("/api/v1/procedures/{code}", "put"): "ProcedureUpdate",
        ("/api/v1/catalogue/import", "post"): "CatalogueImport",
    }
    for (path, method), model in bodies.items():
        body = paths[path][method]["requestBody"]["content"]["application/json"]["schema"]
        assert body["$ref"] == f"#/components/schemas/{model}"


def test_retired_procedures_keep_their_dossiers_and_take_no_new_ones(
    client: TestClient, auth_as: AuthAs
) -> None:
    code = submit(client).json()["code"]
    client.delete("/api/v1/procedures/1.001193.H20", headers=auth_as("root"))
    assert client.get(f"/api/v1/dossiers/{code}").status_code == 200
    assert submit(client).json()["error"]["code"] == "procedure_not_online"


def test_import_over_http_is_all_or_nothing(
    client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    headers = auth_as("root")
    good, bad = procedure("1.000100.H20"), procedure("1.000101.H20", agency_code="000.99.99.H20")
    response = client.post(
        "/api/v1/catalogue/import", json={"procedures": [good, bad]}, headers=headers
    )
    assert response.status_code == 422
    assert "1.000101.H20" in str(response.json()["error"]["details"])
    assert session.get(Procedure, "1.000100.H20") is None
    ok = client.post("/api/v1/catalogue/import", json={"procedures": [good]}, headers=headers)
    assert ok.json()["created"]["procedures"] == 1


def test_a_whole_catalogue_imports_over_http_past_the_json_limit(
    client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    document = {k: v for k, v in sample_document().items() if k != "sample"}
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(body) > Settings(_env_file=None).max_json_kb * 1024  # every other body's limit
    answer = client.post(
        "/api/v1/catalogue/import",
        content=body,
        headers={**auth_as("root"), "content-type": "application/json"},
    )
    assert answer.status_code == 200, answer.text[:500]
    assert answer.json()["created"]["procedures"] == len(document["procedures"])


def test_an_import_past_its_own_limit_is_a_413_and_writes_nothing(
    client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    before = session.scalar(select(func.count()).select_from(Procedure))
    padding = b" " * (MAX_IMPORT_MB * 1024 * 1024)
    answer = client.post(
        "/api/v1/catalogue/import",
        content=b'{"procedures": []' + padding + b"}",
        headers={**auth_as("root"), "content-type": "application/json"},
    )
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"]["code"] == "request_too_large"
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Procedure)) == before


def test_calendar_overrides_over_http(client: TestClient, auth_as: AuthAs) -> None:
    headers = auth_as("root")
    saturday = {"day": "2026-08-22", "working": True, "note": "Làm bù cho ngày 31/8"}
    assert client.put("/api/v1/admin/calendar", json=saturday, headers=headers).status_code == 200
    days = client.get("/api/v1/admin/calendar", params={"year": 2026}, headers=headers).json()
    assert {"day": "2026-08-22", "kind": "working", "name": "Làm bù cho ngày 31/8"} in days
    assert client.delete("/api/v1/admin/calendar/2026-08-22", headers=headers).status_code == 204
    assert client.delete("/api/v1/admin/calendar/2026-08-22", headers=headers).status_code == 404


def test_officer_accounts_over_http(client: TestClient, auth_as: AuthAs) -> None:
    headers = auth_as("root")
    body = {"username": "hoa", "password": "mot-mat-khau-dai", "agency_code": "000.00.00.H20"}
    created = client.post("/api/v1/admin/officers", json=body, headers=headers)
    assert created.status_code == 201 and "password" not in created.text
    assert client.post("/api/v1/admin/officers", json=body, headers=headers).status_code == 409
    short = {**body, "username": "hung", "password": "short"}
    assert client.post("/api/v1/admin/officers", json=short, headers=headers).status_code == 422
    token = client.post(
        "/api/v1/auth/token", data={"username": "hoa", "password": "mot-mat-khau-dai"}
    ).json()["access_token"]
    officer_headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/officer/dossiers", headers=officer_headers).status_code == 200
    client.patch("/api/v1/admin/officers/hoa", json={"disabled": True}, headers=headers)
    assert client.get("/api/v1/officer/dossiers", headers=officer_headers).status_code == 403


def test_an_admin_cannot_disable_themself_or_the_last_admin(
    client: TestClient, auth_as: AuthAs
) -> None:
    def disable(username: str, by: str) -> Any:
        return client.patch(
            f"/api/v1/admin/officers/{username}",
            json={"disabled": True},
            headers=auth_as(by, role="admin"),
        )

    auth_as("lan")  # an officer, not an admin
    refused = disable("root", by="root")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "cannot_disable_self"
    auth_as("mai", role="admin")
    assert disable("mai", by="root").status_code == 200  # two admins: one may go
    # root is now the last enabled admin: only a caller the accounts do not hold could try
    # (the service's own test), and root still cannot.
    assert disable("root", by="root").json()["error"]["code"] == "cannot_disable_self"
    assert disable("lan", by="root").status_code == 200  # officers as before
    status = client.get("/api/v1/officer/dossiers", headers=auth_as("root", role="admin"))
    assert status.status_code == 200  # root still works


def test_the_accounts_are_listed_by_username_without_their_passwords(
    client: TestClient, auth_as: AuthAs
) -> None:
    headers = auth_as("root")
    auth_as("mai", role="admin")
    listed = client.get("/api/v1/admin/officers", headers=headers)
    assert listed.status_code == 200 and listed.headers["cache-control"] == "no-store"
    body = listed.json()
    assert (body["total"], body["page"], body["page_size"]) == (3, 1, 20)
    assert body["items"] == [
        {
            "username": username,
            "full_name": "",
            "role": role,
            "agency_code": "000.00.00.H20",
            "disabled": False,
        }
        for username, role in (("lan", "officer"), ("mai", "admin"), ("root", "admin"))
    ]
    second = client.get("/api/v1/admin/officers?page=2&page_size=2", headers=headers).json()
    assert [o["username"] for o in second["items"]] == ["root"] and second["total"] == 3
    too_big = client.get("/api/v1/admin/officers?page_size=101", headers=headers)
    assert too_big.status_code == 422


def test_an_accounts_role_and_agency_change_and_apply_to_its_tokens_at_once(
    client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    commune = make_agency(
        session,
        "000.01.01.H20",
        "Ủy ban nhân dân xã Yên Sơn",
        "commune",
        session.get(Agency, PROVINCE),
    )
    root, lan = auth_as("root"), auth_as("lan")
    assert client.get("/api/v1/admin/officers", headers=lan).status_code == 403
    promoted = client.patch(
        "/api/v1/admin/officers/lan",
        json={"role": "admin", "agency_code": commune.code},
        headers=root,
    )
    assert promoted.status_code == 200, promoted.text
    assert promoted.json() == {
        "username": "lan",
        "full_name": "",
        "role": "admin",
        "agency_code": commune.code,
        "disabled": False,
    }
    # The token lan already holds speaks for the account as it is now.
    assert client.get("/api/v1/admin/officers", headers=lan).status_code == 200
    demoted = client.patch("/api/v1/admin/officers/lan", json={"role": "officer"}, headers=root)
    assert demoted.json()["role"] == "officer" and demoted.json()["agency_code"] == commune.code
    assert client.get("/api/v1/admin/officers", headers=lan).status_code == 403
    # A field left out, or null, stays as it is; an empty body changes nothing.
    same = client.patch("/api/v1/admin/officers/lan", json={"disabled": None}, headers=root)
    assert same.json() == demoted.json()
    assert client.patch("/api/v1/admin/officers/lan", json={}, headers=root).json() == same.json()


def test_a_refused_account_change_changes_nothing(
    client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    root = auth_as("root")

    def patch(username: str, body: Any) -> Any:
        return client.patch(f"/api/v1/admin/officers/{username}", json=body, headers=root)

    before = officer_rows(session)
    unknown = patch("lan", {"agency_code": "000.99.99.H20", "role": "admin"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "agency_not_found"
    malformed = patch("lan", {"agency_code": "xã Yên Sơn"})
    assert malformed.status_code == 422
    assert malformed.json()["error"]["details"][0]["loc"] == ["body", "agency_code"]
    assert patch("lan", {"role": "chief"}).status_code == 422
    assert patch("lan", {"password": "mot-mat-khau-moi"}).status_code == 422  # not here
    assert patch("nobody", {"role": "admin"}).json()["error"]["code"] == "officer_not_found"
    self_demoted = patch("root", {"role": "officer", "agency_code": PROVINCE})
    assert self_demoted.status_code == 409
    assert self_demoted.json()["error"] == {
        "code": "cannot_demote_self",
        "message": "Không thể tự bỏ quyền quản trị của chính mình.",
        "details": [],
    }
    assert patch("root", {"disabled": True}).json()["error"]["code"] == "cannot_disable_self"
    assert officer_rows(session) == before


def officer_rows(session: Session) -> list[tuple[Any, ...]]:
    session.expire_all()
    rows = session.scalars(select(Officer).order_by(col(Officer.username)))
    return [(o.username, o.role, o.agency_code, o.disabled) for o in rows]


def test_an_admin_write_waits_for_a_concurrent_writer(
    file_client: TestClient, threaded_engine: Engine
) -> None:
    """A write that commits while an admin request is under way must not fail it. On SQLite a
    transaction that began by reading (DEFERRED) cannot write once another connection has
    committed since ("database is locked" at once, the busy timeout does not apply): admin
    routes take the write lock when they begin, as the other writers do, and wait for it."""
    if threaded_engine.dialect.name == "sqlite":  # a file of its own; PostgreSQL has `world`
        with Session(threaded_engine) as session:
            make_online_procedure(session)
    headers = officer_headers(file_client, "root", role="admin")
    holding, release = threading.Event(), threading.Event()

    def other_writer() -> None:
        with Session(writer(threaded_engine)) as session:
            session.add(CalendarOverride(day=date(2026, 5, 4), working=True, note="làm bù"))
            session.flush()
            holding.set()
            release.wait(5)
            time.sleep(0.3)  # the admin request is reading meanwhile
            session.commit()

    thread = threading.Thread(target=other_writer)
    thread.start()
    try:
        assert holding.wait(5)
        release.set()
        answer = file_client.put(
            "/api/v1/admin/calendar",
            json={"day": "2026-12-31", "working": False, "note": "nghỉ thêm"},
            headers=headers,
        )
    finally:
        release.set()
        thread.join()
    assert answer.status_code == 200, answer.text
    with Session(threaded_engine) as session:
        days = set(session.scalars(select(col(CalendarOverride.day))))
    assert days == {date(2026, 5, 4), date(2026, 12, 31)}
