"""Statistics as CSV (UTF-8 with a BOM, so Excel shows Vietnamese) and XLSX (openpyxl), with
the same numbers as the JSON and Vietnamese headers. A table is its column keys (translated
through HEADERS) and its rows; a row whose first cell is a ratio's key (the catalogue's table of
key, label, value) gets the ratio's number format in XLSX."""

import csv
import io
from typing import Any

from openpyxl import Workbook

from app.models.dossier import STATUS_LABELS

HEADERS: dict[str, str] = {
    "key": "Mã nhóm",
    "label": "Nhóm",
    "online": "Trực tuyến",
    "counter": "Trực tiếp",
    "postal": "Bưu chính",
    "total": "Tổng số",
    "online_ratio": "Tỷ lệ trực tuyến",
    "counter_ratio": "Tỷ lệ trực tiếp",
    "postal_ratio": "Tỷ lệ bưu chính",
    "submitted": "Nộp trực tuyến",
    "refused_at_intake": "Từ chối tiếp nhận",
    "carried_over": "Kỳ trước chuyển qua",
    "received": "Tiếp nhận",
    "to_process": "Phải giải quyết",
    "finished": "Đã giải quyết",
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "processed": "Đã xử lý xong",
    "in_progress": "Đang giải quyết",
    "overdue_in_progress": "Đang giải quyết quá hạn",
    "on_time_ratio": "Tỷ lệ đúng hạn",
    "avg_processing_days": "Thời gian giải quyết trung bình (ngày, quy đổi)",
    "processed_working_days": "Đã xử lý xong (thủ tục tính theo ngày làm việc)",
    "avg_working_days": "Thời gian trung bình (ngày làm việc)",
    "processed_working_hours": "Đã xử lý xong (thủ tục tính theo giờ làm việc)",
    "avg_working_hours": "Thời gian trung bình (giờ làm việc)",
    "processed_calendar_days": "Đã xử lý xong (thủ tục tính theo ngày)",
    "avg_calendar_days": "Thời gian trung bình (ngày)",
    "processed_months": "Đã xử lý xong (thủ tục tính theo tháng)",
    "avg_months": "Thời gian trung bình (tháng)",
    "value": "Giá trị",
    "code": "Mã chỉ số",
    "name": "Chỉ số",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "threshold": "Ngưỡng đạt điểm tối đa",
    "max_points": "Điểm tối đa",
    "points": "Điểm đạt",
    "formula": "Công thức",
    "basis": "Căn cứ",
    "note": "Ghi chú",
    **{status.value: label for status, label in STATUS_LABELS.items()},
}
RATIO_COLUMNS = {
    "online_ratio",
    "counter_ratio",
    "postal_ratio",
    "on_time_ratio",
    "online_service_share",
}


# A text cell that begins with one of these is read as a formula by spreadsheet programs
# (OWASP, "CSV Injection"). Names come from the catalogue, which admins import: a procedure
# named "=HYPERLINK(...)" must reach a dashboard's spreadsheet as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """CSV: text that a spreadsheet would run as a formula, behind a leading apostrophe (the
    OWASP advice); numbers and other text as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(columns: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([HEADERS.get(c, c) for c in columns])
    for row in rows:
        writer.writerow(["" if v is None else neutralised(v) for v in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def to_xlsx(columns: list[str], rows: list[list[Any]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([HEADERS.get(c, c) for c in columns])
    for row in rows:
        sheet.append(row)
    for row_cells in sheet.iter_rows(min_row=2):
        ratio_row = row_cells[0].value in RATIO_COLUMNS
        for name, cell in zip(columns, row_cells, strict=True):
            if cell.data_type == "f":
                # openpyxl stores text that begins with "=" as a formula: keep it text, exactly
                # as written (in a workbook only "=" starts a formula; "+", "-", "@" do when
                # typed, not when stored as text).
                cell.data_type = "s"
            if name in RATIO_COLUMNS or (ratio_row and name == "value"):
                cell.number_format = "0.00%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
