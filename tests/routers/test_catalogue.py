"""Catalogue read endpoints: agencies, fields, procedures, filters, pagination, errors."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Agency
from tests.factories import make_agency, make_field, make_procedure


@pytest.fixture
def tree(session: Session) -> dict[str, Agency]:
    province = make_agency(session, "000.00.00.H20", "UBND tỉnh", "province")
    department = make_agency(session, "000.01.00.H20", "Sở Tư pháp", "province", province)
    district = make_agency(session, "000.00.11.H20", "UBND huyện A", "district", province)
    commune = make_agency(session, "000.11.11.H20", "UBND xã B", "commune", district)
    other = make_agency(session, "000.00.12.H20", "UBND huyện C", "district", province)
    civil = make_field(session, "HT", "Hộ tịch")
    business = make_field(session, "DN", "Doanh nghiệp")
    make_procedure(session, department, business, "1.000010", "Đăng ký kinh doanh", level=4)
    make_procedure(session, district, business, "1.000011", "Cấp giấy phép kinh doanh", level=2)
    make_procedure(session, commune, civil, "1.000012", "Đăng ký khai sinh", level=3)
    make_procedure(session, commune, civil, "1.000013", "Đăng ký kết hôn", level=1)
    make_procedure(session, other, civil, "1.000014", "Chứng thực bản sao", level=3)
    return {"province": province, "district": district, "commune": commune}


def list_codes(client: TestClient, **params: object) -> list[str]:
    response = client.get("/api/v1/procedures", params=params)
    assert response.status_code == 200, response.text
    return [item["code"] for item in response.json()["items"]]


@pytest.mark.usefixtures("tree")
def test_agencies_filter_by_tier_and_parent(client: TestClient) -> None:
    all_codes = [a["code"] for a in client.get("/api/v1/agencies").json()]
    assert len(all_codes) == 5
    districts = client.get("/api/v1/agencies", params={"tier": "district"}).json()
    assert {a["code"] for a in districts} == {"000.00.11.H20", "000.00.12.H20"}
    children = client.get("/api/v1/agencies", params={"parent": "000.00.11.H20"}).json()
    assert children == [
        {
            "code": "000.11.11.H20",
            "name": "UBND xã B",
            "tier": "commune",
            "parent_code": "000.00.11.H20",
        }
    ]


@pytest.mark.usefixtures("tree")
def test_agency_by_code_and_unknown_agency(client: TestClient) -> None:
    assert client.get("/api/v1/agencies/000.00.00.H20").json()["parent_code"] is None
    missing = client.get("/api/v1/agencies/000.00.99.H20")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "agency_not_found"


def test_unknown_tier_is_422_with_field_details(client: TestClient) -> None:
    response = client.get("/api/v1/agencies", params={"tier": "village"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["loc"] == ["query", "tier"]
    assert "village" not in response.text  # the submitted value is never echoed


@pytest.mark.usefixtures("tree")
def test_fields(client: TestClient) -> None:
    assert client.get("/api/v1/fields").json() == [
        {"code": "DN", "name": "Doanh nghiệp"},
        {"code": "HT", "name": "Hộ tịch"},
    ]


@pytest.mark.usefixtures("tree")
def test_procedure_list_item_shape(client: TestClient) -> None:
    body = client.get("/api/v1/procedures", params={"level": 4}).json()
    assert body == {
        "items": [
            {
                "code": "1.000010",
                "name": "Đăng ký kinh doanh",
                "level": 4,
                "online_mode": "full",
                "agency_code": "000.01.00.H20",
                "field_code": "DN",
                "tier": "province",
                "processing_days": 5,
                "processing_time": {"value": 5.0, "unit": "working_days"},
                "fee_vnd": 0,
                "agencies": [{"code": "000.01.00.H20", "name": "Sở Tư pháp"}],
            }
        ],
        "total": 1,
        "page": 1,
        "page_size": 20,
    }


@pytest.mark.usefixtures("tree")
def test_agency_filter_includes_the_subtree(client: TestClient) -> None:
    assert list_codes(client, agency="000.00.11.H20") == ["1.000011", "1.000012", "1.000013"]
    assert len(list_codes(client, agency="000.00.00.H20")) == 5
    assert list_codes(client, agency="000.11.11.H20") == ["1.000012", "1.000013"]


@pytest.mark.usefixtures("tree")
def test_filters_combine(client: TestClient) -> None:
    assert list_codes(client, field="HT", tier="commune") == ["1.000012", "1.000013"]
    assert list_codes(client, field="HT", level=3) == ["1.000012", "1.000014"]
    assert list_codes(client, q="dang ky", agency="000.00.11.H20") == ["1.000013", "1.000012"]


@pytest.mark.usefixtures("tree")
def test_unknown_agency_filter_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/procedures", params={"agency": "000.00.77.H20"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "agency_not_found"


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"page_size": 101}, ["query", "page_size"]),
        ({"page_size": 0}, ["query", "page_size"]),
        ({"page": 0}, ["query", "page"]),
        ({"page": "x"}, ["query", "page"]),
        ({"level": 5}, ["query", "level"]),
        ({"q": "x" * 201}, ["query", "q"]),
    ],
)
def test_bad_list_parameters_are_422_not_silently_fixed(
    client: TestClient, params: dict[str, object], loc: list[str]
) -> None:
    response = client.get("/api/v1/procedures", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == loc


@pytest.mark.usefixtures("tree")
def test_page_beyond_the_end_is_empty_with_the_total(client: TestClient) -> None:
    body = client.get("/api/v1/procedures", params={"page": 9, "page_size": 2}).json()
    assert body["items"] == [] and body["total"] == 5 and body["page"] == 9


@pytest.mark.usefixtures("tree")
def test_procedure_detail(client: TestClient) -> None:
    body = client.get("/api/v1/procedures/1.000012").json()
    assert body["online_mode"] == "partial"
    assert body["form_schema"]["type"] == "object"
    assert body["required_documents"][0]["accepted_types"] == ["application/pdf"]
    assert {"description", "steps", "legal_basis", "result"} <= body.keys()
    assert "search_text" not in body
    level_one = client.get("/api/v1/procedures/1.000013").json()
    assert level_one["form_schema"] is None and level_one["online_mode"] == "none"


def test_unknown_procedure_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "procedure_not_found"


@pytest.mark.usefixtures("tree")
def test_catalogue_stats_for_scopes(client: TestClient) -> None:
    body = client.get("/api/v1/stats/catalogue").json()
    assert body == {
        "total": 5,
        "by_level": {"1": 1, "2": 1, "3": 2, "4": 1},
        "by_online_mode": {"none": 2, "partial": 2, "full": 1},
        "online_services": 3,
        "online_service_share": 0.6,
        # The factory's procedures have no steps, result nor legal basis; the one document of
        # levels 3–4 is a form (a "Tờ khai") without a template.
        "complete": 0,
        "complete_share": 0.0,
        "missing_by_component": {
            "name": 0,
            "level": 0,
            "agency": 0,
            "field": 0,
            "steps": 5,
            "channels": 0,
            "processing_time": 0,
            "fees": 0,
            "documents": 2,
            "templates": 3,
            "applicant_kinds": 0,
            "result": 5,
            "legal_basis": 5,
            "form_schema": 0,
        },
    }
    district = client.get("/api/v1/stats/catalogue", params={"agency": "000.00.11.H20"}).json()
    assert district["by_level"] == {"1": 1, "2": 1, "3": 1, "4": 0}
    assert district["online_service_share"] == pytest.approx(1 / 3)
    empty = client.get("/api/v1/stats/catalogue", params={"field": "none"}).json()
    assert empty["total"] == 0 and empty["online_service_share"] is None
    bad = client.get("/api/v1/stats/catalogue", params={"agency": "000.00.77.H20"})
    assert bad.status_code == 404


@pytest.mark.usefixtures("tree")
def test_retired_procedures_leave_lists_and_stats(client: TestClient, session: Session) -> None:
    from app.models import Procedure
    from app.models.types import utcnow

    procedure = session.get(Procedure, "1.000010")
    assert procedure is not None
    procedure.retired_at = utcnow()
    session.commit()
    assert "1.000010" not in list_codes(client)
    assert client.get("/api/v1/stats/catalogue").json()["total"] == 4
    assert client.get("/api/v1/procedures/1.000010").json()["retired_at"] is not None
