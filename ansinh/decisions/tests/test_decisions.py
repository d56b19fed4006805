import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from ansinh.accounts.models import Role
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.models import AuditEvent
from ansinh.decisions import selectors
from ansinh.decisions.models import Decision, DecisionStatus, Entitlement
from ansinh.decisions.services import decision_cancel, decision_prepare, decision_sign
from ansinh.decisions.tests.factories import Office, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return Office()


def _counts():
    return (Decision.objects.count(), Entitlement.objects.count(), AuditEvent.objects.count())


def test_grant_takes_effect_from_the_month_signed(office):
    person = office.person()
    decision = office.grant(person, signed_on=dt.date(2026, 11, 28), coefficient="1.5")

    assert decision.status == DecisionStatus.SIGNED
    assert decision.effective_month == dt.date(2026, 11, 1)  # legal.md §9 case 32
    assert decision.monthly_amount == 810_000  # 1.5 × 540,000
    assert decision.signed_by == office.chairman
    [entitlement] = Entitlement.objects.filter(person=person)
    assert entitlement.start_month == dt.date(2026, 11, 1)
    assert entitlement.end_month is None
    assert entitlement.coefficient == Decimal("1.50")
    assert entitlement.opened_by == decision
    assert entitlement.arrears_from == dt.date(2026, 11, 1)


def test_monthly_amount_uses_the_level_in_force_in_the_effective_month(office):
    decision = office.grant(office.person(), signed_on=dt.date(2026, 5, 15), coefficient="1.5")
    assert decision.effective_month == dt.date(2026, 5, 1)
    assert decision.monthly_amount == 750_000  # 1.5 × 500,000 before July 2026


def test_the_preparer_cannot_sign(office):
    decision = decision_prepare(
        actor=office.officer,
        person=office.person(),
        kind="grant",
        benefit="monthly_allowance",
        coefficient="1.5",
    )
    # The preparer has since become chairman: only the maker-checker rule stands in the way.
    office.officer.role = Role.COMMUNE_CHAIRMAN
    office.officer.save()
    before = _counts()
    with pytest.raises(NotAllowed) as error:
        decision_sign(actor=office.officer, decision=decision, number="1/QĐ", signed_on=dt.date(2026, 11, 2))
    assert "signed_by" in error.value.fields
    assert _counts() == before
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT and decision.signed_by is None


def test_the_database_refuses_a_decision_signed_by_its_preparer(office):
    decision = decision_prepare(
        actor=office.officer,
        person=office.person(),
        kind="grant",
        benefit="monthly_allowance",
        coefficient="1",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(signed_by=office.officer)


def test_only_the_chairman_of_that_commune_signs(office):
    other = Office("00002")
    decision = decision_prepare(
        actor=office.officer,
        person=office.person(),
        kind="grant",
        benefit="monthly_allowance",
        coefficient="1.5",
    )
    another_officer = make_user(commune=office.commune, role=Role.COMMUNE_OFFICER)
    for signer in (other.chairman, another_officer, None):
        with pytest.raises(NotAllowed):
            decision_sign(actor=signer, decision=decision, number="1", signed_on=dt.date(2026, 11, 2))
    assert Entitlement.objects.count() == 0


def test_stop_after_death_takes_effect_from_the_following_month(office):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 1, 5), coefficient="2")
    person.date_of_death = dt.date(2026, 3, 10)
    person.save()

    stop = office.decide(person=person, kind="stop", signed_on=dt.date(2026, 3, 20))

    assert stop.event_date == dt.date(2026, 3, 10)  # taken from the recorded death
    assert stop.effective_month == dt.date(2026, 4, 1)  # legal.md §9 case 31
    entitlement = Entitlement.objects.get(person=person)
    assert entitlement.end_month == dt.date(2026, 4, 1)  # March is the last month paid
    assert entitlement.closed_by == stop
    assert selectors.entitlement_active_for_person(person, month=dt.date(2026, 3, 1)).count() == 1
    assert selectors.entitlement_active_for_person(person, month=dt.date(2026, 4, 1)).count() == 0


def test_a_grant_for_a_dead_person_is_refused(office):
    person = office.person(date_of_death=dt.date(2026, 10, 2))
    before = _counts()
    with pytest.raises(InvalidInput) as error:
        decision_prepare(
            actor=office.officer, person=person, kind="grant", benefit="monthly_allowance", coefficient="1.5"
        )
    assert set(error.value.fields) == {"person"}
    assert "đã chết" in error.value.message
    assert _counts() == before


def test_death_recorded_after_prepare_blocks_the_signature(office):
    person = office.person()
    decision = decision_prepare(
        actor=office.officer, person=person, kind="grant", benefit="monthly_allowance", coefficient="1.5"
    )
    person.date_of_death = dt.date(2026, 11, 1)
    person.save()
    with pytest.raises(InvalidInput):
        decision_sign(actor=office.chairman, decision=decision, number="9", signed_on=dt.date(2026, 11, 3))
    assert Entitlement.objects.count() == 0


def test_a_person_of_another_commune_is_refused(office):
    stranger = Office("00002").person()
    before = _counts()
    with pytest.raises(NotAllowed) as error:
        decision_prepare(
            actor=office.officer, person=stranger, kind="grant", benefit="monthly_allowance", coefficient="1"
        )
    assert "person" in error.value.fields
    assert _counts() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "gift", "benefit": "monthly_allowance", "coefficient": "1"}, "kind"),
        ({"kind": "grant", "benefit": "lottery", "coefficient": "1"}, "benefit"),
        ({"kind": "grant", "benefit": "monthly_allowance"}, "coefficient"),
        ({"kind": "grant", "benefit": "monthly_allowance", "coefficient": "0"}, "coefficient"),
        ({"kind": "grant", "benefit": "monthly_allowance", "coefficient": "một"}, "coefficient"),
        ({"kind": "grant", "benefit": "monthly_allowance", "coefficient": "1.555"}, "coefficient"),
        ({"kind": "grant", "benefit": "monthly_allowance", "coefficient": "1", "category": "9"}, "category"),
        ({"kind": "transfer", "benefit": "monthly_allowance", "target_commune": "99999"}, "target_commune"),
        ({"kind": "transfer", "benefit": "monthly_allowance"}, "target_commune"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(office, fields, field):
    before = _counts()
    with pytest.raises(InvalidInput) as error:
        decision_prepare(actor=office.officer, person=office.person(), **fields)
    assert field in error.value.fields
    assert _counts() == before


def test_the_allowance_and_the_social_pension_are_never_paid_together(office):
    # Law 41/2024 Art. 22(3): eligible for both → only the higher one.
    person = office.person(birth_year=1948)
    office.grant(person, signed_on=dt.date(2026, 9, 1), coefficient="2", category="6")
    before = _counts()
    with pytest.raises(Conflict) as error:
        decision_prepare(
            actor=office.officer, person=person, kind="grant", benefit="social_pension", coefficient="1"
        )
    assert "Điều 22 Luật Bảo hiểm xã hội 2024" in str(error.value)
    assert error.value.fields["benefit"] == (
        "Đang hưởng trợ cấp xã hội hằng tháng: chỉ hưởng một trong hai chế độ."
    )
    assert _counts() == before


def test_a_pension_drafted_before_the_allowance_was_granted_is_refused_at_signing(office):
    person = office.person(birth_year=1948)
    draft = decision_prepare(
        actor=office.officer,
        person=person,
        kind="grant",
        benefit="social_pension",
        coefficient="1",
        category="75+",
    )
    office.grant(person, signed_on=dt.date(2026, 9, 1), coefficient="2", category="6")
    with pytest.raises(Conflict):
        decision_sign(
            actor=office.chairman, decision=draft, number="9/QĐ-UBND", signed_on=dt.date(2026, 9, 2)
        )
    assert Decision.objects.get(pk=draft.pk).status == DecisionStatus.DRAFT
    assert list(Entitlement.objects.filter(person=person).values_list("benefit", flat=True)) == [
        "monthly_allowance"
    ]


def test_the_switch_to_the_social_pension_starts_when_the_allowance_stops(office):
    person = office.person(birth_year=1948)
    office.grant(person, signed_on=dt.date(2026, 7, 1), coefficient="1", category="4")
    office.decide(
        person=person, kind="stop", signed_on=dt.date(2026, 9, 20), event_date=dt.date(2026, 9, 15)
    )  # ends from October
    with pytest.raises(Conflict) as error:  # signed in September: one month of both
        office.grant(
            person, signed_on=dt.date(2026, 9, 25), benefit="social_pension", coefficient="1", category="75+"
        )
    assert "đến hết tháng 09/2026" in str(error.value)
    office.grant(
        person, signed_on=dt.date(2026, 10, 2), benefit="social_pension", coefficient="1", category="75+"
    )
    assert sorted(
        Entitlement.objects.filter(person=person).values_list("benefit", "start_month", "end_month")
    ) == [
        ("monthly_allowance", dt.date(2026, 7, 1), dt.date(2026, 10, 1)),
        ("social_pension", dt.date(2026, 10, 1), None),
    ]


@pytest.mark.parametrize("kind", ["suspend", "resume", "stop", "adjust", "transfer"])
def test_changes_need_an_active_entitlement(office, kind):
    other = Office("00002")
    extra = {"coefficient": "2"} if kind == "adjust" else {}
    if kind == "transfer":
        extra["target_commune"] = other.commune.pk
    if kind == "stop":
        extra["event_date"] = dt.date(2026, 10, 1)
    before = _counts()
    with pytest.raises(Conflict) as error:
        decision_prepare(
            actor=office.officer, person=office.person(), kind=kind, benefit="monthly_allowance", **extra
        )
    assert "benefit" in error.value.fields
    assert _counts() == before


def test_a_second_grant_of_the_same_benefit_is_refused(office):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 9, 1))
    with pytest.raises(Conflict) as error:
        decision_prepare(
            actor=office.officer, person=person, kind="grant", benefit="monthly_allowance", coefficient="2"
        )
    assert "benefit" in error.value.fields
    # Another benefit is a separate entitlement.
    office.grant(person, signed_on=dt.date(2026, 9, 1), benefit="care_support", coefficient="1", category="")
    assert Entitlement.objects.filter(person=person).count() == 2


def test_adjust_takes_effect_from_the_month_conditions_change(office):
    person = office.person(birth_year=2022, birth_month=10)
    office.grant(person, signed_on=dt.date(2026, 7, 10), coefficient="2.5")
    # The child turns 4 in October 2026: cat. 1 coefficient 2.5 → 1.5 (Decree 335 Art. 6).
    adjust = office.decide(
        person=person,
        kind="adjust",
        signed_on=dt.date(2026, 11, 3),
        coefficient="1.5",
        category="1",
        event_date=dt.date(2026, 10, 15),
    )
    assert adjust.effective_month == dt.date(2026, 10, 1)
    assert adjust.monthly_amount == 810_000
    old, new = Entitlement.objects.filter(person=person).order_by("start_month")
    assert (old.start_month, old.end_month, old.coefficient) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 10, 1),
        Decimal("2.50"),
    )
    assert (new.start_month, new.end_month, new.coefficient) == (dt.date(2026, 10, 1), None, Decimal("1.50"))
    assert old.closed_by == adjust and new.opened_by == adjust


def test_suspend_and_resume(office):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 7, 1))
    suspend = office.decide(
        person=person, kind="suspend", signed_on=dt.date(2026, 9, 20), effective_month=dt.date(2026, 9, 1)
    )
    entitlement = Entitlement.objects.get(person=person)
    assert suspend.effective_month == entitlement.suspended_from == dt.date(2026, 9, 1)
    with pytest.raises(Conflict):
        decision_prepare(actor=office.officer, person=person, kind="suspend", benefit="monthly_allowance")
    resume = office.decide(person=person, kind="resume", signed_on=dt.date(2026, 11, 5))
    entitlement.refresh_from_db()
    assert resume.effective_month == dt.date(2026, 9, 1)  # Decree 335 Art. 9(4): from the suspension date
    assert entitlement.suspended_from is None
    assert entitlement.arrears_from == dt.date(2026, 7, 1)  # never paid yet: from its start


def test_transfer_moves_the_entitlement_and_the_person(office):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 9, 2), coefficient="2")
    new_place = Office("10001", province="02")
    # Decree 335/2026 Art. 8: the old commune stops and hands over first.
    office.hand_over(person, to="10001", signed_on=dt.date(2026, 11, 2), effective_month=dt.date(2026, 11, 1))
    decision = decision_prepare(
        actor=new_place.officer,
        person=person,
        kind="transfer",
        benefit="monthly_allowance",
        target_commune="10001",
    )
    assert decision.commune == new_place.commune
    # The old commune's chairman does not decide a transfer in; the new commune's does.
    with pytest.raises(NotAllowed):
        decision_sign(actor=office.chairman, decision=decision, number="5", signed_on=dt.date(2026, 11, 4))
    decision_sign(actor=new_place.chairman, decision=decision, number="5", signed_on=dt.date(2026, 11, 4))
    old, new = Entitlement.objects.filter(person=person).order_by("id")
    assert (old.commune_id, old.end_month) == ("00001", dt.date(2026, 11, 1))
    assert (new.commune_id, new.start_month, new.end_month, new.coefficient) == (
        "10001",
        dt.date(2026, 11, 1),
        None,
        Decimal("2.00"),
    )
    person.refresh_from_db()
    assert person.commune_id == "10001"


def test_signing_writes_audit_rows_in_the_same_transaction(office):
    person = office.person()
    decision = decision_prepare(
        actor=office.officer,
        person=person,
        kind="grant",
        benefit="monthly_allowance",
        coefficient="1.5",
        category="1",
    )
    prepared = AuditEvent.objects.get(action="decision.prepare", entity_id=str(decision.pk))
    assert prepared.actor == office.officer and prepared.area_code == "00001"
    decision_sign(
        actor=office.chairman, decision=decision, number="12/QĐ-UBND", signed_on=dt.date(2026, 11, 28)
    )
    signed = AuditEvent.objects.get(action="decision.sign", entity_id=str(decision.pk))
    assert signed.actor == office.chairman
    assert signed.before["status"] == "draft" and signed.after["status"] == "signed"
    assert signed.after["effective_month"] == "2026-11-01"
    entitlement = Entitlement.objects.get(person=person)
    opened = AuditEvent.objects.get(action="entitlement.open", entity_id=str(entitlement.pk))
    assert opened.after["start_month"] == "2026-11-01" and opened.area_code == "00001"


def test_a_signed_decision_is_not_signed_again_nor_cancelled(office):
    decision = office.grant(office.person(), signed_on=dt.date(2026, 11, 2))
    with pytest.raises(Conflict):
        decision_sign(actor=office.chairman, decision=decision, number="x", signed_on=dt.date(2026, 11, 3))
    with pytest.raises(Conflict):
        decision_cancel(actor=office.officer, decision=decision)


def test_a_draft_can_be_cancelled(office):
    decision = decision_prepare(
        actor=office.officer,
        person=office.person(),
        kind="grant",
        benefit="monthly_allowance",
        coefficient="1",
    )
    decision_cancel(actor=office.officer, decision=decision, reason="Nhập nhầm")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CANCELLED
    assert AuditEvent.objects.filter(action="decision.cancel", entity_id=str(decision.pk)).count() == 1


def test_a_decision_number_is_unique_in_the_commune(office):
    office.decide(person=office.person(), kind="grant", signed_on=dt.date(2026, 11, 2), coefficient="1")
    used = Decision.objects.get().number
    decision = decision_prepare(
        actor=office.officer,
        person=office.person(personal_id=None),
        kind="grant",
        benefit="monthly_allowance",
        coefficient="1",
    )
    with pytest.raises(Conflict) as error:
        decision_sign(actor=office.chairman, decision=decision, number=used, signed_on=dt.date(2026, 11, 2))
    assert "number" in error.value.fields


@pytest.mark.parametrize(
    ("signed_on", "message"),
    [
        (dt.date(2027, 11, 23), "Ngày ký 23/11/2027 là ngày chưa đến"),
        (dt.date(2025, 11, 23), "Ngày ký 23/11/2025 trước ngày lập dự thảo (22/11/2026)"),
    ],
)
def test_the_chairman_signs_between_the_draft_and_today(office, signed_on, message):
    person = office.person()
    draft = decision_prepare(
        actor=office.officer, person=person, kind="grant", benefit="monthly_allowance", coefficient="1.5"
    )
    Decision.objects.filter(pk=draft.pk).update(created_at=dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC))
    draft.refresh_from_db()
    before = _counts()
    with pytest.raises(InvalidInput) as error:
        decision_sign(
            actor=office.chairman,
            decision=draft,
            number="5/QĐ-UBND",
            signed_on=signed_on,
            today=dt.date(2026, 11, 23),
        )
    assert error.value.fields["signed_on"].startswith(message)
    assert _counts() == before
    # The same day as the draft, or today, is fine.
    signed = decision_sign(
        actor=office.chairman,
        decision=draft,
        number="5/QĐ-UBND",
        signed_on=dt.date(2026, 11, 22),
        today=dt.date(2026, 11, 23),
    )
    assert signed.effective_month == dt.date(2026, 11, 1)
