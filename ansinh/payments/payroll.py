"""The monthly payroll (danh sách chi trả): one set-based run per month and area.

For each commune in the area, one PayrollRun for the month holds one payment line per
beneficiary with an active, unsuspended entitlement, at round_half_up(coefficient × the level in
force that month: the province's own level if it has one, else the national one), plus arrears
(truy lĩnh): every earlier month of an entitlement that has no live payment line yet.

How it stays fast and safe:
- Lines are written set-based per chunk of communes, over generate_series of the months each
  entitlement still owes, joined to a month-by-month table of levels. No Python loop per row.
- payments_paymentline is partitioned by month (ansinh.payments.partitions). A run over the whole
  country, or the first run of a month, rebuilds the month's partition as a new table: lines
  written without indexes, indexes built once by sorting, then DETACH/DROP/ATTACH (_BulkBuild).
  Other runs (a commune or a province again) INSERT … ON CONFLICT into the partition. Arrears of
  earlier months always go by INSERT … ON CONFLICT. See docs/decisions.md.
- Difference lines of a retroactive level change (ansinh.payments.arrears) wait without a run;
  each build takes those of its communes, after issuing again the differences that failed or
  were not collected (_REISSUE_DIFFERENCES).
- The months an entitlement owes are those since the commune's previous payroll, plus those from
  `Entitlement.arrears_from` (set by a grant, a resume, a withdrawn line). So a steady month reads
  one month per entitlement, never its whole history.
- The partial unique index payment_once_per_person_benefit_month makes paying a month twice
  impossible; the INSERT skips such months with ON CONFLICT DO NOTHING (a month already paid by
  another commune's or an approved payroll stays paid there). Failed, uncollected and cancelled
  lines are not in it: their months are owed again (reconciliation sets arrears_from), except an
  uncollected month while a suspension is in force, which waits for the review.
- Approval is not here: ansinh.payments.lifecycle takes a payroll draft → checked (payees
  frozen) → approved.
- The whole run is one transaction: killed half-way, it leaves nothing. Running it again deletes
  the DRAFT lines of the runs it rebuilds and inserts them again, so the result is identical.
  Runs that were checked, approved or sent are frozen and skipped.
"""

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ansinh.accounts.roles import can_prepare
from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import Commune, Province
from ansinh.core.audit import audit_bulk, audit_record
from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.months import add_months, current_month, format_month, month_start, parse_month
from ansinh.payments.models import NOT_LIVE, PayrollStatus
from ansinh.payments.partitions import PARENT, index_definitions, partition_ensure, partition_name

# Serialises payroll runs (and line withdrawals) so two runs never race on the same months.
PAYROLL_LOCK_KEY = 7_263_150_001
DEFAULT_CHUNK_COMMUNES = 50

# Lines whose money did not reach the person (failed, uncollected) or was cancelled: not "paid",
# their month is owed again (Decree 335/2026 Art. 28: carried forward as arrears).
NOT_LIVE_SQL = "(" + ", ".join(f"'{status}'" for status in NOT_LIVE) + ")"

# The partial unique index payment_once_per_person_benefit_month, as ON CONFLICT must name it.
_ONCE_INDEX = "payment_once_per_person_benefit_month"
_ONCE_PER_MONTH = (
    "ON CONFLICT (person_id, benefit, month) "
    f"WHERE ((kind = 'regular') AND NOT (status IN {NOT_LIVE_SQL})) DO NOTHING"
)
DIFFERENCE_ONCE = (
    "ON CONFLICT (person_id, benefit, month, level) "
    f"WHERE ((kind = 'difference') AND NOT (status IN {NOT_LIVE_SQL})) DO NOTHING"
)


# While a suspension is in force (suspended_from on or before the payroll month), a month the
# person did not collect is not paid again: the review decides (Decree 335/2026 Art. 9(4): a
# resume pays from the suspension date and marks arrears_from again, which keeps these months).
def held_uncollected(*, suspended: str, row: str, kind: str) -> str:
    """SQL: `suspended` (a suspension in force) and `row` (person_id, benefit, month) has an
    uncollected line of kind `kind` (an SQL expression). `suspended` is evaluated first, so the
    lookup runs only for the few suspended entitlements."""
    return f"""({suspended} AND EXISTS (
        SELECT 1 FROM payments_paymentline u
         WHERE u.person_id = {row}.person_id AND u.benefit = {row}.benefit AND u.month = {row}.month
           AND u.kind = {kind} AND u.status = 'uncollected'))"""


@dataclass
class CommuneResult:
    commune_code: str
    commune_name: str
    run_id: int
    status: str
    line_count: int
    total_amount: int
    arrears_amount: int
    frozen: bool = False


@dataclass
class PayrollSummary:
    month: dt.date
    area_code: str
    communes: list[CommuneResult] = field(default_factory=list)

    @property
    def line_count(self) -> int:
        return sum(c.line_count for c in self.communes)

    @property
    def total_amount(self) -> int:
        return sum(c.total_amount for c in self.communes)

    @property
    def arrears_amount(self) -> int:
        return sum(c.arrears_amount for c in self.communes)

    @property
    def frozen(self) -> list[CommuneResult]:
        return [c for c in self.communes if c.frozen]


def _check_month(month) -> dt.date:
    if isinstance(month, str):
        month = parse_month(month, field="month")
    elif isinstance(month, dt.date):
        month = month_start(month)
    else:
        raise InvalidInput.for_field("month", "Chưa chọn tháng chi trả (dạng 2026-11).")
    now = current_month()
    if month > now:
        raise InvalidInput.for_field(
            "month",
            f"Tháng {format_month(month)} chưa đến: chỉ lập danh sách chi trả đến tháng hiện tại "
            f"({format_month(now)}).",
        )
    return month


def _area_filter(area_code: str) -> tuple[str, list]:
    """SQL condition on areas_commune `c` for the area, after checking the code exists."""
    area_code = (area_code or "").strip()
    if area_code == "":
        return "TRUE", []
    if len(area_code) == 2 and area_code.isdigit():
        if not Province.objects.filter(code=area_code).exists():
            raise InvalidInput.for_field("area", f"Mã tỉnh “{area_code}” không tồn tại.")
        return "c.province_id = %s", [area_code]
    if len(area_code) == 5 and area_code.isdigit():
        if not Commune.objects.filter(code=area_code).exists():
            raise InvalidInput.for_field("area", f"Mã xã “{area_code}” không tồn tại.")
        return "c.code = %s", [area_code]
    raise InvalidInput.for_field(
        "area",
        f"Mã địa bàn “{area_code}” không hợp lệ: 5 chữ số cho xã, 2 chữ số cho tỉnh, để trống cho cả nước.",
    )


def communes_in_area(area_code: str):
    """The communes of an area code (checked: InvalidInput naming "area" when unknown)."""
    _area_filter(area_code)
    area_code = (area_code or "").strip()
    if area_code == "":
        return Commune.objects.all()
    if len(area_code) == 2:
        return Commune.objects.filter(province_id=area_code)
    return Commune.objects.filter(code=area_code)


def _create_level_table(cursor, month: dt.date) -> None:
    """payroll_levels(province_code, kind, base, amounts): for each province and level kind, the
    level in force each month from the first dated level up to `month` (the province's own if
    any, else the national one), as an array indexed by month number. Looking a month up is then
    an array subscript after a hash join on (province, kind): cheap for millions of lines."""
    cursor.execute("DROP TABLE IF EXISTS payroll_levels")
    cursor.execute(
        """
        CREATE TEMP TABLE payroll_levels ON COMMIT DROP AS
        SELECT province_code, kind,
               min(month_index) AS base,
               array_agg(amount ORDER BY month_index) AS amounts
          FROM (
            SELECT p.code AS province_code, k.kind,
                   (extract(year FROM m.month) * 12 + extract(month FROM m.month))::int AS month_index,
                   coalesce(
                     (SELECT b.amount FROM payments_benefitlevel b
                       WHERE b.kind = k.kind AND b.province_code = p.code
                         AND b.valid_from <= m.month AND (b.valid_to IS NULL OR b.valid_to > m.month)
                       ORDER BY b.valid_from DESC LIMIT 1),
                     (SELECT b.amount FROM payments_benefitlevel b
                       WHERE b.kind = k.kind AND b.province_code = ''
                         AND b.valid_from <= m.month AND (b.valid_to IS NULL OR b.valid_to > m.month)
                       ORDER BY b.valid_from DESC LIMIT 1)
                   ) AS amount
              FROM areas_province p
             CROSS JOIN (VALUES ('standard'), ('social_pension')) AS k(kind)
             CROSS JOIN generate_series(
                    (SELECT coalesce(min(valid_from), %(month)s) FROM payments_benefitlevel),
                    %(month)s::date, interval '1 month') AS m(month)
          ) AS monthly
         GROUP BY province_code, kind
        """,
        {"month": month},
    )
    cursor.execute("ANALYZE payroll_levels")


def _create_runs(cursor, month: dt.date, area_sql: str, area_params: list, actor_id) -> None:
    """One PayrollRun per commune of the area that has anything to pay for the month."""
    cursor.execute(
        f"""
        WITH area AS (
            SELECT c.code,
                   (SELECT max(p.month) + interval '1 month' FROM payments_payrollrun p
                     WHERE p.commune_id = c.code AND p.month < %s) AS prev_next
              FROM areas_commune c WHERE {area_sql}
        )
        INSERT INTO payments_payrollrun
               (commune_id, month, status, prepared_by_id, line_count, total_amount, arrears_amount)
        SELECT a.code, %s, 'draft', %s, 0, 0, 0
          FROM area a
         WHERE EXISTS (
                SELECT 1 FROM decisions_entitlement e
                 WHERE e.commune_id = a.code AND e.start_month <= %s AND e.benefit <> 'funeral_support'
                   AND (e.end_month IS NULL OR e.arrears_from IS NOT NULL
                        OR e.end_month > coalesce(a.prev_next, %s)))
            -- or a level difference waits for this commune's next payroll (ansinh.payments.arrears)
            OR EXISTS (SELECT 1 FROM payments_paymentline l
                        WHERE l.run_id IS NULL AND l.kind = 'difference' AND l.commune_code = a.code
                          AND l.status NOT IN {NOT_LIVE_SQL})
        ON CONFLICT (commune_id, month) DO NOTHING
        """,
        [month, *area_params, month, actor_id, month, month],
    )


_FILL_CHUNK = """
INSERT INTO payroll_chunk (run_id, commune_id, province_code, prev_next)
SELECT r.id, r.commune_id, c.province_id,
       (SELECT max(p.month) + interval '1 month' FROM payments_payrollrun p
         WHERE p.commune_id = r.commune_id AND p.month < %(month)s)::date
  FROM payments_payrollrun r JOIN areas_commune c ON c.code = r.commune_id
 WHERE r.id = ANY(%(run_ids)s::bigint[])
"""

# Rebuilding a draft: its regular lines go; the arrears months among them are owed again. In a
# bulk build the month's own lines go with the month's old partition ({months}).
_DELETE_DRAFT_LINES = """
WITH gone AS (
    DELETE FROM payments_paymentline l
     WHERE l.run_id = ANY(%(run_ids)s::bigint[]) AND l.kind = 'regular' {months}
    RETURNING l.entitlement_id, l.month
)
UPDATE decisions_entitlement e
   SET arrears_from = least(e.arrears_from, g.month)
  FROM (SELECT entitlement_id, min(month) AS month FROM gone
         WHERE month < %(month)s GROUP BY entitlement_id) AS g
 WHERE e.id = g.entitlement_id
"""

# Decree 335/2026 Art. 8: nothing is paid for a month after the month of death, whether or not
# the stop decision is signed yet (the monthly review proposes it). Read through the partial index
# of the deceased, so the country's build pays only for the few who died.
_DEAD_BEFORE = (
    "EXISTS (SELECT 1 FROM registry_person d WHERE d.id = {person} AND d.date_of_death IS NOT NULL"
    " AND d.date_of_death < {month})"
)

# Months owed by each entitlement: from the earliest of (arrears_from, the month after the
# commune's previous payroll, this month), not before it started, up to %(last)s (this month, or
# the month before in a bulk build), before it ended (end_month is exclusive) and before any
# suspension. LEAST/GREATEST skip NULLs. A month with no level in force (before the first dated
# level) gives a NULL level and no line.
_INSERT_LINES = f"""
INSERT INTO payments_paymentline
       (run_id, person_id, entitlement_id, commune_code, benefit, category, month, kind,
        coefficient, level, amount, is_arrears, status)
SELECT run_id, person_id, entitlement_id, commune_id, benefit, category, month, 'regular',
       coefficient, level, round(coefficient * level)::bigint, month < %(month)s, 'due'
  FROM (
    SELECT r.run_id, e.person_id, e.id AS entitlement_id, e.commune_id, e.benefit, e.category,
           e.coefficient, g.month::date AS month, coalesce(e.suspended_from <= %(month)s, false) AS held,
           lv.amounts[(extract(year FROM g.month) * 12 + extract(month FROM g.month))::int - lv.base + 1] AS level
      FROM payroll_chunk r
      JOIN decisions_entitlement e ON e.commune_id = r.commune_id
      JOIN payroll_levels lv
        ON lv.province_code = r.province_code
       AND lv.kind = CASE WHEN e.benefit = 'social_pension' THEN 'social_pension' ELSE 'standard' END
     CROSS JOIN LATERAL generate_series(
            greatest(e.start_month, least(e.arrears_from, r.prev_next, %(month)s::date))::timestamp,
            least(%(last)s::date, e.end_month - interval '1 month', e.suspended_from - interval '1 month'),
            interval '1 month') AS g(month)
     WHERE e.start_month <= %(month)s AND e.benefit <> 'funeral_support' {{owing}}
  ) AS owed
 WHERE level IS NOT NULL AND NOT {held_uncollected(suspended="held", row="owed", kind="'regular'")}
   AND NOT {_DEAD_BEFORE.format(person="owed.person_id", month="owed.month")}
{_ONCE_PER_MONTH}
"""

# Bulk build: the month's own lines, one per entitlement in force that month, into the new
# partition table (no index yet, so no ON CONFLICT: lines of the month kept from frozen payrolls
# are excluded by {kept}).
_INSERT_MONTH = """
INSERT INTO {table}
       (id, run_id, person_id, entitlement_id, commune_code, benefit, category, month, kind,
        coefficient, level, amount, is_arrears, status)
SELECT nextval(%(sequence)s::regclass), r.run_id, e.person_id, e.id, e.commune_id, e.benefit, e.category,
       %(month)s::date, 'regular', e.coefficient, lv.level, round(e.coefficient * lv.level)::bigint, false, 'due'
  FROM payroll_chunk r
  JOIN decisions_entitlement e ON e.commune_id = r.commune_id
  JOIN payroll_month_levels lv
    ON lv.province_code = r.province_code
   AND lv.kind = CASE WHEN e.benefit = 'social_pension' THEN 'social_pension' ELSE 'standard' END
 WHERE e.start_month <= %(month)s AND e.benefit <> 'funeral_support'
   AND (e.end_month IS NULL OR e.end_month > %(month)s)
   AND (e.suspended_from IS NULL OR e.suspended_from > %(month)s) {kept}
   AND NOT {dead}
"""

_NOT_KEPT = (
    "AND NOT EXISTS (SELECT 1 FROM payroll_kept k WHERE k.person_id = e.person_id AND k.benefit = e.benefit)"
)

# Everything up to this month is now paid (or suspended: a resume marks those months again).
# An open entitlement under a suspension in force keeps its mark: the months it did not collect
# were held back (_INSERT_LINES) and stay owed until the review.
_CLEAR_ARREARS = """
UPDATE decisions_entitlement e SET arrears_from = NULL
  FROM payroll_chunk r
 WHERE e.commune_id = r.commune_id AND e.arrears_from IS NOT NULL AND e.arrears_from <= %(month)s
   AND NOT (e.end_month IS NULL AND coalesce(e.suspended_from <= %(month)s, false))
"""

# What a live regular line `l` of a payroll that left draft is still owed for its month: the
# level now in force for that month in the province of the commune that paid it, minus the line
# and the live differences already recorded ({paid} gives d.paid), for the commune that pays now
# (the person's open entitlement for the benefit `o`, else the one that paid). Shared by
# `arrears compute` (ansinh.payments.arrears) and _REISSUE_DIFFERENCES. {lines} gives `l`,
# {where} restricts it.
OWED_DIFFERENCE = f"""
SELECT l.person_id, l.benefit, l.category, l.month, l.entitlement_id, l.coefficient,
       coalesce(o.commune_id, l.commune_code) AS commune_code, t.level,
       round(l.coefficient * t.level)::bigint - l.amount - coalesce(d.paid, 0) AS amount
  FROM {{lines}}
  JOIN payments_payrollrun r ON r.id = l.run_id AND r.status <> 'draft'
  JOIN areas_commune lc ON lc.code = l.commune_code
  JOIN decisions_entitlement e ON e.id = l.entitlement_id
  JOIN registry_person p ON p.id = l.person_id
  JOIN payroll_levels lv
    ON lv.province_code = lc.province_id
   AND lv.kind = CASE WHEN l.benefit = 'social_pension' THEN 'social_pension' ELSE 'standard' END
 CROSS JOIN LATERAL (
        SELECT lv.amounts[(extract(year FROM l.month) * 12 + extract(month FROM l.month))::int - lv.base + 1] AS level
       ) AS t
  LEFT JOIN decisions_entitlement o
    ON o.person_id = l.person_id AND o.benefit = l.benefit AND o.end_month IS NULL
  {{paid}}
 WHERE l.kind = 'regular' AND l.status NOT IN {NOT_LIVE_SQL} AND {{where}}
   -- Decree 335/2026 Art. 8: nothing for months the entitlement no longer covers (stop from the
   -- month after death or ineligibility), nor for a month after the month of death.
   AND l.month >= e.start_month AND (e.end_month IS NULL OR l.month < e.end_month)
   AND (p.date_of_death IS NULL OR l.month <= date_trunc('month', p.date_of_death))
   AND t.level IS NOT NULL
   AND round(l.coefficient * t.level)::bigint > l.amount + coalesce(d.paid, 0)
   -- a difference not collected waits for the review while a suspension is in force
   AND NOT {held_uncollected(suspended="coalesce(o.suspended_from <= %(month)s, false)", row="l", kind="'difference'")}
"""

# A level difference that failed or was not collected is owed again (Decree 335/2026 Art. 28):
# for each (person, benefit, month) with such a line, a new waiting difference line of what is
# still owed, computed as `arrears compute` does (round(coefficient × the level now in force) minus
# the live regular line minus the live differences), so it is never paid twice: once a new line
# is issued (or `arrears compute` wrote one), nothing more is owed and nothing more is written.
# The few unpaid differences are found through their own partial index (payment_difference_unpaid);
# the rest goes by index per row. It goes to the paying commune (the open entitlement's, else the
# line's), whose payroll takes it with the other waiting differences (_CLAIM_DIFFERENCES).
_REISSUE_DIFFERENCES = f"""
WITH issued AS (
INSERT INTO payments_paymentline
       (run_id, person_id, entitlement_id, commune_code, benefit, category, month, kind,
        coefficient, level, amount, is_arrears, status)
SELECT NULL, person_id, entitlement_id, commune_code, benefit, category, month, 'difference',
       coefficient, level, amount, true, 'due'
  FROM ({{owed}}) AS owed
{DIFFERENCE_ONCE}
RETURNING commune_code, person_id, amount
)
SELECT commune_code, count(DISTINCT person_id), count(*), sum(amount)::bigint
  FROM issued GROUP BY commune_code ORDER BY commune_code
"""

_OWED_AGAIN = OWED_DIFFERENCE.format(
    lines="""(SELECT DISTINCT u.person_id, u.benefit, u.month FROM payments_paymentline u
              WHERE u.kind = 'difference' AND u.status IN ('failed', 'uncollected')) AS unpaid
  JOIN payments_paymentline l
    ON l.person_id = unpaid.person_id AND l.benefit = unpaid.benefit AND l.month = unpaid.month""",
    paid=f"""LEFT JOIN LATERAL (
        SELECT sum(x.amount) AS paid FROM payments_paymentline x
         WHERE x.person_id = l.person_id AND x.benefit = l.benefit AND x.month = l.month
           AND x.kind = 'difference' AND x.status NOT IN {NOT_LIVE_SQL}) AS d ON true""",
    where="coalesce(o.commune_id, l.commune_code) IN (SELECT c.code FROM areas_commune c WHERE {area})",
)

# Difference lines (ansinh.payments.arrears) of the rebuilt drafts wait again, then the drafts
# take every waiting difference line of their commune.
_RELEASE_DIFFERENCES = """
UPDATE payments_paymentline SET run_id = NULL
 WHERE run_id = ANY(%(run_ids)s::bigint[]) AND kind = 'difference'
"""
_CLAIM_DIFFERENCES = f"""
WITH claimed AS (
UPDATE payments_paymentline l SET run_id = r.id, is_arrears = l.month < r.month
  FROM payments_payrollrun r
 WHERE r.id = ANY(%(run_ids)s::bigint[]) AND l.run_id IS NULL AND l.kind = 'difference'
   AND l.commune_code = r.commune_id AND l.status NOT IN {NOT_LIVE_SQL}
RETURNING l.run_id, l.amount, l.is_arrears
)
INSERT INTO payroll_totals (run_id, n, total, arrears)
SELECT run_id, count(*), sum(amount), coalesce(sum(amount) FILTER (WHERE is_arrears), 0) FROM claimed GROUP BY run_id
"""

# Per run, one aggregate over the runs' lines (set-based, whatever their number). A bulk build
# counted the month's lines and the differences as it wrote them (payroll_totals) and reads only
# the earlier months' partitions ({lines} restricted by month), through the index on
# (run_id, person_id).
_LINE_TOTALS = """
SELECT l.run_id, count(*) AS n, sum(l.amount) AS total, sum(l.amount) FILTER (WHERE l.is_arrears) AS arrears
  FROM payments_paymentline l WHERE l.run_id = ANY(%(run_ids)s::bigint[]) {only}
 GROUP BY l.run_id
"""
_UPDATE_TOTALS = """
UPDATE payments_payrollrun p
   SET line_count = coalesce(t.n, 0), total_amount = coalesce(t.total, 0),
       arrears_amount = coalesce(t.arrears, 0),
       generated_at = coalesce(%(now)s, p.generated_at),
       prepared_by_id = coalesce(%(actor)s, p.prepared_by_id)
  FROM unnest(%(run_ids)s::bigint[]) AS ids(id)
  LEFT JOIN (SELECT run_id, sum(n) AS n, sum(total) AS total, sum(arrears) AS arrears
               FROM ({lines}) AS parts GROUP BY run_id) AS t ON t.run_id = ids.id
 WHERE p.id = ids.id
RETURNING p.id, p.commune_id, p.month, p.line_count, p.total_amount, p.arrears_amount
"""
_ALL_TOTALS = _UPDATE_TOTALS.format(lines=_LINE_TOTALS.format(only=""))
_BULK_TOTALS = _UPDATE_TOTALS.format(
    lines=_LINE_TOTALS.format(only="AND l.month < %(month)s AND l.kind = 'regular'")
    + " UNION ALL SELECT run_id, n, total, arrears FROM payroll_totals"
)


def _lock(cursor) -> None:
    # The statements are simple joins repeated per chunk: JIT compilation (triggered by the row
    # estimates of generate_series) costs more than it saves, about a second per statement.
    cursor.execute(f"SELECT pg_advisory_xact_lock({int(PAYROLL_LOCK_KEY)}); SET LOCAL jit = off")


def _columns_and_sequence(cursor) -> tuple[str, str]:
    cursor.execute(
        "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum), pg_get_serial_sequence(%s, 'id') "
        "FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        [PARENT, PARENT],
    )
    return cursor.fetchone()


class _BulkBuild:
    """The month's partition rebuilt as a new table: lines kept from runs not rebuilt are copied,
    the rebuilt runs' lines of the month are written without any index, then the indexes are
    built by sorting and the table replaces the old partition (DETACH, DROP, ATTACH) in the same
    transaction. A CHECK on the month from the start lets ATTACH skip its validation scan."""

    def __init__(self, cursor, month: dt.date, drafts: list[int]):
        self.cursor, self.month, self.drafts = cursor, month, drafts
        self.partition = partition_name(month)
        self.table = f"{self.partition}_n{secrets.token_hex(3)}"
        upper = add_months(month, 1)
        self.bounds = f"FROM ('{month:%Y-%m-%d}') TO ('{upper:%Y-%m-%d}')"
        columns, self.sequence = _columns_and_sequence(cursor)
        cursor.execute(
            f"CREATE TABLE {self.table} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, "
            f"CONSTRAINT {self.table}_month CHECK (month >= '{month:%Y-%m-%d}' AND month < '{upper:%Y-%m-%d}'))"
        )
        # Lines of the month outside the rebuilt runs: those of runs of this month or later not
        # being rebuilt, and difference lines waiting for a payroll (the drafts' were released).
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM payments_payrollrun WHERE month >= %s AND id <> ALL(%s::bigint[])) "
            f"OR EXISTS (SELECT 1 FROM {self.partition} WHERE kind = 'difference' AND run_id IS NULL)",
            [month, drafts],
        )
        self.kept = False
        if cursor.fetchone()[0]:
            cursor.execute(
                f"INSERT INTO {self.table} ({columns}) SELECT {columns} FROM {self.partition} "
                "WHERE run_id IS NULL OR run_id <> ALL(%s::bigint[])",
                [drafts],
            )
            self.kept = cursor.rowcount > 0
        if self.kept:
            cursor.execute("DROP TABLE IF EXISTS payroll_kept")
            cursor.execute(
                "CREATE TEMP TABLE payroll_kept ON COMMIT DROP AS "
                f"SELECT DISTINCT person_id, benefit FROM {self.table} "
                f"WHERE kind = 'regular' AND status NOT IN {NOT_LIVE_SQL}"
            )
            cursor.execute("CREATE INDEX ON payroll_kept (person_id, benefit)")
            cursor.execute("ANALYZE payroll_kept")

    def insert(self, params: dict) -> None:
        sql = _INSERT_MONTH.format(
            table=self.table,
            kept=_NOT_KEPT if self.kept else "",
            dead=_DEAD_BEFORE.format(person="e.person_id", month="%(month)s::date"),
        )
        self.cursor.execute(sql, {**params, "sequence": self.sequence})

    def finish(self) -> None:
        cursor = self.cursor
        # The month's lines of the rebuilt runs, counted in one pass while the table is in cache
        # (cheaper than RETURNING from each INSERT).
        cursor.execute(
            f"INSERT INTO payroll_totals (run_id, n, total, arrears) SELECT run_id, count(*), sum(amount), 0 "
            f"FROM {self.table} {'WHERE run_id = ANY(%s::bigint[])' if self.kept else ''} GROUP BY run_id",
            [self.drafts] if self.kept else None,
        )
        # Deferred checks of the arrears rows fire now: a table with pending trigger events
        # cannot be detached or attached.
        creates, primary = index_definitions(cursor, self.table)
        plain = ["SET CONSTRAINTS ALL IMMEDIATE", "SET LOCAL maintenance_work_mem = '256MB'"]
        plain += [
            f"ALTER TABLE {self.table} ADD CONSTRAINT {self.table}_pkey PRIMARY KEY ({c})" for c in primary
        ]
        plain += [create for name, create in creates if name != _ONCE_INDEX]
        cursor.execute("; ".join(plain))
        for create in (create for name, create in creates if name == _ONCE_INDEX):
            try:
                with transaction.atomic():
                    cursor.execute(create)
            except IntegrityError:
                # Two entitlements of one person and benefit both in force this month (in two
                # communes): pay the month once, as the INSERT … ON CONFLICT path does.
                cursor.execute(
                    f"""DELETE FROM {self.table} t USING {self.table} d
                         WHERE t.person_id = d.person_id AND t.benefit = d.benefit AND t.id > d.id
                           AND t.kind = 'regular' AND d.kind = 'regular'
                           AND t.status NOT IN {NOT_LIVE_SQL} AND d.status NOT IN {NOT_LIVE_SQL}"""
                )
                cursor.execute(create)
        cursor.execute(
            f"ALTER TABLE {PARENT} DETACH PARTITION {self.partition}; DROP TABLE {self.partition}; "
            f"ALTER TABLE {self.table} RENAME TO {self.partition}; "
            f"ALTER TABLE {PARENT} ATTACH PARTITION {self.partition} FOR VALUES {self.bounds}"
        )


def payroll_validate(*, month, area_code: str, actor=None) -> tuple[dt.date, str]:
    """The checks of a payroll run, without running it (a background run checks before queueing):
    the month (not in the future), the area (exists) and the actor (may prepare, inside their
    area). Returns (month, area_code)."""
    month = _check_month(month)
    area_code = (area_code or "").strip()
    _area_filter(area_code)
    if actor is not None:
        if not can_prepare(actor):
            raise NotAllowed(
                "Chỉ công chức cấp xã hoặc cán bộ cấp tỉnh được lập danh sách chi trả.",
                fields={"actor": "Tài khoản này không được lập danh sách chi trả."},
            )
        if not AreaScope.for_user(actor).contains_area(area_code):
            raise NotAllowed(
                "Địa bàn này nằm ngoài địa bàn của bạn.", fields={"area": "Ngoài địa bàn của bạn."}
            )
    return month, area_code


def payroll_run(
    *,
    month,
    area_code: str,
    actor=None,
    progress: Callable[[int, int], None] | None = None,
    chunk_communes: int = DEFAULT_CHUNK_COMMUNES,
    bulk: bool | None = None,
) -> PayrollSummary:
    """Build the month's payroll for a commune (5 digits), a province (2) or the country ("").

    One transaction; `progress(done, total)` is called after each chunk of communes (inside the
    transaction, so an exception there undoes the whole run). Returns per-commune totals.

    The month's regular lines are written by a bulk build of the month's partition (see
    _BulkBuild) when the run covers the whole country or the month has no line yet; otherwise
    (a commune or a province re-run in a month other runs already wrote) by INSERT … ON CONFLICT
    into the partition. `bulk` forces one way or the other (tests, measurements).
    """
    month, area_code = payroll_validate(month=month, area_code=area_code, actor=actor)
    area_sql, area_params = _area_filter(area_code)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    summary = PayrollSummary(month=month, area_code=area_code)

    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        _create_level_table(cursor, month)
        cursor.execute(
            _REISSUE_DIFFERENCES.format(owed=_OWED_AGAIN.format(area=area_sql.replace("%s", "%(area)s"))),
            {"month": month, "area": area_params[0] if area_params else None},
        )
        audit_bulk(
            actor=actor,
            action="arrears.reissue",
            entity_type="areas.commune",
            rows=[
                {
                    "entity_id": code,
                    "area_code": code,
                    "after": {
                        "month": month.isoformat(),
                        "person_count": persons,
                        "line_count": n,
                        "amount": amount,
                    },
                }
                for code, persons, n, amount in cursor.fetchall()
            ],
        )
        _create_runs(cursor, month, area_sql, area_params, actor_id)
        cursor.execute(
            f"""
            SELECT r.id, r.commune_id, c.name, r.status, r.line_count, r.total_amount, r.arrears_amount
              FROM payments_payrollrun r JOIN areas_commune c ON c.code = r.commune_id
             WHERE r.month = %s AND {area_sql}
             ORDER BY r.commune_id
               FOR UPDATE OF r
            """,
            [month, *area_params],
        )
        runs = cursor.fetchall()
        names = {row[1]: row[2] for row in runs}
        previous = {
            row[0]: {"line_count": row[4], "total_amount": row[5], "arrears_amount": row[6]} for row in runs
        }
        for run_id, code, name, status, lines, total, arrears in runs:
            if status != PayrollStatus.DRAFT:
                summary.communes.append(
                    CommuneResult(code, name, run_id, status, lines, total, arrears, frozen=True)
                )
        drafts = [row[0] for row in runs if row[3] == PayrollStatus.DRAFT]
        total_chunks = (len(drafts) + chunk_communes - 1) // chunk_communes
        if progress:
            progress(0, total_chunks)
        if not drafts:
            summary.communes.sort(key=lambda c: c.commune_code)
            return summary

        partition = partition_ensure(cursor, month)
        if bulk is None:
            cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {partition})")
            bulk = area_code == "" or cursor.fetchone()[0]
        params = {"month": month, "run_ids": drafts, "now": timezone.now(), "actor": actor_id}
        cursor.execute(_RELEASE_DIFFERENCES, params)
        cursor.execute(
            "DROP TABLE IF EXISTS payroll_chunk; "
            "CREATE TEMP TABLE payroll_chunk (run_id bigint PRIMARY KEY, commune_id varchar(5) NOT NULL, "
            "province_code varchar(2) NOT NULL, prev_next date) ON COMMIT DROP; "
            "DROP TABLE IF EXISTS payroll_totals; "
            "CREATE TEMP TABLE payroll_totals (run_id bigint, n bigint, total bigint, arrears bigint) ON COMMIT DROP"
        )
        if bulk:
            index = month.year * 12 + month.month
            cursor.execute(
                "DROP TABLE IF EXISTS payroll_month_levels; "
                "CREATE TEMP TABLE payroll_month_levels ON COMMIT DROP AS "
                f"SELECT province_code, kind, amounts[{int(index)} - base + 1] AS level FROM payroll_levels "
                f"WHERE amounts[{int(index)} - base + 1] IS NOT NULL"
            )
            build = _BulkBuild(cursor, month, drafts)
            delete = _DELETE_DRAFT_LINES.format(months="AND l.month < %(month)s")
            owing = "AND least(e.arrears_from, r.prev_next, %(month)s::date) < %(month)s"
            insert = _INSERT_LINES.format(owing=owing)
            last = add_months(month, -1)
        else:
            build = None
            delete = _DELETE_DRAFT_LINES.format(months="")
            insert = _INSERT_LINES.format(owing="")
            last = month
        for index in range(total_chunks):
            chunk = {
                **params,
                "run_ids": drafts[index * chunk_communes : (index + 1) * chunk_communes],
                "last": last,
            }
            cursor.execute("TRUNCATE payroll_chunk")
            cursor.execute(_FILL_CHUNK, chunk)
            cursor.execute("ANALYZE payroll_chunk")
            cursor.execute(delete, chunk)
            cursor.execute(insert, chunk)
            if build:
                build.insert(chunk)
            cursor.execute(_CLEAR_ARREARS, chunk)
            if progress and index + 1 < total_chunks:
                progress(index + 1, total_chunks)
        if build:
            build.finish()
        cursor.execute(_CLAIM_DIFFERENCES, params)
        cursor.execute(_BULK_TOTALS if build else _ALL_TOTALS, params)
        rows = cursor.fetchall()
        audit_bulk(
            actor=actor,
            action="payroll.run",
            entity_type="payments.payrollrun",
            rows=[
                {
                    "entity_id": run_id,
                    "area_code": code,
                    "before": previous[run_id],
                    "after": {
                        "month": run_month.isoformat(),
                        "line_count": lines,
                        "total_amount": total,
                        "arrears_amount": arrears,
                    },
                }
                for run_id, code, run_month, lines, total, arrears in rows
            ],
        )
        summary.communes += [
            CommuneResult(code, names[code], run_id, PayrollStatus.DRAFT, lines, total, arrears)
            for run_id, code, _m, lines, total, arrears in rows
        ]
        if progress:
            progress(total_chunks, total_chunks)
    summary.communes.sort(key=lambda c: c.commune_code)
    return summary


def runs_refresh_totals(run_ids: list[int]) -> list[tuple]:
    """Recount lines and amounts of the given runs (set-based)."""
    if not run_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_ALL_TOTALS, {"run_ids": list(run_ids), "now": None, "actor": None})
        return cursor.fetchall()


_WITHDRAW = f"""
WITH gone AS (
    DELETE FROM payments_paymentline l USING payments_payrollrun r
     WHERE l.run_id = r.id AND r.status = 'draft'
       AND l.person_id = %(person)s AND l.benefit = %(benefit)s AND l.entitlement_id = %(entitlement)s
       AND (l.month >= %(from)s
            OR {held_uncollected(suspended="coalesce(r.month >= %(suspended)s, false)", row="l", kind="l.kind")})
    RETURNING l.run_id, l.month, l.amount, l.kind
), held AS (
    -- uncollected months held back by a suspension stay owed (see _CLEAR_ARREARS)
    UPDATE decisions_entitlement e SET arrears_from = least(e.arrears_from, g.month)
      FROM (SELECT min(month) AS month FROM gone WHERE kind = 'regular' AND month < %(from)s) AS g
     WHERE e.id = %(entitlement)s AND g.month IS NOT NULL
)
SELECT run_id, month, amount FROM gone
"""


def withdraw_draft_lines(*, entitlement, from_month: dt.date, actor) -> int:
    """A decision closed or suspended an entitlement from `from_month`: its lines for those months
    in payrolls still in draft are no longer due, nor, under a suspension, the months it did not
    collect that the draft paid again (they stay owed until the review). Frozen payrolls are left
    as they are."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        cursor.execute(
            _WITHDRAW,
            {
                "person": entitlement.person_id,
                "benefit": entitlement.benefit,
                "entitlement": entitlement.pk,
                "from": from_month,
                "suspended": entitlement.suspended_from,
            },
        )
        removed = cursor.fetchall()
        runs = sorted({row[0] for row in removed})
        for run_id, code, _month, lines, total, arrears in runs_refresh_totals(runs):
            audit_record(
                actor=actor,
                action="payroll.lines_withdrawn",
                entity_type="payments.payrollrun",
                entity_id=run_id,
                area_code=code,
                after={"line_count": lines, "total_amount": total, "arrears_amount": arrears},
                note=f"Bỏ {sum(1 for r in removed if r[0] == run_id)} dòng của chế độ #{entitlement.pk} "
                f"từ tháng {format_month(from_month)}",
            )
    return len(removed)
