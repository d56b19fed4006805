"""One small world for the web, API and browser tests: two communes of one province, their
officers and a chairman, and Nguyễn Văn An of commune A with a household, a disability, a
signed grant and a payroll. Built through the real services (decision_prepare/sign,
payroll_run), so pages show what the system really writes.

    world = build_world()
    client.force_login(world.officer_a)
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ansinh.accounts.models import Role, User
from ansinh.areas.models import Commune
from ansinh.decisions.models import Benefit, Decision, DecisionKind
from ansinh.decisions.services import decision_prepare, decision_sign
from ansinh.payments.levels import levels_sync
from ansinh.payments.models import PayrollRun
from ansinh.payments.payroll import payroll_run
from ansinh.registry.models import DisabilityDetermination, Household, Person, PovertyStatus, Relationship
from ansinh.registry.tests.factories import (
    PASSWORD,
    make_commune,
    make_household,
    make_person,
    make_province,
    make_user,
    make_village,
)

# Signed in September 2026: a grant pays from the month signed (Decree 335/2026 Art. 8), so the
# November 2026 payroll holds September and October as arrears plus November itself.
GRANT_SIGNED_ON = dt.date(2026, 9, 15)
DRAFT_PREPARED_AT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
PAYROLL_MONTH = dt.date(2026, 11, 1)
COEFFICIENT = Decimal("1.50")
# 1.5 × 540,000 (standard level from 1 July 2026, Decree 335/2026 Art. 4) = 810,000 a month.
MONTHLY_AMOUNT = 810_000
PAYROLL_TOTAL = 3 * MONTHLY_AMOUNT  # 2,430,000 đ: 09, 10 (arrears) and 11/2026


@dataclass
class World:
    commune_a: Commune
    commune_b: Commune
    officer_a: User
    chairman_a: User
    officer_b: User
    chairman_b: User
    province_officer: User
    an: Person
    wife: Person
    household: Household
    grant: Decision
    draft: Decision
    payroll: PayrollRun
    person_b: Person
    household_b: Household
    decision_b: Decision
    payroll_b: PayrollRun
    password: str = PASSWORD


def _user(username: str, role: str, **kwargs) -> User:
    user = make_user(username=username, role=role, **kwargs)
    # As user_create stores it: the whole Vietnamese name (family name first) in first_name.
    user.first_name = {"can_bo_a": "Trần Thị Lan", "chu_tich_a": "Lê Văn Hùng"}.get(username, "")
    user.save(update_fields=["first_name"])
    return user


def build_world(*, with_payroll: bool = True) -> World:
    levels_sync()
    province = make_province("01", "Thành phố Hà Nội")
    commune_a = make_commune("00004", province, "Phường Ba Đình")
    commune_b = make_commune("00008", province, "Phường Ngọc Hà")
    village = make_village(commune_a, "Tổ dân phố 3")

    officer_a = _user("can_bo_a", Role.COMMUNE_OFFICER, commune=commune_a)
    chairman_a = _user("chu_tich_a", Role.COMMUNE_CHAIRMAN, commune=commune_a)
    officer_b = _user("can_bo_b", Role.COMMUNE_OFFICER, commune=commune_b)
    chairman_b = _user("chu_tich_b", Role.COMMUNE_CHAIRMAN, commune=commune_b)
    province_officer = _user("so_y_te", Role.PROVINCIAL_OFFICER, province=province)

    an = make_person(
        commune=commune_a,
        village=village,
        full_name="Nguyễn Văn An",
        birth_year=1948,
        birth_month=3,
        birth_day=12,
        sex="M",
        personal_id="001048000123",
        address="Số 5 ngõ 12 Đội Cấn",
    )
    wife = make_person(
        commune=commune_a, full_name="Phạm Thị Bình", birth_year=1952, sex="F", personal_id=None
    )
    household = make_household(
        commune=commune_a,
        head=an,
        members=[(wife, Relationship.SPOUSE)],
        poverty={2025: PovertyStatus.POOR, 2026: PovertyStatus.NEAR_POOR},
    )
    DisabilityDetermination.objects.create(
        person=an,
        disability_type="mobility",
        level="severe",
        determined_on=dt.date(2025, 7, 1),
        determining_body="Hội đồng xác định mức độ khuyết tật phường Ba Đình",
    )
    grant = decision_prepare(
        actor=officer_a,
        person=an,
        kind=DecisionKind.GRANT,
        benefit=Benefit.MONTHLY_ALLOWANCE,
        category="6",
        coefficient=COEFFICIENT,
        reason="Người khuyết tật nặng.",
    )
    grant = decision_sign(actor=chairman_a, decision=grant, number="125/QĐ-UBND", signed_on=GRANT_SIGNED_ON)
    draft = decision_prepare(
        actor=officer_a,
        person=wife,
        kind=DecisionKind.GRANT,
        benefit=Benefit.SOCIAL_PENSION,
        coefficient=Decimal("1"),
        reason="Đủ 75 tuổi, không có lương hưu.",
    )
    # Prepared on 1 November: the chairman signs it on a day since then, never before (decision_sign).
    Decision.objects.filter(pk=draft.pk).update(created_at=DRAFT_PREPARED_AT)
    draft.refresh_from_db()

    person_b = make_person(
        commune=commune_b, full_name="Nguyễn Văn An", birth_year=1950, personal_id="001050000777"
    )
    household_b = make_household(commune=commune_b, head=person_b)
    decision_b = decision_prepare(
        actor=officer_b,
        person=person_b,
        kind=DecisionKind.GRANT,
        benefit=Benefit.MONTHLY_ALLOWANCE,
        category="6",
        coefficient=COEFFICIENT,
    )
    decision_b = decision_sign(
        actor=chairman_b, decision=decision_b, number="7/QĐ-UBND", signed_on=GRANT_SIGNED_ON
    )

    payroll = payroll_b = None
    if with_payroll:
        # One province-wide run (as the command line does it) builds both communes' payrolls.
        payroll_run(month=PAYROLL_MONTH, area_code=province.code)
        payroll = PayrollRun.objects.get(commune=commune_a, month=PAYROLL_MONTH)
        payroll_b = PayrollRun.objects.get(commune=commune_b, month=PAYROLL_MONTH)
    return World(
        commune_a=commune_a,
        commune_b=commune_b,
        officer_a=officer_a,
        chairman_a=chairman_a,
        officer_b=officer_b,
        chairman_b=chairman_b,
        province_officer=province_officer,
        an=an,
        wife=wife,
        household=household,
        grant=grant,
        draft=draft,
        payroll=payroll,
        person_b=person_b,
        household_b=household_b,
        decision_b=decision_b,
        payroll_b=payroll_b,
    )
