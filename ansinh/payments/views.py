"""Pages of the payment cycle under /chi-tra/<payroll_id>/…: check, approve, files, return file,
exceptions, funds request and settlement. Thin: fetch through access_payroll (another commune's
payroll is a 404), call the service, show its Vietnamese message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ansinh.accounts.roles import can_prepare, can_sign
from ansinh.core.errors import DomainError
from ansinh.core.months import format_month
from ansinh.payments import funds, selectors
from ansinh.payments.access import access_payroll
from ansinh.payments.bankfile import bankfile_export
from ansinh.payments.lifecycle import payroll_approve, payroll_check, payroll_close, payroll_return_to_draft
from ansinh.payments.models import FundsRequest, PaymentFile, PayrollStatus
from ansinh.payments.provider import provider_list_export
from ansinh.payments.reconcile import reconcile_import
from ansinh.payments.signature import signature_list_pdf

MAX_RETURN_FILE = 200 * 1024 * 1024


def _cycle_context(request, run) -> dict:
    exceptions = list(selectors.reconciliation_exceptions(run)[:1000])
    return {
        "run": run,
        "can_prepare": can_prepare(request.user),
        "can_sign": can_sign(request.user) and request.user.commune_id == run.commune_id,
        "totals": selectors.payroll_totals_by_benefit(run),
        "changes": selectors.payroll_changes(run),
        "previous": selectors.payroll_previous(run),
        "files": PaymentFile.objects.filter(run=run).order_by("sequence"),
        "return_files": selectors.return_files(run),
        "exceptions": exceptions,
        "overpayments": selectors.overpayments(run),
        "proposals": selectors.suspension_proposals(run),
        "funds_rows": funds.funds_rows(run),
        "funds_request": FundsRequest.objects.filter(run=run).first(),
        "funds_due": funds.due_date(run.month),
        "settlement": funds.settlement(run) if run.status != PayrollStatus.DRAFT else None,
        "frozen": run.status != PayrollStatus.DRAFT,
        "exportable": run.status
        in (PayrollStatus.APPROVED, PayrollStatus.SENT, PayrollStatus.RECONCILED, PayrollStatus.CLOSED),
    }


def _page(request, run, *, error: DomainError | None = None, status: int = 200):
    context = _cycle_context(request, run)
    context["error"] = error
    return render(request, "payments/cycle.html", context, status=status)


@login_required
def cycle(request, payroll_id):
    return _page(request, access_payroll(request.user, payroll_id))


# The state changes of the cycle: (service, message on success). One view serves them all.
STEPS = {
    "check": (
        payroll_check,
        "Đã kiểm tra và chốt danh sách chi trả: danh sách không còn thay đổi theo hồ sơ.",
    ),
    "return_to_draft": (payroll_return_to_draft, "Đã trả lại danh sách chi trả để lập lại."),
    "approve": (payroll_approve, "Đã phê duyệt danh sách chi trả."),
    "close": (payroll_close, "Đã khóa sổ danh sách chi trả."),
    "funds_request": (funds.funds_request_submit, "Đã lập đề nghị cấp kinh phí."),
}


@login_required
@require_POST
def step(request, payroll_id, action: str):
    service, done = STEPS[action]
    run = access_payroll(request.user, payroll_id)
    extra = {"reason": request.POST.get("reason", "")} if action == "return_to_draft" else {}
    try:
        service(actor=request.user, run=run, **extra)
    except DomainError as error:
        run.refresh_from_db()
        return _page(request, run, error=error, status=400)
    messages.success(request, done)
    return redirect("payments:cycle", payroll_id=run.pk)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export(request, payroll_id, export, content_type):
    run = access_payroll(request.user, payroll_id)
    try:
        issued, content = export(actor=request.user, run=run)
    except DomainError as error:
        run.refresh_from_db()
        return _page(request, run, error=error, status=400)
    return _download(content, issued.filename, content_type)


@login_required
@require_POST
def bank_file(request, payroll_id):
    return _export(request, payroll_id, bankfile_export, "text/csv; charset=utf-8")


@login_required
@require_POST
def provider_list(request, payroll_id):
    return _export(
        request,
        payroll_id,
        provider_list_export,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def signature_list(request, payroll_id):
    run = access_payroll(request.user, payroll_id)
    try:
        pdf = signature_list_pdf(run)
    except DomainError as error:
        return _page(request, run, error=error, status=400)
    return _download(pdf, f"danh-sach-ky-nhan_{run.commune_id}_{run.month:%Y%m}.pdf", "application/pdf")


@login_required
@require_POST
def return_file(request, payroll_id):
    run = access_payroll(request.user, payroll_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError(
                "Chưa chọn tệp kết quả: hãy chọn tệp CSV đơn vị chi trả gửi về.",
                fields={"file": "Chưa chọn tệp."},
            )
        if upload.size > MAX_RETURN_FILE:
            raise DomainError(
                "Tệp kết quả lớn quá 200 MB: hãy nhập theo từng xã.", fields={"file": "Tệp quá lớn."}
            )
        result = reconcile_import(actor=request.user, run=run, content=upload.read(), filename=upload.name)
    except DomainError as error:
        run.refresh_from_db()
        return _page(request, run, error=error, status=400)
    rf = result.return_file
    messages.success(
        request,
        f"Đã nhập kết quả chi trả tháng {format_month(run.month)}: {rf.applied_count} người có kết quả "
        f"({rf.paid_count} đã chi, {rf.failed_count} không thành công, {rf.uncollected_count} chưa nhận); "
        f"{rf.exception_count} dòng ngoại lệ.",
    )
    return redirect("payments:cycle", payroll_id=run.pk)
