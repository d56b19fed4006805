"""Every transition of the workflow table, allowed and refused by role; the refusals write nothing."""

import datetime as dt

import pytest

from ansinh.accounts.models import Role
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.decisions.models import Decision, Entitlement
from ansinh.decisions.tests.factories import Office
from ansinh.dossiers.models import Dossier, DossierEvent, Status
from ansinh.dossiers.notify import MemorySender
from ansinh.dossiers.services import dossier_transition, dossier_withdraw_by_citizen
from ansinh.dossiers.tests.helpers import ELDER_AMOUNT, elder, form01, form04, population_with
from ansinh.dossiers.workflow import CITIZEN, TRANSITIONS
from ansinh.registry.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(national_levels, today):
    return Office("00001")


def _actors(office):
    return {
        Role.COMMUNE_OFFICER: office.officer,
        Role.COMMUNE_CHAIRMAN: office.chairman,
        Role.PROVINCIAL_OFFICER: make_user(role=Role.PROVINCIAL_OFFICER, province=office.commune.province),
        Role.AUDITOR: make_user(role=Role.AUDITOR, commune=office.commune),
        CITIZEN: None,
    }


def _at(office, status, form="01"):
    """A Form 01 (or Form 04) dossier moved (by the allowed roles) to `status`."""
    person = elder(office)
    population_with(person)
    dossier = form01(office, person) if form == "01" else form04(office, person)
    path = {
        Status.RECEIVED: [],
        Status.CHECKING: ["start_check"],
        Status.PROPOSED: ["start_check", "propose"],
        Status.FORWARDED: ["start_check", "propose", "forward"],
    }[status]
    for action in path:
        actor = office.chairman if action == "forward" else office.officer
        dossier = dossier_transition(actor=actor, dossier=dossier, action=action, outcome="grant")
    return dossier


def _kwargs(action):
    return {
        "propose": {"outcome": "grant"},
        "grant": {"number": "15/QĐ-UBND", "signed_on": dt.date(2026, 11, 4)},
        "refuse": {"reason": "Còn người phụng dưỡng."},
        "admit": {"facility_name": "Trung tâm Bảo trợ xã hội tỉnh", "admission_date": dt.date(2026, 11, 5)},
        "refuse_admission": {"reason": "Cơ sở đã hết chỗ."},
        "withdraw": {"note": "Người nộp có đơn xin rút hồ sơ."},
    }.get(action, {})


CASES = [
    (action, source, role)
    for action, transition in TRANSITIONS.items()
    for source in transition.sources
    for role in (Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN, Role.PROVINCIAL_OFFICER, Role.AUDITOR, CITIZEN)
]


@pytest.mark.parametrize(("action", "source", "role"), CASES)
def test_each_transition_by_each_role(office, action, source, role, today):
    transition = TRANSITIONS[action]
    dossier = _at(
        office, source, "01" if transition.applies_to("01") and source != Status.FORWARDED else "04"
    )
    actor = _actors(office)[role]
    allowed = role in TRANSITIONS[action].roles
    events = DossierEvent.objects.count()
    if not allowed:
        with pytest.raises(NotAllowed):
            dossier_transition(actor=actor, dossier=dossier, action=action, **_kwargs(action))
        dossier.refresh_from_db()
        assert dossier.status == source
        assert DossierEvent.objects.count() == events
        return
    if action == "grant":
        today(dt.date(2026, 11, 4))  # the day the grant is signed (_kwargs), after the receipt
    dossier = dossier_transition(actor=actor, dossier=dossier, action=action, **_kwargs(action))
    assert dossier.status == TRANSITIONS[action].target
    event = DossierEvent.objects.latest("id")
    assert (event.action, event.from_status, event.to_status) == (action, source, TRANSITIONS[action].target)
    assert event.actor == actor
    assert event.at is not None


@pytest.mark.parametrize("action", ["propose", "grant", "refuse", "return"])
def test_a_transition_from_a_wrong_state_is_refused(office, action):
    dossier = _at(office, Status.RECEIVED)
    actor = office.officer if action == "propose" else office.chairman
    with pytest.raises(Conflict):
        dossier_transition(actor=actor, dossier=dossier, action=action, **_kwargs(action))
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_a_commune_cannot_move_another_commune_dossier(office):
    dossier = _at(office, Status.RECEIVED)
    other = Office("00002")
    with pytest.raises(NotAllowed):
        dossier_transition(actor=other.officer, dossier=dossier, action="start_check")
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_grant_signs_the_decision_with_the_law_amount_and_notifies(
    office, django_capture_on_commit_callbacks, today
):
    dossier = _at(office, Status.PROPOSED)
    today(dt.date(2026, 11, 4))
    assert dossier.decision.status == "draft"
    assert dossier.decision.coefficient == 2 and dossier.decision.category == "5a"
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_transition(
            actor=office.chairman,
            dossier=dossier,
            action="grant",
            number="15/QĐ-UBND",
            signed_on=dt.date(2026, 11, 4),
        )
    assert dossier.status == Status.GRANTED
    assert dossier.decided_on == dt.date(2026, 11, 4)
    assert dossier.processing_days == 2
    decision = dossier.decision
    assert (decision.status, decision.monthly_amount, decision.effective_month) == (
        "signed",
        ELDER_AMOUNT,
        dt.date(2026, 11, 1),
    )
    entitlement = Entitlement.objects.get(person=dossier.subject)
    assert entitlement.start_month == dt.date(2026, 11, 1)
    assert MemorySender.outbox[-1]["recipient"] == "0912345678"
    assert dossier.code in MemorySender.outbox[-1]["body"] and "1.080.000" in MemorySender.outbox[-1]["body"]


def test_grant_without_signer_is_refused_and_writes_nothing(office):
    dossier = _at(office, Status.PROPOSED)
    decisions = Decision.objects.filter(status="signed").count()
    with pytest.raises(NotAllowed) as error:
        dossier_transition(
            actor=None, dossier=dossier, action="grant", number="1", signed_on=dt.date(2026, 11, 4)
        )
    assert "người ký" in error.value.message
    with pytest.raises(InvalidInput) as error:
        dossier_transition(
            actor=office.chairman, dossier=dossier, action="grant", number="", signed_on=dt.date(2026, 11, 4)
        )
    assert "number" in error.value.fields
    dossier.refresh_from_db()
    assert dossier.status == Status.PROPOSED
    assert Decision.objects.filter(status="signed").count() == decisions
    assert not Entitlement.objects.filter(person=dossier.subject).exists()


def test_refusal_needs_a_reason_and_cancels_the_draft(office, django_capture_on_commit_callbacks):
    dossier = _at(office, Status.PROPOSED)
    draft = dossier.decision
    with pytest.raises(InvalidInput) as error:
        dossier_transition(actor=office.chairman, dossier=dossier, action="refuse", reason="")
    assert "reason" in error.value.fields or dossier.proposal_note
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_transition(
            actor=office.chairman, dossier=dossier, action="refuse", reason="Còn con trai phụng dưỡng."
        )
    draft.refresh_from_db()
    assert (dossier.status, dossier.refusal_reason, draft.status) == (
        Status.REFUSED,
        "Còn con trai phụng dưỡng.",
        "cancelled",
    )
    assert "không được hưởng" in MemorySender.outbox[-1]["body"]


def test_the_citizen_withdraws_with_code_and_personal_id(office):
    dossier = _at(office, Status.CHECKING)
    with pytest.raises(InvalidInput):
        dossier_withdraw_by_citizen(code=dossier.code, personal_id="001099000001")
    dossier = dossier_withdraw_by_citizen(code=dossier.code, personal_id=dossier.subject_personal_id)
    assert dossier.status == Status.WITHDRAWN
    assert DossierEvent.objects.filter(dossier=dossier, action="withdraw", actor=None).exists()
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(2027, 11, 4), "Ngày ký 04/11/2027 là ngày chưa đến"),
        (dt.date(2026, 10, 30), "Ngày ký 30/10/2026 trước ngày tiếp nhận hồ sơ (02/11/2026)"),
    ],
)
def test_a_grant_signed_on_a_day_to_come_or_before_the_receipt_is_refused(office, today, day, message):
    dossier = _at(office, Status.PROPOSED)
    today(dt.date(2026, 11, 4))
    with pytest.raises(InvalidInput) as error:
        dossier_transition(
            actor=office.chairman,
            dossier=dossier,
            action="grant",
            number="16/QĐ-UBND",
            signed_on=day,
            today=dt.date(2026, 11, 4),  # as the page and the API pass it
        )
    assert error.value.fields["signed_on"].startswith(message)
    dossier.refresh_from_db()
    assert dossier.status == Status.PROPOSED and dossier.decision.status == "draft"
