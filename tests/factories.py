"""Small factories for catalogue records."""

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from app.models import Agency, Officer, Procedure, ProcedureField
from app.models.officer import OfficerCreate
from app.services.catalogue.procedures import search_text_for
from app.services.officers import create_officer

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


def make_agency(
    session: Session,
    code: str = "000.00.00.H20",
    name: str = "Ủy ban nhân dân tỉnh",
    tier: str = "province",
    parent: Agency | None = None,
) -> Agency:
    agency = Agency(
        code=code,
        name=name,
        tier=tier,
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
    procedure = Procedure(**values)
    session.add(procedure)
    session.commit()
    return procedure


# ---------------------------------------------------------------------------------------------
# Dossiers

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + (
    b"\x00" * 64
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64

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


def make_online_procedure(session: Session, **overrides: Any) -> Procedure:
    """An agency, a field and a level-3 procedure that takes online dossiers."""
    agency = session.get(Agency, "000.00.00.H20") or make_agency(session)
    field = session.get(ProcedureField, "G01") or make_field(session)
    values: dict[str, Any] = {
        "code": "1.001193.H20",
        "form_schema": ONLINE_FORM_SCHEMA,
        "required_documents": ONLINE_DOCUMENTS,
    }
    values.update(overrides)
    return make_procedure(session, agency, field, **values)


def engine_of(session: Session) -> Engine:
    """The engine a test's session is bound to, for the use cases that open their own unit of
    work (`app.db.unit_of_work`)."""
    bind = session.get_bind()
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
    data = OfficerCreate(username=username, password=password, agency_code=agency_code, role=role)
    return create_officer(engine_of(session), data)
