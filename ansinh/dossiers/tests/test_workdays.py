import datetime as dt

import pytest

from ansinh.core.workdays import add_working_days, is_working_day, working_days_between
from ansinh.dossiers.deadlines import deadline_for
from ansinh.dossiers.models import DeclaredDay
from ansinh.registry.tests.factories import make_province


def test_a_weekend_is_skipped():
    # Friday 6 Nov 2026 + 1 working day = Monday 9 Nov.
    assert add_working_days(dt.date(2026, 11, 6), 1) == dt.date(2026, 11, 9)
    assert working_days_between(dt.date(2026, 11, 6), dt.date(2026, 11, 9)) == 1


def test_tet_2027_and_its_weekend_are_skipped():
    # Tết 2027: 4–10 Feb are days off (holidays package, Vietnam), 6–7 Feb a weekend too.
    for day in range(4, 11):
        assert not is_working_day(dt.date(2027, 2, day))
    # Received Wednesday 3 Feb 2027: 7 working days are 11, 12, 15, 16, 17, 18, 19 Feb.
    assert add_working_days(dt.date(2027, 2, 3), 7) == dt.date(2027, 2, 19)
    assert working_days_between(dt.date(2027, 2, 3), dt.date(2027, 2, 19)) == 7
    assert working_days_between(dt.date(2027, 2, 19), dt.date(2027, 2, 3)) == -7


def test_national_day_holidays():
    # 1–2 Sep 2026 are off (National Day): Monday 31 Aug + 1 working day = Thursday 3 Sep.
    assert not is_working_day(dt.date(2026, 9, 1)) and not is_working_day(dt.date(2026, 9, 2))
    assert add_working_days(dt.date(2026, 8, 31), 1) == dt.date(2026, 9, 3)


@pytest.mark.django_db
def test_days_a_province_declares_off_or_worked():
    province = make_province("01")
    # A substitute day off on Monday 9 Nov and a Saturday worked on 7 Nov.
    DeclaredDay.objects.create(province=province, day=dt.date(2026, 11, 9), is_working_day=False)
    DeclaredDay.objects.create(province=province, day=dt.date(2026, 11, 7), is_working_day=True)
    assert add_working_days(dt.date(2026, 11, 6), 1) == dt.date(2026, 11, 9)  # national calendar
    assert add_working_days(dt.date(2026, 11, 6), 1, "01") == dt.date(2026, 11, 7)
    assert add_working_days(dt.date(2026, 11, 6), 2, "01") == dt.date(2026, 11, 10)
    assert working_days_between(dt.date(2026, 11, 6), dt.date(2026, 11, 10), "01") == 2


@pytest.mark.parametrize(
    ("form", "received", "days", "deadline"),
    [
        ("01", dt.date(2026, 10, 2), 10, dt.date(2026, 10, 16)),  # Decree 147/2025: before 5 Oct 2026
        ("01", dt.date(2026, 10, 5), 7, dt.date(2026, 10, 14)),  # Decree 335/2026 Art. 8
        ("02", dt.date(2026, 10, 5), 7, dt.date(2026, 10, 14)),
        ("03", dt.date(2026, 11, 6), 3, dt.date(2026, 11, 11)),  # funeral 3 wd, over a weekend
        ("04", dt.date(2026, 11, 6), 5, dt.date(2026, 11, 13)),  # institution 3 + 2 wd
        ("01", dt.date(2027, 2, 3), 7, dt.date(2027, 2, 19)),  # across Tết
    ],
)
def test_deadlines_are_dated_parameters(form, received, days, deadline):
    day, rule = deadline_for(form, received)
    assert (rule.days, day) == (days, deadline)
