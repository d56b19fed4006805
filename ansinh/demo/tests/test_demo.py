"""`ansinh demo`: deterministic, valid, signed by someone else than the preparer, paid up."""

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from ansinh.accounts.models import AreaLevel, Role, User
from ansinh.core.models import AuditEvent
from ansinh.core.months import add_months, current_month
from ansinh.decisions.models import Decision, Entitlement
from ansinh.demo import services as demo
from ansinh.demo.services import demo_build
from ansinh.payments.models import PaymentLine, PayrollRun
from ansinh.registry.models import Household, HouseholdMember, Person

N = 300
MONTH = current_month()


class _Rollback(Exception):
    pass


def fingerprint() -> str:
    """A checksum of everything generated that does not depend on sequence values."""
    digest = hashlib.sha256()
    people = Person.objects.order_by("personal_id").values_list(
        "personal_id",
        "full_name",
        "name_folded",
        "birth_year",
        "birth_month",
        "birth_day",
        "sex",
        "ethnicity",
        "commune_id",
        "village__name",
        "phone",
        "bank_account",
    )
    for row in people:
        digest.update(repr(row).encode())
    for row in Entitlement.objects.order_by("person__personal_id", "benefit").values_list(
        "person__personal_id", "benefit", "category", "coefficient", "start_month"
    ):
        digest.update(repr(row).encode())
    for row in HouseholdMember.objects.order_by("person__personal_id").values_list(
        "person__personal_id", "relationship", "household__head__personal_id"
    ):
        digest.update(repr(row).encode())
    digest.update(
        repr(sorted(PaymentLine.objects.values_list("person__personal_id", "month", "amount"))).encode()
    )
    return digest.hexdigest()


def build_and_rollback(seed: int) -> tuple[str, int]:
    try:
        with transaction.atomic():
            demo_build(beneficiaries=N, seed=seed, month=MONTH, progress=False)
            result = (fingerprint(), Person.objects.count())
            raise _Rollback
    except _Rollback:
        pass
    return result


def test_same_seed_gives_the_same_data(areas_loaded):
    first = build_and_rollback(42)
    assert Person.objects.count() == 0  # rolled back: the second build starts from an empty registry
    second = build_and_rollback(42)
    other = build_and_rollback(7)
    assert first == second
    assert first[0] != other[0]
    assert first[1] > N  # beneficiaries plus the other members of their households


@pytest.fixture
def built(areas_loaded):
    return demo_build(beneficiaries=N, seed=42, month=MONTH, progress=False)


def test_counts_and_households(built):
    assert built.beneficiaries == N
    # Everyone with a monthly allowance or a social pension is a beneficiary; carers come on top.
    main = Entitlement.objects.exclude(benefit="care_support")
    assert main.count() == N
    assert main.values("person").distinct().count() == N
    persons = Person.objects.count()
    assert built.counts["registry_person"] == persons
    # Every person is in exactly one household; each household has exactly one head, its head_id.
    assert HouseholdMember.objects.count() == persons
    assert HouseholdMember.objects.values("person").distinct().count() == persons
    assert Household.objects.count() == N
    heads = HouseholdMember.objects.filter(relationship="head")
    assert heads.count() == N
    assert not Household.objects.exclude(head_id__in=heads.values("person_id")).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM registry_household h JOIN registry_householdmember m "
            "ON m.household_id = h.id AND m.relationship = 'head' WHERE m.person_id <> h.head_id"
        )
        assert cursor.fetchone()[0] == 0
        # Members live where their household lives.
        cursor.execute(
            "SELECT count(*) FROM registry_householdmember m JOIN registry_household h ON h.id = m.household_id "
            "JOIN registry_person p ON p.id = m.person_id WHERE p.village_id <> h.village_id OR p.commune_id <> h.commune_id"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM registry_residence")
        assert cursor.fetchone()[0] == persons


def test_every_personal_id_is_valid_and_unique(built):
    from ansinh.registry.personal_id import validate_personal_id

    rows = list(Person.objects.values_list("personal_id", "birth_year", "sex"))
    assert len({r[0] for r in rows}) == len(rows)
    for personal_id, birth_year, sex in rows:
        assert validate_personal_id(personal_id, birth_year=birth_year, sex=sex) == personal_id
    # Some people have only a year (or a month and year) of birth on record.
    assert Person.objects.filter(birth_month__isnull=True, birth_day__isnull=True).exists()
    assert Person.objects.filter(birth_month__isnull=False, birth_day__isnull=True).exists()


def test_names_are_vietnamese(built):
    names = list(Person.objects.values_list("full_name", "name_folded"))
    surnames = [n.split()[0] for n, _ in names]
    share = surnames.count("Nguyễn") / len(surnames)
    assert 0.30 < share < 0.48
    assert all(len(n.split()) >= 3 for n, _ in names)
    from ansinh.core.text import fold

    assert all(fold(n) == f for n, f in names)


def test_demo_users(built):
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["canbo", "chutich", "tinh", "thanhtra", "trunguong"])
    }
    assert set(users) == {"canbo", "chutich", "tinh", "thanhtra", "trunguong"}
    for user in users.values():
        assert user.check_password("ansinh")
    first = built.first_commune.split()[0]
    assert (users["canbo"].role, users["canbo"].commune_id) == (Role.COMMUNE_OFFICER, first)
    assert (users["chutich"].role, users["chutich"].commune_id) == (Role.COMMUNE_CHAIRMAN, first)
    province = users["canbo"].province_id
    assert (users["tinh"].role, users["tinh"].province_id, users["tinh"].commune_id) == (
        Role.PROVINCIAL_OFFICER,
        province,
        None,
    )
    assert (users["thanhtra"].role, users["thanhtra"].province_id) == (Role.AUDITOR, province)
    national = users["trunguong"]
    assert (national.role, national.area_level, national.province_id, national.commune_id) == (
        Role.PROVINCIAL_OFFICER,
        AreaLevel.COUNTRY,
        None,
        None,
    )
    # The first commune's decisions are prepared by canbo and signed by chutich.
    decisions = Decision.objects.filter(commune_id=first)
    assert decisions.exists()
    assert set(decisions.values_list("prepared_by__username", "signed_by__username").distinct()) == {
        ("canbo", "chutich")
    }


def test_decisions_are_signed_by_a_chairman_other_than_the_preparer(built):
    decisions = Decision.objects.all()
    assert decisions.count() == Entitlement.objects.count()
    assert not decisions.exclude(status="signed", kind="grant").exists()
    assert not decisions.filter(signed_by_id=models_f("prepared_by_id")).exists()
    for d in decisions.select_related("prepared_by", "signed_by"):
        assert d.prepared_by.role == Role.COMMUNE_OFFICER and d.prepared_by.commune_id == d.commune_id
        assert d.signed_by.role == Role.COMMUNE_CHAIRMAN and d.signed_by.commune_id == d.commune_id
        assert d.signer_name == d.signed_by.first_name
        # A grant takes effect from the month it is signed (Decree 335/2026 Art. 8).
        assert (d.signed_on.year, d.signed_on.month, 1) == (
            d.effective_month.year,
            d.effective_month.month,
            1,
        )
        assert d.signed_on <= dt.date.today()
        assert d.number


def models_f(name):
    from django.db.models import F

    return F(name)


def test_entitlements_match_decisions(built):
    from ansinh.payments.levels import level_amount

    for e in Entitlement.objects.select_related("opened_by", "person", "commune"):
        d = e.opened_by
        assert (d.person_id, d.commune_id, d.benefit, d.category, d.coefficient, d.effective_month) == (
            e.person_id,
            e.commune_id,
            e.benefit,
            e.category,
            e.coefficient,
            e.start_month,
        )
        assert e.end_month is None and e.suspended_from is None
        assert e.commune_id == e.person.commune_id
        # The amount at the level in force in the month it was signed (500,000 before July 2026).
        level = level_amount(benefit=e.benefit, province_code=e.commune.province_id, month=e.start_month)
        assert d.monthly_amount == int(e.coefficient * level)


def test_coefficients_follow_decree_335(built):
    year = MONTH.year
    seen = set()
    for e in Entitlement.objects.select_related("person"):
        age = year - e.person.birth_year
        seen.add(e.category)
        if e.benefit == "social_pension":
            assert e.coefficient == Decimal("1.00")
            assert age >= (75 if e.category == "75+" else 70)
        elif e.category == "1":
            assert e.coefficient == (Decimal("2.50") if age < 4 else Decimal("1.50")) and age < 16
        elif e.category == "5a":
            assert e.coefficient == (Decimal("2.00") if age >= 75 else Decimal("1.50")) and age >= 60
        elif e.category == "5b":
            assert e.coefficient == Decimal("3.00")
        elif e.category == "7":
            assert e.coefficient == Decimal("1.50") and age < 3
            # Only in a village or commune of the especially difficult areas (Art. 5(7)).
            assert e.person.village.is_especially_difficult or e.person.commune.is_especially_difficult
        elif e.category == "6":
            levels = set(e.person.disabilities.values_list("level", flat=True))
            assert levels & {"severe", "especially_severe"}
            child_or_old = age < 16 or age >= 60
            expected = {
                ("severe", False): "1.50",
                ("severe", True): "2.00",
                ("especially_severe", False): "2.00",
                ("especially_severe", True): "2.50",
            }[(levels.pop(), child_or_old)]
            assert e.coefficient == Decimal(expected)
    assert {"75+", "6", "5a", "1", "4"} <= seen


def test_poverty_is_there_when_the_category_needs_it(built):
    for e in Entitlement.objects.filter(category__in=["5a", "5b", "3", "8"]):
        household = e.person.memberships.get().household
        assert household.poverty_statuses.get(year=MONTH.year).status == "poor"
    for e in Entitlement.objects.filter(category__in=["4", "7", "70-74"]):
        household = e.person.memberships.get().household
        assert household.poverty_statuses.get(year=MONTH.year).status in {"poor", "near_poor"}
    certificates = list(
        Household.objects.filter(poverty_statuses__isnull=False).values_list(
            "poverty_statuses__certificate_number", flat=True
        )
    )
    assert certificates and all(certificates)


def test_history_is_paid_and_the_month_owes_no_arrears(built):
    lines = PaymentLine.objects.all()
    assert lines.exists()
    assert not lines.exclude(status="paid").exists()
    assert not lines.filter(month__gte=MONTH).exists()
    assert lines.filter(month=add_months(MONTH, -1)).exists()
    for run in PayrollRun.objects.all():
        assert run.status == "closed"
        assert run.line_count == run.lines.count()
        assert run.total_amount == sum(run.lines.values_list("amount", flat=True))
    # Every month from the start to the month before is paid, once.
    for e in Entitlement.objects.all():
        months = sorted(e.payment_lines.values_list("month", flat=True))
        expected = []
        m = e.start_month
        while m < MONTH:
            expected.append(m)
            m = add_months(m, 1)
        assert months == expected

    from ansinh.payments.payroll import payroll_run

    summary = payroll_run(month=MONTH, area_code="")
    assert summary.arrears_amount == 0
    assert summary.line_count == Entitlement.objects.count()


def test_one_audit_summary_per_table(built):
    events = AuditEvent.objects.filter(action="demo.bulk_create")
    by_type = {e.entity_type: e.after["rows"] for e in events}
    assert by_type["registry.person"] == Person.objects.count()
    assert by_type["decisions.entitlement"] == Entitlement.objects.count()
    assert by_type["payments.paymentline"] == PaymentLine.objects.count()
    assert len(by_type) == len(demo.TABLES)


def test_if_empty_does_not_duplicate(areas_loaded):
    out = io.StringIO()
    call_command("demo", "--beneficiaries", str(N), "--seed", "3", "--if-empty", "--no-progress", stdout=out)
    persons = Person.objects.count()
    decisions = Decision.objects.count()
    assert persons > N
    assert "canbo" in out.getvalue() and "chutich" in out.getvalue() and "thanhtra" in out.getvalue()
    again = io.StringIO()
    call_command(
        "demo", "--beneficiaries", str(N), "--seed", "3", "--if-empty", "--no-progress", stdout=again
    )
    assert "bỏ qua" in again.getvalue()
    assert "canbo" in again.getvalue()  # the logins are printed every time
    assert (Person.objects.count(), Decision.objects.count()) == (persons, decisions)


def test_a_second_run_appends_without_collisions(areas_loaded):
    demo_build(beneficiaries=100, seed=1, month=MONTH, progress=False)
    demo_build(beneficiaries=100, seed=1, month=MONTH, progress=False)
    assert Entitlement.objects.exclude(benefit="care_support").count() == 200
    assert Person.objects.values("personal_id").distinct().count() == Person.objects.count()
    assert User.objects.filter(username="canbo").count() == 1


def test_bulk_mode_restores_indexes_and_foreign_keys(areas_loaded, monkeypatch):
    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid::regclass::text = ANY(%s) ORDER BY 1",
                [demo.TABLES],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1",
                [demo.TABLES],
            )
            return indexes, cursor.fetchall()

    before = schema()
    monkeypatch.setattr(demo, "BULK_MODE_FROM", 1)
    demo_build(beneficiaries=200, seed=5, month=MONTH, progress=False)
    assert schema() == before
    assert Entitlement.objects.exclude(benefit="care_support").count() == 200


def test_unknown_province_is_refused(areas_loaded):
    from ansinh.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        demo_build(beneficiaries=10, province="99", progress=False)
    assert "province" in exc.value.fields
    assert Person.objects.count() == 0 and User.objects.count() == 0


def test_elderly_without_supporter_live_alone_or_with_a_spouse(built):
    # Decree 335/2026 Art. 5(5): cat. 5a/5b have no one obliged and entitled to support them.
    for e in Entitlement.objects.filter(category__in=["5a", "5b"]):
        household = e.person.memberships.get().household
        relationships = sorted(household.members.values_list("relationship", flat=True))
        assert relationships in (["head"], ["head", "spouse"])
        assert household.head_id == e.person_id
