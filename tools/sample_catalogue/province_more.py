"""Province-tier procedures of home affairs (labour, foreign workers, employment), the police
(driving licences since 1 March 2025, identity cards), agriculture and environment (land,
water, environment) and industry and trade."""

from typing import Any

from tools.sample_catalogue import agencies as a
from tools.sample_catalogue import forms as f
from tools.sample_catalogue.fees import ID_CARD_FEES, free
from tools.sample_catalogue.model import (
    FOREIGNER,
    INDIVIDUAL,
    JPEG,
    ORGANISATION,
    PDF,
    PNG,
    WORKING_DAYS,
    Doc,
    Fee,
    form_doc,
    procedure,
)
from tools.sample_catalogue.province_services import (
    GPLX,
    HOME,
    LD,
    TRAFFIC,
    VL,
)

ORG = (ORGANISATION,)
PHOTO = Doc("anh_chan_dung", "Ảnh chân dung cỡ 4x6 cm", types=(JPEG, PNG))

WORK_PERMIT = f.Form(
    "Văn bản đề nghị cấp giấy phép lao động cho người lao động nước ngoài",
    "Sở Nội vụ",
    (
        *f.organisation(),
        f.text("ho_ten_nguoi_lao_dong", "Họ, tên người lao động nước ngoài (theo hộ chiếu)", 100),
        f.text("so_ho_chieu", "Số hộ chiếu", 20),
        f.text("quoc_tich", "Quốc tịch", 100),
        f.choice(
            "vi_tri_cong_viec",
            "Vị trí công việc",
            ["Nhà quản lý", "Giám đốc điều hành", "Chuyên gia", "Lao động kỹ thuật"],
        ),
        f.date("tu_ngay", "Thời hạn làm việc từ ngày"),
        f.date("den_ngay", "Thời hạn làm việc đến ngày"),
    ),
    "Mẫu ban hành kèm Nghị định số 219/2025/NĐ-CP",
)
EXEMPTION = f.Form(
    "Văn bản đề nghị xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
    "Sở Nội vụ",
    WORK_PERMIT.fields[:5]
    + WORK_PERMIT.fields[5:8]
    + (
        f.choice(
            "truong_hop_mien",
            "Trường hợp không thuộc diện cấp giấy phép lao động",
            [
                "Chủ sở hữu, thành viên góp vốn",
                "Di chuyển nội bộ doanh nghiệp",
                "Vào Việt Nam dưới 90 ngày để cung cấp dịch vụ",
                "Trường hợp khác theo Nghị định",
            ],
        ),
    ),
    "Mẫu ban hành kèm Nghị định số 219/2025/NĐ-CP",
)
RULES = f.Form(
    "Văn bản đề nghị đăng ký nội quy lao động",
    "Sở Nội vụ",
    (
        *f.organisation(),
        f.number("so_lao_dong", "Số người lao động đang sử dụng", 10),
        f.yes_no("co_to_chuc_dai_dien", "Có tổ chức đại diện người lao động tại cơ sở"),
    ),
    "Văn bản đề nghị theo Bộ luật Lao động 2019, Điều 119-120",
)
UNEMPLOYMENT = f.Form(
    "Đề nghị hưởng trợ cấp thất nghiệp",
    "Trung tâm Dịch vụ việc làm, Sở Nội vụ",
    (
        f.text("ho_ten", "Họ, chữ đệm, tên", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.text("so_so_bhxh", "Số sổ bảo hiểm xã hội", 10),
        f.date("ngay_cham_dut_hop_dong", "Ngày chấm dứt hợp đồng lao động"),
        f.text("so_tai_khoan", "Số tài khoản nhận trợ cấp", 30),
    ),
    "Mẫu ban hành kèm văn bản hướng dẫn Luật Việc làm 2025",
)

VOCATIONAL = f.Form(
    "Đề nghị hỗ trợ học nghề",
    "Trung tâm Dịch vụ việc làm, Sở Nội vụ",
    (
        f.text("ho_ten", "Họ, chữ đệm, tên", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.text("so_so_bhxh", "Số sổ bảo hiểm xã hội", 10),
        f.text("so_quyet_dinh_tro_cap", "Số quyết định hưởng trợ cấp thất nghiệp", 50),
        f.text("nghe_de_nghi_hoc", "Tên nghề đề nghị học", 255),
        f.text("co_so_dao_tao", "Cơ sở đào tạo nghề nghiệp", 255),
        f.number("thoi_gian_hoc_thang", "Thời gian học (tháng)", 1, 6),
        f.phone(),
    ),
    "Mẫu ban hành kèm văn bản hướng dẫn Luật Việc làm 2025 (dữ liệu mẫu, số hiệu mẫu chưa "
    "đối chiếu)",
)


def home_affairs() -> list[dict[str, Any]]:
    permit = [
        form_doc("van_ban_de_nghi", WORK_PERMIT, "de_nghi_giay_phep_lao_dong"),
        Doc("ho_chieu", "Bản sao hộ chiếu còn giá trị", copies=1),
        Doc("giay_kham_suc_khoe", "Giấy chứng nhận sức khỏe", types=(PDF,)),
        PHOTO,
    ]
    fee = Fee("Lệ phí cấp giấy phép lao động (theo nghị quyết của Hội đồng nhân dân tỉnh)", 600000)
    kinds = (ORGANISATION, FOREIGNER)
    about = (
        "Từ ngày 01/3/2025 do Sở Nội vụ thực hiện (trước đây Sở Lao động - Thương binh và Xã hội)"
    )
    return [
        procedure(
            "1.014199",
            "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
            level=4,
            agencies=HOME,
            field="LD",
            time=(10, WORKING_DAYS),
            result="Giấy phép lao động",
            legal=LD,
            documents=permit,
            fees=[fee],
            kinds=kinds,
            about=about,
        ),
        procedure(
            "1.014200",
            "Cấp lại giấy phép lao động cho người lao động nước ngoài",
            level=4,
            agencies=HOME,
            field="LD",
            time=(5, WORKING_DAYS),
            result="Giấy phép lao động (cấp lại)",
            legal=LD,
            documents=[*permit[:2], PHOTO],
            fees=[Fee("Lệ phí cấp lại giấy phép lao động", 450000)],
            kinds=kinds,
        ),
        procedure(
            "1.014201",
            "Gia hạn giấy phép lao động cho người lao động nước ngoài",
            level=4,
            agencies=HOME,
            field="LD",
            time=(5, WORKING_DAYS),
            result="Giấy phép lao động (gia hạn)",
            legal=LD,
            documents=permit,
            fees=[Fee("Lệ phí gia hạn giấy phép lao động", 450000)],
            kinds=kinds,
        ),
        procedure(
            "1.014196",
            "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
            level=3,
            fees=[free("Thông tư số 85/2019/TT-BTC chỉ có lệ phí cấp giấy phép lao động")],
            agencies=HOME,
            field="LD",
            time=(5, WORKING_DAYS),
            result="Văn bản xác nhận không thuộc diện cấp giấy phép lao động",
            legal=LD,
            documents=[
                form_doc("van_ban_de_nghi", EXEMPTION, "de_nghi_mien_giay_phep_lao_dong"),
                Doc("ho_chieu", "Bản sao hộ chiếu còn giá trị", copies=1),
            ],
            kinds=kinds,
        ),
        procedure(
            "2.001955",
            "Đăng ký nội quy lao động của doanh nghiệp",
            level=3,
            fees=[free()],
            agencies=HOME,
            field="LD",
            time=(7, WORKING_DAYS),
            result="Thông báo về việc đăng ký nội quy lao động",
            legal=LD[:1],
            documents=[
                form_doc("van_ban_de_nghi", RULES, "de_nghi_dang_ky_noi_quy_lao_dong"),
                Doc(
                    "noi_quy",
                    "Nội quy lao động",
                    types=(
                        PDF,
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    ),
                ),
                Doc("gop_y", "Văn bản góp ý của tổ chức đại diện người lao động", required=False),
            ],
            kinds=ORG,
        ),
        procedure(
            "1.001865",
            "Giải quyết hưởng trợ cấp thất nghiệp",
            level=4,
            fees=[free()],
            agencies=HOME,
            field="VL",
            time=(20, WORKING_DAYS),
            result="Quyết định hưởng trợ cấp thất nghiệp",
            legal=VL,
            documents=[
                form_doc("de_nghi", UNEMPLOYMENT, "de_nghi_tro_cap_that_nghiep"),
                Doc(
                    "quyet_dinh_nghi_viec",
                    "Bản sao giấy tờ chứng minh chấm dứt hợp đồng lao động",
                    copies=1,
                ),
            ],
            about=(
                "Giải quyết hưởng trợ cấp thất nghiệp tại Trung tâm Dịch vụ việc làm thuộc "
                "Sở Nội vụ (Luật Việc làm 2025, hiệu lực từ 01/01/2026)"
            ),
        ),
        procedure(
            "1.001881",
            "Hỗ trợ học nghề cho người lao động đang hưởng trợ cấp thất nghiệp",
            level=2,
            fees=[free()],
            agencies=HOME,
            field="VL",
            time=(20, WORKING_DAYS),
            result="Quyết định hỗ trợ học nghề",
            legal=VL,
            documents=[form_doc("de_nghi", VOCATIONAL, "de_nghi_ho_tro_hoc_nghe")],
        ),
    ]


DRIVER = f.Form(
    "Đơn đề nghị đổi, cấp lại giấy phép lái xe",
    "Phòng Cảnh sát giao thông, Công an tỉnh",
    (
        f.text("ho_ten", "Họ, chữ đệm, tên", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.text("so_giay_phep_lai_xe", "Số giấy phép lái xe đang có", 20),
        f.choice(
            "hang",
            "Hạng giấy phép lái xe",
            [
                "A1",
                "A",
                "B1",
                "B",
                "C1",
                "C",
                "D1",
                "D2",
                "D",
                "BE",
                "C1E",
                "CE",
                "D1E",
                "D2E",
                "DE",
            ],
        ),
        f.choice(
            "ly_do", "Lý do đề nghị", ["Hết hạn sử dụng", "Bị hỏng", "Bị mất", "Thay đổi thông tin"]
        ),
    ),
    "Mẫu đơn ban hành kèm Thông tư số 12/2025/TT-BCA",
)
# Exchanging a licence is for one that is expiring, damaged or out of date; a lost one is
# reissued (cấp lại), with no choice left.
DRIVER_EXCHANGE = f.narrowed(
    DRIVER,
    "Đơn đề nghị đổi giấy phép lái xe",
    "ly_do",
    ["Hết hạn sử dụng", "Bị hỏng", "Thay đổi thông tin"],
)
DRIVER_REISSUE = f.narrowed(DRIVER, "Đơn đề nghị cấp lại giấy phép lái xe", "ly_do", ["Bị mất"])
FOREIGN_LICENCE = f.Form(
    "Đơn đề nghị đổi giấy phép lái xe do nước ngoài cấp",
    "Phòng Cảnh sát giao thông, Công an tỉnh",
    (
        f.text("ho_ten", "Họ, tên (theo hộ chiếu)", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.text("so_ho_chieu", "Số hộ chiếu", 20),
        f.text("quoc_gia_cap", "Quốc gia cấp giấy phép lái xe", 100),
        f.text("so_giay_phep_nuoc_ngoai", "Số giấy phép lái xe nước ngoài", 30),
    ),
    "Mẫu đơn ban hành kèm Thông tư số 12/2025/TT-BCA",
)
INTERNATIONAL = f.Form(
    "Đơn đề nghị cấp giấy phép lái xe quốc tế",
    "Phòng Cảnh sát giao thông, Công an tỉnh",
    (
        f.text("ho_ten", "Họ, chữ đệm, tên", 100),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.text("so_giay_phep_lai_xe", "Số giấy phép lái xe quốc gia", 20),
        f.text("nuoc_den", "Quốc gia dự kiến đến", 100),
    ),
    "Mẫu đơn ban hành kèm Thông tư số 12/2025/TT-BCA",
)


def police() -> list[dict[str, Any]]:
    moved = "Từ ngày 01/3/2025 do Công an tỉnh thực hiện (trước đây Sở Giao thông vận tải)"
    fee = Fee("Lệ phí cấp giấy phép lái xe", 135000)
    health = Doc("giay_kham_suc_khoe", "Giấy khám sức khỏe của người lái xe", types=(PDF,))
    return [
        procedure(
            "1.002809",
            "Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
            level=4,
            agencies=TRAFFIC,
            field="GPLX",
            time=(5, WORKING_DAYS),
            result="Giấy phép lái xe",
            paper=True,
            legal=GPLX,
            documents=[
                form_doc("don_de_nghi", DRIVER_EXCHANGE, "don_doi_giay_phep_lai_xe"),
                health,
            ],
            fees=[fee],
            about=moved,
        ),
        procedure(
            "1.002804",
            "Cấp lại giấy phép lái xe",
            level=4,
            agencies=TRAFFIC,
            field="GPLX",
            time=(5, WORKING_DAYS),
            result="Giấy phép lái xe",
            paper=True,
            legal=GPLX,
            documents=[
                form_doc("don_de_nghi", DRIVER_REISSUE, "don_cap_lai_giay_phep_lai_xe"),
                health,
            ],
            fees=[fee],
            about=moved,
        ),
        procedure(
            "1.002820",
            "Đổi giấy phép lái xe do cơ quan có thẩm quyền của nước ngoài cấp",
            level=3,
            agencies=TRAFFIC,
            field="GPLX",
            time=(5, WORKING_DAYS),
            result="Giấy phép lái xe",
            paper=True,
            legal=GPLX,
            documents=[
                form_doc("don_de_nghi", FOREIGN_LICENCE, "don_doi_giay_phep_lai_xe_nuoc_ngoai"),
                Doc("ban_dich", "Bản dịch giấy phép lái xe nước ngoài có chứng thực"),
                Doc("ho_chieu", "Bản sao hộ chiếu", copies=1),
            ],
            fees=[fee],
            kinds=(FOREIGNER, INDIVIDUAL),
            about=moved,
        ),
        procedure(
            "1.002835",
            "Cấp giấy phép lái xe quốc tế",
            level=4,
            agencies=TRAFFIC,
            field="GPLX",
            time=(5, WORKING_DAYS),
            result="Giấy phép lái xe quốc tế",
            paper=True,
            legal=GPLX,
            documents=[
                form_doc("don_de_nghi", INTERNATIONAL, "don_giay_phep_lai_xe_quoc_te"),
                PHOTO,
            ],
            fees=[fee],
            about=moved,
        ),
        procedure(
            "1.001777",
            "Sát hạch cấp giấy phép lái xe",
            level=2,
            agencies=TRAFFIC,
            field="GPLX",
            time=(10, WORKING_DAYS),
            result="Giấy phép lái xe",
            paper=True,
            legal=GPLX,
            documents=[
                Doc("danh_sach_thi_sinh", "Danh sách thí sinh dự sát hạch do cơ sở đào tạo lập"),
                health,
            ],
            fees=[
                Fee("Phí sát hạch lý thuyết", 100000),
                Fee("Phí sát hạch thực hành trong hình", 350000),
                Fee("Phí sát hạch thực hành trên đường", 80000),
                fee,
            ],
            about="Sát hạch lái xe: từ ngày 01/3/2025 do Công an tỉnh tổ chức",
        ),
        procedure(
            "1.116410",
            "Cấp thẻ căn cước cho công dân Việt Nam từ đủ 14 tuổi trở lên",
            level=3,
            fees=[free(ID_CARD_FEES)],
            agencies=[a.ADMIN_POLICE],
            field="CC",
            time=(7, WORKING_DAYS),
            result="Thẻ căn cước",
            paper=True,
            legal=[
                "Luật Căn cước số 26/2023/QH15",
                "Nghị định số 70/2024/NĐ-CP",
                "Thông tư số 17/2024/TT-BCA",
            ],
            documents=[form_doc("to_khai", CARD, "to_khai_can_cuoc")],
            channels=["counter", "online"],
            about=(
                "Cấp thẻ căn cước lần đầu (miễn lệ phí); thu nhận ảnh, vân tay, mống mắt "
                "tại nơi làm thủ tục"
            ),
        ),
    ]


CARD = f.Form(
    "Tờ khai căn cước (Mẫu CC01)",
    "Công an tỉnh",
    (
        f.text("ho_ten", "Họ, chữ đệm và tên khai sinh", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.choice("gioi_tinh", "Giới tính", ["Nam", "Nữ"]),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.text("noi_thuong_tru", "Nơi thường trú", 500),
    ),
    "Mẫu CC01 ban hành kèm Thông tư số 17/2024/TT-BCA",
)
