"""Public tracking as pages: the API's public view, and never the applicant's data."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models.types import utcnow
from tests.factories import APPLICANT, FORM, make_dossier
from tests.web.html import elements


def test_the_page_shows_the_status_and_one_event_per_public_history_entry(
    client: TestClient, session: Session
) -> None:
    made = make_dossier(session, "processing")
    response = client.get(f"/tra-cuu/{made.code}")
    assert response.status_code == 200
    page = elements(response.text)
    status = page.all("strong", data_status="")
    assert [s["data-status"] for s in status] == ["processing"]
    assert "Đang xử lý" in page.plain_text()
    api = client.get(f"/api/v1/dossiers/{made.code}").json()
    events = page.all("li", data_event="")
    assert [e["data-event"] for e in events] == [h["status"] for h in api["history"]]
    assert page.all("time", data_due_at=api["due_at"].replace("+00:00", "Z"))


def test_no_personal_data_ever(client: TestClient, session: Session) -> None:
    made = make_dossier(session, "accepted")
    html = client.get(f"/tra-cuu/{made.code}").text
    for secret in (
        APPLICANT["full_name"],
        APPLICANT["id_number"],
        APPLICANT["phone"],
        APPLICANT["email"],
        APPLICANT["address"],
        FORM["ho_ten"],
        made.access_token,
    ):
        assert secret not in html


def test_a_code_typed_with_spaces_and_in_lower_case_is_found(
    client: TestClient, session: Session
) -> None:
    made = make_dossier(session, "accepted")
    typed = f"  {made.code.lower()} "
    response = client.get("/tra-cuu", params={"code": typed, "lang": "en"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/tra-cuu/{made.code}?lang=en"
    followed = client.get("/tra-cuu", params={"code": typed})
    assert followed.status_code == 200
    assert elements(followed.text).all("strong", data_status="accepted")
    assert "Được tiếp nhận" in followed.text


def test_an_unknown_code_shows_the_form_again_with_the_error_by_its_field(
    client: TestClient,
) -> None:
    for path in ("/tra-cuu/000.00.00.H20-250101-0001", "/tra-cuu?code=abc"):
        response = client.get(path)
        assert response.status_code == 404
        box = elements(response.text).all("input", name="code")[0]
        assert box["aria-invalid"] == "true" and "code-error" in box["aria-describedby"]
        assert "Không tìm thấy hồ sơ" in response.text


def test_an_empty_code_asks_for_one(client: TestClient) -> None:
    response = client.get("/tra-cuu", params={"code": "  "})
    assert response.status_code == 422
    assert "Vui lòng nhập mã hồ sơ." in response.text


def test_misses_count_as_the_api_counts_them(settings: Settings, engine: Engine) -> None:
    strict = settings.model_copy(update={"tracking_miss_per_min": 3})
    with TestClient(create_app(strict, engine)) as client:
        for n in range(3):  # the page's misses and the API's are one count
            path = "/api/v1/dossiers/" if n % 2 else "/tra-cuu/"
            assert client.get(f"{path}000.00.00.H20-250101-000{n}").status_code == 404
        page = client.get("/tra-cuu/000.00.00.H20-250101-0009")
        api = client.get("/api/v1/dossiers/000.00.00.H20-250101-0009")
    assert page.status_code == 429 and "retry-after" in page.headers
    assert page.headers["content-type"].startswith("text/html")
    assert "Bạn đã tra cứu quá nhiều lần" in page.text
    assert api.status_code == 429 and api.json()["error"]["code"] == "too_many_misses"


def test_an_overdue_dossier_says_so(client: TestClient, session: Session) -> None:
    made = make_dossier(session, "processing", now=utcnow() - timedelta(days=60))
    page = elements(client.get(f"/tra-cuu/{made.code}").text)
    assert [d["data-timeliness"] for d in page.all("dd", data_timeliness="")] == ["overdue"]
    assert "Quá hạn" in page.plain_text()


def test_english_names_the_status_in_english(client: TestClient, session: Session) -> None:
    made = make_dossier(session, "accepted")
    page = elements(client.get(f"/tra-cuu/{made.code}?lang=en").text)
    assert "Accepted" in page.plain_text()
    assert page.all("strong", data_status="accepted")
