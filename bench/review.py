"""The monthly-review benchmark (issue 3, item 7): `python -m bench.review` (or `make bench-review`).

Reviews every open entitlement of a demo database built by `ansinh demo` (3.5 million
beneficiaries for the national goal: "in minutes, not hours") with `review_run`, in a fresh
process, and reports the wall time split into SQL fetch, the law (one openfisca simulation per
chunk) and the write (COPY + INSERT … SELECT), the rows reviewed and raised, the peak memory of
the Python process and of its PostgreSQL backend, and the machine's load. A second run of the same
month measures the idempotent re-run. Figures are printed and appended to docs/benchmarks.md.

    python -m bench.review --db ansinh_bench_h1                      # an existing demo database
    python -m bench.review --db ansinh_bench_h1 --build 3500000      # build it first (~9 min)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

from bench.run import (
    DOCS,
    ansinh,
    backend_peak_mb,
    machine,
    pg_version,
    server_url,
    with_database,
    worker_result,
)


def build(url: str, db: str, size: int, month: str) -> float:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
        conn.execute(f"CREATE DATABASE \"{db}\" ENCODING 'UTF8' TEMPLATE template0")
    env = dict(os.environ, DATABASE_URL=with_database(url, db))
    ansinh(["migrate", "--no-input", "-v0"], env)
    ansinh(["areas_load"], env)
    return ansinh(
        ["demo", "--beneficiaries", str(size), "--month", month, "--history-months", "1", "--no-progress"],
        env,
    )


def worker(month: str, area: str) -> None:
    """Runs in a child process so its ru_maxrss is its own."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection

    from ansinh.review import engine, services

    timings = {"fetch": 0.0, "law": 0.0, "chunks": 0}
    fetch, evaluate = engine.fetch_chunk, engine.evaluate

    def timed_fetch(*args, **kwargs):
        started = time.monotonic()
        try:
            return fetch(*args, **kwargs)
        finally:
            timings["fetch"] += time.monotonic() - started

    def timed_evaluate(*args, **kwargs):
        started = time.monotonic()
        try:
            return evaluate(*args, **kwargs)
        finally:
            timings["law"] += time.monotonic() - started
            timings["chunks"] += 1

    engine.fetch_chunk, engine.evaluate = timed_fetch, timed_evaluate
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    result: dict = {"load_average": round(os.getloadavg()[0], 2)}
    started = time.monotonic()
    run = services.review_run(month=dt.date.fromisoformat(month + "-01"), area_code=area)
    result.update(
        seconds=time.monotonic() - started,
        reviewed=run.reviewed,
        items=run.item_count,
        fetch_seconds=timings["fetch"],
        law_seconds=timings["law"],
        chunks=timings["chunks"],
        python_peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        backend_peak_mb=backend_peak_mb(backend),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reason, count(*) FROM review_reviewitem WHERE month = %s GROUP BY reason ORDER BY 2 DESC",
            [month + "-01"],
        )
        result["by_reason"] = dict(cursor.fetchall())
    print("RESULT " + json.dumps(result), flush=True)


def run_worker(month: str, area: str, env: dict) -> dict:
    return worker_result(["bench.review", "--worker", "--month", month, "--area", area], env)


def report(
    first: dict, second: dict, *, command: str, url: str, db: str, month: str, built: float | None
) -> str:
    info = machine()
    version, settings = pg_version(url)
    lines = [
        f"\n## Monthly review (issue 3), run of {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M')} UTC",
        "",
        f"- Command: `{command}`",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_gb']} GB RAM; Python {info['python']}",
        f"- PostgreSQL {version} ({', '.join(f'{k}={v}' for k, v in sorted(settings.items()))})",
        f"- Data: database `{db}` built by `ansinh demo --beneficiaries 3500000 --month {month} --history-months 1`"
        + (f" ({built:.0f} s)" if built else "")
        + f"; month reviewed: {month}, whole country.",
        "",
        "| Run | Entitlements reviewed | Items raised | Wall time | SQL fetch | Law (openfisca) | Write + rest | Rows/s | Python peak | Backend peak | Load (1 min) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in (("first", first), ("again (idempotent)", second)):
        rest = r["seconds"] - r["fetch_seconds"] - r["law_seconds"]
        backend = f"{r['backend_peak_mb']:.0f} MB" if r.get("backend_peak_mb") else "n/a"
        lines.append(
            f"| {name} | {r['reviewed']:,} | {r['items']:,} | {r['seconds']:.0f} s | {r['fetch_seconds']:.0f} s "
            f"| {r['law_seconds']:.0f} s ({r['chunks']} chunks) | {rest:.0f} s | {r['reviewed'] / r['seconds']:,.0f} "
            f"| {r['python_peak_mb']:.0f} MB | {backend} | {r['load_average']} |"
        )
    lines += [
        "",
        "Items by reason (first run): "
        + ", ".join(f"{reason} {count:,}" for reason, count in first["by_reason"].items())
        + ".",
        "",
        f"Goal (3.5 million beneficiaries reviewed in minutes, not hours): {first['seconds'] / 60:.1f} minutes → "
        f"{'met' if first['seconds'] < 3600 else 'NOT met'}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.review", description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="ansinh_bench_review")
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--area", default="")
    parser.add_argument(
        "--build", type=int, default=0, help="build the demo database with N beneficiaries first"
    )
    parser.add_argument(
        "--no-docs", action="store_true", help="print only, do not append to docs/benchmarks.md"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.month, args.area)
        return
    url = server_url()
    built = build(url, args.db, args.build, args.month) if args.build else None
    env = dict(os.environ, DATABASE_URL=with_database(url, args.db))
    ansinh(["migrate", "--no-input", "-v0"], env)
    first = run_worker(args.month, args.area, env)
    print(
        f"first run: {first['reviewed']:,} reviewed, {first['items']:,} items in {first['seconds']:.1f} s",
        flush=True,
    )
    second = run_worker(args.month, args.area, env)
    print(
        f"again: {second['reviewed']:,} reviewed, {second['items']:,} items in {second['seconds']:.1f} s",
        flush=True,
    )
    command = "python -m bench.review " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(first, second, command=command.strip(), url=url, db=args.db, month=args.month, built=built)
    print(text)
    if not args.no_docs:
        with Path(DOCS).open("a", encoding="utf-8") as out:
            out.write(text)


if __name__ == "__main__":
    main()
