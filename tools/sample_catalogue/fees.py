"""Fee lines that are not a plain amount of the fee schedules: free procedures, and those whose
amount the provincial People's Council sets. Each says why in its label.

A procedure record is complete only with a fee line (a free one says so with 0 VND). The
procedures of `UNVERIFIED_FEES` got their line from the legal texts named in it, without a
cross-check against the national procedure database or Tuyên Quang's resolutions on fees: to
verify before any real use (README, sample catalogue)."""

from tools.sample_catalogue.model import Fee

# Only what the list of fees and charges annexed to the Law on Fees and Charges names may be
# charged: a procedure not in it is free.
NOT_IN_THE_LIST = (
    "thủ tục không thuộc Danh mục phí, lệ phí ban hành kèm theo Luật Phí và lệ phí số 97/2015/QH13"
)
RESIDENCE_FEES = (
    "Thông tư số 75/2022/TT-BTC chỉ thu lệ phí đăng ký thường trú, đăng ký tạm trú, gia hạn "
    "tạm trú và tách hộ"
)
# The Ministry of Public Security's decision that published the residence procedures (their
# codes and records in the national database) as amended after Thông tư 66/2023/TT-BCA.
RESIDENCE_DECISION = "Quyết định số 320/QĐ-BCA ngày 16/01/2024 của Bộ trưởng Bộ Công an"
CIVIL_STATUS_FREE = "Luật Hộ tịch số 60/2014/QH13, Điều 11"
INVESTMENT_FEES = "Luật Đầu tư số 61/2020/QH14 và Nghị định số 31/2021/NĐ-CP không quy định lệ phí"
HOUSEHOLD_BUSINESS_FEES = (
    "Thông tư số 85/2019/TT-BTC: lệ phí đăng ký hộ kinh doanh thu khi cấp Giấy chứng nhận"
)
WASTEWATER_FEES = (
    "phí bảo vệ môi trường đối với nước thải được kê khai, nộp theo Nghị "
    "định số 53/2020/NĐ-CP, không phải lệ phí của thủ tục"
)
ID_CARD_FEES = (
    "Thông tư số 73/2024/TT-BTC: cấp thẻ căn cước lần đầu không thu lệ "
    "phí; cấp đổi, cấp lại thẻ có lệ phí riêng"
)


def free(basis: str = NOT_IN_THE_LIST) -> Fee:
    """A free procedure: a line of 0 VND with its reason."""
    return Fee(f"Không thu phí, lệ phí ({basis})", 0)


def exempt(what: str, basis: str = CIVIL_STATUS_FREE) -> Fee:
    """A fee the law waives for this procedure (miễn lệ phí): a line of 0 VND."""
    return Fee(f"Miễn {what} ({basis})", 0)


def provincial(what: str) -> Fee:
    """A fee whose amount the provincial People's Council sets: not yet read in Tuyên Quang's
    resolution, so 0 VND and a label that says so."""
    return Fee(
        f"{what}: mức thu do Hội đồng nhân dân tỉnh quy định (Thông tư số 85/2019/TT-BTC, "
        "đã được sửa đổi, bổ sung); chưa đối chiếu nghị quyết của tỉnh, tạm ghi 0 đồng",
        0,
    )


def residence_free(item: str) -> Fee:
    """A residence procedure the Ministry's published record gives no fee: `item` is its
    "Phí, lệ phí: Không" line among the commune-level procedures of `RESIDENCE_DECISION`."""
    return free(f"{RESIDENCE_DECISION}, thủ tục cấp xã, mục {item}: không; {RESIDENCE_FEES}")


def unconfirmed(what: str, basis: str) -> Fee:
    """A fee whose amount was not confirmed: 0 VND and a label that says so."""
    return Fee(f"{what} ({basis}): chưa đối chiếu mức thu, tạm ghi 0 đồng", 0)


# The procedures whose fee lines above were not cross-checked (none could be confirmed from
# the sources searched: the national database's pages and the texts themselves were not at
# hand). Each is explicit, and the README's sample section says so. The residence procedures
# that `residence_free` marks were checked against the records of `RESIDENCE_DECISION`.
UNVERIFIED_FEES = [
    "1.009645",
    "1.009644",
    "1.009650",
    "1.009740",
    "1.004593",
    "1.014196",
    "2.001955",
    "1.001865",
    "1.001881",
    "1.116410",
    "2.002400",
    "2.002401",
    "2.002402",
    "2.002403",
    "1.010730",
    "2.000002",
    "1.001193",
    "1.000894",
    "1.000656",
    "1.004884",
    "1.000689",
    "1.001022",
    "1.005461",
    "1.004746",
    "1.004845",
    "1.001570",
    "1.001266",
    "2.000575",
    "1.013227",
    "1.013228",
    "1.012812",
    "1.001776",
    "1.014027",
    "1.014028",
    "1.001699",
    "1.001653",
    "1.010833",
    "2.000950",
    "2.000930",
    "1.013133",
    "1.010736",
    "1.003622",
]
