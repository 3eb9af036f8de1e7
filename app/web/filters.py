"""Jinja filters for what citizens read: Vietnam dates and times, amounts in đồng.

Times are stored and served in UTC (docs/API.md, Conventions); a person reads them in Vietnam
time (Asia/Ho_Chi_Minh), day first: `03/11/2025`, `17:00`. Amounts use the dot as the
thousands separator and the đồng sign after a space: `1.000.000 ₫`.
"""

from datetime import UTC, date, datetime

from app.models.types import VN_TZ


def in_vietnam(moment: datetime) -> datetime:
    """The moment in Vietnam time; a naive moment is taken as UTC, as the database keeps it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VN_TZ)


def vn_date(value: datetime | date | None) -> str:
    """`dd/mm/yyyy`: a moment's Vietnam date, or a day as it is; empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = in_vietnam(value).date()
    return value.strftime("%d/%m/%Y")


def vn_time(value: datetime | None) -> str:
    """`HH:MM` in Vietnam time, 24-hour."""
    return "" if value is None else in_vietnam(value).strftime("%H:%M")


def vn_datetime(value: datetime | None) -> str:
    """`HH:MM dd/mm/yyyy` in Vietnam time, as receipts write an appointment."""
    return "" if value is None else f"{vn_time(value)} {vn_date(value)}"


def vn_long_date(value: datetime | date | None) -> str:
    """`04 tháng 12 năm 2026`: a date as an official form writes it after "ngày"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = in_vietnam(value).date()
    return f"{value:%d} tháng {value:%m} năm {value:%Y}"


def vn_long_datetime(value: datetime | None) -> str:
    """`09 giờ 30 phút, ngày 04 tháng 12 năm 2026` in Vietnam time, as mẫu số 01 of Circular
    01/2018/TT-VPCP writes the receipt's times."""
    if value is None:
        return ""
    local = in_vietnam(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {vn_long_date(local)}"


def vn_number(value: float) -> str:
    """`1.000.000`, `0,5`: the Vietnamese way (the dot groups thousands, the comma decimals)."""
    whole = int(value)
    text = f"{whole:,}".replace(",", ".")
    if value != whole:
        text += "," + f"{value:.2f}".split(".")[1].rstrip("0")
    return text


def vnd(amount: int | None) -> str:
    """`1.000.000 ₫`; empty for nothing."""
    return "" if amount is None else f"{vn_number(amount)} ₫"


def iso(value: datetime | None) -> str:
    """ISO 8601 in UTC, for `<time datetime>` and the automation hooks."""
    if value is None:
        return ""
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


FILTERS = {
    "vn_date": vn_date,
    "vn_time": vn_time,
    "vn_datetime": vn_datetime,
    "vn_long_date": vn_long_date,
    "vn_long_datetime": vn_long_datetime,
    "vn_number": vn_number,
    "vnd": vnd,
    "iso": iso,
}
