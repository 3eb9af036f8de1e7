"""Is a message a person reads Vietnamese? And is every error an answer carries declared in its
route's OpenAPI `responses`? Used by tests/test_vietnamese_messages.py, and by conftest.py on
every answer any test's client receives, so that an error added later in English, or left out
of its route's declaration, fails the suite where it is first met."""

import re
from typing import Any

import httpx
from fastapi import FastAPI
from starlette.routing import compile_path

from app.services.dossiers.workflow import Action
from app.services.messages import is_vietnamese

# Words an English sentence cannot do without; none is Vietnamese, none is one of our
# identifiers that a message may quote (`multipart/form-data`, `Idempotency-Key`, `due_at`).
# ("a", "an", "in", "do", "to", "long" are left out: Vietnamese writes them too, as in
# "A–Z", "in hoa", "do … cấp".)
ENGLISH_WORDS = frozenset(
    """the is are was were be been must should shall cannot can could not of for and or with
    without on at by from this that these those its than then only least most field fields
    required missing invalid input value values valid unknown error allowed permitted expected
    got match matches pattern extra found please characters character string integer number
    too large short more less greater equal has have had does which when where there here
    parsing unable""".split()  # noqa: SIM905 (a list of 90 words, read as prose)
)
# A workflow move appears as its Vietnamese label in a sentence, never as its name.
ACTION_NAMES = frozenset(action.value for action in Action)
_WORD = re.compile(r"[A-Za-z_]+")
# What a message may quote as it is: a value in quotes ('json', `due_at`), and identifiers,
# paths and types (processing_time.value, multipart/form-data, ten@ten-mien.vn).
_QUOTED = re.compile(r"'[^']*'|`[^`]*`|\"[^\"]*\"")
_IDENTIFIER = re.compile(r"[\w@-]*[._/@][\w./@-]*")


def english_in(text: str) -> list[str]:
    """Why `text` is not a Vietnamese message (empty when it is one): no Vietnamese letter at
    all, English words, or a workflow action's name."""
    if not text.strip():
        return []
    unquoted = _IDENTIFIER.sub(" ", _QUOTED.sub(" ", text))
    problems = [f"{w!r} is English" for w in _WORD.findall(unquoted) if w.lower() in ENGLISH_WORDS]
    # Quoted or not: "Không thể 'supplement'" is the very thing to catch.
    names = _WORD.findall(_IDENTIFIER.sub(" ", text))
    problems += [f"{w!r} is an action's name" for w in names if w in ACTION_NAMES]
    if not is_vietnamese(text):
        problems.append("no Vietnamese letter")
    return problems


def body_problems(body: Any) -> list[str]:
    """Every English `message` and `msg` of an error body."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ["not the contract's error shape"]
    found = [f"message {error.get('message')!r}: {p}" for p in english_in(error["message"])]
    for item in error.get("details") or []:
        if isinstance(item, dict) and isinstance(item.get("msg"), str):
            found += [f"msg {item['msg']!r}: {p}" for p in english_in(item["msg"])]
    return found


Declared = list[tuple[re.Pattern[str], dict[str, Any]]]
# Every app of the suite is made by create_app from the same routers: one OpenAPI document
# (0.85 s to generate) serves them all, keyed by the routes they have.
_DECLARED: dict[tuple[tuple[str, str], ...], Declared] = {}


def _declared(app: FastAPI) -> Declared:
    key = tuple(
        (str(getattr(route, "path", "")), ",".join(sorted(getattr(route, "methods", None) or ())))
        for route in app.routes
    )
    if key not in _DECLARED:
        _DECLARED[key] = [
            (compile_path(template)[0], operations)
            for template, operations in app.openapi().get("paths", {}).items()
        ]
    return _DECLARED[key]


def declared_statuses(app: FastAPI, method: str, path: str) -> set[int] | None:
    """The statuses the OpenAPI document declares for this request's route, or None when no
    route has the path and method (an unknown path, a wrong method: the framework's own)."""
    found: set[int] | None = None
    for pattern, operations in _declared(app):
        operation = operations.get(method.lower())
        if pattern.match(path) and operation is not None:
            found = (found or set()) | {int(status) for status in operation.get("responses", {})}
    return found


def answer_problems(app: FastAPI, response: httpx.Response) -> list[str]:
    """What is wrong with an error answer: an English message, or a status its route does
    not declare. A 500 is a bug the test itself reports; non-JSON answers are not ours."""
    if response.status_code < 400 or response.status_code == 500:
        return []
    if not response.headers.get("content-type", "").startswith("application/json"):
        return []
    request = response.request
    body: Any = response.json()
    problems = body_problems(body)
    declared = declared_statuses(app, request.method, request.url.path)
    if declared is not None and response.status_code not in declared:
        problems.append(f"status {response.status_code} not declared in the route's responses")
    return problems
