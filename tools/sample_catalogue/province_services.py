"""Province-tier procedures of construction, health, home affairs (labour), the police
(driving licences since 1 March 2025, identity cards), agriculture and environment (land,
water, environment) and industry and trade."""

from typing import Any

from tools.sample_catalogue import agencies as a
from tools.sample_catalogue import forms as f
from tools.sample_catalogue.fees import unconfirmed
from tools.sample_catalogue.model import (
    FOREIGNER,
    INDIVIDUAL,
    ORGANISATION,
    PDF,
    WORKING_DAYS,
    Doc,
    Fee,
    form_doc,
    procedure,
)

ORG = (ORGANISATION,)
XD = [
    "Luật Xây dựng số 50/2014/QH13 (sửa đổi, bổ sung bởi Luật số 62/2020/QH14)",
    "Nghị định số 175/2024/NĐ-CP",
]
KCB = ["Luật Khám bệnh, chữa bệnh số 15/2023/QH15", "Nghị định số 96/2023/NĐ-CP"]
DUOC = ["Luật Dược số 105/2016/QH13 (sửa đổi, bổ sung bởi Luật số 44/2024/QH15)"]
LD = [
    "Bộ luật Lao động số 45/2019/QH14",
    "Nghị định số 219/2025/NĐ-CP về người lao động nước ngoài làm việc tại Việt Nam",
]
VL = ["Luật Việc làm số 74/2025/QH15"]
GPLX = [
    "Luật Trật tự, an toàn giao thông đường bộ số 36/2024/QH15",
    "Thông tư số 12/2025/TT-BCA quy định về sát hạch, cấp giấy phép lái xe",
    "Thông tư số 37/2023/TT-BTC (lệ phí cấp giấy phép lái xe)",
]
DD = ["Luật Đất đai số 31/2024/QH15", "Nghị định số 101/2024/NĐ-CP"]
DKBD = ["Nghị định số 99/2022/NĐ-CP về đăng ký biện pháp bảo đảm"]
TNN = ["Luật Tài nguyên nước số 28/2023/QH15", "Nghị định số 54/2024/NĐ-CP"]
BVMT = [
    "Luật Bảo vệ môi trường số 72/2020/QH14",
    "Nghị định số 08/2022/NĐ-CP (sửa đổi, bổ sung bởi Nghị định số 05/2025/NĐ-CP)",
]
CONSTRUCTION = [a.CONSTRUCTION, a.SERVICE_CENTRE]
HEALTH = [a.HEALTH, a.SERVICE_CENTRE]
HOME = [a.HOME_AFFAIRS, a.SERVICE_CENTRE]
AGRI = [a.AGRICULTURE_ENVIRONMENT, a.SERVICE_CENTRE]
TRADE = [a.INDUSTRY_TRADE, a.SERVICE_CENTRE]
TRAFFIC = [a.TRAFFIC_POLICE]

PERMIT = f.Form(
    "Đơn đề nghị cấp giấy phép xây dựng",
    "Sở Xây dựng",
    (
        f.text("ten_chu_dau_tu", "Tên chủ đầu tư"),
        f.text("ten_cong_trinh", "Tên công trình"),
        f.text("dia_diem_xay_dung", "Địa điểm xây dựng", 500),
        f.choice("cap_cong_trinh", "Cấp công trình", ["Cấp I", "Cấp II"]),
        f.choice("loai_giay_phep", "Loại giấy phép", ["Xây dựng mới", "Sửa chữa, cải tạo"]),
        f.number("tong_dien_tich_san_m2", "Tổng diện tích sàn (m²)", 1),
    ),
    "Mẫu đơn ban hành kèm Nghị định số 175/2024/NĐ-CP",
)
PRACTICE = f.Form(
    "Đơn đề nghị cấp chứng chỉ hành nghề hoạt động xây dựng",
    "Sở Xây dựng",
    (
        f.text("ho_ten", "Họ, chữ đệm, tên", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.choice(
            "linh_vuc_hanh_nghe",
            "Lĩnh vực hành nghề",
            [
                "Khảo sát xây dựng",
                "Thiết kế xây dựng công trình",
                "Giám sát thi công xây dựng",
                "Định giá xây dựng",
                "Quản lý dự án",
            ],
        ),
        f.choice("hang", "Hạng chứng chỉ", ["Hạng II", "Hạng III"]),
        f.text("trinh_do_chuyen_mon", "Trình độ chuyên môn (văn bằng)", 255),
    ),
    "Mẫu đơn ban hành kèm Nghị định số 175/2024/NĐ-CP",
)
CAPABILITY = f.Form(
    "Đơn đề nghị cấp chứng chỉ năng lực hoạt động xây dựng",
    "Sở Xây dựng",
    (
        *f.organisation(),
        f.choice(
            "linh_vuc",
            "Lĩnh vực hoạt động",
            [
                "Khảo sát xây dựng",
                "Lập thiết kế quy hoạch xây dựng",
                "Thiết kế, thẩm tra thiết kế",
                "Thi công xây dựng",
                "Giám sát thi công xây dựng",
            ],
        ),
        f.choice("hang", "Hạng chứng chỉ", ["Hạng II", "Hạng III"]),
    ),
    "Mẫu đơn ban hành kèm Nghị định số 175/2024/NĐ-CP",
)


# Each permit procedure's own form: a new building's form offers no "Sửa chữa, cải tạo".
NEW_PERMIT = f.narrowed(
    PERMIT, "Đơn đề nghị cấp giấy phép xây dựng mới", "loai_giay_phep", ["Xây dựng mới"]
)
REPAIR_PERMIT = f.narrowed(
    PERMIT,
    "Đơn đề nghị cấp giấy phép sửa chữa, cải tạo công trình",
    "loai_giay_phep",
    ["Sửa chữa, cải tạo"],
)


def construction() -> list[dict[str, Any]]:
    def permit(form: f.Form, template: str) -> list[Doc]:
        return [
            form_doc("don_de_nghi", form, template),
            Doc("giay_to_dat", "Bản sao giấy tờ chứng minh quyền sử dụng đất", copies=1),
            Doc("ho_so_thiet_ke", "Bản vẽ thiết kế xây dựng và văn bản thẩm định", types=(PDF,)),
        ]

    practice = [
        form_doc("don_de_nghi", PRACTICE, "don_chung_chi_hanh_nghe_xay_dung"),
        Doc("van_bang", "Văn bằng đào tạo", copies=1),
        Doc("anh_chan_dung", "Ảnh chân dung cỡ 4x6 cm", types=("image/jpeg", "image/png")),
    ]
    cchn = Fee("Lệ phí cấp chứng chỉ hành nghề hoạt động xây dựng", 150000)
    return [
        procedure(
            "1.009994",
            "Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II",
            level=3,
            agencies=CONSTRUCTION,
            field="HDXD",
            time=(20, WORKING_DAYS),
            result="Giấy phép xây dựng",
            paper=True,
            legal=XD,
            documents=permit(NEW_PERMIT, "don_de_nghi_giay_phep_xay_dung_moi_cap_tinh"),
            kinds=ORG,
            fees=[Fee("Lệ phí cấp giấy phép xây dựng công trình", 150000)],
        ),
        procedure(
            "1.009995",
            "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình cấp I, cấp II",
            level=3,
            agencies=CONSTRUCTION,
            field="HDXD",
            time=(20, WORKING_DAYS),
            result="Giấy phép xây dựng",
            paper=True,
            legal=XD,
            documents=permit(REPAIR_PERMIT, "don_de_nghi_giay_phep_sua_chua_cai_tao_cap_tinh"),
            kinds=ORG,
            fees=[Fee("Lệ phí cấp giấy phép xây dựng công trình", 150000)],
        ),
        procedure(
            "1.009928",
            "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
            level=4,
            agencies=CONSTRUCTION,
            field="HDXD",
            time=(20, WORKING_DAYS),
            result="Chứng chỉ hành nghề hoạt động xây dựng (bản điện tử)",
            legal=XD,
            documents=practice,
            fees=[cchn],
            kinds=(INDIVIDUAL, FOREIGNER),
        ),
        procedure(
            "1.009929",
            "Cấp lại chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
            level=4,
            agencies=CONSTRUCTION,
            field="HDXD",
            time=(10, WORKING_DAYS),
            result="Chứng chỉ hành nghề hoạt động xây dựng (cấp lại)",
            legal=XD,
            documents=practice[::2],
            fees=[Fee("Lệ phí cấp lại chứng chỉ hành nghề", 75000)],
            kinds=(INDIVIDUAL, FOREIGNER),
        ),
        procedure(
            "1.009930",
            "Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III",
            level=2,
            agencies=CONSTRUCTION,
            field="HDXD",
            time=(20, WORKING_DAYS),
            result="Chứng chỉ năng lực hoạt động xây dựng",
            legal=XD,
            documents=[
                form_doc("don_de_nghi", CAPABILITY, "don_chung_chi_nang_luc_xay_dung"),
                Doc("ho_so_nang_luc", "Hồ sơ năng lực của tổ chức", types=(PDF,)),
            ],
            fees=[Fee("Lệ phí cấp chứng chỉ năng lực hoạt động xây dựng", 1000000)],
            kinds=ORG,
        ),
    ]


LICENCE = f.Form(
    "Đơn đề nghị cấp giấy phép hành nghề khám bệnh, chữa bệnh (Mẫu 08)",
    "Sở Y tế",
    (
        f.text("ho_ten", "Họ, chữ đệm, tên", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.choice(
            "chuc_danh",
            "Chức danh chuyên môn đề nghị cấp",
            ["Bác sỹ", "Y sỹ", "Điều dưỡng", "Hộ sinh", "Kỹ thuật y", "Dinh dưỡng lâm sàng"],
        ),
        f.text("pham_vi_hanh_nghe", "Phạm vi hành nghề đề nghị", 500),
        f.text("co_so_thuc_hanh", "Cơ sở đã thực hành", 255),
    ),
    "Mẫu 08 Phụ lục I ban hành kèm Nghị định số 96/2023/NĐ-CP",
)
CLINIC = f.Form(
    "Đơn đề nghị cấp giấy phép hoạt động khám bệnh, chữa bệnh đối với phòng khám",
    "Sở Y tế",
    (
        f.text("ten_co_so", "Tên phòng khám"),
        f.text("dia_chi_co_so", "Địa chỉ phòng khám", 500),
        # A clinic licence: clinic types only (hospitals and pharmacies have their own procedures).
        f.choice(
            "hinh_thuc_to_chuc",
            "Hình thức tổ chức",
            [
                "Phòng khám đa khoa",
                "Phòng khám chuyên khoa",
                "Phòng khám bác sỹ gia đình",
                "Phòng khám y học cổ truyền",
                "Phòng khám răng hàm mặt",
            ],
        ),
        f.text("nguoi_chiu_trach_nhiem", "Người chịu trách nhiệm chuyên môn kỹ thuật", 100),
        f.text(
            "so_giay_phep_hanh_nghe",
            "Số giấy phép hành nghề của người chịu trách nhiệm chuyên môn",
            50,
        ),
    ),
    "Mẫu ban hành kèm Nghị định số 96/2023/NĐ-CP",
)
PHARMACIST = f.Form(
    "Đơn đề nghị cấp Chứng chỉ hành nghề dược",
    "Sở Y tế",
    (
        f.text("ho_ten", "Họ, chữ đệm, tên", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.choice(
            "van_bang",
            "Văn bằng chuyên môn",
            [
                "Đại học ngành dược",
                "Cao đẳng ngành dược",
                "Trung cấp ngành dược",
                "Đại học ngành y đa khoa",
                "Đại học ngành y học cổ truyền",
            ],
        ),
        f.choice(
            "vi_tri_hanh_nghe",
            "Vị trí hành nghề đề nghị",
            [
                "Người chịu trách nhiệm chuyên môn về dược của nhà thuốc",
                "Người chịu trách nhiệm chuyên môn về dược của quầy thuốc",
                "Người chịu trách nhiệm chuyên môn về dược của cơ sở bán buôn thuốc",
            ],
        ),
    ),
    "Mẫu đơn theo Luật Dược (sửa đổi năm 2024)",
)
PHARMACY = f.Form(
    "Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dược",
    "Sở Y tế",
    (
        f.text("ten_co_so", "Tên cơ sở"),
        f.text("dia_chi_co_so", "Địa chỉ cơ sở", 500),
        # Retail pharmacies only: wholesalers and manufacturers are licensed elsewhere.
        f.choice(
            "loai_hinh",
            "Loại hình cơ sở bán lẻ thuốc",
            ["Nhà thuốc", "Quầy thuốc", "Tủ thuốc trạm y tế xã"],
        ),
        f.text("nguoi_chiu_trach_nhiem", "Người chịu trách nhiệm chuyên môn về dược", 100),
        f.text("so_chung_chi_hanh_nghe", "Số Chứng chỉ hành nghề dược", 50),
    ),
    "Mẫu đơn theo Luật Dược (sửa đổi năm 2024)",
)


def health() -> list[dict[str, Any]]:
    degree = Doc("van_bang", "Bản sao văn bằng chuyên môn", copies=1)
    photo = Doc("anh_chan_dung", "Ảnh chân dung cỡ 4x6 cm", types=("image/jpeg", "image/png"))
    return [
        procedure(
            "1.012251",
            (
                "Cấp giấy phép hành nghề khám bệnh, chữa bệnh đối với chức danh bác sỹ, y sỹ, "
                "điều dưỡng, hộ sinh"
            ),
            level=3,
            agencies=HEALTH,
            field="KCB",
            time=(30, WORKING_DAYS),
            result="Giấy phép hành nghề khám bệnh, chữa bệnh",
            paper=True,
            legal=KCB,
            documents=[
                form_doc("don_de_nghi", LICENCE, "don_giay_phep_hanh_nghe_kcb"),
                degree,
                photo,
            ],
            fees=[Fee("Phí thẩm định cấp giấy phép hành nghề", 360000)],
            kinds=(INDIVIDUAL, FOREIGNER),
            about=(
                "Thay cho thủ tục cấp chứng chỉ hành nghề khám bệnh, chữa bệnh (Luật Khám "
                "bệnh, chữa bệnh 2023, hiệu lực từ 01/01/2024)"
            ),
        ),
        procedure(
            "1.012262",
            "Cấp giấy phép hoạt động khám bệnh, chữa bệnh đối với phòng khám",
            level=3,
            agencies=HEALTH,
            field="KCB",
            time=(60, WORKING_DAYS),
            result="Giấy phép hoạt động khám bệnh, chữa bệnh",
            paper=True,
            legal=KCB,
            documents=[
                form_doc("don_de_nghi", CLINIC, "don_giay_phep_hoat_dong_phong_kham"),
                Doc("danh_sach_nhan_su", "Danh sách người hành nghề", types=(PDF,)),
            ],
            fees=[Fee("Phí thẩm định cấp giấy phép hoạt động phòng khám", 4300000)],
            kinds=ORG,
        ),
        procedure(
            "1.004616",
            "Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ",
            level=4,
            agencies=HEALTH,
            field="DUOC",
            time=(20, WORKING_DAYS),
            result="Chứng chỉ hành nghề dược",
            paper=True,
            legal=DUOC,
            documents=[
                form_doc("don_de_nghi", PHARMACIST, "don_chung_chi_hanh_nghe_duoc"),
                degree,
                photo,
            ],
            fees=[Fee("Phí thẩm định cấp Chứng chỉ hành nghề dược", 500000)],
        ),
        procedure(
            "1.004604",
            "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược đối với cơ sở bán lẻ thuốc",
            level=3,
            agencies=HEALTH,
            field="DUOC",
            time=(20, WORKING_DAYS),
            result="Giấy chứng nhận đủ điều kiện kinh doanh dược",
            paper=True,
            legal=DUOC,
            documents=[
                form_doc("don_de_nghi", PHARMACY, "don_du_dieu_kien_kinh_doanh_duoc"),
                Doc(
                    "tai_lieu_ky_thuat",
                    "Tài liệu kỹ thuật về địa điểm, trang thiết bị",
                    types=(PDF,),
                ),
            ],
            fees=[Fee("Phí thẩm định điều kiện kinh doanh dược", 1000000)],
            kinds=(INDIVIDUAL, ORGANISATION),
        ),
        procedure(
            "1.004593",
            "Cấp lại Chứng chỉ hành nghề dược",
            level=2,
            fees=[
                unconfirmed(
                    "Phí thẩm định cấp lại Chứng chỉ hành nghề dược",
                    "Thông tư số 277/2016/TT-BTC, đã được sửa đổi, bổ sung",
                )
            ],
            agencies=HEALTH,
            field="DUOC",
            time=(5, WORKING_DAYS),
            result="Chứng chỉ hành nghề dược (cấp lại)",
            paper=True,
            legal=DUOC,
            documents=[form_doc("don_de_nghi", PHARMACIST, "don_chung_chi_hanh_nghe_duoc"), photo],
        ),
    ]
