"""The bank file (tệp chuyển khoản): one CSV per commune and month for the payees paid into a
social-security account or a bank account. Layout documented in docs/payments.md.

    H,ANSINH-CK,1,<commune>,<YYYYMM>,<sequence>,<created YYYYMMDDHHMMSS>
    D,<no>,<reference>,<personal id>,<full name>,<SSA|BANK>,<account>,<bank>,<amount>,<content>
    ...
    T,<row count>,<total amount>,<SHA-256 hex of every byte above this line>

UTF-8 without BOM, comma-separated, quoted as RFC 4180 where needed (an empty field is empty,
never ""), lines end in LF. The detail
records are written by PostgreSQL's COPY … TO STDOUT straight from the frozen payees, so the
file costs what COPY costs, whatever the size of the commune.
"""

import hashlib

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ansinh.payments.lifecycle import payment_file_issue
from ansinh.payments.models import PaymentFile, PaymentFileKind, PayrollRun, PayrollStatus

FORMAT = "ANSINH-CK"
VERSION = "1"

# The detail records of the runs given, each run's numbered from 1 in reference order; the first
# column (the run id) is cut off by the reader, never written to a file. A record is one line: a
# line break kept in a name from older data would split it (and a bank's import), so it becomes a
# space, by replace() (translate() cost 51 ms against 6 ms for Hà Nội's 36,788 lines: a third of
# the export). (Cutting the output per payroll with window counts instead of reading each line was
# measured slower: 0.26 s against 0.18 s for Hà Nội's 36,788 lines.)
_DETAIL = """
COPY (
  SELECT y.run_id, 'D', row_number() OVER (PARTITION BY y.run_id ORDER BY y.reference), y.reference,
         y.personal_id, replace(replace(y.full_name, E'\\r', ' '), E'\\n', ' '),
         CASE y.channel WHEN 'ssa' THEN 'SSA' ELSE 'BANK' END, y.account_number,
         replace(replace(y.bank_name, E'\\r', ' '), E'\\n', ' '), y.amount,
         r.content || y.reference
    FROM payments_payrollpayee y
    -- The transfer content's month part is built once per payroll, not once per payee.
    JOIN (SELECT id, 'TRO CAP XA HOI T' || to_char(month, 'MM/YYYY') || ' ' AS content
            FROM payments_payrollrun WHERE id = ANY('{{{run_ids}}}'::bigint[])) AS r ON r.id = y.run_id
   WHERE y.run_id = ANY('{{{run_ids}}}'::bigint[]) AND y.channel IN ('ssa', 'bank')
   ORDER BY y.run_id, y.reference
) TO STDOUT WITH (FORMAT csv, NULL '\\N')
"""


def bankfile_bodies(run_ids: list[int]) -> dict[int, tuple[list[bytes], int, int]]:
    """run id → (detail lines, row count, total) for the runs' account payees, by one COPY."""
    bodies: dict[int, tuple[list[bytes], int, int]] = {pk: ([], 0, 0) for pk in run_ids}
    pending = b""
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            # A province's payees: no JIT (about 50 ms to compile, per file set), and the sort by
            # reference in memory rather than in a temp file.
            cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        with cursor.cursor.copy(_DETAIL.format(run_ids=",".join(str(int(pk)) for pk in run_ids))) as copy:
            for chunk in copy:
                pending += bytes(chunk)
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    run_id, _, record = line.partition(b",")
                    detail, rows, total = bodies[int(run_id)]
                    detail.append(record + b"\n")
                    # The amount is the 9th field; names may hold quoted commas, so count from the end.
                    amount = int(record.rsplit(b",", 2)[1])
                    bodies[int(run_id)] = (detail, rows + 1, total + amount)
    return bodies


def bankfile_assemble(run: PayrollRun, sequence: int, created_at, body) -> tuple[bytes, int, int, str]:
    detail, rows, total = body
    created = timezone.localtime(created_at).strftime("%Y%m%d%H%M%S")
    header = f"H,{FORMAT},{VERSION},{run.commune_id},{run.month:%Y%m},{sequence},{created}\n".encode()
    content = header + b"".join(detail)
    checksum = hashlib.sha256(content).hexdigest()
    return content + f"T,{rows},{total},{checksum}\n".encode(), rows, total, checksum


def bankfile_build(run: PayrollRun, sequence: int, created_at) -> tuple[bytes, int, int, str]:
    """(bytes, detail rows, total amount, checksum) of the run's bank file."""
    return bankfile_assemble(run, sequence, created_at, bankfile_bodies([run.pk])[run.pk])


def bankfile_export(*, actor, run: PayrollRun):
    """The bank file of an approved payroll: (PaymentFile, bytes). The first export takes the
    commune's next sequence number and marks the payroll sent."""
    return payment_file_issue(actor=actor, run=run, kind=PaymentFileKind.BANK, build=bankfile_build)


def checksum_verify(content: bytes) -> bool:
    """True when the trailer's checksum matches the bytes above it (for a bank or a reader)."""
    body, _, trailer = content.rstrip(b"\n").rpartition(b"\n")
    fields = trailer.decode("utf-8", "replace").split(",")
    return len(fields) == 4 and fields[0] == "T" and hashlib.sha256(body + b"\n").hexdigest() == fields[3]


def bankfiles_export_area(*, actor, month, area_code: str) -> dict[int, tuple[PaymentFile, bytes]]:
    """The bank files of every approved payroll of an area and month, set-based: one COPY for all
    their payees, one insert of the PaymentFile rows, one update marking the payrolls sent, one
    audit batch. Each file is the one `bankfile_export` gives for its payroll (same bytes, same
    checksum), so a commune downloads it again from its own page. Returns run id → (file, bytes)."""
    from ansinh.accounts.roles import can_prepare
    from ansinh.accounts.scope import AreaScope
    from ansinh.core.errors import NotAllowed
    from ansinh.payments.lifecycle import audit_moves, file_name
    from ansinh.payments.payroll import communes_in_area

    if not can_prepare(actor) or not AreaScope.for_user(actor).contains_area(area_code):
        raise NotAllowed(
            "Chỉ cán bộ phụ trách địa bàn được xuất tệp chi trả.",
            fields={"actor": "Tài khoản này không được xuất tệp chi trả của địa bàn này."},
        )
    with transaction.atomic():
        runs = list(
            PayrollRun.objects.select_for_update()
            .filter(month=month, status=PayrollStatus.APPROVED, commune__in=communes_in_area(area_code))
            .order_by("pk")
        )
        if not runs:
            return {}
        codes = [run.commune_id for run in runs]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(726315, hashtext(code)) FROM unnest(%s::text[]) AS code ORDER BY code",
                [codes],
            )
        last = dict(
            PaymentFile.objects.filter(commune_code__in=codes)
            .values("commune_code")
            .annotate(last=Max("sequence"))
            .values_list("commune_code", "last")
        )
        now = timezone.now()
        bodies = bankfile_bodies([run.pk for run in runs])
        issued: dict[int, tuple[PaymentFile, bytes]] = {}
        for run in runs:
            sequence = last.get(run.commune_id, 0) + 1
            content, rows, total, checksum = bankfile_assemble(run, sequence, now, bodies[run.pk])
            record = PaymentFile(
                run=run,
                kind=PaymentFileKind.BANK,
                commune_code=run.commune_id,
                sequence=sequence,
                filename=file_name(run, PaymentFileKind.BANK, sequence),
                checksum=checksum,
                row_count=rows,
                total_amount=total,
                created_by=actor,
                created_at=now,
            )
            issued[run.pk] = (record, content)
        PaymentFile.objects.bulk_create([record for record, _ in issued.values()], batch_size=2000)
        PayrollRun.objects.filter(pk__in=list(issued)).update(status=PayrollStatus.SENT, sent_at=now)
        audit_moves(
            actor=actor,
            action="payroll.file_issue",
            moves=[
                (
                    run.pk,
                    run.commune_id,
                    PayrollStatus.APPROVED,
                    {"status": "sent", "file": issued[run.pk][0].filename},
                )
                for run in runs
            ],
        )
    return issued
