"""The pages' anti-forgery field (app/web/csrf.py), on its own: what the officers' pages will
reuse."""

import pytest
from fastapi import Request

from app.errors import CsrfFailed
from app.web.csrf import COOKIE, FIELD, Csrf, sign

SECRET = b"k" * 32
VALUE = "v" * 43


def request_with(cookie: str | None) -> Request:
    headers = [(b"cookie", f"{COOKIE}={cookie}".encode())] if cookie is not None else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers})


class Rules:
    """Upload rules that record what reached them."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def on_text(self, name: str, value: str) -> None:
        self.seen.append(name)

    def file_limit(self, key: str) -> int | None:
        self.seen.append(key)
        return None

    def check_type(self, key: str, content_type: str | None) -> None:
        self.seen.append(key)

    def document_name(self, key: str) -> str:
        return key


def test_the_field_is_bound_to_the_cookie_and_the_scope() -> None:
    guard = Csrf(request_with(VALUE), SECRET, "A")
    guard.check(sign(SECRET, "A", VALUE))  # accepted
    for wrong in ("", "x", sign(SECRET, "B", VALUE), sign(SECRET, "A", "w" * 43)):
        with pytest.raises(CsrfFailed):
            guard.check(wrong)
    assert sign(SECRET, "a", "bc") != sign(SECRET, "ab", "c")


def test_without_the_cookie_no_field_is_good() -> None:
    fresh = Csrf(request_with(None), SECRET, "A")
    assert fresh.fresh
    with pytest.raises(CsrfFailed):
        fresh.check(fresh.token)  # the token of a cookie the browser never sent back
    with pytest.raises(CsrfFailed):
        Csrf(request_with("short"), SECRET, "A").check(sign(SECRET, "A", "short"))


def test_a_guarded_upload_builds_its_rules_only_after_a_good_field_first() -> None:
    made: list[Rules] = []

    def make() -> Rules:
        made.append(Rules())
        return made[-1]

    early = Csrf(request_with(VALUE), SECRET, "A").guarded(make)
    with pytest.raises(CsrfFailed):
        early.file_limit("anh")  # a file before the field
    with pytest.raises(CsrfFailed):
        early.on_text("form", "{}")
    with pytest.raises(CsrfFailed):
        early.on_text(FIELD, "sai")
    assert made == []  # no service ran
    good = Csrf(request_with(VALUE), SECRET, "A").guarded(make)
    good.on_text(FIELD, sign(SECRET, "A", VALUE))
    good.on_text("form", "{}")
    assert good.file_limit("anh") is None
    assert len(made) == 1 and made[0].seen == ["form", "anh"]
