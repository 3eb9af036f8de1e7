"""The applicant rules (DOMAIN.md §3, Applicants), case by case on the service: identity
numbers, passports, tax codes, phones, emails, dates of birth, and the kinds a procedure takes."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from app.errors import ApplicantKindNotAllowed, InvalidApplicant
from app.models.applicant import (
    NO_IDENTITY_MSG,
    OLD_IDENTITY_CARD_MSG,
    PASSPORT_MSG,
    PERSONAL_ID_MSG,
    PHONE_MSG,
    TAX_CODE_CHECK_MSG,
    TAX_CODE_MSG,
    TAX_CODE_PARTS_MSG,
    TWO_IDENTITIES_MSG,
    ApplicantKind,
    IndividualApplicantCreate,
    IndividualApplicantPublic,
    OrganisationApplicantPublic,
    applicant_display_name,
    applicant_public,
    canonical_kinds,
)
from app.models.catalogue import Procedure
from app.services.dossiers.applicant_checks import (
    check_kind_allowed,
    parse_applicant,
    read_applicant,
)

# 10:00 on 3 December 2026 in Vietnam.
NOW = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)
PERSON: dict[str, Any] = {
    "full_name": "Nguyễn Thị Hoa",
    "id_number": "001190012345",
    "phone": "0912345678",
}
# Real published tax codes (Viettel, Vietnam Airlines): their check digits are right.
COMPANY: dict[str, Any] = {
    "kind": "organisation",
    "name": "Công ty TNHH Chè Shan Tuyết Hà Giang",
    "tax_code": "0100109106",
    "representative": {
        "full_name": "Vàng Seo Sử",
        "title": "Giám đốc",
        "id_number": "002085001234",
    },
    "phone": "0219 3866 123",
    "email": "lienhe@chehagiang.vn",
    "address": "Tổ 5, phường Hà Giang 1, tỉnh Tuyên Quang",
}


def read(data: Any) -> Any:
    return read_applicant(json.dumps(data), NOW)


def refusal(data: Any) -> dict[tuple[Any, ...], str]:
    """The details of the refusal, by `loc`."""
    with pytest.raises(InvalidApplicant) as caught:
        read(data)
    assert caught.value.code == "invalid_applicant" and caught.value.status == 422
    return {tuple(d["loc"]): d["msg"] for d in caught.value.details}


def procedure(*kinds: str) -> Procedure:
    # Only the two columns the check reads: a table model takes them without validation.
    kinds_of = [ApplicantKind(k) for k in kinds]
    return Procedure(code="1.000001", applicant_kinds=kinds_of)  # type: ignore[call-arg]


# ---------------------------------------------------------------------------------------------
# Individuals


def test_an_applicant_without_kind_is_an_individual() -> None:
    applicant = read(PERSON)
    assert applicant.kind == "individual"
    assert applicant.applicant_kind is ApplicantKind.individual
    assert applicant.model_dump(mode="json") == {
        "kind": "individual",
        "full_name": "Nguyễn Thị Hoa",
        "birth_date": None,
        "id_number": "001190012345",
        "passport_number": None,
        "phone": "+84912345678",
        "email": None,
        "address": None,
    }
    assert read({**PERSON, "kind": "individual"}) == applicant


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("073123456", OLD_IDENTITY_CARD_MSG),  # the 9-digit CMND
        ("0011900123", PERSONAL_ID_MSG),
        ("00119001234567", PERSONAL_ID_MSG),
        ("001 190 012 345", PERSONAL_ID_MSG),
        ("00119001234A", PERSONAL_ID_MSG),
        ("٠٠١١٩٠٠١٢٣٤٥", PERSONAL_ID_MSG),  # Arabic-Indic digits
        ("００１１９００１２３４５", PERSONAL_ID_MSG),  # full-width
        ("٠٧٣١٢٣٤٥٦", PERSONAL_ID_MSG),  # nine digits, but not ASCII ones
    ],
)
def test_the_personal_identification_number_has_12_ascii_digits(
    id_number: str, message: str
) -> None:
    assert refusal({**PERSON, "id_number": id_number}) == {("applicant", "id_number"): message}


def test_the_old_identity_card_message_names_the_date_and_the_law() -> None:
    assert "01/01/2025" in OLD_IDENTITY_CARD_MSG
    assert "Luật Căn cước 2023, Điều 46" in OLD_IDENTITY_CARD_MSG
    assert "12 chữ số" in OLD_IDENTITY_CARD_MSG and "12 chữ số" in PERSONAL_ID_MSG


def test_surrounding_spaces_are_trimmed() -> None:
    applicant = read({**PERSON, "id_number": " 001190012345\n", "full_name": "  Hoa  "})
    assert applicant.id_number == "001190012345" and applicant.full_name == "Hoa"


def test_a_passport_makes_a_foreigner() -> None:
    data = {"full_name": "John Smith", "passport_number": " c1234567 ", "phone": "0912345678"}
    applicant = read(data)
    assert applicant.passport_number == "C1234567"
    assert applicant.applicant_kind is ApplicantKind.foreigner
    assert applicant.id_number is None


@pytest.mark.parametrize("number", ["C12", "C-1234567", "C 1234567", "Ç1234567", "A" * 21])
def test_a_passport_number_is_5_to_20_latin_letters_and_digits(number: str) -> None:
    data = {"full_name": "John Smith", "passport_number": number, "phone": "0912345678"}
    assert refusal(data) == {("applicant", "passport_number"): PASSPORT_MSG}


def test_one_identity_exactly() -> None:
    both = {**PERSON, "passport_number": "C1234567"}
    assert refusal(both) == {("applicant", "passport_number"): TWO_IDENTITIES_MSG}
    neither = {"full_name": "Hoa", "phone": "0912345678"}
    assert refusal(neither) == {("applicant", "id_number"): NO_IDENTITY_MSG}
    blank = {**neither, "id_number": "", "passport_number": "  "}  # a web form's empty fields
    assert refusal(blank) == {("applicant", "id_number"): NO_IDENTITY_MSG}


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "+84 912 345 678",
        "84912345678",
        "+84-912-345-678",
    ],
)
def test_one_mobile_number_written_many_ways(typed: str) -> None:
    assert read({**PERSON, "phone": typed}).phone == "+84912345678"


def test_landlines_are_vietnamese_numbers_too() -> None:
    assert read({**PERSON, "phone": "(0203) 3861 234"}).phone == "+842033861234"
    assert read({**PERSON, "phone": "024 3825 1234"}).phone == "+842438251234"


@pytest.mark.parametrize(
    "phone",
    [
        "12345",
        "0912 345 67",  # a digit short
        "09123456789",  # a digit too many
        "+1 202 555 0100",  # not Vietnamese
        "+44 20 7946 0958",
        "٠٩١٢٣٤٥٦٧٨",  # Arabic-Indic digits, which phonenumbers itself would read
        "０９１２３４５６７８",
        "0912345678 ext 12",
        "",
    ],
)
def test_other_phone_numbers_are_refused(phone: str) -> None:
    assert refusal({**PERSON, "phone": phone}) == {("applicant", "phone"): PHONE_MSG}


def test_emails_are_checked_for_their_syntax_and_normalised() -> None:
    applicant = read({**PERSON, "email": "Hoa.Nguyen@Example.VN"})
    assert applicant.email == "Hoa.Nguyen@example.vn"
    assert read({**PERSON, "email": ""}).email is None
    for email in ("x", "a@b", "hoa@@example.vn", "hoa nguyen@example.vn", "hoa@example..vn"):
        details = refusal({**PERSON, "email": email})
        assert list(details) == [("applicant", "email")]
        assert "ten@ten-mien.vn" in details[("applicant", "email")]


@pytest.mark.parametrize(
    ("birth_date", "fragment"),
    [
        ("25/08/1990", "YYYY-MM-DD"),
        ("1990-8-25", "YYYY-MM-DD"),
        ("19900825", "YYYY-MM-DD"),
        (19900825, "YYYY-MM-DD"),
        ("1990-02-30", "không có thật"),
        ("2026-12-04", "không được sau ngày hôm nay"),  # tomorrow in Vietnam
        ("1899-12-31", "01/01/1900"),
    ],
)
def test_a_date_of_birth_is_a_real_past_date(birth_date: Any, fragment: str) -> None:
    details = refusal({**PERSON, "birth_date": birth_date})
    assert list(details) == [("applicant", "birth_date")]
    assert fragment in details[("applicant", "birth_date")]


def test_today_in_vietnam_is_a_possible_date_of_birth() -> None:
    # 3 December in Vietnam while it is still 2 December in UTC.
    late = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
    applicant = read_applicant(json.dumps({**PERSON, "birth_date": "2026-12-03"}), late)
    assert isinstance(applicant, IndividualApplicantCreate)
    assert applicant.birth_date is not None and applicant.birth_date.isoformat() == "2026-12-03"
    assert read({**PERSON, "birth_date": ""}).birth_date is None


def test_every_field_is_named_in_one_refusal() -> None:
    details = refusal(
        {"full_name": "", "id_number": "12", "phone": "x", "email": "x", "address": "a" * 501}
    )
    assert details == {
        ("applicant", "full_name"): "bắt buộc, không được để trống",
        ("applicant", "id_number"): PERSONAL_ID_MSG,
        ("applicant", "phone"): PHONE_MSG,
        ("applicant", "email"): "địa chỉ email không hợp lệ (dạng ten@ten-mien.vn)",
        ("applicant", "address"): "tối đa 500 ký tự",
    }


def test_unknown_fields_kinds_and_shapes_are_refused() -> None:
    assert refusal({**PERSON, "name": "x"}) == {("applicant", "name"): "trường không được hỗ trợ"}
    kind = "phải là individual (cá nhân) hoặc organisation (tổ chức)"
    assert refusal({**PERSON, "kind": "company"}) == {("applicant", "kind"): kind}
    assert refusal({**PERSON, "kind": 1}) == {("applicant", "kind"): kind}
    assert refusal({**PERSON, "kind": "foreigner"}) == {("applicant", "kind"): kind}
    assert refusal([PERSON]) == {("applicant",): "phải là một đối tượng JSON"}
    assert refusal({**PERSON, "full_name": 5}) == {
        ("applicant", "full_name"): "phải là một chuỗi ký tự"
    }
    with pytest.raises(InvalidApplicant) as missing:
        read_applicant(None, NOW)
    assert missing.value.details == [{"loc": ["applicant"], "msg": "bắt buộc"}]


# ---------------------------------------------------------------------------------------------
# Organisations


def test_an_organisation_with_its_tax_code_and_representative() -> None:
    applicant = read(COMPANY)
    assert applicant.applicant_kind is ApplicantKind.organisation
    assert applicant.display_name == COMPANY["name"]
    stored = applicant.model_dump(mode="json")
    assert stored["tax_code"] == "0100109106" and stored["phone"] == "+842193866123"
    assert stored["representative"] == {**COMPANY["representative"], "passport_number": None}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0100107518", "0100107518"),
        ("0100109106-001", "0100109106-001"),
        ("0100109106001", "0100109106-001"),
    ],
)
def test_a_tax_code_has_10_digits_or_10_3_for_a_dependent_unit(typed: str, stored: str) -> None:
    assert read({**COMPANY, "tax_code": typed}).tax_code == stored


@pytest.mark.parametrize(
    ("tax_code", "message"),
    [
        ("0100109107", TAX_CODE_CHECK_MSG),  # the 10th digit does not match the first nine
        ("0100109106-000", TAX_CODE_PARTS_MSG),  # no dependent unit is numbered 000
        ("0100000000", TAX_CODE_PARTS_MSG),  # nor any taxpayer 0000000
        ("010010910", TAX_CODE_MSG),
        ("01001091060", TAX_CODE_MSG),
        ("0100109106-01", TAX_CODE_MSG),
        ("0100 109 106", TAX_CODE_MSG),
        ("٠١٠٠١٠٩١٠٦", TAX_CODE_MSG),
        ("001190012345", TAX_CODE_MSG),  # a person's number is not an organisation's tax code
    ],
)
def test_other_tax_codes_are_refused(tax_code: str, message: str) -> None:
    assert refusal({**COMPANY, "tax_code": tax_code}) == {("applicant", "tax_code"): message}


def test_the_tax_code_message_says_the_expected_format() -> None:
    assert "10 chữ số" in TAX_CODE_MSG and "0100109106-001" in TAX_CODE_MSG


def test_an_organisation_needs_each_of_its_fields() -> None:
    details = refusal({"kind": "organisation"})
    assert details == {
        ("applicant", field): "bắt buộc"
        for field in ("name", "tax_code", "representative", "phone", "address")
    }


def test_the_representative_is_identified_like_a_person() -> None:
    old_card = {**COMPANY["representative"], "id_number": "073123456"}
    assert refusal({**COMPANY, "representative": old_card}) == {
        ("applicant", "representative", "id_number"): OLD_IDENTITY_CARD_MSG
    }
    no_title = {"full_name": "Vàng Seo Sử", "id_number": "002085001234"}
    assert refusal({**COMPANY, "representative": no_title}) == {
        ("applicant", "representative", "title"): "bắt buộc"
    }
    nobody = {"full_name": "Vàng Seo Sử", "title": "Giám đốc"}
    assert refusal({**COMPANY, "representative": nobody}) == {
        ("applicant", "representative", "id_number"): NO_IDENTITY_MSG
    }
    foreign = {"full_name": "Kim Min-jun", "title": "Tổng giám đốc", "passport_number": "M12345678"}
    assert (
        read({**COMPANY, "representative": foreign}).representative.passport_number == "M12345678"
    )
    assert refusal({**COMPANY, "representative": "Vàng Seo Sử"}) == {
        ("applicant", "representative"): "phải là một đối tượng JSON"
    }


def test_an_organisation_takes_no_persons_fields() -> None:
    assert refusal({**COMPANY, "id_number": "001190012345"}) == {
        ("applicant", "id_number"): "trường không được hỗ trợ"
    }


# ---------------------------------------------------------------------------------------------
# The kinds a procedure takes


@pytest.mark.parametrize(
    ("data", "kinds", "loc"),
    [
        (COMPANY, ("individual",), ["applicant", "kind"]),
        (COMPANY, ("individual", "foreigner"), ["applicant", "kind"]),
        (PERSON, ("organisation",), ["applicant", "kind"]),
        (PERSON, ("foreigner",), ["applicant", "kind"]),
        (
            {"full_name": "John Smith", "passport_number": "C1234567", "phone": "0912345678"},
            ("individual", "organisation"),
            ["applicant", "passport_number"],
        ),
    ],
)
def test_a_kind_the_procedure_does_not_take_is_refused(
    data: dict[str, Any], kinds: tuple[str, ...], loc: list[str]
) -> None:
    with pytest.raises(ApplicantKindNotAllowed) as caught:
        parse_applicant(json.dumps(data), procedure(*kinds), NOW)
    error = caught.value
    assert (error.status, error.code) == (422, "applicant_kind_not_allowed")
    accepted = ", ".join(ApplicantKind(k).label for k in canonical_kinds(kinds))
    assert error.details == [
        {
            "loc": loc,
            "msg": f"thủ tục chỉ tiếp nhận hồ sơ của: {accepted}",
            "kind": read(data).applicant_kind.value,
            "allowed": list(canonical_kinds(kinds)),
        }
    ]
    assert "1.000001" in error.message


def test_a_kind_the_procedure_takes_passes() -> None:
    foreigner = {"full_name": "John Smith", "passport_number": "C1234567", "phone": "0912345678"}
    for data, kinds in [
        (PERSON, ("individual",)),
        (COMPANY, ("organisation",)),
        (foreigner, ("foreigner",)),
        (foreigner, ("individual", "organisation", "foreigner")),
    ]:
        check_kind_allowed(read(data), procedure(*kinds))


def test_the_fields_are_checked_before_the_kind() -> None:
    with pytest.raises(InvalidApplicant):
        parse_applicant(json.dumps({**COMPANY, "tax_code": "1"}), procedure("individual"), NOW)


def test_kinds_are_kept_once_each_in_one_order() -> None:
    assert canonical_kinds(["foreigner", "individual", "foreigner"]) == [
        ApplicantKind.individual,
        ApplicantKind.foreigner,
    ]


# ---------------------------------------------------------------------------------------------
# Reading what is stored


def test_an_applicant_stored_before_kinds_reads_as_an_individual() -> None:
    # The shape of every dossier before revision 9c2e4a7d1f35, a 9-digit CMND among them.
    old = {
        "full_name": "Lò Văn Páo",
        "id_number": "073123456",
        "phone": "0912345678",
        "email": None,
        "address": None,
    }
    view = applicant_public(old)
    assert isinstance(view, IndividualApplicantPublic)
    assert view.model_dump(mode="json") == {
        **old,
        "kind": "individual",
        "birth_date": None,
        "passport_number": None,
    }
    assert applicant_display_name(old) == "Lò Văn Páo"


def test_stored_applicants_read_back_as_submitted() -> None:
    company = read(COMPANY).model_dump(mode="json")
    view = applicant_public(company)
    assert isinstance(view, OrganisationApplicantPublic)
    assert view.model_dump(mode="json") == company
    assert applicant_display_name(company) == COMPANY["name"]
    person = read({**PERSON, "birth_date": "1990-08-25"}).model_dump(mode="json")
    assert applicant_public(person).model_dump(mode="json") == person
