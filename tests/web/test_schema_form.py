"""The form generated from a procedure's JSON Schema (app/web/schema_form.py and
app/web/templates/_form_fields.html): every sample form builds, renders labelled controls and
comes back as the JSON it was filled with; a bad value reaches the server as typed, so the page
shows exactly the API's messages next to the fields they name."""

import json
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.errors import InvalidForm
from app.models.catalogue import Procedure
from app.services.dossiers.forms import form_errors
from app.services.dossiers.submission import parse_form
from app.web.schema_form import (
    Field,
    build_fields,
    error_summary,
    file_fields,
    parse_submitted,
    row_change,
    unplaced_errors,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "web" / "templates"
# As the pages' environment is set up: autoescaped, a misspelt variable fails.
ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
PAGE = ENV.from_string(
    '{% import "_form_fields.html" as ff %}<form method="post" enctype="multipart/form-data">'
    '{{ ff.implicit_submit("Nộp hồ sơ") }}{{ ff.form_fields(fields) }}'
    "{% for f in files %}{{ ff.file_input(f) }}{% endfor %}"
    '<button type="submit">Nộp hồ sơ</button></form>'
)

CATALOGUE = json.loads(
    resources.files("app.data").joinpath("sample_catalogue.json").read_text(encoding="utf-8")
)
ONLINE = [p for p in CATALOGUE["procedures"] if p["level"] >= 3]

# Everything the page must handle, beyond what the sample uses.
FAMILY: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "ho_ten": {"title": "Họ, chữ đệm, tên", "type": "string", "minLength": 1},
        "ngay_sinh": {"title": "Ngày sinh", "type": "string", "format": "date"},
        "email": {"title": "Thư điện tử", "type": "string", "format": "email"},
        "dien_thoai": {
            "title": "Số điện thoại",
            "type": "string",
            "pattern": r"^(0|\+84)[0-9]{9}$",
        },
        "so_con": {"title": "Số con", "type": "integer", "minimum": 0, "maximum": 20},
        "thu_nhap": {"title": "Thu nhập (triệu đồng)", "type": "number", "minimum": 0},
        "gioi_tinh": {"title": "Giới tính", "type": "string", "enum": ["Nam", "Nữ"]},
        "dan_toc": {
            "title": "Dân tộc",
            "type": "string",
            "enum": ["Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa"],
        },
        "muc_do": {
            "title": "Mức độ",
            "type": "integer",
            "oneOf": [{"const": 1, "title": "Nhẹ"}, {"const": 2, "title": "Nặng"}],
        },
        "ghi_chu": {
            "title": "Ghi chú",
            "description": "Điều cần cán bộ biết thêm",
            "type": "string",
            "maxLength": 2000,
        },
        "cam_ket": {"title": "Tôi cam đoan lời khai trên là đúng", "type": "boolean"},
        "cha": {
            "title": "Thông tin người cha",
            "type": "object",
            "properties": {
                "ho_ten": {"title": "Họ tên cha", "type": "string", "minLength": 1},
                "con_song": {"title": "Còn sống", "type": "boolean"},
            },
            "required": ["ho_ten"],
            "additionalProperties": False,
        },
        "me": {
            "title": "Thông tin người mẹ",
            "type": "object",
            "properties": {"ho_ten": {"title": "Họ tên mẹ", "type": "string", "minLength": 1}},
            "required": ["ho_ten"],
        },
        "con": {
            "title": "Các con",
            "type": "array",
            "minItems": 1,
            "maxItems": 5,
            "items": {
                "title": "Con",
                "type": "object",
                "properties": {
                    "ho_ten": {"title": "Họ tên con", "type": "string", "minLength": 1},
                    "nam_sinh": {"title": "Năm sinh", "type": "integer", "minimum": 1900},
                },
                "required": ["ho_ten"],
                "additionalProperties": False,
            },
        },
        "ma_nganh": {
            "title": "Mã ngành",
            "type": "array",
            "items": {"title": "Mã", "type": "string", "pattern": "^[0-9]{4}$"},
        },
    },
    "required": ["ho_ten", "ngay_sinh", "so_con", "gioi_tinh", "cam_ket", "cha", "con"],
    "additionalProperties": False,
}

FAMILY_VALUES: dict[str, Any] = {
    "ho_ten": "Nguyễn Thị Ánh",
    "ngay_sinh": "1990-02-28",
    "email": "anh@example.vn",
    "dien_thoai": "+84912345678",
    "so_con": 0,
    "thu_nhap": 12.5,
    "gioi_tinh": "Nữ",
    "dan_toc": "Khmer",
    "muc_do": 2,
    "ghi_chu": 'Dòng một\nDòng hai <b>đậm</b> & "trích"',
    "cam_ket": False,
    "cha": {"ho_ten": "Nguyễn Văn Ba", "con_song": True},
    "con": [{"ho_ten": "Trần An", "nam_sinh": 2015}, {"ho_ten": "Trần Bình"}],
    "ma_nganh": ["0111", "4711"],
}


# -- a browser, as far as a form goes --------------------------------------------------------


class Page(HTMLParser):
    """The elements of a rendered page (tag, attributes, text) and what its form would send."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict[str, Any]] = []
        self.open: list[dict[str, Any]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "attrs": {k: v or "" for k, v in attrs}, "text": ""}
        self.elements.append(element)
        if tag not in ("input", "br"):
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element["text"] += data

    def by_id(self, element_id: str) -> dict[str, Any]:
        found = [e for e in self.elements if e["attrs"].get("id") == element_id]
        assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
        return found[0]

    def controls(self) -> list[dict[str, Any]]:
        return [e for e in self.elements if e["tag"] in ("input", "select", "textarea")]

    def submitted(self) -> dict[str, list[str]]:
        """The fields a browser sends for this form as it stands (no button pressed)."""
        sent: dict[str, list[str]] = {}
        select: dict[str, Any] | None = None
        for e in self.elements:
            a, tag = e["attrs"], e["tag"]
            if tag == "select":
                select = e
                sent.setdefault(a["name"], [])
            elif tag == "option" and select is not None and "selected" in a:
                sent[select["attrs"]["name"]] = [a["value"]]
            elif tag == "textarea":
                # A browser drops the newline right after <textarea> and sends CRLF breaks.
                text = str(e["text"]).removeprefix("\n")
                sent.setdefault(a["name"], []).append(text.replace("\n", "\r\n"))
            elif tag == "input" and a.get("type") not in ("file", "submit"):
                if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                    continue
                sent.setdefault(a["name"], []).append(a.get("value", "on"))
        for values in sent.values():
            if not values:  # a select with nothing chosen sends its first option
                values.append("")
        return sent


def render(fields: list[Field], documents: list[Any] | None = None) -> Page:
    files = file_fields(documents or [], 10)
    return Page(PAGE.render(fields=fields, files=files))


def same_json(a: Any, b: Any) -> bool:
    """Equal as the API receives them: 5 and 5.0, or 1 and True, are not the same JSON."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def walk(fields: list[Field]) -> list[Field]:
    return [f for field in fields for f in (field, *walk(field.children))]


def field_named(fields: list[Field], name: str) -> Field:
    found = [f for f in walk(fields) if f.name == name]
    assert len(found) == 1, name
    return found[0]


# -- a valid answer for any sample form -------------------------------------------------------

PATTERN_EXAMPLES = {
    "^[0-9]{12}$": "001190012345",
    "^[0-9]{10}(-[0-9]{3})?$": "0100109106-001",
    r"^(0|\+84)[0-9]{9}$": "0912345678",
    "^[0-9]{4}$": "0111",
}


def example(node: dict[str, Any]) -> Any:
    if "enum" in node:
        return node["enum"][-1]
    kind = node.get("type")
    if kind == "object":
        return {k: example(v) for k, v in node.get("properties", {}).items()}
    if kind == "array":
        return [example(node["items"]) for _ in range(max(node.get("minItems", 0), 2))]
    if kind == "integer":
        return node.get("maximum", node.get("minimum", 0) + 7)
    if kind == "boolean":
        return True
    if node.get("format") == "date":
        return "2024-02-29"
    if node.get("format") == "phone":
        return "0912 345 678"
    if "pattern" in node:
        return PATTERN_EXAMPLES[node["pattern"]]
    return "Đường Lê Lợi, phường Bến Nghé"[: node.get("maxLength", 100)]


def test_the_sample_has_online_forms_to_test() -> None:
    assert len(ONLINE) > 30
    assert all(p["form_schema"] for p in ONLINE)


@pytest.mark.parametrize("procedure", ONLINE, ids=[p["code"] for p in ONLINE])
def test_every_sample_form_builds_renders_and_comes_back(procedure: dict[str, Any]) -> None:
    schema = procedure["form_schema"]
    values = example(schema)
    assert form_errors(schema, values) == []  # the example is a valid answer
    fields = build_fields(schema, values)
    assert [f.path[0] for f in fields] == list(schema["properties"])
    page = render(fields, procedure["required_documents"])
    assert same_json(parse_submitted(schema, page.submitted()), values)
    # A blank form comes back as "nothing answered", which the server refuses field by field.
    blank = parse_submitted(schema, render(build_fields(schema)).submitted())
    booleans = {k for k, v in schema["properties"].items() if v["type"] == "boolean"}
    arrays = {k for k, v in schema["properties"].items() if v["type"] == "array"}
    assert set(blank) == booleans | (arrays & set(schema["required"]))
    missing = {e["loc"][1] for e in form_errors(schema, blank)}
    assert missing == set(schema["required"]) - booleans


def test_a_nested_form_comes_back_as_it_was_filled() -> None:
    fields = build_fields(FAMILY, FAMILY_VALUES)
    page = render(fields)
    assert same_json(parse_submitted(FAMILY, page.submitted()), FAMILY_VALUES)
    assert form_errors(FAMILY, FAMILY_VALUES) == []


def test_kinds_of_controls() -> None:
    fields = build_fields(FAMILY)
    kinds = {f.name: f.kind for f in walk(fields)}
    assert kinds["form.ho_ten"] == "text"
    assert kinds["form.ngay_sinh"] == "date"
    assert kinds["form.email"] == "email"
    assert kinds["form.dien_thoai"] == "tel"
    assert kinds["form.so_con"] == "integer"
    assert kinds["form.thu_nhap"] == "number"
    assert kinds["form.gioi_tinh"] == "radio"  # two choices
    assert kinds["form.dan_toc"] == "select"  # six
    assert kinds["form.muc_do"] == "radio"
    assert kinds["form.ghi_chu"] == "textarea"  # maxLength 2000
    assert kinds["form.cam_ket"] == "checkbox"
    assert kinds["form.cha"] == "object"
    assert kinds["form.cha.ho_ten"] == "text"
    assert kinds["form.con"] == "array"
    assert kinds["form.con.0"] == "object"
    assert kinds["form.con.0.nam_sinh"] == "integer"
    assert kinds["form.ma_nganh.0"] == "text"
    muc_do = field_named(fields, "form.muc_do")
    assert [(o.value, o.label) for o in muc_do.options] == [("1", "Nhẹ"), ("2", "Nặng")]


def test_html_constraints_mirror_the_schema() -> None:
    fields = build_fields(FAMILY)
    so_con = field_named(fields, "form.so_con")
    assert so_con.attrs == {"required": True, "min": 0, "max": 20, "step": 1}
    assert field_named(fields, "form.thu_nhap").attrs == {"min": 0, "step": "any"}
    assert field_named(fields, "form.ho_ten").attrs == {"required": True, "minlength": 1}
    assert field_named(fields, "form.dien_thoai").attrs["pattern"] == r"^(0|\+84)[0-9]{9}$"
    assert field_named(fields, "form.ma_nganh.0").attrs == {
        "pattern": "^[0-9]{4}$",
        "inputmode": "numeric",  # digits, yet not type=number: leading zeros count
    }
    # A required boolean must be sent, not ticked: an unticked box sends false.
    assert "required" not in field_named(fields, "form.cam_ket").attrs
    # In an optional group or a spare row, a required field blocks only when the group is used.
    assert field_named(fields, "form.me.ho_ten").required
    assert "required" not in field_named(fields, "form.me.ho_ten").attrs
    assert field_named(fields, "form.cha.ho_ten").attrs["required"] is True
    assert field_named(fields, "form.con.0.ho_ten").attrs["required"] is True
    assert "required" not in field_named(fields, "form.con.1.ho_ten").attrs


def test_an_unanchored_pattern_is_left_to_the_server() -> None:
    # HTML anchors a pattern, JSON Schema does not: mirrored, it would refuse what the API takes.
    schema = {"type": "object", "properties": {"ma": {"type": "string", "pattern": "[0-9]{3}"}}}
    assert "pattern" not in build_fields(schema)[0].attrs


def test_arrays_offer_the_rows_the_schema_asks_for_and_one_spare() -> None:
    fields = build_fields(FAMILY)
    con = field_named(fields, "form.con")
    assert [row.name for row in con.children] == ["form.con.0", "form.con.1"]
    assert [row.label for row in con.children] == ["Con 1", "Con 2"]
    assert con.can_add
    filled = build_fields(FAMILY, {"con": [{"ho_ten": str(i)} for i in range(4)]})
    # Four filled rows and one spare reach maxItems 5: no further row is offered.
    assert len(field_named(filled, "form.con").children) == 5
    assert not field_named(filled, "form.con").can_add


def test_empty_rows_and_fields_are_left_out() -> None:
    flat = {
        "form.ho_ten": "An",
        "form.email": "",
        "form.thu_nhap": "",
        "form.dan_toc": "",
        "form.me.ho_ten": "",
        "form.con.0.ho_ten": "",
        "form.con.0.nam_sinh": "",
        "form.con.1.ho_ten": "Bình",
        "form.con.1.nam_sinh": "",
        "form.con.2.ho_ten": "",
        "form.ma_nganh.0": "",
        "form.ma_nganh.1": "",
        "form.cha.ho_ten": "",
        "procedure_code": "1.001193",  # other parts of the page are not the form's
    }
    assert parse_submitted(FAMILY, flat) == {
        "ho_ten": "An",
        "cam_ket": False,
        "cha": {"con_song": False},  # required: sent, for its own field's message
        "con": [{"ho_ten": "Bình"}],
    }


def test_rows_keep_their_order_by_number_not_by_text() -> None:
    flat = {f"form.ma_nganh.{i}": f"{i:04d}" for i in (10, 2, 1)}
    assert parse_submitted(FAMILY, flat)["ma_nganh"] == ["0001", "0002", "0010"]


def test_several_values_for_one_name_take_the_last() -> None:
    assert parse_submitted(FAMILY, {"form.ho_ten": ["A", "B"]})["ho_ten"] == "B"


@pytest.mark.parametrize(
    ("name", "typed", "json_value"),
    [
        ("so_con", "abc", "abc"),
        ("so_con", "2.5", "2.5"),
        ("so_con", "-1", -1),
        ("so_con", "21", 21),
        ("thu_nhap", "mười", "mười"),
        ("thu_nhap", "-0.5", -0.5),
        ("gioi_tinh", "Khác", "Khác"),
        ("muc_do", "3", "3"),
        ("ngay_sinh", "28/02/1990", "28/02/1990"),
        ("email", "anh-at-example", "anh-at-example"),
        ("dien_thoai", "12345", "12345"),
    ],
)
def test_a_bad_value_reaches_the_server_as_typed(name: str, typed: str, json_value: Any) -> None:
    flat = render(build_fields(FAMILY, FAMILY_VALUES)).submitted()
    flat[f"form.{name}"] = [typed]
    parsed = parse_submitted(FAMILY, flat)
    assert same_json(parsed[name], json_value)
    bad_json = {**FAMILY_VALUES, name: json_value}
    through_page = form_errors(FAMILY, parsed)
    assert through_page  # refused …
    assert through_page == form_errors(FAMILY, bad_json)  # … in the API's own words
    assert [e["loc"] for e in through_page] == [["form", name]]


def test_the_page_shows_the_messages_of_the_apis_422() -> None:
    # Only its form_schema matters to parse_form.
    columns: dict[str, Any] = {"code": "1.001193", "form_schema": FAMILY}
    procedure = Procedure(**columns)
    typed = {
        "form.ho_ten": "",
        "form.ngay_sinh": "1990-02-30",
        "form.so_con": "hai",
        "form.gioi_tinh": "Nữ",
        "form.cha.ho_ten": "",
        "form.con.0.ho_ten": "",
        "form.con.1.ho_ten": "Bình",
        "form.con.1.nam_sinh": "1800",
    }
    form = parse_submitted(FAMILY, typed)
    with pytest.raises(InvalidForm) as refused:
        parse_form(procedure, json.dumps(form))  # what POST /api/v1/dossiers does
    details = refused.value.details
    fields = build_fields(FAMILY, form, details)
    by_name = {".".join(map(str, d["loc"])): d["msg"] for d in details}
    assert set(by_name) == {
        "form.ho_ten",
        "form.ngay_sinh",
        "form.so_con",
        "form.cha.ho_ten",
        "form.con.0.nam_sinh",  # the empty first row is gone: Bình is the first child now
    }
    for name, message in by_name.items():
        assert field_named(fields, name).errors == [message]
    assert field_named(fields, "form.con.0.ho_ten").value == "Bình"
    assert field_named(fields, "form.so_con").value == "hai"  # re-filled as typed
    shown = [f for f in walk(fields) if f.errors]
    assert {f.name for f in shown} == set(by_name)
    # In the page's order (the server's is by path): every message, none twice.
    assert sorted(m for _, m in error_summary(fields)) == sorted(d["msg"] for d in details)
    assert unplaced_errors(fields, details) == []

    page = render(fields)
    for name, message in by_name.items():
        control = next(e for e in page.controls() if e["attrs"]["name"] == name)
        assert control["attrs"]["aria-invalid"] == "true"
        described = control["attrs"]["aria-describedby"].split()
        assert any(message in page.by_id(i)["text"] for i in described)
    valid = [e for e in page.controls() if e["attrs"]["name"] == "form.gioi_tinh"]
    assert all("aria-invalid" not in e["attrs"] for e in valid)


def test_errors_on_groups_and_unknown_fields() -> None:
    details = [
        {"loc": ["form", "con"], "msg": "Các con: cần ít nhất 1 mục"},
        {"loc": ["form", "la"], "msg": "trường không có trong biểu mẫu"},
    ]
    fields = build_fields(FAMILY, {}, details)
    assert field_named(fields, "form.con").errors == ["Các con: cần ít nhất 1 mục"]
    assert unplaced_errors(fields, details) == ["trường không có trong biểu mẫu"]
    group = render(fields).by_id("f-form-con")
    assert group["tag"] == "fieldset"
    assert group["attrs"]["aria-describedby"] == "f-form-con-error"


def test_every_control_is_labelled_and_described() -> None:
    page = render(build_fields(FAMILY, FAMILY_VALUES), ONLINE[0]["required_documents"])
    labels = {e["attrs"].get("for"): e for e in page.elements if e["tag"] == "label"}
    controls = page.controls()
    assert len(controls) > 20
    for control in controls:
        assert control["attrs"]["id"] in labels, control
        for described in control["attrs"].get("aria-describedby", "").split():
            page.by_id(described)
    ghi_chu = page.by_id("f-form-ghi_chu")
    assert ghi_chu["tag"] == "textarea"
    assert ghi_chu["attrs"]["aria-describedby"] == "f-form-ghi_chu-hint"
    assert page.by_id("f-form-ghi_chu-hint")["text"] == "Điều cần cán bộ biết thêm"
    assert "aria-invalid" not in ghi_chu["attrs"]


def test_required_marks_are_seen_and_heard() -> None:
    page = render(build_fields(FAMILY))
    label = labels_text(page, "f-form-ho_ten")
    assert label.startswith("Họ, chữ đệm, tên") and label.endswith("* (bắt buộc)")
    assert labels_text(page, "f-form-email") == "Thư điện tử"
    marks = [e for e in page.elements if "required-mark" in e["attrs"].get("class", "")]
    assert marks and all(m["attrs"]["aria-hidden"] == "true" for m in marks)


def labels_text(page: Page, control_id: str) -> str:
    label = next(e for e in page.elements if e["attrs"].get("for") == control_id)
    return re.sub(r"\s+", " ", str(label["text"])).strip()


def test_groups_are_fieldsets_with_legends() -> None:
    page = render(build_fields(FAMILY))
    for group_id, legend in [
        ("f-form-cha", "Thông tin người cha"),
        ("f-form-gioi_tinh", "Giới tính"),
        ("f-form-con", "Các con"),
        ("f-form-con-0", "Con 1"),
    ]:
        group = page.by_id(group_id)
        assert group["tag"] == "fieldset"
        at = page.elements.index(group)
        first = page.elements[at + 1]
        assert first["tag"] == "legend"
        assert first["text"].startswith(legend)
    radios = [e for e in page.controls() if e["attrs"]["name"] == "form.gioi_tinh"]
    assert [r["attrs"]["type"] for r in radios] == ["radio", "radio"]  # required: no "none"
    select = page.by_id("f-form-dan_toc")
    assert select["tag"] == "select"


def test_row_buttons_and_implicit_submission() -> None:
    page = render(build_fields(FAMILY))
    buttons = [e for e in page.elements if e["tag"] == "button"]
    # Enter in a text box presses the first button: never a row's "remove".
    assert "name" not in buttons[0]["attrs"] and buttons[0]["attrs"]["tabindex"] == "-1"
    row_buttons = [
        (b["attrs"]["name"], b["attrs"]["value"]) for b in buttons if "name" in b["attrs"]
    ]
    assert ("_add", "form.con") in row_buttons
    assert ("_remove", "form.con.1") in row_buttons
    assert ("_remove", "form.ma_nganh.0") in row_buttons
    assert all("formnovalidate" in b["attrs"] for b in buttons if "name" in b["attrs"])


def test_adding_and_removing_rows() -> None:
    flat: dict[str, Any] = render(build_fields(FAMILY, FAMILY_VALUES)).submitted()
    assert row_change(flat) is None  # a real submission

    added = row_change({**flat, "_add": ["form.con"]})
    assert added is not None
    assert "_add" not in added.flat
    fields = build_fields(FAMILY, parse_submitted(FAMILY, added.flat), rows=added.rows)
    assert len(field_named(fields, "form.con").children) == 4  # two filled, the spare, one more

    removed = row_change({**flat, "_remove": "form.con.0"})
    assert removed is not None
    values = parse_submitted(FAMILY, removed.flat)
    assert values["con"] == [{"ho_ten": "Trần Bình"}]
    fields = build_fields(FAMILY, values, rows=removed.rows)
    rows = field_named(fields, "form.con").children
    assert [r.value for r in walk(rows) if r.name.endswith("ho_ten")] == ["Trần Bình", ""]

    scalar = row_change({**flat, "_remove": "form.ma_nganh.1"})
    assert scalar is not None
    assert parse_submitted(FAMILY, scalar.flat)["ma_nganh"] == ["0111"]
    # A made-up button value changes nothing and breaks nothing.
    odd = row_change({**flat, "_remove": "form.con.x"})
    assert odd is not None and odd.flat == flat and odd.rows == {}


def test_values_are_escaped() -> None:
    values = {**FAMILY_VALUES, "ho_ten": '"><script>alert(1)</script>'}
    html = PAGE.render(fields=build_fields(FAMILY, values), files=[])
    assert "<script>" not in html
    assert Page(html).by_id("f-form-ho_ten")["attrs"]["value"] == values["ho_ten"]


def test_a_file_input_per_document() -> None:
    documents = next(p for p in ONLINE if p["code"] == "1.009994")["required_documents"]
    errors = [{"loc": ["files", "giay_to_dat"], "msg": "chỉ nhận tệp PDF, JPG, PNG"}]
    files = file_fields(documents, 10, errors)
    assert [f.name for f in files] == [d["key"] for d in documents]
    page = Page(PAGE.render(fields=[], files=files))
    for document, made in zip(documents, files, strict=True):
        control = page.by_id(made.id)
        assert control["attrs"]["type"] == "file"
        assert control["attrs"]["name"] == document["key"]
        assert ("required" in control["attrs"]) == document["required"]
        assert labels_text(page, made.id).startswith(document["name"])
    don = page.by_id("f-files-don_de_nghi")
    assert don["attrs"]["accept"] == (
        "application/pdf,.pdf,"
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document,.docx"
    )
    assert page.by_id("f-files-don_de_nghi-hint")["text"].startswith(
        "Định dạng: PDF, Word (DOCX); dung lượng tối đa 5 MB."
    )
    dat = page.by_id("f-files-giay_to_dat")
    assert dat["attrs"]["accept"] == "application/pdf,.pdf,image/jpeg,.jpg,.jpeg,image/png,.png"
    assert dat["attrs"]["aria-invalid"] == "true"
    assert dat["attrs"]["aria-describedby"] == "f-files-giay_to_dat-hint f-files-giay_to_dat-error"
    hint = page.by_id("f-files-giay_to_dat-hint")["text"]
    assert hint == "Định dạng: PDF, JPG, PNG; dung lượng tối đa 10 MB."  # MAX_FILE_MB
    assert "chỉ nhận tệp PDF, JPG, PNG" in page.by_id("f-files-giay_to_dat-error")["text"]
    assert error_summary([], files) == [
        (
            "f-files-giay_to_dat",
            "Bản sao giấy tờ chứng minh quyền sử dụng đất: chỉ nhận tệp PDF, JPG, PNG",
        )
    ]


def test_no_schema_no_fields() -> None:
    assert build_fields(None) == []
    assert parse_submitted(None, {"form.x": "1"}) == {}
