import datetime as dt

import pytest

from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.models import AuditEvent
from ansinh.core.months import add_months, current_month
from ansinh.decisions.models import Entitlement
from ansinh.decisions.services import decision_prepare, decision_sign
from ansinh.decisions.tests.factories import Office
from ansinh.payments.models import BenefitLevel, PaymentLine, PayrollRun, PayrollStatus
from ansinh.payments.payroll import payroll_run
from ansinh.payments.selectors import payroll_get, payroll_lines, payroll_totals_by_benefit

pytestmark = pytest.mark.django_db

SEP, OCT, NOV = dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)


@pytest.fixture
def office():
    return Office()


def lines_of(person) -> list[tuple]:
    """(commune, month, amount, is_arrears, run month) of a person's lines, by month."""
    return list(
        PaymentLine.objects.filter(person=person)
        .order_by("month", "commune_code")
        .values_list("commune_code", "month", "amount", "is_arrears", "run__month")
    )


def snapshot_rows() -> tuple:
    lines = sorted(
        PaymentLine.objects.values_list(
            "run__commune_id",
            "run__month",
            "person_id",
            "entitlement_id",
            "benefit",
            "category",
            "month",
            "kind",
            "coefficient",
            "level",
            "amount",
            "is_arrears",
            "status",
        )
    )
    runs = sorted(
        PayrollRun.objects.values_list(
            "id", "commune_id", "month", "status", "line_count", "total_amount", "arrears_amount"
        )
    )
    return lines, runs


def test_unpaid_earlier_months_are_paid_as_arrears(office):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 9, 15), coefficient="1.5")

    summary = payroll_run(month="2026-11", area_code="00001")

    assert lines_of(person) == [
        ("00001", SEP, 810_000, True, NOV),
        ("00001", OCT, 810_000, True, NOV),
        ("00001", NOV, 810_000, False, NOV),
    ]
    run = payroll_get("00001", NOV)
    assert (run.status, run.line_count, run.total_amount, run.arrears_amount) == (
        "draft",
        3,
        2_430_000,
        1_620_000,
    )
    assert (summary.line_count, summary.total_amount, summary.arrears_amount) == (3, 2_430_000, 1_620_000)
    assert Entitlement.objects.get(person=person).arrears_from is None
    # The next month pays December only: nothing twice.
    payroll_run(month=dt.date(2026, 10, 1), area_code="00001")  # an earlier month: already paid in November
    assert PayrollRun.objects.get(commune_id="00001", month=OCT).line_count == 0
    assert len(lines_of(person)) == 3


def test_a_grant_signed_on_28_november_is_first_paid_for_november(office):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 11, 28), coefficient="2.5")
    payroll_run(month=NOV, area_code="00001")
    assert lines_of(person) == [("00001", NOV, 1_350_000, False, NOV)]
    payroll_run(month=OCT, area_code="00001")
    assert lines_of(person) == [("00001", NOV, 1_350_000, False, NOV)]


def test_the_amount_follows_the_level_in_force_each_month(office):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 5, 20), coefficient="1.5")
    payroll_run(month=NOV, area_code="00001")
    amounts = [(month.month, amount) for _c, month, amount, _a, _r in lines_of(person)]
    assert amounts == [
        (5, 750_000),
        (6, 750_000),
        (7, 810_000),
        (8, 810_000),
        (9, 810_000),
        (10, 810_000),
        (11, 810_000),
    ]
    assert PaymentLine.objects.filter(person=person, month=dt.date(2026, 6, 1)).get().level == 500_000
    assert payroll_get("00001", NOV).total_amount == 2 * 750_000 + 5 * 810_000


def test_a_province_level_overrides_the_national_one(office):
    BenefitLevel.objects.create(kind="standard", province_code="01", valid_from=OCT, amount=600_000)
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 9, 1), coefficient="1.5")
    payroll_run(month=NOV, area_code="01")
    assert [(m.month, a) for _c, m, a, _x, _r in lines_of(person)] == [
        (9, 810_000),
        (10, 900_000),
        (11, 900_000),
    ]


def test_the_social_pension_uses_its_own_level(office):
    person = office.person(birth_year=1950)
    office.grant(
        person, signed_on=dt.date(2026, 6, 3), coefficient="1", category="", benefit="social_pension"
    )
    BenefitLevel.objects.filter(kind="social_pension", valid_from=dt.date(2026, 7, 1)).update(amount=560_000)
    payroll_run(month=dt.date(2026, 7, 1), area_code="00001")
    assert [(m.month, a) for _c, m, a, _x, _r in lines_of(person)] == [(6, 500_000), (7, 560_000)]


def test_running_twice_gives_the_same_rows_and_totals(office):
    for index in range(3):
        office.grant(office.person(full_name=f"Người Thứ {index}"), signed_on=dt.date(2026, 9 + index, 1))
    first = payroll_run(month=NOV, area_code="01")
    rows = snapshot_rows()
    second = payroll_run(month=NOV, area_code="01")
    assert snapshot_rows() == rows
    assert (
        (first.line_count, first.total_amount, first.arrears_amount)
        == (
            second.line_count,
            second.total_amount,
            second.arrears_amount,
        )
        == (6, 6 * 810_000, 3 * 810_000)
    )
    assert PaymentLine.objects.count() == 6


def test_a_run_interrupted_half_way_leaves_nothing(office):
    other = Office("00002")
    office.grant(office.person(), signed_on=dt.date(2026, 9, 1))
    other.grant(other.person(), signed_on=dt.date(2026, 10, 1))
    audit_before = AuditEvent.objects.count()
    calls = []

    def progress(done, total):
        calls.append((done, total))
        if done == 1:
            raise KeyboardInterrupt  # the officer pressed Ctrl-C after the first chunk

    with pytest.raises(KeyboardInterrupt):
        payroll_run(month=NOV, area_code="01", progress=progress, chunk_communes=1)

    assert calls == [(0, 2), (1, 2)]
    assert PaymentLine.objects.count() == 0
    assert PayrollRun.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before
    assert sorted(Entitlement.objects.values_list("arrears_from", flat=True)) == [SEP, OCT]
    # Run again: complete.
    summary = payroll_run(month=NOV, area_code="01", chunk_communes=1)
    assert summary.line_count == 5


def test_a_province_is_processed_in_chunks_with_progress(office):
    offices = [office, Office("00002"), Office("00003")]
    for o in offices:
        o.grant(o.person(), signed_on=NOV)
    calls = []
    summary = payroll_run(
        month=NOV, area_code="01", chunk_communes=2, progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(0, 2), (1, 2), (2, 2)]
    assert [c.commune_code for c in summary.communes] == ["00001", "00002", "00003"]
    assert [c.line_count for c in summary.communes] == [1, 1, 1]


def test_one_audit_row_per_payroll_run(office):
    other = Office("00002")
    for o in (office, other):
        for _ in range(3):
            o.grant(o.person(), signed_on=NOV)
    payroll_run(month=NOV, area_code="01")
    events = AuditEvent.objects.filter(action="payroll.run").order_by("area_code")
    assert [(e.area_code, e.entity_type, e.after["line_count"], e.after["total_amount"]) for e in events] == [
        ("00001", "payments.payrollrun", 3, 3 * 810_000),
        ("00002", "payments.payrollrun", 3, 3 * 810_000),
    ]


def test_a_future_month_is_refused(office):
    office.grant(office.person(), signed_on=NOV)
    with pytest.raises(InvalidInput) as error:
        payroll_run(month=add_months(current_month(), 1), area_code="00001")
    assert set(error.value.fields) == {"month"}
    assert "chưa đến" in error.value.message
    assert PayrollRun.objects.count() == 0 and PaymentLine.objects.count() == 0


@pytest.mark.parametrize("area", ["99999", "77", "0000", "abcde"])
def test_an_unknown_area_is_refused(office, area):
    with pytest.raises(InvalidInput) as error:
        payroll_run(month=NOV, area_code=area)
    assert set(error.value.fields) == {"area"}


def test_an_officer_runs_only_their_own_area(office):
    other = Office("00002")
    other.grant(other.person(), signed_on=NOV)
    with pytest.raises(NotAllowed):
        payroll_run(month=NOV, area_code="00002", actor=office.officer)
    with pytest.raises(NotAllowed):
        payroll_run(
            month=NOV, area_code="00001", actor=office.chairman
        )  # the chairman approves, not prepares
    payroll_run(month=NOV, area_code="00002", actor=other.officer)
    assert PayrollRun.objects.get().prepared_by == other.officer


def test_stop_after_death_pays_up_to_the_month_of_death(office):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 1, 12), coefficient="2")
    person.date_of_death = dt.date(2026, 3, 10)
    person.save()
    office.decide(person=person, kind="stop", signed_on=dt.date(2026, 3, 25))
    payroll_run(month=dt.date(2026, 4, 1), area_code="00001")
    assert [(m.month, a) for _c, m, a, _x, _r in lines_of(person)] == [
        (1, 1_000_000),
        (2, 1_000_000),
        (3, 1_000_000),
    ]


def test_a_death_recorded_before_the_stop_is_signed_stops_payment_after_its_month(office):
    # Decree 335/2026 Art. 8: nothing for a month after the month of death, signed stop or not.
    person, other = office.person(), office.person()
    for p in (person, other):
        office.grant(p, signed_on=dt.date(2026, 9, 15), coefficient="1.5")
    person.date_of_death = dt.date(2026, 10, 18)
    person.save()
    payroll_run(month=NOV, area_code="00001")  # the month's first run: the bulk build
    assert [(m, a) for _c, m, a, _x, _r in lines_of(person)] == [(SEP, 810_000), (OCT, 810_000)]
    assert [m for _c, m, _a, _x, _r in lines_of(other)] == [SEP, OCT, NOV]
    payroll_run(month=NOV, area_code="00001")  # again: the line-by-line path
    assert [m for _c, m, _a, _x, _r in lines_of(person)] == [SEP, OCT]


def test_a_stop_withdraws_lines_from_a_draft_payroll(office):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 9, 1))
    payroll_run(month=NOV, area_code="00001")
    person.date_of_death = dt.date(2026, 9, 30)
    person.save()
    office.decide(person=person, kind="stop", signed_on=dt.date(2026, 11, 5))
    assert [m.month for _c, m, _a, _x, _r in lines_of(person)] == [9]
    run = payroll_get("00001", NOV)
    assert (run.line_count, run.total_amount, run.arrears_amount) == (1, 810_000, 810_000)


def test_a_skipped_month_is_paid_as_arrears_next_time(office):
    person = office.person()
    office.grant(person, signed_on=SEP)
    payroll_run(month=SEP, area_code="00001")
    payroll_run(month=NOV, area_code="00001")  # no October payroll was made
    assert [(m.month, x, r.month) for _c, m, _a, x, r in lines_of(person)] == [
        (9, False, 9),
        (10, True, 11),
        (11, False, 11),
    ]


def test_suspended_months_are_skipped_and_paid_as_arrears_after_resume(office):
    person = office.person()
    office.grant(person, signed_on=dt.date(2026, 7, 6))
    payroll_run(month=dt.date(2026, 8, 1), area_code="00001")
    office.decide(person=person, kind="suspend", signed_on=dt.date(2026, 9, 2))
    payroll_run(month=SEP, area_code="00001")
    payroll_run(month=OCT, area_code="00001")
    assert [m.month for _c, m, _a, _x, _r in lines_of(person)] == [7, 8]
    assert payroll_get("00001", OCT).line_count == 0

    office.decide(person=person, kind="resume", signed_on=dt.date(2026, 11, 3))
    payroll_run(month=NOV, area_code="00001")
    assert [(m.month, x, r.month) for _c, m, _a, x, r in lines_of(person)] == [
        (7, True, 8),
        (8, False, 8),
        (9, True, 11),
        (10, True, 11),
        (11, False, 11),
    ]


def test_frozen_payrolls_are_not_rebuilt(office):
    person = office.person()
    office.grant(person, signed_on=SEP)
    payroll_run(month=NOV, area_code="00001")
    PayrollRun.objects.filter(month=NOV).update(status=PayrollStatus.APPROVED)
    rows = snapshot_rows()
    office.grant(office.person(full_name="Trần Thị Bình"), signed_on=NOV)
    summary = payroll_run(month=NOV, area_code="00001")
    assert snapshot_rows() == rows
    assert [(c.commune_code, c.frozen, c.line_count) for c in summary.communes] == [("00001", True, 3)]


def test_transfer_across_provinces_pays_each_month_exactly_once(office):
    BenefitLevel.objects.create(
        kind="standard", province_code="02", valid_from=dt.date(2026, 7, 1), amount=600_000
    )
    person = office.person()
    office.grant(person, signed_on=SEP, coefficient="1.5")
    payroll_run(month=SEP, area_code="")
    payroll_run(month=OCT, area_code="")
    new_place = Office("10001", province="02")
    office.hand_over(person, to="10001", signed_on=dt.date(2026, 11, 9))  # Decree 335 Art. 8: step 1
    decision = decision_prepare(
        actor=new_place.officer,
        person=person,
        kind="transfer",
        benefit="monthly_allowance",
        target_commune="10001",
    )
    decision = decision_sign(
        actor=new_place.chairman, decision=decision, number="7", signed_on=dt.date(2026, 11, 9)
    )
    # Paid by the old commune up to October: the new one pays from November.
    assert decision.effective_month == NOV
    assert decision.monthly_amount == 900_000
    payroll_run(month=NOV, area_code="")
    payroll_run(month=NOV, area_code="")
    assert lines_of(person) == [
        ("00001", SEP, 810_000, False, SEP),
        ("00001", OCT, 810_000, False, OCT),
        ("10001", NOV, 900_000, False, NOV),
    ]
    assert not PayrollRun.objects.filter(commune_id="00001", month=NOV).exists()  # nothing left to pay there


def test_transfer_within_the_month_of_a_draft_payroll(office):
    """The old commune's November draft already lists the person; the transfer from November
    withdraws that line and the new commune pays November, once."""
    person = office.person()
    office.grant(person, signed_on=SEP)
    payroll_run(month=NOV, area_code="00001")
    new_place = Office("00002")
    office.hand_over(person, to="00002", signed_on=dt.date(2026, 11, 12), effective_month=NOV)  # step 1
    decision = decision_prepare(
        actor=new_place.officer,
        person=person,
        kind="transfer",
        benefit="monthly_allowance",
        target_commune="00002",
    )
    decision_sign(actor=new_place.chairman, decision=decision, number="8", signed_on=dt.date(2026, 11, 12))
    assert payroll_get("00001", NOV).line_count == 2
    payroll_run(month=NOV, area_code="01")
    assert [(c, m.month, x) for c, m, _a, x, _r in lines_of(person)] == [
        ("00001", 9, True),
        ("00001", 10, True),
        ("00002", 11, False),
    ]
    assert AuditEvent.objects.filter(action="payroll.lines_withdrawn").count() == 1


def test_transfer_before_any_payment_pays_every_month_in_the_new_commune(office):
    person = office.person()
    office.grant(person, signed_on=SEP)
    new_place = Office("00002")
    office.hand_over(person, to="00002", signed_on=dt.date(2026, 10, 20))  # step 1 (Decree 335 Art. 8)
    decision = decision_prepare(
        actor=new_place.officer,
        person=person,
        kind="transfer",
        benefit="monthly_allowance",
        target_commune="00002",
    )
    decision_sign(actor=new_place.chairman, decision=decision, number="8", signed_on=dt.date(2026, 10, 20))
    payroll_run(month=NOV, area_code="")
    assert [(c, m.month) for c, m, _a, _x, _r in lines_of(person)] == [
        ("00002", 9),
        ("00002", 10),
        ("00002", 11),
    ]


def test_adjust_back_dated_pays_the_new_amount_for_unpaid_months(office):
    person = office.person(birth_year=2022, birth_month=10)
    office.grant(person, signed_on=dt.date(2026, 8, 3), coefficient="2.5")
    payroll_run(month=dt.date(2026, 8, 1), area_code="00001")
    office.decide(
        person=person,
        kind="adjust",
        signed_on=dt.date(2026, 11, 2),
        coefficient="1.5",
        category="1",
        event_date=dt.date(2026, 10, 9),
    )
    payroll_run(month=NOV, area_code="00001")
    assert [(m.month, a) for _c, m, a, _x, _r in lines_of(person)] == [
        (8, 1_350_000),
        (9, 1_350_000),
        (10, 810_000),
        (11, 810_000),
    ]


def test_query_count_does_not_grow_with_beneficiaries(office, django_assert_max_num_queries):
    office.grant(office.person(), signed_on=SEP)
    with django_assert_max_num_queries(40) as small:
        payroll_run(month=NOV, area_code="00001")
    for index in range(20):
        office.grant(office.person(full_name=f"Người {index}"), signed_on=SEP)
    with django_assert_max_num_queries(len(small.captured_queries)):
        payroll_run(month=NOV, area_code="00001")
    assert PaymentLine.objects.count() == 21 * 3


def test_selectors_give_lines_with_names_and_totals(office):
    office.grant(office.person(full_name="Lê Văn Cường"), signed_on=OCT, coefficient="2", category="6")
    office.grant(office.person(full_name="An Thị Bé"), signed_on=NOV, coefficient="1.5", category="1")
    payroll_run(month=NOV, area_code="00001")
    run = payroll_get("00001", NOV)
    assert [(line.person_name, line.month.month, line.amount) for line in payroll_lines(run)] == [
        ("An Thị Bé", 11, 810_000),
        ("Lê Văn Cường", 10, 1_080_000),
        ("Lê Văn Cường", 11, 1_080_000),
    ]
    assert payroll_totals_by_benefit(run) == [
        {
            "benefit": "monthly_allowance",
            "category": "1",
            "line_count": 1,
            "person_count": 1,
            "total_amount": 810_000,
            "arrears_amount": None,
        },
        {
            "benefit": "monthly_allowance",
            "category": "6",
            "line_count": 2,
            "person_count": 1,
            "total_amount": 2_160_000,
            "arrears_amount": 1_080_000,
        },
    ]


def test_an_adjustment_replaces_the_draft_lines_at_the_new_amount(office):
    person = office.person()
    office.grant(person, signed_on=SEP, coefficient="1.5")
    payroll_run(month=NOV, area_code="00001")
    office.decide(
        person=person,
        kind="adjust",
        signed_on=dt.date(2026, 11, 6),
        coefficient="2",
        category="6",
        event_date=dt.date(2026, 10, 2),
    )
    # The draft lost the October and November lines at the old coefficient …
    assert [(m.month, a) for _c, m, a, _x, _r in lines_of(person)] == [(9, 810_000)]
    assert payroll_get("00001", NOV).total_amount == 810_000
    # … and the next build pays them at the new one, each month once.
    payroll_run(month=NOV, area_code="00001")
    assert [(m.month, a, x) for _c, m, a, x, _r in lines_of(person)] == [
        (9, 810_000, True),
        (10, 1_080_000, True),
        (11, 1_080_000, False),
    ]
    assert payroll_get("00001", NOV).total_amount == 810_000 + 2 * 1_080_000


def test_a_suspension_withdraws_draft_lines_from_the_suspension_month(office):
    person = office.person()
    office.grant(person, signed_on=SEP)
    payroll_run(month=NOV, area_code="00001")
    office.decide(person=person, kind="suspend", signed_on=dt.date(2026, 11, 10), effective_month=OCT)
    assert [m.month for _c, m, _a, _x, _r in lines_of(person)] == [9]
    payroll_run(month=NOV, area_code="00001")
    assert [m.month for _c, m, _a, _x, _r in lines_of(person)] == [9]


def test_the_chairman_approves_only_a_checked_payroll_which_is_then_frozen(office):
    """Every approval goes draft → checked (payees frozen) → approved, by the lifecycle; the
    payroll module has no approval of its own that would skip the check."""
    from ansinh.core.errors import Conflict
    from ansinh.payments import payroll
    from ansinh.payments.lifecycle import payroll_approve, payroll_check
    from ansinh.payments.models import PayrollPayee

    assert not hasattr(payroll, "payroll_approve")
    office.grant(office.person(), signed_on=NOV)
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    run = payroll_get("00001", NOV)
    before = (snapshot_rows(), AuditEvent.objects.count())
    with pytest.raises(Conflict) as refused:  # a draft cannot be approved: check it first
        payroll_approve(actor=office.chairman, run=run)
    assert refused.value.fields == {"status": "Không phê duyệt được ở trạng thái này."}
    assert (snapshot_rows(), AuditEvent.objects.count()) == before
    run = payroll_check(actor=office.officer, run=run)
    with pytest.raises(NotAllowed):
        payroll_approve(actor=office.officer, run=run)
    with pytest.raises(NotAllowed):
        payroll_approve(actor=Office("00002").chairman, run=run)
    run = payroll_approve(actor=office.chairman, run=run)
    assert (run.status, run.approved_by) == (PayrollStatus.APPROVED, office.chairman)
    assert list(PayrollPayee.objects.filter(run=run).values_list("amount", flat=True)) == [810_000]
    with pytest.raises(Conflict):
        payroll_approve(actor=office.chairman, run=run)
    audit = AuditEvent.objects.get(action="payroll.approve")
    assert (audit.before, audit.after["status"]) == ({"status": "checked"}, "approved")
    assert payroll_run(month=NOV, area_code="00001").communes[0].frozen
