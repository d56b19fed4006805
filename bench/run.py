"""The payroll benchmark (issue 2, item 12): `make bench` → `python -m bench.run`.

For each size it recreates the database `ansinh_bench` on the configured server (DATABASE_URL,
else 127.0.0.1:5432), builds the demo data (`ansinh demo`) with every month before the benchmark
month already paid, and then measures, each in a fresh process:

  (a) `payroll_run(month=…, area_code="")` for the whole country: wall time, lines written,
      peak memory of the Python process (ru_maxrss) and of its PostgreSQL backend (VmHWM);
  (b) the yardstick: PostgreSQL COPY of the same number of payment rows (the month's lines,
      dumped beforehand) into an empty table with the columns of payments_paymentline, without
      indexes, then with the real table's indexes, then with indexes and foreign keys.

Figures are printed and appended to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
BENCH_DB = "ansinh_bench"
DEFAULT_SIZES = "100000,3500000"


def server_url() -> str:
    return os.environ.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"


def with_database(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/" + name))


def recreate_database(url: str, template: str = "") -> None:
    """Drop and create the bench database, empty or as a copy of `template` (a database holding
    an earlier demo build, so the 9-minute 3.5M build is not repeated)."""
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [BENCH_DB],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        if template:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}" TEMPLATE "{template}"')
        else:
            conn.execute(f"CREATE DATABASE \"{BENCH_DB}\" ENCODING 'UTF8' TEMPLATE template0")


def ansinh(args: list[str], env: dict) -> float:
    started = time.monotonic()
    subprocess.run([str(Path(sys.executable).parent / "ansinh"), *args], env=env, check=True, cwd=ROOT)
    return time.monotonic() - started


def worker(kind: str, month: str, dump: str) -> None:
    """Runs in a child process so its ru_maxrss is its own."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    result: dict = {"load_average": round(os.getloadavg()[0], 2)}
    if kind == "payroll":
        from ansinh.payments.payroll import payroll_run

        started = time.monotonic()
        summary = payroll_run(month=month, area_code="")
        result["seconds"] = time.monotonic() - started
        result["rows"] = summary.line_count
        result["arrears_rows"] = None
        result["runs"] = len(summary.communes)
        result["total_amount"] = summary.total_amount
        result["arrears_amount"] = summary.arrears_amount
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FILTER (WHERE is_arrears), count(*) FROM payments_paymentline l "
                "JOIN payments_payrollrun r ON r.id = l.run_id WHERE r.month = %s",
                [month + "-01"],
            )
            result["arrears_rows"], result["rows_in_db"] = cursor.fetchone()
            # The lines just written, in COPY text format, for the yardstick.
            raw = cursor.cursor
            with (
                open(dump, "wb") as out,
                raw.copy(
                    "COPY (SELECT l.commune_code, l.benefit, l.category, l.month, l.kind, l.coefficient, l.level, "
                    "l.amount, l.is_arrears, l.status, l.entitlement_id, l.person_id, l.run_id "
                    "FROM payments_paymentline l JOIN payments_payrollrun r ON r.id = l.run_id "
                    "WHERE r.month = %s ORDER BY l.id) TO STDOUT",
                    [month + "-01"],
                ) as copy,
            ):
                for block in copy:
                    out.write(block)
    else:
        result.update(copy_yardstick(connection, dump, kind))
    result["python_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["backend_peak_mb"] = backend_peak_mb(backend)
    print("RESULT " + json.dumps(result), flush=True)


def backend_peak_mb(pid: int) -> float | None:
    """VmHWM of the server process (includes the shared-buffer pages it touched)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


COLUMNS = (
    "commune_code, benefit, category, month, kind, coefficient, level, amount, is_arrears, status, "
    "entitlement_id, person_id, run_id"
)


def copy_yardstick(connection, dump: str, shape: str) -> dict:
    """COPY the dumped lines into an empty table: 'plain' (no index), 'indexed' (the real table's
    indexes and checks), 'full' (indexes and the foreign keys too). Timed up to the commit."""
    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection
    raw.autocommit = True
    raw.execute("DROP TABLE IF EXISTS bench_copy")
    if shape == "plain":
        raw.execute(
            "CREATE TABLE bench_copy (LIKE payments_paymentline INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
    else:
        raw.execute("CREATE TABLE bench_copy (LIKE payments_paymentline INCLUDING ALL)")
    if shape == "full":
        rows = raw.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'payments_paymentline'::regclass AND contype = 'f'"
        ).fetchall()
        for index, (definition,) in enumerate(rows):
            raw.execute(f"ALTER TABLE bench_copy ADD CONSTRAINT bench_copy_fk{index} {definition}")
    raw.autocommit = False
    started = time.monotonic()
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY bench_copy ({COLUMNS}) FROM STDIN") as copy, open(dump, "rb") as data:
            while block := data.read(1 << 20):
                copy.write(block)
    raw.commit()
    seconds = time.monotonic() - started
    raw.autocommit = True
    count = raw.execute("SELECT count(*) FROM bench_copy").fetchone()[0]
    raw.execute("DROP TABLE bench_copy")
    return {"seconds": seconds, "rows": count}


def run_worker(kind: str, month: str, dump: str, env: dict) -> dict:
    return worker_result(["bench.run", "--worker", kind, "--month", month, "--dump", dump], env)


def worker_result(module_args: list[str], env: dict) -> dict:
    """Run `python -m <module_args>` in a fresh process and return the JSON of its `RESULT` line."""
    out = subprocess.run(
        [sys.executable, "-m", *module_args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(out.stderr[-2000:])
    line = next(line for line in out.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def machine() -> dict:
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
    }


def pg_version(url: str) -> str:
    import psycopg

    with psycopg.connect(with_database(url, "postgres")) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = dict(
            conn.execute(
                "SELECT name, setting || coalesce(unit, '') FROM pg_settings "
                "WHERE name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem', 'max_wal_size', 'synchronous_commit')"
            ).fetchall()
        )
    return version, settings


def bench_size(size: int, *, month: str, seed: int, history: int, url: str, template: str = "") -> dict:
    recreate_database(url, template)
    env = dict(os.environ, DATABASE_URL=with_database(url, BENCH_DB))
    demo_seconds = None
    if template:
        # The template holds `ansinh demo` for this size, seed, month and history (possibly built
        # under older migrations): bring its schema up to date.
        print(f"\n== {size:,} beneficiaries: copy of {template}, migrate", flush=True)
        ansinh(["migrate", "--no-input", "-v0"], env)
    else:
        print(f"\n== {size:,} beneficiaries: migrate, areas_load, demo", flush=True)
        ansinh(["migrate", "--no-input", "-v0"], env)
        ansinh(["areas_load"], env)
        demo_seconds = ansinh(
            [
                "demo",
                "--beneficiaries",
                str(size),
                "--seed",
                str(seed),
                "--month",
                month,
                "--history-months",
                str(history),
            ],
            env,
        )
    # The demo's COPY lands in the default partition of payments_paymentline: give each month its
    # own partition, as the payrolls of those months would have (not timed).
    ansinh(["payroll", "partitions"], env)
    ansinh(["dbshell", "--", "-c", "VACUUM ANALYZE payments_paymentline"], env)
    with tempfile.TemporaryDirectory() as tmp:
        dump = str(Path(tmp) / "lines.copy")
        print(f"== payroll_run(month={month}, area_code='')", flush=True)
        payroll = run_worker("payroll", month, dump, env)
        print(f"   {payroll['rows']:,} lines in {payroll['seconds']:.1f} s", flush=True)
        copies = {}
        for shape in ("plain", "indexed", "full"):
            copies[shape] = run_worker(shape, month, dump, env)
            print(
                f"   COPY {shape}: {copies[shape]['rows']:,} rows in {copies[shape]['seconds']:.1f} s",
                flush=True,
            )
        dump_mb = Path(dump).stat().st_size / 1024 / 1024
    return {
        "size": size,
        "demo_seconds": demo_seconds,
        "payroll": payroll,
        "copy": copies,
        "dump_mb": dump_mb,
    }


def report(results: list[dict], command: str, url: str, month: str, history: int) -> str:
    info = machine()
    version, settings = pg_version(url)
    lines = [
        f"\n## Run of {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} UTC",
        "",
        f"- Command: `{command}`",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_gb']} GB RAM; Python {info['python']}",
        f"- PostgreSQL {version} ({', '.join(f'{k}={v}' for k, v in sorted(settings.items()))})",
        f"- Month paid: {month}; entitlements start in that month or the {history} month(s) before, all earlier"
        " months already paid (closed payrolls), so the run writes regular lines only.",
        "",
        "| Beneficiaries | Demo build | Payroll lines | Arrears lines | Payroll | COPY, no index | COPY, indexes "
        "| COPY, indexes + FKs | Payroll ÷ COPY (no index) | Payroll ÷ COPY (indexes) | Python peak | Backend peak |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p, c = r["payroll"], r["copy"]
        backend = f"{p['backend_peak_mb']:.0f} MB" if p.get("backend_peak_mb") else "n/a"
        demo = f"{r['demo_seconds']:.0f} s" if r["demo_seconds"] is not None else "copied"
        lines.append(
            f"| {r['size']:,} | {demo} | {p['rows']:,} | {p['arrears_rows']:,} | {p['seconds']:.1f} s "
            f"| {c['plain']['seconds']:.1f} s | {c['indexed']['seconds']:.1f} s | {c['full']['seconds']:.1f} s "
            f"| {p['seconds'] / c['plain']['seconds']:.2f} × | {p['seconds'] / c['indexed']['seconds']:.2f} × "
            f"| {p['python_peak_mb']:.0f} MB | {backend} |"
        )
    lines.append("")
    loads = ", ".join(
        f"{r['size']:,}: {r['payroll']['load_average']}" for r in results if "load_average" in r["payroll"]
    )
    if loads:
        lines += [
            f"Load average (1 min) when the payroll started: {loads} (2 CPUs; other work shares the machine).",
            "",
        ]
    goal = [r for r in results if r["size"] >= 3_500_000]
    for r in goal:
        ratio = r["payroll"]["seconds"] / r["copy"]["plain"]["seconds"]
        peak = max(r["payroll"]["python_peak_mb"], r["payroll"].get("backend_peak_mb") or 0)
        lines.append(
            f"Goal for {r['size']:,} (payroll ≤ 3 × COPY into an empty table, memory < 2 GB): ratio {ratio:.2f} × "
            f"→ {'met' if ratio <= 3 else f'NOT met, {ratio / 3:.2f} × over'}; peak memory {peak:.0f} MB → "
            f"{'met' if peak < 2048 else 'NOT met'}."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--month", default="")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--history-months", type=int, default=1)
    parser.add_argument(
        "--no-docs", action="store_true", help="print only, do not append to docs/benchmarks.md"
    )
    parser.add_argument(
        "--template",
        action="append",
        default=[],
        metavar="SIZE=DATABASE",
        help="use a copy of DATABASE (an earlier demo build of SIZE) instead of building the demo",
    )
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)
    parser.add_argument("--dump", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    month = args.month or dt.date.today().strftime("%Y-%m")
    if args.worker:
        worker(args.worker, month, args.dump)
        return
    url = server_url()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    templates = {int(k.replace("_", "")): v for k, v in (t.split("=", 1) for t in args.template)}
    results = [
        bench_size(
            s,
            month=month,
            seed=args.seed,
            history=args.history_months,
            url=url,
            template=templates.get(s, ""),
        )
        for s in sizes
    ]
    command = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(results, command.strip(), url, month, args.history_months)
    print(text)
    if not args.no_docs:
        if not DOCS.exists():
            DOCS.write_text(
                "# Benchmarks\n\nFigures from `make bench` (`python -m bench.run`), newest last. See bench/run.py "
                "for what is measured.\n",
                encoding="utf-8",
            )
        with DOCS.open("a", encoding="utf-8") as out:
            out.write(text)


if __name__ == "__main__":
    main()
