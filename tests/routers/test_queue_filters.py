"""The queue's filters added for the officers' page (channel, the receipt dates) and its
`due_soon` flag, through the API: GET /api/v1/officer/dossiers (docs/API.md, Officers)."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models.dossier import FINISHED_STATUSES, DossierStatus, QueueItem
from app.models.officer import Principal, Role
from app.models.types import utcnow
from app.services.calendar import WORKING_DAY, load_calendar
from app.services.dossiers.queue import QueueFilter, list_queue
from tests.factories import PROVINCE, officer_headers
from tests.queue_world import COPY, DISTRICT, World, accepted_at, build_world, register, vn

QUEUE = "/api/v1/officer/dossiers"


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def queue(client: TestClient, who: str = "lan", **params: Any) -> Any:
    answer = client.get(QUEUE, params=params, headers=officer_headers(client, who))
    assert answer.status_code == 200, answer.text
    return answer.json()


def codes(client: TestClient, who: str = "lan", **params: Any) -> list[str]:
    return [item["code"] for item in queue(client, who, **params)["items"]]


def test_the_channel_filter(client: TestClient, world: World) -> None:
    assert codes(client, channel="counter") == [world.soon]
    assert codes(client, channel="postal") == [world.postal]
    online = codes(client, channel="online")
    assert sorted(online) == sorted(set(world.province) - {world.soon})
    assert codes(client, "mai", channel="counter") == []  # the province's counter is not hers
    # It combines with the others: the new online dossiers, the page's intake count.
    assert sorted(codes(client, status="new", channel="online")) == sorted(
        [world.fresh, world.waiting]
    )
    refused = client.get(QUEUE, params={"channel": "fax"}, headers=officer_headers(client))
    assert refused.status_code == 422
    (problem,) = refused.json()["error"]["details"]
    assert problem["loc"] == ["query", "channel"] and "'online'" in problem["msg"]


def test_the_receipt_dates_are_vietnam_days_both_included(
    client: TestClient, session: Session, world: World
) -> None:
    # 23:30 on 12 October and 00:30 on 13 October in Vietnam are both 12 October in UTC.
    late = accepted_at(session, vn(2026, 10, 12, 23, 30))
    early = accepted_at(session, vn(2026, 10, 13, 0, 30))
    end = accepted_at(session, vn(2026, 10, 15, 23, 59))
    assert codes(client, received_from="2026-10-13", received_to="2026-10-15") == [early, end]
    assert codes(client, received_from="2026-10-12", received_to="2026-10-12") == [late]
    assert codes(client, received_to="2026-10-12") == [late]
    after = codes(client, received_from="2026-10-13")
    assert late not in after and {early, end, world.accepted} <= set(after)
    # A dossier not received yet has no receipt day: every period leaves it out.
    everything = codes(client, received_from="0001-01-01", received_to="9999-12-31")
    assert world.fresh not in everything and world.waiting not in everything
    assert {late, early, end, world.accepted, world.soon} <= set(everything)
    assert len(everything) == queue(client)["total"] - 2


def test_reversed_or_unreadable_receipt_dates_are_refused(client: TestClient, world: World) -> None:
    reversed_ = client.get(
        QUEUE,
        params={"received_from": "2026-11-05", "received_to": "2026-11-03"},
        headers=officer_headers(client),
    )
    assert reversed_.status_code == 422
    error = reversed_.json()["error"]
    assert error["code"] == "invalid_period"
    assert error["details"] == [
        {"loc": ["query", "received_from"], "msg": "phải trước hoặc bằng 'received_to'"}
    ]
    for bad in ("05/11/2026", "2026-02-30", "hôm qua"):
        answer = client.get(QUEUE, params={"received_to": bad}, headers=officer_headers(client))
        assert answer.status_code == 422, bad
        (problem,) = answer.json()["error"]["details"]
        assert problem["loc"] == ["query", "received_to"]


def test_due_soon_flags_a_running_clock_within_one_working_day(
    client: TestClient, session: Session, world: World
) -> None:
    items = {item["code"]: item for item in queue(client, "root")["items"]}
    soon = {code for code, item in items.items() if item["due_soon"]}
    assert soon == {world.soon}
    # Never both: overdue is past the due moment, due soon before it.
    assert not any(item["due_soon"] and item["overdue"] for item in items.values())
    # The rule is the working calendar's: the due moment within one working day of desk time.
    calendar, now = load_calendar(session), utcnow()
    for code, item in items.items():
        if item["due_at"] and not item["overdue"] and item["status"] not in FINISHED_STATUSES:
            left = calendar.working_time_between(now, datetime.fromisoformat(item["due_at"]))
            assert item["due_soon"] is (left <= WORKING_DAY), code


def test_due_soon_counts_desk_time_across_a_weekend(session: Session, world: World) -> None:
    """Due on Monday 12 October 2026 at 17:00 (accepted on Monday 5, five working days): due
    soon from Friday at 17:00, when one working day of desk time is left, not a minute before;
    overdue, and no longer due soon, once Monday's 17:00 has passed."""
    code = accepted_at(session, vn(2026, 10, 5, 9))
    lan = Principal(username="lan", role=Role.officer, agency_code=PROVINCE, issuer="tests")

    def item(now: datetime) -> QueueItem:
        items, _total = list_queue(session, lan, QueueFilter(q=code), 1, 20, now)
        (found,) = items
        assert found.due_at == vn(2026, 10, 12, 17)
        return found

    assert not item(vn(2026, 10, 9, 16, 59)).due_soon
    assert item(vn(2026, 10, 9, 17)).due_soon
    assert item(vn(2026, 10, 12, 16, 59)).due_soon
    late = item(vn(2026, 10, 12, 17, 1))
    assert late.overdue and not late.due_soon


@pytest.mark.parametrize("filters", [QueueFilter(), QueueFilter(status=DossierStatus.accepted)])
def test_a_subtree_of_several_agencies_pages_in_the_queues_order(
    session: Session, world: World, filters: QueueFilter
) -> None:
    """lan's subtree (the province and the district) holds every dossier of the world, so
    her pages, merged from one index walk per agency, are the admin's, read in one walk."""
    for minutes in range(5):  # district dossiers due among the province's
        register(
            session, COPY, "counter", "mai", "Hờ Thị Dua", now=utcnow() - timedelta(minutes=minutes)
        )
    lan = Principal(username="lan", role=Role.officer, agency_code=PROVINCE, issuer="tests")
    root = Principal(username="root", role=Role.admin, agency_code=DISTRICT, issuer="tests")
    now = utcnow()
    everything, total = list_queue(session, root, filters, 1, 100, now)
    assert len({item.agency_code for item in everything}) == 2
    for size in (1, 3, 5):
        pages = [
            list_queue(session, lan, filters, n, size, now) for n in range(1, total // size + 3)
        ]
        assert [item.code for items, _ in pages for item in items] == [i.code for i in everything]
        assert {n for _, n in pages} == {total}
