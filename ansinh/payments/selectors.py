"""Reads on payrolls and payment lines."""

import datetime as dt

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from ansinh.payments.models import PaymentLine, PayrollRun

LIVE_LINE = Q(kind="regular") & ~Q(status__in=["failed", "cancelled"])


def payroll_get(commune, month: dt.date) -> PayrollRun | None:
    code = getattr(commune, "pk", commune)
    return PayrollRun.objects.select_related("commune").filter(commune_id=code, month=month).first()


def payroll_list(*, month: dt.date | None = None) -> QuerySet:
    qs = PayrollRun.objects.select_related("commune").order_by("-month", "commune_id")
    if month is not None:
        qs = qs.filter(month=month)
    return qs


def payroll_lines(run: PayrollRun) -> QuerySet:
    """The run's lines with the person's name and ID, in the order a signature list is printed."""
    return (
        PaymentLine.objects.filter(run=run)
        .annotate(
            person_name=F("person__full_name"),
            personal_id=F("person__personal_id"),
        )
        .order_by("person__name_folded", "person_id", "benefit", "month")
    )


def payroll_totals_by_benefit(run: PayrollRun) -> list[dict]:
    """[{benefit, category, line_count, person_count, total_amount, arrears_amount}], sorted."""
    return list(
        PaymentLine.objects.filter(run=run)
        .values("benefit", "category")
        .annotate(
            line_count=Count("id"),
            person_count=Count("person", distinct=True),
            total_amount=Sum("amount"),
            arrears_amount=Sum("amount", filter=Q(is_arrears=True)),
        )
        .order_by("benefit", "category")
    )


def last_paid_month(entitlement) -> dt.date | None:
    """The last month the entitlement has a live payment line for (in any payroll)."""
    return PaymentLine.objects.filter(
        LIVE_LINE, person_id=entitlement.person_id, benefit=entitlement.benefit, entitlement=entitlement
    ).aggregate(last=Max("month"))["last"]


def person_payment_lines(person) -> QuerySet:
    return PaymentLine.objects.filter(person=person).select_related("run").order_by("-month", "benefit")
