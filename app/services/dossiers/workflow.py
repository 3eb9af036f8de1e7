"""The official workflow (DOMAIN.md §4): every status change goes through `apply_action`.

It checks the allowed moves, the caller's right to act and the dossier's `version`, sets the
dates the move implies (receipt, deadline, pause, finish), bumps `version` with a compare-and-
swap, appends a `DossierEvent`, and commits. No other code assigns `dossier.status`.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlmodel import Session, col

from app.db import unit_of_work
from app.errors import (
    AmountRequired,
    AppError,
    IllegalTransition,
    InvalidAmount,
    InvalidDocuments,
    InvalidDueAt,
    NoteRequired,
    NotYourAction,
    StaleVersion,
    UnknownAction,
    detail,
)
from app.models.catalogue import Procedure, ProcessingUnit
from app.models.dossier import (
    FINISHED_STATUSES,
    MOVE_NOTES,
    Dossier,
    DossierEvent,
    DossierStatus,
    OfficerDossierView,
)
from app.models.officer import Principal
from app.services.calendar import load_calendar
from app.services.catalogue.scope import check_can_act
from app.services.dossiers.deadlines import (
    due_after_pause,
    due_moment,
    new_appointment,
    span,
    time_used,
)
from app.services.dossiers.supplement_requests import asked_documents
from app.services.dossiers.timeliness import late_at_after
from app.services.dossiers.tracking import get_dossier, officer_view
from app.services.stats import counters

S = DossierStatus


class Action(StrEnum):
    accept = "accept"
    refuse = "refuse"
    request_supplement = "request_supplement"
    start_processing = "start_processing"
    request_fee = "request_fee"
    confirm_fee = "confirm_fee"
    complete = "complete"
    return_result = "return_result"
    stop = "stop"
    confirm_withdrawal = "confirm_withdrawal"
    deny_withdrawal = "deny_withdrawal"
    reschedule = "reschedule"
    # The applicant's requests (with the dossier's access token).
    supplement = "supplement"
    withdraw = "withdraw"

    @property
    def label(self) -> str:
        """The move in Vietnamese, for messages: a Vietnamese sentence never names `supplement`."""
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.accept: "tiếp nhận hồ sơ",
    Action.refuse: "từ chối tiếp nhận hồ sơ",
    Action.request_supplement: "yêu cầu bổ sung hồ sơ",
    Action.start_processing: "chuyển xử lý hồ sơ",
    Action.request_fee: "yêu cầu thực hiện nghĩa vụ tài chính",
    Action.confirm_fee: "xác nhận đã thực hiện nghĩa vụ tài chính",
    Action.complete: "hoàn thành xử lý hồ sơ",
    Action.return_result: "trả kết quả",
    Action.stop: "dừng xử lý hồ sơ",
    Action.confirm_withdrawal: "đồng ý cho rút hồ sơ",
    Action.deny_withdrawal: "không đồng ý cho rút hồ sơ",
    Action.reschedule: "hẹn lại ngày trả kết quả",
    Action.supplement: "bổ sung hồ sơ",
    Action.withdraw: "rút hồ sơ",
}


@dataclass(frozen=True)
class Move:
    sources: frozenset[DossierStatus]
    target: DossierStatus | None  # None: back to the status it came from
    by_officer: bool
    note_required: bool


def _move(
    sources: set[DossierStatus], target: DossierStatus | None, officer: bool, note: bool
) -> Move:
    return Move(frozenset(sources), target, officer, note)


ACTIVE = {S.new, S.accepted, S.processing, S.supplement_requested, S.fee_requested}
MOVES: dict[Action, Move] = {
    Action.accept: _move({S.new}, S.accepted, True, False),
    Action.refuse: _move({S.new}, S.refused, True, True),
    Action.request_supplement: _move(
        {S.new, S.accepted, S.processing}, S.supplement_requested, True, True
    ),
    Action.start_processing: _move({S.accepted}, S.processing, True, False),
    Action.request_fee: _move({S.accepted, S.processing}, S.fee_requested, True, True),
    Action.confirm_fee: _move({S.fee_requested}, S.processing, True, False),
    Action.complete: _move({S.processing}, S.processed, True, True),
    Action.return_result: _move({S.processed}, S.returned, True, False),
    Action.stop: _move(ACTIVE - {S.new}, S.stopped, True, True),
    Action.confirm_withdrawal: _move({S.withdrawal_requested}, S.stopped, True, False),
    Action.deny_withdrawal: _move({S.withdrawal_requested}, None, True, True),
    # The apology and new appointment: the status stays (its stack is empty in these statuses).
    Action.reschedule: _move({S.accepted, S.processing, S.fee_requested}, None, True, True),
    Action.supplement: _move({S.supplement_requested}, None, False, False),
    Action.withdraw: _move(ACTIVE, S.withdrawal_requested, False, True),
}


# The public history shows only what officers write for the applicant to read: for the
# applicant's own requests it shows these fixed texts, and the applicant's words (a withdrawal
# reason) are kept as the event's internal note, which only officers see. Dossier codes are
# sequential, so anything an applicant writes there could be harvested by guessing codes.
APPLICANT_NOTES: dict[Action, str] = {
    action: MOVE_NOTES[action.value] for action in (Action.supplement, Action.withdraw)
}


def allowed_actions(status: DossierStatus, by_officer: bool) -> list[str]:
    return [a.value for a, m in MOVES.items() if status in m.sources and m.by_officer == by_officer]


@dataclass(frozen=True)
class Actor:
    """An officer (a Principal) or the applicant holding the dossier's token."""

    label: str
    officer: Principal | None = None

    @classmethod
    def applicant(cls) -> "Actor":
        return cls(label="applicant")

    @classmethod
    def of(cls, principal: Principal) -> "Actor":
        return cls(label=f"officer:{principal.username}", officer=principal)


@dataclass(frozen=True)
class Request:
    action: Action
    version: int | None
    note: str = ""
    public_note: str = ""
    due_at: datetime | None = None  # the new appointment of a reschedule
    documents: tuple[str, ...] | None = None  # the document keys a request_supplement asks for
    amount_vnd: int | None = None  # the amount a request_fee asks for, in đồng


def officer_request(
    action: str,
    version: int,
    note: str,
    public_note: str,
    due_at: datetime | None = None,
    documents: list[str] | None = None,
    amount_vnd: int | None = None,
) -> Request:
    """An officer's move as asked over HTTP; 422 `unknown_action` for anything but an
    officer's action (the applicant's own requests have routes of their own), 422
    `invalid_due_at` for a `due_at` with any action but `reschedule`, 422 `invalid_documents`
    for `documents` with any action but `request_supplement`, 422 `invalid_amount` for an
    `amount_vnd` with any action but `request_fee`."""
    try:
        known = Action(action)
    except ValueError:
        known = None
    if known is None or not MOVES[known].by_officer:
        raise UnknownAction(
            f"Thao tác không hợp lệ: {action[:40]}.",
            details=[detail(["body", "action"], "không có trong danh sách thao tác của cán bộ")],
        )
    if due_at is not None and known is not Action.reschedule:
        raise InvalidDueAt(
            "Chỉ thao tác hẹn lại ngày trả kết quả mới có ngày hẹn mới (due_at).",
            details=[detail(["body", "due_at"], "chỉ dùng khi hẹn lại ngày trả kết quả")],
        )
    if documents is not None and known is not Action.request_supplement:
        raise InvalidDocuments(
            details=[detail(["body", "documents"], "chỉ dùng với thao tác yêu cầu bổ sung")]
        )
    if amount_vnd is not None and known is not Action.request_fee:
        raise InvalidAmount(
            details=[detail(["body", "amount_vnd"], "chỉ dùng với thao tác yêu cầu nộp phí")]
        )
    kept = tuple(documents) if documents is not None else None
    return Request(known, version, note, public_note, due_at, kept, amount_vnd)


def apply_action(
    engine: Engine, code: str, actor: Actor, request: Request, now: datetime
) -> OfficerDossierView:
    """An officer's move, in one transaction that also reads the view it answers with: 403
    outside the officer's agency subtree, 409 `stale_version` / `illegal_transition`, 422
    when a required note is missing."""
    with unit_of_work(engine, write=True) as session:
        dossier = get_dossier(session, code)
        move_dossier(session, dossier, actor, request, now)
        session.flush()
        return officer_view(session, dossier, now)


def move_dossier(
    session: Session,
    dossier: Dossier,
    actor: Actor,
    request: Request,
    now: datetime,
    also: dict[str, Any] | None = None,
) -> None:
    """The move itself, inside the caller's transaction (the caller commits): for use cases
    that write more in the same commit, such as a supplement with its files."""
    move = MOVES[request.action]
    _authorize(session, dossier, actor, move)
    if request.version is not None and request.version != dossier.version:
        raise stale(dossier)
    current = dossier.status
    if current not in move.sources:
        raise illegal(dossier, request.action, actor.officer is not None)
    if move.note_required and move.by_officer and not request.public_note.strip():
        raise NoteRequired(
            "Cần ghi rõ lý do hoặc nội dung cho người nộp hồ sơ.",
            details=[detail(["public_note"], "bắt buộc với thao tác này")],
        )
    if move.note_required and not move.by_officer and not request.note.strip():
        raise NoteRequired(
            "Cần ghi rõ lý do.", details=[detail(["body", "reason"], "bắt buộc với thao tác này")]
        )
    if request.action is Action.request_fee and request.amount_vnd is None:
        raise AmountRequired(details=[detail(["body", "amount_vnd"], "bắt buộc với thao tác này")])
    documents = None
    if request.action is Action.request_supplement:
        procedure = session.get(Procedure, dossier.procedure_code)
        assert procedure is not None
        documents = asked_documents(procedure, request.documents)
    if request.action is Action.reschedule:
        appointment = new_appointment(dossier, request.due_at, now)
        also = {"status": dossier.status, "rescheduled_due_at": appointment, **(also or {})}
    changes = {**_changes(session, dossier, move, request.action, now), **(also or {})}
    before = counters.Facts.of(dossier)
    _swap(session, dossier, changes)
    counters.record(session, before, before.changed(changes))
    event = _event(dossier, current, changes["status"], actor, request, now)
    event.documents = documents
    session.add(event)


def _authorize(session: Session, dossier: Dossier, actor: Actor, move: Move) -> None:
    if actor.officer is None:
        if move.by_officer:
            raise NotYourAction("Thao tác này dành cho cán bộ.")
        return
    if not move.by_officer:
        raise NotYourAction("Thao tác này dành cho người nộp hồ sơ.")
    check_can_act(session, actor.officer, dossier.agency_code)


def stale(dossier: Dossier) -> AppError:
    return StaleVersion(
        "Hồ sơ vừa được người khác cập nhật; hãy tải lại.",
        details=[{"version": dossier.version}],
    )


def illegal(dossier: Dossier, action: Action, by_officer: bool) -> AppError:
    status = dossier.status
    allowed = allowed_actions(status, by_officer)
    return IllegalTransition(
        f"Không thể {action.label} khi hồ sơ đang ở trạng thái “{status.label}”.",
        details=[{"status": status.value, "allowed_actions": allowed}],
    )


def _changes(
    session: Session, dossier: Dossier, move: Move, action: Action, now: datetime
) -> dict[str, Any]:
    # resume_status is a stack: a withdrawal asked while a supplement is pending returns to
    # the supplement request, which in turn returns to where it was asked.
    stack = dossier.resume_status.split(",") if dossier.resume_status else []
    if move.target is None:
        target = DossierStatus(stack.pop()) if stack else dossier.status
    else:
        target = move.target
    if move.target in (S.supplement_requested, S.withdrawal_requested):
        stack.append(dossier.status)
    changes: dict[str, Any] = {"status": target, "updated_at": now}
    changes["resume_status"] = ",".join(stack) or None
    if action == Action.accept:
        procedure = session.get(Procedure, dossier.procedure_code)
        assert procedure is not None
        changes.update(receipt_dates(session, procedure, now))
        changes.update(receipt_level(procedure))
    if action == Action.request_supplement:
        changes["supplement_requests"] = dossier.supplement_requests + 1
    changes.update(_clock(session, dossier, target, now))
    if target in FINISHED_STATUSES and dossier.finished_at is None:
        changes["finished_at"] = now
        if dossier.received_at is not None:
            changes["time_used"] = _time_used(session, dossier, changes, now)
    after = {name: changes.get(name, getattr(dossier, name)) for name in LATENESS_FIELDS}
    changes["late_at"] = late_at_after(dossier.late_at, after, now)
    return changes


# What `late_at_after` reads of a dossier after a move.
LATENESS_FIELDS = ("due_at", "paused_at", "finished_at", "supplement_requests")


def receipt_level(procedure: Procedure) -> dict[str, Any]:
    """The procedure's level and online mode, kept on the dossier when it is received."""
    return {
        "level_at_receipt": procedure.level,
        "online_mode_at_receipt": procedure.online_mode.value,
    }


def receipt_dates(session: Session, procedure: Procedure, now: datetime) -> dict[str, Any]:
    """What receiving a dossier sets (DOMAIN.md §5): the received moment and the due moment,
    the procedure's processing time in its own unit after it (services/dossiers/deadlines.py),
    and that unit; the original appointment is kept apart from later pauses and reschedules.
    Online dossiers get it on `accept`, counter and postal dossiers on registration."""
    time = procedure.processing_time
    due = due_moment(load_calendar(session), now, time)
    return {
        "received_at": now,
        "due_at": due,
        "original_due_at": due,
        "processing_unit": time.unit.value,
    }


def _unit(dossier: Dossier) -> ProcessingUnit:
    assert dossier.processing_unit is not None  # set with received_at
    return ProcessingUnit(dossier.processing_unit)


def _time_used(session: Session, dossier: Dossier, changes: dict[str, Any], now: datetime) -> float:
    """Indicator 2.2's measure of a dossier finished `now`: from receipt, in the unit it was
    received in, the pauses (the one this move ends included) subtracted."""
    assert dossier.received_at is not None
    paused = timedelta(seconds=changes.get("paused_seconds", dossier.paused_seconds))
    return time_used(load_calendar(session), dossier.received_at, now, paused, _unit(dossier))


def _clock(
    session: Session, dossier: Dossier, target: DossierStatus, now: datetime
) -> dict[str, Any]:
    """Pause or resume the deadline clock for a move to `target`: it stops in
    `supplement_requested`, and in `fee_requested` where the procedure says so
    (`fee_pauses_clock`); a withdrawal request leaves it as it was."""
    if target is S.withdrawal_requested:
        return {}
    if _pauses_clock(session, dossier, target):
        entering = dossier.status is not target and dossier.paused_at is None
        return {"paused_at": now} if entering else {}
    return _resume_clock(session, dossier, now) if dossier.paused_at else {}


def _pauses_clock(session: Session, dossier: Dossier, status: DossierStatus) -> bool:
    if status is S.supplement_requested:
        return True
    if status is S.fee_requested:
        procedure = session.get(Procedure, dossier.procedure_code)
        return procedure is not None and procedure.fee_pauses_clock
    return False


def _resume_clock(session: Session, dossier: Dossier, now: datetime) -> dict[str, Any]:
    """The deadline, and the new appointment of an apology, move by the working time the
    clock was paused (hours and minutes); the original appointment stays. The one place that
    moves them."""
    assert dossier.paused_at is not None
    changes: dict[str, Any] = {"paused_at": None}
    calendar = load_calendar(session)
    if dossier.received_at is not None:
        pause = span(calendar, dossier.paused_at, now, _unit(dossier))
        changes["paused_seconds"] = dossier.paused_seconds + round(pause.total_seconds())
    if dossier.due_at is not None:
        changes["due_at"] = due_after_pause(calendar, dossier.due_at, dossier.paused_at, now)
    if dossier.rescheduled_due_at is not None:
        # An appointment given during the pause moves only by the part of it that followed.
        since = max(dossier.paused_at, _rescheduled_at(session, dossier))
        moved = due_after_pause(calendar, dossier.rescheduled_due_at, since, now)
        changes["rescheduled_due_at"] = moved
    return changes


def _rescheduled_at(session: Session, dossier: Dossier) -> datetime:
    statement = select(func.max(col(DossierEvent.at))).where(
        col(DossierEvent.dossier_id) == dossier.id,
        col(DossierEvent.action) == Action.reschedule.value,
    )
    found = session.scalar(statement)
    assert found is not None  # rescheduled_due_at is only set with its event
    return found


def _swap(session: Session, dossier: Dossier, changes: dict[str, Any]) -> None:
    # Compare-and-swap on version: of two officers acting on the same version, one wins.
    # Moments in UTC, as the columns read them back (the loaded object is synchronised below).
    changes = {k: v.astimezone(UTC) if isinstance(v, datetime) else v for k, v in changes.items()}
    statement = (
        update(Dossier)
        .where(col(Dossier.id) == dossier.id, col(Dossier.version) == dossier.version)
        .values(**changes, version=dossier.version + 1)
    )
    if session.execute(statement).rowcount != 1:  # type: ignore[attr-defined]
        raise stale(dossier)
    # The ORM-enabled UPDATE synchronises the loaded object (synchronize_session="auto"), so
    # nobody needs to read the row back after commit: that would open another transaction
    # (on SQLite, take the write lock again) just to read.


def _event(
    dossier: Dossier,
    from_status: DossierStatus,
    to_status: DossierStatus,
    actor: Actor,
    request: Request,
    now: datetime,
) -> DossierEvent:
    assert dossier.id is not None
    return DossierEvent(
        dossier_id=dossier.id,
        action=request.action.value,
        from_status=from_status,
        to_status=to_status,
        actor=actor.label,
        note=request.note.strip(),
        public_note=(
            request.public_note.strip()
            if actor.officer is not None
            else APPLICANT_NOTES[request.action]
        ),
        due_at=request.due_at,
        amount_vnd=request.amount_vnd,
        at=now,
    )
