"""Small factories: catalogue records, officers, and dossiers moved through the real workflow."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from app.config import Settings
from app.models import Agency, Dossier, Officer, Procedure, ProcedureAgency, ProcedureField
from app.models.catalogue import FEE_LINE_LABEL, Tier, default_channels
from app.models.dossier import DossierStatus, OfficerDossierView
from app.models.officer import OfficerCreate, Principal, Role
from app.models.types import utcnow
from app.services.catalogue.procedures import search_text_for
from app.services.dossiers import workflow
from app.services.dossiers.applicant import supplement_dossier, withdraw_dossier
from app.services.dossiers.submission import Received, submit_dossier
from app.services.dossiers.tracking import get_dossier
from app.services.dossiers.uploads import ReceivedFile
from app.services.officers import create_officer
from app.services.storage import Storage
from tests.memory_storage import MemoryStorage

FORM_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "title": "Tờ khai",
    "properties": {"ho_ten": {"type": "string", "title": "Họ và tên", "minLength": 1}},
    "required": ["ho_ten"],
}
PDF_DOC: dict[str, Any] = {
    "key": "to_khai",
    "name": "Tờ khai",
    "required": True,
    "originals": 1,
    "copies": 0,
    "accepted_types": ["application/pdf"],
    "max_size_mb": None,
    "template_url": None,
}


PROVINCE = "000.00.00.H20"


def make_agency(
    session: Session,
    code: str = PROVINCE,
    name: str = "Ủy ban nhân dân tỉnh",
    tier: str = "province",
    parent: Agency | None = None,
) -> Agency:
    agency = Agency(
        code=code,
        name=name,
        tier=Tier(tier),
        parent_code=parent.code if parent else None,
        path=(parent.path if parent else "") + code + "/",
    )
    session.add(agency)
    session.commit()
    return agency


def make_field(session: Session, code: str = "G01", name: str = "Hộ tịch") -> ProcedureField:
    field = ProcedureField(code=code, name=name)
    session.add(field)
    session.commit()
    return field


def make_procedure(
    session: Session,
    agency: Agency,
    field: ProcedureField,
    code: str = "1.000001",
    name: str = "Đăng ký khai sinh",
    level: int = 3,
    also_offered_by: Sequence[Agency] = (),
    **overrides: Any,
) -> Procedure:
    values: dict[str, Any] = {
        "code": code,
        "name": name,
        "search_text": search_text_for(name, code),
        "level": level,
        "agency_code": agency.code,
        "field_code": field.code,
        "tier": agency.tier,
        "processing_days": 5,
        "fee_vnd": 0,
        "description": "",
        "steps": [],
        "legal_basis": [],
        "result": "",
        "required_documents": [PDF_DOC] if level >= 3 else [],
        "form_schema": FORM_SCHEMA if level >= 3 else None,
    }
    values.update(overrides)
    values.setdefault("processing_amount", float(values["processing_days"]))
    values.setdefault("channels", default_channels(level))
    fee = {"label": FEE_LINE_LABEL, "amount_vnd": values["fee_vnd"], "per": None}
    values.setdefault("fees", [{**fee, "online_discount_vnd": 0}])
    procedure = Procedure(**values)
    session.add(procedure)
    session.flush()
    offered = [values["agency_code"], *(a.code for a in also_offered_by)]
    for position, agency_code in enumerate(offered):
        session.add(
            ProcedureAgency(procedure_code=code, agency_code=agency_code, position=position)
        )
    session.commit()
    return procedure


# ---------------------------------------------------------------------------------------------
# Dossiers

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + (
    b"\x00" * 64
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


def small_pdf(text: str = "GIAY KHAI SINH") -> bytes:
    """A real one-page PDF 1.4 (catalogue, pages, page, font, content stream, and a
    cross-reference table with the byte offset of each object), like an agency's result."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


ONLINE_FORM_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "title": "Tờ khai đăng ký khai sinh",
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ và tên người được khai sinh", "minLength": 1},
        "ngay_sinh": {"type": "string", "title": "Ngày sinh", "format": "date"},
        "so_con": {"type": "integer", "title": "Con thứ mấy", "minimum": 1},
    },
    "required": ["ho_ten", "ngay_sinh"],
    "additionalProperties": False,
}
ONLINE_DOCUMENTS: list[dict[str, Any]] = [
    {**PDF_DOC, "key": "to_khai", "name": "Tờ khai đăng ký khai sinh"},
    {
        **PDF_DOC,
        "key": "anh",
        "name": "Ảnh chụp giấy chứng sinh",
        "required": False,
        "accepted_types": ["image/jpeg", "image/png"],
        "max_size_mb": 1,
    },
]
APPLICANT: dict[str, Any] = {
    "full_name": "Nguyễn Thị Hoa",
    "id_number": "001190012345",
    "phone": "0912345678",
    "email": "hoa.nguyen@example.vn",
    "address": "Số 5 đường Nguyễn Trãi, phường Nguyễn Trãi, thành phố Hà Giang",
}
FORM: dict[str, Any] = {"ho_ten": "Trần Minh Khôi", "ngay_sinh": "2026-11-20", "so_con": 2}
ONLINE_PROCEDURE = "1.001193.H20"


def procedure_record(code: str = "1.009999.H20", **changes: Any) -> dict[str, Any]:
    """An admin's procedure body (POST /api/v1/procedures, the catalogue import)."""
    body = {
        "code": code,
        "name": "Cấp giấy phép tổ chức lễ hội",
        "level": 3,
        "agency_code": "000.00.00.H20",
        "field_code": "G01",
        "processing_days": 10,
        "required_documents": [PDF_DOC],
        "form_schema": FORM_SCHEMA,
    }
    body.update(changes)
    return body


def make_online_procedure(session: Session, **overrides: Any) -> Procedure:
    """An agency, a field and a level-3 procedure that takes online dossiers."""
    agency = session.get(Agency, "000.00.00.H20") or make_agency(session)
    field = session.get(ProcedureField, "G01") or make_field(session)
    values: dict[str, Any] = {
        "code": ONLINE_PROCEDURE,
        "form_schema": ONLINE_FORM_SCHEMA,
        "required_documents": ONLINE_DOCUMENTS,
    }
    values.update(overrides)
    return make_procedure(session, agency, field, **values)


def engine_of(session_or_engine: Session | Engine) -> Engine:
    """The engine itself, or the one a test's session is bound to: for the use cases that
    open their own unit of work (`app.db.unit_of_work`)."""
    if isinstance(session_or_engine, Engine):
        return session_or_engine
    bind = session_or_engine.get_bind()
    assert isinstance(bind, Engine)
    return bind


# ---------------------------------------------------------------------------------------------
# Officers

PASSWORD = "mat-khau-rat-dai-2026"


def make_officer(
    session: Session,
    username: str = "lan",
    agency_code: str = "000.00.00.H20",
    role: str = "officer",
    password: str | None = None,
) -> Officer:
    data = OfficerCreate(
        username=username, password=password, agency_code=agency_code, role=Role(role)
    )
    return create_officer(engine_of(session), data)


class AuthAs(Protocol):
    """The `auth_as` fixture: `officer_headers` bound to the test's client."""

    def __call__(
        self, username: str = "lan", *, role: str | None = None, agency: str | None = None
    ) -> dict[str, str]: ...


def officer_headers(
    client: TestClient, username: str = "lan", *, role: str | None = None, agency: str | None = None
) -> dict[str, str]:
    """The Authorization header of officer `username` for the client's app: the account is
    created on first use (role `officer`, the province, unless told), and the token is the one
    POST /api/v1/auth/token would give it (the app's own issuer, role and agency from the
    account); tests/routers/test_auth.py tests the login itself."""
    app = client.app
    assert isinstance(app, FastAPI)
    with Session(app.state.engine) as session:
        statement = select(Officer).where(col(Officer.username) == username)
        officer = session.scalars(statement).first()
        if officer is None:
            officer = make_officer(session, username, agency or PROVINCE, role or "officer")
        assert role in (None, officer.role) and agency in (None, officer.agency_code), officer
        token = app.state.authenticator.local.issue(
            officer.username, officer.role, officer.agency_code
        )
    return {"Authorization": f"Bearer {token}"}


# ---------------------------------------------------------------------------------------------
# Dossiers in any status, through the real workflow

A, S = workflow.Action, DossierStatus
# The shortest road from submission to each status; make_dossier walks it.
ROADS: dict[DossierStatus, tuple[workflow.Action, ...]] = {
    S.new: (),
    S.accepted: (A.accept,),
    S.refused: (A.refuse,),
    S.processing: (A.accept, A.start_processing),
    S.supplement_requested: (A.accept, A.request_supplement),
    S.fee_requested: (A.accept, A.request_fee),
    S.withdrawal_requested: (A.accept, A.withdraw),
    S.stopped: (A.accept, A.stop),
    S.processed: (A.accept, A.start_processing, A.complete),
    S.returned: (A.accept, A.start_processing, A.complete, A.return_result),
}
NOTE = "Ghi chú của cán bộ cho người nộp hồ sơ."
# The amount a fee request of the factories asks for, in đồng.
FEE_VND = 8_000
WITHDRAWAL_REASON = "Tôi không cần nữa."


def pdf_upload(storage: Storage, key: str = "to_khai", content: bytes = PDF_BYTES) -> ReceivedFile:
    """A PDF as the multipart receiver leaves it: written to a pending storage object."""
    pending = storage.begin()
    pending.write(content)
    pending.close()
    return ReceivedFile(
        key=key,
        filename="to-khai.pdf",
        declared_type="application/pdf",
        pending=pending,
        content_type="application/pdf",
    )


def submission(storage: Storage, form: dict[str, Any] | None = None) -> Received:
    """An online submission of the online procedure: applicant, form and its one PDF."""
    fields = {
        "procedure_code": ONLINE_PROCEDURE,
        "applicant": json.dumps(APPLICANT),
        "form": json.dumps(form or FORM),
    }
    return Received(fields=fields, files=[pdf_upload(storage)])


@dataclass(frozen=True)
class MadeDossier:
    dossier: Dossier  # as the last move left it (detached, attributes loaded)
    access_token: str

    @property
    def code(self) -> str:
        return self.dossier.code

    @property
    def status(self) -> DossierStatus:
        return DossierStatus(self.dossier.status)


def make_dossier(
    session_or_engine: Session | Engine,
    status: DossierStatus | str = DossierStatus.new,
    *,
    road: Sequence[workflow.Action | str] | None = None,
    now: datetime | None = None,
    storage: Storage | None = None,
    settings: Settings | None = None,
    form: dict[str, Any] | None = None,
    officer: Principal | None = None,
) -> MadeDossier:
    """An online dossier of the online procedure (made if missing), submitted with
    `submit_dossier` and moved along `road` (by default `ROADS[status]`) by `apply_action` and
    the applicant's requests — never by assigning its status. Every move happens at `now`."""
    engine = engine_of(session_or_engine)
    _ensure_online_procedure(session_or_engine)
    storage = storage or MemoryStorage()
    settings = settings or Settings(_env_file=None)
    now = now or utcnow()
    created = submit_dossier(
        engine, storage, settings, submission(storage, form), None, now
    ).created
    token = created.access_token
    for action in ROADS[DossierStatus(status)] if road is None else road:
        _step(engine, storage, settings, created.code, token, workflow.Action(action), now, officer)
    with Session(engine) as session:
        made = MadeDossier(get_dossier(session, created.code), token)
    assert made.status == status, (made.status, status)
    return made


def move(
    session_or_engine: Session | Engine,
    code: str,
    action: workflow.Action | str,
    *,
    now: datetime | None = None,
    public_note: str | None = None,
    officer: Principal | None = None,
    amount_vnd: int = FEE_VND,
) -> OfficerDossierView:
    """One officer action through `apply_action` (a note is given where one is required, and
    an amount for a fee request); the officer defaults to `lan` of the dossier's own agency."""
    engine = engine_of(session_or_engine)
    action = workflow.Action(action)
    if public_note is None:
        public_note = NOTE if workflow.MOVES[action].note_required else ""
    if officer is None:
        with Session(engine) as session:
            agency = get_dossier(session, code).agency_code
        officer = Principal(username="lan", role=Role.officer, agency_code=agency, issuer="tests")
    request = workflow.Request(
        action,
        None,
        public_note=public_note,
        documents=_asked(engine, code, action),
        amount_vnd=amount_vnd if action is A.request_fee else None,
    )
    return workflow.apply_action(engine, code, workflow.Actor.of(officer), request, now or utcnow())


def _asked(engine: Engine, code: str, action: workflow.Action) -> tuple[str, ...] | None:
    """A supplement request asks for every document of the dossier's procedure."""
    if action is not A.request_supplement:
        return None
    with Session(engine) as session:
        procedure = session.get_one(Procedure, get_dossier(session, code).procedure_code)
        return tuple(d["key"] for d in procedure.required_documents)


def _step(
    engine: Engine,
    storage: Storage,
    settings: Settings,
    code: str,
    token: str,
    action: workflow.Action,
    now: datetime,
    officer: Principal | None,
) -> None:
    if action == A.withdraw:
        withdraw_dossier(engine, code, token, WITHDRAWAL_REASON, now)
    elif action == A.supplement:
        received = Received(fields={}, files=[pdf_upload(storage, content=PDF_BYTES + b"2")])
        supplement_dossier(engine, storage, settings, code, token, received, now)
    else:
        move(engine, code, action, now=now, officer=officer)


def _ensure_online_procedure(session_or_engine: Session | Engine) -> None:
    if isinstance(session_or_engine, Engine):
        with Session(session_or_engine) as session:
            _ensure_online_procedure(session)
        return
    if session_or_engine.get(Procedure, ONLINE_PROCEDURE) is None:
        make_online_procedure(session_or_engine)
    session_or_engine.commit()  # ends the read: the use cases take connections of their own
