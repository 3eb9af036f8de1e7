"""Online dossier submission (API.md, Submitting a dossier; DOMAIN.md §4, §7).

A submission either lands whole — the dossier, its files, its first event and its code's
sequence number, in one commit — or leaves no trace: no row, no stored file, no number consumed.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.config import Settings
from app.db import unit_of_work
from app.errors import (
    AgencyNotOffering,
    AgencyRequired,
    ChannelNotOffered,
    FileTypeNotAccepted,
    IdempotencyKeyReused,
    InvalidChannel,
    InvalidContent,
    InvalidForm,
    MissingDocument,
    MissingField,
    ProcedureNotOnline,
    ProcedureRetired,
    UnknownPart,
    detail,
)
from app.models.applicant import ApplicantCreate
from app.models.catalogue import Procedure, RequiredDocument, accepts_online, type_labels
from app.models.dossier import (
    Channel,
    Dossier,
    DossierCreated,
    DossierEvent,
    DossierFile,
    DossierStatus,
    FileKind,
)
from app.models.officer import Principal
from app.services import strict_json
from app.services.catalogue.procedures import get_procedure, offering_codes
from app.services.catalogue.scope import can_act, check_can_act
from app.services.dossiers import tokens, workflow
from app.services.dossiers.applicant_checks import parse_applicant
from app.services.dossiers.codes import next_dossier_code
from app.services.dossiers.forms import form_errors
from app.services.dossiers.uploads import (
    MB,
    ReceivedFile,
    StagedFiles,
    file_too_large,
    staged_files,
)
from app.services.stats import counters
from app.services.storage import Storage
from app.services.text import fold

TEXT_FIELDS = ("procedure_code", "agency_code", "applicant", "form")
OFFICER_TEXT_FIELDS = (*TEXT_FIELDS, "channel")


@dataclass(frozen=True)
class Intake:
    """How a dossier arrives: online from the applicant, or registered by an officer for a
    counter or postal dossier (which starts `accepted`, with its deadline)."""

    officer: Principal | None = None

    @property
    def online(self) -> bool:
        return self.officer is None

    @property
    def text_fields(self) -> tuple[str, ...]:
        return TEXT_FIELDS if self.online else OFFICER_TEXT_FIELDS


ONLINE = Intake()


def load_online_procedure(session: Session, code: str) -> Procedure:
    """The procedure if it takes online dossiers: level 3 or 4 and not retired."""
    procedure = get_procedure(session, code)
    if not accepts_online(procedure.level) or procedure.retired_at is not None:
        reason = "đã bãi bỏ" if procedure.retired_at else f"ở mức độ {procedure.level}"
        raise ProcedureNotOnline(
            f"Thủ tục {code} {reason}, không tiếp nhận hồ sơ trực tuyến.",
            details=[{"procedure_code": code, "level": procedure.level}],
        )
    return procedure


def load_procedure_for(session: Session, code: str, intake: Intake) -> Procedure:
    """Online: a level 3–4 procedure. At the counter any level, but not a retired procedure,
    and only for the officer's agency subtree."""
    if intake.online:
        return load_online_procedure(session, code)
    procedure = get_procedure(session, code)
    if procedure.retired_at is not None:
        raise ProcedureRetired(code)
    assert intake.officer is not None
    officer = intake.officer
    if not any(can_act(session, officer, code) for code in offering_codes(session, code)):
        check_can_act(session, officer, procedure.agency_code, what="Thủ tục")
    return procedure


def receiving_agency(
    session: Session, procedure: Procedure, raw: str | None, intake: Intake
) -> str:
    """The agency a dossier is handed to (API.md, Submitting): the one named, which must offer
    the procedure; else the only one that offers it; at the counter, else the officer's own
    agency when it offers the procedure. An officer registers only for agencies in reach."""
    offering = offering_codes(session, procedure.code) or [procedure.agency_code]
    chosen = (raw or "").strip().upper()
    if chosen and chosen not in offering:
        # The code as sent is not repeated: it may be anything the client typed.
        raise AgencyNotOffering(
            f"Cơ quan được chọn không thực hiện thủ tục {procedure.code}.",
            details=[detail(["agency_code"], "không phải cơ quan thực hiện thủ tục này")],
        )
    if not chosen:
        own = intake.officer.agency_code if intake.officer else None
        if len(offering) == 1:
            chosen = offering[0]
        elif own in offering:
            chosen = str(own)
        else:
            raise AgencyRequired(
                details=[detail(["agency_code"], f"bắt buộc: một trong {', '.join(offering)}")]
            )
    if intake.officer is not None:
        check_can_act(session, intake.officer, chosen)
    return chosen


def check_channel(procedure: Procedure, channel: Channel) -> None:
    """The procedure takes dossiers through `channel` (its `channels`)."""
    if channel.value not in procedure.channels:
        offered = ", ".join(CHANNEL_LABELS.get(str(c), str(c)) for c in procedure.channels)
        raise ChannelNotOffered(
            f"Thủ tục {procedure.code} không tiếp nhận hồ sơ {CHANNEL_LABELS[channel.value]}.",
            details=[detail(["channel"], f"thủ tục tiếp nhận: {offered}")],
        )


CHANNEL_LABELS = {
    "counter": "trực tiếp",
    "postal": "qua dịch vụ bưu chính",
    "online": "trực tuyến",
}


def documents_of(procedure: Procedure) -> dict[str, RequiredDocument]:
    return {d["key"]: RequiredDocument.model_validate(d) for d in procedure.required_documents}


def unknown_part(name: str) -> InvalidContent:
    return UnknownPart(
        f"Phần '{name}' không thuộc hồ sơ của thủ tục này.",
        details=[detail([name], "không có trong thành phần hồ sơ")],
    )


class SubmissionRules:
    """Decides while the body streams in, as soon as `procedure_code` has arrived: early
    refusals save the citizen a long upload. Everything is checked again at the end, since the
    parts may come in any order."""

    def __init__(self, engine: Engine, settings: Settings, intake: Intake = ONLINE) -> None:
        self.engine = engine
        self.settings = settings
        self.intake = intake
        self.documents: dict[str, RequiredDocument] | None = None

    def on_text(self, name: str, value: str) -> None:
        if name not in self.intake.text_fields:
            raise unknown_part(name)
        if name == "procedure_code":
            with unit_of_work(self.engine) as session:
                procedure = load_procedure_for(session, value.strip(), self.intake)
                self.documents = documents_of(procedure)

    def file_limit(self, key: str) -> int | None:
        if self.documents is None:
            return None  # the request's total limit still applies
        if key not in self.documents:
            raise unknown_part(key)
        return document_limit(self.documents[key], self.settings)

    def check_type(self, key: str, content_type: str | None) -> None:
        if self.documents is not None and key in self.documents:
            check_file_type(self.documents[key], key, content_type)

    def document_name(self, key: str) -> str:
        if self.documents is not None and key in self.documents:
            return self.documents[key].name
        return "đính kèm"


def document_limit(document: RequiredDocument, settings: Settings) -> int:
    """The catalogue's own limit for the document where it sets one, else MAX_FILE_MB."""
    return (document.max_size_mb or settings.max_file_mb) * MB


def check_file_type(document: RequiredDocument, key: str, content_type: str | None) -> None:
    accepted = [str(t) for t in document.accepted_types]
    if content_type not in accepted:
        labels = type_labels(document.accepted_types)
        raise FileTypeNotAccepted(
            f"Tệp “{document.name}” không thuộc loại được chấp nhận; chỉ nhận tệp {labels}.",
            details=[
                {
                    "loc": ["files", key],
                    "msg": f"chỉ nhận tệp {labels}",
                    "detected": content_type,
                }
            ],
        )


@dataclass
class Received:
    fields: dict[str, str]
    files: list[ReceivedFile]


@dataclass
class SubmissionResult:
    created: DossierCreated
    replayed: bool


@dataclass(frozen=True)
class Idempotency:
    """A submission's Idempotency-Key, the fingerprint of its payload, and the server keys
    that hash the key and seal the token (tokens.py)."""

    key: str
    fingerprint: str
    keys: tokens.TokenKeys

    @property
    def key_hash(self) -> str:
        return tokens.key_hash(self.keys, self.key)


def submit_dossier(
    engine: Engine,
    storage: Storage,
    settings: Settings,
    received: Received,
    idempotency_key: str | None,
    now: datetime,
    intake: Intake = ONLINE,
) -> SubmissionResult:
    """Validate everything, then write the dossier, its files and first event in one commit.
    Whatever happens, no temporary object of this request survives it."""
    with staged_files(storage, received.files) as staged:
        return _submit(engine, settings, received, idempotency_key, now, staged, intake)


def _submit(
    engine: Engine,
    settings: Settings,
    received: Received,
    idempotency_key: str | None,
    now: datetime,
    staged: StagedFiles,
    intake: Intake,
) -> SubmissionResult:
    idempotency = None
    if idempotency_key:
        keys = tokens.token_keys(settings.data_key_path)
        idempotency = Idempotency(idempotency_key, _fingerprint(received), keys)
    with unit_of_work(engine) as session:
        if idempotency and (replay := _replay(session, idempotency)):
            return replay
        valid = _validate(session, settings, received, intake, now)
    try:
        with unit_of_work(engine, write=True) as session:
            if idempotency and (replay := _replay(session, idempotency)):
                return replay
            created = _insert(session, valid, received, now, idempotency)
            staged.promote()
            return SubmissionResult(created=created, replayed=False)
    except IntegrityError:
        # A concurrent retry with the same Idempotency-Key committed first.
        if not idempotency:
            raise
        staged.undo()
        with unit_of_work(engine) as session:
            if replay := _replay(session, idempotency):
                return replay
        raise


@dataclass
class Valid:
    procedure: Procedure
    applicant: ApplicantCreate
    form: dict[str, Any]
    channel: Channel
    intake: Intake
    agency_code: str


def _validate(
    session: Session, settings: Settings, received: Received, intake: Intake, now: datetime
) -> Valid:
    code = received.fields.get("procedure_code", "").strip()
    if not code:
        raise MissingField(
            "Thiếu mã thủ tục.",
            details=[detail(["procedure_code"], "bắt buộc")],
        )
    procedure = load_procedure_for(session, code, intake)
    channel = Channel.online if intake.online else _parse_channel(received.fields.get("channel"))
    check_channel(procedure, channel)
    agency_code = receiving_agency(session, procedure, received.fields.get("agency_code"), intake)
    documents = documents_of(procedure)
    check_files(documents, received.files, settings)
    applicant = parse_applicant(received.fields.get("applicant"), procedure, now)
    form = parse_form(procedure, received.fields.get("form"))
    _check_required(documents, received.files)
    return Valid(procedure, applicant, form, channel, intake, agency_code)


CHANNEL_MSG = (
    f"phải là counter ({Channel.counter.label.lower()}) hoặc postal "
    f"({Channel.postal.label.lower()})"
)


def _parse_channel(raw: str | None) -> Channel:
    if raw not in (Channel.counter, Channel.postal):
        raise InvalidChannel(
            "Kênh tiếp nhận phải là trực tiếp (counter) hoặc bưu chính (postal).",
            details=[detail(["channel"], CHANNEL_MSG)],
        )
    return Channel(raw)


def check_files(
    documents: dict[str, RequiredDocument], files: list[ReceivedFile], settings: Settings
) -> None:
    for received_file in files:
        document = documents.get(received_file.key)
        if document is None:
            raise unknown_part(received_file.key)
        limit = document_limit(document, settings)
        if received_file.size > limit:
            raise file_too_large(received_file.key, limit, document.name)
        check_file_type(document, received_file.key, received_file.content_type)


def _check_required(documents: dict[str, RequiredDocument], files: list[ReceivedFile]) -> None:
    present = {f.key for f in files}
    missing = [d for d in documents.values() if d.required and d.key not in present]
    if missing:
        raise MissingDocument(
            "Thiếu thành phần hồ sơ bắt buộc.",
            details=[detail(["files", d.key], f"thiếu: {d.name}") for d in missing],
        )


def parse_form(procedure: Procedure, raw: str | None) -> dict[str, Any]:
    if raw is None and procedure.form_schema is None:
        return {}  # levels 1–2 at the counter have no electronic form
    try:
        form = strict_json.loads(raw) if raw is not None else None
    except strict_json.JSONRefused as refused:
        raise strict_json.refusal(refused, ["form"], InvalidForm) from None
    if isinstance(form, dict):
        errors = form_errors(procedure.form_schema, form) if procedure.form_schema else []
    else:
        errors = [detail(["form"], "bắt buộc, là một đối tượng JSON")]
    if errors or not isinstance(form, dict):
        raise InvalidForm(details=errors)
    return form


def _insert(
    session: Session,
    valid: Valid,
    received: Received,
    now: datetime,
    idempotency: Idempotency | None,
) -> DossierCreated:
    procedure, applicant, intake = valid.procedure, valid.applicant, valid.intake
    token, raw = tokens.new_access_token()
    code = next_dossier_code(session, valid.agency_code, now)
    dossier = Dossier(
        code=code,
        procedure_code=procedure.code,
        agency_code=valid.agency_code,
        channel=valid.channel,
        status=DossierStatus.new if intake.online else DossierStatus.accepted,
        applicant=applicant.model_dump(mode="json"),
        applicant_name=fold(applicant.display_name)[:200],
        file_count=len(received.files),
        form=valid.form,
        access_token_hash=tokens.token_hash(token),
        submitted_at=now,
        created_at=now,
        updated_at=now,
        **workflow.receipt_level(procedure),
    )
    if not intake.online:
        # Counter and postal dossiers are received on registration (DOMAIN.md §4).
        for name, moment in workflow.receipt_dates(session, procedure, now).items():
            setattr(dossier, name, moment)
        dossier.late_at = dossier.due_at
    if idempotency:
        dossier.idempotency_key_hash = idempotency.key_hash
        dossier.request_fingerprint = idempotency.fingerprint
        dossier.sealed_access_token = tokens.seal(idempotency.keys, raw, idempotency.key)
    session.add(dossier)
    session.flush()
    assert dossier.id is not None
    add_files(session, dossier.id, received.files, now)
    session.add(_first_event(dossier, valid, now))
    counters.record(session, None, counters.Facts.of(dossier))
    session.flush()
    return _created(dossier, token)


FIRST_NOTES = {
    Channel.online: "Hồ sơ được nộp trực tuyến.",
    Channel.counter: "Hồ sơ được tiếp nhận tại Bộ phận Một cửa.",
    Channel.postal: "Hồ sơ được tiếp nhận qua dịch vụ bưu chính.",
}


REGISTER = "register"  # the first event of a counter or postal dossier
OFFICER_ACTOR = "officer:"


def _first_event(dossier: Dossier, valid: Valid, now: datetime) -> DossierEvent:
    assert dossier.id is not None
    officer = valid.intake.officer
    return DossierEvent(
        dossier_id=dossier.id,
        action="submit" if officer is None else REGISTER,
        from_status=None,
        to_status=dossier.status,
        actor="applicant" if officer is None else OFFICER_ACTOR + officer.username,
        public_note=FIRST_NOTES[valid.channel],
        at=now,
    )


def registered_by(session: Session, dossier: Dossier) -> str | None:
    """The username of the officer who registered a counter or postal dossier (its first
    event's actor); None for a dossier submitted online."""
    statement = (
        select(col(DossierEvent.actor))
        .where(col(DossierEvent.dossier_id) == dossier.id)
        .where(col(DossierEvent.action) == REGISTER)
    )
    actor = session.scalars(statement).first()
    if actor is None or not actor.startswith(OFFICER_ACTOR):
        return None
    return actor.removeprefix(OFFICER_ACTOR)


def add_files(
    session: Session,
    dossier_id: int,
    files: list[ReceivedFile],
    now: datetime,
    kind: FileKind = FileKind.document,
) -> None:
    for received_file in files:
        session.add(_file_row(dossier_id, received_file, now, kind))


def _file_row(
    dossier_id: int, received_file: ReceivedFile, now: datetime, kind: FileKind
) -> DossierFile:
    assert received_file.content_type is not None
    return DossierFile(
        id=received_file.pending.key,
        dossier_id=dossier_id,
        key=received_file.key,
        kind=kind,
        filename=received_file.filename,
        content_type=received_file.content_type,
        size=received_file.size,
        sha256=received_file.pending.sha256(),
        storage_key=received_file.pending.key,
        created_at=now,
    )


def _created(dossier: Dossier, token: str) -> DossierCreated:
    shown = (name for name in DossierCreated.model_fields if name != "access_token")
    return DossierCreated(access_token=token, **{name: getattr(dossier, name) for name in shown})


# -- idempotency ------------------------------------------------------------------------------


def _fingerprint(received: Received) -> str:
    """Same payload = same text parts (JSON compared by value) and the same files."""

    def canonical(value: str) -> Any:
        # Before validation: a part the parser refuses counts as its text (and is refused
        # after the replay check).
        try:
            return strict_json.loads(value)
        except strict_json.JSONRefused:
            return value

    files = sorted((f.key, f.pending.sha256(), f.size, f.filename) for f in received.files)
    payload = {
        "fields": {name: canonical(value) for name, value in sorted(received.fields.items())},
        "files": files,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _replay(session: Session, idempotency: Idempotency) -> SubmissionResult | None:
    statement = select(Dossier).where(col(Dossier.idempotency_key_hash) == idempotency.key_hash)
    dossier = session.scalars(statement).first()
    if dossier is None:
        return None
    if dossier.request_fingerprint != idempotency.fingerprint:
        raise IdempotencyKeyReused("Idempotency-Key này đã được dùng cho một hồ sơ khác.")
    assert dossier.sealed_access_token is not None
    token = tokens.unseal(idempotency.keys, dossier.sealed_access_token, idempotency.key)
    return SubmissionResult(created=_created(dossier, token), replayed=True)
