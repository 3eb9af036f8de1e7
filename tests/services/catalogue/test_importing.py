"""Catalogue import: validation names the bad record; all or nothing; idempotent upserts."""

import copy
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.errors import CatalogueImportError
from app.models import Agency, Procedure, ProcedureField
from app.services.catalogue.importing import import_catalogue
from tests.factories import FORM_SCHEMA, PDF_DOC, engine_of


def document() -> dict[str, Any]:
    return {
        "agencies": [
            {
                "code": "000.00.11.H20",
                "name": "UBND huyện A",
                "tier": "district",
                "parent_code": "000.00.00.H20",
            },
            {"code": "000.00.00.H20", "name": "UBND tỉnh", "tier": "province", "parent_code": None},
            {
                "code": "000.11.11.H20",
                "name": "UBND xã B",
                "tier": "commune",
                "parent_code": "000.00.11.H20",
            },
        ],
        "fields": [{"code": "HT", "name": "Hộ tịch"}],
        "procedures": [
            {
                "code": "1.001193",
                "name": "Đăng ký khai sinh",
                "level": 3,
                "agency_code": "000.11.11.H20",
                "field_code": "HT",
                "tier": "commune",
                "processing_days": 1,
                "fee_vnd": 0,
                "description": "",
                "steps": ["Nộp hồ sơ"],
                "legal_basis": ["Luật Hộ tịch 2014"],
                "result": "Giấy khai sinh",
                "required_documents": [PDF_DOC],
                "form_schema": FORM_SCHEMA,
            },
            {
                "code": "1.000894",
                "name": "Đăng ký kết hôn",
                "level": 2,
                "agency_code": "000.11.11.H20",
                "field_code": "HT",
                "processing_days": 5,
            },
        ],
    }


def counts(session: Session) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        session.scalar(select(func.count()).select_from(table))
        for table in (Agency, ProcedureField, Procedure)
    )


def test_import_creates_everything_with_paths_and_folded_search_text(session: Session) -> None:
    report = import_catalogue(engine_of(session), document())
    assert report.created == {"agencies": 3, "fields": 1, "procedures": 2}
    commune = session.get(Agency, "000.11.11.H20")
    assert commune is not None
    assert commune.path == "000.00.00.H20/000.00.11.H20/000.11.11.H20/"
    procedure = session.get(Procedure, "1.000894")
    assert procedure is not None
    assert procedure.tier == "commune"  # taken from the agency when not given
    assert procedure.search_text == " dang ky ket hon 1.000894"


def test_importing_the_same_document_twice_changes_nothing(session: Session) -> None:
    import_catalogue(engine_of(session), document())
    before = session.get(Procedure, "1.001193")
    assert before is not None
    stamp = before.updated_at
    report = import_catalogue(engine_of(session), document())
    assert report.created == {"agencies": 0, "fields": 0, "procedures": 0}
    assert report.updated == {"agencies": 0, "fields": 0, "procedures": 0}
    assert report.unchanged == {"agencies": 3, "fields": 1, "procedures": 2}
    session.expire_all()
    after = session.get(Procedure, "1.001193")
    assert after is not None and after.updated_at == stamp


def test_changed_records_are_updated_by_code(session: Session) -> None:
    import_catalogue(engine_of(session), document())
    changed = document()
    changed["procedures"][1]["name"] = "Đăng ký kết hôn có yếu tố nước ngoài"
    report = import_catalogue(engine_of(session), changed)
    assert report.updated["procedures"] == 1 and report.unchanged["procedures"] == 1
    procedure = session.get(Procedure, "1.000894")
    assert procedure is not None and "nuoc ngoai" in procedure.search_text


def test_moving_an_agency_moves_its_subtree(session: Session) -> None:
    import_catalogue(engine_of(session), document())
    moved = {
        "agencies": [
            {
                "code": "000.00.12.H20",
                "name": "UBND huyện C",
                "tier": "district",
                "parent_code": "000.00.00.H20",
            },
            {
                "code": "000.11.11.H20",
                "name": "UBND xã B",
                "tier": "commune",
                "parent_code": "000.00.12.H20",
            },
        ]
    }
    import_catalogue(engine_of(session), moved)
    commune = session.get(Agency, "000.11.11.H20")
    assert commune is not None
    assert commune.path == "000.00.00.H20/000.00.12.H20/000.11.11.H20/"


def broken(path: list[Any], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(document())
    target: Any = doc
    for part in path[:-1]:
        target = target[part]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


BAD_RECORDS = [
    (
        ["procedures", 0, "form_schema"],
        {"type": "object", "properties": {"a": {"type": "nope"}}},
        "procedures[0] (1.001193)",
        "không phải JSON Schema hợp lệ",
    ),
    (["procedures", 0, "form_schema"], {"type": "array"}, "procedures[0] (1.001193)", "đối tượng"),
    (["procedures", 0, "form_schema"], None, "procedures[0] (1.001193)", "mức độ 3 và 4"),
    (["procedures", 1, "form_schema"], FORM_SCHEMA, "procedures[1] (1.000894)", "phải là null"),
    (["procedures", 1, "level"], 5, "procedures[1] (1.000894)", "phải từ 1 đến 4"),
    (
        ["procedures", 1, "agency_code"],
        "000.00.99.H20",
        "procedures[1] (1.000894)",
        "không có cơ quan 000.00.99.H20",
    ),
    (["procedures", 1, "field_code"], "XX", "procedures[1] (1.000894)", "không có lĩnh vực XX"),
    (["procedures", 1, "tier"], "province", "procedures[1] (1.000894)", "khác cấp"),
    (["procedures", 1, "code"], "1.001193", "procedures[1] (1.001193)", "nhiều lần"),
    (["procedures", 1, "extra"], 1, "procedures[1] (1.000894)", "không được hỗ trợ"),
    (
        ["procedures", 0, "required_documents", 0, "key"],
        "applicant",
        "procedures[0] (1.001193)",
        "trùng tên một trường",
    ),
    (
        ["procedures", 0, "required_documents", 0, "accepted_types"],
        ["text/html"],
        "procedures[0] (1.001193)",
        "accepted_types.0: phải là một trong các giá trị: 'application/pdf'",
    ),
    (["agencies", 0, "code"], "H20", "agencies[0] (H20)", "dạng NNN.NN.NN.Hxx"),
    (
        ["agencies", 0, "parent_code"],
        "000.00.98.H20",
        "agencies[0] (000.00.11.H20)",
        "không có cơ quan cấp trên",
    ),
    (["agencies", 1, "tier"], "commune", "agencies[0] (000.00.11.H20)", "không thể trực thuộc"),
    (["agencies", 1, "parent_code"], "000.00.00.H20", "agencies[1] (000.00.00.H20)", "quay vòng"),
    (["fields", 0, "name"], "", "fields[0] (HT)", "không được để trống"),
]


@pytest.mark.parametrize(("path", "value", "label", "reason"), BAD_RECORDS)
def test_one_bad_record_rejects_the_document_naming_it_and_writes_nothing(
    session: Session, path: list[Any], value: Any, label: str, reason: str
) -> None:
    import_catalogue(engine_of(session), {"fields": [{"code": "OLD", "name": "Cũ"}]})
    before = counts(session)
    with pytest.raises(CatalogueImportError) as raised:
        import_catalogue(engine_of(session), broken(path, value))
    messages = [d["msg"] for d in raised.value.details]
    assert any(label in m and reason in m for m in messages), messages
    assert raised.value.status == 422
    session.rollback()
    assert counts(session) == before


@pytest.mark.parametrize("raw", [[], "text", {"agencies": "x"}, {"unknown": []}])
def test_documents_of_the_wrong_shape_are_rejected(session: Session, raw: Any) -> None:
    with pytest.raises(CatalogueImportError):
        import_catalogue(engine_of(session), raw)
    assert counts(session) == (0, 0, 0)


def test_all_problems_are_reported_at_once(session: Session) -> None:
    doc = document()
    doc["procedures"][0]["agency_code"] = "000.00.99.H20"
    doc["procedures"][1]["field_code"] = "XX"
    with pytest.raises(CatalogueImportError) as raised:
        import_catalogue(engine_of(session), doc)
    assert len(raised.value.details) == 2
