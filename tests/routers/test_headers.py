"""Security headers on every answer, no-store on answers with personal data or tokens, and the
documentation pages' Content Security Policy (app/headers.py)."""

import base64
import hashlib
import re

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from tests.dossier_helpers import submit
from tests.factories import PASSWORD, AuthAs, make_dossier, make_officer, make_online_procedure

SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def assert_secured(response: Response) -> None:
    for name, value in SECURITY.items():
        assert response.headers.get_list(name) == [value], (response.url, name)


def test_every_kind_of_answer_carries_the_security_headers(client: TestClient) -> None:
    answers = [
        client.get("/healthz"),  # a route
        client.get("/api/v1/dossiers/000.00.00.H20-250101-0001"),  # a business 404
        client.get("/nothing-here"),  # no route
        client.get("/api/v1/procedures", params={"page_size": 0}),  # a validation 422
        client.post("/api/v1/officer/dossiers/x/actions", json={}),  # a 401
    ]
    assert [a.status_code for a in answers] == [200, 404, 404, 422, 401]
    for answer in answers:
        assert_secured(answer)


def test_answers_with_personal_data_or_tokens_are_never_stored(
    client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    make_online_procedure(session)
    created = submit(client)
    assert created.status_code == 201 and "access_token" in created.json()
    made = make_dossier(session)
    bearer = {"Authorization": f"Bearer {made.access_token}"}
    make_officer(session, "hoa", password=PASSWORD)
    login = client.post("/api/v1/auth/token", data={"username": "hoa", "password": PASSWORD})
    assert login.status_code == 200
    headers = auth_as("lan")
    private = [
        created,
        login,
        client.get(f"/api/v1/dossiers/{made.code}/details", headers=bearer),
        client.get(f"/api/v1/dossiers/{made.code}/details"),  # its 401 too
        client.get("/api/v1/officer/dossiers", headers=headers),
        client.get(f"/api/v1/officer/dossiers/{made.code}", headers=headers),
        client.get("/api/v1/admin/calendar?year=2026", headers=auth_as("an", role="admin")),
    ]
    assert [p.status_code for p in private] == [201, 200, 200, 401, 200, 200, 200]
    for answer in private:
        assert answer.headers["cache-control"] == "no-store", answer.url
        assert_secured(answer)
    public = client.get(f"/api/v1/dossiers/{made.code}")
    assert public.status_code == 200 and "cache-control" not in public.headers
    catalogue = client.get("/api/v1/procedures")
    assert catalogue.headers["cache-control"].startswith("public")


def test_the_documentation_pages_allow_only_their_own_scripts(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert_secured(page)
        policy = dict(
            part.strip().split(" ", 1)
            for part in page.headers["content-security-policy"].split(";")
        )
        assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
        inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
        hashes = {
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in inline
        }
        assert set(policy["script-src"].split()) == {"'self'", *hashes}
        assert (path == "/docs") == bool(hashes)  # Swagger UI has one inline script
        assert page.text.count("<html") == 1  # the page itself, whole
