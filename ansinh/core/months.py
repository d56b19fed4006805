"""Months as the law counts them: stored as the first day of the month.

Entitlements start, change and stop on month boundaries (Decree 335/2026 Art. 8), so every
table that holds a month stores a `date` on day 1.
"""

import datetime as dt
import re

from ansinh.core.errors import InvalidInput

_MONTH_RE = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4}))\s*$")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + (month.month - 1) + count
    return dt.date(index // 12, index % 12 + 1, 1)


def next_month(month: dt.date) -> dt.date:
    return add_months(month, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from `first` to `last`, both included."""
    first, last = month_start(first), month_start(last)
    months = []
    while first <= last:
        months.append(first)
        first = next_month(first)
    return months


def parse_month(text: str, *, field: str = "month") -> dt.date:
    """Read '2026-11' or '11/2026' as 1 November 2026."""
    if not (text or "").strip():
        raise InvalidInput.for_field(field, "Chưa nhập tháng: nhập theo dạng 11/2026.")
    match = _MONTH_RE.match(text or "")
    if not match:
        raise InvalidInput.for_field(
            field, f"Tháng không hợp lệ: {text!r}. Nhập theo dạng 2026-11 hoặc 11/2026."
        )
    year, month = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    year, month = int(year), int(month)
    if not 1 <= month <= 12:
        raise InvalidInput.for_field(field, f"Tháng {month} không tồn tại (chỉ từ 1 đến 12).")
    return dt.date(year, month, 1)


def format_month(month: dt.date) -> str:
    """'11/2026', the way Vietnamese forms write a month."""
    return f"{month.month:02d}/{month.year}"


def current_month(today: dt.date | None = None) -> dt.date:
    from django.utils import timezone

    return month_start(today or timezone.localdate())
