"""Dossiers and officers behind the browser tests, made through the live server's own API (an
officer signs in with `POST /api/v1/auth/token`; only the account itself is written with the
service, as an administrator would have made it)."""

import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from playwright.sync_api import Page, Response

from app.models.officer import OfficerCreate, Role
from app.services.catalogue.sample import sample_document
from app.services.officers import create_officer
from tests.browser.conftest import LiveApp
from tests.factories import small_pdf

# "Cấp lại giấy phép lái xe" of the sample catalogue: level 4, one offering agency (so the form
# has no agency choice), individuals only, and two required documents that both take PDF, so a
# supplement can ask for one of them and the page must offer that one alone.
PROCEDURE = "1.002804"
AGENCY = "000.01.15.H60"
APPLICATION, HEALTH = "don_de_nghi", "giay_kham_suc_khoe"
APPLICANT: dict[str, str] = {
    "full_name": "Lê Thị Thu Hà",
    "id_number": "034190001234",
    "phone": "0912 345 678",
}
FORM: dict[str, str] = {
    "ho_ten": "Lê Thị Thu Hà",
    "ngay_sinh": "1990-05-17",
    "so_dinh_danh": "034190001234",
    "so_giay_phep_lai_xe": "790123456789",
    "hang": "B",
}
PASSWORD = "mat-khau-cua-can-bo-2026"
SUPPLEMENT_NOTE = "Giấy khám sức khỏe đã hết hạn, đề nghị nộp giấy khám mới."


def sample_procedure(code: str = PROCEDURE) -> dict[str, Any]:
    """The procedure as the sample catalogue (the live server's data) spells it."""
    found: list[dict[str, Any]] = [p for p in sample_document()["procedures"] if p["code"] == code]
    assert len(found) == 1, code
    return found[0]


def pdf(text: str) -> bytes:
    """A real one-page PDF (tests/factories.py `small_pdf`), different for each text."""
    return small_pdf(text)


@dataclass(frozen=True)
class Submitted:
    code: str
    access_token: str

    @property
    def private_link(self) -> str:
        return f"/ho-so/{self.code}?token={self.access_token}"


def submit_by_api(base_url: str) -> Submitted:
    """An online dossier of PROCEDURE, as `POST /api/v1/dossiers` takes it."""
    fields = {
        "procedure_code": PROCEDURE,
        "applicant": json.dumps(APPLICANT, ensure_ascii=False),
        "form": json.dumps(FORM, ensure_ascii=False),
    }
    files = [
        (APPLICATION, ("don-de-nghi.pdf", pdf("DON DE NGHI"), "application/pdf")),
        (HEALTH, ("giay-kham.pdf", pdf("GIAY KHAM SUC KHOE"), "application/pdf")),
    ]
    answer = httpx.post(f"{base_url}/api/v1/dossiers", data=fields, files=files)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return Submitted(body["code"], body["access_token"])


def officer_headers(live: LiveApp, agency_code: str = AGENCY) -> dict[str, str]:
    """A new officer of the agency, signed in through the API: its Authorization header."""
    username = f"canbo-{uuid.uuid4().hex[:8]}"
    data = OfficerCreate(
        username=username, password=PASSWORD, agency_code=agency_code, role=Role.officer
    )
    create_officer(live.engine, data)
    answer = httpx.post(
        f"{live.url}/api/v1/auth/token", data={"username": username, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def act(
    base_url: str, headers: dict[str, str], code: str, action: str, **fields: Any
) -> dict[str, Any]:
    """One officer action on the version the officer sees; the officer's full view after it."""
    url = f"{base_url}/api/v1/officer/dossiers/{code}"
    seen = httpx.get(url, headers=headers)
    assert seen.status_code == 200, seen.text
    body = {"action": action, "version": seen.json()["version"], **fields}
    answer = httpx.post(f"{url}/actions", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


def ask_for_supplement(live: LiveApp, code: str, documents: list[str]) -> None:
    """An officer of the agency accepts the dossier and asks for `documents` again."""
    headers = officer_headers(live)
    act(live.url, headers, code, "accept")
    view = act(
        live.url,
        headers,
        code,
        "request_supplement",
        public_note=SUPPLEMENT_NOTE,
        documents=documents,
    )
    assert view["status"] == "supplement_requested"


def public_view(base_url: str, code: str) -> dict[str, Any]:
    """`GET /api/v1/dossiers/{code}`, the public tracking view."""
    answer = httpx.get(f"{base_url}/api/v1/dossiers/{code}")
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


def receipt_path(code: str) -> str:
    return f"/thu-tuc/{PROCEDURE}/nop-ho-so/bien-nhan/{code}"


def open_receipt(page: Page, base_url: str, made: Submitted) -> Response | None:
    """The receipt of a dossier made through the API, with the cookie that the submission's
    303 gives the browser that submitted it (docs/API.md, Submitting through the page)."""
    url = base_url + receipt_path(made.code)
    page.context.add_cookies(
        [
            {
                "name": "receipt_token",
                "value": made.access_token,
                "url": url,
                "httpOnly": True,
                "sameSite": "Strict",
            }
        ]
    )
    return page.goto(url)
