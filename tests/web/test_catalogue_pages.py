"""The home page (search) and the procedure page, read through the app as a browser reads them."""

from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Agency, ProcedureField
from app.web import assets
from tests.factories import (
    ONLINE_PROCEDURE,
    make_agency,
    make_dossier,
    make_field,
    make_procedure,
)
from tests.web.html import elements

COMMUNE = "000.31.00.H20"


def catalogue(session: Session) -> tuple[Agency, Agency, ProcedureField]:
    province = make_agency(session)
    commune = make_agency(session, COMMUNE, "Ủy ban nhân dân xã Minh Tân", "commune", province)
    field = make_field(session)
    make_procedure(session, province, field, "1.000001", "Đăng ký khai sinh", level=4)
    make_procedure(session, commune, field, "1.000002", "Đăng ký kết hôn", level=3)
    make_procedure(session, province, field, "1.000003", "Chứng thực bản sao", level=2)
    return province, commune, field


def found_codes(html: str) -> list[str]:
    page = elements(html)
    return [a["data-procedure-code"] for a in page.all("a", data_procedure_code="")]


def results_of(html: str) -> list[str]:
    """The codes of the search results only (not of the 'most used' list below)."""
    start = html.find('id="results-title"')
    assert start != -1, "no results section"
    return found_codes(html[start : html.find('class="popular"')])


def test_the_search_form_is_a_search_landmark_with_q(client: TestClient) -> None:
    page = elements(client.get("/").text)
    assert len(page.all("form", role="search")) == 1
    assert page.all("input", name="q", id="q")
    assert page.all("label", **{"for": "q"})


def test_a_search_without_diacritics_finds_the_procedure(
    client: TestClient, session: Session
) -> None:
    catalogue(session)
    response = client.get("/", params={"q": "dang ky khai sinh"})
    assert response.status_code == 200
    assert results_of(response.text) == ["1.000001"]
    link = elements(response.text).all("a", data_procedure_code="1.000001")[0]
    assert link["href"] == "/thu-tuc/1.000001"


def test_results_show_level_online_mode_and_offering_agencies(
    client: TestClient, session: Session
) -> None:
    catalogue(session)
    html = client.get("/", params={"q": "ket hon"}).text
    section = html[html.find('id="results-title"') :]
    assert 'data-level="3"' in section and 'data-online-mode="partial"' in section
    assert "Trực tuyến một phần" in section
    assert "Ủy ban nhân dân xã Minh Tân" in section


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"level": "4"}, ["1.000001"]),
        ({"tier": "commune"}, ["1.000002"]),
        ({"agency": COMMUNE}, ["1.000002"]),
        ({"agency": "000.00.00.H20"}, ["1.000001", "1.000002", "1.000003"]),  # its subtree
        ({"q": "dang ky", "level": "3"}, ["1.000002"]),
        ({"field": "G01", "level": ""}, ["1.000001", "1.000002", "1.000003"]),
    ],
)
def test_filters_narrow_the_results_as_the_api_does(
    client: TestClient, session: Session, params: dict[str, str], codes: list[str]
) -> None:
    catalogue(session)
    html = client.get("/", params=params).text
    api = client.get("/api/v1/procedures", params={k: v for k, v in params.items() if v})
    assert sorted(results_of(html)) == codes
    assert sorted(i["code"] for i in api.json()["items"]) == codes


def test_a_query_without_letters_is_refused_next_to_the_search_box(
    client: TestClient, session: Session
) -> None:
    catalogue(session)
    html = client.get("/", params={"q": "!!!"}).text
    box = elements(html).all("input", name="q")[0]
    assert box["aria-invalid"] == "true"
    assert "q-error" in box["aria-describedby"].split()
    assert 'id="q-error"' in html and "ít nhất một chữ cái hoặc chữ số" in html


def test_an_unknown_agency_is_refused_next_to_its_filter(
    client: TestClient, session: Session
) -> None:
    catalogue(session)
    html = client.get("/", params={"agency": "999.99.99.H99"}).text
    select = elements(html).all("select", name="agency")[0]
    assert select["aria-invalid"] == "true" and select["aria-describedby"] == "agency-error"


def test_results_are_paginated_and_the_pages_keep_the_search(
    client: TestClient, session: Session
) -> None:
    province, _commune, field = catalogue(session)
    for n in range(25):
        make_procedure(session, province, field, f"2.{n:06d}", f"Cấp giấy phép số {n}", level=3)
    first = client.get("/", params={"q": "cap giay phep", "lang": "en"}).text
    assert len(results_of(first)) == 20
    next_link = elements(first).all("a", rel="next")[0]["href"]
    query = parse_qs(urlsplit(next_link).query)
    assert query == {"q": ["cap giay phep"], "page": ["2"], "lang": ["en"]}
    second = client.get(next_link).text
    assert len(results_of(second)) == 5
    assert not set(results_of(first)) & set(results_of(second))


def test_every_link_and_form_keeps_english(client: TestClient, session: Session) -> None:
    catalogue(session)
    make_dossier(session)  # a "most used" list too
    for path in ("/?q=dang+ky&lang=en", "/thu-tuc/1.000001?lang=en", "/tra-cuu?lang=en"):
        page = elements(client.get(path).text)
        assert page.all("html", lang="en")
        own = [
            a["href"]
            for a in page.all("a", href="")
            if a["href"].startswith("/")
            and not a["href"].startswith(("/api/", "/docs", "/static/"))
            and a.get("hreflang") != "vi"  # the switch back to Vietnamese
        ]
        assert own, path
        assert all("lang=en" in href for href in own), (path, own)
        for _form in page.all("form"):
            assert page.all("input", type="hidden", name="lang", value="en"), path
        switch = page.all("a", hreflang="vi")[0]["href"]
        assert "lang=en" not in switch and urlsplit(switch).path == urlsplit(path).path


def test_vietnamese_is_the_default_and_english_translates_the_interface(
    client: TestClient,
) -> None:
    vietnamese = client.get("/").text
    english = client.get("/?lang=en").text
    assert '<html lang="vi">' in vietnamese and "Tìm thủ tục hành chính" in vietnamese
    assert '<html lang="en">' in english and "Find an administrative procedure" in english
    assert "lang=en" not in "".join(
        a["href"] for a in elements(vietnamese).all("a", href="") if a.get("hreflang") != "en"
    )


def test_the_most_used_procedures_are_those_with_the_most_dossiers(
    client: TestClient, session: Session
) -> None:
    catalogue(session)
    for _ in range(2):
        make_dossier(session)  # of the online procedure, ONLINE_PROCEDURE
    html = client.get("/").text
    section = html[html.find('data-list="most-used"') :]
    assert found_codes(section) == [ONLINE_PROCEDURE]
    assert "2 hồ sơ" in section


def test_without_dossiers_the_home_page_lists_online_services_instead(
    client: TestClient, session: Session
) -> None:
    catalogue(session)
    html = client.get("/").text
    assert 'data-list="most-used"' not in html
    section = html[html.find('data-list="online"') :]
    assert found_codes(section) == ["1.000001", "1.000002"]  # level 4 first, then 3; not 2


# -- the procedure page ------------------------------------------------------------------------

TEMPLATE_DOC = {
    "key": "to_khai",
    "name": "Tờ khai đăng ký khai sinh",
    "required": True,
    "originals": 1,
    "copies": 0,
    "accepted_types": ["application/pdf"],
    "template": "to_khai_khai_sinh.docx",
}


def detailed(session: Session, level: int = 4) -> None:
    province = make_agency(session)
    commune = make_agency(session, COMMUNE, "Ủy ban nhân dân xã Minh Tân", "commune", province)
    field = make_field(session)
    make_procedure(
        session,
        province,
        field,
        "1.000001",
        "Đăng ký khai sinh",
        level=level,
        also_offered_by=[commune],
        steps=["Nộp tờ khai", "Nhận giấy khai sinh"],
        legal_basis=["Luật Hộ tịch số 60/2014/QH13"],
        result="Giấy khai sinh",
        required_documents=[TEMPLATE_DOC],
        processing_days=3,
        processing_unit="working_days",
        fees=[
            {
                "label": "Lệ phí cấp giấy",
                "amount_vnd": 1_000_000,
                "per": None,
                "online_discount_vnd": 500_000,
            },
            {"label": "Phí sao y", "amount_vnd": 2_000, "per": "page", "online_discount_vnd": 0},
        ],
        applicant_kinds=["individual", "foreigner"],
    )


def test_the_procedure_page_has_what_a_citizen_needs(client: TestClient, session: Session) -> None:
    detailed(session)
    response = client.get("/thu-tuc/1.000001")
    assert response.status_code == 200
    text = elements(response.text).plain_text()
    for expected in (
        "Đăng ký khai sinh",
        "Nộp tờ khai",
        "Nhận giấy khai sinh",
        "Tờ khai đăng ký khai sinh",
        "3 ngày làm việc",
        "Lệ phí cấp giấy: 1.000.000 ₫",
        "giảm 500.000 ₫ khi nộp trực tuyến",
        "2.000 ₫ mỗi trang",
        "Công dân Việt Nam",
        "Người nước ngoài",
        "Ủy ban nhân dân tỉnh",
        "Ủy ban nhân dân xã Minh Tân",
        "Luật Hộ tịch số 60/2014/QH13",
        "Giấy khai sinh",
    ):
        assert expected in text, expected


def test_templates_link_to_the_api_download_which_serves_them(
    client: TestClient, session: Session
) -> None:
    detailed(session)
    page = elements(client.get("/thu-tuc/1.000001").text)
    links = [a["href"] for a in page.all("a", download="")]
    assert links == ["/api/v1/procedures/1.000001/templates/to_khai"]
    assert client.get(links[0]).status_code == 200


@pytest.mark.parametrize(("level", "online"), [(4, True), (3, True), (2, False), (1, False)])
def test_the_online_submission_link_is_there_for_levels_3_and_4(
    client: TestClient, session: Session, level: int, online: bool
) -> None:
    detailed(session, level=level)
    page = elements(client.get("/thu-tuc/1.000001?lang=en").text)
    links = [a["href"] for a in page.all("a", href="") if "/nop-ho-so" in a["href"]]
    assert links == (["/thu-tuc/1.000001/nop-ho-so?lang=en"] if online else [])
    vietnamese = client.get("/thu-tuc/1.000001").text
    assert ("Nộp hồ sơ trực tuyến" in vietnamese) is online


def test_an_unknown_procedure_is_a_404_page_but_json_in_the_api(client: TestClient) -> None:
    page = client.get("/thu-tuc/9.999999")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy trang" in page.text and 'lang="vi"' in page.text
    english = client.get("/thu-tuc/9.999999?lang=en")
    assert english.status_code == 404 and "Page not found" in english.text
    api = client.get("/api/v1/procedures/9.999999")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "procedure_not_found"


def test_pages_weigh_under_100_kb_with_their_css_and_js(
    client: TestClient, session: Session
) -> None:
    province = make_agency(session)
    field = make_field(session)
    for n in range(300):  # a province's worth of agencies in the filter, as the benchmark has
        make_agency(
            session,
            f"000.{n // 100:02d}.{n % 100:02d}.H21",
            f"Ủy ban nhân dân xã số {n} của tỉnh",
            "commune",
            province,
        )
    for n in range(40):
        make_procedure(
            session, province, field, f"2.{n:06d}", f"Cấp giấy phép hoạt động số {n} " * 3, level=4
        )
    make_dossier(session)
    extras = sum(len(asset.body) for asset in assets.BY_NAME.values())
    for path in ("/?q=cap+giay+phep", "/thu-tuc/2.000001", "/tra-cuu"):
        html = client.get(path).content
        assert len(html) + extras < 100 * 1024, (path, len(html), extras)
