"""Validating a submitted form against its procedure's JSON Schema (Draft 2020-12), with one
error per failing field in words a citizen can read."""

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER

_MESSAGES: dict[str, str] = {
    "required": "bắt buộc phải nhập",
    "type": "sai kiểu dữ liệu",
    "format": "sai định dạng",
    "pattern": "sai định dạng",
    "enum": "giá trị không nằm trong danh sách cho phép",
    "const": "giá trị không được phép",
    "minLength": "quá ngắn",
    "maxLength": "quá dài",
    "minimum": "nhỏ hơn giá trị tối thiểu",
    "exclusiveMinimum": "phải lớn hơn giá trị tối thiểu",
    "maximum": "lớn hơn giá trị tối đa",
    "exclusiveMaximum": "phải nhỏ hơn giá trị tối đa",
    "minItems": "chưa đủ số mục",
    "maxItems": "quá nhiều mục",
    "uniqueItems": "các mục bị trùng",
    "additionalProperties": "trường không có trong biểu mẫu",
}


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
        return [_entry(schema, [*path, name], "required") for name in missing]
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        node: Any = error.schema
        allowed = set(node.get("properties", {}))
        extra = [key for key in instance if key not in allowed]
        return [_entry(schema, [*path, key], "additionalProperties") for key in extra]
    return [_entry(schema, path, str(error.validator))]


def _entry(schema: dict[str, Any], path: list[Any], keyword: str) -> dict[str, Any]:
    message = _MESSAGES.get(keyword, "không hợp lệ")
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
