"""Periodic reports: the deadline calendar (Decree 335/2026 Art. 30 and the plans' own
schedules), Forms 05 and 06 for any area and period, as an Excel workbook and a PDF.

Form 05 (Mẫu số 05): beneficiaries and money of the monthly allowance and social pension, by
category. Form 06 (Mẫu số 06): the indicators and the plans' targets beside their actual values.
Both are read from the monthly aggregates, so a national report costs a few small queries.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import Commune
from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.months import format_month, month_start, months_between
from ansinh.law.catalog import CATEGORIES
from ansinh.plans.indicators import area_condition
from ansinh.plans.models import Plan, ReportSubmission
from ansinh.plans.selectors import (
    area_label,
    indicator_values,
    indicators,
    province_of,
    targets_with_actuals,
)

FORMS = {
    "05": "Báo cáo kết quả thực hiện chính sách trợ cấp xã hội hằng tháng",
    "06": "Báo cáo kết quả thực hiện các chỉ tiêu trợ giúp xã hội",
}
CATEGORY_LABELS = {
    **CATEGORIES,
    "75+": "Người từ đủ 75 tuổi hưởng trợ cấp hưu trí xã hội",
    "70-74": "Người từ đủ 70 đến dưới 75 tuổi thuộc hộ nghèo, cận nghèo hưởng trợ cấp hưu trí xã hội",
    "": "Không ghi nhóm",
}


def _dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def check_period(date_from, date_to) -> None:
    if not isinstance(date_from, dt.date):
        raise InvalidInput.for_field("date_from", "Chưa nhập ngày bắt đầu kỳ báo cáo (dd/mm/yyyy).")
    if not isinstance(date_to, dt.date):
        raise InvalidInput.for_field("date_to", "Chưa nhập ngày kết thúc kỳ báo cáo (dd/mm/yyyy).")
    if date_to < date_from:
        raise InvalidInput.for_field(
            "date_to",
            f"Kỳ báo cáo kết thúc ngày {_dmy(date_to)} trước khi bắt đầu ngày {_dmy(date_from)}: "
            "sửa ngày kết thúc cho sau ngày bắt đầu.",
        )


def check_area_for_user(user, area_code: str) -> None:
    area_condition(area_code)  # an unknown code is a clear InvalidInput
    if not AreaScope.for_user(user).contains_area(area_code):
        raise NotAllowed(
            f"Không được lập báo cáo cho địa bàn “{area_label(area_code)}”: địa bàn này nằm ngoài phạm vi "
            "tài khoản của bạn. Chọn tỉnh hoặc xã bạn phụ trách.",
            fields={"area": "Địa bàn nằm ngoài phạm vi của bạn."},
        )


# --- deadline calendar ------------------------------------------------------------------------
@dataclass
class Deadline:
    schedule: str
    name: str
    basis: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date | None

    @property
    def period_label(self) -> str:
        return f"{_dmy(self.period_start)} – {_dmy(self.period_end)}"


# Kỳ báo cáo thống kê (statistics reporting period) of the periodic reports. A 6-month report
# covers 15/12 of the previous year to 14/06, an annual report 15/12 of the previous year to
# 14/12, a quarter the three months to the 14th of its last month: each period ends the day
# before the 15th, when the report is due (Decree 335/2026 Art. 30: 6-month report before 15/6,
# annual report before 15/12). A legal officer who finds another cut-off in force corrects this
# one number (the first day of each period; the period ends the day before). The monthly figures
# follow it: month M's payroll and counts belong to the period holding the 14th of M.
REPORT_PERIOD_START_DAY = 15


def _period(kind: str, year: int) -> tuple[dt.date, dt.date]:
    """The statistics reporting period of `year`'s 6-month or annual report."""
    start = dt.date(year - 1, 12, REPORT_PERIOD_START_DAY)
    end_month = 6 if kind == "half_year" else 12
    return start, dt.date(year, end_month, REPORT_PERIOD_START_DAY) - dt.timedelta(days=1)


def _quarter(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """Quarter 1–4 of `year` as a statistics reporting period (15/12–14/03 for the first)."""
    first_month = quarter * 3 - 2
    start = dt.date(year - 1, 12, REPORT_PERIOD_START_DAY) if first_month == 1 else None
    start = start or dt.date(year, first_month - 1, REPORT_PERIOD_START_DAY)
    return start, dt.date(year, quarter * 3, REPORT_PERIOD_START_DAY) - dt.timedelta(days=1)


def _ending_before(start: dt.date, end: dt.date, due_on: dt.date | None) -> tuple[dt.date, dt.date]:
    """A report cannot cover days after it is due: a plan whose deadline falls inside the period
    (e.g. "before the 10th of the quarter's last month") reports up to the day before."""
    if due_on is not None and due_on <= end:
        end = max(start, due_on - dt.timedelta(days=1))
    return start, end


def report_months(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    """The months whose figures a report from `date_from` to `date_to` sums: from the month after
    `date_from`'s when it starts on or after the REPORT_PERIOD_START_DAY (else its own month) to the
    month `date_to` falls in, so 15/12/2025–14/06/2026 is 01/2026–06/2026 and a calendar period
    01/01–30/06 the same six months. A period ending before the 14th still reads the month it ends
    in (the plans' own deadlines end periods on the 9th: their last month counts), so two periods
    that split a month both read it. A short period reads the month it ends in."""
    first = month_start(date_from)
    if date_from.day >= REPORT_PERIOD_START_DAY:
        first = (first + dt.timedelta(days=32)).replace(day=1)
    last = month_start(date_to)
    return months_between(min(first, last), last)


def deadlines(year: int, province_code: str = "") -> list[Deadline]:
    """Every report due in the year for the province: Decree 335's two, then its plans' own."""
    basis = "Điều 30 Nghị định 335/2026/NĐ-CP"
    rows = [
        Deadline(
            "nd335_6m",
            "Mẫu số 05, 06: báo cáo 6 tháng (trước ngày 15/6)",
            basis,
            *_period("half_year", year),
            dt.date(year, 6, 15),
        ),
        Deadline(
            "nd335_year",
            "Mẫu số 05, 06: báo cáo năm (trước ngày 15/12)",
            basis,
            *_period("year", year),
            dt.date(year, 12, 15),
        ),
    ]
    plans = Plan.objects.prefetch_related("phases")
    if province_code:
        plans = plans.filter(province_id=province_code)
    for plan in plans:
        phases = list(plan.phases.all())
        if not phases or not min(p.year_from for p in phases) <= year <= max(p.year_to for p in phases):
            continue
        plan_basis = f"Kế hoạch {plan.number or ''} {plan.issuer}".replace("  ", " ")
        for schedule in plan.schedules:
            rule = schedule.get("rule")
            if rule == "quarter_10_last_month":
                for quarter in range(1, 5):
                    due_on = dt.date(year, quarter * 3, 10)
                    rows.append(
                        Deadline(
                            f"{schedule['code']}_q{quarter}",
                            f"{schedule['name']}: quý {quarter}",
                            plan_basis,
                            *_ending_before(*_quarter(year, quarter), due_on),
                            due_on,
                        )
                    )
            elif rule == "fixed":
                due_on = dt.date(year, schedule["month"], schedule["day"])
                rows.append(
                    Deadline(
                        schedule["code"],
                        schedule["name"],
                        plan_basis,
                        *_ending_before(*_period(schedule.get("period", "year"), year), due_on),
                        due_on,
                    )
                )
            else:
                rows.append(
                    Deadline(
                        schedule["code"],
                        schedule["name"],
                        plan_basis,
                        *_period(schedule.get("period", "year"), year),
                        None,
                    )
                )
    return sorted(rows, key=lambda d: (d.due_on or dt.date(year, 12, 31), d.schedule))


def submission_status(deadline: Deadline, area_code: str) -> dict:
    """Which units of the area have submitted: the communes of a province, or the commune itself."""
    province_code = province_of(area_code)
    if len(area_code) == 5:
        units = list(Commune.objects.filter(code=area_code).values_list("code", "name"))
    elif province_code:
        units = list(Commune.objects.filter(province_id=province_code).values_list("code", "name"))
    else:
        units = []
    submitted = dict(
        ReportSubmission.objects.filter(
            schedule=deadline.schedule,
            period_start=deadline.period_start,
            period_end=deadline.period_end,
            area_code__in=[code for code, _ in units],
        ).values_list("area_code", "submitted_on")
    )
    today = timezone.localdate()
    return {
        "deadline": deadline,
        "total": len(units),
        "submitted": len(submitted),
        "missing": [name for code, name in units if code not in submitted],
        "own_submitted_on": submitted.get(area_code),
        "overdue": deadline.due_on is not None and today > deadline.due_on and len(submitted) < len(units),
    }


# --- Form 05 and 06 ---------------------------------------------------------------------------
@dataclass
class Report:
    area_code: str
    area_name: str
    date_from: dt.date
    date_to: dt.date
    last_month: dt.date
    form05: list[dict]
    form05_total: dict
    form06: list[dict]
    targets: list
    generated_on: dt.date

    @property
    def period_label(self) -> str:
        return f"từ ngày {_dmy(self.date_from)} đến ngày {_dmy(self.date_to)}"


def _form05(area_code: str, months: list[dt.date]) -> tuple[list[dict], dict]:
    where = "TRUE"
    params: list = []
    if len(area_code) == 2:
        where, params = "province_code = %s", [area_code]
    elif len(area_code) == 5:
        where, params = "commune_code = %s", [area_code]
    last = months[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT grp,
                       sum(denominator) FILTER (WHERE month = %s),
                       sum(numerator) FILTER (WHERE month = %s),
                       sum(amount)
                FROM plans_monthlyaggregate
                WHERE indicator = 'monthly_allowance_coverage' AND dimension = 'category'
                  AND month = ANY(%s) AND {where}
                GROUP BY grp ORDER BY grp""",
            [last, last, months, *params],
        )
        rows = [
            {
                "category": grp,
                "label": CATEGORY_LABELS.get(grp, grp),
                "beneficiaries": int(den or 0),
                "paid": int(num or 0),
                "amount": int(amount or 0),
            }
            for grp, den, num, amount in cursor.fetchall()
        ]
    total = {key: sum(r[key] for r in rows) for key in ("beneficiaries", "paid", "amount")}
    return rows, total


def report_build(*, user, area_code: str, date_from: dt.date, date_to: dt.date) -> Report:
    """Forms 05 and 06 for the area and period, after checking the period and the user's scope."""
    check_period(date_from, date_to)
    area_code = (area_code or "").strip()
    check_area_for_user(user, area_code)
    months = report_months(date_from, date_to)
    last = months[-1]
    form05, total = _form05(area_code, months)
    values = indicator_values(area_code, last)
    form06 = [{"indicator": ind, "value": values[ind.code]} for ind in indicators()]
    return Report(
        area_code,
        area_label(area_code),
        date_from,
        date_to,
        last,
        form05,
        total,
        form06,
        targets_with_actuals(area_code, last, values=values),
        timezone.localdate(),
    )


def report_workbook(report: Report) -> bytes:
    """The report as an .xlsx: sheet "Mẫu 05" and sheet "Mẫu 06"."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Mẫu 05"
    bold = Font(bold=True)
    sheet["A1"] = f"Mẫu số 05. {FORMS['05']}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"Địa bàn: {report.area_name}"
    sheet["A3"] = f"Kỳ báo cáo: {report.period_label}"
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Nhóm đối tượng",
            f"Số đối tượng hưởng tháng {format_month(report.last_month)}",
            f"Số được chi trả tháng {format_month(report.last_month)}",
            "Kinh phí chi trả trong kỳ (đồng)",
        ]
    )
    for cell in sheet[5]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(report.form05, start=1):
        sheet.append([number, row["label"], row["beneficiaries"], row["paid"], row["amount"]])
    sheet.append(
        [
            "",
            "Tổng cộng",
            report.form05_total["beneficiaries"],
            report.form05_total["paid"],
            report.form05_total["amount"],
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for column, width in zip("ABCDE", (6, 70, 18, 18, 22), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=6, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = "#,##0"

    sheet = book.create_sheet("Mẫu 06")
    sheet["A1"] = f"Mẫu số 06. {FORMS['06']}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"Địa bàn: {report.area_name}"
    sheet["A3"] = f"Kỳ báo cáo: {report.period_label}; số liệu tháng {format_month(report.last_month)}"
    sheet.append([])
    sheet.append(["STT", "Chỉ số", "Tử số", "Mẫu số", "Kết quả", "Ghi chú"])
    for cell in sheet[5]:
        cell.font = bold
    for number, row in enumerate(report.form06, start=1):
        value = row["value"]
        sheet.append(
            [
                number,
                row["indicator"].name,
                value.numerator,
                value.denominator,
                float(value.value) if value.value is not None else None,
                value.message,
            ]
        )
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Kế hoạch",
            "Chỉ tiêu",
            "Kỳ",
            "Chỉ tiêu đặt ra",
            "Thực hiện",
            "Đánh giá",
            "Câu trong kế hoạch",
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    verdicts = {"met": "Đạt", "off_track": "Chưa đạt", "unknown": "Chưa đánh giá được"}
    for number, item in enumerate(report.targets, start=1):
        t = item.target
        sheet.append(
            [
                number,
                t.plan.number or t.plan.issuer,
                t.label or t.indicator.name,
                item.period_display,
                item.target_display,
                item.actual.display,
                verdicts[item.status],
                t.sentence,
            ]
        )
    for column, width in zip("ABCDEFGH", (6, 40, 60, 22, 14, 30, 16, 80), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_pdf(report: Report) -> bytes:
    from ansinh.documents.render import pdf_render

    doc = {
        "title": "Báo cáo kết quả thực hiện trợ giúp xã hội",
        "subtitle": f"{report.area_name}, kỳ báo cáo {report.period_label}",
        "issuer": report.area_name,
        "issuer_parent": "",
        "date": report.generated_on,
        "signatures": [{"title": "Người lập biểu"}, {"title": "Thủ trưởng đơn vị", "note": "(Ký, đóng dấu)"}],
    }
    return pdf_render("plans/report.html", {"doc": doc, "report": report, "forms": FORMS})
