"""A small known data set whose indicator figures are worked out by hand in the tests.

Province 99 (codes no real unit uses), month 11/2026. Commune A (99001), B (99002), C (99003, nobody).

  person  commune sex born  entitlement (11/2026)            paid in 11/2026   disability
  p1      A       M   1940  social pension 75+, active        500.000 đ         –
  p2      A       F   1950  monthly allowance cat. 6, active  no line           severe (2025)
  p3      A       F   2015  monthly allowance cat. 1, suspended from 10/2026      –
  p4      A       M   1990  –                                 –                 especially severe (2024)
  p5      A       M   1960  –                                 –                 mild, determined 05/12/2026
  p6      B       F   1945  monthly allowance cat. 5a, active 540.000 đ         –

Households: A1 poor in 2026, A2 near-poor in 2026, B1 poor in 2025 only.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ansinh.accounts.models import Role, User
from ansinh.areas.models import Commune
from ansinh.decisions.models import Decision, Entitlement
from ansinh.payments.models import PaymentLine, PayrollRun
from ansinh.registry.models import DisabilityDetermination, PovertyStatus
from ansinh.registry.tests.factories import (
    make_commune,
    make_household,
    make_person,
    make_province,
    make_user,
)

MONTH = dt.date(2026, 11, 1)


@dataclass
class SmallWorld:
    commune_a: Commune
    commune_b: Commune
    commune_c: Commune
    officer_a: User
    officer_b: User
    province_officer: User
    other_province_officer: User


def _entitle(person, officer, *, benefit, category, start=dt.date(2026, 1, 1), suspended_from=None):
    decision = Decision.objects.create(
        kind="grant",
        person=person,
        commune=person.commune,
        benefit=benefit,
        category=category,
        coefficient=Decimal("1"),
        prepared_by=officer,
    )
    return Entitlement.objects.create(
        person=person,
        commune=person.commune,
        benefit=benefit,
        category=category,
        coefficient=Decimal("1"),
        start_month=start,
        suspended_from=suspended_from,
        opened_by=decision,
    )


def _pay(entitlement, amount):
    run, _ = PayrollRun.objects.get_or_create(commune=entitlement.commune, month=MONTH)
    PaymentLine.objects.create(
        run=run,
        person=entitlement.person,
        entitlement=entitlement,
        commune_code=entitlement.commune_id,
        benefit=entitlement.benefit,
        category=entitlement.category,
        month=MONTH,
        coefficient=Decimal("1"),
        level=amount,
        amount=amount,
    )


def build_small_world() -> SmallWorld:
    province = make_province("99", "Tỉnh Thử Nghiệm")
    make_province("98", "Tỉnh Thử Khác")
    a = make_commune("99001", province, "Phường Ba Đình")
    b = make_commune("99002", province, "Phường Ngọc Hà")
    c = make_commune("99003", province, "Phường Giảng Võ")
    other = make_commune("98001", "98", "Xã Khác")
    officer_a = make_user(role=Role.COMMUNE_OFFICER, commune=a, username="can_bo_a")
    officer_b = make_user(role=Role.COMMUNE_OFFICER, commune=b, username="can_bo_b")
    province_officer = make_user(role=Role.PROVINCIAL_OFFICER, province=province, username="so_y_te")
    other_officer = make_user(role=Role.PROVINCIAL_OFFICER, province=other.province, username="so_khac")

    p1 = make_person(commune=a, full_name="Nguyễn Văn Một", birth_year=1940, sex="M")
    p2 = make_person(commune=a, full_name="Trần Thị Hai", birth_year=1950, sex="F")
    p3 = make_person(commune=a, full_name="Lê Thị Ba", birth_year=2015, sex="F")
    p4 = make_person(commune=a, full_name="Phạm Văn Bốn", birth_year=1990, sex="M")
    p5 = make_person(commune=a, full_name="Hoàng Văn Năm", birth_year=1960, sex="M")
    p6 = make_person(commune=b, full_name="Đỗ Thị Sáu", birth_year=1945, sex="F")

    _pay(_entitle(p1, officer_a, benefit="social_pension", category="75+"), 500_000)
    _entitle(p2, officer_a, benefit="monthly_allowance", category="6")
    _entitle(p3, officer_a, benefit="monthly_allowance", category="1", suspended_from=dt.date(2026, 10, 1))
    _pay(_entitle(p6, officer_b, benefit="monthly_allowance", category="5a"), 540_000)

    DisabilityDetermination.objects.create(
        person=p2, disability_type="mobility", level="severe", determined_on=dt.date(2025, 3, 1)
    )
    DisabilityDetermination.objects.create(
        person=p4, disability_type="mental", level="especially_severe", determined_on=dt.date(2024, 6, 1)
    )
    DisabilityDetermination.objects.create(
        person=p5, disability_type="visual", level="mild", determined_on=dt.date(2026, 12, 5)
    )

    make_household(commune=a, head=p1, poverty={2026: PovertyStatus.POOR})
    make_household(commune=a, head=p2, poverty={2026: PovertyStatus.NEAR_POOR})
    make_household(commune=b, head=p6, poverty={2025: PovertyStatus.POOR})
    return SmallWorld(a, b, c, officer_a, officer_b, province_officer, other_officer)
