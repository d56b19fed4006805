"""Turn what a spreadsheet cell holds into a clean value, or say in Vietnamese what is wrong and
how to fix it. Each function takes the raw cell (str, int, float, datetime or None) and returns
the clean value or raises CellError(reason)."""

import datetime as dt
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from ansinh.core.errors import InvalidInput
from ansinh.core.text import fold as _fold_text
from ansinh.core.text import proper_case
from ansinh.registry.birth import EARLIEST_BIRTH_YEAR, PartialDate
from ansinh.registry.personal_id import personal_id_repair, validate_personal_id

EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug absorbed)


class CellError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# fold() of the short texts the cleaners read ("Nam", "Đối tượng 5a", "1.500.000 đ"): a list
# repeats the same few values on every row, so each is folded once.
fold = functools.lru_cache(maxsize=8192)(_fold_text)


def text_of(value) -> str:
    """A cell as text: NFC, single spaces; 12.0 → '12'; a date → dd/mm/yyyy."""
    if type(value) is str:
        # The common case first, and NFC only when there is something to compose (as nfc() would,
        # the surrounding whitespace goes: split() drops it).
        return " ".join((value if value.isascii() else unicodedata.normalize("NFC", value)).split())
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return f"{value:%d/%m/%Y}"
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def is_blank(value) -> bool:
    return text_of(value) == ""


# --- names -----------------------------------------------------------------------------------


def clean_name(value) -> str:
    return _clean_name(text_of(value))


@functools.lru_cache(maxsize=65536)
def _clean_name(text: str) -> str:
    # Cached by text: a list of 100,000 people holds a few thousand distinct names.
    name = proper_case(text)
    if not name:
        raise CellError("chưa có họ và tên: ghi đủ họ, tên đệm và tên như trên giấy tờ.")
    if any(ch.isdigit() for ch in name):
        raise CellError("họ và tên không được chứa chữ số: kiểm tra lại, có thể đã dán nhầm cột.")
    if len(name) > 150:
        raise CellError("họ và tên dài quá 150 ký tự: kiểm tra lại.")
    return name


# --- dates -----------------------------------------------------------------------------------

_SHORT_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2})$")
_YEAR_WORD = re.compile(r"^(?:năm|nam|n\.)\s*(\d{4})$", re.IGNORECASE)
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.0+)?")
_TIME_PART = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")


def _today() -> dt.date:
    return timezone.localdate()


def _serial_to_date(number: float) -> dt.date:
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def _full_year(two_digits: int, today: dt.date) -> int:
    # 'd/m/yy' for a date of birth: a year ahead of this one belongs to the last century.
    year = 2000 + two_digits
    return year if year <= today.year else 1900 + two_digits


def parse_date(value, *, today: dt.date | None = None) -> PartialDate:
    """A date of birth: dd/mm/yyyy, d/m/yy, yyyy-mm-dd, mm/yyyy, 'năm 1950', a bare year, an Excel
    serial number or a date cell. Partial dates (year only, month and year) are kept partial."""
    today = today or _today()
    try:
        if isinstance(value, (dt.date, dt.datetime)):
            return PartialDate.parse(value, today=today)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
            # A number that can be a year of birth is one; any other is an Excel serial date.
            # (Serials 1880–2026 are days of 1905: nobody alive was born then, so no clash.)
            if number.is_integer() and EARLIEST_BIRTH_YEAR <= number <= today.year:
                return PartialDate.build(int(number), today=today)
            if number.is_integer() and 0 < number < 2958466:
                return PartialDate.parse(_serial_to_date(number), today=today)
            raise CellError("không đọc được ngày: ghi theo dạng dd/mm/yyyy (12/03/1950) hoặc chỉ năm (1950).")
        text = text_of(value)
        if not text:
            raise CellError(
                "chưa có ngày sinh: ghi dd/mm/yyyy, mm/yyyy, hoặc chỉ năm yyyy nếu giấy tờ chỉ ghi năm."
            )
        if _SERIAL_TEXT.fullmatch(text):  # a serial number stored as text
            return PartialDate.parse(_serial_to_date(float(text)), today=today)
        if m := _YEAR_WORD.match(text):
            return PartialDate.build(int(m[1]), today=today)
        if m := _SHORT_YEAR.match(text):
            return PartialDate.build(_full_year(int(m[3]), today), int(m[2]), int(m[1]), today=today)
        # A time part written after the date ('12/03/1950 00:00:00').
        text = _TIME_PART.sub("", text)
        return PartialDate.parse(text, today=today)
    except InvalidInput as exc:
        raise CellError(_lower_first(exc.message)) from None


def parse_full_date(value, *, today: dt.date | None = None, what: str = "ngày") -> dt.date:
    date = parse_date(value, today=today)
    if not date.is_complete:
        raise CellError(f"cần {what} đầy đủ dạng dd/mm/yyyy, nhưng chỉ có “{date.display()}”.")
    return date.earliest()


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


_MONTH_TEXT = re.compile(r"^(?:tháng|thang|th\.?)?\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$", re.IGNORECASE)
_MONTH_ISO = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*\d{1,2})?$")
_DAY_MONTH_YEAR = re.compile(r"^\d{1,2}\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")


def parse_month(value, *, today: dt.date | None = None) -> dt.date:
    """A month as its first day: '01/2025', '1/2025', '2025-01', 'tháng 1/2025', a date cell
    (its month), an Excel serial number, '15/01/2025' (its month)."""
    if isinstance(value, (dt.date, dt.datetime)):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day.replace(day=1)
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and float(value).is_integer()
        and 20000 < value < 2958466
    ):
        return _serial_to_date(value).replace(day=1)
    text = text_of(value)
    if not text:
        raise CellError("chưa có tháng bắt đầu hưởng: ghi theo dạng mm/yyyy, ví dụ 01/2025.")
    match = _MONTH_TEXT.match(text)
    if match:
        month, year = int(match[1]), int(match[2])
    elif match := _MONTH_ISO.match(text):
        year, month = int(match[1]), int(match[2])
    elif match := _DAY_MONTH_YEAR.match(text):
        month, year = int(match[1]), int(match[2])
    else:
        raise CellError("không đọc được tháng: ghi theo dạng mm/yyyy, ví dụ 01/2025.")
    if not 1 <= month <= 12:
        raise CellError(f"tháng {month} không tồn tại: tháng chỉ từ 1 đến 12.")
    if not 1990 <= year <= (today or _today()).year + 1:
        raise CellError(f"năm {year} không hợp lệ: kiểm tra lại tháng bắt đầu hưởng.")
    return dt.date(year, month, 1)


# --- sex, phone, ID ----------------------------------------------------------------------------

_SEX = {"nam": "M", "m": "M", "male": "M", "trai": "M", "nu": "F", "f": "F", "female": "F", "gai": "F"}


def clean_sex(value) -> str:
    sex = _SEX.get(fold(text_of(value)))
    if sex is None:
        raise CellError("giới tính không hợp lệ: ghi “Nam” hoặc “Nữ”.")
    return sex


_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def clean_phone(value) -> str:
    """0xxxxxxxxx; '+84 912 345 678', '84912345678' and a number that lost its leading 0."""
    text = _PHONE_SEPARATORS.sub("", text_of(value))
    if not text:
        return ""
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) == 11:
        text = "0" + text[2:]
    elif text.isdigit() and len(text) == 9 and text[0] != "0":
        text = "0" + text  # a number cell: Excel dropped the leading 0
    if not text.isdigit() or not 10 <= len(text) <= 11 or not text.startswith("0"):
        raise CellError("số điện thoại phải gồm 10 chữ số bắt đầu bằng 0 (hoặc +84): kiểm tra lại.")
    return text


def clean_personal_id(
    value, *, birth_year: int | None, sex: str | None, today: dt.date | None = None
) -> str | None:
    raw = value
    if isinstance(value, float) and value.is_integer():
        raw = int(value)
    repaired = personal_id_repair(raw)
    if not repaired:
        return None
    try:
        return validate_personal_id(repaired, birth_year=birth_year, sex=sex, today=today or _today())
    except InvalidInput as exc:
        raise CellError(_lower_first(exc.message)) from None


# --- beneficiaries -----------------------------------------------------------------------------

# Decree 335/2026 Art. 5: the categories of the monthly social allowance.
ALLOWANCE_CATEGORIES = ["1", "2", "3", "4", "5a", "5b", "6", "7", "8"]
_CATEGORY = re.compile(r"(\d{1,2})\s*([ab])?\b")


def clean_category(value) -> str:
    text = fold(text_of(value))
    if not text:
        return ""
    match = _CATEGORY.search(text)
    code = (match[1] + (match[2] or "")) if match else ""
    if code not in ALLOWANCE_CATEGORIES:
        raise CellError(
            "không nhận ra nhóm đối tượng: ghi mã nhóm theo Nghị định 335/2026 Điều 5 ("
            + ", ".join(ALLOWANCE_CATEGORIES)
            + "), ví dụ “5a”."
        )
    return code


def clean_benefit(value) -> str:
    text = fold(text_of(value))
    if not text or "tro cap xa hoi" in text or "hang thang" in text and "cham soc" not in text:
        return "monthly_allowance"
    if "huu tri" in text:
        return "social_pension"
    if "cham soc" in text or "nuoi duong" in text:
        return "care_support"
    raise CellError(
        "không nhận ra chế độ: ghi “Trợ cấp xã hội hằng tháng”, “Trợ cấp hưu trí xã hội” hoặc "
        "“Hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng”."
    )


def clean_coefficient(value) -> Decimal:
    text = text_of(value).replace(",", ".")
    if not text:
        raise CellError("chưa có hệ số: ghi hệ số trợ cấp trong quyết định, ví dụ 1,5.")
    if isinstance(value, float):
        text = repr(value)
    try:
        coefficient = Decimal(text)
    except InvalidOperation:
        raise CellError("hệ số không phải là số: ghi dạng 1,5 hoặc 2.") from None
    if not coefficient.is_finite() or coefficient <= 0 or coefficient > Decimal("99.99"):
        raise CellError("hệ số phải lớn hơn 0 và không quá 99,99.")
    if coefficient != coefficient.quantize(Decimal("0.01")):
        raise CellError("hệ số chỉ có tối đa 2 chữ số thập phân (ví dụ 1,5).")
    return coefficient.quantize(Decimal("0.01"))


_DECIMAL_PART = re.compile(r"[.,]\d{1,2}\s*$")
_AMOUNT_SEPARATORS = re.compile(r"[\s.,]")


def clean_amount(value) -> int | None:
    """Integer đồng: 1500000, '1.500.000', '1,500,000 đ'."""
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("số tiền phải là số nguyên đồng, không có phần lẻ.")
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise CellError("số tiền không được âm.")
        return value
    text = fold(text_of(value)).replace("vnd", "").replace("dong", "").replace("d", "")
    if _DECIMAL_PART.search(text):
        # '1.500.000,50' or '1,5': a decimal part, not a thousands group; dropping the separator
        # would read it 100 or 10 times too large.
        raise CellError("số tiền phải là số nguyên đồng, không có phần lẻ (ví dụ 1.500.000).")
    text = _AMOUNT_SEPARATORS.sub("", text)
    if not text:
        return None
    if not text.isdigit():
        raise CellError("số tiền phải là số nguyên đồng, ví dụ 750.000.")
    return int(text)


# --- households, poverty, disability -----------------------------------------------------------

_RELATIONSHIPS = [
    ("chu ho", "head"),
    ("vo/chong", "spouse"),
    ("vo", "spouse"),
    ("chong", "spouse"),
    ("con", "child"),
    ("chau", "grandchild"),
    ("cha", "parent"),
    ("me", "parent"),
    ("bo", "parent"),
    ("ong", "grandparent"),
    ("ba", "grandparent"),
    ("anh", "sibling"),
    ("chi", "sibling"),
    ("em", "sibling"),
    ("khac", "other"),
]


def clean_relationship(value) -> str:
    text = fold(text_of(value))
    if not text:
        return ""
    first = text.split()[0]
    for word, code in _RELATIONSHIPS:
        if text == word or text.startswith(word + " ") or first == word:
            return code
    return "other"


def clean_poverty_status(value) -> str:
    text = fold(text_of(value))
    if "can ngheo" in text or text in {"hcn", "cn"}:
        return "near_poor"
    if "thoat ngheo" in text or text.startswith("khong"):
        return "none"
    if "ngheo" in text or text in {"hn", "x"}:
        return "poor"
    raise CellError("không nhận ra tình trạng hộ: ghi “Hộ nghèo”, “Hộ cận nghèo” hoặc “Không”.")


def clean_year(value, *, first: int = 2000, today: dt.date | None = None) -> int:
    text = text_of(value)
    last = (today or _today()).year + 1
    if not (text.isdigit() and first <= int(text) <= last):
        raise CellError(f"năm phải là số từ {first} đến {last}.")
    return int(text)


_DISABILITY_TYPES = [
    ("van dong", "mobility"),
    ("nghe", "hearing_speech"),
    ("noi", "hearing_speech"),
    ("nhin", "visual"),
    ("than kinh", "mental"),
    ("tam than", "mental"),
    ("tri tue", "intellectual"),
    ("khac", "other"),
]


def clean_disability_type(value) -> str:
    text = fold(text_of(value))
    for word, code in _DISABILITY_TYPES:
        if word in text:
            return code
    raise CellError(
        "không nhận ra dạng tật: ghi một trong vận động; nghe, nói; nhìn; thần kinh, tâm thần; trí tuệ; khác."
    )


def clean_disability_level(value) -> str:
    text = fold(text_of(value))
    if "dac biet nang" in text:
        return "especially_severe"
    if "nang" in text:
        return "severe"
    if "nhe" in text:
        return "mild"
    raise CellError("không nhận ra mức độ khuyết tật: ghi “Nhẹ”, “Nặng” hoặc “Đặc biệt nặng”.")
