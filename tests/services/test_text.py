"""Folding Vietnamese text for search."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.text import fold, words


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Đăng ký kinh doanh", "dang ky kinh doanh"),
        ("ĐĂNG KÝ KINH DOANH", "dang ky kinh doanh"),
        ("Cấp, đổi giấy phép lái xe.", "cap doi giay phep lai xe"),
        ("Ủy ban nhân dân xã Đạo Đức", "uy ban nhan dan xa dao duc"),
        (
            "Thẩm định báo cáo đánh giá tác động môi trường",
            "tham dinh bao cao danh gia tac dong moi truong",
        ),
        ("1.001234.H42", "1.001234.h42"),
        ("Chứng thực… bản sao", "chung thuc ban sao"),
        # Decomposed input (NFD, as some keyboards and PDFs produce) folds the same way.
        ("Đa\u0306ng ky\u0301", "dang ky"),
        ("ÐĂNG", "dang"),  # U+00D0 (eth) typed in place of U+0110
        # Compatibility forms (NFKC) fold as the letters they stand for.
        ("ｄａｎｇ ｋý", "dang ky"),  # full-width
        ("Ｄ\uff0eＡ", "d.a"),  # full-width capitals and full stop
        ("ﬁnh", "finh"),  # the fi ligature
        ("Hà\u00a0Giang\u3000x²", "ha giang x2"),  # no-break and ideographic spaces, superscript
        ("!!! ... —", ""),
        ("", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_words_are_distinct_and_ordered() -> None:
    assert words("Đăng ký đăng KÝ hộ") == ["dang", "ky", "ho"]


@given(st.text())
def test_fold_is_idempotent_and_plain(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert all(ch in "abcdefghijklmnopqrstuvwxyz0123456789. " for ch in once)
    assert "  " not in once and once == once.strip()
