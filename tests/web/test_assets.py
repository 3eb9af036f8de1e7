"""The stylesheet and script: hashed names, immutable caching, served by the app itself."""

import hashlib
import re

from fastapi.testclient import TestClient

from app.web.assets import STATIC
from tests.web.html import elements


def test_the_page_links_one_hashed_stylesheet_and_one_script(client: TestClient) -> None:
    page = elements(client.get("/").text)
    styles = [a["href"] for a in page.all("link", rel="stylesheet")]
    scripts = [a["src"] for a in page.all("script", src="")]
    assert len(styles) == 1 and re.fullmatch(r"/static/app\.[0-9a-f]{10}\.css", styles[0])
    assert len(scripts) == 1 and re.fullmatch(r"/static/app\.[0-9a-f]{10}\.js", scripts[0])
    # No CDN, no other origin.
    assert not any(url.startswith(("http:", "https:", "//")) for url in styles + scripts)


def test_the_hash_is_of_the_content(client: TestClient) -> None:
    css = (STATIC / "app.css").read_bytes()
    href = elements(client.get("/").text).all("link", rel="stylesheet")[0]["href"]
    assert href == f"/static/app.{hashlib.sha256(css).hexdigest()[:10]}.css"


def test_assets_are_served_with_immutable_caching(client: TestClient) -> None:
    href = elements(client.get("/").text).all("link", rel="stylesheet")[0]["href"]
    response = client.get(href)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert response.content == (STATIC / "app.css").read_bytes()
    cache = response.headers["cache-control"]
    assert "immutable" in cache and "max-age=31536000" in cache


def test_an_unknown_or_stale_asset_name_is_a_404_page(client: TestClient) -> None:
    for name in ("app.0000000000.css", "app.css", "..%2Fpages.py"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")


def test_the_icon_is_inline_so_no_page_sends_the_browser_to_a_missing_favicon(
    client: TestClient,
) -> None:
    for path in ("/", "/tra-cuu", "/thu-tuc/khong-co"):
        page = client.get(path)
        icons = [a["href"] for a in elements(page.text).all("link", rel="icon")]
        assert len(icons) == 1 and icons[0].startswith("data:image/svg+xml,"), path
        # The pages' policy lets the icon load.
        assert "img-src 'self' data:" in page.headers["content-security-policy"]
    assert client.get("/favicon.ico").status_code == 404
