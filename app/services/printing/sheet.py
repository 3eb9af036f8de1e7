"""One printed form on A4 (fpdf2), in the bundled DejaVu Sans: the parts every one-stop form
shares, so that each form in `forms.py` is only its own items.

- The national heading beside the agency's, as Decree 30/2020/NĐ-CP lays out administrative
  documents and the forms of Circular 01/2018/TT-VPCP print it: the agency (upper case) and
  its one-stop desk on the left, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh
  phúc" on the right, each underlined, the date under the national heading.
- Text: every string is made printable first (`printable`): NFC, so that a name typed with
  combining marks draws the precomposed Vietnamese letters the font has; control and format
  characters dropped (a right-to-left override would otherwise be invisible but reorder
  nothing, and a NUL has no glyph); a character the font has no glyph for becomes U+FFFD, a
  visible mark, instead of vanishing from the paper without a trace. Nothing is markup here,
  so `<`, `>` and `&` print as they are.
- The QR code is drawn as vector squares from segno's matrix: no image library, sharp at any
  print resolution.

The circular's forms are laid out for A5 (148 × 210 mm; the register A4), as the summaries of
its annex say; the system prints A4, the paper one-stop desks and home printers hold, with the
form's items in the same order.
"""

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace, TTFFont

import app.data

FONTS = Path(app.data.__file__).parent / "fonts"
FONT = "dejavu"
SIZE = 11.0
LINE = 5.6  # mm, for SIZE
HEADING_SIZE = 10.0  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in bold is 81 mm at this size
LEFT_COLUMN = 80.0  # mm: the agency's heading; the national heading takes the rest (95 mm)
SIGNATURE_SPACE = 22.0  # mm left blank for a handwritten signature
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ONE_STOP_DESK = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
SIGN_HINT = "(Ký và ghi rõ họ tên)"
NOT_DRAWABLE = "\ufffd"
# Unicode categories never printed: controls, format characters (bidirectional overrides,
# zero-width joiners), surrogates, private use, unassigned.
DROPPED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


class Sheet(FPDF):
    """An A4 page in the bundled font, with the forms' shared blocks."""

    def __init__(self, title: str, now: datetime) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(left=20, top=15, right=15)
        self.set_auto_page_break(auto=True, margin=15)
        self.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
        # DejaVu Sans Bold lacks the emoticons the regular face has: take them from it.
        self.set_fallback_fonts([FONT], exact_match=False)
        regular = self.fonts[FONT]
        assert isinstance(regular, TTFFont)
        self._glyphs = frozenset(regular.cmap)
        self.set_title(self.printable(title))
        self.set_lang("vi-VN")
        self.set_creator("DVC Gateway")
        self.set_creation_date(now)
        self.add_page()
        self.set_font(FONT, "", SIZE)

    # -- text ------------------------------------------------------------------------------

    def printable(self, text: str, lines: bool = False) -> str:
        """`text` as the font can draw it (see the module's docstring); newlines kept only
        where `lines` (a reason, a note), else spaces."""
        out = []
        for char in unicodedata.normalize("NFC", text):
            if char in "\r\n\t\u2028\u2029":
                out.append("\n" if lines and char in "\n\u2028\u2029" else " ")
            elif unicodedata.category(char) in DROPPED:
                continue
            elif ord(char) not in self._glyphs and not unicodedata.combining(char):
                out.append(NOT_DRAWABLE)
            else:
                out.append(char)
        return "".join(out).replace("\r", "")

    def para(
        self, text: str, bold: bool = False, align: str = "L", size: float = SIZE, **kw: Any
    ) -> None:
        """A paragraph across the page, wrapped; the cursor moves to the next line."""
        self.set_font(FONT, "B" if bold else "", size)
        self.set_x(self.l_margin)
        self.multi_cell(
            0,
            LINE * size / SIZE,
            self.printable(text, lines=True),
            align=align,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            **kw,
        )
        self.set_font(FONT, "", SIZE)

    def field(self, label: str, value: str, bold: bool = False) -> None:
        """`Label: value`, wrapped; the value bold where the form stresses it (a name)."""
        self.set_x(self.l_margin)
        self.set_font(FONT, "", SIZE)
        self.write(LINE, f"{self.printable(label)}: ")
        self.set_font(FONT, "B" if bold else "", SIZE)
        self.write(LINE, self.printable(value))
        self.set_font(FONT, "", SIZE)
        self.ln(LINE)

    def gap(self, mm: float = 2.0) -> None:
        self.ln(mm)

    # -- blocks ----------------------------------------------------------------------------

    def heading(self, agency: str, day: str) -> None:
        """The agency and its desk (left) beside the national heading and the date (right)."""
        top = self.get_y()
        self._centred(self.l_margin, LEFT_COLUMN, [(agency.upper(), False), (ONE_STOP_DESK, True)])
        left_bottom = self.get_y()
        right = self.l_margin + LEFT_COLUMN
        width = self.w - self.r_margin - right
        self.set_y(top)
        self._centred(right, width, [(NATIONAL, True), (MOTTO, True)])
        self.set_xy(right, self.get_y() + 2)
        self.set_font(FONT, "", HEADING_SIZE)
        self.cell(width, LINE, self.printable(day), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(max(left_bottom, self.get_y()) + 5)
        self.set_font(FONT, "", SIZE)

    def _centred(self, x: float, width: float, lines: Sequence[tuple[str, bool]]) -> None:
        """Centred lines in a column, a short rule under the last one."""
        size = HEADING_SIZE
        last_width = 0.0
        for text, bold in lines:
            self.set_xy(x, self.get_y())
            self.set_font(FONT, "B" if bold else "", size)
            shown = self.printable(text)
            self.multi_cell(width, LINE, shown, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            last_width = min(self.get_string_width(shown), width)
        middle = x + width / 2
        rule = max(20.0, last_width * 0.6)
        self.line(middle - rule / 2, self.get_y() + 0.5, middle + rule / 2, self.get_y() + 0.5)
        self.set_y(self.get_y() + 1)

    def form_title(self, title: str, code: str | None = None) -> None:
        self.gap(2)
        self.para(title.upper(), bold=True, align="C", size=SIZE + 2)
        if code is not None:
            self.para(f"Mã hồ sơ: {code}", bold=True, align="C")
        self.gap(3)

    def grid(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        centred: Sequence[int] = (),
    ) -> None:
        """A bordered table across the page; headings bold and repeated on a new page."""
        self.set_font(FONT, "", SIZE - 1)
        with self.table(
            col_widths=tuple(widths),
            line_height=LINE * 0.95,
            text_align="LEFT",
            headings_style=FontFace(emphasis="BOLD"),
            padding=1,
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for text in headings:
                heading.cell(self.printable(text), align="C")
            for values in rows:
                row = table.row()
                for index, text in enumerate(values):
                    row.cell(
                        self.printable(text, lines=True), align="C" if index in centred else "L"
                    )
        self.set_font(FONT, "", SIZE)
        self.gap(2)

    def signatures(self, *blocks: tuple[str, str]) -> None:
        """Signature blocks side by side: each a title, the hint, room to sign, the name."""
        needed = 4 * LINE + SIGNATURE_SPACE
        if self.get_y() + needed > self.h - self.b_margin:
            self.add_page()
        self.gap(4)
        top = self.get_y()
        usable = self.w - self.l_margin - self.r_margin
        width = usable / 2
        for index, (title, name) in enumerate(blocks):
            # One block stands on the right, where a signature is looked for.
            x = self.l_margin + width * (index + (2 - len(blocks)))
            self.set_xy(x, top)
            self.set_font(FONT, "B", SIZE)
            self.multi_cell(width, LINE, self.printable(title.upper()), align="C")
            self.set_x(x)
            self.set_font(FONT, "", SIZE - 1)
            self.multi_cell(width, LINE, SIGN_HINT, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_xy(x, self.get_y() + SIGNATURE_SPACE)
            self.set_font(FONT, "B", SIZE)
            self.multi_cell(width, LINE, self.printable(name), align="C")
        self.set_font(FONT, "", SIZE)

    def qr(self, url: str, caption: str, size: float = 32.0) -> None:
        """The QR code of `url`, drawn as squares, `size` mm wide, with its caption and the
        address beside it; the square links to `url` for a reader on screen."""
        code = segno.make(url, error="m")
        matrix = code.matrix
        module = size / len(matrix)
        if self.get_y() + size > self.h - self.b_margin:
            self.add_page()
        x0, y0 = self.l_margin, self.get_y()
        self.set_fill_color(0, 0, 0)
        for row_index, row in enumerate(matrix):
            start = None
            for col_index, dark in enumerate([*row, 0]):
                if dark and start is None:
                    start = col_index
                elif not dark and start is not None:
                    # One rectangle per run of dark modules in a row: fewer operators.
                    width = (col_index - start) * module
                    self.rect(x0 + start * module, y0 + row_index * module, width, module, "F")
                    start = None
        self.link(x0, y0, size, size, url)
        self.set_xy(x0 + size + 4, y0 + size / 2 - LINE)
        text_width = self.w - self.r_margin - self.get_x()
        self.set_font(FONT, "B", SIZE - 1)
        self.multi_cell(text_width, LINE, self.printable(caption), new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FONT, "", SIZE - 1)
        self.multi_cell(text_width, LINE, self.printable(url), new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_xy(self.l_margin, y0 + size + 2)
        self.set_font(FONT, "", SIZE)

    def bytes(self) -> bytes:
        return bytes(self.output())
