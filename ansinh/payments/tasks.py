"""Background tasks of the payments app (ansinh.jobs): a province's or the country's payroll.

The payroll is one transaction and idempotent, so a worker killed half-way leaves nothing and the
job, claimed again, builds the same payroll from the start.
"""

from django.urls import reverse

from ansinh.core.money import format_vnd
from ansinh.core.months import format_month
from ansinh.jobs.registry import task
from ansinh.payments.payroll import format_count, payroll_run
from ansinh.plans.services import aggregates_refresh_later


@task("payments.payroll_run", label="Lập danh sách chi trả")
def payroll_run_task(progress, *, actor, month: str, area_code: str = "") -> dict:
    def report(done, total):
        progress(done, total, f"Đã lập {format_count(done)}/{format_count(total)} đợt xã")

    summary = payroll_run(month=month, area_code=area_code, actor=actor, progress=report)
    aggregates_refresh_later(actor=actor, month=summary.month, area_code=area_code)
    frozen = len(summary.frozen)
    message = (
        f"Đã lập danh sách chi trả tháng {format_month(summary.month)} cho "
        f"{'cả nước' if not area_code else f'địa bàn {area_code}'}: {format_count(len(summary.communes))} xã, "
        f"{format_count(summary.line_count)} dòng, {format_vnd(summary.total_amount)} "
        f"(trong đó truy lĩnh {format_vnd(summary.arrears_amount)})."
        + (f" {format_count(frozen)} xã đã khóa, không lập lại." if frozen else "")
    )
    if len(summary.communes) == 1:
        url = reverse("web:payroll_detail", kwargs={"payroll_id": summary.communes[0].run_id})
    else:
        url = reverse("web:payroll_list")
    return {
        "message": message,
        "url": url,
        "line_count": summary.line_count,
        "total_amount": summary.total_amount,
    }
