"""The payrolls listed on /chi-tra/ ("Các kỳ đã lập"): one month at a time (by default the latest
month with a payroll in the user's area) and a page at a time, so a province's 128 communes or a
country's thousands never hide the other months or run off the end of a silently cut list."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from ansinh.accounts.scope import AreaScope
from ansinh.core.errors import InvalidInput
from ansinh.core.months import format_month, next_month, parse_month
from ansinh.payments.models import PayrollRun, PayrollStatus

# Payrolls shown on one page of the list (one commune's payroll a row).
PAYROLL_PAGE_SIZE = 50


@dataclass
class PayrollListing:
    months: list[dt.date]  # every month with a payroll in the area, newest first
    month: dt.date | None  # the month shown (None: the area has no payroll yet)
    page: Page  # the month's payrolls on the page shown
    month_error: str = ""  # a month asked for that could not be read (the latest is shown)

    @property
    def runs(self) -> list[PayrollRun]:
        return list(self.page.object_list)

    @property
    def total(self) -> int:
        return self.page.paginator.count


def payroll_listing(scope: AreaScope, *, month_text: str = "", page_text: str = "") -> PayrollListing:
    """The area's payrolls of one month (`month_text` as 2026-11 or 11/2026, else the latest
    month), page `page_text` (the first when unreadable, the last when past the end)."""
    runs = scope.filter(PayrollRun.objects.select_related("commune"))
    months = list(runs.order_by("-month").values_list("month", flat=True).distinct())
    month, month_error = (months[0] if months else None), ""
    if month_text.strip():
        try:
            month = parse_month(month_text.strip(), field="thang")
        except InvalidInput as error:
            month_error = error.message + (f" Đang hiện tháng {format_month(month)}." if month else "")
    shown = runs.filter(month=month).order_by("commune__name", "commune_id") if month else runs.none()
    page = Paginator(shown, PAYROLL_PAGE_SIZE).get_page(page_text or 1)
    return PayrollListing(months=months, month=month, page=page, month_error=month_error)


# What has been done to a payroll that is no longer a draft (a checked list is frozen).
FROZEN_STATE = {
    PayrollStatus.CHECKED: "đã được kiểm tra và chốt",
    PayrollStatus.APPROVED: "đã được Chủ tịch UBND xã phê duyệt",
    PayrollStatus.SENT: "đã gửi đơn vị chi trả",
    PayrollStatus.RECONCILED: "đã gửi đơn vị chi trả và đối soát",
    PayrollStatus.CLOSED: "đã khóa sổ",
}


def frozen_run_message(month: dt.date, commune_name: str, status: str) -> str:
    """What "Lập danh sách" says for a month whose list left draft: payroll_run skipped it
    (CommuneResult.frozen), nothing changed, and the people granted since are paid next month."""
    done = FROZEN_STATE.get(status, "đã được kiểm tra và chốt")
    return (
        f"Danh sách chi trả tháng {format_month(month)} của {commune_name} {done} nên không lập lại: "
        "danh sách giữ nguyên như đã chốt. Người được hưởng từ sau khi chốt danh sách sẽ được chi trả "
        f"trong danh sách tháng {format_month(next_month(month))}, kèm truy lĩnh các tháng chưa nhận."
    )
