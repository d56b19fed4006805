"""The 12-digit personal identification number (số định danh cá nhân).

Structure, Decree 137/2015/NĐ-CP Art. 13 and Circular 59/2021/TT-BCA Art. 7:
    digits 1–3   code of the province where the birth was registered
    digit  4     century of birth and sex (see CENTURY_SEX)
    digits 5–6   last two digits of the year of birth
    digits 7–12  a random serial

The same number is printed on the citizen identity card (CCCD), so "CCCD number" and
"personal ID" are one value here.
"""

import datetime as dt
import re

from ansinh.core.errors import InvalidInput

FIELD = "personal_id"

# Province codes of birth registration: the 63 provinces before 1 July 2025, as printed in the
# first three digits of CCCD numbers (Circular 59/2021 Appendix; the GSO province code with a
# leading zero). The 34 provinces in force since 1 July 2025 kept the code of one of their
# predecessors, so their codes are a subset of this list and no new code was introduced;
# numbers issued before the merger stay valid for life.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Thành phố Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

# Circular 59/2021 Art. 7(2): the 4th digit gives the century of birth and the sex.
# digit: (first year of the century, sex) with sex "M" (Nam) / "F" (Nữ) as in registry.Sex.
CENTURY_SEX: dict[str, tuple[int, str]] = {
    "0": (1900, "M"),
    "1": (1900, "F"),
    "2": (2000, "M"),
    "3": (2000, "F"),
    "4": (2100, "M"),
    "5": (2100, "F"),
    "6": (2200, "M"),
    "7": (2200, "F"),
    "8": (2300, "M"),
    "9": (2300, "F"),
}

SEX_LABELS = {"M": "Nam", "F": "Nữ"}

# Separators people type or copy in: spaces (also non-breaking), dots, dashes.
_SEPARATORS = re.compile(r"[\s.\-\u00a0]+")


def _invalid(message: str) -> InvalidInput:
    return InvalidInput.for_field(FIELD, message)


def personal_id_birth_year(value: str) -> int:
    """The year of birth a valid 12-digit number encodes (digits 4–6)."""
    century, _sex = CENTURY_SEX[value[3]]
    return century + int(value[4:6])


def personal_id_sex(value: str) -> str:
    return CENTURY_SEX[value[3]][1]


def validate_personal_id(value, *, birth_year: int | None = None, sex: str | None = None, today=None) -> str:
    """Return the clean 12-digit number, or raise InvalidInput naming the field "personal_id".

    `birth_year` and `sex` ("M"/"F"), when given, must agree with digits 4–6.
    """
    text = _SEPARATORS.sub("", str(value or ""))
    if not text:
        raise _invalid("Chưa nhập số định danh cá nhân: nhập đủ 12 chữ số in trên căn cước công dân.")
    if not text.isascii() or not text.isdigit():
        bad = next(ch for ch in text if not (ch.isascii() and ch.isdigit()))
        raise _invalid(
            f"Số định danh cá nhân chỉ gồm chữ số 0–9, nhưng có ký tự “{bad}”: nhập lại đúng 12 chữ số."
        )
    if len(text) != 12:
        raise _invalid(
            f"Số định danh cá nhân phải có đúng 12 chữ số, nhưng đã nhập {len(text)} chữ số: "
            "kiểm tra lại, có thể thiếu hoặc thừa số (số 0 ở đầu hay bị mất khi sao chép từ Excel)."
        )
    if text[:3] not in PROVINCE_CODES:
        raise _invalid(
            f"Ba chữ số đầu của số định danh cá nhân ({text[:3]}) không phải mã tỉnh nơi đăng ký khai sinh: "
            "kiểm tra lại số in trên căn cước công dân."
        )
    encoded_year = personal_id_birth_year(text)
    this_year = (today or dt.date.today()).year
    if encoded_year > this_year:
        raise _invalid(
            f"Chữ số thứ 4–6 của số định danh cá nhân ({text[3:6]}) ứng với năm sinh {encoded_year}, "
            "sau năm hiện tại: kiểm tra lại số định danh."
        )
    if birth_year is not None and int(birth_year) != encoded_year:
        raise _invalid(
            f"Số định danh cá nhân ghi năm sinh {encoded_year} (chữ số thứ 4–6 là {text[3:6]}) "
            f"nhưng năm sinh đã nhập là {birth_year}: kiểm tra lại số định danh hoặc ngày sinh."
        )
    encoded_sex = personal_id_sex(text)
    if sex and sex != encoded_sex:
        raise _invalid(
            f"Số định danh cá nhân ghi giới tính {SEX_LABELS[encoded_sex]} (chữ số thứ 4 là {text[3]}) "
            f"nhưng giới tính đã nhập là {SEX_LABELS.get(sex, sex)}: kiểm tra lại số định danh hoặc giới tính."
        )
    return text


# A number Excel stored as a float and wrote back: "79012345678.0".
_FLOAT_TAIL = re.compile(r"^(\d+)\.0+$")


def personal_id_repair(text) -> str:
    """Undo what spreadsheets do to personal IDs; the result still has to pass validation.

    - drops spaces, dots, dashes and the apostrophe Excel uses to mark text (`'001…`);
    - drops a ".0" float tail (the cell was a number);
    - puts back the leading zeros a number cell loses: every province code starts with 0, so a
      real ID stored as a number has 11 digits (or 10 for codes 001–009). Digits that already
      start with 0 were typed as text, so a missing digit there is a typing error, left for
      validation to report ("đủ 12 chữ số"), not a lost zero.
    Scientific notation (1.23457E+11) has lost digits for good and is returned unchanged, so
    validation reports it.
    """
    value = str(text if text is not None else "").strip().lstrip("'").strip()
    if isinstance(text, int):
        value = str(text)
    match = _FLOAT_TAIL.match(value)
    if match:
        value = match.group(1)
    if re.search(r"[eE][+-]?\d+$", value):
        return value
    digits = _SEPARATORS.sub("", value)
    if digits.isascii() and digits.isdigit() and len(digits) in (10, 11) and not digits.startswith("0"):
        digits = digits.zfill(12)
    return digits
