"""The dossier aggregate: dossiers (hồ sơ), their files, their append-only events and the
per-agency daily sequence behind dossier codes (DOMAIN.md §4, §7)."""

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints
from sqlalchemy import JSON, BigInteger, Index, String, Text, UniqueConstraint, event, text
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel

from app.models.applicant import ApplicantPublic
from app.models.types import MAX_AMOUNT_VND, CreatedAt, StrEnumType, Timestamps, UTCDateTime

# {agency_code}-{YYMMDD}-{NNNN} (Circular 01/2018/TT-VPCP, Art. 19).
# Digits are ASCII: `\d` would also take Arabic-Indic and other Unicode digits.
DOSSIER_CODE_RE = re.compile(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}-[0-9]{6}-[0-9]{4}")


class Channel(StrEnum):
    """National channel codes: 1 counter, 2 online, 3 postal."""

    counter = "counter"
    online = "online"
    postal = "postal"

    @property
    def label(self) -> str:
        """The channel's Vietnamese name (the public view's `channel_label`)."""
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    Channel.counter: "Trực tiếp",
    Channel.online: "Trực tuyến",
    Channel.postal: "Bưu chính",
}


class DossierStatus(StrEnum):
    new = "new"
    accepted = "accepted"
    refused = "refused"
    processing = "processing"
    supplement_requested = "supplement_requested"
    fee_requested = "fee_requested"
    withdrawal_requested = "withdrawal_requested"
    stopped = "stopped"
    processed = "processed"
    returned = "returned"

    @property
    def label(self) -> str:
        """The national portal's Vietnamese name of the status."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    DossierStatus.new: "Mới đăng ký",
    DossierStatus.accepted: "Được tiếp nhận",
    DossierStatus.refused: "Không được tiếp nhận",
    DossierStatus.processing: "Đang xử lý",
    DossierStatus.supplement_requested: "Yêu cầu bổ sung giấy tờ",
    DossierStatus.fee_requested: "Yêu cầu thực hiện nghĩa vụ tài chính",
    DossierStatus.withdrawal_requested: "Công dân yêu cầu rút hồ sơ",
    DossierStatus.stopped: "Dừng xử lý",
    DossierStatus.processed: "Đã xử lý xong",
    DossierStatus.returned: "Đã trả kết quả",
}


# What the public history says of a move whose event carries no public note (an officer's note
# is optional on most moves): one fixed text per workflow action, read at display time, so
# events written before these texts existed read the same way (DOMAIN.md §4).
MOVE_NOTES: dict[str, str] = {
    "submit": "Hồ sơ đã được nộp trực tuyến.",
    "register": "Hồ sơ đã được tiếp nhận tại Bộ phận Một cửa.",
    "accept": "Hồ sơ đã được tiếp nhận.",
    "refuse": "Hồ sơ không được tiếp nhận.",
    "request_supplement": "Cơ quan giải quyết yêu cầu bổ sung hồ sơ.",
    "start_processing": "Hồ sơ đang được giải quyết.",
    "request_fee": "Cơ quan giải quyết đề nghị thực hiện nghĩa vụ tài chính.",
    "confirm_fee": "Đã xác nhận thực hiện nghĩa vụ tài chính.",
    "complete": "Hồ sơ đã được giải quyết xong.",
    "return_result": "Đã trả kết quả giải quyết.",
    "stop": "Hồ sơ đã dừng xử lý.",
    "confirm_withdrawal": "Cơ quan giải quyết đồng ý cho rút hồ sơ.",
    "deny_withdrawal": "Cơ quan giải quyết không đồng ý cho rút hồ sơ.",
    "reschedule": "Cơ quan giải quyết xin lỗi và hẹn lại ngày trả kết quả.",
    # The applicant's own moves: the texts the workflow stores (an organisation applies too,
    # so "người nộp hồ sơ", not "công dân").
    "supplement": "Người nộp hồ sơ đã bổ sung hồ sơ.",
    "withdraw": "Người nộp hồ sơ đề nghị rút hồ sơ.",
}


def public_note_of(action: str, public_note: str | None) -> str:
    """The note the public history shows: the officer's public note, else the move's text."""
    return public_note or MOVE_NOTES.get(action, "")


class FileKind(StrEnum):
    """What a dossier's file is: a document the applicant handed in (a dossier component), or
    an electronic result the agency issued with `complete` (DOMAIN.md §7; indicators 4.1, 4.2)."""

    document = "document"
    result = "result"


# "Finished" for the on-time indicator (DOMAIN.md §6): first reaching one of these.
FINISHED_STATUSES = frozenset(
    {
        DossierStatus.refused,
        DossierStatus.stopped,
        DossierStatus.processed,
        DossierStatus.returned,
    }
)


# ---------------------------------------------------------------------------------------------
# Tables

# The queue's order, as index columns: earliest due first, dossiers with no deadline after.
QUEUE_ORDER_SQL = (text("(due_at IS NULL)"), "due_at", "submitted_at", "id")
OPEN_SQL = "finished_at IS NULL AND late_at IS NOT NULL"


class DossierBase(SQLModel):
    code: str = Field(unique=True, sa_type=String(40))
    procedure_code: str = Field(foreign_key="procedure.code", index=True, sa_type=String(64))
    agency_code: str = Field(foreign_key="agency.code", sa_type=String(16))
    channel: Channel = Field(sa_type=StrEnumType(Channel, 16))
    status: DossierStatus = Field(sa_type=StrEnumType(DossierStatus, 32))


class Dossier(Timestamps, DossierBase, table=True):
    __table_args__ = (
        # The officers' queue (services/dossiers/queue.py) orders by QUEUE_ORDER within an
        # agency: these let both databases walk an index in that order and stop after a page,
        # instead of sorting every dossier of the agency (docs/PERFORMANCE.md, Officer workspace).
        Index("ix_dossier_queue", "agency_code", *QUEUE_ORDER_SQL),
        Index("ix_dossier_queue_status", "agency_code", "status", *QUEUE_ORDER_SQL),
        Index(
            "ix_dossier_queue_late",  # in progress with a late moment: the overdue filter
            "agency_code",
            "late_at",
            sqlite_where=text(OPEN_SQL),
            postgresql_where=text(OPEN_SQL),
        ),
        Index("ix_dossier_submitted_at", "submitted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Optimistic concurrency for officer actions: every move bumps it.
    version: int = 1
    applicant: dict[str, Any] = Field(sa_type=JSON)
    form: dict[str, Any] = Field(sa_type=JSON)
    # SHA-256 of the bearer token: the token itself is shown once and never stored.
    access_token_hash: str = Field(unique=True, sa_type=String(64))
    # Idempotency: the key is stored only as a hash, with the payload fingerprint and the
    # access token sealed by a keystream only the key's holder can rebuild
    # (services/dossiers/submission.py).
    idempotency_key_hash: str | None = Field(default=None, unique=True, sa_type=String(64))
    request_fingerprint: str | None = Field(default=None, sa_type=String(64))
    sealed_access_token: str | None = Field(default=None, sa_type=String(128))
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    original_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The new appointment of the latest apology (`reschedule`); the dossier is still judged
    # against `due_at`, the legal due moment moved only by pauses (DOMAIN.md §5).
    rescheduled_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Where a supplement request or a withdrawal request returns to.
    resume_status: str | None = Field(default=None, sa_type=String(100))
    # Set while the deadline clock is paused, since that moment: supplement requested, or a fee
    # requested where the procedure pauses the clock for it (DOMAIN.md §5).
    paused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # More than one supplement request makes the dossier late for statistics (§6).
    supplement_requests: int = 0
    # The time the clock was paused, summed over the pauses that ended (working time for a
    # procedure counted in working days or hours, every hour for calendar days and months):
    # indicator 2.2 subtracts it (services/dossiers/deadlines.py, `time_used`).
    paused_seconds: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # The moment the dossier is late, or will be if its clock keeps running; never moves once
    # passed (services/dossiers/timeliness.py). Statistics judge periods by it.
    late_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The procedure's level and online mode when the dossier was received (set at submission,
    # again at acceptance): statistics by level and indicator 3.2 read these, so upgrading a
    # procedure does not rewrite past figures (DOMAIN.md §6).
    level_at_receipt: int = Field(default=0)
    online_mode_at_receipt: str = Field(default="", sa_type=String(16))
    # The unit of the procedure's processing time when the dossier was received, and, once it
    # is finished, the time it took in that unit from receipt, pauses subtracted, fractions
    # kept (indicator 2.2, Decision 766: "the unit follows the procedure"). Measured once, at
    # the finish, so a later change of the calendar or of the procedure leaves it as it was.
    processing_unit: str | None = Field(default=None, sa_type=String(16))
    time_used: float | None = Field(default=None)
    # The applicant's documents and the agency's electronic result files, counted where they
    # are written: statistics read these, never the files (4.1 electronic result, 4.2
    # documents and an electronic result).
    file_count: int = 0
    result_file_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # The applicant's name folded like search text, for the officers' queue search.
    applicant_name: str = Field(default="", sa_type=String(200))


class DossierFile(CreatedAt, table=True):
    __tablename__ = "dossier_file"

    # A random UUID: document ids appear in URLs and must not be guessable.
    id: str = Field(primary_key=True, sa_type=String(32))
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    # A document's component key; "result" for a result file.
    key: str = Field(sa_type=String(40))
    kind: FileKind = Field(
        default=FileKind.document,
        sa_type=StrEnumType(FileKind, 16),
        sa_column_kwargs={"server_default": FileKind.document.value},
    )
    filename: str = Field(sa_type=String(255))
    content_type: str = Field(sa_type=String(120))
    size: int = Field(sa_type=BigInteger)
    sha256: str = Field(sa_type=String(64))
    storage_key: str = Field(unique=True, sa_type=String(200))


class DossierEvent(SQLModel, table=True):
    """Append-only: never updated, never deleted (DOMAIN.md §4)."""

    __tablename__ = "dossier_event"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    action: str = Field(sa_type=String(32))
    from_status: DossierStatus | None = Field(default=None, sa_type=StrEnumType(DossierStatus, 32))
    to_status: DossierStatus = Field(sa_type=StrEnumType(DossierStatus, 32))
    actor: str = Field(sa_type=String(120))
    note: str = Field(default="", sa_type=Text)
    public_note: str = Field(default="", sa_type=Text)
    # The new appointment that a `reschedule` set.
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The document keys a `request_supplement` asked for (null for every other move, and for
    # requests made before the keys were kept: those accept any of the procedure's documents).
    documents: list[str] | None = Field(default=None, sa_type=JSON)
    # The amount a `request_fee` asked the applicant to pay, in đồng (null for every other
    # move, and for requests made before the amount was kept).
    amount_vnd: int | None = Field(default=None, sa_type=BigInteger)
    at: datetime = Field(sa_type=UTCDateTime)


class DossierSequence(SQLModel, table=True):
    """The last number handed out per agency per Vietnam day. Incremented inside the
    submitting transaction, so a rollback gives the number back: codes stay gap-free."""

    __tablename__ = "dossier_sequence"
    __table_args__ = (UniqueConstraint("agency_code", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_code: str = Field(foreign_key="agency.code", sa_type=String(16))
    day: str = Field(sa_type=String(6))  # YYMMDD, Vietnam date
    last: int


# ---------------------------------------------------------------------------------------------
# API models


class DossierCreated(BaseModel):
    code: str
    status: DossierStatus
    channel: Channel
    procedure_code: str
    agency_code: str
    submitted_at: datetime
    access_token: str = Field(
        description="Shown once: the applicant's bearer token for details, supplement, withdraw"
    )


class CodeName(BaseModel):
    code: str
    name: str


class HistoryEntry(BaseModel):
    status: DossierStatus
    status_label: str
    at: datetime
    note: str = Field(
        description="the public note only: the officer's, or the move's fixed Vietnamese text"
    )
    due_at: datetime | None = Field(
        default=None, description="the new appointment, for an apology (reschedule)"
    )
    amount_vnd: int | None = Field(
        default=None, description="the amount to pay, in đồng, for a fee request (request_fee)"
    )


class DossierPublic(BaseModel):
    """What anyone may see: no applicant data, no form values, no files."""

    code: str
    procedure: CodeName
    agency: CodeName
    channel: Channel
    channel_label: str = Field(
        description="the channel's Vietnamese name: Trực tiếp, Trực tuyến, Bưu chính"
    )
    status: DossierStatus
    status_label: str
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None = Field(
        description="the legal due moment (moved only by pauses): what on_time is judged by"
    )
    rescheduled_due_at: datetime | None = Field(
        default=None, description="the new appointment of an apology (reschedule), if any"
    )
    finished_at: datetime | None
    on_time: bool | None = Field(
        description="finished by the due moment; null while in progress or without a due date"
    )
    overdue: bool = Field(description="still in progress after the due moment")
    has_electronic_result: bool = Field(
        description="the agency has issued an electronic result (the files are the applicant's)"
    )
    history: list[HistoryEntry]


class DocumentPublic(BaseModel):
    id: str
    key: str
    filename: str
    content_type: str
    size: int
    sha256: str


class ResultPublic(BaseModel):
    """An electronic result file the agency issued (with `complete`)."""

    id: str
    filename: str
    content_type: str
    size: int
    sha256: str


class RequestedDocument(BaseModel):
    """A document the officer asked the applicant to supplement."""

    key: str
    name: str


class DossierDetail(DossierPublic):
    applicant: ApplicantPublic = Field(
        description="an individual or an organisation, as submitted (`kind` is always given)"
    )
    form: dict[str, Any]
    documents: list[DocumentPublic] = Field(description="the applicant's documents")
    results: list[ResultPublic] = Field(
        description="electronic result files, downloaded like documents by their id"
    )
    requested_documents: list[RequestedDocument] = Field(
        default_factory=list,
        description="while supplement_requested: the documents asked for, the only ones a "
        "supplement may send (empty otherwise, and for requests older than this list)",
    )


class DossierEventPublic(BaseModel):
    action: str
    from_status: DossierStatus | None
    to_status: DossierStatus
    actor: str
    note: str
    public_note: str
    due_at: datetime | None = None
    documents: list[str] | None = Field(
        default=None, description="request_supplement: the document keys asked for"
    )
    amount_vnd: int | None = Field(
        default=None, description="request_fee: the amount to pay, in đồng"
    )
    at: datetime


class OfficerDossierView(DossierDetail):
    """Everything, for the officers of the receiving agency: internal notes included."""

    version: int
    original_due_at: datetime | None
    paused: bool = Field(
        description="the deadline clock is paused (supplement requested, or a fee requested "
        "where the procedure pauses the clock)"
    )
    supplement_requests: int
    events: list[DossierEventPublic]


class QueueItem(DossierBase):
    status_label: str
    applicant_name: str
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    overdue: bool
    # In progress, the clock running, and due within the next working day of desk time
    # (services/dossiers/queue.py, DUE_SOON); never when overdue.
    due_soon: bool = False
    # A new online dossier waiting for its intake check longer than INTAKE_CHECK_HOURS working
    # hours. Not received yet, so outside indicator 2.1 (DOMAIN.md §6).
    intake_overdue: bool = False
    version: int


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: str = Field(description="accept, refuse, request_supplement, start_processing, …")
    version: int = Field(ge=1, description="the version you saw; a stale one is a 409")
    note: Annotated[str, StringConstraints(max_length=4000)] = Field(
        default="", description="internal note (officers only)"
    )
    public_note: Annotated[str, StringConstraints(max_length=4000)] = Field(
        default="", description="shown in the public history; the reason where one is required"
    )
    due_at: AwareDatetime | None = Field(
        default=None,
        description="reschedule only: the new appointment, ISO 8601 with its offset",
    )
    documents: list[Annotated[str, StringConstraints(max_length=64)]] | None = Field(
        default=None,
        max_length=100,
        description="request_supplement only (and required there): the keys of the "
        "procedure's documents the applicant must send; only those may be supplemented",
    )
    amount_vnd: int | None = Field(
        default=None,
        ge=1,
        le=MAX_AMOUNT_VND,
        description="request_fee only (and required there): the amount the applicant must "
        "pay, in đồng",
    )


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


@event.listens_for(Session, "before_flush")
def _events_are_append_only(session: Session, _context: Any, _instances: Any) -> None:
    """The process-control sheet is evidence: an event once written is never changed."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, DossierEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("dossier events are append-only")
