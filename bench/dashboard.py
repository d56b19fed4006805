"""Plan dashboard benchmark (issue 7, item 5): does the national dashboard open in under 2 s?

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ansinh_bench_h5 \
        .venv/bin/python -m bench.dashboard [--month 2026-10] [--months 12] [--no-refresh]

Needs a database already holding the national demo (`ansinh demo --beneficiaries 3500000`, or a
copy made with CREATE DATABASE … TEMPLATE), migrated. It loads the plans, refreshes the monthly
aggregates for the last `--months` months (timed, month by month), then opens, as a country-wide
account through Django's test client (the whole view: selectors, template, SVG charts):
the national dashboard, the largest province's, one commune's, and builds the national
half-year report with its workbook. Each page is opened 5 times: the first (cold) and the median
of the other four are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "false")  # no query log in memory
    import django

    django.setup()


def _timed(fn, repeat: int = 5) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:]) if repeat > 1 else times[0], result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--no-refresh", action="store_true")
    args = parser.parse_args()
    _setup()

    import datetime as dt

    from django.db import connection
    from django.test import Client

    from ansinh.accounts.models import AreaLevel, Role, User
    from ansinh.core.months import add_months, format_month, parse_month
    from ansinh.plans.indicators import aggregates_refresh
    from ansinh.plans.models import MonthlyAggregate
    from ansinh.plans.reports import report_build, report_workbook
    from ansinh.plans.services import plans_load

    month = parse_month(args.month)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM decisions_entitlement")
        entitlements = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM registry_person")
        persons = cursor.fetchone()[0]
    print(f"database {connection.settings_dict['NAME']}: {persons:,} persons, {entitlements:,} entitlements")
    print(f"load average before: {os.getloadavg()}")
    plans_load(actor=None)

    if not args.no_refresh:
        total = 0.0
        for i in range(args.months - 1, -1, -1):
            m = add_months(month, -i)
            start = time.perf_counter()
            steps = []

            def progress(done, total, message, steps=steps):
                steps.append((message.split(": ")[-1], time.perf_counter()))

            result = aggregates_refresh(m, "", progress=progress)
            elapsed = time.perf_counter() - start
            marks = [start] + [t for _, t in steps]
            print(
                "  " + ", ".join(f"{name} {b - a:.1f} s" for (name, b), a in zip(steps, marks, strict=False))
            )
            total += elapsed
            print(f"aggregates_refresh {format_month(m)} (country): {elapsed:.1f} s, {result['rows']:,} rows")
        print(f"aggregates_refresh, {args.months} months: {total:.1f} s in all")
    print(f"aggregate rows: {MonthlyAggregate.objects.count():,}")

    user, _ = User.objects.get_or_create(
        username="bench_quoc_gia", defaults={"role": Role.PROVINCIAL_OFFICER, "area_level": AreaLevel.COUNTRY}
    )
    client = Client()
    client.force_login(user)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT province_code, max(commune_code) FROM plans_monthlyaggregate WHERE month = %s AND dimension = '' "
            "AND indicator = 'monthly_allowance_coverage' GROUP BY province_code ORDER BY sum(denominator) DESC LIMIT 1",
            [month],
        )
        province, commune = cursor.fetchone()

    def page(area: str):
        def get():
            response = client.get("/chi-tieu/", {"khu_vuc": area, "thang": format_month(month)})
            assert response.status_code == 200, response.status_code
            return len(response.content)

        return get

    from django.db.models import Count

    from ansinh.plans.models import Plan

    planned = (
        Plan.objects.annotate(n=Count("targets")).order_by("-n").values_list("province_id", flat=True)[0]
    )
    pages = (
        ("national", ""),
        (f"province {province} (most beneficiaries)", province),
        (f"province {planned} (most plan targets)", planned),
        (f"commune {commune}", commune),
    )
    for label, area in pages:
        cold, warm, size = _timed(page(area))
        print(f"dashboard {label}: first {cold:.2f} s, median of next 4 {warm:.2f} s ({size:,} bytes)")

    def report():
        built = report_build(
            user=user,
            area_code="",
            date_from=dt.date(month.year, 1, 1),
            date_to=add_months(month, 1) - dt.timedelta(days=1),
        )
        return len(report_workbook(built))

    cold, warm, size = _timed(report, repeat=3)
    print(
        f"national report (Forms 05, 06) + workbook: first {cold:.2f} s, median {warm:.2f} s ({size:,} bytes)"
    )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
