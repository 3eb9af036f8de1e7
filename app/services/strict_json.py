"""The one JSON parser for what clients send: JSON bodies (through `app.inputs`) and the
`form` and `applicant` parts of a submission (API.md, Conventions: hostile input).

The standard parser accepts what no client of ours sends and what the rest of the code cannot
keep: `NaN` and `Infinity` (stored as `null` by SQLite, refused by PostgreSQL), integers of
thousands of digits (Python refuses to convert more than 4,300 and a huge one costs quadratic
time), nesting a thousand levels deep (its recursion limit), and strings with NUL or lone
surrogates (neither database can store them). Here they are refused with a reason in
Vietnamese, before anything else looks at the document.
"""

import json
import math
import re
from typing import Any

from app.errors import AppError, NulCharacter, detail

MAX_DEPTH = 64
MAX_INT_DIGITS = 100

Loc = tuple[str | int, ...]
# Text neither database stores: NUL (PostgreSQL refuses it in text and JSON) and UTF-16
# surrogates (a JSON escape like "\ud800" alone; they cannot be encoded in UTF-8).
_NUL = "\x00"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class JSONRefused(ValueError):
    """A document the strict parser refuses: `reason` says why (Vietnamese), `loc` where in
    the document when known (keys and list indexes), and `nul` tells a NUL character apart,
    which has its own error code everywhere (`nul_character`)."""

    def __init__(self, reason: str, loc: Loc = (), *, nul: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.loc = loc
        self.nul = nul


def refusal(
    refused: JSONRefused,
    where: list[str | int],
    error: type[AppError],
    message: str | None = None,
) -> AppError:
    """The error of a refused document found at `where` (`["body"]`, `["form"]`): `error`
    with one detail naming the place and the reason, or `nul_character` for a NUL."""
    details = [detail([*where, *refused.loc], refused.reason)]
    if refused.nul:
        return NulCharacter(details=details)
    return error(message, details=details)


def loads(raw: str | bytes) -> Any:
    """Parse a JSON document within the limits: at most `MAX_DEPTH` levels of arrays and
    objects, integers of at most `MAX_INT_DIGITS` digits, finite numbers only, and no NUL or
    lone surrogate in any string or key. Anything else raises `JSONRefused`."""
    text = _text(raw)
    try:
        value = json.loads(
            text,
            parse_int=_integer,
            parse_float=_finite,
            parse_constant=_constant,
        )
    except json.JSONDecodeError as exc:
        raise JSONRefused(f"không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})") from None
    except RecursionError:
        raise JSONRefused(_too_deep()) from None
    _check(value)
    return value


def _text(raw: str | bytes) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise JSONRefused("không phải văn bản UTF-8") from None


def _integer(digits: str) -> int:
    # Counted before converting: converting a long digit string is what costs (and fails).
    if len(digits) - digits.startswith("-") > MAX_INT_DIGITS:
        raise JSONRefused(f"số nguyên dài quá {MAX_INT_DIGITS} chữ số")
    return int(digits)


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):  # 1e999 overflows to infinity
        raise JSONRefused(_NOT_FINITE)
    return value


def _constant(name: str) -> Any:
    raise JSONRefused(_NOT_FINITE)


_NOT_FINITE = "chỉ nhận số hữu hạn (không nhận NaN, Infinity hay số tràn như 1e999)"


def _too_deep() -> str:
    return f"mảng và đối tượng lồng nhau quá {MAX_DEPTH} cấp"


def _check(document: Any) -> None:
    """Depth, and the text of every string and key, without recursion."""
    pending: list[tuple[Any, int, Loc]] = [(document, 0, ())]
    while pending:
        value, depth, loc = pending.pop()
        if isinstance(value, str):
            _check_text(value, loc)
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise JSONRefused(_too_deep(), loc)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    _check_text(key, loc)
                pending.append((item, depth + 1, (*loc, key)))


def _check_text(text: str, loc: Loc) -> None:
    found = _UNSTORABLE.search(text)
    if found is None:
        return
    if found.group() == _NUL:
        raise JSONRefused(NulCharacter.reason, loc, nul=True)
    raise JSONRefused("chứa ký tự Unicode không hợp lệ (nửa cặp surrogate)", loc)
