"""The "helped in time" indicator (ansinh.relief.selectors.helped_in_time), the figure the plans'
first target reads: per commune, households (and people) that needed help, helped by the
event's date + the province's deadline, late, or still waiting."""

import datetime as dt
from decimal import Decimal

from ansinh.relief.selectors import HelpedInTime, helped_in_time, household_times
from ansinh.relief.services import distribution_record, stock_receive, support_decide, support_propose
from ansinh.relief.tests.scenario import FLOOD_DAY, register

SEPTEMBER = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))


def _helped(w, affected, on, actor=None, commune=None):
    actor = actor or w.officer_a
    distribution_record(actor=actor, affected=affected, kind="rice", quantity=15, received_on=on)


def build(w):
    stock_receive(
        actor=w.officer_a,
        commune=w.commune_a,
        item="gao",
        quantity=1000,
        source="local",
        received_on=FLOOD_DAY,
    )
    stock_receive(
        actor=w.officer_b,
        commune=w.commune_b,
        item="gao",
        quantity=1000,
        source="local",
        received_on=FLOOD_DAY,
    )
    on_time, _ = register(w, head_name="Hộ Kịp", size=4, food_shortage=True)
    late, _ = register(w, head_name="Hộ Chậm", size=2, food_shortage=True)
    waiting, _ = register(w, head_name="Hộ Chờ", size=3, food_shortage=True)
    refused, _ = register(w, head_name="Hộ Từ Chối", size=6, food_shortage=True)
    register(w, head_name="Hộ Không Cần", size=1)  # nothing the law pays for: not counted
    in_b, _ = register(
        w,
        event=w.event_b,
        actor=w.officer_b,
        commune=w.commune_b,
        head_name="Hộ Xã B",
        size=5,
        food_shortage=True,
    )
    supports = {s.affected_id: s for s in support_propose(actor=w.officer_a, event=w.flood)}
    support_decide(
        actor=w.chairman_a,
        supports=[supports[refused.pk]],
        approve=False,
        reason="Đã được họ hàng cưu mang",
        decided_on=FLOOD_DAY,
    )
    support_decide(
        actor=w.chairman_a,
        supports=[supports[a.pk] for a in (on_time, late, waiting)],
        decision_number="9/QĐ-UBND",
        decided_on=FLOOD_DAY,
    )
    (support_b,) = support_propose(actor=w.officer_b, event=w.event_b)
    support_decide(
        actor=w.chairman_b, supports=[support_b], decision_number="3/QĐ-UBND", decided_on=FLOOD_DAY
    )
    _helped(w, on_time, dt.date(2026, 9, 10))
    _helped(w, late, dt.date(2026, 9, 20))
    _helped(w, in_b, dt.date(2026, 9, 15), actor=w.officer_b)  # the last day of the 7-day deadline
    return on_time, late, waiting, refused


def test_helped_in_time_per_commune_of_a_province(w):
    build(w)
    rows = helped_in_time("01", *SEPTEMBER, as_of=dt.date(2026, 11, 22))
    assert rows == [
        HelpedInTime(
            "00004",
            "Phường Ba Đình",
            "01",
            events=1,
            households=3,
            persons=9,
            helped=2,
            helped_in_time=1,
            persons_helped_in_time=4,
            helped_late=1,
            waiting=0,
            overdue=1,
        ),
        HelpedInTime(
            "00008",
            "Phường Ngọc Hà",
            "01",
            events=1,
            households=1,
            persons=5,
            helped=1,
            helped_in_time=1,
            persons_helped_in_time=5,
            helped_late=0,
            waiting=0,
            overdue=0,
        ),
    ]
    assert [(r.rate, r.persons_rate) for r in rows] == [
        (Decimal("33.3"), Decimal("44.4")),
        (Decimal("100.0"), Decimal("100.0")),
    ]


def test_the_area_code_and_the_dates_choose_the_rows(w):
    build(w)
    assert [r.commune_code for r in helped_in_time("00004", *SEPTEMBER)] == ["00004"]
    assert [r.commune_code for r in helped_in_time("", *SEPTEMBER)] == ["00004", "00008"]
    assert helped_in_time("01", dt.date(2026, 10, 1), dt.date(2026, 12, 31)) == []
    assert helped_in_time("02", *SEPTEMBER) == []


def test_before_the_deadline_a_household_not_yet_helped_is_waiting_not_overdue(w):
    on_time, late, waiting, refused = build(w)
    (row,) = helped_in_time("00004", *SEPTEMBER, as_of=dt.date(2026, 9, 12))
    assert (row.waiting, row.overdue) == (1, 0)
    times = household_times(w.flood, as_of=dt.date(2026, 11, 22))
    assert [(times[a.pk].status, times[a.pk].days) for a in (on_time, late, waiting, refused)] == [
        ("in_time", 2),
        ("late", 12),
        ("overdue", None),
        ("refused", None),
    ]
    assert times[on_time.pk].deadline == dt.date(2026, 9, 15)
