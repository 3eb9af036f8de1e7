"""The officers' printed forms as pages: each form of a dossier as a PDF an officer of its
agency may print (the API's rule for who may act on it), and the register as XLSX."""

import io
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import Engine
from sqlmodel import Session

from app.models import Agency
from app.models.types import VN_TZ, utcnow
from app.services.printing import REGISTER_COLUMNS, REGISTER_FIRST_ROW
from tests.factories import APPLICANT, PROVINCE, make_agency, make_dossier, make_officer, move
from tests.web.html import elements

PASSWORD = "mat-khau-du-dai-1"
OTHER = "000.07.00.H20"


@pytest.fixture
def officers(session: Session) -> None:
    make_dossier(session, "new")  # the province and the online procedure
    province = session.get_one(Agency, PROVINCE)
    make_agency(session, OTHER, "Sở Xây dựng", parent=province)
    make_officer(session, "lan", PROVINCE, password=PASSWORD)
    make_officer(session, "minh", OTHER, password=PASSWORD)


def signed_in(client: TestClient, username: str = "lan") -> TestClient:
    page = client.get("/can-bo/")
    (field,) = [a["value"] for a in elements(page.text).all("input", name="csrf_token")]
    data = {"csrf_token": field, "username": username, "password": PASSWORD}
    assert client.post("/can-bo/dang-nhap", data=data, follow_redirects=False).status_code == 303
    return client


def text_of(pdf: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.usefixtures("officers")
@pytest.mark.parametrize(
    ("road", "form", "words"),
    [
        (["accept"], "giay-tiep-nhan", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
        (["accept", "request_supplement"], "phieu-bo-sung", "PHIẾU YÊU CẦU BỔ SUNG"),
        (["refuse"], "phieu-tu-choi", "PHIẾU TỪ CHỐI TIẾP NHẬN"),
        (["accept", "start_processing"], "phieu-kiem-soat", "PHIẾU KIỂM SOÁT QUÁ TRÌNH"),
    ],
)
def test_each_form_prints_the_dossier_as_a_pdf(
    client: TestClient, engine: Engine, road: list[str], form: str, words: str
) -> None:
    made = make_dossier(engine, "new")
    for action in road:
        move(engine, made.code, action, now=utcnow())
    answer = signed_in(client).get(f"/can-bo/ho-so/{made.code}/in/{form}")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("inline;")
    assert answer.headers["cache-control"] == "no-store"
    text = " ".join(text_of(answer.content).split())
    assert words in text.upper() and made.code in text, text[:400]
    assert APPLICANT["full_name"] in text


@pytest.mark.usefixtures("officers")
def test_a_form_without_its_data_is_the_services_409_and_an_unknown_form_a_404(
    client: TestClient, engine: Engine
) -> None:
    made = make_dossier(engine, "new")
    signed_in(client)
    early = client.get(f"/can-bo/ho-so/{made.code}/in/phieu-tu-choi")
    assert early.status_code == 409 and early.headers["content-type"].startswith("text/html")
    assert client.get(f"/can-bo/ho-so/{made.code}/in/mau-khac").status_code == 404
    assert (
        client.get("/can-bo/ho-so/000.00.00.H20-990101-0001/in/giay-tiep-nhan").status_code == 404
    )


@pytest.mark.usefixtures("officers")
def test_another_agencys_officer_and_a_browser_without_a_session_print_nothing(
    client: TestClient, settings: Any, engine: Engine
) -> None:
    made = make_dossier(engine, "accepted")
    path = f"/can-bo/ho-so/{made.code}/in/giay-tiep-nhan"
    away = client.get(path, follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"].startswith("/can-bo/?next=")
    refused = signed_in(client, "minh").get(path)
    assert refused.status_code == 403 and "application/pdf" not in refused.headers["content-type"]


@pytest.mark.usefixtures("officers")
def test_the_register_of_a_period_is_the_agencys_dossiers_as_xlsx(
    client: TestClient, engine: Engine
) -> None:
    received = [make_dossier(engine, "accepted").code for _ in range(2)]
    make_dossier(engine, "new")  # submitted, not received
    today = datetime.now(VN_TZ).date().isoformat()  # the register's days are Vietnam days
    answer = signed_in(client).get("/can-bo/so-theo-doi", params={"from": today, "to": today})
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    keys = [k for k, _ in REGISTER_COLUMNS]
    rows = [
        dict(zip(keys, row, strict=True))
        for row in sheet.iter_rows(min_row=REGISTER_FIRST_ROW, values_only=True)
    ]
    assert sorted(str(r["code"]) for r in rows) == sorted(received)
    # An officer asks for their own agency only; an admin may name another.
    other = client.get("/can-bo/so-theo-doi", params={"agency": OTHER})
    assert other.status_code == 403
    bad = client.get("/can-bo/so-theo-doi", params={"from": today, "to": "2020-01-01"})
    assert bad.status_code == 422
    assert client.get("/can-bo/so-theo-doi", params={"from": "hôm qua"}).status_code == 422


@pytest.mark.usefixtures("officers")
@pytest.mark.parametrize(
    ("road", "forms"),
    [
        ([], ["phieu-kiem-soat"]),
        (["accept"], ["giay-tiep-nhan", "phieu-kiem-soat"]),
        (["accept", "request_supplement"], ["giay-tiep-nhan", "phieu-bo-sung", "phieu-kiem-soat"]),
        (["refuse"], ["phieu-tu-choi", "phieu-kiem-soat"]),
    ],
)
def test_the_dossier_page_links_the_forms_it_has_the_data_for_and_each_prints(
    client: TestClient, engine: Engine, road: list[str], forms: list[str]
) -> None:
    made = make_dossier(engine, "new")
    for action in road:
        move(engine, made.code, action, now=utcnow())
    page = signed_in(client).get(f"/can-bo/ho-so/{made.code}")
    assert page.status_code == 200
    links = elements(page.text).all("a", data_print="")
    assert [a["data-print"] for a in links] == forms
    for link in links:
        assert link["href"] == f"/can-bo/ho-so/{made.code}/in/{link['data-print']}"
        answer = client.get(link["href"])
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
