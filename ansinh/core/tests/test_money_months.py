import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.core.money import amount_from_coefficient, format_vnd
from ansinh.core.months import add_months, format_month, months_between, parse_month
from ansinh.core.text import fold, nfc, proper_case


def test_amount_is_coefficient_times_level_in_whole_dong():
    assert amount_from_coefficient("2.5", 540_000) == 1_350_000
    assert amount_from_coefficient("1.5", 500_000) == 750_000
    # Half a đồng rounds up, never truncates.
    assert amount_from_coefficient("0.5", 3) == 2


def test_money_is_shown_with_dots_and_dong_sign():
    assert format_vnd(1_350_000) == "1.350.000 đ"
    assert format_vnd(0) == "0 đ"
    assert format_vnd(-810_000) == "-810.000 đ"


def test_months_are_first_days_and_parse_both_vietnamese_and_iso_forms():
    assert parse_month("2026-11") == dt.date(2026, 11, 1)
    assert parse_month("07/2026") == dt.date(2026, 7, 1)
    assert add_months(dt.date(2026, 11, 1), 2) == dt.date(2027, 1, 1)
    assert months_between(dt.date(2026, 7, 15), dt.date(2026, 9, 1)) == [
        dt.date(2026, 7, 1),
        dt.date(2026, 8, 1),
        dt.date(2026, 9, 1),
    ]
    assert format_month(dt.date(2026, 7, 1)) == "07/2026"


def test_a_bad_month_names_the_field_in_vietnamese():
    with pytest.raises(InvalidInput) as error:
        parse_month("2026-13", field="month")
    assert "month" in error.value.fields
    assert "không tồn tại" in error.value.message


def test_text_is_nfc_and_folds_for_search():
    decomposed = "Nguye\u0302\u0303n"  # 'Nguyễn' typed with combining marks
    assert nfc(decomposed) == "Nguyễn"
    assert fold("Nguyễn Văn Ân") == "nguyen van an"
    assert fold("ĐẶNG THỊ  Đào") == "dang thi dao"
    assert proper_case("NGUYỄN  văn an") == "Nguyễn Văn An"
