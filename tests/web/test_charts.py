"""The dashboard's inline SVG charts (app/web/charts.py): well-formed, accessible, escaped,
one mark per number, readable colours, and numbers written the Vietnamese way."""

import re
from xml.etree import ElementTree as ET

import pytest
from markupsafe import Markup

from app.web import charts
from app.web.charts import Datum

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & Co'
LONG_NAME = (
    "Ủy ban nhân dân xã Nậm Ty, huyện Hoàng Su Phì, tỉnh Hà Giang — Bộ phận tiếp nhận và trả "
    "kết quả giải quyết thủ tục hành chính một cửa liên thông"
)


def months(values: list[float | None]) -> list[Datum]:
    return [
        Datum(f"{m:02d}/2026", value, charts.percent(value))
        for m, value in enumerate(values, start=1)
    ]


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))


def find(root: ET.Element, tag: str, cls: str | None = None) -> list[ET.Element]:
    found = root.iter(SVG + tag)
    return [e for e in found if cls is None or cls in (e.get("class") or "").split()]


def all_charts() -> list[Markup]:
    data = [Datum("Một", 0.5, "50,0 %"), Datum("Hai", None, "—"), Datum("Ba", 1, "100,0 %")]
    return [
        charts.line_chart(data, chart_id="c-line", title="Đường", desc="Mô tả"),
        charts.bar_chart(data, chart_id="c-bars", title="Thanh", desc="Mô tả", maximum=1),
        charts.column_chart(
            data, chart_id="c-cols", title="Cột", desc="Mô tả", legend=[(charts.GREEN, "Xanh")]
        ),
    ]


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(0.4531, "45,3 %"), (1.0, "100,0 %"), (0.0, "0,0 %"), (0.00049, "0,0 %"), (None, "—")],
)
def test_percentages_are_written_the_vietnamese_way(ratio: float | None, text: str) -> None:
    assert charts.percent(ratio) == text


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0"), (999, "999"), (1234, "1.234"), (1234567, "1.234.567")]
)
def test_counts_have_dots_between_thousands(n: int, text: str) -> None:
    assert charts.count(n) == text


def test_decimals_have_a_comma() -> None:
    assert charts.decimal(3.25) == "3,25"
    assert charts.decimal(1234.5) == "1.234,50"
    assert charts.decimal(None) == "—"


@pytest.mark.parametrize("index", [0, 1, 2])
def test_every_chart_is_an_accessible_scalable_image(index: int) -> None:
    markup = all_charts()[index]
    assert isinstance(markup, Markup)
    root = parse(markup)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("width") is None and root.get("height") is None  # scales to its box
    assert re.fullmatch(r"0 0 400 \d+", root.get("viewBox") or "")
    first, second = root[0], root[1]
    assert (first.tag, second.tag) == (SVG + "title", SVG + "desc")
    assert (root.get("aria-labelledby") or "").split() == [first.get("id"), second.get("id")]
    assert first.text and second.text == "Mô tả"
    text = str(markup)
    # Nothing loaded from anywhere, nothing a Content-Security-Policy would drop.
    assert "href" not in text and "url(" not in text and "style=" not in text
    assert "<script" not in text and "<image" not in text


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_on_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


def test_colours_have_aa_contrast_on_white() -> None:
    """Text 4.5:1 (WCAG 1.4.3); every other mark, a grid line included, 3:1 (1.4.11)."""
    for markup in all_charts():
        root = parse(markup)
        for element in root.iter():
            for attribute in ("fill", "stroke"):
                colour = element.get(attribute)
                if colour is None or colour == "none":
                    continue
                assert re.fullmatch(r"#[0-9a-f]{6}", colour), colour
                need = 4.5 if element.tag in (SVG + "text", SVG + "svg") else 3.0
                assert contrast_on_white(colour) >= need, (element.tag, colour)


def test_a_line_has_one_point_per_month_with_a_value_and_breaks_at_gaps() -> None:
    values: list[float | None] = [0.1, 0.2, None, 0.4, 0.5, 0.6, None, None, 0.9, 1.0, 0.0, 0.3]
    root = parse(charts.line_chart(months(values), chart_id="m", title="T", desc="D"))
    points = find(root, "circle", "point")
    assert len(points) == 9
    assert [p.findtext(SVG + "title") for p in points][:2] == ["01/2026: 10,0 %", "02/2026: 20,0 %"]
    lines = find(root, "polyline", "line")
    assert [len((p.get("points") or "").split()) for p in lines] == [2, 3, 4]
    labels = [t.text for t in find(root, "text")]
    assert [f"{m:02d}/2026" for m in range(1, 13)] == [t for t in labels if t and "/" in t]
    assert {"0 %", "50 %", "100 %"} <= set(labels)
    # 0 % sits on the axis, 100 % at its top: the y of 0.0 is below that of 1.0.
    by_label = {p.findtext(SVG + "title"): float(p.get("cy") or 0) for p in points}
    assert by_label["11/2026: 0,0 %"] > by_label["10/2026: 100,0 %"]


def test_a_month_without_dossiers_draws_nothing_for_it() -> None:
    root = parse(charts.line_chart(months([None, None]), chart_id="m", title="T", desc="D"))
    assert find(root, "circle") == [] and find(root, "polyline") == []


def test_bars_one_per_value_in_the_order_given_and_scaled() -> None:
    data = [Datum("A", 30, "30"), Datum("B", 15, "15"), Datum("C", 0, "0"), Datum("D", None, "—")]
    root = parse(charts.bar_chart(data, chart_id="s", title="T", desc="D", maximum=30))
    bars = find(root, "rect", "bar")
    assert len(bars) == 3
    widths = [float(b.get("width") or 0) for b in bars]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0
    rows = find(root, "g", "row")
    assert [r.findtext(SVG + "title") for r in rows] == ["A: 30", "B: 15", "C: 0", "D: —"]


def test_a_long_name_is_cut_and_given_whole_in_its_title() -> None:
    data = [Datum(LONG_NAME, 0.5, "50,0 %")]
    root = parse(charts.bar_chart(data, chart_id="a", title="T", desc="D", maximum=1))
    (row,) = find(root, "g", "row")
    assert row.findtext(SVG + "title") == f"{LONG_NAME}: 50,0 %"
    lines = [t.text or "" for t in row.iter(SVG + "text")][:-1]  # the last is the value
    assert len(lines) == charts.LABEL_LINES
    assert all(len(line) <= charts.LABEL_CHARS for line in lines)
    assert lines[-1].endswith("…")
    assert LONG_NAME.startswith(lines[0])


@pytest.mark.parametrize(
    ("label", "width", "lines", "wrapped"),
    [
        ("Mức độ 3", 12, 2, ["Mức độ 3"]),
        ("một hai ba bốn", 7, 2, ["một hai", "ba bốn"]),
        ("một hai ba bốn năm", 7, 2, ["một hai", "ba bốn…"]),
        ("abcdefghij", 4, 3, ["abcd", "efgh", "ij"]),
        ("", 10, 2, [""]),
    ],
)
def test_wrap(label: str, width: int, lines: int, wrapped: list[str]) -> None:
    assert charts.wrap(label, width, lines) == wrapped


def test_labels_and_titles_are_escaped() -> None:
    data = [Datum(HOSTILE, 0.5, "50,0 %")]
    made = [
        charts.line_chart(data, chart_id="x", title=HOSTILE, desc=HOSTILE),
        charts.bar_chart(data, chart_id="y", title=HOSTILE, desc=HOSTILE, maximum=1),
        charts.column_chart(data, chart_id="z", title=HOSTILE, desc=HOSTILE),
    ]
    for markup in made:
        assert "<script>" not in str(markup)
        root = parse(markup)  # escaped, so still well-formed
        assert root.findtext(SVG + "title") == HOSTILE
        texts = [t.text for t in root.iter(SVG + "text")]
        assert HOSTILE in texts


def test_columns_from_zero_with_their_values_and_legend() -> None:
    data = [Datum(f"Mức độ {n}", n * 10, charts.count(n * 10)) for n in (1, 2, 3, 4)]
    root = parse(
        charts.column_chart(
            data, chart_id="k", title="T", desc="D", legend=[(charts.BLUE, "Trực tuyến")]
        )
    )
    bars = find(root, "rect", "bar")
    assert len(bars) == 4
    heights = [float(b.get("height") or 0) for b in bars]
    assert heights[3] == pytest.approx(4 * heights[0])
    bottoms = {round(float(b.get("y") or 0) + float(b.get("height") or 0), 1) for b in bars}
    assert len(bottoms) == 1  # one baseline
    texts = [t.text for t in root.iter(SVG + "text")]
    assert [t for t in texts if t and t.isdigit()] == ["10", "20", "30", "40"]
    assert len(find(root, "rect", "swatch")) == 1 and "Trực tuyến" in texts


def test_a_chart_without_numbers_says_so_instead_of_drawing_nothing() -> None:
    empty = "Không có hồ sơ trong kỳ."
    bars = parse(charts.bar_chart([], chart_id="b", title="T", desc="D", maximum=1, empty=empty))
    assert [t.text for t in find(bars, "text")] == [empty]
    assert int(str(bars.get("viewBox")).split()[-1]) >= 4 + 16 + 10
    line = parse(
        charts.line_chart(months([None, None]), chart_id="l", title="T", desc="D", empty=empty)
    )
    assert empty in [t.text for t in find(line, "text")] and not find(line, "circle")
    drawn = parse(charts.line_chart(months([0.5]), chart_id="l", title="T", desc="D", empty=empty))
    assert empty not in [t.text for t in find(drawn, "text")]
