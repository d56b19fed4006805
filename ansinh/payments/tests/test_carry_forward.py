"""Failed and uncollected payments carry forward as arrears into the next payroll (Decree
335/2026 Art. 28, issue 6), exactly once; while a suspension is in force an uncollected month
waits for the review (Art. 9(4))."""

import datetime as dt

import pytest

from ansinh.decisions.models import Entitlement
from ansinh.decisions.tests.factories import Office
from ansinh.payments.lifecycle import payroll_close
from ansinh.payments.models import PaymentLine, PayrollRun, SuspensionProposal
from ansinh.payments.payroll import payroll_run
from ansinh.payments.reconcile import reconcile_import
from ansinh.payments.tests.cycle import NOV, OCT, SEP, result_row, return_file, sent_payroll

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return Office()


def rows(person) -> list[tuple]:
    return list(
        PaymentLine.objects.filter(person=person)
        .order_by("run__month", "month")
        .values_list("run__month", "month", "amount", "is_arrears", "status")
    )


def run_totals(month) -> tuple:
    return (
        PayrollRun.objects.filter(month=month)
        .values_list("line_count", "total_amount", "arrears_amount")
        .get()
    )


def reconcile(office, run, *results) -> None:
    content = return_file(run, [result_row(run, person, code, **extra) for person, code, extra in results])
    reconcile_import(actor=office.officer, run=run, content=content)


def test_an_uncollected_month_is_paid_again_as_arrears_exactly_once(office):
    person = office.person()
    office.grant(person, signed_on=SEP)
    run = sent_payroll(office, SEP)
    reconcile(office, run, (person, "CHUA_NHAN", {}))
    assert Entitlement.objects.get(person=person).arrears_from == SEP

    payroll_run(month=OCT, area_code="00001", actor=office.officer)
    expected = [
        (SEP, SEP, 810_000, False, "uncollected"),
        (OCT, SEP, 810_000, True, "due"),
        (OCT, OCT, 810_000, False, "due"),
    ]
    assert rows(person) == expected
    assert run_totals(OCT) == (2, 1_620_000, 810_000)
    assert Entitlement.objects.get(person=person).arrears_from is None
    # Running the payroll again, either way of writing the month, changes nothing.
    payroll_run(month=OCT, area_code="00001", actor=office.officer)
    payroll_run(month=OCT, area_code="00001", actor=office.officer, bulk=True)
    assert (rows(person), run_totals(OCT)) == (expected, (2, 1_620_000, 810_000))

    # Collected in October (booked paid when October is closed): November pays November only.
    run = sent_payroll(office, OCT)
    reconcile(office, run, (person, "DA_CHI", {}))
    payroll_close(actor=office.chairman, run=run)
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    assert rows(person) == [
        (SEP, SEP, 810_000, False, "uncollected"),
        (OCT, SEP, 810_000, True, "paid"),
        (OCT, OCT, 810_000, False, "paid"),
        (NOV, NOV, 810_000, False, "due"),
    ]
    assert run_totals(NOV) == (1, 810_000, 0)


def test_three_months_uncollected_count_each_month_once_in_the_proposal(office):
    person = office.person()
    office.grant(person, signed_on=SEP)
    for month in (SEP, OCT, NOV):
        run = sent_payroll(office, month)
        reconcile(office, run, (person, "CHUA_NHAN", {}))
    # Each payroll offered again the months not collected before it.
    assert [(r, m) for r, m, _a, _x, _s in rows(person)] == [
        (SEP, SEP),
        (OCT, SEP),
        (OCT, OCT),
        (NOV, SEP),
        (NOV, OCT),
        (NOV, NOV),
    ]
    proposal = SuspensionProposal.objects.get()
    assert (proposal.first_month, proposal.last_month, proposal.uncollected_amount) == (SEP, NOV, 3 * 810_000)


def test_while_suspended_an_uncollected_month_waits_for_the_review(office):
    person, other = office.person(), office.person(full_name="Người Nhận Đủ")
    office.grant(person, signed_on=SEP)
    office.grant(other, signed_on=SEP)
    run = sent_payroll(office, SEP)
    reconcile(office, run, (person, "CHUA_NHAN", {}), (other, "DA_CHI", {}))
    payroll_run(month=OCT, area_code="00001", actor=office.officer)
    assert [(r, m) for r, m, _a, _x, _s in rows(person)] == [(SEP, SEP), (OCT, SEP), (OCT, OCT)]

    # Decree 335/2026 Art. 9(1)(a): suspended from October. The October draft no longer pays
    # October, nor September again; September stays owed.
    office.decide(person=person, kind="suspend", signed_on=dt.date(2026, 10, 20), effective_month=OCT)
    assert rows(person) == [(SEP, SEP, 810_000, False, "uncollected")]
    assert Entitlement.objects.get(person=person).arrears_from == SEP
    for month in (OCT, NOV):
        payroll_run(month=month, area_code="00001", actor=office.officer)
        assert rows(person) == [(SEP, SEP, 810_000, False, "uncollected")]
        assert Entitlement.objects.get(person=person).arrears_from == SEP
    assert run_totals(NOV) == (1, 810_000, 0)  # the other beneficiary only

    # Art. 9(4): the review resumes payment from the suspension date; September is paid too.
    office.decide(person=person, kind="resume", signed_on=dt.date(2026, 11, 10))
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    assert rows(person) == [
        (SEP, SEP, 810_000, False, "uncollected"),
        (NOV, SEP, 810_000, True, "due"),
        (NOV, OCT, 810_000, True, "due"),
        (NOV, NOV, 810_000, False, "due"),
    ]
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    assert run_totals(NOV) == (4, 4 * 810_000, 2 * 810_000)
