"""Screenshots of pages for people to look at, in build/screenshots/ (ignored by git: build/)."""

from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"


def save_screenshot(page: Page, name: str) -> Path:
    """The whole page as build/screenshots/<name>-<width>px.png (overwritten on each run)."""
    viewport = page.viewport_size
    width = viewport["width"] if viewport else 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{width}px.png"
    page.screenshot(path=path, full_page=True)
    return path
