"""Commune-tier social procedures and the commune's other services: social assistance,
disability, social pension, people with meritorious services, grassroots conciliation,
military service registration and festivals."""

from typing import Any

from tools.sample_catalogue import forms as f
from tools.sample_catalogue.agencies import COMMUNE_CODES
from tools.sample_catalogue.commune import BTXH, KT
from tools.sample_catalogue.commune_services import BURIAL, DISABILITY, PENSION, SOCIAL
from tools.sample_catalogue.fees import free
from tools.sample_catalogue.model import WORKING_DAYS, Doc, form_doc, procedure

UBND = COMMUNE_CODES
PENSION_LAW = ["Luật Bảo hiểm xã hội số 41/2024/QH15"]
NCC = [
    "Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14",
    "Nghị định số 131/2021/NĐ-CP",
]
HOA_GIAI = ["Luật Hòa giải ở cơ sở số 35/2013/QH13", "Nghị định số 15/2014/NĐ-CP"]

KIN = f.Form(
    "Đơn đề nghị cấp giấy xác nhận thân nhân của người có công",
    "Ủy ban nhân dân xã/phường",
    (
        *f.requester(),
        f.text("ho_ten_nguoi_co_cong", "Họ, chữ đệm, tên người có công", 100),
        f.choice(
            "dien_nguoi_co_cong",
            "Diện người có công",
            [
                "Liệt sĩ",
                "Thương binh",
                "Bệnh binh",
                "Người hoạt động kháng chiến",
                "Bà mẹ Việt Nam anh hùng",
            ],
        ),
        f.choice(
            "quan_he",
            "Quan hệ với người có công",
            ["Cha đẻ", "Mẹ đẻ", "Vợ", "Chồng", "Con", "Người có công nuôi liệt sĩ"],
        ),
    ),
    "Mẫu ban hành kèm Nghị định số 131/2021/NĐ-CP",
)
MILITARY = f.Form(
    "Phiếu tự khai sức khỏe nghĩa vụ quân sự và đăng ký nghĩa vụ quân sự lần đầu",
    "Ban Chỉ huy quân sự xã/phường",
    (
        f.text("ho_ten", "Họ, chữ đệm, tên công dân", 100),
        f.date("ngay_sinh", "Ngày, tháng, năm sinh"),
        f.id_number("so_dinh_danh", "Số định danh cá nhân"),
        f.choice(
            "trinh_do_hoc_van",
            "Trình độ học vấn",
            ["Trung học cơ sở", "Trung học phổ thông", "Trung cấp", "Cao đẳng", "Đại học"],
        ),
        f.text("noi_cu_tru", "Nơi cư trú", 500),
    ),
    "Mẫu ban hành kèm Thông tư của Bộ Quốc phòng hướng dẫn đăng ký nghĩa vụ quân sự",
)
FESTIVAL = f.Form(
    "Văn bản thông báo tổ chức lễ hội",
    "Ủy ban nhân dân xã/phường",
    (
        f.text("ten_le_hoi", "Tên lễ hội", 255),
        f.text("dia_diem", "Địa điểm tổ chức", 500),
        f.date("ngay_bat_dau", "Ngày bắt đầu"),
        f.date("ngay_ket_thuc", "Ngày kết thúc"),
        f.text("ban_to_chuc", "Ban tổ chức (người đại diện)", 255),
    ),
    "Văn bản thông báo theo Nghị định số 110/2018/NĐ-CP",
)

ENV_REGISTRATION = f.Form(
    "Văn bản đăng ký môi trường",
    "Ủy ban nhân dân xã/phường",
    (
        *f.organisation(),
        f.text("ten_co_so", "Tên dự án, cơ sở", 255),
        f.text("dia_diem", "Địa điểm thực hiện", 500),
        f.text("loai_hinh_san_xuat", "Loại hình sản xuất, kinh doanh, dịch vụ", 255),
        f.number("luong_nuoc_thai_m3_ngay", "Lượng nước thải phát sinh (m³/ngày đêm)", 0),
    ),
    "Mẫu văn bản đăng ký môi trường ban hành kèm Nghị định số 08/2022/NĐ-CP",
)


def social() -> list[dict[str, Any]]:
    return [
        procedure(
            "1.001776",
            "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
            level=3,
            fees=[free()],
            agencies=UBND,
            field="BTXH",
            time=(15, WORKING_DAYS),
            result="Quyết định trợ cấp xã hội hằng tháng",
            legal=BTXH,
            documents=[form_doc("to_khai", SOCIAL, "to_khai_tro_giup_xa_hoi")],
        ),
        procedure(
            "1.014027",
            "Thực hiện, điều chỉnh, thôi hưởng trợ cấp hưu trí xã hội",
            level=3,
            fees=[free()],
            agencies=UBND,
            field="BTXH",
            time=(15, WORKING_DAYS),
            result="Quyết định hưởng trợ cấp hưu trí xã hội",
            legal=PENSION_LAW,
            documents=[form_doc("to_khai", PENSION, "to_khai_tro_cap_huu_tri_xa_hoi")],
            about=(
                "Trợ cấp hưu trí xã hội cho người từ đủ 75 tuổi (Luật Bảo hiểm xã hội 2024, "
                "có hiệu lực từ 01/7/2025)"
            ),
        ),
        procedure(
            "1.014028",
            "Hỗ trợ chi phí mai táng đối với người đang hưởng trợ cấp hưu trí xã hội",
            level=2,
            fees=[free()],
            agencies=UBND,
            field="BTXH",
            time=(3, WORKING_DAYS),
            result="Quyết định hỗ trợ chi phí mai táng",
            legal=PENSION_LAW,
            documents=[
                form_doc("to_khai", BURIAL, "to_khai_ho_tro_mai_tang"),
                Doc("trich_luc_khai_tu", "Bản sao trích lục khai tử", copies=1),
            ],
        ),
        procedure(
            "1.001699",
            "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
            level=3,
            fees=[free()],
            agencies=UBND,
            field="BTXH",
            time=(30, WORKING_DAYS),
            result="Giấy xác nhận khuyết tật",
            paper=True,
            legal=KT,
            documents=[
                form_doc("don_de_nghi", DISABILITY, "don_xac_dinh_muc_do_khuyet_tat"),
                Doc(
                    "giay_to_y_te",
                    "Bản sao giấy tờ liên quan đến khuyết tật (bệnh án, giấy khám)",
                    copies=1,
                    required=False,
                ),
            ],
        ),
        procedure(
            "1.001653",
            "Đổi, cấp lại Giấy xác nhận khuyết tật",
            level=2,
            fees=[free()],
            agencies=UBND,
            field="BTXH",
            time=(5, WORKING_DAYS),
            result="Giấy xác nhận khuyết tật (cấp đổi, cấp lại)",
            paper=True,
            legal=KT,
            documents=[form_doc("don_de_nghi", DISABILITY, "don_xac_dinh_muc_do_khuyet_tat")],
        ),
        procedure(
            "1.010833",
            "Cấp giấy xác nhận thân nhân của người có công",
            level=2,
            fees=[free()],
            agencies=UBND,
            field="NCC",
            time=(5, WORKING_DAYS),
            result="Giấy xác nhận thân nhân của người có công",
            legal=NCC,
            documents=[form_doc("don_de_nghi", KIN, "don_xac_nhan_than_nhan_nguoi_co_cong")],
        ),
    ]


def community() -> list[dict[str, Any]]:
    return [
        procedure(
            "2.000950",
            "Công nhận tổ trưởng tổ hòa giải",
            level=1,
            fees=[free()],
            agencies=UBND,
            field="HGCS",
            time=(5, WORKING_DAYS),
            result="Quyết định công nhận tổ trưởng tổ hòa giải",
            legal=HOA_GIAI,
            documents=[
                Doc(
                    "van_ban_de_nghi",
                    "Văn bản đề nghị của Trưởng ban công tác Mặt trận ở thôn, tổ dân phố",
                )
            ],
        ),
        procedure(
            "2.000930",
            "Thôi làm hòa giải viên",
            level=1,
            fees=[free()],
            agencies=UBND,
            field="HGCS",
            time=(5, WORKING_DAYS),
            result="Quyết định thôi làm hòa giải viên",
            legal=HOA_GIAI,
            documents=[Doc("van_ban_de_nghi", "Văn bản đề nghị thôi làm hòa giải viên")],
        ),
        procedure(
            "1.013133",
            "Đăng ký nghĩa vụ quân sự lần đầu",
            level=2,
            fees=[free()],
            agencies=UBND,
            field="QS",
            time=(1, WORKING_DAYS),
            result="Giấy chứng nhận đăng ký nghĩa vụ quân sự",
            paper=True,
            legal=["Luật Nghĩa vụ quân sự số 78/2015/QH13", "Nghị định số 13/2016/NĐ-CP"],
            documents=[form_doc("phieu_tu_khai", MILITARY, "phieu_dang_ky_nghia_vu_quan_su")],
        ),
        procedure(
            "1.010736",
            "Đăng ký môi trường",
            level=4,
            fees=[free()],
            agencies=UBND,
            field="MT",
            time=(1, WORKING_DAYS),
            result="Tiếp nhận đăng ký môi trường",
            issues_result=False,
            legal=[
                "Luật Bảo vệ môi trường số 72/2020/QH14 (Điều 49)",
                "Nghị định số 08/2022/NĐ-CP (sửa đổi, bổ sung bởi Nghị định số 05/2025/NĐ-CP)",
            ],
            documents=[form_doc("van_ban_dang_ky", ENV_REGISTRATION, "dang_ky_moi_truong")],
            kinds=("individual", "organisation"),
            about=(
                "Đăng ký môi trường của dự án, cơ sở không thuộc diện cấp giấy phép môi "
                "trường, tại Ủy ban nhân dân cấp xã"
            ),
        ),
        procedure(
            "1.003622",
            "Thông báo tổ chức lễ hội cấp xã",
            level=2,
            fees=[free()],
            agencies=UBND,
            field="VHCS",
            time=(5, WORKING_DAYS),
            result="Tiếp nhận thông báo tổ chức lễ hội",
            issues_result=False,
            legal=["Nghị định số 110/2018/NĐ-CP về quản lý và tổ chức lễ hội"],
            documents=[form_doc("van_ban_thong_bao", FESTIVAL, "thong_bao_to_chuc_le_hoi")],
            kinds=("organisation",),
        ),
    ]
