"""Background tasks of the payments app (ansinh.jobs): a province's or the country's payroll.

The payroll is one transaction and idempotent, so a worker killed half-way leaves nothing and the
job, claimed again, builds the same payroll from the start.
"""

from django.urls import reverse

from ansinh.core.money import format_number, format_vnd
from ansinh.core.months import format_month
from ansinh.jobs.registry import task
from ansinh.payments.payroll import payroll_run
from ansinh.plans.services import aggregates_refresh_later


@task("payments.payroll_run", label="Lập danh sách chi trả")
def payroll_run_task(progress, *, actor, month: str, area_code: str = "") -> dict:
    def report(done, total):
        progress(done, total, f"Đã lập {format_number(done)}/{format_number(total)} đợt xã")

    summary = payroll_run(month=month, area_code=area_code, actor=actor, progress=report)
    aggregates_refresh_later(actor=actor, month=summary.month, area_code=area_code)
    frozen = len(summary.frozen)
    message = (
        f"Đã lập danh sách chi trả tháng {format_month(summary.month)} cho "
        f"{'cả nước' if not area_code else f'địa bàn {area_code}'}: {format_number(len(summary.communes))} xã, "
        f"{format_number(summary.line_count)} dòng, {format_vnd(summary.total_amount)} "
        f"(trong đó truy lĩnh {format_vnd(summary.arrears_amount)})."
        + (f" {format_number(frozen)} xã đã khóa, không lập lại." if frozen else "")
    )
    if len(summary.communes) == 1:
        url = reverse("web:payroll_detail", kwargs={"payroll_id": summary.communes[0].run_id})
    else:
        url = reverse("web:payroll_list") + f"?thang={summary.month:%Y-%m}"
    return {
        "message": message,
        "url": url,
        "line_count": summary.line_count,
        "total_amount": summary.total_amount,
    }


@task("payments.bankfiles_export_area", label="Xuất tệp chuyển khoản toàn tỉnh")
def bankfiles_export_area_task(progress, *, actor, month: str, area_code: str) -> dict:
    """Every approved payroll of the province gets its bank file (one COPY, one transaction);
    the result links to the ZIP of the province's files of the month."""
    from ansinh.core.months import parse_month
    from ansinh.payments.bankfile import bankfiles_export_area

    when = parse_month(month)
    progress(0, 1, "Đang xuất tệp chuyển khoản")
    issued = bankfiles_export_area(actor=actor, month=when, area_code=area_code)
    progress(1, 1, "Đã xuất")
    rows = sum(record.row_count for record, _ in issued.values())
    total = sum(record.total_amount for record, _ in issued.values())
    message = (
        f"Đã xuất tệp chuyển khoản tháng {format_month(when)} cho {format_number(len(issued))} xã: "
        f"{format_number(rows)} người, {format_vnd(total)}."
        if issued
        else f"Tháng {format_month(when)} không còn danh sách đã phê duyệt chưa xuất tệp."
    )
    url = reverse("payments:province_zip") + f"?month={when:%Y-%m}&tinh={area_code}"
    return {
        "message": message,
        "url": url,
        "file_count": len(issued),
        "row_count": rows,
        "total_amount": total,
    }


@task("payments.reconcile_area", label="Đối soát kết quả chi trả toàn tỉnh")
def reconcile_area_task(
    progress, *, actor, month: str, area_code: str, path: str, filename: str = ""
) -> dict:
    """Import a province's return file saved at upload; the file is removed once imported or
    refused (a worker killed half-way leaves it, and the job, claimed again, imports it)."""
    from pathlib import Path

    from ansinh.core.errors import DomainError
    from ansinh.core.months import parse_month
    from ansinh.payments.reconcile import reconcile_import_area

    when = parse_month(month)
    stored = Path(path)
    try:
        result = reconcile_import_area(
            actor=actor,
            area_code=area_code,
            month=when,
            content=stored.read_bytes(),
            filename=filename,
            progress=progress,
        )
    except DomainError:
        stored.unlink(missing_ok=True)
        raise
    stored.unlink(missing_ok=True)
    rf = result.return_file
    message = (
        f"Đã nhập kết quả chi trả tháng {format_month(when)} của tỉnh: {format_number(rf.applied_count)} người "
        f"có kết quả ({format_number(rf.paid_count)} đã chi, {format_number(rf.failed_count)} không thành công, "
        f"{format_number(rf.uncollected_count)} chưa nhận); {format_number(rf.exception_count)} dòng ngoại lệ; "
        f"{format_number(len(result.reconciled_runs))} xã đối soát xong; "
        f"{format_number(result.suspension_proposals)} đề xuất tạm dừng, "
        f"{format_number(result.overpayments)} khoản phải thu hồi."
    )
    return {
        "message": message,
        "url": reverse("payments:province") + f"?tinh={area_code}",
        "return_file": rf.pk,
        "applied_count": rf.applied_count,
        "exception_count": rf.exception_count,
        "suspension_proposals": result.suspension_proposals,
        "overpayments": result.overpayments,
    }
