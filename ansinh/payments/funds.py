"""The commune's monthly funds request and the provider's settlement report.

Decree 335/2026 Art. 28: by the 25th of the month the commune withdraws the month's funds from
the State Treasury and transfers them to the payment provider; the provider reports back on what
it paid. The request is the approved payroll summed by benefit and budget source; the
settlement is the reconciled payroll summed by result.
"""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from ansinh.accounts.roles import can_prepare
from ansinh.accounts.scope import AreaScope
from ansinh.core.audit import audit_record
from ansinh.core.errors import Conflict, NotAllowed
from ansinh.core.months import format_month
from ansinh.payments.lifecycle import EXPORTABLE
from ansinh.payments.models import FundsRequest, PayrollRun

DUE_DAY = 25  # Decree 335/2026 Art. 28

# The social pension is paid from the central budget (Law 41/2024 Art. 22); the monthly social
# allowance and care support from the local budget (Decree 335/2026 Art. 28 and the budget law's
# split of spending tasks). A province that pays differently edits this table.
SOURCES = {
    "social_pension": "Ngân sách trung ương",
    "monthly_allowance": "Ngân sách địa phương",
    "care_support": "Ngân sách địa phương",
}
DEFAULT_SOURCE = "Ngân sách địa phương"


def due_date(month: dt.date) -> dt.date:
    return month.replace(day=DUE_DAY)


def funds_rows(run: PayrollRun) -> list[dict]:
    """[{benefit, source, person_count, line_count, amount, arrears_amount}] of the payroll."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT benefit, count(DISTINCT person_id), count(*), coalesce(sum(amount), 0),
                   coalesce(sum(amount) FILTER (WHERE is_arrears), 0)
              FROM payments_paymentline WHERE run_id = %s AND status <> 'cancelled'
             GROUP BY benefit ORDER BY benefit
            """,
            [run.pk],
        )
        return [
            {
                "benefit": benefit,
                "source": SOURCES.get(benefit, DEFAULT_SOURCE),
                "person_count": persons,
                "line_count": lines,
                "amount": int(amount),
                "arrears_amount": int(arrears),
            }
            for benefit, persons, lines, amount, arrears in cursor.fetchall()
        ]


def funds_by_source(rows: list[dict]) -> list[dict]:
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["source"]] = totals.get(row["source"], 0) + row["amount"]
    return [{"source": source, "amount": amount} for source, amount in sorted(totals.items())]


def funds_request_submit(*, actor, run: PayrollRun) -> FundsRequest:
    """Record the month's funds request of an approved payroll (once)."""
    with transaction.atomic():
        run = PayrollRun.objects.select_for_update(of=("self",)).select_related("commune").get(pk=run.pk)
        if not can_prepare(actor) or not AreaScope.for_user(actor).contains_commune(run.commune_id):
            raise NotAllowed(
                f"Chỉ công chức phụ trách {run.commune.name} được lập đề nghị cấp kinh phí.",
                fields={"actor": "Tài khoản này không được lập đề nghị cấp kinh phí."},
            )
        if run.status not in EXPORTABLE:
            raise Conflict(
                f"Danh sách chi trả tháng {format_month(run.month)} chưa được phê duyệt: "
                "chỉ đề nghị cấp kinh phí cho danh sách đã phê duyệt.",
                fields={"status": "Chưa phê duyệt."},
            )
        existing = FundsRequest.objects.filter(run=run).first()
        if existing is not None:
            return existing
        rows = funds_rows(run)
        request = FundsRequest.objects.create(
            run=run,
            rows=rows,
            total_amount=sum(r["amount"] for r in rows),
            due_on=due_date(run.month),
            submitted_by=actor,
            submitted_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="payroll.funds_request",
            entity=request,
            area_code=run.commune_id,
            after={"total_amount": request.total_amount, "due_on": request.due_on.isoformat()},
        )
    return request


def is_late(request: FundsRequest) -> bool:
    return timezone.localdate(request.submitted_at) > request.due_on


def settlement(run: PayrollRun) -> dict:
    """The provider's settlement (báo cáo quyết toán): received, paid, failed, not collected, to
    return, by channel; from the frozen payees and their outcomes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT channel,
                   count(*), coalesce(sum(amount), 0),
                   count(*) FILTER (WHERE result = 'paid'), coalesce(sum(amount) FILTER (WHERE result = 'paid'), 0),
                   count(*) FILTER (WHERE result = 'failed'), coalesce(sum(amount) FILTER (WHERE result = 'failed'), 0),
                   count(*) FILTER (WHERE result = 'uncollected'),
                   coalesce(sum(amount) FILTER (WHERE result = 'uncollected'), 0),
                   count(*) FILTER (WHERE result IS NULL), coalesce(sum(amount) FILTER (WHERE result IS NULL), 0)
              FROM payments_payrollpayee y LEFT JOIN payments_payeeoutcome o ON o.payee_id = y.id
             WHERE y.run_id = %s GROUP BY channel ORDER BY channel
            """,
            [run.pk],
        )
        names = ["channel", "count", "amount", "paid_count", "paid_amount", "failed_count", "failed_amount"]
        names += ["uncollected_count", "uncollected_amount", "pending_count", "pending_amount"]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    total = {name: sum(int(r[name]) for r in rows) for name in names[1:]}
    # What the provider gives back to the commune: everything it received and did not pay.
    total["to_return"] = total["failed_amount"] + total["uncollected_amount"]
    return {"rows": rows, "total": total}
