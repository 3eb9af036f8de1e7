"""Commune-tier procedures: every commune and ward offers each of them (one national code, one
record, the list of offering agencies), residence procedures at every commune police.

Since 1 July 2025 the communes also do what the districts did (civil status with a foreign
element, certification of foreign papers, household businesses, building permits for houses:
Nghị định 120/2025/NĐ-CP and the other decrees dividing powers between the two tiers)."""

from typing import Any

from tools.sample_catalogue import forms as f
from tools.sample_catalogue.agencies import COMMUNE_CODES, COMMUNE_POLICE_CODES
from tools.sample_catalogue.fees import exempt, provincial
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

UBND = COMMUNE_CODES
POLICE = COMMUNE_POLICE_CODES
HT = [
    "Luật Hộ tịch số 60/2014/QH13",
    "Nghị định số 123/2015/NĐ-CP (sửa đổi, bổ sung bởi Nghị định số 07/2025/NĐ-CP)",
    "Thông tư số 04/2020/TT-BTP",
]
TWO_TIERS = "Nghị định số 120/2025/NĐ-CP về phân định thẩm quyền trong lĩnh vực tư pháp"
CTH = [
    "Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, "
    "chứng thực chữ ký và chứng thực hợp đồng, giao dịch",
    "Thông tư số 226/2016/TT-BTC (phí chứng thực)",
]
CT = [
    "Luật Cư trú số 68/2020/QH14",
    "Nghị định số 154/2024/NĐ-CP",
    "Thông tư số 53/2025/TT-BCA",
    "Thông tư số 75/2022/TT-BTC (lệ phí đăng ký cư trú)",
]
HKD = [
    "Luật Doanh nghiệp số 59/2020/QH14 (sửa đổi, bổ sung năm 2025)",
    "Nghị định số 168/2025/NĐ-CP về đăng ký doanh nghiệp",
]
XD = [
    "Luật Xây dựng số 50/2014/QH13 (sửa đổi, bổ sung bởi Luật số 62/2020/QH14)",
    "Nghị định số 175/2024/NĐ-CP",
]
BTXH = [
    "Nghị định số 20/2021/NĐ-CP (sửa đổi, bổ sung bởi Nghị định số 76/2024/NĐ-CP)",
]
KT = [
    "Luật Người khuyết tật số 51/2010/QH12",
    "Nghị định số 28/2012/NĐ-CP",
    "Thông tư số 01/2019/TT-BLĐTBXH",
]
ID_CARD = Doc("giay_to_tuy_than", "Giấy tờ tùy thân của người yêu cầu (xuất trình)")
MARRIAGE = ("Độc thân", "Đã kết hôn", "Đã ly hôn", "Người có vợ/chồng đã chết")
GENDER = ["Nam", "Nữ"]

BIRTH = f.Form(
    "Tờ khai đăng ký khai sinh",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ten_nguoi_duoc_khai_sinh", "Họ, chữ đệm, tên người được khai sinh", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.choice("gioi_tinh", "Giới tính", GENDER),
        f.text("dan_toc", "Dân tộc", 50),
        f.text("noi_sinh", "Nơi sinh", 500),
        f.text("ho_ten_me", "Họ, chữ đệm, tên người mẹ", 100),
        f.text("quan_he_nguoi_yeu_cau", "Quan hệ với người được khai sinh", 100),
        f.text("ho_ten_cha", "Họ, chữ đệm, tên người cha", 100).optional(),
        f.text("que_quan", "Quê quán", 255).optional(),
    ),
    "Mẫu Tờ khai đăng ký khai sinh ban hành kèm Thông tư số 04/2020/TT-BTP",
)
MARRIAGE_FORM = f.Form(
    "Tờ khai đăng ký kết hôn",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ho_ten_ben_nu", "Họ, chữ đệm, tên bên nữ", 100),
        f.date("ngay_sinh_ben_nu", "Ngày, tháng, năm sinh bên nữ"),
        f.id_number("so_dinh_danh_ben_nu", "Số định danh cá nhân bên nữ"),
        f.text("ho_ten_ben_nam", "Họ, chữ đệm, tên bên nam", 100),
        f.date("ngay_sinh_ben_nam", "Ngày, tháng, năm sinh bên nam"),
        f.id_number("so_dinh_danh_ben_nam", "Số định danh cá nhân bên nam"),
        f.choice(
            "lan_ket_hon_ben_nu", "Kết hôn lần thứ mấy (bên nữ)", ["Lần đầu", "Lần thứ hai trở lên"]
        ),
        f.choice(
            "lan_ket_hon_ben_nam",
            "Kết hôn lần thứ mấy (bên nam)",
            ["Lần đầu", "Lần thứ hai trở lên"],
        ),
    ),
    "Mẫu Tờ khai đăng ký kết hôn ban hành kèm Thông tư số 04/2020/TT-BTP",
)
DEATH = f.Form(
    "Tờ khai đăng ký khai tử",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ho_ten_nguoi_chet", "Họ, chữ đệm, tên người đã chết", 100),
        f.date("ngay_sinh_nguoi_chet", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh_nguoi_chet", "Số định danh cá nhân của người đã chết"),
        f.date("ngay_chet", "Ngày chết"),
        f.text("noi_chet", "Nơi chết", 500),
        f.text("nguyen_nhan_chet", "Nguyên nhân chết", 255),
        f.text("quan_he_nguoi_yeu_cau", "Quan hệ với người đã chết", 100),
    ),
    "Mẫu Tờ khai đăng ký khai tử ban hành kèm Thông tư số 04/2020/TT-BTP",
)
MARITAL = f.Form(
    "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ho_ten_nguoi_duoc_xac_nhan", "Họ, chữ đệm, tên người được xác nhận", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.choice("tinh_trang_hon_nhan", "Tình trạng hôn nhân", list(MARRIAGE)),
        f.text("muc_dich_su_dung", "Mục đích sử dụng Giấy xác nhận", 255),
    ),
    "Mẫu Tờ khai cấp Giấy xác nhận tình trạng hôn nhân ban hành kèm Thông tư số 04/2020/TT-BTP",
)
EXTRACT = f.Form(
    "Tờ khai đề nghị cấp bản sao trích lục hộ tịch",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ho_ten_nguoi_duoc_cap", "Họ, chữ đệm, tên người được cấp bản sao trích lục", 100),
        f.choice(
            "loai_viec_ho_tich",
            "Loại việc hộ tịch",
            ["Khai sinh", "Kết hôn", "Khai tử", "Nhận cha, mẹ, con", "Thay đổi, cải chính hộ tịch"],
        ),
        f.text("so_dang_ky", "Số đăng ký trong Sổ hộ tịch", 50).optional(),
        f.number("so_ban_sao", "Số bản sao đề nghị cấp", 1, 20),
    ),
    "Mẫu Tờ khai cấp bản sao trích lục hộ tịch ban hành kèm Thông tư số 04/2020/TT-BTP",
)
RE_BIRTH = f.Form(
    "Tờ khai đăng ký lại khai sinh",
    "Ủy ban nhân dân xã/phường",
    (*BIRTH.fields[:5], f.text("noi_dang_ky_truoc_day", "Nơi đã đăng ký khai sinh trước đây", 500)),
    "Mẫu Tờ khai đăng ký lại khai sinh ban hành kèm Thông tư số 04/2020/TT-BTP",
)
PARENT = f.Form(
    "Tờ khai đăng ký nhận cha, mẹ, con",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ho_ten_nguoi_nhan", "Họ, chữ đệm, tên người nhận", 100),
        f.id_number("so_dinh_danh_nguoi_nhan", "Số định danh cá nhân của người nhận"),
        f.text("ho_ten_nguoi_duoc_nhan", "Họ, chữ đệm, tên người được nhận", 100),
        f.date("ngay_sinh_nguoi_duoc_nhan", "Ngày, tháng, năm sinh người được nhận"),
        f.choice(
            "quan_he", "Quan hệ", ["Cha nhận con", "Mẹ nhận con", "Con nhận cha", "Con nhận mẹ"]
        ),
    ),
    "Mẫu Tờ khai đăng ký nhận cha, mẹ, con ban hành kèm Thông tư số 04/2020/TT-BTP",
)
CHANGE = f.Form(
    "Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
    "Ủy ban nhân dân xã/phường",
    (
        f.text(
            "ho_ten_nguoi_duoc_thay_doi",
            "Họ, chữ đệm, tên người có thông tin hộ tịch cần thay đổi",
            100,
        ),
        f.choice(
            "loai_yeu_cau", "Nội dung yêu cầu", ["Thay đổi", "Cải chính", "Bổ sung thông tin"]
        ),
        f.text("thong_tin_truoc", "Thông tin trước khi thay đổi, cải chính", 500),
        f.text("thong_tin_sau", "Thông tin sau khi thay đổi, cải chính, bổ sung", 500),
        f.text("ly_do", "Lý do", 500),
    ),
    "Mẫu Tờ khai ban hành kèm Thông tư số 04/2020/TT-BTP",
)
ADOPTION = f.Form(
    "Đơn xin nhận con nuôi",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ho_ten_nguoi_nhan_nuoi", "Họ, chữ đệm, tên người nhận con nuôi", 100),
        f.id_number("so_dinh_danh_nguoi_nhan_nuoi", "Số định danh cá nhân của người nhận con nuôi"),
        f.text("ho_ten_tre", "Họ, chữ đệm, tên người được nhận làm con nuôi", 100),
        f.date("ngay_sinh_tre", "Ngày, tháng, năm sinh người được nhận làm con nuôi"),
    ),
    "Mẫu Đơn xin nhận con nuôi trong nước (Bộ Tư pháp)",
)
GUARDIAN_END = f.Form(
    "Tờ khai đăng ký chấm dứt giám hộ",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ho_ten_nguoi_giam_ho", "Họ, chữ đệm, tên người giám hộ", 100),
        f.text("ho_ten_nguoi_duoc_giam_ho", "Họ, chữ đệm, tên người được giám hộ", 100),
        f.text("ly_do_cham_dut", "Lý do chấm dứt giám hộ", 500),
    ),
    "Mẫu Tờ khai đăng ký chấm dứt giám hộ ban hành kèm Thông tư số 04/2020/TT-BTP",
)
CERTIFY = f.Form(
    "Phiếu yêu cầu chứng thực",
    "Ủy ban nhân dân xã/phường",
    (
        *f.requester()[:2],
        f.text("ten_giay_to", "Tên giấy tờ, văn bản cần chứng thực", 255),
        f.number("so_trang", "Số trang của giấy tờ", 1, 500),
        f.number("so_ban_sao", "Số bản sao cần chứng thực", 1, 50),
    ),
    "Mẫu Phiếu yêu cầu chứng thực ban hành kèm Thông tư số 01/2020/TT-BTP",
)


def civil_status() -> list[dict[str, Any]]:
    birth_docs = [
        form_doc("don_de_nghi", BIRTH, "to_khai_khai_sinh"),
        Doc(
            "giay_chung_sinh", "Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận việc sinh"
        ),
        Doc("giay_to_ket_hon", "Giấy chứng nhận kết hôn của cha mẹ", required=False),
    ]
    return [
        procedure(
            "1.001193",
            "Đăng ký khai sinh",
            level=4,
            fees=[exempt("lệ phí đăng ký khai sinh đúng hạn")],
            agencies=UBND,
            field="HT",
            time=(1, WORKING_DAYS),
            result="Giấy khai sinh (bản chính) và bản điện tử",
            paper=True,
            legal=HT,
            documents=birth_docs,
            about=(
                "Đăng ký khai sinh cho trẻ em; miễn lệ phí khi đăng ký đúng hạn (Luật Hộ "
                "tịch, Điều 11)"
            ),
        ),
        procedure(
            "1.000894",
            "Đăng ký kết hôn",
            level=3,
            fees=[exempt("lệ phí đăng ký kết hôn của công dân Việt Nam cư trú ở trong nước")],
            agencies=UBND,
            field="HT",
            time=(5, WORKING_DAYS),
            result="Giấy chứng nhận kết hôn",
            paper=True,
            legal=HT,
            documents=[form_doc("to_khai", MARRIAGE_FORM, "to_khai_ket_hon"), ID_CARD],
            about="Đăng ký kết hôn giữa công dân Việt Nam cư trú trong nước; miễn lệ phí",
        ),
        procedure(
            "1.000656",
            "Đăng ký khai tử",
            level=4,
            fees=[exempt("lệ phí đăng ký khai tử đúng hạn")],
            agencies=UBND,
            field="HT",
            time=(1, WORKING_DAYS),
            result="Trích lục khai tử",
            legal=HT,
            documents=[
                form_doc("to_khai", DEATH, "to_khai_khai_tu"),
                Doc("giay_bao_tu", "Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử"),
            ],
        ),
        procedure(
            "1.004873",
            "Cấp Giấy xác nhận tình trạng hôn nhân",
            level=4,
            agencies=UBND,
            field="HT",
            time=(3, WORKING_DAYS),
            result="Giấy xác nhận tình trạng hôn nhân",
            legal=HT,
            documents=[form_doc("to_khai", MARITAL, "to_khai_xac_nhan_hon_nhan")],
            fees=[
                Fee("Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", 10000, online_discount_vnd=5000)
            ],
        ),
        procedure(
            "2.000635",
            "Cấp bản sao trích lục hộ tịch",
            level=4,
            agencies=UBND,
            field="HT",
            time=(1, WORKING_DAYS),
            result="Bản sao trích lục hộ tịch",
            legal=[*HT, "Thông tư số 281/2016/TT-BTC (phí cấp bản sao trích lục hộ tịch)"],
            documents=[form_doc("to_khai", EXTRACT, "to_khai_ban_sao_trich_luc")],
            fees=[Fee("Phí cấp bản sao trích lục hộ tịch", 8000, per="copy")],
            kinds=(INDIVIDUAL, ORGANISATION),
        ),
        procedure(
            "1.004884",
            "Đăng ký lại khai sinh",
            level=3,
            fees=[provincial("Lệ phí đăng ký lại khai sinh")],
            agencies=UBND,
            field="HT",
            time=(5, WORKING_DAYS),
            result="Giấy khai sinh (bản chính)",
            paper=True,
            legal=HT,
            documents=[
                form_doc("to_khai", RE_BIRTH, "to_khai_dang_ky_lai_khai_sinh"),
                Doc("giay_to_lien_quan", "Bản sao giấy tờ có nội dung khai sinh", copies=1),
            ],
        ),
        procedure(
            "1.000689",
            "Đăng ký khai sinh kết hợp nhận cha, mẹ, con",
            level=2,
            fees=[
                exempt("lệ phí đăng ký khai sinh đúng hạn"),
                provincial("Lệ phí đăng ký nhận cha, mẹ, con"),
            ],
            agencies=UBND,
            field="HT",
            time=(3, WORKING_DAYS),
            result="Giấy khai sinh và Trích lục nhận cha, mẹ, con",
            paper=True,
            legal=HT,
            documents=[
                form_doc("to_khai_khai_sinh", BIRTH, "to_khai_khai_sinh"),
                form_doc("to_khai_nhan_cha_me_con", PARENT, "to_khai_nhan_cha_me_con"),
                Doc("chung_cu", "Chứng cứ chứng minh quan hệ cha, mẹ, con"),
            ],
        ),
        procedure(
            "1.001022",
            "Đăng ký nhận cha, mẹ, con",
            level=3,
            fees=[provincial("Lệ phí đăng ký nhận cha, mẹ, con")],
            agencies=UBND,
            field="HT",
            time=(3, WORKING_DAYS),
            result="Trích lục đăng ký nhận cha, mẹ, con",
            legal=HT,
            documents=[
                form_doc("to_khai", PARENT, "to_khai_nhan_cha_me_con"),
                Doc("chung_cu", "Chứng cứ chứng minh quan hệ cha, mẹ, con"),
            ],
        ),
        procedure(
            "1.004859",
            "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
            level=3,
            agencies=UBND,
            field="HT",
            time=(3, WORKING_DAYS),
            result="Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
            legal=HT,
            documents=[
                form_doc("to_khai", CHANGE, "to_khai_thay_doi_ho_tich"),
                Doc("giay_to_lien_quan", "Giấy tờ liên quan làm căn cứ thay đổi, cải chính"),
            ],
            fees=[Fee("Lệ phí đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", 15000)],
        ),
        procedure(
            "1.005461",
            "Đăng ký lại khai tử",
            level=2,
            fees=[provincial("Lệ phí đăng ký lại khai tử")],
            agencies=UBND,
            field="HT",
            time=(5, WORKING_DAYS),
            result="Trích lục khai tử",
            legal=HT,
            documents=[
                form_doc("to_khai", DEATH, "to_khai_khai_tu"),
                Doc("giay_to_lien_quan", "Bản sao giấy tờ liên quan có nội dung khai tử", copies=1),
            ],
        ),
        procedure(
            "1.004746",
            "Đăng ký lại kết hôn",
            level=2,
            fees=[provincial("Lệ phí đăng ký lại kết hôn")],
            agencies=UBND,
            field="HT",
            time=(5, WORKING_DAYS),
            result="Giấy chứng nhận kết hôn",
            paper=True,
            legal=HT,
            documents=[
                form_doc("to_khai", MARRIAGE_FORM, "to_khai_ket_hon"),
                Doc(
                    "giay_to_lien_quan",
                    "Bản sao giấy tờ có nội dung đăng ký kết hôn trước đây",
                    copies=1,
                ),
            ],
        ),
        procedure(
            "1.004845",
            "Đăng ký chấm dứt giám hộ",
            level=2,
            fees=[provincial("Lệ phí đăng ký chấm dứt giám hộ")],
            agencies=UBND,
            field="HT",
            time=(2, WORKING_DAYS),
            result="Trích lục đăng ký chấm dứt giám hộ",
            legal=HT,
            documents=[
                form_doc("to_khai", GUARDIAN_END, "to_khai_cham_dut_giam_ho"),
                Doc("giay_to_cham_dut", "Giấy tờ chứng minh đủ điều kiện chấm dứt giám hộ"),
            ],
        ),
        procedure(
            "2.000528",
            "Đăng ký khai sinh có yếu tố nước ngoài",
            level=3,
            agencies=UBND,
            field="HT",
            time=(3, WORKING_DAYS),
            result="Giấy khai sinh (bản chính)",
            paper=True,
            legal=[*HT, TWO_TIERS],
            documents=birth_docs[:2],
            kinds=(INDIVIDUAL, FOREIGNER),
            fees=[Fee("Lệ phí đăng ký khai sinh có yếu tố nước ngoài", 75000)],
            about=(
                "Đăng ký khai sinh có yếu tố nước ngoài: từ ngày 01/7/2025 do Ủy ban nhân "
                "dân cấp xã thực hiện"
            ),
        ),
        procedure(
            "2.000806",
            "Đăng ký kết hôn có yếu tố nước ngoài",
            level=2,
            agencies=UBND,
            field="HT",
            time=(10, WORKING_DAYS),
            result="Giấy chứng nhận kết hôn",
            paper=True,
            legal=[*HT, TWO_TIERS],
            documents=[
                form_doc("to_khai", MARRIAGE_FORM, "to_khai_ket_hon"),
                Doc(
                    "xac_nhan_hon_nhan_nuoc_ngoai",
                    "Giấy tờ chứng minh tình trạng hôn nhân do cơ quan nước ngoài cấp",
                ),
                Doc(
                    "giay_kham_suc_khoe",
                    "Giấy xác nhận của tổ chức y tế về việc không mắc bệnh tâm thần",
                ),
            ],
            kinds=(INDIVIDUAL, FOREIGNER),
            fees=[Fee("Lệ phí đăng ký kết hôn có yếu tố nước ngoài", 1500000)],
        ),
        procedure(
            "2.001263",
            "Đăng ký việc nuôi con nuôi trong nước",
            level=2,
            agencies=UBND,
            field="NCN",
            time=(30, CALENDAR_DAYS),
            result="Giấy chứng nhận nuôi con nuôi",
            paper=True,
            legal=[
                "Luật Nuôi con nuôi số 52/2010/QH12",
                "Nghị định số 19/2011/NĐ-CP (sửa đổi, bổ sung bởi Nghị định số 24/2019/NĐ-CP)",
                "Nghị định số 114/2016/NĐ-CP (lệ phí đăng ký nuôi con nuôi)",
            ],
            documents=[
                form_doc("don", ADOPTION, "don_nhan_con_nuoi"),
                Doc(
                    "phieu_ly_lich_tu_phap",
                    "Phiếu lý lịch tư pháp của người nhận con nuôi",
                    is_form=False,  # a certificate the applicant brings, not a form
                ),
            ],
            fees=[Fee("Lệ phí đăng ký nuôi con nuôi trong nước", 400000)],
        ),
    ]


def certification() -> list[dict[str, Any]]:
    request = form_doc("phieu_yeu_cau", CERTIFY, "phieu_yeu_cau_chung_thuc")
    per_page = [
        Fee("Phí chứng thực bản sao từ bản chính: trang thứ nhất và thứ hai", 2000, per="page"),
        Fee(
            "Phí chứng thực bản sao từ bản chính: từ trang thứ ba (tối đa 200.000 đồng/bản)",
            1000,
            per="page",
        ),
    ]
    return [
        procedure(
            "2.000815",
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền "
            "của Việt Nam cấp hoặc chứng nhận",
            level=2,
            agencies=UBND,
            field="CTH",
            time=(1, WORKING_DAYS),
            result="Bản sao có chứng thực",
            paper=True,
            legal=CTH,
            documents=[request, Doc("ban_chinh", "Bản chính giấy tờ, văn bản (xuất trình)")],
            fees=per_page,
            kinds=(INDIVIDUAL, ORGANISATION, FOREIGNER),
        ),
        procedure(
            "2.000884",
            "Chứng thực chữ ký trong các giấy tờ, văn bản",
            level=2,
            agencies=UBND,
            field="CTH",
            time=(1, WORKING_DAYS),
            result="Giấy tờ, văn bản có chứng thực chữ ký",
            paper=True,
            legal=CTH,
            documents=[
                request,
                Doc("giay_to_can_chung_thuc", "Giấy tờ, văn bản cần chứng thực chữ ký"),
            ],
            fees=[Fee("Phí chứng thực chữ ký", 10000, per="copy")],
            kinds=(INDIVIDUAL, FOREIGNER),
        ),
        procedure(
            "2.001008",
            "Chứng thực chữ ký người dịch mà người dịch không phải là cộng tác viên dịch thuật",
            level=2,
            agencies=UBND,
            field="CTH",
            time=(1, WORKING_DAYS),
            result="Bản dịch có chứng thực chữ ký người dịch",
            paper=True,
            legal=CTH,
            documents=[
                request,
                Doc("ban_dich", "Bản dịch và giấy tờ cần dịch"),
                Doc(
                    "bang_cap_nguoi_dich", "Bằng cử nhân ngoại ngữ trở lên của người dịch", copies=1
                ),
            ],
            fees=[Fee("Phí chứng thực chữ ký người dịch", 10000, per="copy")],
        ),
        procedure(
            "2.001019",
            "Chứng thực di chúc",
            level=2,
            agencies=UBND,
            field="CTH",
            time=(2, WORKING_DAYS),
            result="Di chúc được chứng thực",
            paper=True,
            legal=CTH,
            documents=[
                request,
                Doc("du_thao_di_chuc", "Dự thảo di chúc"),
                Doc("giay_to_tai_san", "Giấy tờ về quyền sở hữu, quyền sử dụng tài sản", copies=1),
            ],
            fees=[Fee("Phí chứng thực di chúc", 50000)],
        ),
        procedure(
            "2.000843",
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền "
            "của nước ngoài cấp hoặc chứng nhận",
            level=2,
            agencies=UBND,
            field="CTH",
            time=(1, WORKING_DAYS),
            result="Bản sao có chứng thực",
            paper=True,
            legal=[*CTH, TWO_TIERS],
            documents=[
                request,
                Doc(
                    "ban_chinh",
                    "Bản chính giấy tờ, văn bản đã được hợp pháp hóa lãnh sự (xuất trình)",
                ),
            ],
            fees=per_page,
            kinds=(INDIVIDUAL, ORGANISATION, FOREIGNER),
            about=(
                "Chứng thực bản sao giấy tờ do nước ngoài cấp: từ ngày 01/7/2025 tại Ủy ban "
                "nhân dân cấp xã (trước đây Phòng Tư pháp cấp huyện)"
            ),
        ),
        procedure(
            "2.000992",
            "Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật",
            level=2,
            agencies=UBND,
            field="CTH",
            time=(1, WORKING_DAYS),
            result="Bản dịch có chứng thực chữ ký người dịch",
            paper=True,
            legal=CTH,
            documents=[request, Doc("ban_dich", "Bản dịch và giấy tờ cần dịch")],
            fees=[Fee("Phí chứng thực chữ ký người dịch", 10000, per="copy")],
        ),
        procedure(
            "2.001016",
            "Chứng thực văn bản từ chối nhận di sản",
            level=2,
            agencies=UBND,
            field="CTH",
            time=(2, WORKING_DAYS),
            result="Văn bản từ chối nhận di sản được chứng thực",
            paper=True,
            legal=CTH,
            documents=[
                request,
                Doc("van_ban_tu_choi", "Dự thảo văn bản từ chối nhận di sản"),
                Doc(
                    "trich_luc_khai_tu",
                    "Bản sao trích lục khai tử của người để lại di sản",
                    copies=1,
                ),
            ],
            fees=[Fee("Phí chứng thực văn bản từ chối nhận di sản", 50000)],
        ),
        procedure(
            "2.000942",
            "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
            level=2,
            agencies=UBND,
            field="CTH",
            time=(1, WORKING_DAYS),
            result="Bản sao có chứng thực hợp đồng, giao dịch",
            paper=True,
            legal=CTH,
            documents=[request],
            fees=[Fee("Phí cấp bản sao có chứng thực", 2000, per="page")],
            kinds=(INDIVIDUAL, ORGANISATION),
        ),
    ]
