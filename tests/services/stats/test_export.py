"""CSV and XLSX exports keep text as text: nothing a spreadsheet would run as a formula."""

import csv
import io

from openpyxl import load_workbook

from app.services.stats.export import to_csv, to_xlsx

HOSTILE = ['=HYPERLINK("http://x","bấm")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_csv_text_that_starts_a_formula_is_quoted_and_numbers_are_not() -> None:
    rows = [[name, -5, 0.25] for name in HOSTILE] + [["Sở Tư pháp", 3, None]]
    text = to_csv(["label", "total", "online_ratio"], rows).decode("utf-8-sig")
    read = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [row[0] for row in read] == ["'" + name for name in HOSTILE] + ["Sở Tư pháp"]
    assert [row[1:] for row in read] == [["-5", "0.25"]] * len(HOSTILE) + [["3", ""]]


def test_xlsx_text_that_starts_a_formula_stays_text_exactly() -> None:
    rows = [[name, -5] for name in HOSTILE]
    sheet = load_workbook(io.BytesIO(to_xlsx(["label", "total"], rows, "t"))).active
    assert sheet is not None
    labels = [row[0] for row in sheet.iter_rows(min_row=2)]
    # (XML reads a lone CR back as LF.)
    assert [cell.value for cell in labels] == [n.replace("\r", "\n") for n in HOSTILE]
    assert {cell.data_type for cell in labels} == {"s"}
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [-5] * len(HOSTILE)
