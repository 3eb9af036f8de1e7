"""The form of a procedure, generated from its JSON Schema (issue 15, `/thu-tuc/{code}/nop-ho-so`;
later the officers' counter registration), and the way back from the submitted fields to the JSON
object the API receives.

The server stays the authority (STYLE.md, Web pages): the HTML constraints mirrored here only
save a round trip, `parse_submitted` converts types and never judges a value (what it cannot
convert goes on as typed, for `form_errors` to refuse in its own words), and the messages shown
next to the fields are the server's 422 `details`, matched by their `loc`.

A flow for a page:

    change = row_change(flat)           # an "add row" / "remove row" button was pressed
    if change:                          # re-render, nothing submitted
        values = parse_submitted(schema, change.flat)
        fields = build_fields(schema, values, rows=change.rows)
    else:
        form = parse_submitted(schema, flat)  # → the API's `form`; on a 422:
        fields = build_fields(schema, form, details)

Array rows are rebuilt from the parsed values (empty rows dropped, the rest renumbered), so a
`loc` like ["form", "con", 1] names the row the re-rendered page shows second.
"""

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.models.catalogue import DocumentType, RequiredDocument, type_labels

PREFIX = "form"
ADD = "_add"  # <button name="_add" value="form.con">: one more row in that array
REMOVE = "_remove"  # <button name="_remove" value="form.con.2">: drop that row
RADIOS_UP_TO = 4  # more choices than this make a <select>
TEXTAREA_OVER = 200  # a longer maxLength is a paragraph, not a line
MAX_ROWS = 50  # rows the page offers for an array without maxItems

Segment = str | int
Flat = Mapping[str, str | Sequence[str]]

# A pattern of digits only: phones' numeric keypad (not type=number, which drops leading zeros).
_DIGITS_ONLY = re.compile(r"\^\[0-9\]\{\d+(,\d+)?\}\$")
_INDEX = re.compile(r"0|[1-9][0-9]*")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class Option:
    """One choice of an enum: `value` as the HTML sends it, `label` as a person reads it."""

    value: str
    label: str
    selected: bool = False


@dataclass
class Field:
    """One control (or a group of them) of the generated form.

    `kind` is one of text, textarea, number, integer, date, email, tel (an `<input>`, see
    `input_type`), select, radio, checkbox, object (a fieldset of `children`), array (a
    fieldset of rows: `children`, each with its `index`; `can_add` when another row fits).
    `required` is the schema's (the visible mark); `attrs` are the HTML constraints mirrored
    from the schema, `required` among them only where the server would require the field
    whatever else is filled in (not in an optional group nor in a spare row)."""

    kind: str
    name: str
    id: str
    label: str
    path: tuple[Segment, ...] = ()
    description: str | None = None
    required: bool = False
    value: str = ""
    checked: bool = False
    options: list[Option] = field(default_factory=list)
    attrs: dict[str, str | int | float | bool] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    children: list["Field"] = field(default_factory=list)
    index: int | None = None
    can_add: bool = False

    @property
    def input_type(self) -> str:
        """The `type` of an `<input>` kind."""
        return {"integer": "number", "textarea": "text"}.get(self.kind, self.kind)

    @property
    def hint_id(self) -> str | None:
        return f"{self.id}-hint" if self.description else None

    @property
    def error_id(self) -> str | None:
        return f"{self.id}-error" if self.errors else None

    @property
    def described_by(self) -> str | None:
        ids = [i for i in (self.hint_id, self.error_id) if i]
        return " ".join(ids) or None

    @property
    def focus_id(self) -> str:
        """Where a link of an error summary takes the reader: the control, or a group's first."""
        return f"{self.id}-0" if self.kind == "radio" and self.options else self.id


@dataclass(frozen=True)
class FileField:
    """The file input of one document (thành phần hồ sơ): `name` is the document's key, as the
    API's multipart part is named; `accept` lists its types and their extensions."""

    name: str
    id: str
    label: str
    required: bool
    accept: str
    types_label: str
    max_mb: int
    errors: tuple[str, ...] = ()
    template_url: str | None = None

    @property
    def hint_id(self) -> str:
        return f"{self.id}-hint"

    @property
    def error_id(self) -> str | None:
        return f"{self.id}-error" if self.errors else None

    @property
    def described_by(self) -> str:
        return " ".join(i for i in (self.hint_id, self.error_id) if i)

    @property
    def focus_id(self) -> str:
        return self.id


@dataclass(frozen=True)
class RowChange:
    """The submission of an add/remove button: the fields without the removed row, and how
    many rows to show for the array the button belongs to."""

    flat: dict[str, str | Sequence[str]]
    rows: dict[str, int]


# -- building ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    errors: Mapping[tuple[str, ...], list[str]]
    rows: Mapping[str, int]
    prefix: str


def build_fields(
    schema: Mapping[str, Any] | None,
    values: Mapping[str, Any] | None = None,
    errors: Iterable[Mapping[str, Any]] | None = None,
    *,
    rows: Mapping[str, int] | None = None,
    prefix: str = PREFIX,
) -> list[Field]:
    """The fields of a procedure's form, filled with `values` (the JSON object, e.g. as
    `parse_submitted` gave it back) and the messages of the server's 422 `details` whose `loc`
    is a field's path (["form", "cha", "ho_ten"]). `rows` sets the row count of an array by
    its name (from `row_change`)."""
    if not schema:
        return []
    context = _Context(_errors_by_loc(errors or ()), rows or {}, prefix)
    return _properties(schema, (), values if isinstance(values, Mapping) else {}, context, True)


def _errors_by_loc(errors: Iterable[Mapping[str, Any]]) -> dict[tuple[str, ...], list[str]]:
    found: dict[tuple[str, ...], list[str]] = {}
    for error in errors:
        loc = error.get("loc")
        if isinstance(loc, list | tuple):
            found.setdefault(tuple(str(step) for step in loc), []).append(str(error.get("msg")))
    return found


def _properties(
    node: Mapping[str, Any],
    path: tuple[Segment, ...],
    values: Mapping[str, Any],
    context: _Context,
    enforced: bool,
) -> list[Field]:
    required = set(node.get("required") or ())
    properties = node.get("properties") or {}
    return [
        _build(sub, (*path, key), values.get(key), context, key in required, enforced)
        for key, sub in properties.items()
        if isinstance(sub, Mapping)
    ]


def _build(
    node: Mapping[str, Any],
    path: tuple[Segment, ...],
    value: Any,
    context: _Context,
    required: bool,
    enforced: bool,
) -> Field:
    """`enforced`: the enclosing groups are always sent, so `required` may go to the HTML."""
    name = ".".join(str(step) for step in (context.prefix, *path))
    label = str(node.get("title") or path[-1])
    description = node.get("description")
    made = Field(
        kind=_kind(node),
        name=name,
        id=_html_id(name),
        label=label,
        path=path,
        description=str(description) if description else None,
        required=required,
        errors=list(context.errors.get((context.prefix, *map(str, path)), [])),
    )
    if made.kind == "object":
        inner = value if isinstance(value, Mapping) else {}
        made.children = _properties(node, path, inner, context, enforced and required)
    elif made.kind == "array":
        _rows(made, node, value, context, enforced and required)
    else:
        _scalar(made, node, value, enforced and required)
    return made


def _html_id(name: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _type(node: Mapping[str, Any]) -> str | None:
    declared = node.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), None)
    return str(declared) if declared else None


def _choices(node: Mapping[str, Any]) -> list[tuple[Any, str]] | None:
    """(value, label) of an `enum`, or of a `oneOf` of `const`s with their titles."""
    if isinstance(node.get("enum"), list):
        return [(v, v if isinstance(v, str) else json.dumps(v)) for v in node["enum"]]
    one_of = node.get("oneOf")
    if isinstance(one_of, list) and one_of and all("const" in o for o in one_of):
        return [(o["const"], str(o.get("title", _html_value(o["const"])))) for o in one_of]
    return None


def _kind(node: Mapping[str, Any]) -> str:
    choices = _choices(node)
    if choices is not None:
        return "radio" if len(choices) <= RADIOS_UP_TO else "select"
    kind = _type(node)
    if kind in ("object", "array", "integer", "number"):
        return kind
    if kind == "boolean":
        return "checkbox"
    return _string_kind(node)


def _string_kind(node: Mapping[str, Any]) -> str:
    fmt = node.get("format")
    if fmt in ("date", "email"):
        return str(fmt)
    if fmt in ("tel", "phone") or r"\+84" in str(node.get("pattern", "")):
        return "tel"
    long = isinstance(node.get("maxLength"), int) and node["maxLength"] > TEXTAREA_OVER
    return "textarea" if long or node.get("x-widget") == "textarea" else "text"


def _html_value(value: Any) -> str:
    """A JSON value as an HTML control holds it (options are matched the same way)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _scalar(made: Field, node: Mapping[str, Any], value: Any, enforce_required: bool) -> None:
    choices = _choices(node)
    if made.kind == "checkbox":
        made.checked = value is True
        made.attrs["value"] = "true"
        # A required boolean only has to be sent, and an unticked box sends false.
        if node.get("const") is True and enforce_required:
            made.attrs["required"] = True
        return
    made.value = _html_value(value)
    if choices is not None:
        made.options = [
            Option(_html_value(v), label, _html_value(v) == made.value) for v, label in choices
        ]
    if enforce_required:
        made.attrs["required"] = True
    made.attrs.update(_constraints(made.kind, node))


def _constraints(kind: str, node: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    attrs: dict[str, str | int | float | bool] = {}
    if kind in ("integer", "number"):
        for keyword, attr in (("minimum", "min"), ("maximum", "max")):
            if _is_number(node.get(keyword)):
                attrs[attr] = node[keyword]
        attrs["step"] = 1 if kind == "integer" else "any"
        return attrs
    if kind in ("text", "textarea", "email", "tel"):
        for keyword, attr in (("minLength", "minlength"), ("maxLength", "maxlength")):
            if isinstance(node.get(keyword), int):
                attrs[attr] = node[keyword]
        pattern = node.get("pattern")
        # HTML anchors a pattern; JSON Schema searches: only an anchored one means the same.
        if isinstance(pattern, str) and kind != "textarea" and _anchored(pattern):
            attrs["pattern"] = pattern
            if _DIGITS_ONLY.fullmatch(pattern):
                attrs["inputmode"] = "numeric"
    return attrs


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _anchored(pattern: str) -> bool:
    return pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith(r"\$")


def _rows(
    made: Field, node: Mapping[str, Any], value: Any, context: _Context, enforced: bool
) -> None:
    items = node.get("items") if isinstance(node.get("items"), Mapping) else {}
    assert isinstance(items, Mapping)
    values = list(value) if isinstance(value, list) else []
    least = _count(node, "minItems", 0)
    most = min(_count(node, "maxItems", MAX_ROWS), MAX_ROWS)
    if made.name in context.rows:
        count = max(context.rows[made.name], len(values))
    else:
        # Without JavaScript: the rows the schema asks for, and one spare (ignored when empty).
        count = max(len(values), least, 1) + 1
    count = max(min(count, most), len(values))  # never hide what was typed
    item_label = str(items.get("title") or made.label)
    for index in range(count):
        row = _build(
            items,
            (*made.path, index),
            values[index] if index < len(values) else None,
            context,
            required=index < least,
            enforced=enforced,
        )
        row.label, row.index = f"{item_label} {index + 1}", index
        made.children.append(row)
    made.can_add = count < most


def _count(node: Mapping[str, Any], keyword: str, default: int) -> int:
    value = node.get(keyword)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def error_summary(
    fields: Iterable[Field], files: Iterable[FileField] = ()
) -> list[tuple[str, str]]:
    """(id to link to, message) of every error shown next to a field, in the page's order:
    the list at the top of the page (GOV.UK's error summary). Far from its field, a message
    names it: "Số điện thoại: bắt buộc", not two links that both read "bắt buộc"."""
    found: list[tuple[str, str]] = []
    for made in fields:
        found += [(made.focus_id, labelled(made.label, message)) for message in made.errors]
        found += error_summary(made.children)
    for file_field in files:
        found += [
            (file_field.focus_id, labelled(file_field.label, message))
            for message in file_field.errors
        ]
    return found


def labelled(label: str, message: str) -> str:
    """The message with its field's label in front, unless it starts with it already (the
    form's messages carry the schema's title; the applicant's and the files' do not)."""
    if not label or message.startswith(label):
        return message
    return f"{label}: {message}"


def unplaced_errors(
    fields: Iterable[Field],
    errors: Iterable[Mapping[str, Any]],
    files: Iterable[FileField] = (),
) -> list[str]:
    """The messages of `errors` that no field shows (a field unknown to the form, the form as
    a whole): the page shows them at the top, so that no refusal goes unexplained."""
    placed = _names(fields) | {f"files.{file_field.name}" for file_field in files}
    return [
        str(e.get("msg"))
        for e in errors
        if ".".join(str(step) for step in e.get("loc") or ()) not in placed
    ]


def _names(fields: Iterable[Field]) -> set[str]:
    names: set[str] = set()
    for made in fields:
        names |= {made.name} | _names(made.children)
    return names


# -- files ------------------------------------------------------------------------------------


def file_fields(
    documents: Iterable[RequiredDocument | Mapping[str, Any]],
    default_max_mb: int,
    errors: Iterable[Mapping[str, Any]] | None = None,
) -> list[FileField]:
    """One file input per document of the procedure; `default_max_mb` is the service's
    MAX_FILE_MB, for a document whose catalogue entry sets no limit of its own. Errors are
    those of `loc` ["files", key] (wrong type, too large, missing)."""
    by_loc = _errors_by_loc(errors or ())
    made = []
    for document in documents:
        doc = RequiredDocument.model_validate(document)
        made.append(
            FileField(
                name=doc.key,
                id=_html_id(f"files.{doc.key}"),
                label=doc.name,
                required=doc.required,
                accept=",".join(_accepted(doc.accepted_types)),
                types_label=type_labels(doc.accepted_types),
                max_mb=doc.max_size_mb or default_max_mb,
                errors=tuple(by_loc.get(("files", doc.key), [])),
                template_url=doc.template_url,
            )
        )
    return made


def _accepted(types: Iterable[DocumentType]) -> list[str]:
    # The extensions too: some phones' pickers filter by name, not by type.
    accepted: list[str] = []
    for kind in types:
        accepted += [kind.value, kind.extension]
        if kind is DocumentType.jpeg:
            accepted.append(".jpeg")
    return accepted


# -- parsing ----------------------------------------------------------------------------------

_MISSING: Any = object()


def parse_submitted(
    schema: Mapping[str, Any] | None, flat: Flat, *, prefix: str = PREFIX
) -> dict[str, Any]:
    """The JSON object the API would receive for the submitted fields `flat` (a field name →
    its value, or its values when sent several times): numbers parsed, a checkbox true when
    sent, empty fields left out, array rows in order with the empty ones dropped. A value that
    does not convert is kept as typed, for the server to refuse it in its own words."""
    if not schema:
        return {}
    value, _ = _parse_object(schema, prefix, flat, required=True)
    return dict(value) if isinstance(value, dict) else {}


def _parse(node: Mapping[str, Any], name: str, flat: Flat, required: bool) -> tuple[Any, bool]:
    """(value or _MISSING, whether anything was entered)."""
    kind = _kind(node)
    if kind == "object":
        return _parse_object(node, name, flat, required)
    if kind == "array":
        return _parse_array(node, name, flat, required)
    raw = _last(flat, name)
    if kind == "checkbox":
        return raw is not None, raw is not None
    if raw is None or raw == "":
        return _MISSING, False
    return _convert(node, kind, raw.replace("\r\n", "\n")), True


def _parse_object(
    node: Mapping[str, Any], name: str, flat: Flat, required: bool
) -> tuple[Any, bool]:
    needed = set(node.get("required") or ())
    value: dict[str, Any] = {}
    entered = False
    for key, sub in (node.get("properties") or {}).items():
        if isinstance(sub, Mapping):
            item, typed = _parse(sub, f"{name}.{key}", flat, key in needed)
            entered = entered or typed
            if item is not _MISSING:
                value[key] = item
    # An optional group left blank is not sent; a required one is, for its fields' messages.
    return (value if entered or required else _MISSING), entered


def _parse_array(
    node: Mapping[str, Any], name: str, flat: Flat, required: bool
) -> tuple[Any, bool]:
    items = node.get("items") if isinstance(node.get("items"), Mapping) else {}
    assert isinstance(items, Mapping)
    rows = []
    for index in _indices(flat, name):
        item, typed = _parse(items, f"{name}.{index}", flat, True)
        if typed and item is not _MISSING:
            rows.append(item)
    return (rows if rows or required else _MISSING), bool(rows)


def _indices(flat: Flat, name: str) -> list[int]:
    start = name + "."
    found = set()
    for key in flat:
        if key.startswith(start):
            step = key[len(start) :].split(".", 1)[0]
            if _INDEX.fullmatch(step):
                found.add(int(step))
    return sorted(found)


def _last(flat: Flat, name: str) -> str | None:
    value = flat.get(name)
    if value is None or isinstance(value, str):
        return value
    return str(value[-1]) if len(value) else None


def _convert(node: Mapping[str, Any], kind: str, raw: str) -> Any:
    choices = _choices(node)
    if choices is not None:
        return next((v for v, _ in choices if _html_value(v) == raw), raw)
    text = raw.strip()
    if kind == "integer" and _INTEGER.fullmatch(text):
        return int(text)
    if kind == "number" and _NUMBER.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return int(text) if _INTEGER.fullmatch(text) else number
    return raw


def row_change(flat: Flat) -> RowChange | None:
    """When an add or remove button sent the form (`_add=<array>`, `_remove=<array>.<i>`),
    the fields to re-render it from; None for a real submission."""
    added, removed = _last(flat, ADD), _last(flat, REMOVE)
    rest = {k: v for k, v in flat.items() if k not in (ADD, REMOVE)}
    if added:
        return RowChange(rest, {added: len(_indices(rest, added)) + 1})
    if removed:
        array, _, index = removed.rpartition(".")
        if not array or not _INDEX.fullmatch(index):
            return RowChange(rest, {})
        rest = {k: v for k, v in rest.items() if k != removed and not k.startswith(removed + ".")}
        return RowChange(rest, {array: len(_indices(rest, array))})
    return None
