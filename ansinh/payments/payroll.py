"""The monthly payroll (danh sách chi trả): one set-based run per month and area.

For each commune in the area, one PayrollRun for the month holds one payment line per
beneficiary with an active, unsuspended entitlement, at round_half_up(coefficient × the level in
force that month: the province's own level if it has one, else the national one), plus arrears
(truy lĩnh): every earlier month of an entitlement that has no live payment line yet.

How it stays fast and safe:
- Lines are written by one INSERT … SELECT per chunk of communes, over generate_series of the
  months each entitlement still owes, joined to a month-by-month table of levels. No Python loop
  per row.
- The months an entitlement owes are those since the commune's previous payroll, plus those from
  `Entitlement.arrears_from` (set by a grant, a resume, a withdrawn line). So a steady month reads
  one month per entitlement, never its whole history.
- The partial unique index payment_once_per_person_benefit_month makes paying a month twice
  impossible; the INSERT skips such months with ON CONFLICT DO NOTHING (a month already paid by
  another commune's or an approved payroll stays paid there).
- The whole run is one transaction: killed half-way, it leaves nothing. Running it again deletes
  the DRAFT lines of the runs it rebuilds and inserts them again, so the result is identical.
  Runs that were checked, approved or sent are frozen and skipped.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from ansinh.accounts.roles import can_prepare, can_sign
from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import Commune, Province
from ansinh.core.audit import audit_bulk, audit_record
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.months import current_month, format_month, month_start, parse_month
from ansinh.payments.models import PayrollRun, PayrollStatus

# Serialises payroll runs (and line withdrawals) so two runs never race on the same months.
PAYROLL_LOCK_KEY = 7_263_150_001
DEFAULT_CHUNK_COMMUNES = 50

# The partial unique index payment_once_per_person_benefit_month, as ON CONFLICT must name it.
_ONCE_PER_MONTH = (
    "ON CONFLICT (person_id, benefit, month) "
    "WHERE ((kind = 'regular') AND NOT (status IN ('failed', 'cancelled'))) DO NOTHING"
)


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

# Rebuilding a draft: its lines go; the arrears months among them are owed again.
_DELETE_DRAFT_LINES = """
WITH gone AS (
    DELETE FROM payments_paymentline l
     WHERE l.run_id = ANY(%(run_ids)s::bigint[])
    RETURNING l.entitlement_id, l.month
)
UPDATE decisions_entitlement e
   SET arrears_from = least(e.arrears_from, g.month)
  FROM (SELECT entitlement_id, min(month) AS month FROM gone
         WHERE month < %(month)s GROUP BY entitlement_id) AS g
 WHERE e.id = g.entitlement_id
"""

# Months owed by each entitlement: from the earliest of (arrears_from, the month after the
# commune's previous payroll, this month), not before it started, up to this month, before it
# ended (end_month is exclusive) and before any suspension. LEAST/GREATEST skip NULLs. A month
# with no level in force (before the first dated level) gives a NULL level and no line.
_INSERT_LINES = f"""
INSERT INTO payments_paymentline
       (run_id, person_id, entitlement_id, commune_code, benefit, category, month, kind,
        coefficient, level, amount, is_arrears, status)
SELECT run_id, person_id, entitlement_id, commune_id, benefit, category, month, 'regular',
       coefficient, level, round(coefficient * level)::bigint, month < %(month)s, 'due'
  FROM (
    SELECT r.run_id, e.person_id, e.id AS entitlement_id, e.commune_id, e.benefit, e.category,
           e.coefficient, g.month::date AS month,
           lv.amounts[(extract(year FROM g.month) * 12 + extract(month FROM g.month))::int - lv.base + 1] AS level
      FROM payroll_chunk r
      JOIN decisions_entitlement e ON e.commune_id = r.commune_id
      JOIN payroll_levels lv
        ON lv.province_code = r.province_code
       AND lv.kind = CASE WHEN e.benefit = 'social_pension' THEN 'social_pension' ELSE 'standard' END
     CROSS JOIN LATERAL generate_series(
            greatest(e.start_month, least(e.arrears_from, r.prev_next, %(month)s::date))::timestamp,
            least(%(month)s::date, e.end_month - interval '1 month', e.suspended_from - interval '1 month'),
            interval '1 month') AS g(month)
     WHERE e.start_month <= %(month)s AND e.benefit <> 'funeral_support'
  ) AS owed
 WHERE level IS NOT NULL
{_ONCE_PER_MONTH}
"""

# Everything up to this month is now paid (or suspended: a resume marks those months again).
_CLEAR_ARREARS = """
UPDATE decisions_entitlement e SET arrears_from = NULL
  FROM payroll_chunk r
 WHERE e.commune_id = r.commune_id AND e.arrears_from IS NOT NULL AND e.arrears_from <= %(month)s
"""

# Per run, an aggregate over its lines through the index on run_id.
_UPDATE_TOTALS = """
UPDATE payments_payrollrun p
   SET (line_count, total_amount, arrears_amount) = (
        SELECT count(*), coalesce(sum(l.amount), 0), coalesce(sum(l.amount) FILTER (WHERE l.is_arrears), 0)
          FROM payments_paymentline l WHERE l.run_id = p.id),
       generated_at = coalesce(%(now)s, p.generated_at),
       prepared_by_id = coalesce(%(actor)s, p.prepared_by_id)
 WHERE p.id = ANY(%(run_ids)s::bigint[])
RETURNING p.id, p.commune_id, p.month, p.line_count, p.total_amount, p.arrears_amount
"""


def _lock(cursor) -> None:
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PAYROLL_LOCK_KEY])
    # The statements are simple joins repeated per chunk: JIT compilation (triggered by the row
    # estimates of generate_series) costs more than it saves, about a second per statement.
    cursor.execute("SET LOCAL jit = off")


def payroll_run(
    *,
    month,
    area_code: str,
    actor=None,
    progress: Callable[[int, int], None] | None = None,
    chunk_communes: int = DEFAULT_CHUNK_COMMUNES,
) -> PayrollSummary:
    """Build the month's payroll for a commune (5 digits), a province (2) or the country ("").

    One transaction; `progress(done, total)` is called after each chunk of communes (inside the
    transaction, so an exception there undoes the whole run). Returns per-commune totals.
    """
    month = _check_month(month)
    area_code = (area_code or "").strip()
    area_sql, area_params = _area_filter(area_code)
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
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    summary = PayrollSummary(month=month, area_code=area_code)

    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        _create_level_table(cursor, month)
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

        cursor.execute("DROP TABLE IF EXISTS payroll_chunk")
        cursor.execute(
            "CREATE TEMP TABLE payroll_chunk (run_id bigint PRIMARY KEY, commune_id varchar(5) NOT NULL, "
            "province_code varchar(2) NOT NULL, prev_next date) ON COMMIT DROP"
        )
        now = timezone.now()
        total_chunks = (len(drafts) + chunk_communes - 1) // chunk_communes
        if progress:
            progress(0, total_chunks)
        for index in range(total_chunks):
            run_ids = drafts[index * chunk_communes : (index + 1) * chunk_communes]
            params = {"month": month, "run_ids": run_ids, "now": now, "actor": actor_id}
            cursor.execute("TRUNCATE payroll_chunk")
            cursor.execute(_FILL_CHUNK, params)
            cursor.execute("ANALYZE payroll_chunk")
            for statement in (_DELETE_DRAFT_LINES, _INSERT_LINES, _CLEAR_ARREARS):
                cursor.execute(statement, params)
            cursor.execute(_UPDATE_TOTALS, params)
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
                progress(index + 1, total_chunks)
    summary.communes.sort(key=lambda c: c.commune_code)
    return summary


def runs_refresh_totals(run_ids: list[int]) -> list[tuple]:
    """Recount lines and amounts of the given runs (set-based)."""
    if not run_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_UPDATE_TOTALS, {"run_ids": list(run_ids), "now": None, "actor": None})
        return cursor.fetchall()


def withdraw_draft_lines(*, entitlement, from_month: dt.date, actor) -> int:
    """A decision closed or suspended an entitlement from `from_month`: its lines for those months
    in payrolls still in draft are no longer due. Frozen payrolls are left as they are."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        cursor.execute(
            """
            DELETE FROM payments_paymentline l USING payments_payrollrun r
             WHERE l.run_id = r.id AND r.status = 'draft'
               AND l.person_id = %s AND l.benefit = %s AND l.entitlement_id = %s AND l.month >= %s
            RETURNING l.run_id, l.month, l.amount
            """,
            [entitlement.person_id, entitlement.benefit, entitlement.pk, from_month],
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


def payroll_approve(*, actor, run: PayrollRun) -> PayrollRun:
    """The commune chairman approves a draft payroll; from then on it is frozen (a new build
    skips it). Maker-checker: whoever prepared it cannot approve it."""
    with transaction.atomic():
        run = PayrollRun.objects.select_for_update().select_related("commune").get(pk=run.pk)
        if not can_sign(actor) or actor.commune_id != run.commune_id:
            raise NotAllowed(
                f"Chỉ Chủ tịch UBND {run.commune.name} được phê duyệt danh sách chi trả này.",
                fields={"approved_by": "Người phê duyệt phải là Chủ tịch UBND xã."},
            )
        if run.prepared_by_id and run.prepared_by_id == actor.pk:
            raise NotAllowed(
                "Người lập danh sách chi trả không được tự phê duyệt.",
                fields={"approved_by": "Người phê duyệt phải khác người lập."},
            )
        if run.status != PayrollStatus.DRAFT:
            raise Conflict(
                f"Danh sách chi trả đang ở trạng thái “{run.get_status_display()}”: không phê duyệt lại.",
                fields={"status": "Chỉ phê duyệt được dự thảo."},
            )
        before = {"status": run.status}
        run.status = PayrollStatus.APPROVED
        run.approved_by = actor
        run.approved_at = timezone.now()
        run.save(update_fields=["status", "approved_by", "approved_at"])
        audit_record(
            actor=actor,
            action="payroll.approve",
            entity=run,
            area_code=run.commune_id,
            before=before,
            after={"status": run.status, "line_count": run.line_count, "total_amount": run.total_amount},
        )
    return run
