import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput
from ansinh.registry.personal_id import PROVINCE_CODES, personal_id_repair, validate_personal_id

TODAY = dt.date(2026, 11, 22)


def refusal(value, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        validate_personal_id(value, today=TODAY, **kwargs)
    assert list(info.value.fields) == ["personal_id"]
    assert info.value.fields["personal_id"] == info.value.message
    return info.value


def test_a_good_number_comes_back_clean():
    assert validate_personal_id("079050001234", today=TODAY) == "079050001234"


def test_spaces_and_dots_are_dropped():
    assert validate_personal_id(" 079 050 001 234 ", today=TODAY) == "079050001234"
    assert validate_personal_id("079.050.001.234", today=TODAY) == "079050001234"


def test_a_number_agreeing_with_birth_year_and_sex_passes():
    # 4th digit 1: female, 20th century; 5th–6th 52 → 1952.
    assert validate_personal_id("001152000001", birth_year=1952, sex="F", today=TODAY) == "001152000001"
    # 4th digit 2: male, 21st century.
    assert validate_personal_id("038215000001", birth_year=2015, sex="M", today=TODAY) == "038215000001"


def test_the_63_province_codes_are_the_pre_2025_list():
    assert len(PROVINCE_CODES) == 63
    assert "001" in PROVINCE_CODES and "096" in PROVINCE_CODES
    assert "003" not in PROVINCE_CODES and "097" not in PROVINCE_CODES


def test_empty_is_refused():
    assert refusal("").message == (
        "Chưa nhập số định danh cá nhân: nhập đủ 12 chữ số in trên căn cước công dân."
    )


def test_a_letter_is_refused():
    assert refusal("07905000123A").message == (
        "Số định danh cá nhân chỉ gồm chữ số 0–9, nhưng có ký tự “A”: nhập lại đúng 12 chữ số."
    )


def test_a_wrong_length_is_refused():
    assert refusal("79050001234").message == (
        "Số định danh cá nhân phải có đúng 12 chữ số, nhưng đã nhập 11 chữ số: kiểm tra lại, có thể thiếu "
        "hoặc thừa số (số 0 ở đầu hay bị mất khi sao chép từ Excel)."
    )
    assert "đã nhập 13 chữ số" in refusal("0790500012345").message


def test_an_unknown_province_code_is_refused():
    assert refusal("003050001234").message == (
        "Ba chữ số đầu của số định danh cá nhân (003) không phải mã tỉnh nơi đăng ký khai sinh: "
        "kiểm tra lại số in trên căn cước công dân."
    )


def test_a_birth_year_in_the_future_is_refused():
    # 4th digit 4 = 22nd century.
    assert refusal("079450001234").message == (
        "Chữ số thứ 4–6 của số định danh cá nhân (450) ứng với năm sinh 2150, sau năm hiện tại: "
        "kiểm tra lại số định danh."
    )


def test_a_birth_year_disagreeing_is_refused():
    assert refusal("079050001234", birth_year=1952).message == (
        "Số định danh cá nhân ghi năm sinh 1950 (chữ số thứ 4–6 là 050) nhưng năm sinh đã nhập là 1952: "
        "kiểm tra lại số định danh hoặc ngày sinh."
    )


def test_the_century_counts_in_the_birth_year():
    # 050 says 1950; 250 would say 2050. A person born 2050 does not agree with 1950.
    assert "năm sinh 1950" in refusal("079050001234", birth_year=2050).message


def test_a_sex_disagreeing_is_refused():
    assert refusal("079050001234", sex="F").message == (
        "Số định danh cá nhân ghi giới tính Nam (chữ số thứ 4 là 0) nhưng giới tính đã nhập là Nữ: "
        "kiểm tra lại số định danh hoặc giới tính."
    )


@pytest.mark.parametrize(
    ("mangled", "repaired"),
    [
        ("79050001234", "079050001234"),  # a number cell lost the leading zero
        ("1050001234", "001050001234"),  # Hà Nội (001) loses two
        ("79050001234.0", "079050001234"),  # written back as a float
        ("'079050001234", "079050001234"),  # Excel's text apostrophe
        ("079 050 001 234", "079050001234"),
        (79050001234, "079050001234"),
        ("7.9050E+10", "7.9050E+10"),  # digits lost for good: left for validation to refuse
        ("123", "123"),
        ("04004812345", "04004812345"),  # typed as text, a digit short: not a lost zero
    ],
)
def test_repair_undoes_spreadsheet_damage(mangled, repaired):
    assert personal_id_repair(mangled) == repaired
