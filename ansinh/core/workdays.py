"""Working days (ngày làm việc) as legal deadlines count them.

A working day is Monday to Friday, except Vietnam's public holidays (the `holidays` package's
Vietnam calendar: New Year, Lunar New Year (Tết) with its extra days, Hùng Kings, 30 April,
1 May, National Day, and the days off it moves when a holiday falls on a weekend), and except
the days a province declares:

- a substitute day off (ngày nghỉ bù) is not a working day even on a weekday;
- a compensatory working day (ngày làm bù, often a Saturday worked to bridge a holiday) is a
  working day even on a weekend.

Declared days are rows of dossiers.DeclaredDay (read through the app registry so that core does
not import a domain app); with no province given only the national calendar applies.

    add_working_days(date(2027, 2, 3), 3)            # Tết 2027 → 15/02/2027
    working_days_between(date(2027, 2, 3), date(2027, 2, 15))   # → 3
"""

import datetime as dt
import functools

import holidays
from django.apps import apps

# Guards a wrong call (a negative or absurd count) from looping for years.
MAX_WORKING_DAYS = 3650


@functools.lru_cache(maxsize=64)
def _national(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def _declared(province_code: str | None, first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    """{date: is_working_day} declared by the province between two dates (both included)."""
    if not province_code:
        return {}
    model = apps.get_model("dossiers", "DeclaredDay")
    rows = model.objects.filter(province_id=province_code, day__gte=first, day__lte=last)
    return dict(rows.values_list("day", "is_working_day"))


def is_working_day(day: dt.date, province_code: str | None = None, *, declared: dict | None = None) -> bool:
    if declared is None:
        declared = _declared(province_code, day, day)
    if day in declared:
        return declared[day]
    return day.weekday() < 5 and day not in _national(day.year)


def add_working_days(start: dt.date, n: int, province_code: str | None = None) -> dt.date:
    """The n-th working day after `start` (the day of receipt itself is not counted, as the
    deadline runs from the day after the dossier is received). n = 0 returns `start`."""
    if not 0 <= n <= MAX_WORKING_DAYS:
        raise ValueError(f"n must be between 0 and {MAX_WORKING_DAYS}: {n}")
    # Every run of 7 days holds at least one working day except around Tết (up to ~9 days off),
    # so 3 calendar days per working day plus a margin always covers the answer.
    declared = _declared(province_code, start, start + dt.timedelta(days=3 * n + 30))
    day, left = start, n
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day, declared=declared):
            left -= 1
    return day


def working_days_between(a: dt.date, b: dt.date, province_code: str | None = None) -> int:
    """Working days after `a` up to and including `b` (negative when b is before a): a dossier
    received on `a` and decided on `b` took this many working days."""
    if b < a:
        return -working_days_between(b, a, province_code)
    declared = _declared(province_code, a, b)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day, declared=declared):
            count += 1
    return count
