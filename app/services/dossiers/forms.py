"""Validating a submitted form against its procedure's JSON Schema (Draft 2020-12), with one
error per failing field in words a citizen can read."""

import json
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from app.models.applicant import check_phone_number
from app.services.messages import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    is_vietnamese,
    number,
    pattern_description,
)


def _is_phone(instance: object) -> bool:
    """`"format": "phone"`: a Vietnamese number by the applicant's own rule (`phonenumbers`),
    so `0912 345 678`, `0912.345.678` and `+84 912 345 678` all pass; not a string: another
    keyword's business."""
    if isinstance(instance, str):
        check_phone_number(instance.strip())  # raises ValueError
    return True


# Draft 2020-12's formats, and `phone` for the phone numbers of forms.
FORMAT_CHECKER = FormatChecker(formats=())
FORMAT_CHECKER.checkers.update(Draft202012Validator.FORMAT_CHECKER.checkers)
FORMAT_CHECKER.checks("phone", raises=ValueError)(_is_phone)

# A format of JSON Schema as the shape a reader types.
FORMATS: dict[str, str] = {
    "date": DATE_FORMAT,
    "date-time": DATETIME_FORMAT,
    "time": "phải có dạng HH:MM:SS+07:00 (ví dụ 17:00:00+07:00)",
    "email": "phải là địa chỉ email, dạng ten@ten-mien.vn",
    "uri": "phải là một địa chỉ URL (ví dụ https://dichvucong.gov.vn)",
    "phone": (
        "phải là số điện thoại Việt Nam: di động 10 chữ số, cố định 11 chữ số, bắt đầu bằng 0 "
        "hoặc +84 (ví dụ 0912 345 678, 0912.345.678, +84 912 345 678)"
    ),
}
TYPES: dict[str, str] = {
    "string": "một chuỗi ký tự",
    "integer": "một số nguyên",
    "number": "một số",
    "boolean": "true hoặc false",
    "object": "một đối tượng JSON",
    "array": "một danh sách",
    "null": "null",
}


def _type(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return "phải là " + " hoặc ".join(TYPES.get(str(name), str(name)) for name in names)


def _choices(values: Any) -> str:
    listed = ", ".join(json.dumps(v, ensure_ascii=False) for v in values)
    return f"phải là một trong các giá trị: {listed}"


# Each keyword's message with the schema's constraint (the keyword's value), never the value
# the applicant typed.
_MESSAGES: dict[str, Callable[[Any, dict[str, Any]], str]] = {
    "required": lambda _v, _n: "bắt buộc phải nhập",
    "additionalProperties": lambda _v, _n: "trường không có trong biểu mẫu",
    "type": lambda v, _n: _type(v),
    "format": lambda v, _n: FORMATS.get(str(v), "sai định dạng"),
    "pattern": lambda v, node: _pattern(v, node),
    "enum": lambda v, _n: _choices(v),
    "const": lambda v, _n: _choices([v]),
    "minLength": lambda v, _n: (
        "bắt buộc, không được để trống" if v == 1 else f"tối thiểu {v} ký tự"
    ),
    "maxLength": lambda v, _n: f"tối đa {number(v)} ký tự",
    "minimum": lambda v, _n: f"phải từ {number(v)} trở lên",
    "exclusiveMinimum": lambda v, _n: f"phải lớn hơn {number(v)}",
    "maximum": lambda v, _n: f"tối đa {number(v)}",
    "exclusiveMaximum": lambda v, _n: f"phải nhỏ hơn {number(v)}",
    "multipleOf": lambda v, _n: f"phải là bội số của {number(v)}",
    "minItems": lambda v, _n: f"cần ít nhất {v} mục",
    "maxItems": lambda v, _n: f"tối đa {v} mục",
    "uniqueItems": lambda _v, _n: "các mục bị trùng",
}


def _pattern(pattern: Any, node: dict[str, Any]) -> str:
    # The schema's own words for its format win over a description read off the pattern.
    own = node.get("description")
    if isinstance(own, str) and is_vietnamese(own):
        return f"phải đúng định dạng: {own}"
    return pattern_description(pattern)


def form_errors(schema: dict[str, Any], form: Any) -> list[dict[str, Any]]:
    """Every failing field as `{"loc": ["form", ...path], "msg": ...}`, in document order."""
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(form), key=lambda e: [str(p) for p in e.absolute_path])
    # `required` reports once per missing name, each carrying the whole list: keep one per field.
    unique: dict[tuple[Any, ...], dict[str, Any]] = {}
    for error in errors:
        for item in _describe(schema, error):
            unique.setdefault(tuple(item["loc"]), item)
    return list(unique.values())


def _describe(schema: dict[str, Any], error: ValidationError) -> list[dict[str, Any]]:
    path = list(error.absolute_path)
    instance: Any = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        required: Any = error.validator_value
        missing = [name for name in required if name not in instance]
        return [_entry(schema, [*path, name], "required", required) for name in missing]
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        node: Any = error.schema
        allowed = set(node.get("properties", {}))
        extra = [key for key in instance if key not in allowed]
        return [_entry(schema, [*path, key], "additionalProperties", False) for key in extra]
    node = error.schema if isinstance(error.schema, dict) else {}
    return [_entry(schema, path, str(error.validator), error.validator_value, node)]


def _entry(
    schema: dict[str, Any],
    path: list[Any],
    keyword: str,
    constraint: Any,
    node: dict[str, Any] | None = None,
) -> dict[str, Any]:
    describe = _MESSAGES.get(keyword)
    message = describe(constraint, node or {}) if describe else "không hợp lệ"
    title = _title(schema, path)
    return {"loc": ["form", *path], "msg": f"{title}: {message}" if title else message}


def _title(schema: dict[str, Any], path: list[Any]) -> str | None:
    """The field's Vietnamese title from the schema, following properties and items."""
    node: Any = schema
    for step in path:
        if not isinstance(node, dict):
            return None
        node = node.get("items") if isinstance(step, int) else node.get("properties", {}).get(step)
    if isinstance(node, dict) and isinstance(node.get("title"), str):
        return str(node["title"])
    return None
