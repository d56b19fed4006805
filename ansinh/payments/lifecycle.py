"""The payroll's life after it is built: draft → checked → approved → sent → reconciled → closed.

Each step records who and when on the PayrollRun and writes an audit event in the same
transaction. Checking freezes the payroll: its payees (name, ID, village, channel, account and
the sum of their lines) are copied into PayrollPayee by one INSERT … SELECT, and the payroll
build skips every run that is no longer a draft, so later registry edits change neither its
lines nor what is exported and printed. Maker-checker: whoever prepared or checked a payroll
cannot approve it (only the commune chairman approves).
"""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from ansinh.accounts.roles import can_prepare, can_sign
from ansinh.accounts.scope import AreaScope
from ansinh.core.audit import audit_bulk, audit_record
from ansinh.core.errors import Conflict, NotAllowed
from ansinh.core.months import format_month
from ansinh.payments.models import PaymentFile, PayrollPayee, PayrollRun, PayrollStatus, registry_channel_sql
from ansinh.payments.payroll import NOT_LIVE_SQL

# A check writing at least this many payees refreshes the payee table's statistics.
ANALYZE_AFTER = 50_000

# Statuses from which payment files may be produced (and downloaded again).
EXPORTABLE = (PayrollStatus.APPROVED, PayrollStatus.SENT, PayrollStatus.RECONCILED, PayrollStatus.CLOSED)

# The payees of the runs: their lines summed first (one hash aggregate over the lines only, into
# a temp table that is then ANALYZEd so the join to the registry gets a true row count), then one
# INSERT … SELECT joined to the person and village. The channel is the registry's at this moment
# (Decree 335/2026 Art. 28: a social-security account, else a bank account, else cash).
_SUM_LINES = """
CREATE TEMP TABLE payee_sums ON COMMIT DROP AS
SELECT l.run_id, l.person_id, count(*) AS line_count, sum(l.amount) AS amount,
       coalesce(sum(l.amount) FILTER (WHERE l.is_arrears), 0) AS arrears_amount
  FROM payments_paymentline l
 WHERE l.run_id = ANY(%(run_ids)s::bigint[]) AND l.status = 'due'
 GROUP BY l.run_id, l.person_id
"""

_SNAPSHOT_PAYEES = f"""
INSERT INTO payments_payrollpayee
       (run_id, person_id, reference, full_name, personal_id, village_name, address, channel,
        account_number, bank_name, line_count, amount, arrears_amount)
SELECT s.run_id, s.person_id, r.prefix || s.person_id,
       p.full_name, coalesce(p.personal_id, ''), coalesce(v.name, ''), p.address,
       {registry_channel_sql("p")},
       CASE WHEN p.social_security_account <> '' THEN p.social_security_account ELSE p.bank_account END,
       CASE WHEN p.social_security_account <> '' THEN '' ELSE p.bank_name END,
       s.line_count, s.amount, s.arrears_amount
  FROM payee_sums s
  -- The reference's commune and month part is built once per payroll, not once per payee.
  JOIN (SELECT id, commune_id || '-' || to_char(month, 'YYYYMM') || '-' AS prefix
          FROM payments_payrollrun WHERE id = ANY(%(run_ids)s::bigint[])) AS r ON r.id = s.run_id
  JOIN registry_person p ON p.id = s.person_id
  LEFT JOIN areas_village v ON v.id = p.village_id
"""

_COUNT_PAYEES = """
UPDATE payments_payrollrun r SET payee_count = c.payees
  FROM (SELECT run_id, count(*) AS payees FROM payee_sums GROUP BY run_id) AS c
 WHERE r.id = c.run_id
"""

# Closing books the provider's answers into the payment history: the paid payees' lines become
# "paid" (the failed and uncollected ones took their status at reconciliation).
_BOOK_PAID_LINES = """
UPDATE payments_paymentline l SET status = 'paid'
  FROM payments_payrollpayee y JOIN payments_payeeoutcome o ON o.payee_id = y.id AND o.result = 'paid'
 WHERE y.run_id = %(run)s AND l.run_id = %(run)s AND l.person_id = y.person_id AND l.status = 'due'
"""


# A month paid after the month of the beneficiary's death is an overpayment to recover (Decree
# 335/2026 Art. 8: payment stops from the month after death): the lines of the runs given whose
# payee the provider reported paid. Raised by each return file over its payrolls, and again at
# closing for a death recorded after the file. The search starts from the deceased (a partial
# index on them) with the registry's own statistics, so it does not depend on how many payees a
# file has. Idempotent: one overpayment per run, person, benefit and month.
_OVERPAID = f"""
INSERT INTO payments_overpayment
       (person_id, run_id, commune_code, benefit, month, amount, date_of_death, status, detected_at)
SELECT l.person_id, l.run_id, l.commune_code, l.benefit, l.month, l.amount, p.date_of_death, 'open', %(now)s
  FROM registry_person p
  JOIN payments_paymentline l ON l.person_id = p.id
  JOIN payments_payrollpayee y ON y.run_id = l.run_id AND y.person_id = l.person_id
  JOIN payments_payeeoutcome o ON o.payee_id = y.id AND o.result = 'paid'
 WHERE p.date_of_death IS NOT NULL AND l.run_id = ANY(%(runs)s::bigint[])
   AND l.status NOT IN {NOT_LIVE_SQL}
   AND l.month > date_trunc('month', p.date_of_death)
ON CONFLICT (run_id, person_id, benefit, month) DO NOTHING
"""


def overpayments_raise(run_ids: list[int], *, now: dt.datetime) -> int:
    """Raise the overpayments of the runs' paid lines after death; returns how many are new."""
    with connection.cursor() as cursor:
        cursor.execute(_OVERPAID, {"runs": list(run_ids), "now": now})
        return cursor.rowcount


def _in_scope(actor, run: PayrollRun) -> bool:
    return AreaScope.for_user(actor).contains_commune(run.commune_id)


def _require_preparer(actor, run: PayrollRun, what: str) -> None:
    if not can_prepare(actor) or not _in_scope(actor, run):
        raise NotAllowed(
            f"Chỉ công chức cấp xã hoặc cán bộ cấp tỉnh phụ trách {run.commune.name} được {what}.",
            fields={"actor": f"Tài khoản này không được {what}."},
        )


def _require_officer_or_chairman(actor, run: PayrollRun, what: str) -> None:
    if not (can_prepare(actor) or can_sign(actor)) or not _in_scope(actor, run):
        raise NotAllowed(
            f"Chỉ cán bộ phụ trách hoặc Chủ tịch UBND {run.commune.name} được {what}.",
            fields={"actor": f"Tài khoản này không được {what}."},
        )


def _require_status(run: PayrollRun, allowed: tuple, what: str) -> None:
    if run.status not in allowed:
        names = ", ".join(f"“{PayrollStatus(s).label}”" for s in allowed)
        raise Conflict(
            f"Danh sách chi trả tháng {format_month(run.month)} đang ở trạng thái “{run.get_status_display()}”: "
            f"chỉ {what} khi ở trạng thái {names}.",
            fields={"status": f"Không {what} được ở trạng thái này."},
        )


def _locked(run: PayrollRun) -> PayrollRun:
    return PayrollRun.objects.select_for_update(of=("self",)).select_related("commune").get(pk=run.pk)


def _record(actor, run: PayrollRun, action: str, before: str, note: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        entity=run,
        area_code=run.commune_id,
        before={"status": before},
        after={"status": run.status, "line_count": run.line_count, "total_amount": run.total_amount},
        note=note,
    )


def _advance(actor, run: PayrollRun, action: str, status: str, note: str = "", **fields) -> PayrollRun:
    """Move a locked run to `status`, setting the who/when fields given, with its audit event."""
    before = run.status
    run.status = status
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", *fields])
    _record(actor, run, action, before, note=note)
    return run


def audit_moves(*, actor, action: str, moves: list[tuple]) -> None:
    """One audit row per payroll moved by a batch step: (run id, commune, before, after dict)."""
    audit_bulk(
        actor=actor,
        action=action,
        entity_type="payments.payrollrun",
        rows=[
            {"entity_id": pk, "area_code": code, "before": {"status": before}, "after": after}
            for pk, code, before, after in moves
        ],
    )


def payrolls_check(*, actor, runs: list[PayrollRun]) -> int:
    """Check draft payrolls (one or all communes of an area): freeze them and copy their payees.

    One transaction, one INSERT … SELECT for all payees; returns the number of payees."""
    with transaction.atomic():
        locked = list(
            PayrollRun.objects.select_for_update(of=("self",))
            .select_related("commune")
            .filter(pk__in=[r.pk for r in runs])
            .order_by("pk")
        )
        for run in locked:
            _require_preparer(actor, run, "kiểm tra danh sách chi trả")
            _require_status(run, (PayrollStatus.DRAFT,), "kiểm tra")
        run_ids = [run.pk for run in locked]
        with connection.cursor() as cursor:
            # Statements over millions of rows: no JIT (compiling costs more than it saves), and
            # room for the aggregate and the hash joins in memory rather than in temp files.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("DROP TABLE IF EXISTS payee_sums")
            cursor.execute(_SUM_LINES, {"run_ids": run_ids})
            cursor.execute("ANALYZE payee_sums")
            cursor.execute(_SNAPSHOT_PAYEES, {"run_ids": run_ids})
            payees = cursor.rowcount
            cursor.execute(_COUNT_PAYEES)
            if payees >= ANALYZE_AFTER:
                # Fresh statistics for what follows (the bank files, reconciliation): without them
                # the planner still sees the table before these rows and reads all of it for each
                # province's payees (0.7 s against 0.2 s per province at 3.5M; ANALYZE 0.3 s).
                cursor.execute("ANALYZE payments_payrollpayee")
        now = timezone.now()
        PayrollRun.objects.filter(pk__in=run_ids).update(
            status=PayrollStatus.CHECKED, checked_by=actor, checked_at=now
        )
        audit_moves(
            actor=actor,
            action="payroll.check",
            moves=[
                (
                    run.pk,
                    run.commune_id,
                    run.status,
                    {"status": PayrollStatus.CHECKED, "total": run.total_amount},
                )
                for run in locked
            ],
        )
    return payees


def payroll_check(*, actor, run: PayrollRun) -> PayrollRun:
    payrolls_check(actor=actor, runs=[run])
    return PayrollRun.objects.select_related("commune").get(pk=run.pk)


def payroll_return_to_draft(*, actor, run: PayrollRun, reason: str = "") -> PayrollRun:
    """A checked payroll sent back (by the chairman or an officer) to be rebuilt: its frozen
    payees go, and the next payroll build recomputes its lines."""
    with transaction.atomic():
        run = _locked(run)
        _require_officer_or_chairman(actor, run, "trả lại danh sách chi trả")
        _require_status(run, (PayrollStatus.CHECKED,), "trả lại")
        PayrollPayee.objects.filter(run=run).delete()
        return _advance(
            actor,
            run,
            "payroll.return_to_draft",
            PayrollStatus.DRAFT,
            note=reason[:500],
            checked_by=None,
            checked_at=None,
            payee_count=0,
        )


def payroll_approve(*, actor, run: PayrollRun) -> PayrollRun:
    """The commune chairman approves a checked payroll. Maker-checker: not the person who
    prepared it, nor the person who checked it."""
    with transaction.atomic():
        run = _locked(run)
        if not can_sign(actor) or actor.commune_id != run.commune_id:
            raise NotAllowed(
                f"Chỉ Chủ tịch UBND {run.commune.name} được phê duyệt danh sách chi trả này.",
                fields={"approved_by": "Người phê duyệt phải là Chủ tịch UBND xã."},
            )
        if actor.pk in (run.prepared_by_id, run.checked_by_id):
            raise NotAllowed(
                "Người lập hoặc người kiểm tra danh sách chi trả không được tự phê duyệt.",
                fields={"approved_by": "Người phê duyệt phải khác người lập và người kiểm tra."},
            )
        _require_status(run, (PayrollStatus.CHECKED,), "phê duyệt")
        return _advance(
            actor,
            run,
            "payroll.approve",
            PayrollStatus.APPROVED,
            approved_by=actor,
            approved_at=timezone.now(),
        )


def payroll_close(*, actor, run: PayrollRun) -> PayrollRun:
    """Close the books of a reconciled payroll (khóa sổ): nothing more is imported into it, the
    paid payees' lines are marked paid, and those paid after a death are raised to recover."""
    with transaction.atomic():
        run = _locked(run)
        _require_officer_or_chairman(actor, run, "khóa sổ danh sách chi trả")
        _require_status(run, (PayrollStatus.RECONCILED,), "khóa sổ")
        with connection.cursor() as cursor:
            cursor.execute(_BOOK_PAID_LINES, {"run": run.pk})
            booked = cursor.rowcount
        overpaid = overpayments_raise([run.pk], now=timezone.now())
        return _advance(
            actor,
            run,
            "payroll.close",
            PayrollStatus.CLOSED,
            note=f"{booked} dòng ghi đã chi trả; {overpaid} khoản chi sau khi chết phải thu hồi.",
            closed_by=actor,
            closed_at=timezone.now(),
        )


def payment_file_issue(*, actor, run: PayrollRun, kind: str, build) -> tuple[PaymentFile, bytes]:
    """Issue (first time) or re-issue a payment file of `kind` for an approved payroll.

    `build(run, sequence, created_at)` returns (bytes, row_count, total_amount, checksum). The first issue
    takes the commune's next sequence number and moves the payroll to “sent”; later downloads
    rebuild the same bytes from the frozen payees and must match the recorded checksum."""
    with transaction.atomic():
        run = _locked(run)
        _require_preparer(actor, run, "xuất tệp chi trả")
        _require_status(run, EXPORTABLE, "xuất tệp chi trả")
        issued = PaymentFile.objects.filter(run=run, kind=kind).first()
        if issued is not None:
            content, rows, total, checksum = build(run, issued.sequence, issued.created_at)
            if (checksum, rows, total) != (issued.checksum, issued.row_count, issued.total_amount):
                raise Conflict(
                    f"Tệp {issued.filename} tạo lại không khớp mã kiểm tra đã cấp: dữ liệu đã bị thay đổi. "
                    "Hãy báo quản trị hệ thống.",
                    fields={"checksum": "Mã kiểm tra không khớp."},
                )
            return issued, content
        with connection.cursor() as cursor:
            # The sequence is per commune; the payroll row lock above serialises one commune's
            # payrolls only, so lock the commune's file sequence too.
            cursor.execute("SELECT pg_advisory_xact_lock(726315, hashtext(%s))", [run.commune_id])
        last = PaymentFile.objects.filter(commune_code=run.commune_id).order_by("-sequence").first()
        sequence = (last.sequence if last else 0) + 1
        now = timezone.now()
        content, rows, total, checksum = build(run, sequence, now)
        issued = PaymentFile.objects.create(
            run=run,
            kind=kind,
            commune_code=run.commune_id,
            sequence=sequence,
            filename=file_name(run, kind, sequence),
            checksum=checksum,
            row_count=rows,
            total_amount=total,
            created_by=actor,
            created_at=now,
        )
        before = run.status
        if run.status == PayrollStatus.APPROVED:
            run.status, run.sent_at = PayrollStatus.SENT, now
            run.save(update_fields=["status", "sent_at"])
        _record(
            actor,
            run,
            "payroll.file_issue",
            before,
            note=f"{issued.filename}: {rows} dòng, {total} đồng, SHA-256 {checksum}",
        )
    return issued, content


def file_name(run: PayrollRun, kind: str, sequence: int) -> str:
    extension = "csv" if kind == "bank" else "xlsx"
    prefix = "chuyen-khoan" if kind == "bank" else "chi-tien-mat"
    return f"{prefix}_{run.commune_id}_{run.month:%Y%m}_{sequence:06d}.{extension}"


def mark_reconciled(run_ids: list[int], *, actor, now: dt.datetime) -> list[int]:
    """Sent payrolls whose every payee now has a result become “reconciled” (set-based; the
    results are counted on the run as they are recorded)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE payments_payrollrun r SET status = 'reconciled', reconciled_at = %(now)s
             WHERE r.id = ANY(%(ids)s::bigint[]) AND r.status = 'sent' AND r.result_count >= r.payee_count
            RETURNING r.id, r.commune_id
            """,
            {"ids": list(run_ids), "now": now},
        )
        done = cursor.fetchall()
    audit_moves(
        actor=actor,
        action="payroll.reconciled",
        moves=[(pk, code, PayrollStatus.SENT, {"status": PayrollStatus.RECONCILED}) for pk, code in done],
    )
    return [pk for pk, _ in done]
