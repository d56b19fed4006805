"""Back-pay of the Decree 335/2026 raise: the standard level went from 500,000 to 540,000 from
1 July 2026 (Art. 4, 31, 32), decided on 5 October 2026, after July–September were paid."""

import datetime as dt
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.models import AuditEvent
from ansinh.decisions.tests.factories import Office
from ansinh.payments.arrears import arrears_compute, arrears_workbook
from ansinh.payments.lifecycle import payroll_close
from ansinh.payments.models import BenefitLevel, PaymentLine, PayrollRun, PayrollStatus
from ansinh.payments.payroll import payroll_run
from ansinh.payments.reconcile import reconcile_import
from ansinh.payments.tests.cycle import result_row, return_file, sent_payroll

pytestmark = pytest.mark.django_db

JUN, JUL, AUG, SEP, OCT = (dt.date(2026, m, 1) for m in (6, 7, 8, 9, 10))


def _levels_before_decree_335():
    """The levels table as it stood before 5 Oct 2026: 500,000 with no end."""
    raised = BenefitLevel.objects.get(kind="standard", province_code="", valid_from=JUL)
    BenefitLevel.objects.filter(pk=raised.pk).delete()
    BenefitLevel.objects.filter(kind="standard", province_code="", valid_to=JUL).update(valid_to=None)
    return raised


def _decree_335_synced(raised):
    """What `levels_sync` does once the law package has Decree 335: 540,000 from 1 July 2026."""
    BenefitLevel.objects.filter(kind="standard", province_code="", valid_from=dt.date(2024, 7, 1)).update(
        valid_to=JUL
    )
    BenefitLevel.objects.create(
        kind="standard",
        province_code="",
        valid_from=JUL,
        amount=raised.amount,
        legal_basis=raised.legal_basis,
    )


def differences(person=None) -> list[tuple]:
    lines = PaymentLine.objects.filter(kind="difference")
    if person is not None:
        lines = lines.filter(person=person)
    return list(lines.order_by("person_id", "month").values_list("month", "level", "amount", "run__month"))


@pytest.fixture
def paid_at_500k():
    """Three people of commune 00001 paid June–September at 500,000-based amounts, payrolls
    approved; one of them died on 20 August and was stopped on 10 October (after September was
    paid); then the levels are synced with Decree 335."""
    office = Office()
    raised = _levels_before_decree_335()
    a = office.person(full_name="Nguyễn Văn An")
    b = office.person(full_name="Trần Thị Bình")
    c = office.person(full_name="Lê Văn Cường")
    office.grant(a, signed_on=dt.date(2026, 6, 10), coefficient="1.5")
    office.grant(b, signed_on=dt.date(2026, 6, 11), coefficient="2.5")
    office.grant(c, signed_on=dt.date(2026, 6, 12), coefficient="2")
    for month in (JUN, JUL, AUG, SEP):
        payroll_run(month=month, area_code="00001")
        PayrollRun.objects.filter(month=month).update(status=PayrollStatus.APPROVED)
    c.date_of_death = dt.date(2026, 8, 20)
    c.save()
    office.decide(person=c, kind="stop", signed_on=dt.date(2026, 10, 10))
    assert set(PaymentLine.objects.values_list("level", flat=True)) == {500_000}
    _decree_335_synced(raised)
    return office, a, b, c


def test_the_difference_is_owed_for_each_month_paid_at_the_old_level(paid_at_500k):
    office, a, b, c = paid_at_500k
    report = arrears_compute(since="2026-07", area_code="00001", commit=True, actor=office.officer)

    # (540,000 − 500,000) × coefficient per month, from July; June was paid at the level of June.
    assert differences(a) == [
        (JUL, 540_000, 60_000, None),
        (AUG, 540_000, 60_000, None),
        (SEP, 540_000, 60_000, None),
    ]
    assert differences(b) == [(m, 540_000, 100_000, None) for m in (JUL, AUG, SEP)]
    # Died in August: stop from September (Decree 335/2026 Art. 8), so July and August only,
    # although September had been paid before the stop was signed.
    assert differences(c) == [(JUL, 540_000, 80_000, None), (AUG, 540_000, 80_000, None)]
    assert [(x.commune_code, x.person_count, x.line_count, x.amount) for x in report.communes] == [
        ("00001", 3, 8, 3 * 60_000 + 3 * 100_000 + 2 * 80_000)
    ]
    assert (report.line_count, report.amount, report.committed) == (8, 640_000, True)
    line = PaymentLine.objects.filter(kind="difference", person=a).first()
    assert (line.is_arrears, line.status, line.coefficient, line.commune_code) == (True, "due", 1.5, "00001")
    event = AuditEvent.objects.get(action="arrears.compute")
    assert (event.area_code, event.after["line_count"], event.after["amount"]) == ("00001", 8, 640_000)


def test_computing_again_adds_nothing(paid_at_500k):
    arrears_compute(since="2026-07", area_code="00001", commit=True)
    rows = differences()
    again = arrears_compute(since="2026-07", area_code="", commit=True)
    assert (again.line_count, again.amount, again.communes) == (0, 0, [])
    assert differences() == rows
    # Also once the differences are in a payroll.
    payroll_run(month=OCT, area_code="00001")
    assert arrears_compute(since=JUL, commit=True).line_count == 0
    assert PaymentLine.objects.filter(kind="difference").count() == 8


def test_without_commit_nothing_is_written(paid_at_500k):
    lines, audits = PaymentLine.objects.count(), AuditEvent.objects.count()
    report = arrears_compute(since="2026-07", area_code="01")
    assert (report.line_count, report.amount, report.committed) == (8, 640_000, False)
    assert (PaymentLine.objects.count(), AuditEvent.objects.count()) == (lines, audits)


def test_the_next_payroll_pays_the_differences_once(paid_at_500k):
    office, a, b, c = paid_at_500k
    arrears_compute(since="2026-07", area_code="00001", commit=True)
    payroll_run(month=OCT, area_code="00001")
    run = PayrollRun.objects.get(commune_id="00001", month=OCT)
    # October at 540,000 for the two living people, plus the eight differences.
    assert (run.line_count, run.total_amount, run.arrears_amount) == (
        2 + 8,
        810_000 + 1_350_000 + 640_000,
        640_000,
    )
    assert {m for _m, _l, _a, m in differences()} == {OCT}
    # Rebuilding the draft keeps them, once.
    payroll_run(month=OCT, area_code="00001")
    payroll_run(month=OCT, area_code="01", bulk=False)
    run.refresh_from_db()
    assert (run.line_count, run.total_amount, run.arrears_amount) == (10, 2_800_000, 640_000)
    assert PaymentLine.objects.filter(kind="difference").count() == 8


def test_lines_of_a_draft_payroll_are_left_to_its_rebuild(paid_at_500k):
    PayrollRun.objects.filter(month=SEP).update(status=PayrollStatus.DRAFT)
    report = arrears_compute(since="2026-07", area_code="00001")
    assert (report.line_count, report.draft_lines) == (6, 3)  # September waits for its rebuild
    payroll_run(month=SEP, area_code="00001")
    assert arrears_compute(since="2026-07", area_code="00001").draft_lines == 0
    assert set(PaymentLine.objects.filter(month=SEP, kind="regular").values_list("level", flat=True)) == {
        540_000
    }


def test_a_commune_whose_only_beneficiary_died_still_gets_a_payroll_for_the_differences():
    office = Office("00002")
    raised = _levels_before_decree_335()
    person = office.person()
    office.grant(person, signed_on=JUL, coefficient="1")
    payroll_run(month=JUL, area_code="00002")
    PayrollRun.objects.update(status=PayrollStatus.APPROVED)
    person.date_of_death = dt.date(2026, 7, 30)
    person.save()
    office.decide(person=person, kind="stop", signed_on=dt.date(2026, 8, 3))
    _decree_335_synced(raised)
    arrears_compute(since=JUL, area_code="00002", commit=True)
    summary = payroll_run(month=OCT, area_code="00002")
    assert [(c.commune_code, c.line_count, c.total_amount) for c in summary.communes] == [
        ("00002", 1, 40_000)
    ]


def test_the_command_prints_the_report_and_writes_excel(paid_at_500k, tmp_path):
    out = StringIO()
    call_command("arrears", "compute", "--since", "2026-07", "--area", "00001", stdout=out)
    text = out.getvalue()
    assert "00001" in text and "3 người, 8 dòng, 640.000 đ" in text
    assert "Tính thử" in text and PaymentLine.objects.filter(kind="difference").count() == 0

    path = tmp_path / "truy-linh.xlsx"
    out = StringIO()
    call_command(
        "arrears",
        "compute",
        "--since",
        "07/2026",
        "--area",
        "00001",
        "--commit",
        "--xlsx",
        str(path),
        stdout=out,
    )
    assert "Đã ghi" in out.getvalue()
    assert PaymentLine.objects.filter(kind="difference").count() == 8
    sheet = load_workbook(BytesIO(path.read_bytes())).active
    rows = [tuple(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert rows[0] == ("Mã xã", "Tên xã", "Số người", "Số dòng", "Số tiền (đồng)")
    assert rows[1][0] == "00001" and rows[1][2:] == (3, 8, 640_000)
    assert rows[-1][1:] == ("Tổng cộng", 3, 8, 640_000)


def test_bad_input_is_refused_and_writes_nothing(paid_at_500k):
    office, *_ = paid_at_500k
    with pytest.raises(InvalidInput) as error:
        arrears_compute(since="2099-01", commit=True)
    assert set(error.value.fields) == {"since"}
    with pytest.raises(InvalidInput) as error:
        arrears_compute(since="2026-07", area_code="99999", commit=True)
    assert set(error.value.fields) == {"area"}
    Office("00002")
    with pytest.raises(NotAllowed):
        arrears_compute(since="2026-07", area_code="00002", commit=True, actor=office.officer)
    assert PaymentLine.objects.filter(kind="difference").count() == 0
    assert len(arrears_workbook(arrears_compute(since="2026-07"))) > 1000


NOV = dt.date(2026, 11, 1)


def _differences_by_run(person) -> list[tuple]:
    return list(
        PaymentLine.objects.filter(kind="difference", person=person)
        .order_by("month", "run__month")
        .values_list("month", "run__month", "amount", "status")
    )


def _october_paid_except(office, failed, uncollected, paid):
    """The October payroll takes the differences; a's transfer fails, b does not collect; then
    October is closed (c's lines booked paid)."""
    run = sent_payroll(office, OCT)
    rows = [
        result_row(run, failed, "THAT_BAI", reason="Tài khoản bị khóa"),
        result_row(run, uncollected, "CHUA_NHAN"),
    ]
    reconcile_import(actor=office.officer, run=run, content=return_file(run, [*rows, result_row(run, paid)]))
    payroll_close(actor=office.chairman, run=run)


def test_a_difference_not_paid_is_paid_again_by_the_next_payroll_once(paid_at_500k):
    office, a, b, c = paid_at_500k
    arrears_compute(since="2026-07", area_code="00001", commit=True)
    _october_paid_except(office, failed=a, uncollected=b, paid=c)

    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    for person, result, amount in ((a, "failed", 60_000), (b, "uncollected", 100_000)):
        assert _differences_by_run(person) == [
            row for m in (JUL, AUG, SEP) for row in ((m, OCT, amount, result), (m, NOV, amount, "due"))
        ]
    assert _differences_by_run(c) == [(JUL, OCT, 80_000, "paid"), (AUG, OCT, 80_000, "paid")]
    event = AuditEvent.objects.get(action="arrears.reissue")
    assert (
        event.area_code,
        event.after["person_count"],
        event.after["line_count"],
        event.after["amount"],
    ) == (
        "00001",
        2,
        6,
        3 * 60_000 + 3 * 100_000,
    )
    # November: a's and b's October again (carried forward) and their differences, as arrears.
    nov = PayrollRun.objects.get(month=NOV)
    assert nov.arrears_amount == (810_000 + 3 * 60_000) + (1_350_000 + 3 * 100_000)
    totals = (nov.line_count, nov.total_amount, nov.arrears_amount)
    lines = sorted(
        PaymentLine.objects.values_list("kind", "person_id", "run_id", "month", "amount", "status")
    )

    # Never twice: the payroll again, and the computation, add nothing.
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    assert arrears_compute(since=JUL, area_code="00001", commit=True).line_count == 0
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    nov.refresh_from_db()
    assert (nov.line_count, nov.total_amount, nov.arrears_amount) == totals
    assert AuditEvent.objects.filter(action="arrears.reissue").count() == 1
    assert (
        sorted(PaymentLine.objects.values_list("kind", "person_id", "run_id", "month", "amount", "status"))
        == lines
    )


def test_arrears_compute_also_takes_up_a_difference_not_paid_and_the_payroll_adds_none(paid_at_500k):
    office, a, b, c = paid_at_500k
    arrears_compute(since="2026-07", area_code="00001", commit=True)
    _october_paid_except(office, failed=a, uncollected=b, paid=c)

    again = arrears_compute(since=JUL, area_code="00001", commit=True)
    assert (again.line_count, again.amount) == (6, 3 * 60_000 + 3 * 100_000)
    payroll_run(month=NOV, area_code="00001", actor=office.officer)
    for person, result, amount in ((a, "failed", 60_000), (b, "uncollected", 100_000)):
        assert _differences_by_run(person) == [
            row for m in (JUL, AUG, SEP) for row in ((m, OCT, amount, result), (m, NOV, amount, "due"))
        ]
