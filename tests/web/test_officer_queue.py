"""The officers' queue page /can-bo/ho-so and its CSV, read through the app as a browser reads
them, and checked against the API's queue (GET /api/v1/officer/dossiers) for the same
officer and the same filters: the page holds no rule of its own."""

import csv
import io
import re
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models.dossier import Channel, DossierStatus
from app.models.types import VN_TZ
from app.web import officer_queue
from tests.factories import make_dossier, officer_headers
from tests.queue_world import PASSWORD, SOON, World, build_world, register
from tests.web.html import elements

QUEUE, API = "/can-bo/ho-so", "/api/v1/officer/dossiers"


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def sign_in(client: TestClient, username: str = "lan") -> None:
    """The officer signs in through the form: the client then holds the session's cookie."""
    form = client.get("/can-bo/")
    (field,) = [a["value"] for a in elements(form.text).all("input", name="csrf_token")]
    data = {"csrf_token": field, "username": username, "password": PASSWORD}
    answer = client.post("/can-bo/dang-nhap", data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def api(client: TestClient, who: str = "lan", **params: Any) -> dict[str, Any]:
    answer = client.get(API, params=params, headers=officer_headers(client, who))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def api_all(client: TestClient, who: str = "lan", **params: Any) -> list[dict[str, Any]]:
    """Every item of the API's queue for these filters, page after page."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = api(client, who, page=page, page_size=100, **params)
        items += body["items"]
        if len(items) >= body["total"]:
            return items
        page += 1


class Table(HTMLParser):
    """The queue's rows: each `<tr data-dossier-code>`'s attributes, its cells' text, and the
    links inside it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, Any]] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "tr" and "data-dossier-code" in found:
            self.rows.append({"attrs": found, "cells": [], "links": []})
        elif self.rows and tag in ("td", "th") and self._open_row():
            self._cell = []
        elif self.rows and tag == "a" and self._open_row():
            self.rows[-1]["links"].append(found.get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1]["cells"].append(" ".join(" ".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self.rows:
            self.rows[-1]["closed"] = True

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _open_row(self) -> bool:
        return not self.rows[-1].get("closed")


def rows_of(html: str) -> list[dict[str, Any]]:
    return Table(html).rows


def codes_of(html: str) -> list[str]:
    return [row["attrs"]["data-dossier-code"] for row in rows_of(html)]


def total_of(html: str) -> int:
    (count,) = elements(html).all("span", data_total="")
    return int(count["data-total"])


def page(client: TestClient, **params: Any) -> Any:
    answer = client.get(QUEUE, params=params, follow_redirects=False)
    assert answer.status_code == 200, answer.text
    return answer


def vn_moment(iso: str | None) -> str:
    """The API's ISO moment as the page writes it: dd/mm/yyyy HH:MM, Vietnam time."""
    if iso is None:
        return ""
    return datetime.fromisoformat(iso).astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


# ---------------------------------------------------------------------------------------------
# Who sees what, in which order


@pytest.mark.usefixtures("world")
def test_without_a_session_the_page_and_its_csv_send_to_sign_in(client: TestClient) -> None:
    for path, back in ((QUEUE, "%2Fcan-bo%2Fho-so"), (f"{QUEUE}.csv", "%2Fcan-bo%2Fho-so.csv")):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/can-bo/?next={back}"


def test_the_page_is_the_apis_queue_in_its_order(client: TestClient, world: World) -> None:
    sign_in(client)
    shown = page(client)
    assert shown.headers["cache-control"] == "no-store"
    expected = api(client)
    assert codes_of(shown.text) == [item["code"] for item in expected["items"]]
    assert total_of(shown.text) == expected["total"] == 7
    # Earliest due first, the dossiers without a deadline (not accepted yet) after.
    assert codes_of(shown.text)[:1] == [world.overdue]
    assert codes_of(shown.text)[-2:] == [world.waiting, world.fresh]
    assert [row["attrs"]["data-status"] for row in rows_of(shown.text)][-2:] == ["new", "new"]


@pytest.mark.parametrize(("who", "expected"), [("mai", ["postal"]), ("root", None), ("lan", None)])
def test_an_officer_sees_their_agencys_subtree_and_an_admin_everything(
    client: TestClient, world: World, who: str, expected: list[str] | None
) -> None:
    sign_in(client, who)
    shown = page(client)
    codes = codes_of(shown.text)
    assert codes == [item["code"] for item in api(client, who)["items"]]
    if expected is not None:
        assert codes == [getattr(world, name) for name in expected]
    else:
        assert set(codes) == {*world.province, world.postal}
    # And the CSV the same rows.
    assert [row[0] for row in csv_rows(client)] == codes


FILTERS: list[dict[str, str]] = [
    {"status": "new"},
    {"status": "accepted", "overdue": "false"},
    {"overdue": "true"},
    {"overdue": "false"},
    {"procedure": SOON},
    {"channel": "counter"},
    {"channel": "online", "status": "new"},
    {"channel": "postal"},
    {"received_from": "2026-01-01"},
    {"received_to": "2026-01-01"},
    {"q": "lo thi my"},
    {"q": "Nguyễn"},
    {"q": "000.00.11"},
    {"q": "nobody at all"},
]


@pytest.mark.parametrize("who", ["lan", "mai"])
def test_each_filter_shows_what_the_api_answers_for_it(
    client: TestClient, world: World, who: str
) -> None:
    sign_in(client, who)
    for filters in FILTERS:
        shown = page(client, **filters)
        expected = api(client, who, **filters)
        assert codes_of(shown.text) == [item["code"] for item in expected["items"]], filters
        assert total_of(shown.text) == expected["total"], filters
        # The form shows the filters it was given, to be changed.
        controls = elements(shown.text)
        for name, value in filters.items():
            (control,) = controls.all("select", name=name) + controls.all("input", name=name)
            chosen = [o for o in controls.all("option", value=value) if "selected" in o]
            assert control.get("value") == value or chosen, (name, value)
    assert world.postal in codes_of(page(client, channel="postal").text)


def test_the_receipt_dates_filter_on_vietnam_days(client: TestClient, world: World) -> None:
    sign_in(client)
    today = datetime.now(VN_TZ).date().isoformat()
    shown = page(client, received_from=today, received_to=today)
    expected = api(client, received_from=today, received_to=today)
    assert codes_of(shown.text) == [item["code"] for item in expected["items"]]
    assert {world.accepted, world.soon} <= set(codes_of(shown.text))
    assert world.overdue not in codes_of(shown.text)
    # Typed as people write dates, where a browser shows a text box: the same filter.
    typed = datetime.now(VN_TZ).strftime("%d/%m/%Y")
    again = page(client, received_from=typed, received_to=typed)
    assert codes_of(again.text) == codes_of(shown.text)
    (field,) = elements(again.text).all("input", name="received_from")
    assert field["value"] == today


# ---------------------------------------------------------------------------------------------
# What a row shows


def test_each_row_shows_the_apis_item_with_dates_in_vietnam_time(
    client: TestClient, world: World
) -> None:
    sign_in(client)
    items = {item["code"]: item for item in api(client)["items"]}
    for row in rows_of(page(client).text):
        code = row["attrs"]["data-dossier-code"]
        item = items[code]
        assert row["links"] == [f"/can-bo/ho-so/{code}"]
        number, procedure, applicant, channel, status, received, due = row["cells"]
        assert number == code
        assert procedure.endswith(f"({item['procedure_code']})") and len(procedure) > 20
        assert applicant == item["applicant_name"]
        assert channel == Channel(item["channel"]).label
        assert status.startswith(item["status_label"])
        assert received == (vn_moment(item["received_at"]) or "Chưa tiếp nhận")
        assert due.startswith(vn_moment(item["due_at"]))
        assert row["attrs"]["data-status"] == item["status"]
    soon = next(row for row in rows_of(page(client).text) if row["cells"][0] == world.soon)
    assert soon["cells"][1] == f"Cấp bản sao trích lục hộ tịch ({SOON})"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", soon["cells"][5])


def test_overdue_due_soon_and_intake_overdue_are_badges_of_text(
    client: TestClient, world: World
) -> None:
    sign_in(client)
    items = {item["code"]: item for item in api(client)["items"]}
    rows = {row["attrs"]["data-dossier-code"]: row for row in rows_of(page(client).text)}
    for code, item in items.items():
        attrs, cells = rows[code]["attrs"], rows[code]["cells"]
        assert (attrs.get("data-overdue") == "true") is item["overdue"], code
        assert (attrs.get("data-due-soon") == "true") is item["due_soon"], code
        assert (attrs.get("data-intake-overdue") == "true") is item["intake_overdue"], code
        assert cells[6].endswith("Quá hạn") is item["overdue"]
        assert cells[6].endswith("Sắp đến hạn") is item["due_soon"]
        assert ("Chờ tiếp nhận quá 8 giờ làm việc" in cells[4]) is item["intake_overdue"]
    assert [c for c, i in items.items() if i["overdue"]] == [world.overdue]
    assert [c for c, i in items.items() if i["due_soon"]] == [world.soon]
    assert [c for c, i in items.items() if i["intake_overdue"]] == [world.waiting]


# ---------------------------------------------------------------------------------------------
# The intake count, the pagination


def test_the_new_online_dossiers_waiting_for_intake_are_counted_with_a_link(
    client: TestClient, world: World
) -> None:
    sign_in(client)
    shown = elements(page(client, channel="postal").text)  # whatever the filters
    (notice,) = shown.all("p", data_intake_count="")
    expected = api(client, status="new")
    assert int(notice["data-intake-count"]) == expected["total"] == 2
    assert api(client, status="new", channel="online")["total"] == 2  # all of them online
    (link,) = shown.all("a", data_filter="waiting")
    assert link["href"] == "/can-bo/ho-so?status=new"
    followed = client.get(link["href"])
    assert sorted(codes_of(followed.text)) == sorted([world.fresh, world.waiting])
    assert "2 hồ sơ trực tuyến mới đang chờ kiểm tra tiếp nhận." in shown.plain_text()


def test_an_agency_without_waiting_dossiers_says_so(client: TestClient, world: World) -> None:
    sign_in(client, "mai")
    shown = elements(page(client).text)
    (notice,) = shown.all("p", data_intake_count="")
    assert notice["data-intake-count"] == "0" == str(api(client, "mai", status="new")["total"])
    assert not shown.all("a", data_filter="waiting")
    assert "Không có hồ sơ trực tuyến mới nào chờ tiếp nhận." in shown.plain_text()


def test_pages_of_twenty_with_the_total_and_links_that_keep_the_filters(
    client: TestClient, session: Session, world: World
) -> None:
    for _ in range(22):
        make_dossier(session)
    sign_in(client)
    first = page(client, status="new")
    second = page(client, status="new", page=2)
    expected = [api(client, status="new", page=n) for n in (1, 2)]
    assert codes_of(first.text) == [i["code"] for i in expected[0]["items"]]
    assert codes_of(second.text) == [i["code"] for i in expected[1]["items"]]
    assert len(codes_of(first.text)) == 20 and len(codes_of(second.text)) == 4
    assert total_of(first.text) == total_of(second.text) == expected[0]["total"] == 24
    (following,) = elements(first.text).all("a", rel="next")
    assert following["href"] == "/can-bo/ho-so?status=new&page=2"
    (previous,) = elements(second.text).all("a", rel="prev")
    assert previous["href"] == "/can-bo/ho-so?status=new"
    assert "Trang 2/2" in elements(second.text).plain_text()
    # A page number that is no page number is the first page; one past the end, no rows.
    for wrong in ("²", "0", "-1", "9" * 5000, "abc"):
        assert codes_of(page(client, status="new", page=wrong).text) == codes_of(first.text)
    for past in ("3", "10000", "10001"):
        assert codes_of(page(client, status="new", page=past).text) == []


# ---------------------------------------------------------------------------------------------
# The CSV


def csv_rows(client: TestClient, **params: Any) -> list[list[str]]:
    answer = client.get(f"{QUEUE}.csv", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["cache-control"] == "no-store"
    assert re.fullmatch(
        r'attachment; filename="ho-so-\d{8}-\d{4}\.csv"', answer.headers["content-disposition"]
    )
    assert answer.content.startswith(b"\xef\xbb\xbf")  # the BOM, for Excel
    header, *rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert header == list(officer_queue.CSV_HEADERS)
    return rows


def expected_csv(item: dict[str, Any]) -> list[str]:
    """The CSV row of one of the API's items, less the catalogue's names (`without_names`)."""
    yes = {True: "Có", False: "Không"}
    return [
        item["code"],
        item["procedure_code"],
        item["agency_code"],
        item["applicant_name"],
        Channel(item["channel"]).label,
        item["status_label"],
        vn_moment(item["submitted_at"]),
        vn_moment(item["received_at"]),
        vn_moment(item["due_at"]),
        yes[item["overdue"]],
        yes[item["due_soon"]],
        yes[item["intake_overdue"]],
    ]


def without_names(row: list[str]) -> list[str]:
    """A CSV row less the catalogue's names (the procedure's, the agency's)."""
    return [value for i, value in enumerate(row) if i not in (2, 4)]


@pytest.mark.parametrize("filters", [{}, {"status": "accepted"}, {"channel": "online"}])
def test_the_csv_has_every_page_of_the_apis_items(
    client: TestClient, session: Session, world: World, filters: dict[str, str]
) -> None:
    for _ in range(21):
        make_dossier(session, "accepted")
    sign_in(client)
    rows = csv_rows(client, **filters)
    items = api_all(client, **filters)
    assert len(items) > 20  # more than one page of the page
    assert [without_names(row) for row in rows] == [expected_csv(i) for i in items]
    overdue = next(row for row in rows if row[0] == world.overdue)
    assert overdue[2] == "Đăng ký khai sinh" and overdue[4] == "Ủy ban nhân dân tỉnh"


def test_the_csv_of_the_page_is_linked_with_its_filters(client: TestClient, world: World) -> None:
    sign_in(client)
    shown = elements(page(client, status="accepted", channel="online").text)
    (link,) = shown.all("a", data_export="csv")
    assert link["href"] == "/can-bo/ho-so.csv?status=accepted&channel=online"
    rows = csv_rows(client, status="accepted", channel="online")
    assert [row[0] for row in rows] == [world.overdue, world.accepted]


def test_the_csv_is_capped_and_the_page_says_so(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(officer_queue, "CSV_MAX_ROWS", 3)
    monkeypatch.setattr(officer_queue, "CSV_BATCH", 2)
    sign_in(client)
    rows = csv_rows(client)
    assert [row[0] for row in rows] == [item["code"] for item in api(client)["items"]][:3]
    text = elements(page(client).text).plain_text()
    assert "Tệp CSV chỉ gồm 3 hồ sơ đầu tiên của danh sách" in text


def test_a_name_that_a_spreadsheet_would_run_reaches_the_csv_as_text(
    client: TestClient, session: Session, world: World
) -> None:
    code = register(session, SOON, "counter", "lan", '=HYPERLINK("http://x")')
    sign_in(client)
    (row,) = [row for row in csv_rows(client) if row[0] == code]
    assert row[5] == '\'=HYPERLINK("http://x")'


# ---------------------------------------------------------------------------------------------
# Refused filters


BAD: list[tuple[dict[str, str], str]] = [
    ({"status": "finished"}, "status"),
    ({"channel": "fax"}, "channel"),
    ({"overdue": "maybe"}, "overdue"),
    ({"received_from": "hôm qua"}, "received_from"),
    ({"received_to": "2026-02-30"}, "received_to"),
    ({"received_from": "2026-11-05", "received_to": "2026-11-03"}, "received_from"),
    ({"q": "x" * 101}, "q"),
    ({"procedure": "1." + "9" * 63}, "procedure"),
]


def test_a_refused_filter_is_the_apis_message_next_to_its_control(
    client: TestClient, world: World
) -> None:
    sign_in(client)
    for filters, name in BAD:
        answer = client.get(QUEUE, params=filters)
        refused = client.get(API, params=filters, headers=officer_headers(client))
        assert answer.status_code == refused.status_code == 422, filters
        error = refused.json()["error"]
        (problem,) = error["details"]
        assert problem["loc"] == ["query", name]
        shown = elements(answer.text)
        (control,) = shown.all("select", name=name) + shown.all("input", name=name)
        assert control["aria-invalid"] == "true"
        assert f"{name}-error" in control["aria-describedby"].split()
        message = answer.text[answer.text.index(f'id="{name}-error"') :]
        message = message[message.index(">") + 1 : message.index("</p>")]
        msg = problem["msg"]
        expected = f"{error['message']} {msg[:1].upper()}{msg[1:]}."
        assert elements(message).plain_text() == expected, filters
        # The error summary links to the control; no list is shown; the CSV is refused alike.
        assert shown.all("a", href=f"#{name}")
        assert not shown.all("span", data_total="")
        assert client.get(f"{QUEUE}.csv", params=filters).status_code == 422
    assert world.fresh  # the refusals read no dossier, but there were some to read


def test_the_page_in_english(client: TestClient, world: World) -> None:
    sign_in(client)
    shown = elements(page(client, lang="en", status="accepted").text)
    text = shown.plain_text()
    assert "Dossiers to process" in text and "Accepted" in text and "Overdue" in text
    (link,) = shown.all("a", data_export="csv")
    assert link["href"] == "/can-bo/ho-so.csv?status=accepted&lang=en"
    assert shown.all("input", name="lang", value="en")


def test_every_status_and_channel_is_offered(client: TestClient, world: World) -> None:
    sign_in(client)
    shown = elements(page(client).text)
    assert [o["value"] for o in shown.all("option") if o["value"] in set(DossierStatus)] == [
        s.value for s in DossierStatus
    ]
    for channel in Channel:
        assert shown.all("option", value=channel.value)
    for name in officer_queue.FIELDS:
        (control,) = shown.all("select", name=name) + shown.all("input", name=name)
        assert shown.all("label", **{"for": control["id"]})
