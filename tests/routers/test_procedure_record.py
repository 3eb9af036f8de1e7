"""The complete procedure record (issue 14): channels, fee lines, templates of the dossier
components and the completeness check (Decision 766, indicator 1.3)."""

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlmodel import Session

from app.config import Settings
from app.models import Procedure
from tests.dossier_helpers import everything, submit
from tests.factories import (
    APPLICANT,
    FORM,
    FORM_SCHEMA,
    PDF_BYTES,
    PDF_DOC,
    AuthAs,
    make_officer,
    make_online_procedure,
    officer_headers,
)

DOCX = b"PK\x03\x04 a blank form"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "to_khai_le_hoi.docx").write_bytes(DOCX)
    (tmp_path / "secret.txt").write_text("not a template")
    return folder


@pytest.fixture
def settings(settings: Settings, templates: Path) -> Settings:
    return settings.model_copy(update={"templates_dir": str(templates)})


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_online_procedure(session)
    make_officer(session, "root", role="admin")


FULL_DOC = {**PDF_DOC, "name": "Tờ khai đề nghị tổ chức lễ hội", "template": "to_khai_le_hoi.docx"}
FEES = [
    {"label": "Lệ phí cấp phép", "amount_vnd": 100000, "per": None, "online_discount_vnd": 50000},
    {"label": "Phí sao y", "amount_vnd": 2000, "per": "page", "online_discount_vnd": 0},
]


def record(**changes: Any) -> dict[str, Any]:
    """A level-3 procedure with every component of a complete record."""
    body: dict[str, Any] = {
        "code": "1.009999.H20",
        "name": "Cấp giấy phép tổ chức lễ hội",
        "level": 3,
        "agency_code": "000.00.00.H20",
        "field_code": "G01",
        "processing_time": {"value": 10, "unit": "working_days"},
        "steps": ["Nộp hồ sơ", "Nhận kết quả"],
        "legal_basis": ["Nghị định 110/2018/NĐ-CP"],
        "result": "Văn bản chấp thuận tổ chức lễ hội",
        "fees": FEES,
        "required_documents": [FULL_DOC],
        "form_schema": FORM_SCHEMA,
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def create(client: TestClient, auth_as: AuthAs, **changes: Any) -> Any:
    return client.post("/api/v1/procedures", json=record(**changes), headers=auth_as("root"))


# -- channels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "channels", "expected"),
    [
        (3, None, ["counter", "postal", "online"]),
        (4, ["online", "postal"], ["postal", "online"]),
        (4, ["online"], ["online"]),
        (2, None, ["counter", "postal"]),
        (1, ["postal"], ["postal"]),
    ],
)
def test_channels_and_their_defaults(
    client: TestClient,
    auth_as: AuthAs,
    level: int,
    channels: list[str] | None,
    expected: list[str],
) -> None:
    body = record(level=level, channels=channels)
    if level < 3:
        body["form_schema"] = None
    created = client.post("/api/v1/procedures", json=body, headers=auth_as("root"))
    assert created.status_code == 201, created.text
    assert created.json()["channels"] == expected
    read = client.get("/api/v1/procedures/1.009999.H20").json()
    assert read["channels"] == expected


@pytest.mark.parametrize(
    ("level", "channels", "words"),
    [
        (2, ["counter", "online"], "không tiếp nhận hồ sơ trực tuyến"),
        (3, ["counter", "postal"], "phải tiếp nhận hồ sơ trực tuyến"),
        (3, [], "ít nhất một cách thức"),
        (3, ["online", "fax"], "channels"),
    ],
)
def test_channels_follow_the_level(
    client: TestClient,
    auth_as: AuthAs,
    engine: Engine,
    settings: Settings,
    level: int,
    channels: list[str],
    words: str,
) -> None:
    before = everything(engine, settings)
    body = {**record(level=level, channels=channels)}
    if level < 3:
        body["form_schema"] = None
    response = client.post("/api/v1/procedures", json=body, headers=auth_as("root"))
    assert response.status_code == 422, response.text
    assert words in response.json()["error"]["details"][0]["msg"]
    assert everything(engine, settings) == before


def register(client: TestClient, channel: str) -> Any:
    data = {
        "procedure_code": "1.001193.H20",
        "channel": channel,
        "applicant": json.dumps(APPLICANT),
        "form": json.dumps(FORM),
    }
    files: list[Any] = [(name, (None, value)) for name, value in data.items()]
    files.append(("to_khai", ("to-khai.pdf", PDF_BYTES, "application/pdf")))
    return client.post("/api/v1/officer/dossiers", files=files, headers=officer_headers(client))


def test_a_dossier_through_a_channel_the_procedure_lacks_is_refused(
    client: TestClient, session: Session, engine: Engine, settings: Settings
) -> None:
    officer_headers(client)  # the account first: it is no trace of the refusals
    session.execute(update(Procedure).values(level=4, channels=["online", "postal"]))
    session.commit()
    before = everything(engine, settings)
    refused = register(client, "counter")
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "channel_not_offered"
    assert error["message"] == "Thủ tục 1.001193.H20 không tiếp nhận hồ sơ trực tiếp."
    assert error["details"][0]["loc"] == ["channel"]
    # Data that breaks the level rule (written around the API) still never takes online.
    session.execute(update(Procedure).values(level=3, channels=["counter"]))
    session.commit()
    online = submit(client)
    assert online.status_code == 422
    assert online.json()["error"]["code"] == "channel_not_offered"
    after = everything(engine, settings)
    del after["rows"]["procedure"], before["rows"]["procedure"]  # changed here, by hand
    assert after == before
    session.execute(update(Procedure).values(level=4, channels=["online", "postal"]))
    session.commit()
    assert register(client, "postal").status_code == 201


# -- fees ---------------------------------------------------------------------------------------


def test_fee_lines_and_the_fixed_total_for_older_clients(
    client: TestClient, auth_as: AuthAs
) -> None:
    created = create(client, auth_as)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["fees"] == FEES
    assert body["fee_vnd"] == 100000  # the per-page line is a rule, not an amount
    listed = client.get("/api/v1/procedures", params={"q": "le hoi"}).json()["items"][0]
    assert listed["fee_vnd"] == 100000


def test_fee_vnd_alone_is_one_line(client: TestClient, auth_as: AuthAs) -> None:
    created = create(client, auth_as, fees=None, fee_vnd=30000)
    assert created.status_code == 201, created.text
    assert created.json()["fees"] == [
        {"label": "Lệ phí", "amount_vnd": 30000, "per": None, "online_discount_vnd": 0}
    ]
    agreeing = create(client, auth_as, code="1.009998.H20", fee_vnd=100000)
    assert agreeing.status_code == 201, agreeing.text


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"fee_vnd": 5}, "fee_vnd (5) khác tổng"),
        ({"fees": [{**FEES[0], "online_discount_vnd": 200000}]}, "không được lớn hơn"),
        ({"fees": [{**FEES[0], "amount_vnd": -1}]}, "amount_vnd"),
        ({"fees": [{**FEES[0], "per": "kg"}]}, "per"),
        ({"fees": [{**FEES[0], "label": " "}]}, "label"),
        ({"fees": [{**FEES[0], "vat": 1}]}, "vat"),
    ],
)
def test_bad_fee_lines_are_refused(
    client: TestClient,
    auth_as: AuthAs,
    engine: Engine,
    settings: Settings,
    changes: dict[str, Any],
    words: str,
) -> None:
    before = everything(engine, settings)
    response = create(client, auth_as, **changes)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_catalogue"
    assert words in json.dumps(response.json(), ensure_ascii=False)
    assert everything(engine, settings) == before


# -- templates ----------------------------------------------------------------------------------


def test_a_template_is_served_with_its_content_type(client: TestClient, auth_as: AuthAs) -> None:
    assert create(client, auth_as).status_code == 201
    detail = client.get("/api/v1/procedures/1.009999.H20").json()
    document = detail["required_documents"][0]
    assert document["template"] == "to_khai_le_hoi.docx"
    assert document["template_url"] == "/api/v1/procedures/1.009999.H20/templates/to_khai"
    served = client.get(document["template_url"])
    assert served.status_code == 200
    assert served.content == DOCX
    assert served.headers["content-type"] == DOCX_TYPE
    assert "to_khai_le_hoi.docx" in served.headers["content-disposition"]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/api/v1/procedures/9.999999/templates/to_khai", "procedure_not_found"),
        ("/api/v1/procedures/1.009999.H20/templates/anh", "template_not_found"),
        ("/api/v1/procedures/1.001193.H20/templates/to_khai", "template_not_found"),
        # The decoded slashes leave the route: the framework's 404, in the same shape.
        ("/api/v1/procedures/1.009999.H20/templates/..%2F..%2Fsecret.txt", "not_found"),
        ("/api/v1/procedures/1.009999.H20/templates/secret.txt", "template_not_found"),
    ],
)
def test_no_template_is_404_in_the_contracts_shape(
    client: TestClient, auth_as: AuthAs, path: str, code: str
) -> None:
    assert create(client, auth_as).status_code == 201
    response = client.get(path)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


def test_a_template_whose_file_is_gone_is_404(
    client: TestClient, auth_as: AuthAs, templates: Path
) -> None:
    assert create(client, auth_as).status_code == 201
    (templates / "to_khai_le_hoi.docx").unlink()
    response = client.get("/api/v1/procedures/1.009999.H20/templates/to_khai")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "template_not_found"


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("khong_co.docx", "không có tệp mẫu 'khong_co.docx'"),
        ("../secret.txt", "template"),
        ("sub/to_khai_le_hoi.docx", "template"),
        (".hidden", "template"),
        ("/etc/passwd", "template"),
    ],
)
def test_an_unknown_or_unsafe_template_is_an_import_error(
    client: TestClient,
    auth_as: AuthAs,
    engine: Engine,
    settings: Settings,
    template: str,
    words: str,
) -> None:
    before = everything(engine, settings)
    document = {**FULL_DOC, "template": template}
    response = create(client, auth_as, required_documents=[document])
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_catalogue"
    assert words in response.json()["error"]["details"][0]["msg"]
    assert everything(engine, settings) == before


# -- completeness -------------------------------------------------------------------------------


def test_a_complete_record_imports_without_warnings(client: TestClient, auth_as: AuthAs) -> None:
    doc = {"procedures": [record()]}
    report = client.post("/api/v1/catalogue/import", json=doc, headers=auth_as("root")).json()
    assert report["created"]["procedures"] == 1
    assert report["warnings"] == []


def test_an_incomplete_record_is_written_with_a_warning(
    client: TestClient, auth_as: AuthAs
) -> None:
    form = {**FULL_DOC, "template": None}
    incomplete = record(steps=[], result="", fees=None, required_documents=[form])
    doc = {"procedures": [record(code="1.009998.H20"), incomplete]}
    report = client.post("/api/v1/catalogue/import", json=doc, headers=auth_as("root")).json()
    assert report["created"]["procedures"] == 2
    assert report["warnings"] == [
        {
            "loc": ["procedures", 1],
            "code": "1.009999.H20",
            "missing": ["steps", "fees", "templates", "result"],
            "msg": "procedures[1] (1.009999.H20): hồ sơ thủ tục chưa đầy đủ, thiếu: trình tự "
            "thực hiện, phí, lệ phí, mẫu đơn, tờ khai, kết quả thực hiện",
        }
    ]
    assert client.get("/api/v1/procedures/1.009999.H20").status_code == 200  # written


def test_a_component_says_whether_it_is_a_form(client: TestClient, auth_as: AuthAs) -> None:
    # "Phiếu lý lịch tư pháp" is named like a form but is a certificate: its flag says so.
    certificate = {**PDF_DOC, "key": "ly_lich", "name": "Phiếu lý lịch tư pháp", "is_form": False}
    unnamed_form = {**PDF_DOC, "key": "bang_ke", "name": "Bảng kê tài sản", "is_form": True}
    doc = {
        "procedures": [
            record(required_documents=[FULL_DOC, certificate]),
            record(code="1.009998.H20", required_documents=[FULL_DOC, unnamed_form]),
        ]
    }
    report = client.post("/api/v1/catalogue/import", json=doc, headers=auth_as("root")).json()
    assert [(w["code"], w["missing"]) for w in report["warnings"]] == [
        ("1.009998.H20", ["templates"])
    ]
    detail = client.get("/api/v1/procedures/1.009999.H20").json()
    assert [d["is_form"] for d in detail["required_documents"]] == [None, False]


def test_catalogue_statistics_count_complete_records(
    client: TestClient, auth_as: AuthAs, session: Session
) -> None:
    headers = auth_as("root")
    doc = {"procedures": [record(), record(code="1.009998.H20", legal_basis=[])]}
    assert client.post("/api/v1/catalogue/import", json=doc, headers=headers).status_code == 200
    # The online procedure of the fixture lacks steps, result and legal basis.
    body = client.get("/api/v1/stats/catalogue", params={"agency": "000.00.00.H20"}).json()
    assert body["total"] == 3
    assert body["complete"] == 1
    assert body["complete_share"] == pytest.approx(1 / 3)
    missing = body["missing_by_component"]
    assert missing["legal_basis"] == 2 and missing["steps"] == 1 and missing["fees"] == 0
    assert set(missing) >= {"channels", "templates", "applicant_kinds", "form_schema"}
    csv = client.get("/api/v1/stats/catalogue", params={"format": "csv"}).text
    assert "complete_share" in csv and "Thủ tục thiếu căn cứ pháp lý" in csv
