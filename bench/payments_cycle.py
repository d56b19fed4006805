"""The payment-cycle benchmark (issue 6, item 6): after the month's national payroll, measure

  (1) approval of all communes: one set-based check of every commune's payroll (the payees are
      frozen by one INSERT … SELECT) and each commune chairman's approval (3,321 approvals);
  (2) the bank-file export of every commune (COPY … TO STDOUT from the frozen payees, checksum,
      sequence number), which also marks each payroll sent;
  (3) reconciliation of the providers' return files, one per province, covering every payee with
      3 % failures (set-based: COPY into a temp table, one validation query, one match, UPDATE … FROM);

each against the COPY yardstick of its rows (the foundation's benchmark measure): COPY of the
payee rows into an unindexed table for (1), COPY … TO STDOUT of the same rows for (2), COPY of
the return files' detail rows into a text table for (3). Peak memory: ru_maxrss of this process.

Usage (run by hand, never in a loop):
    python -m bench.payments_cycle --template ansinh_bench_h2_src --month 2026-11

The database `ansinh_bench_h3` (or --database) is recreated as a copy of the template (a demo build of 3.5M
beneficiaries, see bench/run.py), migrated, and the month's payroll is built first (not part of
these figures: bench/run.py measures it). Figures are appended to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
BENCH_DB = "ansinh_bench_h3"
FAILURE_PERCENT = 3


def prepare(url: str, template: str) -> None:
    """Recreate BENCH_DB as a copy of the template and migrate it (in a child process)."""
    import subprocess

    import psycopg

    from bench.run import with_database

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}" TEMPLATE "{template}"')
    env = dict(os.environ, DATABASE_URL=with_database(url, BENCH_DB))
    subprocess.run(
        [str(Path(sys.executable).parent / "ansinh"), "migrate", "-v", "0"], env=env, check=True, cwd=ROOT
    )


def timed(label: str, figures: dict, function, *args, **kwargs):
    started = time.monotonic()
    result = function(*args, **kwargs)
    figures[label] = round(time.monotonic() - started, 1)
    print(f"{label}: {figures[label]} s", flush=True)
    return result


def copy_in(cursor, table: str, columns: str, data: bytes) -> float:
    started = time.monotonic()
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        view = memoryview(data)
        for start in range(0, len(view), 1 << 20):
            copy.write(view[start : start + (1 << 20)])
    return time.monotonic() - started


def dump(cursor, query: str) -> bytes:
    buffer = io.BytesIO()
    with cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
        for chunk in copy:
            buffer.write(chunk)
    return buffer.getvalue()


def return_files(cursor, month: dt.date) -> dict[str, bytes]:
    """One return file per province: every payee, FAILURE_PERCENT % failed, the rest paid."""
    files: dict[str, bytes] = {}
    cursor.execute("SELECT code FROM areas_province ORDER BY code")
    for (province,) in cursor.fetchall():
        body = io.BytesIO()
        with cursor.copy(
            f"""COPY (SELECT 'D', y.reference, y.personal_id, y.amount,
                             CASE WHEN y.person_id % 100 < {FAILURE_PERCENT} THEN 'THAT_BAI' ELSE 'DA_CHI' END,
                             CASE WHEN y.person_id % 100 < {FAILURE_PERCENT} THEN 'Tài khoản không tồn tại' ELSE '' END,
                             '10/{month:%m/%Y}'
                        FROM payments_payrollpayee y JOIN payments_payrollrun r ON r.id = y.run_id
                        JOIN areas_commune c ON c.code = r.commune_id
                       WHERE r.month = '{month}' AND c.province_id = '{province}')
                TO STDOUT WITH (FORMAT csv, NULL '\\N')"""
        ) as copy:
            for chunk in copy:
                body.write(chunk)
        cursor.execute(
            "SELECT count(*), coalesce(sum(y.amount), 0) FROM payments_payrollpayee y "
            "JOIN payments_payrollrun r ON r.id = y.run_id JOIN areas_commune c ON c.code = r.commune_id "
            "WHERE r.month = %s AND c.province_id = %s",
            [month, province],
        )
        rows, total = cursor.fetchone()
        files[province] = (
            f"H,ANSINH-KQ,1,{province},{month:%Y%m},1\n".encode()
            + body.getvalue()
            + f"T,{rows},{total}\n".encode()
        )
    return files


def reset(month: dt.date) -> None:
    """--reuse: take the month's payrolls back to draft, as the payroll left them, so the cycle
    can be measured again on the same data (bench database only)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        runs = "(SELECT id FROM payments_payrollrun WHERE month = %(month)s)"
        for statement in (
            "DELETE FROM payments_reconciliationexception WHERE return_file_id IN "
            "(SELECT id FROM payments_returnfile WHERE month = %(month)s)",
            "DELETE FROM payments_returnfile WHERE month = %(month)s",
            f"DELETE FROM payments_paymentfile WHERE run_id IN {runs}",
            f"DELETE FROM payments_overpayment WHERE run_id IN {runs}",
            f"DELETE FROM payments_suspensionproposal WHERE run_id IN {runs}",
            f"DELETE FROM payments_payeeoutcome WHERE payee_id IN (SELECT id FROM payments_payrollpayee WHERE run_id IN {runs})",
            f"DELETE FROM payments_payrollpayee WHERE run_id IN {runs}",
            f"UPDATE payments_paymentline SET status = 'due' WHERE run_id IN {runs} AND status <> 'due'",
            "UPDATE decisions_entitlement SET arrears_from = NULL WHERE arrears_from = %(month)s",
            "UPDATE payments_payrollrun SET status = 'draft', checked_by_id = NULL, checked_at = NULL, "
            "approved_by_id = NULL, approved_at = NULL, sent_at = NULL, reconciled_at = NULL, "
            "payee_count = 0, result_count = 0 "
            "WHERE month = %(month)s",
        ):
            cursor.execute(statement, {"month": month})
    with connection.cursor() as cursor:
        for table in (
            "payments_payrollpayee",
            "payments_payeeoutcome",
            "payments_paymentline",
            "payments_payrollrun",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def _tracer(threshold: float):
    """A Django execute wrapper printing each statement slower than `threshold` seconds."""

    def wrapper(execute, sql, params, many, context):
        started = time.monotonic()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.monotonic() - started
            if elapsed >= threshold:
                print(f"  [{elapsed:7.2f} s] {' '.join(str(sql).split())[:160]}", flush=True)

    return wrapper


def run(month: dt.date, *, reuse: bool = False, trace: float = 0) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection

    if trace:
        connection.execute_wrappers.append(_tracer(trace))

    from ansinh.accounts.models import AreaLevel, Role, User
    from ansinh.payments.bankfile import bankfiles_export_area
    from ansinh.payments.lifecycle import payroll_approve, payrolls_check
    from ansinh.payments.models import PayeeOutcome, PayrollRun
    from ansinh.payments.payroll import payroll_run
    from ansinh.payments.reconcile import reconcile_import_area

    if reuse:
        reset(month)
    figures: dict = {"load_average_start": round(os.getloadavg()[0], 2)}
    if not PayrollRun.objects.filter(month=month).exists():
        timed("payroll_run (setup)", figures, payroll_run, month=month, area_code="")
    officer, _ = User.objects.get_or_create(
        username="bench_h3_checker",
        defaults={"role": Role.PROVINCIAL_OFFICER, "area_level": AreaLevel.COUNTRY, "password": "!"},
    )
    chairmen = {u.commune_id: u for u in User.objects.filter(role=Role.COMMUNE_CHAIRMAN)}
    runs = list(
        PayrollRun.objects.select_related("commune")
        .filter(month=month, status="draft")
        .order_by("commune_id")
    )
    figures["communes"] = len(runs)
    figures["payees"] = timed("check (payees frozen)", figures, payrolls_check, actor=officer, runs=runs)

    def approve_all():
        for run_ in runs:
            payroll_approve(actor=chairmen[run_.commune_id], run=run_)

    timed("approve (per commune)", figures, approve_all)
    figures["approval_total"] = round(figures["check (payees frozen)"] + figures["approve (per commune)"], 1)

    sizes = {"rows": 0, "bytes": 0}

    def export_all():
        # One set-based export per province (bankfiles_export_area); every commune gets its file.
        for province in sorted({run_.commune.province_id for run_ in runs}):
            for issued, content in bankfiles_export_area(
                actor=officer, month=month, area_code=province
            ).values():
                sizes["rows"] += issued.row_count
                sizes["bytes"] += len(content)

    timed("bank-file export", figures, export_all)
    figures["bank_rows"], figures["bank_mb"] = sizes["rows"], round(sizes["bytes"] / 1e6, 1)

    with connection.cursor() as cursor:
        files = return_files(cursor.cursor, month)
    figures["return_rows"] = sum(content.count(b"\n") - 2 for content in files.values())

    def reconcile_all():
        for province, content in files.items():
            reconcile_import_area(actor=officer, area_code=province, month=month, content=content)

    timed("reconciliation (34 province files)", figures, reconcile_all)
    figures["failed_payees"] = PayeeOutcome.objects.filter(payee__run__month=month, result="failed").count()
    figures["reconciled_runs"] = PayrollRun.objects.filter(month=month, status="reconciled").count()

    # The yardsticks: COPY of the same rows.
    with connection.cursor() as django_cursor:
        raw = django_cursor.cursor
        payee_rows = dump(
            raw,
            f"SELECT * FROM payments_payrollpayee WHERE run_id IN (SELECT id FROM payments_payrollrun WHERE month = '{month}')",
        )
        raw.execute("DROP TABLE IF EXISTS bench_copy_payee")
        raw.execute("CREATE TABLE bench_copy_payee (LIKE payments_payrollpayee)")
        raw.execute(
            "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'payments_payrollpayee'::regclass AND attnum > 0 AND NOT attisdropped"
        )
        columns = raw.fetchone()[0]
        figures["yardstick COPY in payees"] = round(copy_in(raw, "bench_copy_payee", columns, payee_rows), 1)
        started = time.monotonic()
        dump(
            raw,
            f"SELECT y.reference, y.personal_id, y.full_name, y.channel, y.account_number, y.bank_name, y.amount FROM payments_payrollpayee y JOIN payments_payrollrun r ON r.id = y.run_id WHERE r.month = '{month}' AND y.channel IN ('ssa', 'bank')",
        )
        figures["yardstick COPY out bank rows"] = round(time.monotonic() - started, 1)
        raw.execute("DROP TABLE bench_copy_payee")
        raw.execute("DROP TABLE IF EXISTS bench_copy_return")
        raw.execute(
            "CREATE TABLE bench_copy_return (rec text, reference text, personal_id text, amount text, result text, reason text, paid_on text)"
        )
        details = b"".join(
            content.split(b"\n", 1)[1].rsplit(b"\n", 2)[0] + b"\n" for content in files.values()
        )
        started = time.monotonic()
        with raw.copy("COPY bench_copy_return FROM STDIN WITH (FORMAT csv)") as copy:
            view = memoryview(details)
            for start in range(0, len(view), 1 << 20):
                copy.write(view[start : start + (1 << 20)])
        figures["yardstick COPY in return rows"] = round(time.monotonic() - started, 1)
        raw.execute("DROP TABLE bench_copy_return")
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    figures["load_average_end"] = round(os.getloadavg()[0], 2)
    return figures


def report(figures: dict, command: str) -> str:
    def ratio(step: str, yardstick: str) -> str:
        return f"{figures[step] / figures[yardstick]:.1f} ×" if figures[yardstick] else "–"

    rows = [
        (
            "Approval of all communes: check (payees frozen, one INSERT … SELECT) + 3,321 approvals",
            f"{figures['payees']:,} payees",
            figures["approval_total"],
            "COPY in of the payee rows",
            figures["yardstick COPY in payees"],
            ratio("approval_total", "yardstick COPY in payees"),
        ),
        (
            "Bank-file export, every commune's file, one set-based export per province (checksum, sequence, marks sent)",
            f"{figures['bank_rows']:,} rows, {figures['bank_mb']} MB",
            figures["bank-file export"],
            "COPY out of the same rows",
            figures["yardstick COPY out bank rows"],
            ratio("bank-file export", "yardstick COPY out bank rows"),
        ),
        (
            f"Reconciliation, 34 province return files, {FAILURE_PERCENT} % failed",
            f"{figures['return_rows']:,} rows",
            figures["reconciliation (34 province files)"],
            "COPY in of the detail rows",
            figures["yardstick COPY in return rows"],
            ratio("reconciliation (34 province files)", "yardstick COPY in return rows"),
        ),
    ]
    lines = [
        "",
        f"## Payment cycle, {dt.date.today():%d/%m/%Y} (bench/payments_cycle.py)",
        "",
        f"Command: `{command}`. Machine: {os.cpu_count()} cores shared with other engineers' work, load average "
        f"{figures['load_average_start']} at the start and {figures['load_average_end']} at the end; "
        f"{figures['communes']} communes. Peak memory of the process: {figures['peak_rss_mb']} MB.",
        "",
        "| Step | Rows | Time (s) | Yardstick | Yardstick (s) | Ratio |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} | {e} | {f} |" for a, b, c, d, e, f in rows]
    lines += [
        "",
        f"Check {figures['check (payees frozen)']} s + approvals {figures['approve (per commune)']} s. "
        f"Failed payees after reconciliation: {figures['failed_payees']:,}; payrolls reconciled: "
        f"{figures['reconciled_runs']}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    global BENCH_DB
    from bench.run import server_url, with_database

    parser = argparse.ArgumentParser(
        prog="python -m bench.payments_cycle", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--template", required=True, help="a database holding a demo build (bench/run.py)")
    parser.add_argument("--month", default="2026-11")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the bench database again (no copy): the month goes back to draft",
    )
    parser.add_argument("--database", default=BENCH_DB, help=f"the bench database (default {BENCH_DB})")
    parser.add_argument(
        "--trace",
        type=float,
        default=0,
        help="print every SQL statement slower than this many seconds, with its time",
    )
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    args = parser.parse_args(argv)
    BENCH_DB = args.database
    url = server_url()
    if not args.reuse:
        started = time.monotonic()
        prepare(url, args.template)
        print(f"copy + migrate: {time.monotonic() - started:.0f} s", flush=True)
    os.environ["DATABASE_URL"] = with_database(url, BENCH_DB)
    month = dt.date.fromisoformat(args.month + "-01")
    figures = run(month, reuse=args.reuse, trace=args.trace)
    text = report(
        figures, "python -m bench.payments_cycle " + " ".join(argv if argv is not None else sys.argv[1:])
    )
    print(text)
    if not args.no_docs:
        with DOCS.open("a", encoding="utf-8") as docs:
            docs.write(text)
    if args.drop:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


if __name__ == "__main__":
    main()
