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

# The detail records of the runs given, each run's numbered from 1 in reference order. The first
# three columns (run id, the run's row count and total, the same on each of its lines) are cut off
# by the reader, never written to a file. A record is one line: a line break kept in a name from
# older data would split it (and a bank's import), so it becomes a space.
_DETAIL = """
COPY (
  SELECT y.run_id, count(*) OVER per_run, sum(y.amount) OVER per_run,
         'D', row_number() OVER (PARTITION BY y.run_id ORDER BY y.reference), y.reference,
         y.personal_id, translate(y.full_name, E'\\r\\n', '  '), upper(y.channel), y.account_number,
         translate(y.bank_name, E'\\r\\n', '  '), y.amount,
         'TRO CAP XA HOI T' || to_char(r.month, 'MM/YYYY') || ' ' || y.reference
    FROM payments_payrollpayee y JOIN payments_payrollrun r ON r.id = y.run_id
   WHERE y.run_id = ANY('{{{run_ids}}}'::bigint[]) AND y.channel IN ('ssa', 'bank')
  WINDOW per_run AS (PARTITION BY y.run_id)
   ORDER BY y.run_id, y.reference
) TO STDOUT WITH (FORMAT csv, NULL '\\N')
"""


def bankfile_bodies(run_ids: list[int]) -> dict[int, tuple[bytes, int, int]]:
    """run id → (detail records, row count, total) for the runs' account payees, by one COPY.

    The COPY's output is kept as it comes and cut once per payroll (its lines are in run order,
    each starting with the run's id, row count and total), not parsed field by field: at a
    province's 40,000 lines that per-line Python cost more than the COPY itself (issue 6)."""
    chunks: list[bytes] = []
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            # A province's payees: no JIT (about 50 ms to compile, per file set), and the sort by
            # reference in memory rather than in a temp file.
            cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        with cursor.cursor.copy(_DETAIL.format(run_ids=",".join(str(int(pk)) for pk in run_ids))) as copy:
            for chunk in copy:
                chunks.append(chunk)
    # Every line starts with "\n<run id>,<rows>,<total>,", the first included; the last LF is
    # added back per file.
    data = (b"\n" + b"".join(chunks)).removesuffix(b"\n")
    bodies: dict[int, tuple[bytes, int, int]] = {pk: (b"", 0, 0) for pk in run_ids}
    start = 0
    while start < len(data):
        first = data.index(b",", start)
        second = data.index(b",", first + 1)
        third = data.index(b",", second + 1)
        prefix = data[start : third + 1]
        run_id, rows, total = (
            int(data[start + 1 : first]),
            int(data[first + 1 : second]),
            int(data[second + 1 : third]),
        )
        end = start
        for _ in range(rows):  # the run's lines follow one another
            end = data.find(b"\n", end + 1)
            if end < 0:
                end = len(data)
                break
        block = data[start:end]
        if block.count(prefix) != rows or run_id not in bodies:
            # The COPY is not what this reader expects: never write half a file.
            raise RuntimeError(f"Tệp chuyển khoản của danh sách chi trả {run_id}: số dòng không khớp.")
        bodies[run_id] = (block.replace(prefix, b"\n")[1:] + b"\n", rows, total)
        start = end
    return bodies


def bankfile_assemble(run: PayrollRun, sequence: int, created_at, body) -> tuple[bytes, int, int, str]:
    detail, rows, total = body
    created = timezone.localtime(created_at).strftime("%Y%m%d%H%M%S")
    header = f"H,{FORMAT},{VERSION},{run.commune_id},{run.month:%Y%m},{sequence},{created}\n".encode()
    content = header + detail
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
