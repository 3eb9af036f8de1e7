"""The 15 priority services of the Hà Giang roadmap (the previous sample's province), and what
became of each by 2026: which procedures still exist, under which agency, and which were
abolished or moved. Written into the data (`sample.roadmap`) so that the catalogue says it."""

from typing import Any

from tools.sample_catalogue import agencies as a

KEPT, MOVED, REPLACED, ABOLISHED = "kept", "moved", "replaced", "abolished"


def entry(
    no: int, service: str, status: str, before: str, now: list[str], codes: list[str], note: str
) -> dict[str, Any]:
    return {
        "no": no,
        "service": service,
        "status": status,
        "agency_before": before,
        "agencies_now": now,
        "procedures": codes,
        "note": note,
    }


def roadmap() -> list[dict[str, Any]]:
    communes = "Ủy ban nhân dân cấp xã"
    return [
        entry(
            1,
            "Đăng ký kinh doanh",
            MOVED,
            "Sở Kế hoạch và Đầu tư; Ủy ban nhân dân cấp huyện (hộ kinh doanh)",
            [a.FINANCE, a.SERVICE_CENTRE, communes],
            ["2.001610", "1.005380", "2.002039", "1.001612", "2.000720"],
            (
                "Từ 01/3/2025 Sở Tài chính tiếp nhận nhiệm vụ đăng ký doanh nghiệp của Sở Kế "
                "hoạch và Đầu tư; từ 01/7/2025 đăng ký hộ kinh doanh do cấp xã thực hiện."
            ),
        ),
        entry(
            2,
            "Cấp giấy phép đầu tư (Giấy chứng nhận đăng ký đầu tư)",
            MOVED,
            "Sở Kế hoạch và Đầu tư",
            [a.FINANCE, a.SERVICE_CENTRE],
            ["1.009645", "1.009644"],
            "Từ 01/3/2025 do Sở Tài chính thực hiện.",
        ),
        entry(
            3,
            "Thành lập chi nhánh, văn phòng đại diện",
            MOVED,
            "Sở Kế hoạch và Đầu tư; Sở Công Thương",
            [a.FINANCE, a.INDUSTRY_TRADE],
            ["2.002042", "1.010010"],
            (
                "Chi nhánh, văn phòng đại diện của doanh nghiệp: Sở Tài chính; văn phòng đại diện "
                "của thương nhân nước ngoài: vẫn Sở Công Thương."
            ),
        ),
        entry(
            4,
            "Cấp giấy phép xây dựng",
            KEPT,
            "Sở Xây dựng; Ủy ban nhân dân cấp huyện (nhà ở riêng lẻ)",
            [a.CONSTRUCTION, communes],
            ["1.009994", "1.009995", "1.013225", "1.013226", "1.013227", "1.013228"],
            (
                "Công trình cấp I, II: Sở Xây dựng. Nhà ở riêng lẻ, công trình cấp III, IV: từ "
                "01/7/2025 do Ủy ban nhân dân cấp xã cấp (mã thủ tục mới theo Nghị định "
                "175/2024/NĐ-CP)."
            ),
        ),
        entry(
            5,
            "Cấp chứng chỉ hành nghề hoạt động xây dựng",
            KEPT,
            "Sở Xây dựng",
            [a.CONSTRUCTION],
            ["1.009928", "1.009929"],
            "Vẫn do Sở Xây dựng cấp (hạng II, III).",
        ),
        entry(
            6,
            "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
            REPLACED,
            "Sở Y tế",
            [a.HEALTH],
            ["1.012251"],
            (
                "Thủ tục cấp chứng chỉ hành nghề đã bãi bỏ: từ 01/01/2024 thay bằng cấp giấy phép "
                "hành nghề (Luật Khám bệnh, chữa bệnh số 15/2023/QH15)."
            ),
        ),
        entry(
            7,
            "Cấp chứng chỉ hành nghề dược",
            KEPT,
            "Sở Y tế",
            [a.HEALTH],
            ["1.004616", "1.004593"],
            "Vẫn do Sở Y tế cấp.",
        ),
        entry(
            8,
            "Lao động: giấy phép lao động cho người nước ngoài, nội quy lao động",
            MOVED,
            "Sở Lao động - Thương binh và Xã hội",
            [a.HOME_AFFAIRS, a.SERVICE_CENTRE],
            ["1.014199", "1.014200", "1.014201", "1.014196", "2.001955"],
            (
                "Từ 01/3/2025 Sở Nội vụ tiếp nhận nhiệm vụ của Sở Lao động - Thương binh và Xã "
                "hội; thủ tục giấy phép lao động công bố lại theo Nghị định 219/2025/NĐ-CP."
            ),
        ),
        entry(
            9,
            "Việc làm: trợ cấp thất nghiệp",
            MOVED,
            "Sở Lao động - Thương binh và Xã hội",
            [a.HOME_AFFAIRS],
            ["1.001865", "1.001881"],
            (
                "Trung tâm Dịch vụ việc làm nay thuộc Sở Nội vụ; Luật Việc làm 2025 có hiệu lực "
                "từ 01/01/2026."
            ),
        ),
        entry(
            10,
            "Cấp, đổi giấy phép lái xe",
            MOVED,
            "Sở Giao thông vận tải",
            [a.TRAFFIC_POLICE],
            ["1.002809", "1.002804", "1.002820", "1.002835", "1.001777"],
            (
                "Từ 01/3/2025 sát hạch, cấp, đổi giấy phép lái xe do Công an tỉnh (Phòng Cảnh sát "
                "giao thông) thực hiện (Luật Trật tự, an toàn giao thông đường bộ 2024)."
            ),
        ),
        entry(
            11,
            "Giải quyết khiếu nại, tố cáo",
            KEPT,
            "Thanh tra tỉnh; Ủy ban nhân dân cấp huyện",
            [a.INSPECTORATE],
            ["2.002400", "2.002401", "2.002402"],
            (
                "Cấp tỉnh: vẫn còn. Thủ tục giải quyết khiếu nại, tố cáo tại cấp huyện không còn "
                "từ 01/7/2025 (không còn cấp huyện)."
            ),
        ),
        entry(
            12,
            "Đăng ký tạm trú, tạm vắng",
            KEPT,
            "Công an cấp xã",
            ["Công an cấp xã"],
            ["1.004194", "1.002755", "1.010028", "1.003677"],
            (
                "Vẫn do Công an cấp xã thực hiện (Luật Cư trú 2020); lệ phí nộp trực tuyến thấp "
                "hơn (Thông tư 75/2022/TT-BTC)."
            ),
        ),
        entry(
            13,
            "Cấp giấy chứng nhận quyền sử dụng đất; đăng ký thế chấp",
            MOVED,
            "Sở Tài nguyên và Môi trường; Ủy ban nhân dân cấp huyện",
            [a.AGRICULTURE_ENVIRONMENT, a.LAND_REGISTRATION, communes],
            ["1.012791", "1.012753", "1.012800", "1.012810", "1.012811"],
            (
                "Từ 01/3/2025 Sở Nông nghiệp và Môi trường (hợp nhất Sở Nông nghiệp và Phát triển "
                "nông thôn với Sở Tài nguyên và Môi trường); cấp Giấy chứng nhận lần đầu cho hộ "
                "gia đình, cá nhân do cấp xã thực hiện từ 01/7/2025."
            ),
        ),
        entry(
            14,
            "Cấp phép tài nguyên nước",
            MOVED,
            "Sở Tài nguyên và Môi trường",
            [a.AGRICULTURE_ENVIRONMENT],
            ["1.004232", "1.004228"],
            (
                "Nay Sở Nông nghiệp và Môi trường. Giấy phép xả nước thải vào nguồn nước đã bãi "
                "bỏ, tích hợp vào giấy phép môi trường (Luật Bảo vệ môi trường 2020)."
            ),
        ),
        entry(
            15,
            (
                "Môi trường: phí bảo vệ môi trường, chủ nguồn thải chất thải nguy hại, đánh giá "
                "tác động môi trường"
            ),
            ABOLISHED,
            "Sở Tài nguyên và Môi trường",
            [a.AGRICULTURE_ENVIRONMENT],
            ["1.010730", "1.010728", "1.010729"],
            (
                "Thủ tục đăng ký chủ nguồn thải chất thải nguy hại đã bãi bỏ từ 01/01/2022 (Luật "
                "Bảo vệ môi trường 2020): nội dung nằm trong giấy phép môi trường hoặc đăng ký "
                "môi trường. Phí bảo vệ môi trường đối với nước thải và thẩm định báo cáo đánh "
                "giá tác động môi trường vẫn còn, nay do Sở Nông nghiệp và Môi trường thực hiện."
            ),
        ),
    ]
