"""Every message a citizen or an officer reads is Vietnamese (API.md, Conventions: errors).

The walk covers what the API can answer: the OpenAPI `responses` of every route (each one
declared, each example Vietnamese), every error class and every message written in the code,
every validation error type of pydantic and of our models, and the framework's own errors. A
new error with an English message fails here; conftest.py also checks every error answer any
test receives (tests/vietnamese.py). English stays in code, identifiers and logs.
"""

import ast
import importlib
import pkgutil
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic_core
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError
from pydantic_core import core_schema
from sqlmodel import Session

import app
import app.models
from app.errors import AppError
from app.services import messages
from app.services.dossiers import forms
from tests.dossier_helpers import DEFAULT_FILES, submit
from tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    make_officer,
    make_online_procedure,
    officer_headers,
)
from tests.vietnamese import body_problems, english_in

APP_DIR = Path(app.__file__).parent
# The command line's messages are another part's work; migrations never speak to people.
NOT_SCANNED = ("cli", "migrations")


def _modules(package: Any) -> Iterator[Any]:
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        if not any(f".{part}" in info.name for part in NOT_SCANNED):
            yield importlib.import_module(info.name)


MODULES = list(_modules(app))


def _subclasses(cls: type[Any]) -> list[type[Any]]:
    found, pending = [], [cls]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.append(sub)
            pending.append(sub)
    return found


ERROR_CLASSES = [cls for cls in _subclasses(AppError) if cls.__module__.startswith("app.")]


# -- the detector itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Field required",
        "Input should be 1, 2, 3 or 4",
        "String should match pattern '^[0-9]{3}$'",
        "unknown agency 000.00.99.H20",
        "Thao tác không hợp lệ: the action is not allowed",
        "Không thể 'supplement' khi hồ sơ đang ở trạng thái 'Đang xử lý'.",
        "Not Found",
    ],
)
def test_the_detector_finds_english(text: str) -> None:
    assert english_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "bắt buộc",
        "số hộ chiếu gồm 5–20 chữ cái Latinh (A–Z) và chữ số, như in trên hộ chiếu",
        "Yêu cầu phải là multipart/form-data.",
        "Idempotency-Key này đã được dùng cho một hồ sơ khác.",
        "Mã truy cập do bên không được tin cậy cấp.",
        "Không thể yêu cầu bổ sung hồ sơ khi hồ sơ đang ở trạng thái “Mới đăng ký”.",
    ],
)
def test_the_detector_lets_vietnamese_through(text: str) -> None:
    assert english_in(text) == []


# -- pydantic's error types ----------------------------------------------------------------------


def test_every_pydantic_error_type_has_a_vietnamese_message() -> None:
    types = set(typing.get_args(core_schema.ErrorType))
    assert types - set(messages.MESSAGES) == set(), "error types without a Vietnamese text"
    for error in pydantic_core._pydantic_core.list_all_errors():
        ctx = dict(error.get("example_context") or {})
        if error["type"] in ("value_error", "assertion_error"):
            ctx["error"] = ValueError("mã số thuế không đúng")
        text = messages.validation_message({"type": error["type"], "ctx": ctx, "msg": ""})
        assert english_in(text) == [], (error["type"], text)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ({"type": "missing"}, "bắt buộc"),
        ({"type": "literal_error", "ctx": {"expected": "1, 2, 3 or 4"}}, "phải từ 1 đến 4"),
        ({"type": "greater_than_equal", "ctx": {"ge": 1}}, "phải từ 1 trở lên"),
        ({"type": "string_too_long", "ctx": {"max_length": 500}}, "tối đa 500 ký tự"),
        ({"type": "less_than_equal", "ctx": {"le": 10000}}, "tối đa 10.000"),
        ({"type": "multiple_of", "ctx": {"multiple_of": 0.5}}, "phải là bội số của 0,5"),
        (
            {"type": "enum", "ctx": {"expected": "'json', 'csv' or 'xlsx'"}},
            "phải là một trong các giá trị: 'json', 'csv', 'xlsx'",
        ),
        (
            {"type": "date_from_datetime_parsing", "ctx": {"error": "input is too short"}},
            "phải có dạng YYYY-MM-DD (ví dụ 2025-03-14)",
        ),
        (
            {"type": "string_pattern_mismatch", "ctx": {"pattern": r"^[0-9]{12}$"}},
            "gồm đúng 12 chữ số",
        ),
        ({"type": "value_error", "ctx": {"error": ValueError("naive datetime")}}, "không hợp lệ"),
        ({"type": "a_type_of_tomorrow", "msg": "Something new"}, "không hợp lệ"),
    ],
)
def test_a_message_carries_the_constraint(error: dict[str, Any], expected: str) -> None:
    assert messages.validation_message(error) == expected


def _patterns(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        if isinstance(schema.get("pattern"), str):
            yield schema["pattern"]
        for value in schema.values():
            yield from _patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _patterns(value)


def _api_models() -> list[type[BaseModel]]:
    models = {
        value
        for module in MODULES
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__.startswith("app.")
        and not value.__pydantic_generic_metadata__["parameters"]
    }
    return sorted(models, key=lambda m: f"{m.__module__}.{m.__qualname__}")


MODELS = _api_models()


def test_every_pattern_of_the_models_and_routes_is_described(client: TestClient) -> None:
    schemas: list[Any] = [client.get("/openapi.json").json()]
    schemas += [model.model_json_schema() for model in MODELS]
    patterns = {pattern for schema in schemas for pattern in _patterns(schema)}
    assert patterns, "the walk found no pattern at all"
    undescribed = {p for p in patterns if p not in messages.PATTERNS and not messages._shape(p)}
    assert undescribed == set()


HOSTILE_VALUES: list[Any] = [
    None,
    [],
    {},
    "",
    "   ",
    "x" * 5000,
    "not-a-value ~ 2025-13-45",
    -1,
    10**30,
    1.5,
    True,
    [{"a": 1}],
]


def _errors_of(model: type[BaseModel]) -> Iterator[dict[str, Any]]:
    """Every error the model raises for an empty record, then for each field given each
    hostile value in turn (the rest left out)."""
    payloads: list[Any] = [{}, [], "x"]
    payloads += [{name: value} for name in model.model_fields for value in HOSTILE_VALUES]
    for payload in payloads:
        try:
            model.model_validate(payload)
        except ValidationError as exc:
            yield from typing.cast(list[dict[str, Any]], exc.errors())
        except Exception:  # a read model's own code on nonsense: not a message
            continue


def test_every_validation_error_the_models_raise_reads_in_vietnamese() -> None:
    seen: set[str] = set()
    for model in MODELS:
        for error in _errors_of(model):
            seen.add(error["type"])
            text = messages.validation_message(error)
            where = f"{model.__qualname__} {error['loc']} {error['type']}"
            assert english_in(text) == [], (where, text)
            assert error["type"] in messages.MESSAGES or messages.is_vietnamese(error["msg"]), where
            if error["type"] == "string_pattern_mismatch":
                pattern = str((error.get("ctx") or {}).get("pattern"))
                assert pattern in messages.PATTERNS or messages._shape(pattern), where
    # The walk reached the kinds of error that matter (it is not vacuous).
    assert {"missing", "string_type", "extra_forbidden", "value_error"} <= seen
    assert {"string_pattern_mismatch", "literal_error", "enum", "greater_than_equal"} <= seen


@pytest.mark.parametrize(
    ("keyword", "constraint", "expected"),
    [
        ("format", "date", "phải có dạng YYYY-MM-DD (ví dụ 2025-03-14)"),
        ("pattern", r"^[0-9]{12}$", "gồm đúng 12 chữ số"),
        ("maxLength", 200, "tối đa 200 ký tự"),
        ("minimum", 0, "phải từ 0 trở lên"),
        ("type", "integer", "phải là một số nguyên"),
        ("enum", ["nam", "nữ"], 'phải là một trong các giá trị: "nam", "nữ"'),
    ],
)
def test_form_messages_say_the_expected_format(
    keyword: str, constraint: Any, expected: str
) -> None:
    field: dict[str, Any] = {keyword: constraint}
    schema: dict[str, Any] = {"type": "object", "properties": {"f": field}}
    assert forms._entry(schema, ["f"], keyword, constraint, field) == {
        "loc": ["form", "f"],
        "msg": expected,
    }


SAMPLE_CONSTRAINTS: dict[str, Any] = {
    "type": "string",
    "format": "email",
    "pattern": r"^[0-9]{2}/[0-9]{4}$",
    "enum": ["có", "không"],
    "const": "có",
}


def test_every_form_keyword_reads_in_vietnamese() -> None:
    for keyword, describe in forms._MESSAGES.items():
        text = describe(SAMPLE_CONSTRAINTS.get(keyword, 3), {})
        assert english_in(text) == [], (keyword, text)


# -- errors written in the code ------------------------------------------------------------------


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_class_speaks_vietnamese(cls: type[AppError]) -> None:
    assert english_in(cls.message) == [], cls.message
    reason = getattr(cls, "reason", None)
    if isinstance(reason, str):
        assert english_in(reason) == [], reason


def _text(node: ast.AST) -> str | None:
    """A literal string as its reader sees it, with `…` for each interpolated part; None
    when the node is not a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value) if isinstance(part, ast.Constant) else "…" for part in node.values
        )
    return None


def _messages_in(tree: ast.AST, error_names: set[str], validators: bool) -> Iterator[ast.AST]:
    """The literal messages of a module: arguments of an error's constructor (or of its own
    `super().__init__`), of `detail(loc, msg)`, the `msg` of a details dict, constants named
    `…_MSG`, and in models, the messages of validators (ValueError, PydanticCustomError)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in error_names:
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "__init__":
                    yield from call.args[:1]
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in error_names:
                yield from node.args[:1]
                yield from (k.value for k in node.keywords if k.arg == "message")
            elif name == "detail":
                yield from node.args[1:2]
            elif validators and name == "ValueError":
                yield from node.args[:1]
            elif validators and name == "PydanticCustomError":
                yield from node.args[1:2]
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and str(key.value) in ("msg", "message"):
                    yield value
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if any(n.endswith(("_MSG", "_MESSAGE")) for n in names):
                yield node.value


def _scanned_files() -> list[Path]:
    return [
        path
        for path in sorted(APP_DIR.rglob("*.py"))
        if not any(part.startswith(NOT_SCANNED) for part in path.relative_to(APP_DIR).parts)
    ]


# Raised in the models but never a validation message: a guard against a bug (a naive datetime
# written to a UTC column), which goes to the log.
NOT_MESSAGES = {("models/types.py", "naive datetime given to a UTC column")}


def test_every_message_written_in_the_code_is_vietnamese() -> None:
    error_names = {cls.__name__ for cls in ERROR_CLASSES} | {"AppError"}
    problems = []
    for path in _scanned_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        validators = path.relative_to(APP_DIR).parts[0] == "models"
        for node in _messages_in(tree, error_names, validators):
            text = _text(node)
            # Only the interpolated parts and punctuation ("{label}: {msg}"): nothing to read.
            if text is None or not any(char.isalpha() for char in text.replace("…", "")):
                continue
            if (str(path.relative_to(APP_DIR)), text) in NOT_MESSAGES:
                continue
            if found := english_in(text):
                line = getattr(node, "lineno", 0)
                problems.append(f"{path.relative_to(APP_DIR)}:{line}: {text!r} {found}")
    assert problems == [], "\n".join(problems)


def test_the_scan_would_catch_a_new_english_error() -> None:
    source = (
        "class Oops(InvalidContent):\n"
        "    pass\n"
        "def f():\n"
        "    raise Oops('The file is missing', details=[detail(['x'], 'Field required')])\n"
    )
    found = [_text(node) for node in _messages_in(ast.parse(source), {"Oops"}, False)]
    assert found == ["The file is missing", "Field required"]
    assert all(english_in(text or "") for text in found)


# -- what the API answers ------------------------------------------------------------------------


def _operations(client: TestClient) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in client.get("/openapi.json").json()["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_declared_error_response_has_vietnamese_examples(client: TestClient) -> None:
    for path, method, operation in _operations(client):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            where = f"{method.upper()} {path} {status}"
            assert english_in(response["description"]) == [], where
            examples = response["content"]["application/json"].get("examples", {})
            assert examples, f"{where}: no example"
            for example in examples.values():
                assert body_problems(example["value"]) == [], where


def test_every_route_declares_the_errors_of_its_inputs(client: TestClient) -> None:
    """Every route that needs the database declares 503; every route with a path parameter
    declares 404 and every route with an input declares 422."""
    for path, method, operation in _operations(client):
        declared = set(operation["responses"])
        where = f"{method.upper()} {path}"
        if path.startswith("/api/"):
            assert "503" in declared, where
        if "{" in path:
            assert "404" in declared, where
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in declared, where


FRAMEWORK_ERRORS: list[tuple[str, str, dict[str, Any], int]] = [
    ("GET", "/api/v1/nothing-here", {}, 404),
    ("DELETE", "/api/v1/fields", {}, 405),
    ("GET", "/api/v1/procedures?page=abc", {}, 422),
    ("GET", "/api/v1/procedures?level=9", {}, 422),
    ("GET", "/api/v1/stats/online-ratio?from=2025-02-30", {}, 422),
    ("GET", "/api/v1/stats/online-ratio?group_by=week", {}, 422),
    ("GET", "/api/v1/procedures?q=%00", {}, 422),
    (
        "POST",
        "/api/v1/dossiers/000.00.00.H20-250101-0001/withdraw",
        {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
        422,
    ),
    (
        "POST",
        "/api/v1/dossiers",
        {"content": b"x", "headers": {"Content-Type": "text/plain"}},
        415,
    ),
    (
        "POST",
        "/api/v1/dossiers",
        {
            "content": b"--x\r\nbroken",
            "headers": {"Content-Type": "multipart/form-data; boundary=" + "x" * 300},
        },
        400,
    ),
    (
        "POST",
        "/api/v1/auth/token",
        {"content": b"x" * 300_000, "headers": {"Content-Type": "application/json"}},
        413,
    ),
    ("POST", "/api/v1/auth/token", {"data": {"username": "x"}}, 422),
    ("GET", "/api/v1/officer/dossiers", {}, 401),
]


@pytest.mark.parametrize(("method", "url", "kwargs", "status"), FRAMEWORK_ERRORS)
def test_the_frameworks_own_errors_are_vietnamese(
    client: TestClient, method: str, url: str, kwargs: dict[str, Any], status: int
) -> None:
    # conftest.py checks every answer too; this makes sure these are met.
    response = client.request(method, url, **kwargs)
    assert response.status_code == status, response.text
    assert body_problems(response.json()) == []


# -- what a citizen and an officer meet ------------------------------------------------------


@pytest.fixture
def procedure(session: Session) -> None:
    make_online_procedure(session)
    make_officer(session, "lan")


@pytest.mark.usefixtures("procedure")
def test_a_refused_file_names_its_document_and_the_types_as_people_say_them(
    client: TestClient,
) -> None:
    files = [("to_khai", ("to-khai.pdf", PNG_BYTES, "application/pdf"))]
    error = submit(client, files=files).json()["error"]
    assert error["code"] == "file_type_not_accepted"
    assert error["message"] == (
        "Tệp “Tờ khai đăng ký khai sinh” không thuộc loại được chấp nhận; chỉ nhận tệp PDF."
    )
    assert error["details"] == [
        {"loc": ["files", "to_khai"], "msg": "chỉ nhận tệp PDF", "detected": "image/png"}
    ]
    photo = [("anh", ("anh.pdf", PDF_BYTES, "application/pdf"))]
    detail_msg = submit(client, files=DEFAULT_FILES + photo).json()["error"]["details"][0]["msg"]
    assert detail_msg == "chỉ nhận tệp JPG, PNG"


@pytest.mark.usefixtures("procedure")
def test_a_file_too_large_is_named_by_its_document(client: TestClient) -> None:
    big = [("anh", ("anh.png", PNG_BYTES + b"0" * (1024 * 1024), "image/png"))]
    error = submit(client, files=DEFAULT_FILES + big).json()["error"]
    assert error["code"] == "file_too_large"
    assert error["message"] == "Tệp “Ảnh chụp giấy chứng sinh” vượt quá 1 MB."


@pytest.mark.usefixtures("procedure")
def test_an_illegal_move_is_said_with_the_moves_vietnamese_label(client: TestClient) -> None:
    created = submit(client).json()
    body = {"action": "request_fee", "version": 1, "public_note": "nộp phí"}
    response = client.post(
        f"/api/v1/officer/dossiers/{created['code']}/actions",
        json=body,
        headers=officer_headers(client),
    )
    assert response.json()["error"]["message"] == (
        "Không thể yêu cầu thực hiện nghĩa vụ tài chính khi hồ sơ đang ở trạng thái “Mới đăng ký”."
    )
    supplement = client.post(
        f"/api/v1/dossiers/{created['code']}/supplement",
        files=DEFAULT_FILES,
        headers={"Authorization": f"Bearer {created['access_token']}"},
    )
    assert supplement.json()["error"] == {
        "code": "illegal_transition",
        "message": "Không thể bổ sung hồ sơ khi hồ sơ đang ở trạng thái “Mới đăng ký”.",
        "details": [{"status": "new", "allowed_actions": ["withdraw"]}],
    }


@pytest.mark.usefixtures("procedure")
def test_the_public_view_labels_the_channel(client: TestClient) -> None:
    code = submit(client).json()["code"]
    view = client.get(f"/api/v1/dossiers/{code}").json()
    assert (view["channel"], view["channel_label"]) == ("online", "Trực tuyến")


def test_a_query_error_carries_its_constraint(client: TestClient) -> None:
    details = client.get("/api/v1/procedures", params={"level": 9, "page_size": 500}).json()
    assert details["error"]["details"] == [
        {"loc": ["query", "page_size"], "msg": "tối đa 100"},
        {"loc": ["query", "level"], "msg": "tối đa 4"},
    ]
    period = client.get("/api/v1/stats/online-ratio", params={"from": "14/03/2025"}).json()
    assert period["error"]["details"] == [
        {"loc": ["query", "from"], "msg": "phải có dạng YYYY-MM-DD (ví dụ 2025-03-14)"}
    ]
