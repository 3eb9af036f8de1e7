"""Commune-tier procedures beyond civil status: residence (at every commune police), household
businesses, building permits for houses, land, social assistance, grassroots conciliation,
military service registration and festivals."""

from typing import Any

from tools.sample_catalogue import forms as f
from tools.sample_catalogue.agencies import COMMUNE_CODES, COMMUNE_POLICE_CODES
from tools.sample_catalogue.commune import CT, HKD, XD
from tools.sample_catalogue.fees import HOUSEHOLD_BUSINESS_FEES, free, provincial, residence_free
from tools.sample_catalogue.model import (
    INDIVIDUAL,
    ORGANISATION,
    WORKING_DAYS,
    WORKING_HOURS,
    Doc,
    Fee,
    form_doc,
    procedure,
)

UBND = COMMUNE_CODES
POLICE = COMMUNE_POLICE_CODES
LAND = [
    "Luật Đất đai số 31/2024/QH15",
    "Nghị định số 101/2024/NĐ-CP",
    "Nghị định số 151/2025/NĐ-CP về phân định thẩm quyền của chính quyền địa phương 02 cấp "
    "trong lĩnh vực đất đai",
]

RESIDENCE = f.Form(
    "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)",
    "Công an xã/phường",
    (
        f.text("ho_ten", "Họ, chữ đệm và tên", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.text("ho_ten_chu_ho", "Họ, chữ đệm và tên chủ hộ", 100),
        f.text("quan_he_voi_chu_ho", "Mối quan hệ với chủ hộ", 50),
        f.id_number("so_dinh_danh_chu_ho", "Số định danh cá nhân của chủ hộ"),
        f.text("dia_chi_cu_tru", "Địa chỉ nơi đăng ký cư trú", 500),
        f.text("noi_dung_de_nghi", "Nội dung đề nghị", 1000),
    ),
    "Mẫu CT01 ban hành kèm Thông tư số 53/2025/TT-BCA",
)
HOUSE = Doc(
    "giay_to_cho_o",
    "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (trừ khi đã có trong cơ sở dữ liệu)",
    required=False,
)
LODGING = f.Form(
    "Thông báo lưu trú",
    "Công an xã/phường",
    (
        f.text("ho_ten_nguoi_luu_tru", "Họ, chữ đệm và tên người lưu trú", 100),
        f.id_number("so_dinh_danh_nguoi_luu_tru", "Số định danh cá nhân của người lưu trú"),
        f.text("dia_chi_luu_tru", "Địa chỉ nơi lưu trú", 500),
        f.date("tu_ngay", "Lưu trú từ ngày"),
        f.date("den_ngay", "Lưu trú đến ngày"),
    ),
    "Thông báo lưu trú theo Luật Cư trú, Điều 30",
)


def residence() -> list[dict[str, Any]]:
    ct01 = form_doc("to_khai_ct01", RESIDENCE, "to_khai_ct01")

    def residence_procedure(
        code: str, name: str, days: float, fees: list[Fee], result: str, docs: list[Doc]
    ) -> dict[str, Any]:
        return procedure(
            code,
            name,
            level=4,
            agencies=POLICE,
            field="CT",
            time=(days, WORKING_DAYS),
            result=result,
            legal=CT,
            documents=[ct01, *docs],
            fees=fees,
            channels=["counter", "online"],
            about=(
                f"{name}: tại Công an cấp xã (Luật Cư trú 2020); kết quả cập nhật vào Cơ sở "
                "dữ liệu về cư trú"
            ),
        )

    return [
        residence_procedure(
            "1.004222",
            "Đăng ký thường trú",
            7,
            [Fee("Lệ phí đăng ký thường trú", 20000, online_discount_vnd=10000)],
            "Thông báo kết quả đăng ký thường trú; thông tin cập nhật vào Cơ sở dữ liệu về cư trú",
            [HOUSE],
        ),
        residence_procedure(
            "1.004194",
            "Đăng ký tạm trú",
            3,
            [Fee("Lệ phí đăng ký tạm trú", 15000, online_discount_vnd=8000)],
            "Thông báo kết quả đăng ký tạm trú",
            [HOUSE],
        ),
        residence_procedure(
            "1.002755",
            "Gia hạn tạm trú",
            3,
            [
                Fee(
                    "Lệ phí gia hạn tạm trú (Thông tư số 75/2022/TT-BTC; Quyết định số "
                    "320/QĐ-BCA ngày 16/01/2024, thủ tục cấp xã, mục 6.8: 15.000 đồng, "
                    "7.000 đồng khi nộp trực tuyến)",
                    15000,
                    online_discount_vnd=8000,
                )
            ],
            "Thông báo kết quả gia hạn tạm trú",
            [],
        ),
        residence_procedure(
            "1.003677",
            "Khai báo tạm vắng",
            1,
            [residence_free("10.8")],
            "Thông báo kết quả khai báo tạm vắng",
            [],
        ),
        residence_procedure(
            "1.010028",
            "Xóa đăng ký tạm trú",
            1,
            [residence_free("7.8")],
            "Thông báo kết quả xóa đăng ký tạm trú",
            [
                Doc(
                    "giay_to_xoa",
                    "Giấy tờ chứng minh thuộc trường hợp xóa đăng ký tạm trú",
                    required=False,
                )
            ],
        ),
        residence_procedure(
            "1.003197",
            "Xóa đăng ký thường trú",
            1,
            [residence_free("2.8")],
            "Thông báo kết quả xóa đăng ký thường trú",
            [
                Doc(
                    "giay_to_xoa",
                    "Giấy tờ chứng minh thuộc trường hợp xóa đăng ký thường trú",
                    required=False,
                )
            ],
        ),
        procedure(
            "2.001159",
            "Thông báo lưu trú",
            level=4,
            fees=[residence_free("9.8")],
            agencies=POLICE,
            field="CT",
            time=(4, WORKING_HOURS),
            result="Tiếp nhận thông báo lưu trú",
            issues_result=False,
            legal=CT,
            documents=[form_doc("thong_bao", LODGING, "thong_bao_luu_tru")],
            kinds=(INDIVIDUAL, ORGANISATION),
            channels=["counter", "online"],
            about=(
                "Thông báo lưu trú cho Công an cấp xã (qua điện thoại, trực tiếp hoặc trực tuyến)"
            ),
        ),
    ]


HOUSEHOLD_BUSINESS = f.Form(
    "Giấy đề nghị đăng ký hộ kinh doanh",
    "Ủy ban nhân dân xã/phường (cơ quan đăng ký kinh doanh cấp xã)",
    (
        f.text("ten_ho_kinh_doanh", "Tên hộ kinh doanh", 255),
        f.text("dia_diem_kinh_doanh", "Địa điểm kinh doanh", 500),
        f.codes(
            "nganh_nghe",
            "Ngành, nghề kinh doanh (mã VSIC cấp 4)",
            "^[0-9]{4}$",
            "Mã ngành",
            "mã 4 chữ số",
        ),
        f.number("von_kinh_doanh", "Vốn kinh doanh (đồng)", 1),
        f.number("so_lao_dong", "Số lao động dự kiến", 0, 1000),
        f.text("ho_ten_chu_ho", "Họ, chữ đệm, tên chủ hộ kinh doanh", 100),
        f.id_number("so_dinh_danh_chu_ho", "Số định danh cá nhân của chủ hộ kinh doanh"),
    ),
    "Mẫu Giấy đề nghị đăng ký hộ kinh doanh ban hành kèm Nghị định số 168/2025/NĐ-CP",
)
HKD_CHANGE = f.Form(
    "Thông báo thay đổi nội dung đăng ký hộ kinh doanh",
    "Ủy ban nhân dân xã/phường (cơ quan đăng ký kinh doanh cấp xã)",
    (
        f.text("ten_ho_kinh_doanh", "Tên hộ kinh doanh", 255),
        f.text("ma_so_ho_kinh_doanh", "Mã số hộ kinh doanh", 20),
        f.choice(
            "noi_dung_thay_doi",
            "Nội dung thay đổi",
            [
                "Tên hộ kinh doanh",
                "Địa điểm kinh doanh",
                "Ngành, nghề kinh doanh",
                "Vốn kinh doanh",
                "Chủ hộ kinh doanh",
            ],
        ),
        f.text("noi_dung_moi", "Nội dung sau khi thay đổi", 1000),
    ),
    "Mẫu ban hành kèm Nghị định số 168/2025/NĐ-CP",
)
HKD_PAUSE = f.Form(
    "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn của hộ kinh doanh",
    "Ủy ban nhân dân xã/phường (cơ quan đăng ký kinh doanh cấp xã)",
    (
        f.text("ten_ho_kinh_doanh", "Tên hộ kinh doanh", 255),
        f.text("ma_so_ho_kinh_doanh", "Mã số hộ kinh doanh", 20),
        f.choice(
            "loai_thong_bao",
            "Nội dung thông báo",
            ["Tạm ngừng kinh doanh", "Tiếp tục kinh doanh trước thời hạn"],
        ),
        f.date("tu_ngay", "Từ ngày"),
        f.date("den_ngay", "Đến ngày").optional(),
    ),
    "Mẫu ban hành kèm Nghị định số 168/2025/NĐ-CP",
)
HKD_END = f.Form(
    "Thông báo chấm dứt hoạt động hộ kinh doanh",
    "Ủy ban nhân dân xã/phường (cơ quan đăng ký kinh doanh cấp xã)",
    (
        f.text("ten_ho_kinh_doanh", "Tên hộ kinh doanh", 255),
        f.text("ma_so_ho_kinh_doanh", "Mã số hộ kinh doanh", 20),
        f.date("ngay_cham_dut", "Ngày chấm dứt hoạt động"),
        f.yes_no("da_hoan_thanh_nghia_vu_thue", "Đã hoàn thành nghĩa vụ thuế"),
    ),
    "Mẫu ban hành kèm Nghị định số 168/2025/NĐ-CP",
)

HKD_REISSUE = f.Form(
    "Giấy đề nghị cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
    "Ủy ban nhân dân xã/phường (cơ quan đăng ký kinh doanh cấp xã)",
    (
        f.text("ten_ho_kinh_doanh", "Tên hộ kinh doanh", 255),
        f.text("ma_so_ho_kinh_doanh", "Mã số hộ kinh doanh", 20),
        f.choice(
            "ly_do_cap_lai", "Lý do đề nghị cấp lại", ["Bị mất", "Bị cháy", "Bị rách, nát, hư hỏng"]
        ),
    ),
    "Mẫu ban hành kèm Nghị định số 168/2025/NĐ-CP",
)


def household_business() -> list[dict[str, Any]]:
    owner_id = Doc(
        "giay_to_chu_ho",
        "Bản sao giấy tờ pháp lý của cá nhân là chủ hộ kinh doanh (khi chưa có số định danh)",
        required=False,
    )
    fee = [
        Fee(
            "Lệ phí đăng ký hộ kinh doanh (miễn khi đăng ký qua mạng)",
            100000,
            online_discount_vnd=100000,
        )
    ]

    def hkd(
        code: str, name: str, level: int, form: f.Form, key: str, result: str, fees: list[Fee]
    ) -> dict[str, Any]:
        return procedure(
            code,
            name,
            level=level,
            agencies=UBND,
            field="HKD",
            time=(3, WORKING_DAYS),
            result=result,
            legal=HKD,
            documents=[form_doc("giay_de_nghi", form, key), owner_id],
            fees=fees,
            about=f"{name}: từ ngày 01/7/2025 do cơ quan đăng ký kinh doanh cấp xã thực hiện",
        )

    return [
        hkd(
            "1.001612",
            "Đăng ký thành lập hộ kinh doanh",
            4,
            HOUSEHOLD_BUSINESS,
            "giay_de_nghi_dang_ky_ho_kinh_doanh",
            "Giấy chứng nhận đăng ký hộ kinh doanh",
            fee,
        ),
        hkd(
            "2.000720",
            "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
            4,
            HKD_CHANGE,
            "thong_bao_thay_doi_ho_kinh_doanh",
            "Giấy chứng nhận đăng ký hộ kinh doanh (cấp mới nội dung thay đổi)",
            fee,
        ),
        hkd(
            "1.001570",
            (
                "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ "
                "kinh doanh"
            ),
            3,
            HKD_PAUSE,
            "thong_bao_tam_ngung_ho_kinh_doanh",
            "Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng kinh doanh",
            [free(HOUSEHOLD_BUSINESS_FEES)],
        ),
        hkd(
            "1.001266",
            "Chấm dứt hoạt động hộ kinh doanh",
            3,
            HKD_END,
            "thong_bao_cham_dut_ho_kinh_doanh",
            "Thông báo về việc chấm dứt hoạt động hộ kinh doanh",
            [free(HOUSEHOLD_BUSINESS_FEES)],
        ),
        hkd(
            "2.000575",
            "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
            3,
            HKD_REISSUE,
            "de_nghi_cap_lai_ho_kinh_doanh",
            "Giấy chứng nhận đăng ký hộ kinh doanh (cấp lại)",
            [provincial("Lệ phí đăng ký hộ kinh doanh khi cấp lại Giấy chứng nhận")],
        ),
    ]


BUILDING = f.Form(
    "Đơn đề nghị cấp giấy phép xây dựng",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ten_chu_dau_tu", "Tên chủ đầu tư (chủ hộ)", 255),
        f.text("dia_diem_xay_dung", "Địa điểm xây dựng (thửa đất số, tờ bản đồ số, địa chỉ)", 500),
        f.choice(
            "loai_cong_trinh",
            "Loại công trình",
            ["Nhà ở riêng lẻ", "Công trình cấp III", "Công trình cấp IV"],
        ),
        f.number("dien_tich_xay_dung_m2", "Diện tích xây dựng tầng 1 (m²)", 1, 100000),
        f.number("tong_dien_tich_san_m2", "Tổng diện tích sàn (m²)", 1, 1000000),
        f.number("so_tang", "Số tầng", 1, 20),
        f.number("chieu_cao_m", "Chiều cao công trình (m)", 1, 100),
    ),
    "Mẫu đơn ban hành kèm Nghị định số 175/2024/NĐ-CP",
)
BUILDING_EXTEND = f.Form(
    "Đơn đề nghị gia hạn, cấp lại giấy phép xây dựng",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ten_chu_dau_tu", "Tên chủ đầu tư (chủ hộ)", 255),
        f.text("so_giay_phep", "Số giấy phép xây dựng đã được cấp", 50),
        f.date("ngay_cap", "Ngày cấp giấy phép"),
        f.choice(
            "noi_dung_de_nghi",
            "Nội dung đề nghị",
            ["Gia hạn giấy phép", "Cấp lại giấy phép bị rách, nát", "Cấp lại giấy phép bị mất"],
        ),
        f.text("ly_do", "Lý do", 500),
    ),
    "Mẫu đơn ban hành kèm Nghị định số 175/2024/NĐ-CP",
)

# Extending a permit offers no reissue reason; a reissue says why (torn or lost).
BUILDING_EXTENSION = f.narrowed(
    BUILDING_EXTEND,
    "Đơn đề nghị gia hạn giấy phép xây dựng",
    "noi_dung_de_nghi",
    ["Gia hạn giấy phép"],
)
BUILDING_REISSUE = f.narrowed(
    BUILDING_EXTEND,
    "Đơn đề nghị cấp lại giấy phép xây dựng",
    "noi_dung_de_nghi",
    ["Cấp lại giấy phép bị rách, nát", "Cấp lại giấy phép bị mất"],
)


def building() -> list[dict[str, Any]]:
    docs = [
        form_doc("don_de_nghi", BUILDING, "don_de_nghi_giay_phep_xay_dung"),
        Doc("giay_to_dat", "Bản sao giấy tờ chứng minh quyền sử dụng đất", copies=1),
        Doc(
            "ban_ve_thiet_ke",
            "Hai bộ bản vẽ thiết kế xây dựng",
            originals=2,
            types=("application/pdf",),
        ),
    ]

    def permit_held(form: f.Form, template: str) -> list[Doc]:
        return [
            form_doc("don_de_nghi", form, template),
            Doc("giay_phep_da_cap", "Bản chính giấy phép xây dựng đã được cấp", required=False),
        ]

    name = "đối với công trình cấp III, cấp IV và nhà ở riêng lẻ"
    fee = Fee("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ", 75000)
    return [
        procedure(
            "1.013225",
            f"Cấp giấy phép xây dựng mới {name}",
            level=4,
            agencies=UBND,
            field="HDXD",
            time=(15, WORKING_DAYS),
            result="Giấy phép xây dựng",
            paper=True,
            legal=XD,
            documents=docs,
            fees=[fee],
            kinds=(INDIVIDUAL, ORGANISATION),
            about=(
                "Cấp giấy phép xây dựng nhà ở riêng lẻ: từ ngày 01/7/2025 do Ủy ban nhân "
                "dân cấp xã thực hiện (trước đây cấp huyện)"
            ),
        ),
        procedure(
            "1.013226",
            f"Điều chỉnh giấy phép xây dựng {name}",
            level=3,
            agencies=UBND,
            field="HDXD",
            time=(10, WORKING_DAYS),
            result="Giấy phép xây dựng điều chỉnh",
            paper=True,
            legal=XD,
            documents=docs,
            fees=[fee],
            kinds=(INDIVIDUAL, ORGANISATION),
        ),
        procedure(
            "1.013227",
            f"Gia hạn giấy phép xây dựng {name}",
            level=3,
            fees=[provincial("Lệ phí gia hạn giấy phép xây dựng")],
            agencies=UBND,
            field="HDXD",
            time=(5, WORKING_DAYS),
            result="Giấy phép xây dựng được gia hạn",
            paper=True,
            legal=XD,
            documents=permit_held(BUILDING_EXTENSION, "don_gia_han_giay_phep_xay_dung"),
            kinds=(INDIVIDUAL, ORGANISATION),
        ),
        procedure(
            "1.013228",
            f"Cấp lại giấy phép xây dựng {name}",
            level=3,
            fees=[provincial("Lệ phí cấp lại giấy phép xây dựng")],
            agencies=UBND,
            field="HDXD",
            time=(5, WORKING_DAYS),
            result="Giấy phép xây dựng (cấp lại)",
            paper=True,
            legal=XD,
            documents=permit_held(BUILDING_REISSUE, "don_cap_lai_giay_phep_xay_dung"),
            kinds=(INDIVIDUAL, ORGANISATION),
        ),
    ]


LAND_FIRST = f.Form(
    "Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu số 04/ĐK)",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ho_ten_nguoi_su_dung_dat", "Họ, chữ đệm, tên người sử dụng đất", 100),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.text("thua_dat_so", "Thửa đất số", 20),
        f.text("to_ban_do_so", "Tờ bản đồ số", 20),
        f.text("dia_chi_thua_dat", "Địa chỉ thửa đất", 500),
        f.number("dien_tich_m2", "Diện tích (m²)", 1, 10000000),
        f.choice(
            "muc_dich_su_dung",
            "Mục đích sử dụng đất",
            [
                "Đất ở tại nông thôn",
                "Đất ở tại đô thị",
                "Đất trồng cây hằng năm",
                "Đất trồng cây lâu năm",
                "Đất rừng sản xuất",
            ],
        ),
        f.yes_no("de_nghi_cap_giay_chung_nhan", "Đề nghị cấp Giấy chứng nhận"),
    ),
    "Mẫu số 04/ĐK ban hành kèm Nghị định số 151/2025/NĐ-CP",
)
CONCILIATION = f.Form(
    "Đơn đề nghị hòa giải tranh chấp đất đai",
    "Ủy ban nhân dân xã/phường",
    (
        *f.requester(),
        f.text("ben_tranh_chap", "Họ, tên, địa chỉ bên tranh chấp", 500),
        f.text("thua_dat_tranh_chap", "Thửa đất tranh chấp (số thửa, tờ bản đồ, địa chỉ)", 500),
        f.text("noi_dung_tranh_chap", "Nội dung tranh chấp", 2000),
    ),
    "Đơn đề nghị hòa giải theo Luật Đất đai 2024, Điều 235",
)


def land() -> list[dict[str, Any]]:
    return [
        procedure(
            "1.012753",
            "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, "
            "quyền sở hữu tài sản gắn liền với đất lần đầu đối với hộ gia đình, cá nhân",
            level=3,
            agencies=UBND,
            field="DD",
            time=(20, WORKING_DAYS),
            result="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            paper=True,
            legal=LAND,
            fee_pauses_clock=True,
            documents=[
                form_doc("don_dang_ky", LAND_FIRST, "don_dang_ky_dat_dai_04dk"),
                Doc(
                    "giay_to_nguon_goc",
                    "Giấy tờ về quyền sử dụng đất (nếu có)",
                    copies=1,
                    required=False,
                ),
                Doc("so_do_nha", "Sơ đồ nhà ở, công trình xây dựng (nếu có)", required=False),
            ],
            fees=[
                Fee("Lệ phí cấp Giấy chứng nhận", 100000),
                Fee("Phí thẩm định hồ sơ cấp Giấy chứng nhận", 150000),
            ],
            about=(
                "Cấp Giấy chứng nhận lần đầu cho hộ gia đình, cá nhân: từ ngày 01/7/2025 do "
                "Ủy ban nhân dân cấp xã thực hiện; thời gian thực hiện nghĩa vụ tài chính "
                "không tính vào thời hạn"
            ),
        ),
        procedure(
            "1.012812",
            "Hòa giải tranh chấp đất đai",
            level=2,
            fees=[free()],
            agencies=UBND,
            field="DD",
            time=(30, WORKING_DAYS),
            result="Biên bản hòa giải tranh chấp đất đai",
            legal=LAND,
            documents=[form_doc("don_de_nghi", CONCILIATION, "don_hoa_giai_tranh_chap_dat")],
            kinds=(INDIVIDUAL, ORGANISATION),
        ),
    ]


SOCIAL = f.Form(
    "Tờ khai đề nghị trợ giúp xã hội (Mẫu số 1a)",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ho_ten_doi_tuong", "Họ, chữ đệm, tên đối tượng", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.choice(
            "nhom_doi_tuong",
            "Đối tượng hưởng trợ cấp",
            [
                "Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng",
                "Người cao tuổi thuộc hộ nghèo",
                "Người khuyết tật nặng, đặc biệt nặng",
                "Người đơn thân nghèo đang nuôi con",
            ],
        ),
        f.text("noi_cu_tru", "Nơi cư trú", 500),
        f.text("so_tai_khoan", "Số tài khoản nhận trợ cấp (nếu có)", 30).optional(),
    ),
    "Mẫu số 1a ban hành kèm Nghị định số 20/2021/NĐ-CP",
)
PENSION = f.Form(
    "Tờ khai đề nghị hưởng trợ cấp hưu trí xã hội",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ho_ten", "Họ, chữ đệm, tên người đề nghị", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.yes_no(
            "dang_huong_luong_huu", "Đang hưởng lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng"
        ),
        f.choice("hinh_thuc_nhan", "Hình thức nhận trợ cấp", ["Qua tài khoản", "Nhận trực tiếp"]),
    ),
    "Tờ khai theo Luật Bảo hiểm xã hội số 41/2024/QH15",
)
DISABILITY = f.Form(
    "Đơn đề nghị xác định, xác định lại mức độ khuyết tật",
    "Ủy ban nhân dân xã/phường (Hội đồng xác định mức độ khuyết tật)",
    (
        f.text(
            "ho_ten_nguoi_khuyet_tat", "Họ, chữ đệm, tên người được xác định mức độ khuyết tật", 100
        ),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân").optional(),
        f.choice(
            "dang_khuyet_tat",
            "Dạng khuyết tật",
            [
                "Khuyết tật vận động",
                "Khuyết tật nghe, nói",
                "Khuyết tật nhìn",
                "Khuyết tật thần kinh, tâm thần",
                "Khuyết tật trí tuệ",
                "Khuyết tật khác",
            ],
        ),
        f.choice("loai_de_nghi", "Nội dung đề nghị", ["Xác định lần đầu", "Xác định lại"]),
    ),
    "Mẫu số 01 ban hành kèm Thông tư số 01/2019/TT-BLĐTBXH",
)
BURIAL = f.Form(
    "Tờ khai đề nghị hỗ trợ chi phí mai táng",
    "Ủy ban nhân dân xã/phường",
    (
        *f.requester(),
        f.text("ho_ten_nguoi_chet", "Họ, chữ đệm, tên người đã chết", 100),
        f.date("ngay_chet", "Ngày chết"),
        f.text("quan_he", "Quan hệ với người đã chết", 50),
    ),
    "Mẫu tờ khai theo Nghị định số 20/2021/NĐ-CP",
)
