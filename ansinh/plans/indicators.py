"""How each computed indicator is counted, written once, and the set-based refresh of the monthly
aggregates the dashboard and the reports read.

Each definition is one SELECT giving one row per counted unit (a person, a household, a commune)
with its commune, sex, age group and category, and 0/1 flags `num` and `den` (NULL `den` when the
denominator comes from the table the province fills). `aggregates_refresh` wraps every definition
in the same INSERT … SELECT … GROUP BY GROUPING SETS, so the commune totals and the breakdowns by
sex, age group and category come out of one pass, whatever the size of the country.
"""

import datetime as dt
from collections.abc import Callable

from django.db import connection, transaction

from ansinh.areas.models import Commune, Province
from ansinh.core.errors import InvalidInput
from ansinh.core.months import current_month, format_month, month_start, next_month, parse_month

PAID_BENEFITS = "('monthly_allowance', 'social_pension')"

# Age on 31 December of the month's year, as the registry may hold only a year of birth.
AGE_GROUP = """CASE WHEN %(year)s - p.birth_year < 16 THEN 'duoi_16'
                    WHEN %(year)s - p.birth_year < 60 THEN '16_59'
                    WHEN %(year)s - p.birth_year < 80 THEN '60_79'
                    ELSE 'tu_80' END"""

AGE_GROUP_LABELS = {
    "duoi_16": "Dưới 16 tuổi",
    "16_59": "Từ đủ 16 đến dưới 60 tuổi",
    "60_79": "Từ đủ 60 đến dưới 80 tuổi",
    "tu_80": "Từ đủ 80 tuổi",
}
SEX_LABELS = {"M": "Nam", "F": "Nữ"}

# One row per person with an entitlement paying in the month (started, not ended, not suspended).
ACTIVE_ENTITLEMENT = f"""
    SELECT DISTINCT ON (e.person_id) e.person_id, e.commune_id AS commune_code, e.category
    FROM decisions_entitlement e JOIN areas_commune c ON c.code = e.commune_id
    WHERE e.benefit IN {PAID_BENEFITS}
      AND e.start_month <= %(m)s AND (e.end_month IS NULL OR e.end_month > %(m)s)
      AND (e.suspended_from IS NULL OR e.suspended_from > %(m)s) AND {{area}}
    ORDER BY e.person_id, e.benefit
"""

# The latest disability determination of each person up to the end of the month.
LATEST_DISABILITY = """
    SELECT DISTINCT ON (d.person_id) d.person_id, d.level
    FROM registry_disabilitydetermination d
    JOIN registry_person p ON p.id = d.person_id
    JOIN areas_commune c ON c.code = p.commune_id
    WHERE d.determined_on < %(m_next)s AND {area}
    ORDER BY d.person_id, d.determined_on DESC, d.id DESC
"""

ALIVE = "(p.date_of_death IS NULL OR p.date_of_death >= %(m)s)"

DEFINITIONS: dict[str, str] = {
    # Received the allowance (a live line in the month's payroll) among those with an active decision.
    "monthly_allowance_coverage": f"""
        WITH ent AS ({ACTIVE_ENTITLEMENT}),
        paid AS (
            SELECT l.person_id, sum(l.amount) AS amount
            FROM payments_payrollrun r
            JOIN areas_commune c ON c.code = r.commune_id
            JOIN payments_paymentline l ON l.run_id = r.id
            WHERE r.month = %(m)s AND l.benefit IN {PAID_BENEFITS}
              AND l.status NOT IN ('failed', 'uncollected', 'cancelled') AND {{area}}
            GROUP BY l.person_id
        )
        SELECT ent.commune_code, p.sex, {AGE_GROUP} AS age_group, ent.category,
               (paid.person_id IS NOT NULL)::int AS num, 1 AS den, coalesce(paid.amount, 0) AS amount
        FROM ent JOIN registry_person p ON p.id = ent.person_id
        LEFT JOIN paid ON paid.person_id = ent.person_id
    """,
    # Bến Tre 2022: 100% of people with a severe or especially severe disability assisted.
    "severe_disability_assisted": f"""
        WITH d AS ({LATEST_DISABILITY})
        SELECT p.commune_id AS commune_code, p.sex, {AGE_GROUP} AS age_group, '' AS category,
               EXISTS (
                   SELECT 1 FROM decisions_entitlement e
                   WHERE e.person_id = d.person_id AND e.benefit = 'monthly_allowance'
                     AND e.start_month <= %(m)s AND (e.end_month IS NULL OR e.end_month > %(m)s)
                     AND (e.suspended_from IS NULL OR e.suspended_from > %(m)s)
               )::int AS num,
               1 AS den, 0 AS amount
        FROM d JOIN registry_person p ON p.id = d.person_id
        WHERE d.level IN ('severe', 'especially_severe') AND {ALIVE}
    """,
    # Yên Bái: communes managing their monthly beneficiaries in the software.
    "communes_using_system": f"""
        SELECT c.code AS commune_code, NULL AS sex, NULL AS age_group, NULL AS category,
               EXISTS (
                   SELECT 1 FROM decisions_entitlement e
                   WHERE e.commune_id = c.code AND e.benefit IN {PAID_BENEFITS}
                     AND e.start_month <= %(m)s AND (e.end_month IS NULL OR e.end_month > %(m)s)
                     AND (e.suspended_from IS NULL OR e.suspended_from > %(m)s)
               )::int AS num,
               1 AS den, 0 AS amount
        FROM areas_commune c
        WHERE {{area}}
    """,
    # Bến Tre 2022: 90% of disabled people have a determined level; total from the table.
    "disability_determined": f"""
        WITH d AS ({LATEST_DISABILITY})
        SELECT p.commune_id AS commune_code, p.sex, {AGE_GROUP} AS age_group, '' AS category,
               1 AS num, NULL::int AS den, 0 AS amount
        FROM d JOIN registry_person p ON p.id = d.person_id
        JOIN areas_commune c ON c.code = p.commune_id
        WHERE {ALIVE} AND {{area}}
    """,
    # Bến Tre 2022: 80% of older people insured. Only the state-paid card of an allowance or
    # social pension is held here; the total of older people comes from the table.
    "elderly_health_insurance": f"""
        WITH ent AS ({ACTIVE_ENTITLEMENT})
        SELECT ent.commune_code, p.sex, {AGE_GROUP} AS age_group, '' AS category,
               1 AS num, NULL::int AS den, 0 AS amount
        FROM ent JOIN registry_person p ON p.id = ent.person_id
        WHERE %(year)s - p.birth_year >= 60
    """,
    # Bến Tre 2022: poverty rate 3% by end 2022; households of the year's review / all households.
    "poverty_rate": """
        SELECT h.commune_id AS commune_code, NULL AS sex, NULL AS age_group, NULL AS category,
               1 AS num, NULL::int AS den, 0 AS amount
        FROM registry_householdpoverty hp
        JOIN registry_household h ON h.id = hp.household_id
        JOIN areas_commune c ON c.code = h.commune_id
        WHERE hp.year = %(year)s AND hp.status = 'poor' AND {area}
    """,
}

DIMENSIONS = {
    "monthly_allowance_coverage": ["sex", "age_group", "category"],
    "severe_disability_assisted": ["sex", "age_group"],
    "communes_using_system": [],
    "disability_determined": ["sex", "age_group"],
    "elderly_health_insurance": ["sex", "age_group"],
    "poverty_rate": [],
}


def area_condition(area_code: str | None, alias: str = "c") -> tuple[str, dict]:
    """SQL condition on an areas_commune alias for '' (country), a province or a commune code."""
    area_code = (area_code or "").strip()
    if area_code == "":
        return "TRUE", {}
    if len(area_code) == 2 and area_code.isdigit():
        if not Province.objects.filter(code=area_code).exists():
            raise InvalidInput.for_field(
                "area", f"Mã tỉnh “{area_code}” không tồn tại: chọn một tỉnh trong danh sách."
            )
        return f"{alias}.province_id = %(area)s", {"area": area_code}
    if len(area_code) == 5 and area_code.isdigit():
        if not Commune.objects.filter(code=area_code).exists():
            raise InvalidInput.for_field(
                "area", f"Mã xã “{area_code}” không tồn tại: chọn một xã trong danh sách."
            )
        return f"{alias}.code = %(area)s", {"area": area_code}
    raise InvalidInput.for_field(
        "area",
        f"Mã địa bàn “{area_code}” không hợp lệ: 5 chữ số cho xã, 2 chữ số cho tỉnh, để trống cho cả nước.",
    )


def _insert_sql(code: str, area_sql: str) -> str:
    dims = DIMENSIONS[code]
    base = DEFINITIONS[code].replace("{area}", area_sql)
    sets = ", ".join(["()"] + [f"(b.{d})" for d in dims])
    dim_case = " ".join(f"WHEN GROUPING(b.{d}) = 0 THEN '{d}'" for d in dims)
    grp_case = " ".join(f"WHEN GROUPING(b.{d}) = 0 THEN coalesce(b.{d}::text, '')" for d in dims)
    dim_expr = f"CASE {dim_case} ELSE '' END" if dims else "''"
    grp_expr = f"CASE {grp_case} ELSE '' END" if dims else "''"
    return f"""
        INSERT INTO plans_monthlyaggregate
            (month, commune_code, province_code, indicator, dimension, grp, numerator, denominator, amount, refreshed_at)
        SELECT %(m)s, b.commune_code, cc.province_id, '{code}', {dim_expr}, {grp_expr},
               sum(b.num), sum(b.den), sum(b.amount), now()
        FROM ({base}) b JOIN areas_commune cc ON cc.code = b.commune_code
        GROUP BY b.commune_code, cc.province_id, GROUPING SETS ({sets})
    """


# Each province's totals, summed from its communes' rows after every refresh: the country's and
# a province's dashboard read 34 rows a month instead of 3,321.
ROLLUP_DIMENSION = "tinh"
ROLLUP_DELETE = """
    DELETE FROM plans_monthlyaggregate
    WHERE month = %(m)s AND dimension = 'tinh' AND province_code = ANY(%(provinces)s)
"""
ROLLUP_INSERT = """
    INSERT INTO plans_monthlyaggregate
        (month, commune_code, province_code, indicator, dimension, grp, numerator, denominator, amount, refreshed_at)
    SELECT month, '', province_code, indicator, 'tinh', province_code,
           sum(numerator), sum(denominator), sum(amount), now()
    FROM plans_monthlyaggregate
    WHERE month = %(m)s AND dimension = '' AND province_code = ANY(%(provinces)s)
    GROUP BY month, province_code, indicator
"""


def _provinces_of(area_code: str | None) -> list[str]:
    area_code = (area_code or "").strip()
    if area_code == "":
        return list(Province.objects.values_list("code", flat=True))
    if len(area_code) == 2:
        return [area_code]
    return list(Commune.objects.filter(code=area_code).values_list("province_id", flat=True))


def rollups_refresh(month, area_code: str | None = None) -> int:
    """Rebuild the provinces' totals of the month from the commune rows already counted."""
    params = {"m": _one_month(month), "provinces": _provinces_of(area_code)}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(ROLLUP_DELETE, params)
        cursor.execute(ROLLUP_INSERT, params)
        return cursor.rowcount


def _one_month(month) -> dt.date:
    if isinstance(month, dt.date):
        return month_start(month)
    if isinstance(month, str) and len(month.strip()) == 10:  # "2026-11-01", as a job's JSON carries it
        try:
            return month_start(dt.date.fromisoformat(month.strip()))
        except ValueError:
            pass
    return parse_month(month, field="month")


def _months(month) -> list[dt.date]:
    if month is None:
        return [current_month()]
    if isinstance(month, (str, dt.date)):
        return [_one_month(month)]
    return [_one_month(m) for m in month]


def aggregates_refresh(
    month=None, area_code: str | None = None, *, progress: Callable[[int, int, str], None] | None = None
) -> dict:
    """Recount every computed indicator for the month(s) and area, set-based, replacing the rows.

    `month`: a date, '2026-11', a list of them, or None for this month. `area_code`: '' or None
    for the country, 2 digits for a province, 5 for a commune. One transaction per month: a
    refresh killed half-way leaves the previous figures in place, and running it twice gives the
    same rows. Call it after a payroll run and after an import commits.
    """
    months = _months(month)
    area_sql, area_params = area_condition(area_code)
    delete_sql, _ = area_condition(area_code, alias="a")
    delete_sql = delete_sql.replace("a.province_id", "a.province_code").replace("a.code", "a.commune_code")
    steps = len(months) * len(DEFINITIONS)
    done = 0
    rows = 0
    for m in months:
        params = {"m": m, "m_next": next_month(m), "year": m.year, **area_params}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM plans_monthlyaggregate a WHERE a.month = %(m)s AND {delete_sql}", params
            )
            for code in DEFINITIONS:
                cursor.execute(_insert_sql(code, area_sql), params)
                rows += cursor.rowcount
                done += 1
                if progress:
                    progress(done, steps, f"Tháng {format_month(m)}: {code}")
            rollup = {"m": m, "provinces": _provinces_of(area_code)}
            cursor.execute(ROLLUP_DELETE, rollup)
            cursor.execute(ROLLUP_INSERT, rollup)
    return {"months": [format_month(m) for m in months], "rows": rows, "area_code": area_code or ""}
