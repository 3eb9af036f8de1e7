"""The fields (lĩnh vực) of the sample's procedures."""

from typing import Any

FIELDS = {
    "DKKD": "Thành lập và hoạt động doanh nghiệp",
    "DTVN": "Đầu tư tại Việt Nam",
    "HKD": "Thành lập và hoạt động của hộ kinh doanh",
    "HDXD": "Hoạt động xây dựng",
    "KCB": "Khám bệnh, chữa bệnh",
    "DUOC": "Dược phẩm",
    "LD": "Lao động, tiền lương",
    "VL": "Việc làm",
    "GPLX": "Cấp, quản lý giấy phép lái xe",
    "CC": "Cấp, quản lý căn cước",
    "KNTC": "Giải quyết khiếu nại, tố cáo",
    "CT": "Đăng ký, quản lý cư trú",
    "DD": "Đất đai",
    "DKBD": "Đăng ký biện pháp bảo đảm",
    "TNN": "Tài nguyên nước",
    "MT": "Môi trường",
    "HT": "Hộ tịch",
    "NCN": "Nuôi con nuôi",
    "CTH": "Chứng thực",
    "BTXH": "Bảo trợ xã hội",
    "NCC": "Người có công",
    "HGCS": "Hòa giải ở cơ sở",
    "QS": "Nghĩa vụ quân sự",
    "VHCS": "Văn hóa cơ sở",
    "TM": "Thương mại quốc tế",
    "XTTM": "Xúc tiến thương mại",
}


def field_records() -> list[dict[str, Any]]:
    return [{"code": code, "name": name} for code, name in FIELDS.items()]
