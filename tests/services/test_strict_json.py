"""The strict JSON parser: what it refuses, what it reads exactly as the standard parser does,
and that it never fails in any other way (hypothesis)."""

import contextlib
import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InvalidForm, InvalidJSON, NulCharacter
from app.services.strict_json import MAX_DEPTH, MAX_INT_DIGITS, JSONRefused, loads, refusal


def nested(depth: int, inner: str = "[]") -> str:
    """`depth` levels of arrays, the innermost being `inner` (itself one level if a container)."""
    return "[" * (depth - 1) + inner + "]" * (depth - 1)


@pytest.mark.parametrize(
    ("text", "reason", "loc"),
    [
        (nested(MAX_DEPTH + 1), f"mảng và đối tượng lồng nhau quá {MAX_DEPTH} cấp", (0,) * 64),
        ('{"a": ' + nested(MAX_DEPTH) + "}", "mảng và đối tượng lồng nhau quá 64 cấp", None),
        (nested(100_000), "mảng và đối tượng lồng nhau quá 64 cấp", ()),
        ("1" * (MAX_INT_DIGITS + 1), f"số nguyên dài quá {MAX_INT_DIGITS} chữ số", ()),
        ("-" + "1" * (MAX_INT_DIGITS + 1), "số nguyên dài quá 100 chữ số", ()),
        ('{"n": ' + "7" * 100_000 + "}", "số nguyên dài quá 100 chữ số", ()),
        ("NaN", "chỉ nhận số hữu hạn (không nhận NaN, Infinity hay số tràn như 1e999)", ()),
        ("[Infinity]", "chỉ nhận số hữu hạn (không nhận NaN, Infinity hay số tràn như 1e999)", ()),
        (
            '{"x": -Infinity}',
            "chỉ nhận số hữu hạn (không nhận NaN, Infinity hay số tràn như 1e999)",
            (),
        ),
        ("1e999", "chỉ nhận số hữu hạn (không nhận NaN, Infinity hay số tràn như 1e999)", ()),
        ("-1.5e400", "chỉ nhận số hữu hạn (không nhận NaN, Infinity hay số tràn như 1e999)", ()),
        ('{"a": [1, "x\\u0000"]}', "chứa ký tự NUL (U+0000)", ("a", 1)),
        ('{"a\\u0000": 1}', "chứa ký tự NUL (U+0000)", ()),
        ('["\\udc00"]', "chứa ký tự Unicode không hợp lệ (nửa cặp surrogate)", (0,)),
        ("{'a': 1}", "không phải JSON hợp lệ (dòng 1, cột 2)", ()),
        ("", "không phải JSON hợp lệ (dòng 1, cột 1)", ()),
        ('"a\x00"', "không phải JSON hợp lệ (dòng 1, cột 3)", ()),  # a raw control character
    ],
)
def test_refusals(text: str, reason: str, loc: tuple[Any, ...] | None) -> None:
    with pytest.raises(JSONRefused) as refused:
        loads(text)
    assert refused.value.reason == reason
    if loc is not None:
        assert refused.value.loc == loc
    assert refused.value.nul == ("NUL" in reason)


def test_the_limits_themselves_are_accepted() -> None:
    assert loads(nested(MAX_DEPTH)) == json.loads(nested(MAX_DEPTH))
    assert loads("9" * MAX_INT_DIGITS) == int("9" * MAX_INT_DIGITS)
    assert loads("-" + "9" * MAX_INT_DIGITS) == -int("9" * MAX_INT_DIGITS)
    assert loads("[1e308, -1e-400, 0.1]") == [1e308, -0.0, 0.1]
    assert loads('"\\ud83d\\ude00"') == "😀"  # a surrogate pair is one character
    assert loads(b'\xef\xbb\xbf{"a": "\xc4\x91"}') == {"a": "đ"}  # UTF-8, with a BOM


def test_bytes_that_are_not_utf8_are_refused() -> None:
    with pytest.raises(JSONRefused, match="không phải văn bản UTF-8"):
        loads(b'{"a": "\xff"}')


def test_a_refusal_becomes_the_error_of_its_place() -> None:
    with pytest.raises(JSONRefused) as deep:
        loads('{"a": ' + nested(MAX_DEPTH) + "}")
    error = refusal(deep.value, ["form"], InvalidForm)
    assert isinstance(error, InvalidForm)
    assert error.details == [
        {"loc": ["form", "a", *[0] * (MAX_DEPTH - 1)], "msg": deep.value.reason}
    ]
    with pytest.raises(JSONRefused) as nul:
        loads('{"a": "\\u0000"}')
    error = refusal(nul.value, ["body"], InvalidJSON)
    assert isinstance(error, NulCharacter)
    assert error.details == [{"loc": ["body", "a"], "msg": "chứa ký tự NUL (U+0000)"}]


# ---------------------------------------------------------------------------------------------
# Properties

plain_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**MAX_INT_DIGITS) + 1, max_value=10**MAX_INT_DIGITS - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | plain_text
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(plain_text, inner, max_size=4),
    max_leaves=30,
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@given(documents)
def test_documents_within_the_limits_read_as_the_standard_parser_reads_them(doc: Any) -> None:
    text = json.dumps(doc, ensure_ascii=False)
    assert loads(text) == json.loads(text)
    assert loads(text.encode()) == json.loads(text)


@given(documents, st.integers(min_value=1, max_value=3 * MAX_DEPTH))
def test_depth_decides_alone(doc: Any, extra: int) -> None:
    wrapped = doc
    for _ in range(extra):
        wrapped = [wrapped]
    text = json.dumps(wrapped)
    if depth(wrapped) <= MAX_DEPTH:
        assert loads(text) == json.loads(text)
    else:
        with pytest.raises(JSONRefused, match="lồng nhau"):
            loads(text)


@given(documents, st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "1" * 101]))
def test_a_bad_number_anywhere_is_refused(doc: Any, bad: str) -> None:
    text = json.dumps([doc, {"k": ["__BAD__"]}]).replace('"__BAD__"', bad)
    with pytest.raises(JSONRefused) as refused:
        loads(text)
    assert not refused.value.nul


@given(documents, plain_text, plain_text)
def test_a_nul_in_any_string_or_key_is_refused(doc: Any, before: str, after: str) -> None:
    for place in ({"k": before + "\x00" + after}, {before + "\x00" + after: 1}):
        with pytest.raises(JSONRefused) as refused:
            loads(json.dumps([doc, place]))
        assert refused.value.nul


@given(st.text() | st.binary())
def test_anything_is_read_or_refused_never_an_other_failure(raw: str | bytes) -> None:
    try:
        value = loads(raw)
    except JSONRefused as refused:
        assert refused.reason
    else:
        assert depth(value) <= MAX_DEPTH
        assert not (isinstance(value, float) and not math.isfinite(value))


@given(st.text(alphabet='[]{}"\\,:0123456789.eE+-aNIfinity \x00u', max_size=300))
def test_near_json_is_read_or_refused_never_an_other_failure(raw: str) -> None:
    with contextlib.suppress(JSONRefused):
        loads(raw)
