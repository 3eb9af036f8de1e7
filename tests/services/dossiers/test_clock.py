"""The deadline clock through the real workflow (DOMAIN.md §5): a dossier's due moment in its
procedure's unit, pauses in working time for supplements and, where the procedure says so, for
fees, and the apology with a new appointment. Every move happens at a moment the test sets."""

from datetime import datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.errors import AppointmentPassed, InvalidDueAt
from app.models import Dossier, DossierEvent
from app.models.dossier import DossierStatus
from app.models.officer import Principal, Role
from app.models.types import VN_TZ
from app.services.dossiers import workflow
from app.services.dossiers.applicant import supplement_dossier, withdraw_dossier
from app.services.dossiers.queue import QueueFilter, list_queue
from app.services.dossiers.submission import Received
from app.services.dossiers.tracking import get_dossier, public_view
from tests.factories import (
    PDF_BYTES,
    MadeDossier,
    engine_of,
    make_dossier,
    make_online_procedure,
    move,
    pdf_upload,
)
from tests.memory_storage import MemoryStorage

S = workflow.Action
LAN = Principal(username="lan", role=Role.officer, agency_code="000.00.00.H20", issuer="tests")


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def accepted_at(session: Session, when: datetime, **procedure: Any) -> MadeDossier:
    """An online dossier accepted at `when` (the procedure made with `procedure` first)."""
    make_online_procedure(session, **procedure)
    session.commit()
    return make_dossier(session, DossierStatus.accepted, now=when)


def supplied(session: Session, made: MadeDossier, when: datetime) -> None:
    storage = MemoryStorage()
    received = Received(fields={}, files=[pdf_upload(storage, content=PDF_BYTES + b"2")])
    engine = engine_of(session)
    supplement_dossier(
        engine, storage, Settings(_env_file=None), made.code, made.access_token, received, when
    )


def reload(session: Session, made: MadeDossier) -> Dossier:
    session.expire_all()
    return get_dossier(session, made.code)


def reschedule(session: Session, made: MadeDossier, new: datetime | None, when: datetime) -> Any:
    request = workflow.Request(
        S.reschedule, None, public_note="Xin lỗi ông/bà vì trễ hẹn.", due_at=new
    )
    return workflow.apply_action(
        engine_of(session), made.code, workflow.Actor.of(LAN), request, when
    )


# -- the first due moment, in the procedure's unit ---------------------------------------------


def test_thursday_plus_two_working_days_is_the_make_up_saturday(session: Session) -> None:
    made = accepted_at(session, vn(2025, 4, 24, 10), processing_days=2)
    assert reload(session, made).due_at == vn(2025, 4, 26, 17)


@pytest.mark.parametrize(
    ("amount", "unit", "received", "due"),
    [
        (0.5, "working_days", vn(2025, 11, 10, 9), vn(2025, 11, 11, 11, 30)),
        (4, "working_hours", vn(2025, 11, 7, 17, 30), vn(2025, 11, 10, 11, 30)),
        (30, "calendar_days", vn(2025, 11, 10, 9), vn(2025, 12, 10, 17)),
        (6, "calendar_days", vn(2025, 11, 10, 9), vn(2025, 11, 17, 17)),  # Sunday → Monday
        (1, "months", vn(2023, 1, 31, 9), vn(2023, 2, 28, 17)),
    ],
)
def test_the_due_moment_follows_the_procedures_unit(
    session: Session, amount: float, unit: str, received: datetime, due: datetime
) -> None:
    made = accepted_at(
        session, received, processing_days=1, processing_amount=amount, processing_unit=unit
    )
    dossier = reload(session, made)
    assert dossier.due_at == due
    assert dossier.original_due_at == due


# -- supplement pauses, in working time ----------------------------------------------------------


def test_a_pause_from_friday_evening_to_monday_morning_moves_nothing(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9))  # 5 working days: Monday 17 Nov 17:00
    move(session, made.code, S.request_supplement, now=vn(2025, 11, 14, 17, 30))
    assert reload(session, made).paused_at == vn(2025, 11, 14, 17, 30)
    supplied(session, made, vn(2025, 11, 17, 7, 0))
    dossier = reload(session, made)
    assert dossier.paused_at is None
    assert dossier.due_at == vn(2025, 11, 17, 17)


def test_a_pause_within_a_day_moves_by_its_desk_hours(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9))
    move(session, made.code, S.request_supplement, now=vn(2025, 11, 17, 7, 35))
    supplied(session, made, vn(2025, 11, 17, 16, 55))
    dossier = reload(session, made)
    # 7 h 50 min (9 h 20 min less the lunch break) after Monday 17:00
    assert dossier.due_at == vn(2025, 11, 18, 16, 50)
    assert dossier.original_due_at == vn(2025, 11, 17, 17)


def test_a_pause_across_a_weekend_and_30_april(session: Session) -> None:
    made = accepted_at(session, vn(2025, 4, 21, 9))  # 5 working days: Saturday 26 Apr is one
    assert reload(session, made).due_at == vn(2025, 4, 26, 17)
    move(session, made.code, S.request_supplement, now=vn(2025, 4, 25, 16, 0))
    supplied(session, made, vn(2025, 5, 5, 8, 30))
    # paused 25/4 16:00–17:00, 26/4, 28/4, 29/4 (8 h each), 5/5 07:30–08:30: 26 h, which
    # after Saturday 17:00 run over 28/4, 29/4 and 5/5 (30/4 – 4/5 are off) to 6/5 09:30
    assert reload(session, made).due_at == vn(2025, 5, 6, 9, 30)


def test_a_supplement_asked_after_the_due_moment_keeps_the_dossier_late(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9))
    move(session, made.code, S.request_supplement, now=vn(2025, 11, 18, 9))  # a day late
    supplied(session, made, vn(2025, 11, 25, 9))
    assert reload(session, made).due_at == vn(2025, 11, 17, 17)


# -- fee pauses ----------------------------------------------------------------------------------


def test_a_fee_request_pauses_the_clock_where_the_procedure_says_so(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9), fee_pauses_clock=True)
    move(session, made.code, S.request_fee, now=vn(2025, 11, 12, 9))
    assert reload(session, made).paused_at == vn(2025, 11, 12, 9)
    move(session, made.code, S.confirm_fee, now=vn(2025, 11, 13, 9))
    dossier = reload(session, made)
    assert dossier.paused_at is None
    assert dossier.status is DossierStatus.processing
    assert dossier.due_at == vn(2025, 11, 18, 17)  # one working day (8 h) later


def test_a_fee_request_does_not_pause_the_clock_otherwise(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9))
    move(session, made.code, S.request_fee, now=vn(2025, 11, 12, 9))
    assert reload(session, made).paused_at is None
    move(session, made.code, S.confirm_fee, now=vn(2025, 11, 13, 9))
    assert reload(session, made).due_at == vn(2025, 11, 17, 17)


def test_a_withdrawal_request_keeps_a_fee_pause(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9), fee_pauses_clock=True)
    move(session, made.code, S.request_fee, now=vn(2025, 11, 12, 9))
    withdraw_dossier(
        engine_of(session), made.code, made.access_token, "Tôi đổi ý.", vn(2025, 11, 12, 10)
    )
    assert reload(session, made).paused_at == vn(2025, 11, 12, 9)
    move(session, made.code, S.deny_withdrawal, now=vn(2025, 11, 12, 11))
    dossier = reload(session, made)
    assert dossier.status is DossierStatus.fee_requested
    assert dossier.paused_at == vn(2025, 11, 12, 9)  # still paused since the fee request
    move(session, made.code, S.confirm_fee, now=vn(2025, 11, 13, 9))
    assert reload(session, made).due_at == vn(2025, 11, 18, 17)


def test_the_overdue_filter_leaves_out_a_fee_pause(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9), fee_pauses_clock=True)
    move(session, made.code, S.request_fee, now=vn(2025, 11, 12, 9))
    later = vn(2025, 12, 1, 9)  # well past the due moment
    items, total = list_queue(session, LAN, QueueFilter(overdue=True), 1, 20, later)
    assert total == 0 and items == []
    items, _total = list_queue(session, LAN, QueueFilter(overdue=False), 1, 20, later)
    assert [item.code for item in items] == [made.code]


# -- the apology and new appointment -------------------------------------------------------------


def test_a_reschedule_keeps_both_appointments(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9))  # due Monday 17 Nov 17:00
    view = reschedule(session, made, vn(2025, 11, 20, 17), vn(2025, 11, 17, 15))
    assert view.status is DossierStatus.accepted
    assert view.due_at == vn(2025, 11, 17, 17)
    assert view.rescheduled_due_at == vn(2025, 11, 20, 17)
    last = view.events[-1]
    assert (last.action, last.from_status, last.to_status) == ("reschedule", "accepted", "accepted")
    assert last.public_note == "Xin lỗi ông/bà vì trễ hẹn."
    assert last.due_at == vn(2025, 11, 20, 17)
    # finished after the original appointment, before the new one: late
    move(session, made.code, S.start_processing, now=vn(2025, 11, 18, 9))
    move(session, made.code, S.complete, now=vn(2025, 11, 19, 9))
    public = public_view(session, made.code, vn(2025, 11, 19, 10))
    assert public.on_time is False
    assert public.rescheduled_due_at == vn(2025, 11, 20, 17)
    assert public.history[-3].note == "Xin lỗi ông/bà vì trễ hẹn."
    assert public.history[-3].due_at == vn(2025, 11, 20, 17)


def test_a_second_reschedule_must_be_later_than_the_first(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9))
    reschedule(session, made, vn(2025, 11, 20, 17), vn(2025, 11, 17, 15))
    with pytest.raises(InvalidDueAt):
        reschedule(session, made, vn(2025, 11, 19, 17), vn(2025, 11, 18, 9))
    # past the legal due moment but before the new appointment: still allowed
    view = reschedule(session, made, vn(2025, 11, 24, 17), vn(2025, 11, 18, 9))
    assert view.rescheduled_due_at == vn(2025, 11, 24, 17)
    assert view.due_at == vn(2025, 11, 17, 17)


def test_a_reschedule_after_the_appointment_passed_is_refused(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9))
    before = reload(session, made)
    with pytest.raises(AppointmentPassed):
        reschedule(session, made, vn(2025, 11, 25, 17), vn(2025, 11, 17, 17, 1))
    with pytest.raises(InvalidDueAt):
        reschedule(session, made, vn(2025, 11, 17, 17), vn(2025, 11, 17, 9))  # not later
    with pytest.raises(InvalidDueAt):
        reschedule(session, made, None, vn(2025, 11, 17, 9))
    after = reload(session, made)
    assert (after.version, after.rescheduled_due_at) == (before.version, None)
    events = session.exec(select(DossierEvent).where(DossierEvent.dossier_id == after.id)).all()
    assert [e.action for e in events] == ["submit", "accept"]


def test_a_pause_moves_the_new_appointment_too(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9))
    reschedule(session, made, vn(2025, 11, 20, 17), vn(2025, 11, 14, 9))
    move(session, made.code, S.request_supplement, now=vn(2025, 11, 17, 9))
    supplied(session, made, vn(2025, 11, 17, 10))
    dossier = reload(session, made)
    assert dossier.due_at == vn(2025, 11, 18, 8, 30)
    assert dossier.rescheduled_due_at == vn(2025, 11, 21, 8, 30)


def test_a_reschedule_during_a_fee_pause(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9), fee_pauses_clock=True)  # due 17 Nov 17:00
    move(session, made.code, S.request_fee, now=vn(2025, 11, 14, 9))
    # past the nominal due moment, but the clock stopped before it: not passed
    view = reschedule(session, made, vn(2025, 11, 21, 17), vn(2025, 11, 18, 9))
    assert view.rescheduled_due_at == vn(2025, 11, 21, 17)
    move(session, made.code, S.confirm_fee, now=vn(2025, 11, 19, 9))
    dossier = reload(session, made)
    # the legal due moment moves by the whole pause (14 Nov 09:00 – 19 Nov 09:00: 24 h)
    assert dossier.due_at == vn(2025, 11, 20, 17)
    # the new appointment only by the part after it was given (18 Nov 09:00 – 19 Nov 09:00)
    assert dossier.rescheduled_due_at == vn(2025, 11, 24, 17)


def test_a_pause_begun_after_the_appointment_does_not_reopen_it(session: Session) -> None:
    made = accepted_at(session, vn(2025, 11, 10, 9), fee_pauses_clock=True)
    move(session, made.code, S.request_fee, now=vn(2025, 11, 18, 9))  # a day late
    with pytest.raises(AppointmentPassed):
        reschedule(session, made, vn(2025, 11, 28, 17), vn(2025, 11, 19, 9))
