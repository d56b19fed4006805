"""Dates of birth that may be partial: year only, or month and year (ngày sinh không đầy đủ).

Many older people's papers carry only a year ("năm 1950") or a month and year. The registry
stores year, month and day separately; `PartialDate` reads, checks, shows and ages them.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from ansinh.core.errors import InvalidInput

# ASSUMPTION TO CONFIRM WITH A LEGAL OFFICER: when only the year (or the month and year) of birth
# is known, age is counted as if the person was born on the first day of the missing part:
# a year-only date is 1 January, a month-year date the 1st of that month. This is the most
# favourable reading for the beneficiary (they reach 16, 60, 75 … earliest, and leave "under 4"
# earliest too). Decree 335/2026 counts ages in full years ("đủ … tuổi") but does not say how
# to count them for a partial date of birth. Change it here only: (month, day) filled in.
ASSUMED_UNKNOWN_BIRTH_PARTS = (1, 1)

EARLIEST_BIRTH_YEAR = 1880

FIELD = "birth_date"

_YEAR = re.compile(r"^(?:năm\s+)?(\d{4})$", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"^(?:tháng\s+)?(\d{1,2})\s*[/.\-]\s*(\d{4})$", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


def _invalid(message: str, field: str) -> InvalidInput:
    return InvalidInput.for_field(field, message)


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    # --- reading ---------------------------------------------------------------------------
    @classmethod
    def parse(cls, value, *, field: str = FIELD, today: dt.date | None = None) -> "PartialDate":
        """Read "1950", "năm 1950", "03/1950", "12/03/1950", "1950-03-12" (or a date).

        Raises InvalidInput naming `field` for an unreadable, impossible or future date.
        """
        if isinstance(value, PartialDate):
            return cls.build(value.year, value.month, value.day, field=field, today=today)
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls.build(value.year, value.month, value.day, field=field, today=today)
        if isinstance(value, int):
            return cls.build(value, field=field, today=today)
        text = " ".join(str(value or "").split())
        if not text:
            raise _invalid(
                "Chưa nhập ngày sinh: nhập dd/mm/yyyy, hoặc mm/yyyy, hoặc chỉ năm yyyy nếu giấy tờ chỉ ghi năm.",
                field,
            )
        if m := _YEAR.match(text):
            return cls.build(int(m[1]), field=field, today=today)
        if m := _ISO.match(text):
            return cls.build(int(m[1]), int(m[2]), int(m[3]) if m[3] else None, field=field, today=today)
        if m := _MONTH_YEAR.match(text):
            return cls.build(int(m[2]), int(m[1]), field=field, today=today)
        if m := _DAY_MONTH_YEAR.match(text):
            return cls.build(int(m[3]), int(m[2]), int(m[1]), field=field, today=today)
        raise _invalid(
            f"Không đọc được ngày “{text}”: nhập theo dạng dd/mm/yyyy (12/03/1950), mm/yyyy (03/1950) "
            "hoặc yyyy (1950).",
            field,
        )

    @classmethod
    def build(
        cls,
        year: int,
        month: int | None = None,
        day: int | None = None,
        *,
        field: str = FIELD,
        today: dt.date | None = None,
    ) -> "PartialDate":
        """Check the parts and return the date; the messages name `field`."""
        today = today or timezone.localdate()
        if day is not None and month is None:
            raise _invalid("Có ngày sinh nhưng thiếu tháng sinh: nhập cả tháng, hoặc bỏ ngày.", field)
        if not EARLIEST_BIRTH_YEAR <= year <= today.year:
            raise _invalid(
                f"Năm {year} không hợp lệ: năm phải từ {EARLIEST_BIRTH_YEAR} đến {today.year}.",
                field,
            )
        if month is not None and not 1 <= month <= 12:
            raise _invalid(f"Tháng {month} không hợp lệ: tháng phải từ 1 đến 12.", field)
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise _invalid(
                    f"Ngày {day:02d}/{month:02d}/{year} không có thật: tháng {month}/{year} chỉ có {last} ngày.",
                    field,
                )
        date = cls(year, month, day)
        if date.earliest() > today:
            raise _invalid(
                f"Ngày {date.display()} ở sau ngày hôm nay ({today:%d/%m/%Y}): kiểm tra lại.",
                field,
            )
        return date

    @classmethod
    def of(cls, person) -> "PartialDate":
        """The date of birth stored on a Person (no checks: stored values were checked on entry)."""
        return cls(person.birth_year, person.birth_month, person.birth_day)

    # --- using -----------------------------------------------------------------------------
    @property
    def is_complete(self) -> bool:
        return self.day is not None

    def earliest(self) -> dt.date:
        """The first day the date can be: 1 January for a year, the 1st for a month-year."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def assumed_date(self) -> dt.date:
        """The day ages are counted from (see ASSUMED_UNKNOWN_BIRTH_PARTS)."""
        assumed_month, assumed_day = ASSUMED_UNKNOWN_BIRTH_PARTS
        return dt.date(self.year, self.month or assumed_month, self.day or assumed_day)

    def age_on(self, on: dt.date) -> int:
        """Age in full years on `on` (đủ … tuổi). Negative is never returned: 0 before birth."""
        born = self.assumed_date()
        years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        return max(years, 0)

    def display(self) -> str:
        """dd/mm/yyyy, mm/yyyy or yyyy."""
        if self.day is not None:
            return f"{self.day:02d}/{self.month:02d}/{self.year}"
        if self.month is not None:
            return f"{self.month:02d}/{self.year}"
        return f"{self.year}"

    def as_fields(self) -> dict:
        return {"birth_year": self.year, "birth_month": self.month, "birth_day": self.day}

    def __str__(self) -> str:
        return self.display()


def parse_full_date(
    value, *, field: str, today: dt.date | None = None, allow_future: bool = False
) -> dt.date:
    """A complete date (dd/mm/yyyy or yyyy-mm-dd, or a date) for fields like the date of death."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        today = today or timezone.localdate()
        if not allow_future and value > today:
            raise _invalid(
                f"Ngày {value:%d/%m/%Y} ở sau ngày hôm nay ({today:%d/%m/%Y}): kiểm tra lại.", field
            )
        return value
    if allow_future:
        # Parse as if today were far ahead, so only impossible dates are refused.
        today = dt.date(9999, 12, 31)
    date = PartialDate.parse(value, field=field, today=today)
    if not date.is_complete:
        raise _invalid(f"Cần ngày đầy đủ dạng dd/mm/yyyy (đã nhập “{date.display()}”).", field)
    return date.earliest()
