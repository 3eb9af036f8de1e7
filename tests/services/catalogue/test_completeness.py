"""The completeness check of a procedure's record (Decision 766, indicator 1.3)."""

from typing import Any

import pytest

from app.services.catalogue.completeness import (
    COMPONENTS,
    is_form,
    is_form_document,
    missing_components,
)

FORM = {"key": "to_khai", "name": "Tờ khai đăng ký khai sinh"}
COPY = {"key": "cccd", "name": "Bản sao căn cước"}


def record(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Đăng ký khai sinh",
        "level": 3,
        "agency_code": "000.00.31.H20",
        "field_code": "HT",
        "steps": ["Nộp hồ sơ"],
        "channels": ["counter", "postal", "online"],
        "processing_amount": 1.0,
        "fees": [{"label": "Lệ phí", "amount_vnd": 0}],
        "required_documents": [{**FORM, "template": "to_khai.docx"}, COPY],
        "applicant_kinds": ["individual"],
        "result": "Giấy khai sinh",
        "legal_basis": ["Luật Hộ tịch 2014"],
        "form_schema": {"type": "object"},
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    "name",
    [
        "Tờ khai đăng ký khai sinh",
        "Đơn đề nghị cấp phép",
        "Phiếu yêu cầu",
        "Giấy đề nghị",
        "mẫu 01",
    ],
)
def test_forms_are_named_as_forms(name: str) -> None:
    assert is_form(name)


@pytest.mark.parametrize("name", ["Bản sao căn cước", "Giấy chứng sinh", "Ảnh 4x6", "Đơnvị"])
def test_other_components_are_no_forms(name: str) -> None:
    assert not is_form(name)


def test_a_components_own_flag_wins_over_its_name() -> None:
    certificate = {"key": "ly_lich", "name": "Phiếu lý lịch tư pháp", "is_form": False}
    assert is_form("Phiếu lý lịch tư pháp")  # the name alone reads as a form
    assert not is_form_document(certificate)
    assert is_form_document({"key": "ke_khai", "name": "Bảng kê tài sản", "is_form": True})
    assert is_form_document({"key": "phieu", "name": "Phiếu yêu cầu", "is_form": None})
    assert not is_form_document(COPY)


@pytest.mark.parametrize(
    ("document", "missing"),
    [
        ({"key": "ly_lich", "name": "Phiếu lý lịch tư pháp", "is_form": False}, []),
        ({"key": "ly_lich", "name": "Phiếu lý lịch tư pháp"}, ["templates"]),
        ({"key": "bang_ke", "name": "Bảng kê tài sản", "is_form": True}, ["templates"]),
    ],
)
def test_templates_are_asked_for_the_components_that_are_forms(
    document: dict[str, Any], missing: list[str]
) -> None:
    documents = [{**FORM, "template": "to_khai.docx"}, document]
    assert missing_components(record(level=2, form_schema=None, required_documents=documents)) == (
        missing
    )


def test_a_complete_record_lacks_nothing() -> None:
    assert missing_components(record()) == []


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"steps": [], "result": " "}, ["steps", "result"]),
        ({"processing_amount": 0}, ["processing_time"]),
        ({"fees": []}, ["fees"]),
        ({"required_documents": [FORM, COPY]}, ["templates"]),
        ({"required_documents": []}, ["documents"]),
        ({"form_schema": None}, ["form_schema"]),
        ({"level": 2, "form_schema": None, "required_documents": [FORM]}, ["templates"]),
        ({"level": 1, "form_schema": None, "required_documents": [FORM]}, []),
        ({"channels": [], "applicant_kinds": [], "legal_basis": []}, None),
    ],
)
def test_what_a_record_lacks_in_the_order_of_the_components(
    changes: dict[str, Any], missing: list[str] | None
) -> None:
    found = missing_components(record(**changes))
    expected = ["channels", "applicant_kinds", "legal_basis"] if missing is None else missing
    assert found == expected
    assert found == [c for c in COMPONENTS if c in found]
