"""Normalisation of the fields the matcher compares. Plain Python (no Django), so the engine
runs on a CSV without a database.

Names: NFC, lower case, diacritics folded (ansinh.core.text.fold), punctuation dropped, the
surname put first when a list wrote it last, and a variant without the middle name "Thị"
(women's lists carry it or not, at random). Dates: dd/mm/yyyy, d/m/yy, yyyy-mm-dd, mm/yyyy,
a bare year or "năm 1950"; a day above 12 in the month slot is read as swapped day/month.
Personal IDs: separators dropped, lost leading zeros restored, then checked for the 12-digit
structure (province code of registration).
"""

from __future__ import annotations

import re
import unicodedata

from ansinh.core.text import fold

# Common Vietnamese family names (folded). Used only to put a surname written last back first.
SURNAMES = frozenset(
    """nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dao dinh lam mai
    trinh truong ha cao luu luong chu ta kieu quach thai tong la van doan diep giang hua khuc
    lai lo mac nong quan thach tieu trieu vuong an au""".split()
)

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_DIGITS = re.compile(r"\d+")
_DATE_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})$")
_DATE_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YEAR = re.compile(r"^(?:nam\s*)?(\d{4})$")
_ID_SEPARATORS = re.compile(r"[\s.\-'\u00a0]+")
_FLOAT_TAIL = re.compile(r"^(\d+)\.0+$")

# Province codes of birth registration (first 3 digits of a personal ID), Circular 59/2021.
try:  # the registry module is plain Python too; fall back to the rule "starts with 0" without it
    from ansinh.registry.personal_id import PROVINCE_CODES as _PROVINCES
except Exception:  # pragma: no cover
    _PROVINCES = None


def name_tokens(text: str | None) -> list[str]:
    """'NGUYỄN  thị-Ánh' → ['nguyen', 'thi', 'anh'] with the surname first."""
    folded = fold(_PUNCT.sub(" ", unicodedata.normalize("NFC", text or "")))
    tokens = folded.split()
    if len(tokens) >= 2 and tokens[0] not in SURNAMES and tokens[-1] in SURNAMES:
        # "An Nguyễn Văn" (given name first, as some forms print it): rotate the surname back.
        tokens = [tokens[-1], *tokens[:-1]]
    return tokens


def name_raw(text: str | None) -> str:
    """NFC, lower case, single spaces, diacritics kept: tells 'trùng họ tên' from 'không dấu'."""
    return " ".join(_PUNCT.sub(" ", unicodedata.normalize("NFC", text or "").lower()).split())


def without_thi(tokens: list[str]) -> list[str]:
    """Drop 'thi' when it is a middle name (never the surname or the given name)."""
    if len(tokens) <= 2:
        return tokens
    return [tokens[0], *[t for t in tokens[1:-1] if t != "thi"], tokens[-1]]


def parse_birth(text: str | None) -> tuple[int, int, int]:
    """(year, month, day), 0 for unknown parts; (0, 0, 0) when nothing usable."""
    value = fold(str(text or "")).strip()
    if not value:
        return 0, 0, 0
    if _FLOAT_TAIL.match(value):
        value = _FLOAT_TAIL.match(value).group(1)
    m = _DATE_DMY.match(value)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if year < 100:
            year += 1900 if year > 30 else 2000
        if month > 12 and day <= 12:  # swapped day/month (mm/dd/yyyy)
            day, month = month, day
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return year, 0, 0
        return year, month, day
    m = _DATE_YMD.match(value)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if month > 12 and day <= 12:
            day, month = month, day
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return year, 0, 0
        return year, month, day
    m = _DATE_MY.match(value)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
        return year, (month if 1 <= month <= 12 else 0), 0
    m = _YEAR.match(value)
    if m:
        return int(m.group(1)), 0, 0
    digits = _DIGITS.findall(value)
    years = [int(d) for d in digits if len(d) == 4 and 1880 <= int(d) <= 2100]
    return (years[0], 0, 0) if years else (0, 0, 0)


def clean_personal_id(text: str | None) -> str:
    """The 12-digit ID, or "" when it is missing or cannot be a valid one."""
    value = str(text or "").strip()
    m = _FLOAT_TAIL.match(value)  # a number cell written back as "1050012345.0"
    if m:
        value = m.group(1)
    value = _ID_SEPARATORS.sub("", value)
    if not value.isdigit() or not value.isascii():
        return ""
    # A number cell loses the leading zeros; every province code starts with 0.
    if 9 <= len(value) < 12:
        value = value.zfill(12)
    if len(value) != 12:
        return ""
    if _PROVINCES is not None and value[:3] not in _PROVINCES:
        return ""
    if value[3] not in "0123":  # born 1900–2099
        return ""
    return value


def clean_sex(text: str | None) -> str:
    value = fold(str(text or ""))
    if value in ("m", "nam", "male", "1"):
        return "M"
    if value in ("f", "nu", "female", "0", "2"):
        return "F"
    return ""


_VILLAGE_PREFIX = re.compile(r"^(thon|xom|ap|ban|to dan pho|to|khu pho|khu|lang|buon|plei|soc|khom|doi)\s+")


def village_key(text: str | None) -> str:
    """'Thôn Đông 3' / 'xom dong 03' → 'dong 3'; '' when empty."""
    value = fold(_PUNCT.sub(" ", str(text or "")))
    value = _VILLAGE_PREFIX.sub("", value)
    value = _DIGITS.sub(lambda m: str(int(m.group(0))), value)
    return value.strip()


def member_keys(text: str | None) -> frozenset[str]:
    """Household member names ('|' or ';' separated) as folded keys without 'Thị'."""
    if not text:
        return frozenset()
    parts = re.split(r"[|;]", str(text))
    return frozenset(" ".join(without_thi(name_tokens(p))) for p in parts if p.strip())
