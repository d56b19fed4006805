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


# --- the printed request (Đề nghị cấp kinh phí) ---------------------------------------------


def funds_request_document_context(request: FundsRequest) -> dict:
    """The context of payments/funds_request.html: the request as recorded (its rows, not the
    payroll recomputed), by benefit and by budget source, in đồng, signed by the chairman."""
    from ansinh.decisions.models import Benefit
    from ansinh.documents.headers import commune_authority, commune_province_authority
    from ansinh.documents.legal import amount_in_words

    run = request.run
    commune = run.commune
    rows = []
    for row in request.rows:
        try:
            label = Benefit(row.get("benefit")).label
        except ValueError:
            label = str(row.get("benefit") or "")
        rows.append(
            {
                "benefit": label,
                "source": row.get("source") or SOURCES.get(row.get("benefit"), DEFAULT_SOURCE),
                "person_count": int(row.get("person_count") or 0),
                "amount": int(row.get("amount") or 0),
                "arrears_amount": int(row.get("arrears_amount") or 0),
            }
        )
    month = format_month(run.month)
    approver = run.approved_by.get_full_name() if run.approved_by_id else ""
    return {
        "doc": {
            "issuer_parent": commune_province_authority(commune),
            "issuer": commune_authority(commune),
            "number": "……/ĐN-UBND",
            "place": commune.name,
            "date": timezone.localdate(request.submitted_at),
            "title": f"Đề nghị cấp kinh phí chi trả trợ cấp xã hội tháng {month}",
            "subtitle": "",
            "signer_capacity": "TM. Ủy ban nhân dân",
            "signer_title": "Chủ tịch",
            "signer_name": approver,
            "recipients": ["Như trên", "Đơn vị chi trả"],
        },
        "run": run,
        "commune": commune,
        "month": month,
        "rows": rows,
        "by_source": funds_by_source(rows),
        "person_count": sum(r["person_count"] for r in rows),
        "arrears_amount": sum(r["arrears_amount"] for r in rows),
        "total": request.total_amount,
        "total_words": amount_in_words(request.total_amount),
        "due_on": request.due_on,
        "approved_on": timezone.localdate(run.approved_at) if run.approved_at else None,
    }


def funds_request_pdf(run: PayrollRun) -> bytes:
    """The commune's funds request of a payroll as PDF (after "Lập đề nghị cấp kinh phí")."""
    from ansinh.documents.render import pdf_render

    request = (
        FundsRequest.objects.select_related("run__commune__province", "run__approved_by")
        .filter(run=run)
        .first()
    )
    if request is None:
        raise Conflict(
            f"Chưa lập đề nghị cấp kinh phí tháng {format_month(run.month)}: hãy bấm “Lập đề nghị cấp kinh phí” "
            "trên trang danh sách chi trả trước khi in.",
            fields={"funds_request": "Chưa lập đề nghị."},
        )
    return pdf_render("payments/funds_request.html", funds_request_document_context(request))
