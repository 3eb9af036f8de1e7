"""The agencies of the sample: Tuyên Quang province as it is since 1 July 2025 (former Hà Giang
merged into it, Nghị quyết 202/2025/QH15; two tiers of local government, Luật Tổ chức chính
quyền địa phương 2025), its departments after the 1 March 2025 reorganisation, the provincial
police with the units that took over residence registration and driving licences, the public
administration service centre, and communes and wards with their police.

Codes follow QCVN 102:2016/BTTTT (`V1V2V3.Z1Z2.Y1Y2.MX1X2`, read right to left): the People's
Committee is the level-1 unit `000.00.00.H60`; a department, the centre, the police and each
commune's People's Committee are level-2 units `000.00.YY.H60`; a unit under one of them (a
police unit, the land registration office) is level 3 `000.ZZ.YY.H60`. The level-1 letter code
H60 is not confirmed (see LEVEL_1_CODE); the YY and ZZ numbers are the sample's own."""

from typing import Any

LEVEL_1_CODE = {
    "code": "H60",
    "confirmed": False,
    "note": (
        "Chưa xác nhận được mã cấp 1 của tỉnh Tuyên Quang theo QCVN 102:2016/BTTTT. Mã H60 "
        "được suy ra: mã công khai H20 là Đồng Tháp và H59 là Trà Vinh, khớp với thứ tự chữ "
        "cái của 63 tỉnh, thành phố, theo đó Tuyên Quang là H60. (Mẫu cũ dùng H20 cho Hà "
        "Giang là sai: H20 là Đồng Tháp.) Các số cấp 2, cấp 3 là của dữ liệu mẫu."
    ),
}
SUFFIX = LEVEL_1_CODE["code"]
PROVINCE_NAME = "tỉnh Tuyên Quang"


def code(level2: int = 0, level3: int = 0) -> str:
    return f"000.{level3:02d}.{level2:02d}.{SUFFIX}"


PEOPLES_COMMITTEE = code()
OFFICE = code(1)
HOME_AFFAIRS = code(2)
FINANCE = code(3)
CONSTRUCTION = code(4)
AGRICULTURE_ENVIRONMENT = code(5)
INDUSTRY_TRADE = code(6)
SCIENCE_TECHNOLOGY = code(7)
HEALTH = code(8)
JUSTICE = code(9)
EDUCATION = code(10)
CULTURE = code(11)
ETHNIC_RELIGION = code(12)
INSPECTORATE = code(13)
SERVICE_CENTRE = code(14)
POLICE = code(15)
LAND_REGISTRATION = code(5, 1)
TRAFFIC_POLICE = code(15, 1)
ADMIN_POLICE = code(15, 2)

# Level-2 units of the province (tier "province"), under the People's Committee.
DEPARTMENTS = {
    OFFICE: f"Văn phòng Ủy ban nhân dân {PROVINCE_NAME}",
    HOME_AFFAIRS: f"Sở Nội vụ {PROVINCE_NAME}",
    FINANCE: f"Sở Tài chính {PROVINCE_NAME}",
    CONSTRUCTION: f"Sở Xây dựng {PROVINCE_NAME}",
    AGRICULTURE_ENVIRONMENT: f"Sở Nông nghiệp và Môi trường {PROVINCE_NAME}",
    INDUSTRY_TRADE: f"Sở Công Thương {PROVINCE_NAME}",
    SCIENCE_TECHNOLOGY: f"Sở Khoa học và Công nghệ {PROVINCE_NAME}",
    HEALTH: f"Sở Y tế {PROVINCE_NAME}",
    JUSTICE: f"Sở Tư pháp {PROVINCE_NAME}",
    EDUCATION: f"Sở Giáo dục và Đào tạo {PROVINCE_NAME}",
    CULTURE: f"Sở Văn hóa, Thể thao và Du lịch {PROVINCE_NAME}",
    ETHNIC_RELIGION: f"Sở Dân tộc và Tôn giáo {PROVINCE_NAME}",
    INSPECTORATE: f"Thanh tra {PROVINCE_NAME}",
    SERVICE_CENTRE: f"Trung tâm Phục vụ hành chính công {PROVINCE_NAME}",
    POLICE: f"Công an {PROVINCE_NAME}",
}
# Level-3 units (tier "province") and the level-2 unit each belongs to.
UNITS = {
    LAND_REGISTRATION: (f"Văn phòng Đăng ký đất đai {PROVINCE_NAME}", AGRICULTURE_ENVIRONMENT),
    TRAFFIC_POLICE: ("Phòng Cảnh sát giao thông, Công an tỉnh Tuyên Quang", POLICE),
    ADMIN_POLICE: (
        "Phòng Cảnh sát quản lý hành chính về trật tự xã hội, Công an tỉnh Tuyên Quang",
        POLICE,
    ),
}
# Communes and wards after the 2025 arrangement (a sample of the province's; the wards of the
# former Tuyên Quang and Hà Giang cities, and communes named after former district seats).
COMMUNES = [
    "phường Minh Xuân",
    "phường Nông Tiến",
    "phường An Tường",
    "phường Mỹ Lâm",
    "phường Hà Giang 1",
    "phường Hà Giang 2",
    "xã Sơn Dương",
    "xã Hàm Yên",
    "xã Chiêm Hóa",
    "xã Na Hang",
    "xã Lâm Bình",
    "xã Vị Xuyên",
    "xã Quản Bạ",
    "xã Đồng Văn",
    "xã Lũng Cú",
    "xã Mèo Vạc",
]
FIRST_COMMUNE = 31  # level-2 numbers 31.. for the communes' People's Committees
COMMUNE_CODES = [code(FIRST_COMMUNE + i) for i in range(len(COMMUNES))]
# Each commune's police: a level-3 unit under the provincial police, numbered as its commune.
COMMUNE_POLICE_CODES = [code(15, FIRST_COMMUNE + i) for i in range(len(COMMUNES))]


def agency_records() -> list[dict[str, Any]]:
    def record(code: str, name: str, tier: str, parent: str | None) -> dict[str, Any]:
        return {"code": code, "name": name, "tier": tier, "parent_code": parent}

    records = [record(PEOPLES_COMMITTEE, f"Ủy ban nhân dân {PROVINCE_NAME}", "province", None)]
    records += [record(c, n, "province", PEOPLES_COMMITTEE) for c, n in DEPARTMENTS.items()]
    records += [record(c, n, "province", parent) for c, (n, parent) in UNITS.items()]
    for commune, pc, police in zip(COMMUNES, COMMUNE_CODES, COMMUNE_POLICE_CODES, strict=True):
        records.append(record(pc, f"Ủy ban nhân dân {commune}", "commune", PEOPLES_COMMITTEE))
        records.append(record(police, f"Công an {commune}", "commune", POLICE))
    return records
