"""A synthetic province catalogue for benchmarks: an agency tree and N procedures.

The document has the shape that `dvc-gateway import-catalogue` reads, so it goes through the
app's own validation. Names are real procedure-name stems (from the national catalogue) with
agency and place suffixes, so that typical citizen queries hit hundreds of rows, as they do on
a real province portal; a benchmark on names that never match would only time an empty scan.
Everything comes from a seeded random generator: two runs build the same catalogue.
"""

import random
from dataclasses import dataclass
from typing import Any

PROVINCE = "Bình Sơn"  # fictional: the numbers must not pass for a real province's
SUFFIX = "H99"
ROOT_CODE = f"000.00.00.{SUFFIX}"

DEPARTMENTS = [
    ("Sở Kế hoạch và Đầu tư", "DKKD"),
    ("Sở Xây dựng", "HDXD"),
    ("Sở Y tế", "KCB"),
    ("Sở Lao động - Thương binh và Xã hội", "VL"),
    ("Sở Giao thông vận tải", "DB"),
    ("Sở Tài nguyên và Môi trường", "DD"),
    ("Sở Tư pháp", "HT"),
    ("Thanh tra tỉnh", "KNTC"),
    ("Sở Công Thương", "TM"),
    ("Sở Tài chính", "TC"),
    ("Sở Nội vụ", "NV"),
    ("Sở Giáo dục và Đào tạo", "GD"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "NN"),
    ("Sở Khoa học và Công nghệ", "KHCN"),
    ("Sở Thông tin và Truyền thông", "TTTT"),
    ("Sở Văn hóa, Thể thao và Du lịch", "VH"),
    ("Ban Dân tộc", "DT"),
    ("Sở Ngoại vụ", "NGV"),
    ("Ban Quản lý các khu công nghiệp", "DTVN"),
    ("Công an tỉnh", "CT"),
]

FIELDS = {
    "DKKD": "Thành lập và hoạt động doanh nghiệp",
    "DTVN": "Đầu tư tại Việt Nam",
    "HDXD": "Hoạt động xây dựng",
    "KCB": "Khám bệnh, chữa bệnh",
    "VL": "Việc làm",
    "DB": "Đường bộ",
    "DD": "Đất đai",
    "HT": "Hộ tịch",
    "CTH": "Chứng thực",
    "KNTC": "Giải quyết khiếu nại, tố cáo",
    "TM": "Thương mại quốc tế",
    "TC": "Tài chính",
    "NV": "Công chức, viên chức",
    "GD": "Giáo dục và đào tạo",
    "NN": "Nông nghiệp",
    "KHCN": "Khoa học và công nghệ",
    "TTTT": "Thông tin và truyền thông",
    "VH": "Văn hóa",
    "DT": "Công tác dân tộc",
    "NGV": "Ngoại vụ",
    "CT": "Đăng ký, quản lý cư trú",
    "HKD": "Thành lập và hoạt động của hộ kinh doanh",
    "BTXH": "Bảo trợ xã hội",
}

# Stems per tier, with their field. The three benchmark queries hit stems of every tier.
PROVINCE_STEMS = [
    ("Đăng ký kinh doanh", "DKKD"),
    ("Đăng ký thành lập doanh nghiệp tư nhân", "DKKD"),
    ("Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "DKKD"),
    ("Cấp giấy chứng nhận đủ điều kiện kinh doanh", "TM"),
    ("Cấp giấy phép xây dựng mới", "HDXD"),
    ("Điều chỉnh giấy phép xây dựng", "HDXD"),
    ("Cấp chứng chỉ hành nghề hoạt động xây dựng", "HDXD"),
    ("Cấp giấy phép hoạt động khám bệnh, chữa bệnh", "KCB"),
    ("Cấp giấy phép lao động cho người lao động nước ngoài", "VL"),
    ("Cấp đổi giấy phép lái xe", "DB"),
    ("Đăng ký biến động quyền sử dụng đất", "DD"),
    ("Cấp giấy chứng nhận đăng ký đầu tư", "DTVN"),
    ("Đăng ký khai sinh có yếu tố nước ngoài", "HT"),
    ("Giải quyết khiếu nại lần đầu", "KNTC"),
    ("Cấp giấy phép tổ chức lễ hội", "VH"),
]
DISTRICT_STEMS = [
    ("Đăng ký thành lập hộ kinh doanh", "HKD"),
    ("Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "HKD"),
    ("Cấp giấy phép xây dựng nhà ở riêng lẻ", "HDXD"),
    ("Cấp giấy phép xây dựng sửa chữa, cải tạo công trình", "HDXD"),
    ("Đăng ký, cấp giấy chứng nhận quyền sử dụng đất lần đầu", "DD"),
    ("Cấp bản sao trích lục hộ tịch", "HT"),
    ("Chứng thực bản sao từ bản chính giấy tờ, văn bản", "CTH"),
    ("Giải quyết tố cáo", "KNTC"),
]
COMMUNE_STEMS = [
    ("Đăng ký khai sinh", "HT"),
    ("Đăng ký lại khai sinh", "HT"),
    ("Đăng ký kết hôn", "HT"),
    ("Đăng ký khai tử", "HT"),
    ("Cấp giấy xác nhận tình trạng hôn nhân", "HT"),
    ("Chứng thực chữ ký trong giấy tờ, văn bản", "CTH"),
    ("Đăng ký tạm trú", "CT"),
    ("Thực hiện trợ cấp xã hội hằng tháng", "BTXH"),
]
STEMS = {"province": PROVINCE_STEMS, "district": DISTRICT_STEMS, "commune": COMMUNE_STEMS}
QUALIFIERS = [
    "",
    " đối với hộ gia đình, cá nhân",
    " đối với tổ chức",
    " cho người nước ngoài",
    " (cấp lại)",
    " theo thủ tục rút gọn",
    " liên thông",
]
# Shares of procedures by tier, as in a provincial catalogue: most are handled by the
# departments; each commune has few (civil status, certification), but there are many communes.
TIER_WEIGHTS = {"province": 0.4, "district": 0.25, "commune": 0.35}
LEVEL_WEIGHTS = {1: 0.05, 2: 0.25, 3: 0.35, 4: 0.35}

# Syllables of northern place names; two of them make a district or commune name.
SYLLABLES = (
    "Đồng Văn Vị Xuyên Quản Bạ Yên Minh Bắc Mê Hoàng Su Phì Xín Mần Quang Bình Mèo Vạc Lũng "
    "Cú Phó Bảng Tam Sơn Đạo Đức Phương Thiện Trung Hòa An Phú Tân Thành Lộc Hưng Long Thịnh "
    "Xuân Hà Lâm Tiến Thắng Lợi Nam Đông Tây Kim Ngọc Linh Thủy Cao Mỹ Nghĩa Thuận Khánh Hải"
)


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    tier: str
    parent_code: str | None
    place: str  # where procedure names say it is done: "xã Lũng Cú", "Sở Xây dựng"


def build_document(procedures: int, agencies: int, seed: int = 2) -> dict[str, Any]:
    """An import document: `agencies` agencies (1 root, departments, districts, communes)
    and `procedures` procedures spread over them."""
    rng = random.Random(seed)
    tree = build_agencies(rng, agencies)
    by_tier = {t: [a for a in tree if a.tier == t and a.parent_code] for t in TIER_WEIGHTS}
    return {
        "agencies": [
            {"code": a.code, "name": a.name, "tier": a.tier, "parent_code": a.parent_code}
            for a in tree
        ],
        "fields": [{"code": code, "name": name} for code, name in FIELDS.items()],
        "procedures": [build_procedure(rng, i, by_tier) for i in range(procedures)],
    }


def place_names(rng: random.Random, count: int) -> list[str]:
    """Distinct two-syllable place names ("Lũng Cú", "Tân Hưng")."""
    names: dict[str, None] = {}
    while len(names) < count:
        first, second = rng.sample(SYLLABLES.split(), 2)
        names[f"{first} {second}"] = None
    return list(names)


def build_agencies(rng: random.Random, total: int) -> list[Agency]:
    """Codes follow the national pattern NNN.NN.NN.XNN: departments 000.DD.00, districts
    000.00.DD (DD from 11), communes 000.CC.DD under district DD."""
    root = Agency(ROOT_CODE, f"Ủy ban nhân dân tỉnh {PROVINCE}", "province", None, "")
    tree = [root]
    for index, (name, _field) in enumerate(DEPARTMENTS, start=1):
        code = f"000.{index:02d}.00.{SUFFIX}"
        tree.append(Agency(code, f"{name} tỉnh {PROVINCE}", "province", ROOT_CODE, name))
    n_districts = 15
    n_communes = total - len(tree) - n_districts
    names = place_names(rng, n_districts + n_communes)
    districts = []
    for index in range(n_districts):
        kind = "thành phố" if index == 0 else "huyện"
        place = f"{kind} {names[index]}"
        code = f"000.00.{11 + index:02d}.{SUFFIX}"
        districts.append(Agency(code, f"Ủy ban nhân dân {place}", "district", ROOT_CODE, place))
    tree.extend(districts)
    for index in range(n_communes):
        district = districts[index % n_districts]
        number = 11 + index // n_districts  # 11.. within the district: two digits up to 99
        kind = "phường" if district.place.startswith("thành phố") else "xã"
        place = f"{kind} {names[n_districts + index]}"
        code = f"000.{number:02d}.{district.code[7:9]}.{SUFFIX}"
        tree.append(Agency(code, f"Ủy ban nhân dân {place}", "commune", district.code, place))
    return tree


def build_procedure(
    rng: random.Random, index: int, by_tier: dict[str, list[Agency]]
) -> dict[str, Any]:
    tier = rng.choices(list(TIER_WEIGHTS), weights=list(TIER_WEIGHTS.values()))[0]
    agency = rng.choice(by_tier[tier])
    stem, field = rng.choice(STEMS[tier])
    name = f"{stem}{rng.choice(QUALIFIERS)} tại {agency.place}"
    level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
    return {
        "code": f"{1 + index % 2}.{index + 1:06d}.{SUFFIX}",
        "name": name,
        "level": level,
        "agency_code": agency.code,
        "field_code": field,
        "processing_days": rng.choice([1, 3, 5, 7, 10, 15, 20, 30]),
        "fee_vnd": rng.choice([0, 0, 0, 8000, 50000, 100000, 500000]),
        "description": f"{stem}.",
        "steps": [
            "Nộp hồ sơ trực tuyến hoặc tại Bộ phận Một cửa",
            "Bộ phận Một cửa tiếp nhận, kiểm tra tính đầy đủ của hồ sơ",
            "Cơ quan chuyên môn thẩm định hồ sơ",
            "Trả kết quả cho tổ chức, cá nhân",
        ],
        "legal_basis": ["Nghị định 61/2018/NĐ-CP", "Nghị định 107/2021/NĐ-CP"],
        "result": f"Văn bản giải quyết: {stem.lower()}",
        "required_documents": required_documents(),
        "form_schema": form_schema(stem) if level >= 3 else None,
    }


def required_documents() -> list[dict[str, Any]]:
    return [
        {
            "key": "to_khai",
            "name": "Tờ khai theo mẫu",
            "accepted_types": ["application/pdf", "image/jpeg", "image/png"],
            "max_size_mb": 5,
        },
        {
            "key": "giay_to_tuy_than",
            "name": "Bản sao giấy tờ tùy thân của người nộp hồ sơ",
            "copies": 1,
            "accepted_types": ["application/pdf", "image/jpeg"],
        },
    ]


def form_schema(stem: str) -> dict[str, Any]:
    """A form of the size of a real level-3/4 declaration: a handful of typed fields."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Tờ khai {stem.lower()}",
        "type": "object",
        "properties": {
            "ho_ten": {"type": "string", "title": "Họ, chữ đệm và tên", "minLength": 1},
            "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày, tháng, năm sinh"},
            "so_dinh_danh": {
                "type": "string",
                "title": "Số định danh cá nhân",
                "pattern": "^[0-9]{12}$",
            },
            "dia_chi": {"type": "string", "title": "Nơi cư trú", "maxLength": 500},
            "so_dien_thoai": {"type": "string", "title": "Số điện thoại", "maxLength": 15},
        },
        "required": ["ho_ten", "ngay_sinh", "so_dinh_danh", "dia_chi"],
        "additionalProperties": False,
    }
