"""Form fields and the forms built from them: one description gives both a procedure's
`form_schema` (JSON Schema, levels 3-4) and the DOCX template of its form (levels 2-4)."""

from dataclasses import dataclass, field, replace
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_NUMBER = "^[0-9]{12}$"  # số định danh cá nhân (Luật Căn cước 2023)
TAX_CODE = "^[0-9]{10}(-[0-9]{3})?$"  # mã số thuế: 10 chữ số, chi nhánh 10-3


@dataclass(frozen=True)
class Field:
    """One field of a form: its key, its Vietnamese title, and its JSON Schema."""

    key: str
    title: str
    schema: dict[str, Any]
    required: bool = True
    hint: str = ""  # how to write it, on the paper template ("12 chữ số", "ngày/tháng/năm")

    def optional(self) -> "Field":
        return Field(self.key, self.title, self.schema, False, self.hint)


def text(key: str, title: str, max_length: int = 255) -> Field:
    return Field(key, title, {"type": "string", "minLength": 1, "maxLength": max_length})


def date(key: str, title: str) -> Field:
    return Field(key, title, {"type": "string", "format": "date"}, hint="ngày/tháng/năm")


def digits(key: str, title: str, pattern: str, hint: str) -> Field:
    return Field(key, title, {"type": "string", "pattern": pattern}, hint=hint)


def id_number(key: str, title: str) -> Field:
    return digits(key, title, ID_NUMBER, "12 chữ số")


def tax_code(key: str = "ma_so_thue", title: str = "Mã số thuế") -> Field:
    return digits(key, title, TAX_CODE, "10 chữ số, hoặc 10-3 chữ số với chi nhánh")


def phone(key: str = "so_dien_thoai", title: str = "Số điện thoại liên hệ") -> Field:
    """A Vietnamese phone number, checked as the applicant's is (`"format": "phone"`: spaces
    and dots allowed, `+84` for the leading 0); the description tells clients the format."""
    schema = {
        "type": "string",
        "format": "phone",
        "maxLength": 30,
        "description": "Số điện thoại Việt Nam: di động 10 chữ số hoặc cố định 11 chữ số, "
        "bắt đầu bằng 0 hoặc +84, ví dụ 0912 345 678",
    }
    return Field(
        key, title, schema, hint="di động 10 chữ số, cố định 11 chữ số, ví dụ 0912 345 678"
    )


def choice(key: str, title: str, options: list[str]) -> Field:
    return Field(key, title, {"type": "string", "enum": options}, hint=" / ".join(options))


def number(key: str, title: str, minimum: int = 0, maximum: int | None = None) -> Field:
    schema: dict[str, Any] = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return Field(key, title, schema)


def yes_no(key: str, title: str) -> Field:
    return Field(key, title, {"type": "boolean"}, hint="Có / Không")


def codes(key: str, title: str, pattern: str, item: str, hint: str) -> Field:
    schema = {
        "type": "array",
        "minItems": 1,
        "items": {"type": "string", "title": item, "pattern": pattern},
    }
    return Field(key, title, schema, hint=hint)


@dataclass(frozen=True)
class Form:
    """A form (tờ khai, đơn, giấy đề nghị): its title, whom it is addressed to, its fields,
    and the official model it follows (named on the template)."""

    title: str
    addressee: str
    fields: tuple[Field, ...]
    model: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def schema(self) -> dict[str, Any]:
        properties = {f.key: {"title": f.title, **f.schema} for f in self.fields}
        return {
            "$schema": SCHEMA_DIALECT,
            "title": self.title,
            "type": "object",
            "properties": properties,
            "required": [f.key for f in self.fields if f.required],
            "additionalProperties": False,
        }


def narrowed(form: Form, title: str, key: str, options: list[str]) -> Form:
    """The form of one procedure of a family that shares a form: its own title, and field `key`
    offering only `options`, the choices that procedure handles (the field is left out when one
    remains: the title says it)."""
    fields: list[Field] = []
    for one in form.fields:
        if one.key != key:
            fields.append(one)
            continue
        unknown = set(options) - set(one.schema.get("enum", []))
        if unknown:
            raise ValueError(f"{key}: {sorted(unknown)} not among the shared form's choices")
        if len(options) > 1:
            fields.append(
                replace(one, schema={**one.schema, "enum": options}, hint=" / ".join(options))
            )
    if len(fields) == len(form.fields) and len(options) <= 1:
        raise ValueError(f"{key}: no such field in {form.title}")
    return replace(form, title=title, fields=tuple(fields))


# Blocks that many forms share.
def requester() -> tuple[Field, ...]:
    """Who asks (người yêu cầu): a person identified by the personal identification number."""
    return (
        text("ho_ten_nguoi_yeu_cau", "Họ, chữ đệm, tên người yêu cầu", 100),
        id_number("so_dinh_danh_nguoi_yeu_cau", "Số định danh cá nhân của người yêu cầu"),
        text("noi_cu_tru", "Nơi cư trú", 500),
        phone(),
    )


def organisation() -> tuple[Field, ...]:
    """An organisation applying: name, tax code, head office, legal representative."""
    return (
        text("ten_to_chuc", "Tên tổ chức, doanh nghiệp"),
        tax_code(),
        text("dia_chi_tru_so", "Địa chỉ trụ sở chính", 500),
        text("nguoi_dai_dien", "Họ, chữ đệm, tên người đại diện theo pháp luật", 100),
        phone(),
    )
