"""Vietnamese search over procedure names and codes; the same results on SQLite and PostgreSQL."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_agency, make_field, make_procedure

CORPUS = [
    ("1.001001", "Đăng ký kinh doanh hộ kinh doanh"),
    ("1.001002", "Thay đổi nội dung đăng ký kinh doanh của hộ kinh doanh"),
    ("1.001003", "Đăng ký thành lập doanh nghiệp tư nhân"),
    ("1.001004", "Cấp giấy phép xây dựng nhà ở riêng lẻ"),
    ("1.001005", "Cấp, đổi giấy phép lái xe"),
    ("1.001006", "Đăng ký khai sinh"),
    ("1.001007", "Đăng ký kết hôn"),
    ("1.001008", "Kinh doanh dịch vụ lữ hành; đăng ký"),
    ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"),
    ("1.001009", "ĐĂNG KÝ tạm trú"),
    ("1.001010", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp"),
]


@pytest.fixture
def corpus(session: Session) -> None:
    agency = make_agency(session)
    field = make_field(session)
    for code, name in CORPUS:
        make_procedure(session, agency, field, code=code, name=name)


def codes(client: TestClient, q: str, **params: Any) -> list[str]:
    response = client.get("/api/v1/procedures", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return [item["code"] for item in response.json()["items"]]


@pytest.mark.usefixtures("corpus")
@pytest.mark.parametrize(
    "variant",
    [
        "dang ky kinh doanh",
        "ĐĂNG KÝ kinh doanh",
        "đăng ký kinh doanh",
        "Dang Ky Kinh Doanh",
        "  đăng   ký, kinh doanh! ",
    ],
)
def test_diacritics_case_and_punctuation_do_not_matter(client: TestClient, variant: str) -> None:
    assert codes(client, variant) == ["1.001001", "1.001002", "1.001008"]


@pytest.mark.usefixtures("corpus")
def test_phrase_at_the_start_ranks_above_phrase_inside_above_scattered_words(
    client: TestClient,
) -> None:
    # 1.001001 starts with the phrase; 1.001002 contains it; 1.001008 has the words apart.
    assert codes(client, "đăng ký kinh doanh") == ["1.001001", "1.001002", "1.001008"]


@pytest.mark.usefixtures("corpus")
def test_every_word_must_match(client: TestClient) -> None:
    assert codes(client, "giấy phép lái xe") == ["1.001005", "1.001010"]
    assert codes(client, "giay phep lai xe may bay") == []


@pytest.mark.usefixtures("corpus")
def test_d_with_stroke_matches_plain_d(client: TestClient) -> None:
    assert codes(client, "doi giay phep") == ["1.001010", "1.001005"]
    assert codes(client, "đổi giấy phép") == ["1.001010", "1.001005"]


@pytest.mark.usefixtures("corpus")
def test_words_match_as_prefixes_not_inside_words(client: TestClient) -> None:
    assert codes(client, "khai") == ["1.001006"]  # "khai sinh", not "...khai" inside a word
    assert codes(client, "hon") == ["1.001007"]  # "kết hôn"
    assert codes(client, "on") == []


@pytest.mark.usefixtures("corpus")
def test_code_search_exact_code_first(client: TestClient) -> None:
    assert codes(client, "2.000815") == ["2.000815"]
    assert codes(client, "1.001010")[0] == "1.001010"
    prefix = codes(client, "1.00100", page_size=100)
    assert sorted(prefix) == [f"1.00100{i}" for i in range(1, 10)]


@pytest.mark.usefixtures("corpus")
@pytest.mark.parametrize("params", [{}, {"q": ""}])
def test_no_query_lists_everything_by_code(client: TestClient, params: dict[str, str]) -> None:
    body = client.get("/api/v1/procedures", params=params).json()
    assert body["total"] == len(CORPUS)
    assert [item["code"] for item in body["items"]] == sorted(code for code, _ in CORPUS)


@pytest.mark.usefixtures("corpus")
@pytest.mark.parametrize("q", ["  ", "!!!", " ... ", "—", "\u3000", "☺", "'\"?"])
def test_a_query_with_no_letter_or_digit_is_refused(client: TestClient, q: str) -> None:
    # It used to list everything, as if there were no query at all.
    response = client.get("/api/v1/procedures", params={"q": q})
    assert response.status_code == 422, response.text
    assert response.json()["error"] == {
        "code": "empty_query",
        "message": "Từ khóa tìm kiếm phải có ít nhất một chữ cái hoặc chữ số.",
        "details": [{"loc": ["query", "q"], "msg": "không có chữ cái hay chữ số nào"}],
    }


@pytest.mark.usefixtures("corpus")
@pytest.mark.parametrize(
    "variant",
    [
        "ｄａｎｇ ｋｙ ｋｉｎｈ ｄｏａｎｈ",  # full-width, as East Asian input methods type it
        "ＤＡＮＧ ＫÝ kinh doanh",
        "dang\u2002ky\u00a0kinh doanh",  # other spaces
    ],
)
def test_compatibility_forms_find_what_their_plain_letters_find(
    client: TestClient, variant: str
) -> None:
    assert codes(client, variant) == codes(client, "dang ky kinh doanh") != []
    assert codes(client, "ｄａｎｇ") == codes(client, "dang")


@pytest.mark.usefixtures("corpus")
def test_search_pages_and_totals(client: TestClient) -> None:
    first = client.get("/api/v1/procedures", params={"q": "dang ky", "page_size": 2}).json()
    second = client.get(
        "/api/v1/procedures", params={"q": "dang ky", "page_size": 2, "page": 2}
    ).json()
    assert first["total"] == second["total"] == 7
    assert first["page"] == 1 and second["page"] == 2 and first["page_size"] == 2
    all_codes = codes(client, "dang ky")
    assert [i["code"] for i in first["items"] + second["items"]] == all_codes[:4]


@pytest.mark.usefixtures("corpus")
def test_like_wildcards_in_the_query_are_plain_text(client: TestClient) -> None:
    assert client.get("/api/v1/procedures", params={"q": "%"}).status_code == 422
    assert codes(client, "dang%") == codes(client, "dang")
    assert codes(client, "dang_ky") == codes(client, "dang ky")
