"""The public dashboard in Debian's Chromium: its charts render at both widths, its tables show
the statistics API's numbers, and it polls the API with ETags (304 while nothing changes) and
redraws itself when a dossier arrives."""

import json
import re
import time
import uuid
from typing import Any

import httpx
from playwright.sync_api import Page, Response

from tests.browser.chromium import Viewport, both_widths
from tests.factories import APPLICANT, PDF_BYTES

HOOKS = [
    "online-ratio-by-month",
    "online-ratio-by-agency",
    "on-time-by-agency",
    "status",
    "catalogue-by-level",
]
# A level 3 procedure of the sample catalogue with one required document (a PDF will do).
PROCEDURE = "2.000635"
FORM = {"ho_ten_nguoi_duoc_cap": "Lê Văn An", "loai_viec_ho_tich": "Khai sinh", "so_ban_sao": 1}


def submit(base: str) -> str:
    """A dossier submitted online through the API, as an HTTP client would."""
    answer = httpx.post(
        f"{base}/api/v1/dossiers",
        data={
            "procedure_code": PROCEDURE,
            "agency_code": "000.00.31.H60",
            "applicant": json.dumps(APPLICANT),
            "form": json.dumps(FORM),
        },
        files=[("to_khai", ("to-khai.pdf", PDF_BYTES, "application/pdf"))],
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["code"])


def table_of(page: Page, hook: str) -> list[list[str]]:
    """The body and footer rows of a figure's table, as the browser shows them."""
    rows = page.locator(
        f'figure[data-chart="{hook}"] table tbody tr, figure[data-chart="{hook}"] table tfoot tr'
    )
    return [[c.strip() for c in row.locator("th, td").all_inner_texts()] for row in rows.all()]


def count(text: str) -> int:
    return int(text.replace(".", ""))


def api(base: str, path: str) -> Any:
    return httpx.get(f"{base}/api/v1/stats/{path}").json()


@both_widths
def test_the_dashboard_draws_its_charts_with_the_apis_numbers(
    page: Page, live_server: str, viewport: Viewport, page_problems: list[str]
) -> None:
    submit(live_server)
    # The statistics revision is rechecked every second (STATS_CHECK_S): past it, the page and
    # the API read below both see this dossier (the 1280 px run follows the 360 px one closely).
    time.sleep(1.2)
    page.goto(f"{live_server}/thong-ke")
    assert page.locator("h1").inner_text() == "Thống kê giải quyết thủ tục hành chính"
    for hook in HOOKS:
        chart = page.locator(f'figure[data-chart="{hook}"] > svg')
        box = chart.bounding_box()
        assert box and 100 < box["width"] <= viewport.width and box["height"] > 20, hook
        assert page.locator(f'figure[data-chart="{hook}"] > svg + table').count() == 1
    # The status table is the API's status totals, in the API's order, with the total.
    status = api(live_server, "status")["total"]
    rows = table_of(page, "status")
    counts = {k: v for k, v in status.items() if k not in ("key", "label", "total")}
    assert [count(r[-1]) for r in rows[:-1]] == list(counts.values())
    assert rows[-1] == ["Tổng số", str(status["total"])] and status["total"] >= 1
    # The catalogue by level is the API's, level by level.
    catalogue = api(live_server, "catalogue")
    levels = table_of(page, "catalogue-by-level")
    assert [count(r[-1]) for r in levels[:-1]] == list(catalogue["by_level"].values())
    # Each drawn bar of the statuses carries the number its row says.
    bars = page.locator('figure[data-chart="status"] svg g.row > title').all_text_contents()
    assert bars == [f"{r[0]}: {r[-1]}" for r in rows[:-1]]
    # The indicators: the API's codes with the API's points.
    indicators = api(live_server, "indicators")
    codes = page.locator("figure[data-indicators] tbody tr th").all_inner_texts()
    assert codes == [i["code"] for i in indicators]
    # Nothing wider than the phone: the wide table scrolls in its own box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport.width
    # axe and the screenshots: test_every_page.py.
    assert page_problems == [], "\n".join(page_problems)


def test_the_dashboard_polls_with_etags_and_redraws_when_a_dossier_arrives(
    page: Page, live_server: str, page_problems: list[str]
) -> None:
    polls: list[Response] = []
    every_poll: list[Response] = []
    reloads: list[Response] = []

    def seen(response: Response) -> None:
        if "/api/v1/stats/" in response.url:
            polls.append(response)
            every_poll.append(response)
        elif (
            re.search(r"/thong-ke(\?|$)", response.url)
            and response.request.resource_type == "fetch"
        ):
            reloads.append(response)

    page.on("response", seen)
    page.clock.install()
    page.goto(f"{live_server}/thong-ke")
    every = int(page.locator("[data-dashboard]").get_attribute("data-poll") or 0)
    assert every >= 30
    before = table_of(page, "status")[-1]

    # Nothing changed: six polls, each a 304 for the tag the page was drawn with.
    page.clock.run_for(every * 1000 + 500)
    page.wait_for_function("() => true")
    deadline = time.monotonic() + 10
    while len(polls) < 6 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert sorted(r.status for r in polls) == [304] * 6, [(r.url, r.status) for r in polls]
    tags = {r.url: r.request.headers.get("if-none-match") for r in polls}
    for figure in page.locator("[data-source]").all():
        source = figure.get_attribute("data-source")
        assert tags[f"{live_server}{source}"] == figure.get_attribute("data-etag")
    assert reloads == []

    # A dossier arrives: the next poll sees new numbers and the page redraws its figures.
    submit(live_server)
    time.sleep(1.2)  # the statistics revision is rechecked every second (STATS_CHECK_S)
    polls.clear()
    page.clock.run_for(every * 1000 + 500)
    deadline = time.monotonic() + 10
    while not reloads and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert any(r.status == 200 and r.url.endswith("/api/v1/stats/status") for r in polls)
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent.length > 0", timeout=5000
    )
    after = table_of(page, "status")[-1]
    assert count(after[-1]) == count(before[-1]) + 1
    assert page.locator("[role=status]").inner_text() == "Số liệu đã được cập nhật."
    status = httpx.get(f"{live_server}/api/v1/stats/status")
    assert (
        page.locator('figure[data-chart="status"]').get_attribute("data-etag")
        == (status.headers["etag"])
    )
    # Chromium reports a 304 to a fetch made with its own If-None-Match (cache "no-store") as
    # a request failed with net::ERR_ABORTED, although the script reads the 304 as sent (the
    # first round above). Those are the polls answered 304, not problems.
    answered = {r.url for r in every_poll if r.status == 304}
    problems = [
        p
        for p in page_problems
        if not (
            p.startswith("request failed: GET ")
            and p.split()[3] in answered
            and p.endswith("(net::ERR_ABORTED)")
        )
    ]
    assert problems == [], "\n".join(problems)
