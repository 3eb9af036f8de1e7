"""Province-tier procedures of the departments that receive at the public administration
service centre (the centre shares each of them: one record, two offering agencies), of the
People's Committee, and of the inspectorate.

Since 1 March 2025: business registration and investment are with the Department of Finance
(which absorbed Planning and Investment), labour and foreign workers with the Department of
Home Affairs (which absorbed Labour, Invalids and Social Affairs), land, water and environment
with the Department of Agriculture and Environment."""

from typing import Any

from tools.sample_catalogue import agencies as a
from tools.sample_catalogue import forms as f
from tools.sample_catalogue.fees import INVESTMENT_FEES, free
from tools.sample_catalogue.model import (
    CALENDAR_DAYS,
    FOREIGNER,
    INDIVIDUAL,
    ORGANISATION,
    WORKING_DAYS,
    Doc,
    Fee,
    form_doc,
    procedure,
)

FINANCE = [a.FINANCE, a.SERVICE_CENTRE]
DN = [
    "Luật Doanh nghiệp số 59/2020/QH14 (sửa đổi, bổ sung năm 2025)",
    "Nghị định số 168/2025/NĐ-CP về đăng ký doanh nghiệp",
    "Thông tư số 47/2019/TT-BTC (phí, lệ phí đăng ký doanh nghiệp)",
]
DT = [
    "Luật Đầu tư số 61/2020/QH14 (đã được sửa đổi, bổ sung)",
    "Nghị định số 31/2021/NĐ-CP (đã được sửa đổi, bổ sung)",
]
DN_FEES = [
    Fee(
        "Lệ phí đăng ký doanh nghiệp (miễn khi đăng ký qua mạng)", 50000, online_discount_vnd=50000
    ),
    Fee("Phí công bố nội dung đăng ký doanh nghiệp", 100000),
]
ORG = (ORGANISATION,)
FOUNDERS = (INDIVIDUAL, ORGANISATION, FOREIGNER)

ENTERPRISE = f.Form(
    "Giấy đề nghị đăng ký doanh nghiệp",
    "Phòng Đăng ký kinh doanh, Sở Tài chính",
    (
        f.text("ten_doanh_nghiep", "Tên doanh nghiệp viết bằng tiếng Việt"),
        f.text("ten_nuoc_ngoai", "Tên doanh nghiệp viết bằng tiếng nước ngoài").optional(),
        f.text("dia_chi_tru_so", "Địa chỉ trụ sở chính", 500),
        f.number("von_dieu_le", "Vốn điều lệ (đồng)", 1),
        f.codes(
            "nganh_nghe",
            "Ngành, nghề kinh doanh (mã VSIC cấp 4)",
            "^[0-9]{4}$",
            "Mã ngành",
            "mã 4 chữ số",
        ),
        f.text("nguoi_dai_dien", "Họ, chữ đệm, tên người đại diện theo pháp luật", 100),
        f.id_number(
            "so_dinh_danh_nguoi_dai_dien", "Số định danh cá nhân của người đại diện theo pháp luật"
        ),
    ),
    (
        "Mẫu Giấy đề nghị đăng ký doanh nghiệp ban hành kèm Thông tư của Bộ Tài chính hướng dẫn "
        "Nghị định số 168/2025/NĐ-CP"
    ),
)
ENTERPRISE_CHANGE = f.Form(
    "Thông báo thay đổi nội dung đăng ký doanh nghiệp",
    "Phòng Đăng ký kinh doanh, Sở Tài chính",
    (
        f.text("ten_doanh_nghiep", "Tên doanh nghiệp"),
        f.tax_code("ma_so_doanh_nghiep", "Mã số doanh nghiệp"),
        f.choice(
            "noi_dung_thay_doi",
            "Nội dung thay đổi",
            [
                "Tên doanh nghiệp",
                "Địa chỉ trụ sở chính",
                "Ngành, nghề kinh doanh",
                "Vốn điều lệ",
                "Người đại diện theo pháp luật",
            ],
        ),
        f.text("noi_dung_moi", "Nội dung sau khi thay đổi", 1000),
    ),
    "Mẫu ban hành kèm Thông tư hướng dẫn Nghị định số 168/2025/NĐ-CP",
)
BRANCH = f.Form(
    "Thông báo thành lập chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
    "Phòng Đăng ký kinh doanh, Sở Tài chính",
    (
        f.tax_code("ma_so_doanh_nghiep", "Mã số doanh nghiệp"),
        f.choice(
            "loai_don_vi",
            "Loại đơn vị phụ thuộc",
            ["Chi nhánh", "Văn phòng đại diện", "Địa điểm kinh doanh"],
        ),
        f.text("ten_don_vi", "Tên đơn vị phụ thuộc"),
        f.text("dia_chi_don_vi", "Địa chỉ đơn vị phụ thuộc", 500),
        f.text("nguoi_dung_dau", "Họ, chữ đệm, tên người đứng đầu", 100),
    ),
    "Mẫu ban hành kèm Thông tư hướng dẫn Nghị định số 168/2025/NĐ-CP",
)
INVESTMENT = f.Form(
    "Văn bản đề nghị cấp Giấy chứng nhận đăng ký đầu tư",
    "Sở Tài chính",
    (
        f.text("ten_nha_dau_tu", "Tên nhà đầu tư"),
        f.text("ten_du_an", "Tên dự án đầu tư"),
        f.text("dia_diem_du_an", "Địa điểm thực hiện dự án", 500),
        f.number("tong_von_dau_tu", "Tổng vốn đầu tư (đồng)", 1),
        f.number("dien_tich_dat_m2", "Diện tích đất sử dụng (m²)", 0),
        f.number("thoi_han_hoat_dong_nam", "Thời hạn hoạt động của dự án (năm)", 1, 70),
    ),
    "Mẫu A.I ban hành kèm Thông tư của Bộ Kế hoạch và Đầu tư hướng dẫn Luật Đầu tư",
)


def business() -> list[dict[str, Any]]:
    enterprise = [
        form_doc("giay_de_nghi", ENTERPRISE, "giay_de_nghi_dang_ky_doanh_nghiep"),
        Doc("dieu_le", "Điều lệ công ty", types=("application/pdf",), required=False),
        Doc(
            "giay_to_phap_ly",
            "Bản sao giấy tờ pháp lý của cá nhân, tổ chức (khi chưa có số định danh)",
            required=False,
        ),
    ]
    return [
        procedure(
            "2.001610",
            "Đăng ký thành lập doanh nghiệp tư nhân",
            level=4,
            agencies=FINANCE,
            field="DKKD",
            time=(3, WORKING_DAYS),
            result="Giấy chứng nhận đăng ký doanh nghiệp",
            legal=DN,
            documents=enterprise[::2],
            fees=DN_FEES,
            kinds=(INDIVIDUAL, FOREIGNER),
            about=(
                "Đăng ký thành lập doanh nghiệp tư nhân: từ ngày 01/3/2025 tại Sở Tài chính "
                "(trước đây Sở Kế hoạch và Đầu tư)"
            ),
        ),
        procedure(
            "1.005380",
            "Đăng ký thành lập công ty cổ phần",
            level=4,
            agencies=FINANCE,
            field="DKKD",
            time=(3, WORKING_DAYS),
            result="Giấy chứng nhận đăng ký doanh nghiệp",
            legal=DN,
            documents=enterprise,
            fees=DN_FEES,
            kinds=FOUNDERS,
        ),
        procedure(
            "2.002039",
            "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
            level=4,
            agencies=FINANCE,
            field="DKKD",
            time=(3, WORKING_DAYS),
            result="Giấy chứng nhận đăng ký doanh nghiệp (thay đổi)",
            legal=DN,
            documents=[form_doc("thong_bao", ENTERPRISE_CHANGE, "thong_bao_thay_doi_doanh_nghiep")],
            fees=DN_FEES,
            kinds=ORG,
        ),
        procedure(
            "2.002042",
            "Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
            level=4,
            agencies=FINANCE,
            field="DKKD",
            time=(3, WORKING_DAYS),
            result="Giấy chứng nhận đăng ký hoạt động chi nhánh, văn phòng đại diện",
            legal=DN,
            documents=[form_doc("thong_bao", BRANCH, "thong_bao_thanh_lap_chi_nhanh")],
            fees=DN_FEES[:1],
            kinds=ORG,
        ),
        procedure(
            "1.009645",
            (
                "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ "
                "trương đầu tư"
            ),
            level=3,
            fees=[free(INVESTMENT_FEES)],
            agencies=FINANCE,
            field="DTVN",
            time=(15, WORKING_DAYS),
            result="Giấy chứng nhận đăng ký đầu tư",
            paper=True,
            legal=DT,
            documents=[
                form_doc("van_ban_de_nghi", INVESTMENT, "de_nghi_dang_ky_dau_tu"),
                Doc("de_xuat_du_an", "Đề xuất dự án đầu tư", types=("application/pdf",)),
                Doc("nang_luc_tai_chinh", "Tài liệu chứng minh năng lực tài chính của nhà đầu tư"),
            ],
            kinds=(ORGANISATION, FOREIGNER),
            about="Cấp Giấy chứng nhận đăng ký đầu tư: từ ngày 01/3/2025 tại Sở Tài chính",
        ),
        procedure(
            "1.009644",
            "Điều chỉnh Giấy chứng nhận đăng ký đầu tư",
            level=3,
            fees=[free(INVESTMENT_FEES)],
            agencies=FINANCE,
            field="DTVN",
            time=(10, WORKING_DAYS),
            result="Giấy chứng nhận đăng ký đầu tư (điều chỉnh)",
            paper=True,
            legal=DT,
            documents=[
                form_doc("van_ban_de_nghi", INVESTMENT, "de_nghi_dang_ky_dau_tu"),
                Doc(
                    "bao_cao_tinh_hinh",
                    "Báo cáo tình hình thực hiện dự án đầu tư",
                    types=("application/pdf",),
                ),
            ],
            kinds=(ORGANISATION, FOREIGNER),
        ),
        procedure(
            "1.009650",
            "Cung cấp thông tin về dự án đầu tư",
            level=1,
            fees=[free(INVESTMENT_FEES)],
            agencies=FINANCE,
            field="DTVN",
            time=(5, WORKING_DAYS),
            result="Văn bản cung cấp thông tin",
            legal=DT,
            documents=[Doc("van_ban_de_nghi", "Văn bản đề nghị cung cấp thông tin")],
            kinds=(ORGANISATION, FOREIGNER),
        ),
        procedure(
            "1.009740",
            "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh",
            level=2,
            fees=[free(INVESTMENT_FEES)],
            agencies=[a.PEOPLES_COMMITTEE],
            field="DTVN",
            time=(35, WORKING_DAYS),
            result="Quyết định chấp thuận chủ trương đầu tư",
            legal=DT,
            documents=[
                form_doc("van_ban_de_nghi", INVESTMENT, "de_nghi_dang_ky_dau_tu"),
                Doc("de_xuat_du_an", "Đề xuất dự án đầu tư", types=("application/pdf",)),
            ],
            kinds=(ORGANISATION, FOREIGNER),
        ),
    ]


COMPLAINT = f.Form(
    "Đơn khiếu nại",
    "Người có thẩm quyền giải quyết khiếu nại",
    (
        *f.requester(),
        f.text("nguoi_bi_khieu_nai", "Tên cơ quan, tổ chức, cá nhân bị khiếu nại", 255),
        f.text(
            "quyet_dinh_bi_khieu_nai",
            "Quyết định hành chính, hành vi hành chính bị khiếu nại",
            1000,
        ),
        f.text("noi_dung_khieu_nai", "Nội dung, lý do khiếu nại và yêu cầu", 5000),
    ),
    "Mẫu Đơn khiếu nại ban hành kèm Nghị định số 124/2020/NĐ-CP",
)
DENUNCIATION = f.Form(
    "Đơn tố cáo",
    "Người có thẩm quyền giải quyết tố cáo",
    (
        *f.requester(),
        f.text("nguoi_bi_to_cao", "Họ, tên, chức vụ người bị tố cáo", 255),
        f.text("noi_dung_to_cao", "Nội dung tố cáo (hành vi vi phạm pháp luật)", 5000),
    ),
    "Mẫu Đơn tố cáo ban hành kèm Nghị định số 31/2019/NĐ-CP",
)
KN = ["Luật Khiếu nại số 02/2011/QH13", "Nghị định số 124/2020/NĐ-CP"]
TC = ["Luật Tố cáo số 25/2018/QH14", "Nghị định số 31/2019/NĐ-CP"]


def complaints() -> list[dict[str, Any]]:
    """Complaints and denunciations count calendar days ("ngày", not "ngày làm việc": Luật
    Khiếu nại 2011 Art. 28 and 37, Luật Tố cáo 2018 Art. 30)."""
    evidence = Doc("tai_lieu_chung_cu", "Tài liệu, chứng cứ kèm theo (nếu có)", required=False)
    inspectorate = [a.INSPECTORATE]
    return [
        procedure(
            "2.002400",
            "Giải quyết khiếu nại lần đầu tại cấp tỉnh",
            level=3,
            fees=[free()],
            agencies=inspectorate,
            field="KNTC",
            time=(30, CALENDAR_DAYS),
            result="Quyết định giải quyết khiếu nại lần đầu",
            legal=KN,
            documents=[form_doc("don_khieu_nai", COMPLAINT, "don_khieu_nai"), evidence],
            kinds=(INDIVIDUAL, ORGANISATION, FOREIGNER),
        ),
        procedure(
            "2.002401",
            "Giải quyết khiếu nại lần hai tại cấp tỉnh",
            level=2,
            fees=[free()],
            agencies=inspectorate,
            field="KNTC",
            time=(45, CALENDAR_DAYS),
            result="Quyết định giải quyết khiếu nại lần hai",
            legal=KN,
            documents=[
                form_doc("don_khieu_nai", COMPLAINT, "don_khieu_nai"),
                Doc(
                    "quyet_dinh_lan_dau",
                    "Bản sao quyết định giải quyết khiếu nại lần đầu",
                    copies=1,
                ),
                evidence,
            ],
            kinds=(INDIVIDUAL, ORGANISATION, FOREIGNER),
        ),
        procedure(
            "2.002402",
            "Giải quyết tố cáo tại cấp tỉnh",
            level=3,
            fees=[free()],
            agencies=inspectorate,
            field="KNTC",
            time=(30, CALENDAR_DAYS),
            result="Kết luận nội dung tố cáo",
            legal=TC,
            documents=[form_doc("don_to_cao", DENUNCIATION, "don_to_cao"), evidence],
            kinds=(INDIVIDUAL, FOREIGNER),
        ),
        procedure(
            "2.002403",
            "Tiếp công dân tại cấp tỉnh",
            level=1,
            fees=[free()],
            agencies=inspectorate,
            field="KNTC",
            time=(1, WORKING_DAYS),
            result="Không có kết quả giấy tờ (tiếp công dân)",
            issues_result=False,
            legal=["Luật Tiếp công dân số 42/2013/QH13"],
            documents=[Doc("giay_to_tuy_than", "Giấy tờ tùy thân (xuất trình)")],
            kinds=(INDIVIDUAL, FOREIGNER),
        ),
    ]
