"""Back-pay of a retroactive level change (truy lĩnh chênh lệch mức chuẩn), issue 3 item 6.

When a level is raised with an earlier effective date (Decree 335/2026: standard level 540,000
from 1 July 2026, decided on 5 October 2026; Art. 31, 32: beneficiaries move to the new levels from
1 July 2026), the months already paid at the old level are owed the difference. Everything comes
from the levels table (payments_benefitlevel, synced from the law), so the next retroactive
change needs no code: sync the levels, then `ansinh arrears compute --since <month> --commit`.

Set-based: one statement finds every live regular line in a payroll that left draft (so it was
or is being paid), for a month since `since`, whose amount is below round(coefficient × the
level now in force for that month and province); minus any difference already recorded for that
person, benefit and month. Months outside the entitlement (a stop from the month after death,
Decree 335/2026 Art. 8) and months after the month of death get nothing.

The result is one DIFFERENCE line per person, benefit and month, with no payroll yet: the next
payroll of the paying commune takes it (ansinh.payments.payroll). The unique index
payment_difference_once_per_level and the subtraction of differences already recorded make a
second computation add nothing. Lines of payrolls still in draft are not touched: rebuilding the
draft pays them at the new level.
"""

import datetime as dt
from dataclasses import dataclass, field
from io import BytesIO

from django.db import connection, transaction

from ansinh.accounts.roles import can_prepare
from ansinh.accounts.scope import AreaScope
from ansinh.core.audit import audit_bulk
from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.months import current_month, format_month, month_start, parse_month
from ansinh.payments.payroll import (
    DIFFERENCE_ONCE,
    NOT_LIVE_SQL,
    OWED_DIFFERENCE,
    _area_filter,
    _create_level_table,
    _lock,
)


@dataclass
class CommuneArrears:
    commune_code: str
    commune_name: str
    person_count: int
    line_count: int
    amount: int


@dataclass
class ArrearsReport:
    since: dt.date
    area_code: str
    committed: bool
    communes: list[CommuneArrears] = field(default_factory=list)
    draft_lines: int = 0  # lines at an old level in draft payrolls: rebuild those payrolls

    @property
    def person_count(self) -> int:
        return sum(c.person_count for c in self.communes)

    @property
    def line_count(self) -> int:
        return sum(c.line_count for c in self.communes)

    @property
    def amount(self) -> int:
        return sum(c.amount for c in self.communes)


# Every live regular line since `since` (OWED_DIFFERENCE in payroll.py), with what was already
# paid as differences for its month summed in one hash aggregate.
_DUE = "CREATE TEMP TABLE arrears_due ON COMMIT DROP AS " + OWED_DIFFERENCE.format(
    lines="payments_paymentline l",
    paid=f"""LEFT JOIN (SELECT x.person_id, x.benefit, x.month, sum(x.amount) AS paid
               FROM payments_paymentline x
              WHERE x.kind = 'difference' AND x.status NOT IN {NOT_LIVE_SQL} AND x.month >= %(since)s
              GROUP BY x.person_id, x.benefit, x.month) AS d
    ON d.person_id = l.person_id AND d.benefit = l.benefit AND d.month = l.month""",
    where="""l.month >= %(since)s
   AND (l.commune_code IN (SELECT c.code FROM areas_commune c WHERE {area})
        OR o.commune_id IN (SELECT c.code FROM areas_commune c WHERE {area}))""",
)

_INSERT = f"""
INSERT INTO payments_paymentline
       (run_id, person_id, entitlement_id, commune_code, benefit, category, month, kind,
        coefficient, level, amount, is_arrears, status)
SELECT NULL, a.person_id, a.entitlement_id, a.commune_code, a.benefit, a.category, a.month, 'difference',
       a.coefficient, a.level, a.amount, true, 'due'
  FROM arrears_due a JOIN areas_commune c ON c.code = a.commune_code
 WHERE {{area}}
{DIFFERENCE_ONCE}
"""

_REPORT = """
SELECT a.commune_code, c.name, count(DISTINCT a.person_id), count(*), sum(a.amount)::bigint
  FROM arrears_due a JOIN areas_commune c ON c.code = a.commune_code
 WHERE {area}
 GROUP BY a.commune_code, c.name
 ORDER BY a.commune_code
"""

# Lines at a level below today's in payrolls still in draft: not arrears, the draft is stale.
_STALE_DRAFTS = """
SELECT count(*)
  FROM payments_paymentline l
  JOIN payments_payrollrun r ON r.id = l.run_id AND r.status = 'draft'
  JOIN areas_commune c ON c.code = l.commune_code
  JOIN payroll_levels lv
    ON lv.province_code = c.province_id
   AND lv.kind = CASE WHEN l.benefit = 'social_pension' THEN 'social_pension' ELSE 'standard' END
 WHERE l.kind = 'regular' AND l.month >= %(since)s AND {area}
   AND l.level < lv.amounts[(extract(year FROM l.month) * 12 + extract(month FROM l.month))::int - lv.base + 1]
"""


def _check_since(since) -> dt.date:
    if isinstance(since, str):
        since = parse_month(since, field="since")
    elif isinstance(since, dt.date):
        since = month_start(since)
    else:
        raise InvalidInput.for_field("since", "Chưa nhập tháng bắt đầu truy lĩnh (dạng 2026-07).")
    if since > current_month():
        raise InvalidInput.for_field(
            "since",
            f"Tháng {format_month(since)} chưa đến: truy lĩnh chỉ tính cho các tháng đã chi trả.",
        )
    return since


def arrears_compute(*, since, area_code: str = "", commit: bool = False, actor=None) -> ArrearsReport:
    """The level differences owed since `since` in the area (commune, province or "" for the
    country), per paying commune. With `commit`, the difference lines are written (waiting for
    the next payroll) and audited; without it nothing is written."""
    since = _check_since(since)
    area_code = (area_code or "").strip()
    area_sql, area_params = _area_filter(area_code)
    # One named parameter for the area, as the statements name the month too.
    area = area_sql.replace("%s", "%(area)s")
    params = {"since": since, "area": area_params[0] if area_params else None, "month": current_month()}
    if actor is not None and (
        not can_prepare(actor) or not AreaScope.for_user(actor).contains_area(area_code)
    ):
        raise NotAllowed(
            "Chỉ công chức cấp xã hoặc cán bộ cấp tỉnh được tính truy lĩnh, trong địa bàn của mình.",
            fields={"area": "Ngoài địa bàn hoặc không có quyền lập danh sách chi trả."},
        )
    report = ArrearsReport(since=since, area_code=area_code, committed=commit)
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        _create_level_table(cursor, current_month())
        cursor.execute("DROP TABLE IF EXISTS arrears_due")
        cursor.execute(_DUE.format(area=area), params)
        cursor.execute(_REPORT.format(area=area), params)
        report.communes = [CommuneArrears(*row) for row in cursor.fetchall()]
        cursor.execute(_STALE_DRAFTS.format(area=area), params)
        report.draft_lines = cursor.fetchone()[0]
        if commit and report.communes:
            cursor.execute(_INSERT.format(area=area), params)
            audit_bulk(
                actor=actor,
                action="arrears.compute",
                entity_type="areas.commune",
                rows=[
                    {
                        "entity_id": c.commune_code,
                        "area_code": c.commune_code,
                        "after": {
                            "since": since.isoformat(),
                            "person_count": c.person_count,
                            "line_count": c.line_count,
                            "amount": c.amount,
                        },
                    }
                    for c in report.communes
                ],
            )
    return report


def arrears_workbook(report: ArrearsReport) -> bytes:
    """The per-commune report as an Excel workbook (.xlsx)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Truy lĩnh"
    sheet.append([f"Truy lĩnh chênh lệch mức chuẩn từ tháng {format_month(report.since)}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(
        [f"Địa bàn: {report.area_code or 'cả nước'}", "", "Đã ghi" if report.committed else "Tính thử"]
    )
    sheet.append([])
    sheet.append(["Mã xã", "Tên xã", "Số người", "Số dòng", "Số tiền (đồng)"])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for c in report.communes:
        sheet.append([c.commune_code, c.commune_name, c.person_count, c.line_count, c.amount])
    sheet.append(["", "Tổng cộng", report.person_count, report.line_count, report.amount])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=5, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = "#,##0"
    for column, width in zip("ABCDE", (10, 40, 12, 12, 18), strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
