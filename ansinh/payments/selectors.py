"""Reads on payrolls and payment lines."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ansinh.core.text import fold
from ansinh.payments.models import (
    NOT_LIVE,
    Overpayment,
    PayeeOutcome,
    PaymentLine,
    PayrollPayee,
    PayrollRun,
    ReconciliationException,
    ReturnFile,
    SuspensionProposal,
    registry_channel_sql,
)

LIVE_LINE = Q(kind="regular") & ~Q(status__in=NOT_LIVE)


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
            provider_result=_provider_result(),
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


def _provider_result() -> Coalesce:
    """The provider's answer for the line's payee ("" before any): a line still "due" shows it
    until its payroll is closed (lifecycle.payroll_close books the paid ones)."""
    outcome = PayeeOutcome.objects.filter(
        payee__run_id=OuterRef("run_id"), payee__person_id=OuterRef("person_id")
    )
    return Coalesce(Subquery(outcome.values("result")[:1]), Value(""))


def person_payment_lines(person) -> QuerySet:
    """The person's lines, each with `provider_result`."""
    return (
        PaymentLine.objects.filter(person=person)
        .select_related("run")
        .annotate(provider_result=_provider_result())
        .order_by("-month", "benefit")
    )


# --- The payment cycle (lifecycle, files, reconciliation) -------------------------------------


def payroll_previous(run: PayrollRun) -> PayrollRun | None:
    """The same commune's payroll of the latest earlier month."""
    return (
        PayrollRun.objects.filter(commune_id=run.commune_id, month__lt=run.month).order_by("-month").first()
    )


def payroll_changes(run: PayrollRun) -> list[dict]:
    """New, stopped and changed beneficiaries against the commune's previous payroll, comparing
    each one's regular line for the payroll's own month (arrears left aside):
    [{change: new|stopped|changed, person_id, full_name, benefit, before_*, after_*}]."""
    previous = payroll_previous(run)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH cur AS (SELECT person_id, benefit, category, coefficient, amount FROM payments_paymentline
                          WHERE run_id = %(cur)s AND month = %(month)s AND kind = 'regular' AND status <> 'cancelled'),
                 prev AS (SELECT person_id, benefit, category, coefficient, amount FROM payments_paymentline
                           WHERE run_id = %(prev)s AND month = %(prev_month)s AND kind = 'regular'
                             AND status <> 'cancelled')
            SELECT CASE WHEN p.person_id IS NULL THEN 'new' WHEN c.person_id IS NULL THEN 'stopped' ELSE 'changed' END,
                   coalesce(c.person_id, p.person_id), pe.full_name, coalesce(c.benefit, p.benefit),
                   p.category, p.coefficient, p.amount, c.category, c.coefficient, c.amount
              FROM cur c FULL JOIN prev p ON p.person_id = c.person_id AND p.benefit = c.benefit
              JOIN registry_person pe ON pe.id = coalesce(c.person_id, p.person_id)
             WHERE c.person_id IS NULL OR p.person_id IS NULL
                OR c.amount <> p.amount OR c.category <> p.category OR c.coefficient <> p.coefficient
             ORDER BY 1, pe.name_folded, 2
            """,
            {
                "cur": run.pk,
                "month": run.month,
                "prev": previous.pk if previous else 0,
                "prev_month": previous.month if previous else run.month,
            },
        )
        names = ["change", "person_id", "full_name", "benefit", "before_category", "before_coefficient"]
        names += ["before_amount", "after_category", "after_coefficient", "after_amount"]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def cashless_share(area_code: str, month: dt.date) -> list[dict]:
    """Indicator “share of beneficiaries paid without cash”, by commune, for a month.

    `area_code`: a commune (5 digits), a province (2) or "" for the country. A beneficiary counts
    once per commune payroll of the month. A payroll that was checked has its payees frozen, each
    with the channel of that moment; a payroll without frozen payees (a draft, or a payroll closed
    before payees were kept, e.g. older months) counts the distinct persons of its payment lines
    (cancelled lines left aside), with the channel the check would give from the registry:
    a social-security account, else a bank account, else cash (Decree 335/2026 Art. 28,
    lifecycle._SNAPSHOT_PAYEES). One set-based query, whatever the number of lines.
    Returns [{commune_code, commune_name, beneficiaries, cashless, share}] with share a Decimal
    percentage rounded to 0.1 (None when nobody is paid)."""
    from ansinh.payments.payroll import communes_in_area

    codes = list(communes_in_area(area_code).values_list("code", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH runs AS (SELECT id, commune_id, status FROM payments_payrollrun
                           WHERE month = %(month)s AND commune_id = ANY(%(codes)s)),
                 frozen AS (SELECT y.run_id, count(*) AS n, count(*) FILTER (WHERE y.channel <> 'cash') AS k
                              FROM payments_payrollpayee y
                             WHERE y.run_id IN (SELECT id FROM runs WHERE status <> 'draft')
                             GROUP BY y.run_id),
                 live AS (SELECT l.run_id, count(DISTINCT l.person_id) AS n,
                                 count(DISTINCT l.person_id) FILTER (
                                     WHERE {registry_channel_sql("p")} <> 'cash') AS k
                            FROM payments_paymentline l JOIN registry_person p ON p.id = l.person_id
                           WHERE l.run_id IN (SELECT r.id FROM runs r LEFT JOIN frozen f ON f.run_id = r.id
                                               WHERE f.run_id IS NULL)
                             AND l.status <> 'cancelled'
                           GROUP BY l.run_id)
            SELECT r.commune_id, c.name, coalesce(f.n, v.n, 0), coalesce(f.k, v.k, 0)
              FROM runs r JOIN areas_commune c ON c.code = r.commune_id
              LEFT JOIN frozen f ON f.run_id = r.id LEFT JOIN live v ON v.run_id = r.id
             ORDER BY r.commune_id
            """,
            {"month": month, "codes": codes},
        )
        rows = cursor.fetchall()
    return [
        {
            "commune_code": code,
            "commune_name": name,
            "beneficiaries": n,
            "cashless": k,
            "share": (Decimal(100 * k) / n).quantize(Decimal("0.1"), ROUND_HALF_UP) if n else None,
        }
        for code, name, n, k in rows
    ]


def payroll_payees(run: PayrollRun) -> QuerySet:
    return PayrollPayee.objects.filter(run=run).order_by("village_name", "full_name", "reference")


def signature_list_groups(run: PayrollRun) -> list[dict]:
    """The cash payees grouped by village, with subtotals, for the printed signature list."""
    groups: dict[str, dict] = {}
    for payee in payroll_payees(run).filter(channel="cash"):
        group = groups.setdefault(
            payee.village_name, {"village": payee.village_name, "payees": [], "amount": 0, "arrears": 0}
        )
        group["payees"].append(payee)
        group["amount"] += payee.amount
        group["arrears"] += payee.arrears_amount
    # Villages in Vietnamese reading order (Đông before Tây), whatever the database collation.
    return sorted(groups.values(), key=lambda g: (g["village"] == "", fold(g["village"])))


def return_files(run: PayrollRun) -> QuerySet:
    return ReturnFile.objects.filter(Q(run=run) | Q(exceptions__run=run)).distinct().order_by("-imported_at")


EXCEPTIONS_SHOWN = 1000


def reconciliation_exceptions(run: PayrollRun) -> QuerySet:
    return (
        ReconciliationException.objects.filter(Q(run=run) | Q(return_file__run=run))
        .select_related("return_file")
        .order_by("-return_file__imported_at", "line_no", "reference")
    )


def province_reconciliation_exceptions(area_code: str) -> QuerySet:
    """The exceptions of a province's return files, newest file first."""
    return (
        ReconciliationException.objects.filter(return_file__area_code=area_code)
        .select_related("return_file")
        .order_by("-return_file__imported_at", "line_no", "reference")
    )


def exceptions_page(exceptions: QuerySet) -> dict:
    """The first EXCEPTIONS_SHOWN exceptions and how many there are in all."""
    shown = list(exceptions[:EXCEPTIONS_SHOWN])
    return {
        "exceptions": shown,
        "exception_total": exceptions.count() if len(shown) == EXCEPTIONS_SHOWN else len(shown),
    }


def overpayments(run: PayrollRun) -> QuerySet:
    return Overpayment.objects.filter(run=run).order_by("person_id", "month")


def suspension_proposals(run: PayrollRun) -> QuerySet:
    return SuspensionProposal.objects.filter(run=run).order_by("person_id")
