import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.registry.birth import ASSUMED_UNKNOWN_BIRTH_PARTS, PartialDate, parse_full_date

TODAY = dt.date(2026, 11, 22)


def parse(text):
    return PartialDate.parse(text, today=TODAY)


def refusal(text) -> str:
    with pytest.raises(InvalidInput) as info:
        parse(text)
    assert list(info.value.fields) == ["birth_date"]
    return info.value.message


@pytest.mark.parametrize(
    ("text", "expected", "shown"),
    [
        ("1950", PartialDate(1950), "1950"),
        ("năm 1950", PartialDate(1950), "1950"),
        ("Năm  1950", PartialDate(1950), "1950"),
        ("03/1950", PartialDate(1950, 3), "03/1950"),
        ("3/1950", PartialDate(1950, 3), "03/1950"),
        ("12/03/1950", PartialDate(1950, 3, 12), "12/03/1950"),
        ("1950-03-12", PartialDate(1950, 3, 12), "12/03/1950"),
        ("29/02/2024", PartialDate(2024, 2, 29), "29/02/2024"),
    ],
)
def test_partial_dates_are_read_and_shown(text, expected, shown):
    date = parse(text)
    assert date == expected
    assert date.display() == shown


def test_day_first_is_not_read_as_month_first():
    # 01/07/2025 is 1 July, as Vietnamese write it.
    assert parse("01/07/2025") == PartialDate(2025, 7, 1)


def test_impossible_day_is_refused():
    assert refusal("31/02/1950") == "Ngày 31/02/1950 không có thật: tháng 2/1950 chỉ có 28 ngày."
    assert refusal("29/02/2023") == "Ngày 29/02/2023 không có thật: tháng 2/2023 chỉ có 28 ngày."


def test_month_13_is_refused():
    assert refusal("13/1950") == "Tháng 13 không hợp lệ: tháng phải từ 1 đến 12."
    assert refusal("01/13/1950") == "Tháng 13 không hợp lệ: tháng phải từ 1 đến 12."


def test_future_dates_are_refused():
    assert refusal("23/11/2026") == "Ngày 23/11/2026 ở sau ngày hôm nay (22/11/2026): kiểm tra lại."
    assert refusal("12/2026") == "Ngày 12/2026 ở sau ngày hôm nay (22/11/2026): kiểm tra lại."
    assert refusal("2027") == "Năm 2027 không hợp lệ: năm phải từ 1880 đến 2026."


def test_this_month_of_this_year_is_accepted():
    assert parse("11/2026") == PartialDate(2026, 11)


def test_unreadable_and_empty_are_refused():
    assert refusal("hôm qua") == (
        "Không đọc được ngày “hôm qua”: nhập theo dạng dd/mm/yyyy (12/03/1950), mm/yyyy (03/1950) hoặc yyyy (1950)."
    )
    assert refusal("") == (
        "Chưa nhập ngày sinh: nhập dd/mm/yyyy, hoặc mm/yyyy, hoặc chỉ năm yyyy nếu giấy tờ chỉ ghi năm."
    )


def test_the_assumption_for_unknown_parts_is_first_of_january_and_first_of_month():
    assert ASSUMED_UNKNOWN_BIRTH_PARTS == (1, 1)
    assert PartialDate(1950).assumed_date() == dt.date(1950, 1, 1)
    assert PartialDate(1950, 3).assumed_date() == dt.date(1950, 3, 1)


def test_year_only_counts_as_born_on_first_of_january():
    assert PartialDate(1966).age_on(dt.date(2025, 12, 31)) == 59
    assert PartialDate(1966).age_on(dt.date(2026, 1, 1)) == 60


def test_month_year_counts_as_born_on_the_first_of_the_month():
    assert PartialDate(2022, 11).age_on(dt.date(2026, 10, 31)) == 3
    assert PartialDate(2022, 11).age_on(dt.date(2026, 11, 1)) == 4


def test_full_date_counts_full_years():
    born = PartialDate(1951, 7, 15)
    assert born.age_on(dt.date(2026, 7, 14)) == 74
    assert born.age_on(dt.date(2026, 7, 15)) == 75


def test_age_before_birth_is_zero():
    assert PartialDate(2026, 5).age_on(dt.date(2026, 1, 1)) == 0


def test_full_date_needed_for_a_date_of_death():
    with pytest.raises(InvalidInput) as info:
        parse_full_date("03/2026", field="date_of_death", today=TODAY)
    assert info.value.fields == {"date_of_death": "Cần ngày đầy đủ dạng dd/mm/yyyy (đã nhập “03/2026”)."}
    assert parse_full_date("05/03/2026", field="date_of_death", today=TODAY) == dt.date(2026, 3, 5)
