"""Statistics as CSV (UTF-8 with a BOM, so Excel shows Vietnamese) and XLSX (openpyxl), with
the same numbers as the JSON and Vietnamese headers."""

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
    "received": "Tiếp nhận",
    "finished": "Đã giải quyết",
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "in_progress": "Đang giải quyết",
    "overdue_in_progress": "Đang giải quyết quá hạn",
    "on_time_ratio": "Tỷ lệ đúng hạn",
    "avg_processing_days": "Thời gian giải quyết trung bình (ngày làm việc)",
    **{status.value: label for status, label in STATUS_LABELS.items()},
}
RATIO_COLUMNS = {"online_ratio", "on_time_ratio"}


def _table(body: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = [*body["rows"], body["total"]]
    columns = list(rows[0].keys())
    return columns, [[row[c] for c in columns] for row in rows]


def to_csv(body: dict[str, Any]) -> bytes:
    columns, rows = _table(body)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([HEADERS.get(c, c) for c in columns])
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def to_xlsx(body: dict[str, Any], title: str) -> bytes:
    columns, rows = _table(body)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([HEADERS.get(c, c) for c in columns])
    for row in rows:
        sheet.append(row)
    for index, name in enumerate(columns, start=1):
        if name in RATIO_COLUMNS:
            for cell in sheet.iter_cols(min_col=index, max_col=index, min_row=2):
                for item in cell:
                    item.number_format = "0.00%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
