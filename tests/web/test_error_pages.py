"""Errors of the pages are pages; the API keeps its JSON errors."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.config import Settings
from app.main import create_app
from app.web import catalogue_pages


def test_an_unknown_page_is_a_vietnamese_404_page(client: TestClient) -> None:
    response = client.get("/thu-tuc/1.0/khong-co")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy trang" in response.text
    assert response.headers["x-frame-options"] == "DENY"


def test_api_paths_keep_their_json_errors(client: TestClient) -> None:
    for path in ("/api/v1/procedures/9.999999", "/api/v1/khong-co", "/api/v1/dossiers/x"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/json"
        assert response.json()["error"]["code"].endswith("not_found")


def test_a_bug_in_a_page_is_a_500_page(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("bug: secret detail")

    monkeypatch.setattr(catalogue_pages, "lists_of", broken)
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as client:
        vietnamese = client.get("/")
        english = client.get("/?lang=en")
        api = client.get("/api/v1/fields")
    assert vietnamese.status_code == 500
    assert vietnamese.headers["content-type"].startswith("text/html")
    assert "Lỗi hệ thống" in vietnamese.text and "secret detail" not in vietnamese.text
    assert vietnamese.headers["connection"] == "close"
    assert vietnamese.headers.get_list("x-content-type-options") == ["nosniff"]
    assert english.status_code == 500 and "Something went wrong" in english.text
    assert api.status_code == 200  # the API is not a page


def test_pages_forbid_inline_scripts_and_framing(client: TestClient) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
