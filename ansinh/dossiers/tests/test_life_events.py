"""Transfer across provinces in two steps, death → stop → funeral dossier, suspension and both
review outcomes, with the payroll run for every commune to check no month is paid twice or missed."""

import datetime as dt

import pytest
from django.test import Client

from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.decisions.models import Decision, Entitlement
from ansinh.decisions.services import (
    decision_prepare,
    decision_sign,
    pending_handover,
    suspension_prepare,
    suspension_review_prepare,
)
from ansinh.decisions.tests.factories import Office
from ansinh.dossiers.models import Dossier, Status
from ansinh.dossiers.services import death_record, dossier_transition
from ansinh.payments.models import BenefitLevel, PaymentLine
from ansinh.payments.payroll import payroll_run
from ansinh.registry.tests.factories import make_household

pytestmark = pytest.mark.django_db
SEP, OCT, NOV, DEC = (dt.date(2026, m, 1) for m in (9, 10, 11, 12))


@pytest.fixture
def office(national_levels, today):
    return Office("00001")


def lines_of(person):
    return list(
        PaymentLine.objects.filter(person=person)
        .order_by("month", "id")
        .values_list("commune_code", "month", "amount")
    )


def counts():
    return (Decision.objects.count(), Entitlement.objects.count(), Dossier.objects.count())


def test_transfer_across_provinces_in_two_steps_pays_each_month_once(office, today):
    BenefitLevel.objects.create(
        kind="standard", province_code="02", valid_from=dt.date(2026, 7, 1), amount=600_000
    )
    person = office.person()
    office.grant(person, signed_on=SEP, coefficient="1.5")
    payroll_run(month=SEP, area_code="")
    payroll_run(month=OCT, area_code="")
    new_place = Office("10001", province="02")

    # The new commune cannot take the person on its own.
    before = counts()
    with pytest.raises(NotAllowed) as error:
        decision_prepare(
            actor=new_place.officer,
            person=person,
            kind="transfer",
            benefit="monthly_allowance",
            target_commune="10001",
        )
    assert "chuyển hồ sơ trước" in error.value.message
    assert counts() == before

    # Step 1: the old commune stops payment and hands over.
    out = decision_prepare(
        actor=office.officer,
        person=person,
        kind="transfer",
        benefit="monthly_allowance",
        target_commune="10001",
    )
    assert out.commune_id == "00001"
    with pytest.raises(NotAllowed):
        decision_sign(actor=new_place.chairman, decision=out, number="9", signed_on=dt.date(2026, 11, 5))
    out = decision_sign(actor=office.chairman, decision=out, number="9", signed_on=dt.date(2026, 11, 5))
    assert out.effective_month == NOV  # paid up to October at the old place
    assert pending_handover(person, "monthly_allowance")[0] == out
    # Nothing pays while the new commune has not decided: November waits, it is not lost.
    payroll_run(month=NOV, area_code="")
    assert [m for _c, m, _a in lines_of(person)] == [SEP, OCT]

    # Step 2 (in December): the new commune takes the person in from the month payment stopped.
    today(dt.date(2026, 12, 2))
    incoming = decision_prepare(
        actor=new_place.officer,
        person=person,
        kind="transfer",
        benefit="monthly_allowance",
        target_commune="10001",
    )
    incoming = decision_sign(
        actor=new_place.chairman, decision=incoming, number="3", signed_on=dt.date(2026, 12, 2)
    )
    assert incoming.effective_month == NOV
    assert incoming.monthly_amount == 900_000  # 1.5 × 600,000 (province 02's level)
    payroll_run(month=DEC, area_code="")
    payroll_run(month=DEC, area_code="")
    assert lines_of(person) == [
        ("00001", SEP, 810_000),
        ("00001", OCT, 810_000),
        ("10001", NOV, 900_000),
        ("10001", DEC, 900_000),
    ]
    person.refresh_from_db()
    assert person.commune_id == "10001"
    assert pending_handover(person, "monthly_allowance") is None


def test_transfer_to_a_commune_that_does_not_exist_writes_nothing(office):
    person = office.person()
    office.grant(person, signed_on=SEP)
    before = counts()
    with pytest.raises(InvalidInput) as error:
        decision_prepare(
            actor=office.officer,
            person=person,
            kind="transfer",
            benefit="monthly_allowance",
            target_commune="99999",
        )
    assert "target_commune" in error.value.fields and "không tồn tại" in error.value.message
    assert counts() == before


def test_a_commune_cannot_take_another_commune_person_through_the_api(office):
    person = office.person()
    office.grant(person, signed_on=SEP)
    new_place = Office("00002")
    client = Client()
    client.force_login(new_place.officer)
    before = counts()
    response = client.post(
        "/api/v1/decisions",
        {"person": person.pk, "kind": "transfer", "benefit": "monthly_allowance", "target_commune": "00002"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert counts() == before
    # The web page for a person of another commune is a 404 too.
    assert client.get(f"/doi-tuong/{person.pk}/quyet-dinh/").status_code == 404
    assert client.post(f"/doi-tuong/{person.pk}/quyet-dinh/", {"kind": "transfer"}).status_code == 404
    assert counts() == before
    # After the old commune hands over, the new commune reaches the person (API).
    out = decision_prepare(
        actor=office.officer,
        person=person,
        kind="transfer",
        benefit="monthly_allowance",
        target_commune="00002",
    )
    decision_sign(actor=office.chairman, decision=out, number="2", signed_on=dt.date(2026, 11, 3))
    response = client.post(
        "/api/v1/decisions",
        {"person": person.pk, "kind": "transfer", "benefit": "monthly_allowance", "target_commune": "00002"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["commune_code"] == "00002"
    # A third commune still cannot.
    third = Office("00003")
    client.force_login(third.officer)
    response = client.post(
        "/api/v1/decisions",
        {"person": person.pk, "kind": "transfer", "benefit": "monthly_allowance", "target_commune": "00003"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_death_stops_from_next_month_and_opens_the_funeral_dossier(office, today):
    person = office.person(birth_year=1946, full_name="Đinh Văn Lộc", personal_id="001046000999")
    son = office.person(full_name="Đinh Văn Minh", birth_year=1975, personal_id="001075000111")
    make_household(commune=office.commune, head=person, members=[(son, "child")], poverty={2026: "poor"})
    office.grant(person, signed_on=SEP, coefficient="2", category="5a")
    payroll_run(month=OCT, area_code="00001")
    today(dt.date(2026, 11, 11))
    person, stops, dossier = death_record(
        actor=office.officer, person=person, date_of_death=dt.date(2026, 11, 10)
    )
    assert [d.kind for d in stops] == ["stop"]
    stop = decision_sign(
        actor=office.chairman, decision=stops[0], number="40", signed_on=dt.date(2026, 11, 12)
    )
    assert stop.effective_month == DEC  # Decree 335/2026 Art. 8: from the month after the death
    today(dt.date(2026, 12, 1))
    payroll_run(month=DEC, area_code="00001")
    assert [m for _c, m, _a in lines_of(person)] == [SEP, OCT, NOV]
    today(dt.date(2026, 11, 12))
    assert (dossier.form, dossier.channel, dossier.status) == ("03", "linked", Status.RECEIVED)
    assert (dossier.applicant_name, dossier.applicant_personal_id) == ("Đinh Văn Minh", "001075000111")
    assert dossier.deadline_days == 3
    # Calling it again writes nothing more.
    _p, again, none = death_record(actor=office.officer, person=person, date_of_death=dt.date(2026, 11, 10))
    assert again == [] and none is None
    # The funeral dossier goes through: 20 × 540,000 = 10,800,000 đ (Decree 335/2026 Art. 11).
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="start_check")
    dossier = dossier_transition(actor=office.officer, dossier=dossier, action="propose", outcome="grant")
    today(dt.date(2026, 11, 13))  # the chairman signs the next day
    dossier = dossier_transition(
        actor=office.chairman, dossier=dossier, action="grant", number="41", signed_on=dt.date(2026, 11, 13)
    )
    assert (dossier.status, dossier.decision.one_off_amount, dossier.decision.benefit) == (
        Status.GRANTED,
        10_800_000,
        "funeral_support",
    )


def test_a_funeral_claim_for_someone_alive_is_refused(office):
    from ansinh.dossiers.services import dossier_submit

    person = office.person(personal_id="001046000777", full_name="Trần Văn Sống")
    before = counts()
    with pytest.raises(InvalidInput) as error:
        dossier_submit(
            actor=office.officer,
            form="03",
            channel="desk",
            commune="00001",
            subject_personal_id="001046000777",
            subject_name="Trần Văn Sống",
            applicant_name="Trần Văn Con",
            applicant_personal_id="001075000222",
            form_data={"date_of_death": "01/11/2026"},
        )
    assert "subject_personal_id" in error.value.fields and "còn sống" in error.value.message
    assert counts() == before
    assert person.date_of_death is None


@pytest.mark.parametrize("outcome", ["resume", "stop"])
def test_suspension_after_three_unclaimed_months_and_its_review(office, today, outcome):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 7, 3))
    payroll_run(month=dt.date(2026, 7, 1), area_code="00001")
    # August to October not collected: suspended from August (Decree 335/2026 Art. 9(1)(a)).
    suspend = suspension_prepare(
        actor=office.officer, person=person, benefit="monthly_allowance", from_month=dt.date(2026, 8, 1)
    )
    decision_sign(actor=office.chairman, decision=suspend, number="50", signed_on=dt.date(2026, 11, 2))
    payroll_run(month=NOV, area_code="00001")
    assert [m.month for _c, m, _a in lines_of(person)] == [7]
    today(dt.date(2026, 12, 1))
    review = suspension_review_prepare(
        actor=office.officer, person=person, benefit="monthly_allowance", outcome=outcome
    )
    review = decision_sign(
        actor=office.chairman, decision=review, number="51", signed_on=dt.date(2026, 12, 1)
    )
    assert review.effective_month == dt.date(2026, 8, 1)  # Art. 9(4): from the suspension date
    payroll_run(month=DEC, area_code="00001")
    months = [m.month for _c, m, _a in lines_of(person)]
    if outcome == "resume":
        assert months == [7, 8, 9, 10, 11, 12]  # arrears from August, nothing twice
    else:
        assert months == [7]
        assert Entitlement.objects.get(person=person).end_month == dt.date(2026, 8, 1)
    with pytest.raises(Conflict):
        suspension_review_prepare(
            actor=office.officer, person=person, benefit="monthly_allowance", outcome=outcome
        )


def test_a_suspension_proposal_of_the_payments_side_becomes_a_suspension_draft(office):
    from django.utils import timezone

    from ansinh.decisions.services import suspension_from_proposal
    from ansinh.payments.models import PayrollRun, SuspensionProposal

    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 7, 3))
    payroll_run(month=dt.date(2026, 7, 1), area_code="00001")
    run = PayrollRun.objects.get(commune=office.commune, month=dt.date(2026, 7, 1))
    proposal = SuspensionProposal.objects.create(
        person=person,
        commune=office.commune,
        first_month=dt.date(2026, 8, 1),
        last_month=OCT,
        uncollected_amount=2_430_000,
        run=run,
        created_at=timezone.now(),
    )
    other = Office("00002")
    with pytest.raises(NotAllowed):
        suspension_from_proposal(actor=other.officer, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    [draft] = suspension_from_proposal(actor=office.officer, proposal=proposal)
    assert (draft.kind, draft.effective_month) == ("suspend", dt.date(2026, 8, 1))
    assert "08/2026" in draft.reason
    proposal.refresh_from_db()
    assert proposal.status == "decided"
    with pytest.raises(Conflict):
        suspension_from_proposal(actor=office.officer, proposal=proposal)
    signed = decision_sign(actor=office.chairman, decision=draft, number="60", signed_on=dt.date(2026, 11, 2))
    assert (
        Entitlement.objects.get(person=person).suspended_from == dt.date(2026, 8, 1) == signed.effective_month
    )
