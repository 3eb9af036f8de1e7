"""Inline SVG charts for the public dashboard, drawn by the server (STYLE.md, Web pages: no
chart library, no CDN; the page stays fast and printable).

Each function returns one `<svg>` as `Markup` for Jinja, every label escaped. The SVG has
`role="img"`, is labelled by its own `<title>` and `<desc>`, and has a `viewBox` and no
width: it takes its container's width and scales down to a 360-px phone. The viewBox is
narrow (400 units) so that 13-unit text stays readable on a phone, where it is drawn near
1:1. Colours are presentation attributes, never `style=` (the pages' Content-Security-Policy
would drop inline styles); each has at least 4.5:1 contrast on white (WCAG 2.1 AA), the grid
lines 3:1 (a graphical object, 1.4.11). Nothing is loaded from anywhere.

Numbers are written the Vietnamese way: `45,3 %`, `1.234`.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 400
FONT = 13
LINE = 16  # a text line's height
TEXT = "#1f2937"  # 14.7:1 on white
AXIS = "#4b5563"  # 7.6:1
GRID = "#8a8a8a"  # 3.4:1: a graphical object needs 3:1
BLUE = "#1d4ed8"  # 6.7:1
GREEN = "#047857"  # 5.5:1
GREY = "#4b5563"
LABEL_CHARS = 48  # characters of a bar's label per line (about 7.2 units each at 13)
LABEL_LINES = 2  # beyond these, the label is cut with "…" (its <title> has all of it)


def percent(ratio: float | None) -> str:
    """A ratio as Vietnamese writes a percentage, one decimal: 0.4531 → `45,3 %`; `—` for
    none (no denominator)."""
    if ratio is None:
        return "—"
    return f"{ratio * 100:.1f}".replace(".", ",") + " %"


def count(n: int) -> str:
    """A count with dots between thousands: 1234 → `1.234`."""
    return f"{n:,}".replace(",", ".")


def decimal(value: float | None, digits: int = 2) -> str:
    """A decimal number the Vietnamese way: 3.25 → `3,25`; `—` for none."""
    if value is None:
        return "—"
    whole, _, fraction = f"{value:,.{digits}f}".partition(".")
    return whole.replace(",", ".") + ("," + fraction if fraction else "")


@dataclass(frozen=True)
class Datum:
    """One point, bar or column: its label, its value (`None`: nothing to draw, e.g. a month
    without dossiers), the value as a person reads it, and its colour."""

    label: str
    value: float | None
    text: str
    colour: str = BLUE


def line_chart(
    data: Sequence[Datum], *, chart_id: str, title: str, desc: str, empty: str = ""
) -> Markup:
    """Ratios (0–1) over periods: a 0–100 % axis, one point per period with a value, the line
    broken where a period has none; `empty` written across the plot when none has one."""
    left, right, top, plot_h = 48, 12, 12, 180
    rotated = len(data) > 6
    height = top + plot_h + (64 if rotated else 28)
    plot_w = WIDTH - left - right
    parts = [_open(chart_id, title, desc, height, "line")]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - tick)
        parts.append(_line(left, y, WIDTH - right, y, AXIS if tick == 0 else GRID, tick != 0))
        parts.append(_text(left - 6, y + 4, f"{int(tick * 100)} %", anchor="end"))
    step = (plot_w / len(data)) if data else plot_w
    xs = [left + step * (i + 0.5) for i in range(len(data))]
    segments: list[list[str]] = [[]]
    for x, datum in zip(xs, data, strict=True):
        if datum.value is None:
            segments.append([])
            continue
        segments[-1].append(f"{x:.1f},{top + plot_h * (1 - _clamp(datum.value)):.1f}")
    for points in segments:
        if len(points) > 1:
            parts.append(
                f'<polyline class="line" points="{" ".join(points)}" fill="none" '
                f'stroke="{BLUE}" stroke-width="2.5"/>'
            )
    every = max(1, math.ceil(len(data) / 12))
    for i, (x, datum) in enumerate(zip(xs, data, strict=True)):
        if datum.value is not None:
            y = top + plot_h * (1 - _clamp(datum.value))
            parts.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{datum.colour}">'
                f"<title>{escape(datum.label)}: {escape(datum.text)}</title></circle>"
            )
        if i % every == 0:
            parts.append(_x_label(x, top + plot_h + 16, datum.label, rotated))
    if empty and all(datum.value is None for datum in data):
        parts.append(_text(left + plot_w / 2, top + plot_h / 2, empty, anchor="middle"))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every label went through escape())


def bar_chart(
    data: Sequence[Datum],
    *,
    chart_id: str,
    title: str,
    desc: str,
    maximum: float,
    empty: str = "",
) -> Markup:
    """Horizontal bars in the order given, each under its label (wrapped, and cut with a
    `<title>` of the whole label when too long), its value written at its end. `maximum` is
    the value of a full-width bar (1 for ratios); `empty` is written when there is no bar."""
    value_room = 72
    bar_w = WIDTH - value_room
    rows: list[str] = []
    y = 4.0
    for datum in data:
        lines = wrap(datum.label, LABEL_CHARS, LABEL_LINES)
        row = [f'<g class="row"><title>{escape(datum.label)}: {escape(datum.text)}</title>']
        for line in lines:
            y += LINE
            row.append(_text(0, y - 3, line))
        bar_y = y + 3
        end = 0.0
        if datum.value is not None:
            end = bar_w * _clamp(datum.value / maximum if maximum else 0)
            row.append(
                f'<rect class="bar" x="0" y="{bar_y:.1f}" width="{end:.1f}" height="16" '
                f'fill="{datum.colour}"/>'
            )
        row.append(_text(end + 6, bar_y + 13, datum.text, weight="bold"))
        row.append("</g>")
        rows.append("".join(row))
        y = bar_y + 16 + 10
    if not data and empty:
        rows.append(_text(0, y + LINE, empty))
        y += LINE + 10
    height = max(math.ceil(y), 24)
    svg = _open(chart_id, title, desc, height, "bars") + "".join(rows) + "</svg>"
    return Markup(svg)  # noqa: S704  (every label went through escape())


def column_chart(
    data: Sequence[Datum],
    *,
    chart_id: str,
    title: str,
    desc: str,
    legend: Sequence[tuple[str, str]] = (),
) -> Markup:
    """Vertical columns from a zero baseline, each with its value above it and its label
    below; `legend` is (colour, meaning) pairs drawn under the labels."""
    left, top, plot_h = 8, 24, 150
    band = (WIDTH - 2 * left) / max(len(data), 1)
    chars = max(4, int(band / 7.2))
    label_lines = max((len(wrap(d.label, chars, 2)) for d in data), default=1)
    base = top + plot_h
    height = base + 8 + label_lines * LINE + len(legend) * (LINE + 4) + 8
    biggest = max((d.value or 0 for d in data), default=0) or 1
    parts = [_open(chart_id, title, desc, int(height), "columns")]
    parts.append(_line(left, base, WIDTH - left, base, AXIS))
    for i, datum in enumerate(data):
        x = left + band * i
        centre = x + band / 2
        column_h = plot_h * (datum.value or 0) / biggest
        parts.append(
            f'<g class="column"><title>{escape(datum.label)}: {escape(datum.text)}</title>'
        )
        if datum.value is not None:
            parts.append(
                f'<rect class="bar" x="{x + band * 0.2:.1f}" y="{base - column_h:.1f}" '
                f'width="{band * 0.6:.1f}" height="{column_h:.1f}" fill="{datum.colour}"/>'
            )
        parts.append(_text(centre, base - column_h - 6, datum.text, anchor="middle", weight="bold"))
        for n, line in enumerate(wrap(datum.label, chars, 2)):
            parts.append(_text(centre, base + 8 + LINE * (n + 1) - 3, line, anchor="middle"))
        parts.append("</g>")
    y = base + 8 + label_lines * LINE + 8
    for colour, meaning in legend:
        parts.append(
            f'<rect class="swatch" x="{left}" y="{y:.1f}" width="12" height="12" fill="{colour}"/>'
        )
        parts.append(_text(left + 18, y + 11, meaning))
        y += LINE + 4
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every label went through escape())


def wrap(label: str, width: int, lines: int) -> list[str]:
    """`label` in at most `lines` lines of about `width` characters, broken between words (a
    word longer than a line is cut); what does not fit ends the last line with "…"."""
    words = label.split()
    out: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:  # a word longer than a line: cut it
            if current:
                out.append(current)
                current = ""
            out.append(word[:width])
            word = word[width:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
        else:
            out.append(current)
            current = word
    if current or not out:
        out.append(current)
    if len(out) <= lines:
        return out
    last = out[lines - 1]
    return [*out[: lines - 1], (last[: width - 1].rstrip() if len(last) >= width else last) + "…"]


def _open(chart_id: str, title: str, desc: str, height: int, kind: str) -> str:
    ident = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" fill="{TEXT}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
    )


def _text(x: float, y: float, content: str, *, anchor: str = "start", weight: str = "") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{TEXT}"{bold}>'
        f"{escape(content)}</text>"
    )


def _x_label(x: float, y: float, content: str, rotated: bool) -> str:
    if not rotated:
        return _text(x, y, content, anchor="middle")
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="end" fill="{TEXT}" '
        f'transform="rotate(-45 {x:.1f} {y:.1f})">{escape(content)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="3 3"' if dashed else ""
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"{dash}/>'
    )


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
