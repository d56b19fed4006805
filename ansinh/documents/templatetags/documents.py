"""Filters for official documents: dates written out the Vietnamese way."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def vn_long_date(value) -> str:
    """05/10/2026 → "ngày 05 tháng 10 năm 2026"; 01/02/2027 → "ngày 01 tháng 02 năm 2027"."""
    if not isinstance(value, (dt.date, dt.datetime)):
        return "ngày … tháng … năm …"
    # Decree 30/2020 App. I: a leading zero for days below 10 and for months 1 and 2.
    day = f"{value.day:02d}"
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {day} tháng {month} năm {value.year}"
