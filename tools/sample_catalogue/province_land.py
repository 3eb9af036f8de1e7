"""Province-tier procedures of agriculture and environment (land with the land registration
office, water resources, environment) and of industry and trade."""

from typing import Any

from tools.sample_catalogue import agencies as a
from tools.sample_catalogue import forms as f
from tools.sample_catalogue.commune_services import LAND_FIRST
from tools.sample_catalogue.fees import WASTEWATER_FEES, free
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
from tools.sample_catalogue.province_services import AGRI, BVMT, DD, DKBD, TNN, TRADE

ORG = (ORGANISATION,)
REGISTRY = [a.LAND_REGISTRATION, a.SERVICE_CENTRE]
TRANSFER = f.Form(
    "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 11/ĐK)",
    "Văn phòng Đăng ký đất đai",
    (
        f.text("ho_ten_ben_chuyen", "Bên chuyển nhượng, tặng cho", 255),
        f.text("ho_ten_ben_nhan", "Bên nhận chuyển nhượng, tặng cho", 255),
        f.text("so_giay_chung_nhan", "Số phát hành Giấy chứng nhận đã cấp", 20),
        f.text("thua_dat_so", "Thửa đất số", 20),
        f.text("to_ban_do_so", "Tờ bản đồ số", 20),
        f.choice("loai_bien_dong", "Loại biến động", ["Chuyển nhượng", "Tặng cho", "Thừa kế"]),
    ),
    "Mẫu số 11/ĐK ban hành kèm Nghị định số 151/2025/NĐ-CP",
)
MORTGAGE = f.Form(
    "Phiếu yêu cầu đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
    "Văn phòng Đăng ký đất đai",
    (
        f.text("ben_the_chap", "Bên thế chấp", 255),
        f.text("ben_nhan_the_chap", "Bên nhận thế chấp", 255),
        f.choice("loai_yeu_cau", "Nội dung yêu cầu", ["Đăng ký thế chấp", "Xóa đăng ký thế chấp"]),
        f.text("so_giay_chung_nhan", "Số phát hành Giấy chứng nhận", 20),
        f.text("so_hop_dong", "Số hợp đồng thế chấp", 50),
    ),
    "Mẫu số 01a ban hành kèm Nghị định số 99/2022/NĐ-CP",
)
WATER = f.Form(
    "Đơn đề nghị cấp giấy phép khai thác tài nguyên nước",
    "Sở Nông nghiệp và Môi trường",
    (
        *f.organisation(),
        f.choice("nguon_nuoc", "Nguồn nước khai thác", ["Nước mặt", "Nước dưới đất"]),
        f.text("vi_tri_cong_trinh", "Vị trí công trình khai thác", 500),
        f.number("luu_luong_m3_ngay", "Lưu lượng khai thác (m³/ngày đêm)", 1),
        f.choice(
            "muc_dich",
            "Mục đích khai thác",
            [
                "Cấp nước sinh hoạt",
                "Sản xuất công nghiệp",
                "Nông nghiệp, nuôi trồng thủy sản",
                "Phát điện",
            ],
        ),
        f.number("thoi_han_de_nghi_nam", "Thời hạn đề nghị cấp phép (năm)", 1, 15),
    ),
    "Mẫu đơn ban hành kèm Nghị định số 54/2024/NĐ-CP",
)
# Each procedure's own form: registering a mortgage is not removing one, and a surface water
# licence is not a groundwater one.
MORTGAGE_REGISTER = f.narrowed(
    MORTGAGE,
    "Phiếu yêu cầu đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
    "loai_yeu_cau",
    ["Đăng ký thế chấp"],
)
MORTGAGE_REMOVE = f.narrowed(
    MORTGAGE,
    "Phiếu yêu cầu xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
    "loai_yeu_cau",
    ["Xóa đăng ký thế chấp"],
)
SURFACE_WATER = f.narrowed(
    WATER, "Đơn đề nghị cấp giấy phép khai thác, sử dụng nước mặt", "nguon_nuoc", ["Nước mặt"]
)
GROUNDWATER = f.narrowed(
    f.narrowed(
        WATER,
        "Đơn đề nghị cấp giấy phép khai thác, sử dụng nước dưới đất",
        "nguon_nuoc",
        ["Nước dưới đất"],
    ),
    "Đơn đề nghị cấp giấy phép khai thác, sử dụng nước dưới đất",
    "muc_dich",  # no hydropower from a well
    ["Cấp nước sinh hoạt", "Sản xuất công nghiệp", "Nông nghiệp, nuôi trồng thủy sản"],
)
LAND_INFO = f.Form(
    "Phiếu yêu cầu cung cấp thông tin, dữ liệu đất đai",
    "Văn phòng Đăng ký đất đai",
    (
        f.text("ten_nguoi_yeu_cau", "Tên tổ chức hoặc họ, chữ đệm, tên cá nhân yêu cầu"),
        f.text(
            "so_giay_to",
            "Số định danh cá nhân, số hộ chiếu hoặc mã số thuế của người yêu cầu",
            20,
        ),
        f.text("dia_chi", "Địa chỉ liên hệ", 500),
        f.phone(),
        f.text("thua_dat", "Thửa đất số, tờ bản đồ số, địa chỉ thửa đất", 500),
        f.text("thong_tin_yeu_cau", "Thông tin, dữ liệu đất đai cần cung cấp", 1000),
        f.text("muc_dich_su_dung", "Mục đích sử dụng thông tin, dữ liệu", 500),
        f.number("so_ban", "Số bộ tài liệu cần cung cấp", 1, 20),
    ),
    "Mẫu phiếu yêu cầu theo Nghị định số 101/2024/NĐ-CP (dữ liệu mẫu, số hiệu mẫu chưa đối chiếu)",
)
EIA = f.Form(
    "Văn bản đề nghị thẩm định báo cáo đánh giá tác động môi trường",
    "Sở Nông nghiệp và Môi trường",
    (
        *f.organisation(),
        f.text("ten_du_an", "Tên dự án đầu tư"),
        f.text("dia_diem_du_an", "Địa điểm thực hiện dự án", 500),
        f.choice("nhom_du_an", "Nhóm dự án theo mức độ tác động môi trường", ["Nhóm I", "Nhóm II"]),
    ),
    "Mẫu ban hành kèm Nghị định số 08/2022/NĐ-CP",
)
ENV_LICENCE = f.Form(
    "Văn bản đề nghị cấp giấy phép môi trường",
    "Sở Nông nghiệp và Môi trường",
    (
        *f.organisation(),
        f.text("ten_co_so", "Tên dự án, cơ sở"),
        f.number("luu_luong_nuoc_thai_m3_ngay", "Lưu lượng nước thải tối đa (m³/ngày đêm)", 0),
        f.yes_no("phat_sinh_chat_thai_nguy_hai", "Có phát sinh chất thải nguy hại"),
        f.number(
            "khoi_luong_chat_thai_nguy_hai_kg_nam",
            "Khối lượng chất thải nguy hại phát sinh (kg/năm)",
            0,
        ),
    ),
    "Mẫu ban hành kèm Nghị định số 08/2022/NĐ-CP",
)
WASTEWATER_FEE = f.Form(
    "Tờ khai phí bảo vệ môi trường đối với nước thải công nghiệp",
    "Sở Nông nghiệp và Môi trường",
    (
        *f.organisation(),
        f.choice("ky_ke_khai", "Kỳ kê khai", ["Quý I", "Quý II", "Quý III", "Quý IV"]),
        f.number("nam", "Năm", 2025, 2100),
        f.number("luong_nuoc_thai_m3", "Tổng lượng nước thải trong kỳ (m³)", 0),
    ),
    "Mẫu số 01 ban hành kèm Nghị định số 53/2020/NĐ-CP",
)
REP_OFFICE = f.Form(
    "Đơn đề nghị cấp Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài",
    "Sở Công Thương",
    (
        f.text("ten_thuong_nhan", "Tên thương nhân nước ngoài"),
        f.text("quoc_tich_thuong_nhan", "Quốc tịch của thương nhân", 100),
        f.text("ten_van_phong", "Tên Văn phòng đại diện"),
        f.text("dia_chi_van_phong", "Địa chỉ đặt trụ sở Văn phòng đại diện", 500),
        f.text("nguoi_dung_dau", "Người đứng đầu Văn phòng đại diện", 100),
    ),
    "Mẫu MĐ-1 ban hành kèm Thông tư của Bộ Công Thương hướng dẫn Nghị định số 07/2016/NĐ-CP",
)
PROMOTION = f.Form(
    "Thông báo thực hiện khuyến mại",
    "Sở Công Thương",
    (
        *f.organisation(),
        f.text("ten_chuong_trinh", "Tên chương trình khuyến mại"),
        f.choice(
            "hinh_thuc",
            "Hình thức khuyến mại",
            ["Tặng hàng mẫu", "Tặng quà", "Giảm giá", "Tặng phiếu mua hàng", "Bốc thăm may rủi"],
        ),
        f.date("tu_ngay", "Thời gian khuyến mại từ ngày"),
        f.date("den_ngay", "Thời gian khuyến mại đến ngày"),
    ),
    "Mẫu số 01 ban hành kèm Nghị định số 81/2018/NĐ-CP",
)


def agriculture_environment() -> list[dict[str, Any]]:
    pause = "thời gian thực hiện nghĩa vụ tài chính không tính vào thời hạn giải quyết"
    return [
        procedure(
            "1.012791",
            (
                "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng "
                "đất, quyền sở hữu tài sản gắn liền với đất lần đầu đối với tổ chức"
            ),
            level=3,
            agencies=AGRI,
            field="DD",
            time=(20, WORKING_DAYS),
            result="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            paper=True,
            legal=DD,
            fee_pauses_clock=True,
            kinds=ORG,
            documents=[
                form_doc("don_dang_ky", LAND_FIRST, "don_dang_ky_dat_dai_04dk"),
                Doc("giay_to_nguon_goc", "Giấy tờ về quyền sử dụng đất", copies=1),
            ],
            fees=[
                Fee("Lệ phí cấp Giấy chứng nhận cho tổ chức", 500000),
                Fee("Phí thẩm định hồ sơ cấp Giấy chứng nhận", 1000000),
            ],
            about=f"Cấp Giấy chứng nhận lần đầu cho tổ chức; {pause}",
        ),
        procedure(
            "1.012800",
            (
                "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do "
                "chuyển nhượng, tặng cho"
            ),
            level=3,
            agencies=REGISTRY,
            field="DD",
            time=(10, WORKING_DAYS),
            result="Giấy chứng nhận quyền sử dụng đất (cấp mới hoặc xác nhận thay đổi)",
            paper=True,
            legal=DD,
            fee_pauses_clock=True,
            kinds=(INDIVIDUAL, ORGANISATION),
            documents=[
                form_doc("don_dang_ky", TRANSFER, "don_dang_ky_bien_dong_11dk"),
                Doc("hop_dong", "Hợp đồng chuyển nhượng, tặng cho đã công chứng, chứng thực"),
                Doc("giay_chung_nhan", "Bản gốc Giấy chứng nhận đã cấp"),
            ],
            fees=[Fee("Lệ phí đăng ký biến động", 30000), Fee("Phí thẩm định hồ sơ", 500000)],
            about=f"Đăng ký biến động tại Văn phòng Đăng ký đất đai; {pause}",
        ),
        procedure(
            "1.012810",
            "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
            level=4,
            agencies=REGISTRY,
            field="DKBD",
            time=(1, WORKING_DAYS),
            result="Xác nhận đăng ký thế chấp trên Giấy chứng nhận",
            legal=[*DD, *DKBD],
            documents=[
                form_doc("phieu_yeu_cau", MORTGAGE_REGISTER, "phieu_yeu_cau_dang_ky_the_chap"),
                Doc("hop_dong_the_chap", "Hợp đồng thế chấp", types=(PDF,)),
            ],
            fees=[Fee("Phí đăng ký biện pháp bảo đảm", 80000)],
            kinds=(INDIVIDUAL, ORGANISATION),
        ),
        procedure(
            "1.012811",
            "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
            level=4,
            agencies=REGISTRY,
            field="DKBD",
            time=(1, WORKING_DAYS),
            result="Xác nhận xóa đăng ký thế chấp",
            legal=[*DD, *DKBD],
            documents=[
                form_doc("phieu_yeu_cau", MORTGAGE_REMOVE, "phieu_yeu_cau_xoa_dang_ky_the_chap")
            ],
            fees=[Fee("Phí xóa đăng ký biện pháp bảo đảm", 20000)],
            kinds=(INDIVIDUAL, ORGANISATION),
        ),
        procedure(
            "1.012815",
            "Cung cấp thông tin, dữ liệu đất đai",
            level=2,
            agencies=REGISTRY,
            field="DD",
            time=(2, WORKING_DAYS),
            result="Thông tin, dữ liệu đất đai",
            legal=DD,
            documents=[form_doc("phieu_yeu_cau", LAND_INFO, "phieu_yeu_cau_thong_tin_dat_dai")],
            fees=[
                Fee(
                    "Phí khai thác, sử dụng tài liệu đất đai (theo hồ sơ, tài liệu)",
                    30000,
                    per="set",
                )
            ],
            kinds=(INDIVIDUAL, ORGANISATION, FOREIGNER),
        ),
        procedure(
            "1.004232",
            "Cấp giấy phép khai thác, sử dụng nước mặt",
            level=3,
            agencies=AGRI,
            field="TNN",
            time=(30, WORKING_DAYS),
            result="Giấy phép khai thác tài nguyên nước",
            legal=TNN,
            kinds=ORG,
            documents=[
                form_doc("don_de_nghi", SURFACE_WATER, "don_giay_phep_khai_thac_nuoc_mat"),
                Doc("de_an", "Đề án khai thác, sử dụng nước", types=(PDF,)),
            ],
            fees=[Fee("Phí thẩm định đề án khai thác, sử dụng nước mặt", 2500000)],
        ),
        procedure(
            "1.004228",
            "Cấp giấy phép khai thác, sử dụng nước dưới đất",
            level=3,
            agencies=AGRI,
            field="TNN",
            time=(30, WORKING_DAYS),
            result="Giấy phép khai thác tài nguyên nước",
            legal=TNN,
            kinds=ORG,
            documents=[
                form_doc("don_de_nghi", GROUNDWATER, "don_giay_phep_khai_thac_nuoc_duoi_dat"),
                Doc(
                    "bao_cao_tham_do",
                    "Báo cáo kết quả thăm dò, đánh giá trữ lượng nước dưới đất",
                    types=(PDF,),
                ),
            ],
            fees=[Fee("Phí thẩm định hồ sơ khai thác nước dưới đất", 2000000)],
        ),
        procedure(
            "1.010728",
            "Thẩm định báo cáo đánh giá tác động môi trường",
            level=3,
            agencies=AGRI,
            field="MT",
            time=(30, WORKING_DAYS),
            result="Quyết định phê duyệt kết quả thẩm định báo cáo đánh giá tác động môi trường",
            legal=BVMT,
            kinds=ORG,
            documents=[
                form_doc("van_ban_de_nghi", EIA, "de_nghi_tham_dinh_dtm"),
                Doc("bao_cao_dtm", "Báo cáo đánh giá tác động môi trường", types=(PDF,)),
            ],
            fees=[Fee("Phí thẩm định báo cáo đánh giá tác động môi trường", 15000000)],
        ),
        procedure(
            "1.010729",
            "Cấp giấy phép môi trường",
            level=3,
            agencies=AGRI,
            field="MT",
            time=(30, WORKING_DAYS),
            result="Giấy phép môi trường",
            legal=BVMT,
            kinds=ORG,
            documents=[
                form_doc("van_ban_de_nghi", ENV_LICENCE, "de_nghi_giay_phep_moi_truong"),
                Doc("bao_cao_de_xuat", "Báo cáo đề xuất cấp giấy phép môi trường", types=(PDF,)),
            ],
            fees=[Fee("Phí thẩm định cấp giấy phép môi trường", 10000000)],
            about=(
                "Giấy phép môi trường tích hợp các giấy phép cũ về xả nước thải và đăng ký "
                "chủ nguồn thải chất thải nguy hại (Luật Bảo vệ môi trường 2020, hiệu lực "
                "từ 01/01/2022)"
            ),
        ),
        procedure(
            "1.010730",
            "Kê khai, thẩm định tờ khai phí bảo vệ môi trường đối với nước thải công nghiệp",
            level=4,
            fees=[free(WASTEWATER_FEES)],
            agencies=AGRI,
            field="MT",
            time=(10, WORKING_DAYS),
            result="Thông báo số phí bảo vệ môi trường phải nộp",
            legal=["Nghị định số 53/2020/NĐ-CP về phí bảo vệ môi trường đối với nước thải"],
            documents=[form_doc("to_khai", WASTEWATER_FEE, "to_khai_phi_nuoc_thai")],
            kinds=ORG,
        ),
    ]


def industry_trade() -> list[dict[str, Any]]:
    return [
        procedure(
            "1.010010",
            "Cấp Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài tại Việt Nam",
            level=3,
            agencies=TRADE,
            field="TM",
            time=(7, WORKING_DAYS),
            result="Giấy phép thành lập Văn phòng đại diện",
            paper=True,
            legal=["Luật Thương mại số 36/2005/QH11", "Nghị định số 07/2016/NĐ-CP"],
            documents=[
                form_doc("don_de_nghi", REP_OFFICE, "don_thanh_lap_van_phong_dai_dien"),
                Doc(
                    "giay_dang_ky_thuong_nhan",
                    (
                        "Bản sao giấy đăng ký kinh doanh của thương nhân nước ngoài (hợp pháp hóa "
                        "lãnh sự)"
                    ),
                ),
            ],
            fees=[Fee("Lệ phí cấp Giấy phép thành lập Văn phòng đại diện", 3000000)],
            kinds=(FOREIGNER, ORGANISATION),
        ),
        procedure(
            "2.000002",
            "Thông báo thực hiện khuyến mại",
            level=4,
            fees=[free()],
            agencies=TRADE,
            field="XTTM",
            time=(1, WORKING_DAYS),
            result="Tiếp nhận thông báo thực hiện khuyến mại",
            issues_result=False,
            legal=[
                "Luật Thương mại số 36/2005/QH11",
                "Nghị định số 81/2018/NĐ-CP (sửa đổi, bổ sung bởi Nghị định số 128/2024/NĐ-CP)",
            ],
            documents=[form_doc("thong_bao", PROMOTION, "thong_bao_khuyen_mai")],
            kinds=ORG,
        ),
    ]
