"""Each normalisation of issue 5, item 3, on its own."""

import datetime as dt
import unicodedata

import pytest

from ansinh.imports.normalize import (
    CellError,
    clean_amount,
    clean_category,
    clean_name,
    clean_personal_id,
    clean_phone,
    parse_date,
    parse_month,
    text_of,
)

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12/03/1950", "12/03/1950"),
        ("2/3/1950", "02/03/1950"),
        ("5/6/49", "05/06/1949"),  # d/m/yy: a year after this one is last century
        ("5/6/08", "05/06/2008"),
        ("1950-03-12", "12/03/1950"),
        (18334, "12/03/1950"),  # Excel serial number
        (9583, "27/03/1926"),  # a serial with four digits is not a year
        (18334.0, "12/03/1950"),
        ("18334", "12/03/1950"),  # the serial stored as text
        (dt.datetime(1950, 3, 12), "12/03/1950"),  # a date cell
        (dt.date(1950, 3, 12), "12/03/1950"),
        ("12/03/1950 00:00:00", "12/03/1950"),
        ("năm 1950", "1950"),
        ("Nam 1950", "1950"),
        ("1950", "1950"),
        (1950, "1950"),  # a bare year in a number cell
        (1950.0, "1950"),
        ("03/1950", "03/1950"),
        ("12.03.1950", "12/03/1950"),
    ],
)
def test_dates_of_birth(value, expected):
    assert parse_date(value, today=TODAY).display() == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31/02/1950", "ngày 31/02/1950 không có thật: tháng 2/1950 chỉ có 28 ngày."),
        ("13/13/1950", "tháng 13 không hợp lệ: tháng phải từ 1 đến 12."),
        ("01/12/2026", "ngày 01/12/2026 ở sau ngày hôm nay (22/11/2026): kiểm tra lại."),
        (
            "hôm qua",
            "không đọc được ngày “hôm qua”: nhập theo dạng dd/mm/yyyy (12/03/1950), mm/yyyy (03/1950) hoặc yyyy (1950).",
        ),
        ("", "chưa có ngày sinh: ghi dd/mm/yyyy, mm/yyyy, hoặc chỉ năm yyyy nếu giấy tờ chỉ ghi năm."),
        ("1850", "năm 1850 không hợp lệ: năm phải từ 1880 đến 2026."),
    ],
)
def test_wrong_dates_say_what_is_wrong(value, reason):
    with pytest.raises(CellError) as caught:
        parse_date(value, today=TODAY)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        (912345678, "0912345678"),  # a number cell lost the leading zero
        ("912345678", "0912345678"),
        ("02438123456", "02438123456"),  # a landline, 11 digits
        ("", ""),
        (None, ""),
    ],
)
def test_phone_numbers(value, expected):
    assert clean_phone(value) == expected


def test_a_wrong_phone_number_is_refused():
    with pytest.raises(CellError) as caught:
        clean_phone("12345")
    assert caught.value.reason == "số điện thoại phải gồm 10 chữ số bắt đầu bằng 0 (hoặc +84): kiểm tra lại."


@pytest.mark.parametrize(
    "value",
    [
        "001050000001",
        "001 050 000 001",
        "001.050.000.001",
        1050000001,
        1050000001.0,
        "1050000001",
        "'001050000001",
    ],
)
def test_personal_ids_with_spaces_or_lost_leading_zeros(value):
    assert clean_personal_id(value, birth_year=1950, sex="M") == "001050000001"


def test_a_personal_id_in_scientific_notation_is_refused_with_the_reason():
    with pytest.raises(CellError) as caught:
        clean_personal_id("1.05E+09", birth_year=None, sex=None)
    assert (
        caught.value.reason
        == "số định danh cá nhân chỉ gồm chữ số 0–9, nhưng có ký tự “E”: nhập lại đúng 12 chữ số."
    )


def test_names_nfc_and_proper_case():
    decomposed = unicodedata.normalize("NFD", "nguyễn  THỊ   ánh")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    name = clean_name(decomposed)
    assert name == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", name)
    assert text_of(unicodedata.normalize("NFD", "Tổ 1")) == "Tổ 1"


def test_months_amounts_and_categories():
    assert parse_month("01/2025") == dt.date(2025, 1, 1)
    assert parse_month("1/2025") == dt.date(2025, 1, 1)
    assert parse_month("tháng 7/2025") == dt.date(2025, 7, 1)
    assert parse_month("2025-07") == dt.date(2025, 7, 1)
    assert parse_month(dt.datetime(2025, 7, 15)) == dt.date(2025, 7, 1)
    assert parse_month("15/07/2025") == dt.date(2025, 7, 1)
    assert clean_amount("1.500.000") == 1500000
    assert clean_amount("1,500,000 đ") == 1500000
    assert clean_amount(750000.0) == 750000
    for decimal in ("1.500.000,50", "750,000.5", "1,5"):  # never read 100 or 10 times too large
        with pytest.raises(CellError):
            clean_amount(decimal)
    assert clean_category("Đối tượng 5a") == "5a"
    assert clean_category("ĐT 1") == "1"
    with pytest.raises(CellError) as caught:
        clean_category("nhóm 12")
    assert caught.value.reason == (
        "không nhận ra nhóm đối tượng: ghi mã nhóm theo Nghị định 335/2026 Điều 5 (1, 2, 3, 4, 5a, 5b, 6, 7, 8), ví dụ “5a”."
    )
