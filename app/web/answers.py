"""The applicant's answers read back: the form as label/value pairs, labelled with the titles of
the procedure's JSON Schema (a nested object and an array are a group of their own pairs).

Only what the applicant sent is shown, in the schema's order; a value the schema does not
name (a form submitted under an older schema) is shown under its own key, never dropped.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.web.filters import vn_date, vn_number
from app.web.i18n import Lang, translate


@dataclass(frozen=True)
class Answer:
    label: str
    value: str = ""  # the value as a person reads it; empty for a group
    parts: list["Answer"] = field(default_factory=list)  # an object's or an array's entries


def answers(lang: Lang, schema: dict[str, Any], form: dict[str, Any]) -> list[Answer]:
    """The pairs of an object `form` under its `schema`."""
    properties = schema.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    names = [n for n in properties if n in form] + [n for n in form if n not in properties]
    return [_answer(lang, _schema(properties.get(name)), form[name], name) for name in names]


def _schema(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _answer(lang: Lang, schema: dict[str, Any], value: Any, name: str) -> Answer:
    label = str(schema.get("title") or name)
    if isinstance(value, dict):
        return Answer(label, parts=answers(lang, schema, value))
    if isinstance(value, list):
        # The items of one kind read as "Mã ngành 1", "Mã ngành 2": their title and place.
        items = _schema(schema.get("items"))
        item = str(items.get("title") or label)
        parts = [
            _answer(lang, {**items, "title": f"{item} {n}"}, entry, name)
            for n, entry in enumerate(value, 1)
        ]
        return Answer(label, parts=parts)
    return Answer(label, _text(lang, schema, value))


def _text(lang: Lang, schema: dict[str, Any], value: Any) -> str:
    if isinstance(value, bool):
        return translate(lang, "yes" if value else "no")
    if isinstance(value, int | float):
        return vn_number(value)
    if value is None:
        return ""
    text = str(value)
    if schema.get("format") == "date":
        try:
            return vn_date(date.fromisoformat(text))
        except ValueError:
            return text
    return text
