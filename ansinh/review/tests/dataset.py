"""A small known data set for the monthly review of November 2026: one beneficiary per kind of
change, one without any, and one in another commune. `EXPECTED` lists the exact review items."""

import datetime as dt
from dataclasses import dataclass

from ansinh.decisions.models import Entitlement
from ansinh.decisions.tests.factories import Office
from ansinh.registry.models import DisabilityDetermination, Person, SchoolingStatus
from ansinh.registry.tests.factories import make_household

MONTH = dt.date(2026, 11, 1)
GRANTED = dt.date(2025, 9, 10)


@dataclass
class World:
    office: Office
    other: Office
    people: dict


def _disabled(person, level):
    DisabilityDetermination.objects.create(
        person=person, disability_type="mobility", level=level, determined_on=dt.date(2020, 1, 1)
    )


def build() -> World:
    office = Office("00001", province="01")
    other = Office("00002", province="01")
    p = {}

    def person(key, office=office, **fields):
        p[key] = office.person(full_name=f"Đối tượng {key}", **fields)
        return p[key]

    # 1. Orphan aged 4 since 10 Aug 2026, still paid at 2.5 (Decree 335 Art. 6(1)(a)).
    office.grant(
        person("turned_4", birth_year=2022, birth_month=8, birth_day=10),
        signed_on=GRANTED,
        coefficient="2.5",
        category="1",
    )
    # 2. Orphan aged 16 since 5 Sep 2026, no schooling recorded.
    office.grant(
        person("sixteen", birth_year=2010, birth_month=9, birth_day=5),
        signed_on=GRANTED,
        coefficient="1.5",
        category="1",
    )
    # 3. Orphan aged 16 since 1 Jun 2026, at school: category 2 from June.
    office.grant(
        person("studying", birth_year=2010, birth_month=6, birth_day=1),
        signed_on=GRANTED,
        coefficient="1.5",
        category="1",
    )
    SchoolingStatus.objects.create(
        person=p["studying"], institution="THPT Kim Liên", valid_from=dt.date(2024, 9, 1)
    )
    # 4. Poor elderly person without a supporter, 75 on 20 Oct 2026: 1.5 → 2.0 (threshold 75).
    old = person("turned_75", birth_year=1951, birth_month=10, birth_day=20)
    make_household(head=old, poverty={2025: "poor", 2026: "poor"})
    office.grant(old, signed_on=GRANTED, coefficient="1.5", category="5a")
    # 5. Poor elderly person whose household is no longer poor at the 2026 review.
    left = person("not_poor", birth_year=1955, birth_month=2, birth_day=1)
    make_household(head=left, poverty={2025: "poor", 2026: "none"})
    office.grant(left, signed_on=GRANTED, coefficient="1.5", category="5a")
    # 6. Adult with a severe disability who died on 10 Oct 2026.
    dead = person("dead", birth_year=1980, birth_month=1, birth_day=1)
    _disabled(dead, "severe")
    office.grant(dead, signed_on=GRANTED, coefficient="1.5", category="6")
    Person.objects.filter(pk=dead.pk).update(date_of_death=dt.date(2026, 10, 10))
    # 7. Adult with an especially severe disability paid at 1.5 instead of 2.0.
    wrong = person("wrong_amount", birth_year=1980, birth_month=1, birth_day=1)
    _disabled(wrong, "especially_severe")
    office.grant(wrong, signed_on=GRANTED, coefficient="1.5", category="6")
    # 8. Nothing to do: severe disability at 1.5; social pension at 81.
    fine = person("fine", birth_year=1980, birth_month=1, birth_day=1)
    _disabled(fine, "severe")
    office.grant(fine, signed_on=GRANTED, coefficient="1.5", category="6")
    office.grant(
        person("pension_ok", birth_year=1945, birth_month=5, birth_day=5),
        signed_on=GRANTED,
        coefficient="1",
        category="75+",
        benefit="social_pension",
    )
    # 9. Social pension at 72 in a near-poor household that left near-poverty at the 2026 review.
    near = person("pension_not_poor", birth_year=1954, birth_month=3, birth_day=3)
    make_household(head=near, poverty={2025: "near_poor", 2026: "none"})
    office.grant(near, signed_on=GRANTED, coefficient="1", category="70-74", benefit="social_pension")
    # 11. Social pension at 81 with an especially severe disability: the allowance (cat. 6, elderly,
    # 2.5 × 540,000) is higher, so the pension stops (Law 41/2024 Art. 22(3)).
    disabled = person("pension_disabled", birth_year=1945, birth_month=5, birth_day=5)
    _disabled(disabled, "especially_severe")
    office.grant(disabled, signed_on=GRANTED, coefficient="1", category="75+", benefit="social_pension")
    # 12. Both held (as an import of older lists could leave it): allowance cat. 6 at 2.0 and the
    # social pension; the pension, the lower, stops.
    both = person("double", birth_year=1948, birth_month=2, birth_day=2)
    _disabled(both, "severe")
    allowance = office.grant(both, signed_on=GRANTED, coefficient="2", category="6")
    Entitlement.objects.create(
        person=both,
        commune=office.commune,
        benefit="social_pension",
        category="75+",
        coefficient=1,
        start_month=dt.date(2025, 9, 1),
        opened_by=allowance,
    )
    # 10. Another commune: an orphan turned 4.
    other.grant(
        person("other_commune", office=other, birth_year=2022, birth_month=7, birth_day=1),
        signed_on=GRANTED,
        coefficient="2.5",
        category="1",
    )
    return World(office=office, other=other, people=p)


# key → (commune, benefit, reason, action, category, coefficient, current amount, law category,
#        law coefficient, law amount, age, event date, effective month)
EXPECTED = {
    "turned_4": (
        "00001",
        "monthly_allowance",
        "child_turned_4",
        "adjust",
        "1",
        "2.50",
        1_350_000,
        "1",
        "1.50",
        810_000,
        4,
        dt.date(2026, 8, 10),
        dt.date(2026, 8, 1),
    ),
    "sixteen": (
        "00001",
        "monthly_allowance",
        "turned_16_not_studying",
        "stop",
        "1",
        "1.50",
        810_000,
        "",
        None,
        0,
        16,
        dt.date(2026, 9, 5),
        dt.date(2026, 10, 1),
    ),
    "studying": (
        "00001",
        "monthly_allowance",
        "turned_16_studying",
        "adjust",
        "1",
        "1.50",
        810_000,
        "2",
        "1.50",
        810_000,
        16,
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 1),
    ),
    "turned_75": (
        "00001",
        "monthly_allowance",
        "reached_elderly_age",
        "adjust",
        "5a",
        "1.50",
        810_000,
        "5a",
        "2.00",
        1_080_000,
        75,
        dt.date(2026, 10, 20),
        dt.date(2026, 10, 1),
    ),
    "not_poor": (
        "00001",
        "monthly_allowance",
        "household_not_poor",
        "stop",
        "5a",
        "1.50",
        810_000,
        "",
        None,
        0,
        71,
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 1),
    ),
    "dead": (
        "00001",
        "monthly_allowance",
        "death",
        "stop",
        "6",
        "1.50",
        810_000,
        "",
        None,
        0,
        46,
        dt.date(2026, 10, 10),
        dt.date(2026, 11, 1),
    ),
    "wrong_amount": (
        "00001",
        "monthly_allowance",
        "amount_differs",
        "adjust",
        "6",
        "1.50",
        810_000,
        "6",
        "2.00",
        1_080_000,
        46,
        None,
        dt.date(2026, 11, 1),
    ),
    "pension_not_poor": (
        "00001",
        "social_pension",
        "household_not_poor",
        "stop",
        "70-74",
        "1.00",
        540_000,
        "",
        None,
        0,
        72,
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 1),
    ),
    "pension_disabled": (
        "00001",
        "social_pension",
        "other_benefit_higher",
        "stop",
        "75+",
        "1.00",
        540_000,
        "",
        None,
        0,
        81,
        None,
        dt.date(2026, 11, 1),
    ),
    "double": (
        "00001",
        "social_pension",
        "double_benefit",
        "stop",
        "75+",
        "1.00",
        540_000,
        "",
        None,
        0,
        78,
        None,
        dt.date(2026, 11, 1),
    ),
    "other_commune": (
        "00002",
        "monthly_allowance",
        "child_turned_4",
        "adjust",
        "1",
        "2.50",
        1_350_000,
        "1",
        "1.50",
        810_000,
        4,
        dt.date(2026, 7, 1),
        dt.date(2026, 7, 1),
    ),
}
