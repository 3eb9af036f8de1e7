"""Vietnamese for every validation message a person reads (API.md, Conventions: errors).

Pydantic and FastAPI write their messages in English ("Field required", "String should match
pattern '^[0-9]{3}…'"). Every error carries a stable `type` and the constraint in its `ctx`, so
the message is rebuilt here from those two, in Vietnamese, with the constraint a person can act
on ("tối đa 500 ký tự", "phải có dạng YYYY-MM-DD"); a regular expression becomes the format it
stands for. The submitted value is never part of a message (it may be personal data).
"""

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.models.catalogue import (
    AGENCY_CODE_RE,
    DOCUMENT_KEY_RE,
    PROCEDURE_CODE_RE,
    TEMPLATE_NAME_RE,
)
from app.models.officer import USERNAME_RE

log = logging.getLogger("app.messages")

# The letters only Vietnamese writes (the vowels with their marks, and đ): a message without
# any is not Vietnamese.
VIETNAMESE_LETTERS = frozenset(
    "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
)

INVALID = "không hợp lệ"
DATE_FORMAT = "phải có dạng YYYY-MM-DD (ví dụ 2025-03-14)"
DATETIME_FORMAT = (
    "phải là thời điểm ISO 8601 có múi giờ, dạng YYYY-MM-DDTHH:MM:SS+07:00 "
    "(ví dụ 2025-11-20T17:00:00+07:00)"
)

# Every pattern our models declare, as the format it stands for.
PATTERNS: dict[str, str] = {
    AGENCY_CODE_RE.pattern: (
        "mã cơ quan phải có dạng NNN.NN.NN.Hxx: ba chữ số, hai chữ số, hai chữ số, một chữ "
        "cái in hoa và hai chữ số, cách nhau bằng dấu chấm (ví dụ 000.00.31.H29)"
    ),
    DOCUMENT_KEY_RE: (
        "mã thành phần hồ sơ gồm 1–40 ký tự: chữ thường không dấu (a–z), chữ số và dấu gạch "
        "dưới, bắt đầu bằng một chữ cái (ví dụ giay_to_tuy_than)"
    ),
    TEMPLATE_NAME_RE: (
        "tên tệp mẫu gồm 1–120 ký tự: chữ cái không dấu, chữ số và các dấu . _ -, bắt đầu "
        "bằng chữ cái hoặc chữ số (ví dụ to_khai_khai_sinh.docx)"
    ),
    PROCEDURE_CODE_RE: "mã thủ tục không được chứa khoảng trắng (ví dụ 1.001193)",
    # The OAuth2 password form's grant_type (POST /api/v1/auth/token).
    "^password$": "phải là password",
    # Mã số thuế in the procedures' forms (API.md, Submitting a dossier: tax_code).
    r"^[0-9]{10}(-[0-9]{3})?$": (
        "mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với đơn vị "
        "phụ thuộc (ví dụ 0100109106 hoặc 0100109106-001)"
    ),
    USERNAME_RE: (
        "tên đăng nhập gồm 2–100 ký tự: chữ thường không dấu, chữ số và các dấu . _ @ -, "
        "bắt đầu bằng chữ cái hoặc chữ số"
    ),
}


def is_vietnamese(text: str) -> bool:
    """Whether `text` has at least one letter that only Vietnamese writes."""
    return any(char in VIETNAMESE_LETTERS for char in text.lower())


def number(value: Any) -> str:
    """A number as Vietnamese writes it: `10.000`, `0,5`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".") if abs(value) >= 10_000 else str(value)
    return str(value).replace(".", ",")


_DIGITS = r"\[0-9\]\{(\d+)(?:,(\d+))?\}"
_SHAPE_TOKEN = re.compile(rf"{_DIGITS}|\\?([ .\-/:])")


def _shape(pattern: str) -> str | None:
    """A pattern of digit runs and separators as the shape a reader fills in:
    `^[0-9]{12}$` → "gồm đúng 12 chữ số", `^[0-9]{2} [0-9]{2}$` → "có dạng NN NN"."""
    body = pattern.removeprefix("^").removesuffix("$")
    runs = re.fullmatch(_DIGITS, body)
    if runs:
        least, most = runs.groups()
        return f"gồm đúng {least} chữ số" if most is None else f"gồm {least}–{most} chữ số"
    shape, at = "", 0
    while at < len(body):
        token = _SHAPE_TOKEN.match(body, at)
        if token is None or token.group(2) is not None or token.group() == ".":
            return None  # a digit count range inside a shape, or "." (any character)
        shape += "N" * int(token.group(1)) if token.group(3) is None else token.group(3)
        at = token.end()
    return f"có dạng {shape} (N là một chữ số 0–9)" if "N" in shape else None


def pattern_description(pattern: Any) -> str:
    """The format a pattern stands for, from the map of our models' patterns or read off a
    pattern of digits and separators; another pattern (a form's own) says only that the
    format is wrong, and the tests catch a model's pattern missing from the map."""
    described = PATTERNS.get(str(pattern)) or _shape(str(pattern))
    if described is None:
        log.warning("no description for pattern %r", pattern)
        return "không đúng định dạng quy định"
    return described


def _choices(expected: Any) -> str:
    """pydantic's `'a', 'b' or 'c'` (enums, literals) as a Vietnamese list, or a range when
    the choices are consecutive whole numbers (`1, 2, 3 or 4` → `từ 1 đến 4`)."""
    items = [item.strip() for item in re.split(r",| or ", str(expected)) if item.strip()]
    if len(items) > 2 and all(re.fullmatch(r"-?[0-9]+", item) for item in items):
        values = [int(item) for item in items]
        if values == list(range(values[0], values[0] + len(values))):
            return f"phải từ {values[0]} đến {values[-1]}"
    if len(items) == 1:
        return f"phải là {items[0]}"
    return f"phải là một trong các giá trị: {', '.join(items)}"


def _string_too_short(ctx: Mapping[str, Any]) -> str:
    least = ctx.get("min_length", 1)
    return "bắt buộc, không được để trống" if least == 1 else f"tối thiểu {number(least)} ký tự"


def _value_error(ctx: Mapping[str, Any]) -> str:
    # Our own validators raise ValueError with a Vietnamese sentence (app/models); anything
    # else (a library's English) never reaches the reader.
    text = str(ctx.get("error", ""))
    if is_vietnamese(text):
        return text
    log.warning("validation message not in Vietnamese: %s", text)
    return INVALID


Template = str | Callable[[Mapping[str, Any]], str]

# One entry per error type of pydantic_core (pydantic_core.core_schema.ErrorType): a test
# fails when a new release adds one without its Vietnamese text.
MESSAGES: dict[str, Template] = {
    # presence and shape
    "missing": "bắt buộc",
    "path_type": "phải là một đường dẫn thư mục hoặc tệp",
    "path_not_directory": "phải là một thư mục có sẵn",
    "path_not_file": "phải là một tệp có sẵn",
    "missing_argument": "bắt buộc",
    "missing_keyword_only_argument": "bắt buộc",
    "missing_positional_only_argument": "bắt buộc",
    "extra_forbidden": "trường không được hỗ trợ",
    "unexpected_keyword_argument": "trường không được hỗ trợ",
    "unexpected_positional_argument": "giá trị thừa, không được hỗ trợ",
    "multiple_argument_values": "bị gửi nhiều lần",
    "arguments_type": "phải là một danh sách hoặc một đối tượng JSON",
    "frozen_field": "không được thay đổi",
    "frozen_instance": "không được thay đổi",
    "no_such_attribute": "không có trường này",
    "get_attribute_error": INVALID,
    "invalid_key": "tên trường phải là chuỗi ký tự",
    "none_required": "phải để trống (null)",
    "default_factory_not_called": "chưa xác định được giá trị mặc định vì dữ liệu khác có lỗi",
    "needs_python_object": INVALID,
    "recursion_loop": "dữ liệu tham chiếu vòng tròn",
    "recursion_depth_exceeded": "dữ liệu lồng nhau quá sâu",
    "missing_sentinel_error": INVALID,
    "ellipsis_error": INVALID,
    "is_instance_of": INVALID,
    "is_subclass_of": INVALID,
    "callable_type": INVALID,
    # JSON and objects
    "json_invalid": "không phải JSON hợp lệ",
    "json_type": "phải là văn bản JSON",
    "model_type": "phải là một đối tượng JSON",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dataclass_type": "phải là một đối tượng JSON",
    "dataclass_exact_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "mapping_type": "phải là một đối tượng JSON",
    "frozen_dict_type": "phải là một đối tượng JSON",
    "ordered_dict_type": "phải là một đối tượng JSON",
    "counter_type": "phải là một đối tượng JSON",
    "named_tuple_type": "phải là một danh sách hoặc một đối tượng JSON",
    "union_tag_invalid": lambda ctx: _choices(ctx.get("expected_tags", "")),
    "union_tag_not_found": lambda ctx: f"thiếu trường phân loại {ctx.get('discriminator', '')}",
    # lists
    "list_type": "phải là một danh sách",
    "tuple_type": "phải là một danh sách",
    "set_type": "phải là một danh sách",
    "frozen_set_type": "phải là một danh sách",
    "deque_type": "phải là một danh sách",
    "iterable_type": "phải là một danh sách",
    "iteration_error": "không đọc được danh sách",
    "set_item_not_hashable": "các mục của danh sách phải là giá trị đơn",
    "too_short": lambda ctx: f"cần ít nhất {number(ctx.get('min_length'))} mục",
    "too_long": lambda ctx: f"tối đa {number(ctx.get('max_length'))} mục",
    # text
    "string_type": "phải là một chuỗi ký tự",
    "string_unicode": "phải là văn bản Unicode (UTF-8)",
    "string_too_short": _string_too_short,
    "string_too_long": lambda ctx: f"tối đa {number(ctx.get('max_length'))} ký tự",
    "string_pattern_mismatch": lambda ctx: pattern_description(ctx.get("pattern")),
    "string_not_ascii": "chỉ được dùng ký tự ASCII (chữ không dấu, chữ số)",
    "bytes_type": "phải là một chuỗi ký tự",
    "bytes_too_short": lambda ctx: f"tối thiểu {number(ctx.get('min_length'))} byte",
    "bytes_too_long": lambda ctx: f"tối đa {number(ctx.get('max_length'))} byte",
    "bytes_invalid_encoding": lambda ctx: f"phải được mã hóa {ctx.get('encoding', 'base64')}",
    # choices
    "enum": lambda ctx: _choices(ctx.get("expected", "")),
    "literal_error": lambda ctx: _choices(ctx.get("expected", "")),
    # numbers
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên (chỉ gồm chữ số 0–9)",
    "int_parsing_size": "số nguyên quá lớn",
    "int_from_float": "phải là số nguyên, không có phần thập phân",
    "float_type": "phải là một số",
    "float_parsing": "phải là một số (dấu chấm ngăn phần thập phân, ví dụ 1.5)",
    "finite_number": "phải là số hữu hạn",
    "decimal_type": "phải là một số",
    "decimal_parsing": "phải là một số",
    "decimal_max_digits": lambda ctx: f"tối đa {number(ctx.get('max_digits'))} chữ số",
    "decimal_max_places": lambda ctx: (
        f"tối đa {number(ctx.get('decimal_places'))} chữ số sau dấu thập phân"
    ),
    "decimal_whole_digits": lambda ctx: (
        f"tối đa {number(ctx.get('whole_digits'))} chữ số trước dấu thập phân"
    ),
    "fraction_type": "phải là một số",
    "fraction_parsing": "phải là một số",
    "complex_type": "phải là một số",
    "complex_str_parsing": "phải là một số",
    "greater_than": lambda ctx: f"phải lớn hơn {number(ctx.get('gt'))}",
    "greater_than_equal": lambda ctx: f"phải từ {number(ctx.get('ge'))} trở lên",
    "less_than": lambda ctx: f"phải nhỏ hơn {number(ctx.get('lt'))}",
    "less_than_equal": lambda ctx: f"tối đa {number(ctx.get('le'))}",
    "multiple_of": lambda ctx: f"phải là bội số của {number(ctx.get('multiple_of'))}",
    # dates and times
    "date_type": DATE_FORMAT,
    "date_parsing": DATE_FORMAT,
    "date_from_datetime_parsing": DATE_FORMAT,
    "date_from_datetime_inexact": f"{DATE_FORMAT}, không kèm giờ",
    "date_past": "phải là một ngày trong quá khứ",
    "date_future": "phải là một ngày trong tương lai",
    "time_type": "phải có dạng HH:MM:SS (ví dụ 17:00:00)",
    "time_parsing": "phải có dạng HH:MM:SS (ví dụ 17:00:00)",
    "datetime_type": DATETIME_FORMAT,
    "datetime_parsing": DATETIME_FORMAT,
    "datetime_object_invalid": DATETIME_FORMAT,
    "datetime_from_date_parsing": DATETIME_FORMAT,
    "datetime_past": "phải là một thời điểm trong quá khứ",
    "datetime_future": "phải là một thời điểm trong tương lai",
    "timezone_naive": "không được kèm múi giờ",
    "timezone_aware": "phải kèm múi giờ (ví dụ 2025-11-20T17:00:00+07:00)",
    "timezone_offset": "sai múi giờ",
    "time_delta_type": "phải là một khoảng thời gian theo ISO 8601 (ví dụ PT8H)",
    "time_delta_parsing": "phải là một khoảng thời gian theo ISO 8601 (ví dụ PT8H)",
    # identifiers
    "url_type": "phải là một địa chỉ URL",
    "url_parsing": "phải là một địa chỉ URL hợp lệ (ví dụ https://dichvucong.gov.vn)",
    "url_syntax_violation": "phải là một địa chỉ URL hợp lệ (ví dụ https://dichvucong.gov.vn)",
    "url_too_long": lambda ctx: f"địa chỉ URL tối đa {number(ctx.get('max_length'))} ký tự",
    "url_scheme": lambda ctx: f"địa chỉ URL phải bắt đầu bằng {ctx.get('expected_schemes', '')}",
    "uuid_type": "phải là một mã UUID",
    "uuid_parsing": "phải là một mã UUID (ví dụ 123e4567-e89b-12d3-a456-426614174000)",
    "uuid_version": lambda ctx: f"phải là mã UUID phiên bản {ctx.get('expected_version')}",
    # our validators
    "value_error": _value_error,
    "assertion_error": _value_error,
}


def validation_message(error: Mapping[str, Any]) -> str:
    """The Vietnamese `msg` of one pydantic error (an item of `ValidationError.errors()`)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    template = MESSAGES.get(kind)
    if template is None:
        # A PydanticCustomError of ours (its message is ours, in Vietnamese), or a type that a
        # newer pydantic added.
        text = str(error.get("msg", ""))
        if is_vietnamese(text):
            return text
        log.warning("no Vietnamese message for validation error type %s", kind)
        return INVALID
    return template if isinstance(template, str) else template(ctx)


def validation_details(
    errors: Sequence[Any], prefix: tuple[str | int, ...] = ()
) -> list[dict[str, Any]]:
    """`{"loc", "msg"}` details of pydantic errors, in Vietnamese; never the input itself."""
    return [{"loc": [*prefix, *err["loc"]], "msg": validation_message(err)} for err in errors]
