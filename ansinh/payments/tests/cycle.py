"""Helpers for the payment-cycle tests: a commune's payroll taken through check, approval and
export, and the return file a provider would send back."""

import datetime as dt

from ansinh.payments.bankfile import bankfile_export
from ansinh.payments.lifecycle import payroll_approve, payroll_check
from ansinh.payments.models import (
    PayeeOutcome,
    PaymentLine,
    PayrollPayee,
    PayrollRun,
    ReconciliationException,
    ReturnFile,
)
from ansinh.payments.payroll import payroll_run
from ansinh.payments.provider import provider_list_export
from ansinh.payments.reconcile import return_file_build

SEP, OCT, NOV = dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def approved_payroll(office, month) -> PayrollRun:
    payroll_run(month=month, area_code=office.commune.code, actor=office.officer)
    run = PayrollRun.objects.get(commune=office.commune, month=month)
    payroll_check(actor=office.officer, run=run)
    return payroll_approve(actor=office.chairman, run=run)


def sent_payroll(office, month) -> PayrollRun:
    run = approved_payroll(office, month)
    provider_list_export(actor=office.officer, run=run)
    bankfile_export(actor=office.officer, run=run)
    return PayrollRun.objects.get(pk=run.pk)


def payee(run, person) -> PayrollPayee:
    return PayrollPayee.objects.get(run=run, person=person)


def result_row(run, person, code="DA_CHI", *, amount=None, reason="", paid_on="10/11/2026", reference=None):
    found = payee(run, person)
    return (
        reference or found.reference,
        found.personal_id or "",
        found.amount if amount is None else amount,
        code,
        reason,
        paid_on if code == "DA_CHI" else "",
    )


def return_file(run, rows, **kwargs) -> bytes:
    return return_file_build(
        rows, area_code=kwargs.get("area_code", run.commune_id), month=kwargs.get("month", run.month)
    )


def cycle_state() -> tuple:
    """Everything an import or an export could write, to prove a refusal wrote nothing."""
    from ansinh.core.models import AuditEvent
    from ansinh.decisions.models import Entitlement
    from ansinh.payments.models import Overpayment, PaymentFile, SuspensionProposal

    return (
        sorted(PaymentLine.objects.values_list("id", "status")),
        sorted(PayrollPayee.objects.values_list("id", "amount")),
        sorted(PayeeOutcome.objects.values_list("payee_id", "result", "reason", "paid_on")),
        sorted(PayrollRun.objects.values_list("id", "status", "sent_at", "reconciled_at", "result_count")),
        sorted(Entitlement.objects.values_list("id", "arrears_from")),
        ReturnFile.objects.count(),
        ReconciliationException.objects.count(),
        PaymentFile.objects.count(),
        Overpayment.objects.count(),
        SuspensionProposal.objects.count(),
        AuditEvent.objects.count(),
    )


def three_months_uncollected(office):
    """A person not collecting September to November, beside one who collects: the suspension
    proposal reconciliation raises (Decree 335/2026 Art. 9(1)(a))."""
    from ansinh.payments.models import SuspensionProposal
    from ansinh.payments.reconcile import reconcile_import

    person, other = office.person(full_name="Trần Văn Vắng"), office.person(full_name="Người Nhận Đủ")
    office.grant(person, signed_on=SEP)
    office.grant(other, signed_on=SEP)
    for month in (SEP, OCT, NOV):
        run = sent_payroll(office, month)
        content = return_file(run, [result_row(run, person, "CHUA_NHAN"), result_row(run, other)])
        reconcile_import(actor=office.officer, run=run, content=content)
    return SuspensionProposal.objects.get()


def paid_after_death(office):
    """Died in September, paid for October (Decree 335/2026 Art. 8): the overpayment to recover."""
    from ansinh.payments.models import Overpayment
    from ansinh.payments.reconcile import reconcile_import
    from ansinh.registry.models import Person

    person = office.person(full_name="Ông Đã Mất")
    office.grant(person, signed_on=SEP)
    run = sent_payroll(office, OCT)
    Person.objects.filter(pk=person.pk).update(date_of_death=dt.date(2026, 9, 15))
    reconcile_import(actor=office.officer, run=run, content=return_file(run, [result_row(run, person)]))
    return Overpayment.objects.get()
