"""The `dvc-gateway calendar` commands, end to end through the console script."""

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from app.cli import main
from app.config import get_settings
from app.db import make_engine
from app.models.calendar import CalendarOverride
from app.models.types import VN_TZ


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    assert main(["migrate"]) == 0
    # Until a migration creates calendar_override, create it beside the migrated schema;
    # checkfirst makes this a no-op once the migration exists.
    engine = make_engine(url)
    CalendarOverride.__table__.create(engine, checkfirst=True)  # type: ignore[attr-defined]
    engine.dispose()
    yield url
    get_settings.cache_clear()


def overrides(url: str) -> list[tuple[date, bool, str]]:
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.exec(select(CalendarOverride).order_by(col(CalendarOverride.day))).all()
        result = [(row.day, row.working, row.note) for row in rows]
    engine.dispose()
    return result


def test_add_a_make_up_saturday_and_list_the_year(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    note = "Làm bù cho ngày 02/05/2025"
    assert main(["calendar", "add", "2025-04-26", "--working", "--note", note]) == 0
    assert capsys.readouterr().out == "2025-04-26 (Thứ Bảy) từ nay là ngày làm việc\n"
    assert overrides(database) == [(date(2025, 4, 26), True, note)]
    assert main(["calendar", "list", "--year", "2025"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "2025-01-01  Thứ Tư    nghỉ lễ    Tết Dương lịch",
        "2025-01-27  Thứ Hai   nghỉ lễ    29 Tết",
        "2025-01-28  Thứ Ba    nghỉ lễ    Giao thừa Tết Nguyên Đán",
        "2025-01-29  Thứ Tư    nghỉ lễ    Tết Nguyên Đán",
        "2025-01-30  Thứ Năm   nghỉ lễ    Mùng hai Tết Nguyên Đán",
        "2025-01-31  Thứ Sáu   nghỉ lễ    Mùng ba Tết Nguyên Đán",
        "2025-02-01  Thứ Bảy   nghỉ lễ    Mùng bốn Tết Nguyên Đán",
        "2025-04-07  Thứ Hai   nghỉ lễ    Ngày Giỗ Tổ Hùng Vương",
        "2025-04-26  Thứ Bảy   làm bù     Làm bù cho ngày 02/05/2025",
        "2025-04-30  Thứ Tư    nghỉ lễ    Ngày Chiến thắng",
        "2025-05-01  Thứ Năm   nghỉ lễ    Ngày Quốc tế Lao động",
        "2025-05-02  Thứ Sáu   nghỉ lễ    Ngày nghỉ (thay cho ngày 26/04/2025)",
        "2025-09-01  Thứ Hai   nghỉ lễ    Quốc khánh",
        "2025-09-02  Thứ Ba    nghỉ lễ    Quốc khánh",
    ]


def test_adding_again_changes_the_kind(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "add", "2025-11-10", "--off"]) == 0
    assert main(["calendar", "add", "2025-11-10", "--working", "--note", "trực"]) == 0
    out = capsys.readouterr()
    assert "2025-11-10 (Thứ Hai) từ nay là ngày nghỉ" in out.out
    # Monday 10 Nov is a working day anyway: say so, but store it.
    assert "lưu ý: theo quy định, 2025-11-10 vốn đã là ngày làm việc" in out.err
    assert overrides(database) == [(date(2025, 11, 10), True, "trực")]
    assert main(["calendar", "list", "--year", "2025"]) == 0
    assert "2025-11-10  Thứ Hai   làm bù     trực" in capsys.readouterr().out.splitlines()


def test_remove(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "add", "2025-04-19", "--working"]) == 0
    capsys.readouterr()
    assert main(["calendar", "remove", "2025-04-19"]) == 0
    assert capsys.readouterr().out == (
        "2025-04-19 (Thứ Bảy): đã bỏ điều chỉnh; theo quy định là ngày nghỉ\n"
    )
    assert overrides(database) == []
    assert main(["calendar", "remove", "2025-04-19"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "lỗi: ngày 2025-04-19 không có điều chỉnh nào để bỏ\n"
    assert captured.out == ""


@pytest.mark.parametrize("text", ["2025-13-01", "2025-02-30", "2025-1-1", "20250101", "hôm nay"])
def test_a_bad_date_is_an_error(
    database: str, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    capsys.readouterr()
    assert main(["calendar", "add", text, "--off"]) == 1
    assert capsys.readouterr().err == f"lỗi: '{text}' không phải ngày hợp lệ; cần dạng YYYY-MM-DD\n"
    assert main(["calendar", "remove", text]) == 1
    assert "không phải ngày hợp lệ" in capsys.readouterr().err
    assert overrides(database) == []


def test_a_note_too_long_is_an_error(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "add", "2025-04-26", "--working", "--note", "x" * 301]) == 1
    assert capsys.readouterr().err == "lỗi: Ghi chú dài quá 300 ký tự.\n"
    assert overrides(database) == []


def test_off_and_working_are_exclusive_and_one_is_required(database: str) -> None:
    with pytest.raises(SystemExit) as both:
        main(["calendar", "add", "2025-04-26", "--off", "--working"])
    with pytest.raises(SystemExit) as neither:
        main(["calendar", "add", "2025-04-26"])
    assert both.value.code == neither.value.code == 2
    assert overrides(database) == []


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("25", "lỗi: '25' không phải một năm; cần dạng YYYY\n"),
        ("2300", "lỗi: năm 2300 nằm ngoài các năm lịch biết (1901–2100)\n"),
    ],
)
def test_list_a_bad_year(
    database: str, capsys: pytest.CaptureFixture[str], year: str, message: str
) -> None:
    capsys.readouterr()
    assert main(["calendar", "list", "--year", year]) == 1
    assert capsys.readouterr().err == message


def test_list_defaults_to_this_year_in_vietnam(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["calendar", "list"]) == 0
    year = datetime.now(VN_TZ).year
    assert capsys.readouterr().out.startswith(f"{year}-01-01  ")
