"""Pages of the payment cycle under /chi-tra/<payroll_id>/…: check, approve, files, return file,
exceptions, funds request and settlement; the follow-ups of reconciliation (suspension proposals,
overpayments) and the province-wide steps queued as background jobs. Thin: fetch through
access_payroll / followups.access_* (another commune's object is a 404), call the service, show
its Vietnamese message."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ansinh.accounts.roles import can_prepare, can_sign
from ansinh.accounts.scope import require_write
from ansinh.areas.models import Province
from ansinh.areas.selectors import province_list
from ansinh.core.errors import DomainError, NotAllowed
from ansinh.core.money import format_vnd
from ansinh.core.months import format_month, parse_month
from ansinh.decisions.services import suspension_from_proposal
from ansinh.jobs.services import job_enqueue
from ansinh.payments import followups, funds, samples, selectors
from ansinh.payments.access import access_payroll
from ansinh.payments.bankfile import bankfile_export
from ansinh.payments.lifecycle import payroll_approve, payroll_check, payroll_close, payroll_return_to_draft
from ansinh.payments.models import (
    FundsRequest,
    PaymentFile,
    PayrollStatus,
    ReturnFile,
)
from ansinh.payments.provider import provider_list_export
from ansinh.payments.reconcile import reconcile_import
from ansinh.payments.signature import signature_list_pdf
from ansinh.web.downloads import PDF, XLSX, attachment

MAX_RETURN_FILE = 200 * 1024 * 1024


def _cycle_context(request, run) -> dict:
    return {
        **selectors.exceptions_page(selectors.reconciliation_exceptions(run)),
        "run": run,
        "can_prepare": can_prepare(request.user),
        "can_sign": can_sign(request.user) and request.user.commune_id == run.commune_id,
        "totals": selectors.payroll_totals_by_benefit(run),
        "changes": selectors.payroll_changes(run),
        "previous": selectors.payroll_previous(run),
        "files": PaymentFile.objects.filter(run=run).order_by("sequence"),
        "return_files": selectors.return_files(run),
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


def _export(request, payroll_id, export, content_type):
    run = access_payroll(request.user, payroll_id)
    try:
        issued, content = export(actor=request.user, run=run)
    except DomainError as error:
        run.refresh_from_db()
        return _page(request, run, error=error, status=400)
    return attachment(content, issued.filename, content_type)


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
        XLSX,
    )


@login_required
def signature_list(request, payroll_id):
    run = access_payroll(request.user, payroll_id)
    try:
        pdf = signature_list_pdf(run)
    except DomainError as error:
        return _page(request, run, error=error, status=400)
    return attachment(pdf, f"danh-sach-ky-nhan_{run.commune_id}_{run.month:%Y%m}.pdf", PDF)


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


@login_required
def return_file_sample(request, payroll_id):
    """A sample return file for the payroll ("Hướng dẫn tệp chi trả"): read only, so anyone who may
    read the payroll may download it."""
    content, filename = samples.return_file_sample(access_payroll(request.user, payroll_id))
    return attachment(content, filename, "text/csv; charset=utf-8")


# --- What reconciliation raises: suspension proposals and overpayments, for the user's area ---


@login_required
def proposals(request):
    return render(
        request,
        "payments/proposals.html",
        {"proposals": followups.proposals_for(request.user)[:2000], "can_prepare": can_prepare(request.user)},
    )


@login_required
@require_POST
def proposal_decide(request, proposal_id):
    proposal = followups.access_proposal(request.user, proposal_id)
    try:
        drafts = suspension_from_proposal(actor=request.user, proposal=proposal)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("payments:proposals")
    messages.success(
        request,
        f"Đã lập {len(drafts)} dự thảo quyết định tạm dừng cho {proposal.person.full_name}: "
        "trình Chủ tịch UBND xã ký.",
    )
    return redirect("web:decision_detail", decision_id=drafts[0].pk)


@login_required
def overpayments(request):
    return render(
        request,
        "payments/overpayments.html",
        {
            "overpayments": followups.overpayments_for(request.user)[:2000],
            "can_prepare": can_prepare(request.user),
        },
    )


@login_required
@require_POST
def overpayment_recover(request, overpayment_id):
    overpayment = followups.access_overpayment(request.user, overpayment_id)
    try:
        followups.overpayment_recover(actor=request.user, overpayment=overpayment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Đã ghi nhận thu hồi {format_vnd(overpayment.amount)} của tháng {format_month(overpayment.month)}.",
        )
    return redirect("payments:overpayments")


# --- Province-wide steps, queued as background jobs -----------------------------------------


def _province_page(request, area_code, *, error: DomainError | None = None, status: int = 200):
    """The province-wide page; a national officer picks the province first (`?tinh=NN`), and the
    forms carry it on, while a provincial officer's forms need nothing."""
    picker = followups.province_picker(request.user, reading=True)
    return_files = (
        ReturnFile.objects.filter(area_code=area_code).order_by("-imported_at")[:20] if area_code else []
    )
    exceptions = (
        selectors.exceptions_page(selectors.province_reconciliation_exceptions(area_code))
        if area_code
        else {"exceptions": [], "exception_total": 0}
    )
    context = {
        "area_code": area_code,
        "province": Province.objects.filter(code=area_code).first() if area_code else None,
        "picker": picker,
        "provinces": province_list() if picker else [],
        "tinh": area_code if picker else "",
        "error": error,
        # The month typed, whichever form sent it (the ZIP form is a GET).
        "month": request.POST.get("month") or request.GET.get("month", ""),
        # A read-only account (thanh tra, kiểm toán) reads the page: no form, no button.
        "can_act": can_prepare(request.user),
        "return_files": return_files,
        "sample": _province_sample(area_code, area_code if picker else "") if area_code else None,
        **exceptions,
    }
    return render(request, "payments/province.html", context, status=status)


def _province_of(request, *, reading: bool = False) -> str:
    return followups.province_of_or_404(request.user, request.GET.get("tinh", ""), reading=reading)


def _province_read(request) -> str:
    """The province whose page is read ("" for a national account that has not picked one yet)."""
    if not request.GET.get("tinh") and followups.province_picker(request.user, reading=True):
        return ""  # the list of provinces to pick from
    return _province_of(request, reading=True)


def _read_only_refusal(request):
    """A read-only account posting a province-wide form (not shown to it): the page it may read,
    with the read-only message; None for anyone else (who goes on as before)."""
    if not followups.province_reader(request.user):
        return None
    area_code = _province_read(request)
    try:
        require_write(request.user)
    except NotAllowed as error:
        return _province_page(request, area_code, error=error, status=403)
    return None


@login_required
def province(request):
    return _province_page(request, _province_read(request))


@login_required
@require_POST
def province_export(request):
    refused = _read_only_refusal(request)
    if refused:
        return refused
    area_code = _province_of(request)
    try:
        month = parse_month(request.POST.get("month", ""), field="month")
        followups.export_check(area_code, month)
    except DomainError as error:
        return _province_page(request, area_code, error=error, status=400)
    job = job_enqueue(
        "payments.bankfiles_export_area",
        actor=request.user,
        area_code=area_code,
        kwargs={"month": f"{month:%Y-%m}", "area_code": area_code},
    )
    return redirect("jobs:detail", job.id)


@login_required
@require_POST
def province_return_file(request):
    refused = _read_only_refusal(request)
    if refused:
        return refused
    area_code = _province_of(request)
    upload = request.FILES.get("file")
    try:
        month = parse_month(request.POST.get("month", ""), field="month")
        if upload is not None and upload.size > MAX_RETURN_FILE:
            raise DomainError("Tệp kết quả lớn quá 200 MB.", fields={"file": "Tệp quá lớn."})
        content = upload.read() if upload is not None else b""
        followups.return_file_check(area_code, month, content)
    except DomainError as error:
        return _province_page(request, area_code, error=error, status=400)
    folder = Path(settings.MEDIA_ROOT) / "ket-qua-chi-tra"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{area_code}_{month:%Y%m}_{uuid.uuid4().hex}.csv"
    stored.write_bytes(content)
    job = job_enqueue(
        "payments.reconcile_area",
        actor=request.user,
        area_code=area_code,
        kwargs={
            "month": f"{month:%Y-%m}",
            "area_code": area_code,
            "path": str(stored),
            "filename": upload.name,
        },
    )
    return redirect("jobs:detail", job.id)


def _province_sample(area_code: str, tinh: str) -> dict | None:
    """The sample return file offered on the province page: the latest month sent to the provider
    (`tinh`: the province a national officer picked, carried on in the link)."""
    month = samples.province_sample_month(area_code)
    if not month:
        return None
    url = reverse("payments:province_return_file_sample") + f"?month={month:%Y-%m}"
    return {"month": month, "url": url + (f"&tinh={tinh}" if tinh else "")}


@login_required
def province_return_file_sample(request):
    area_code = _province_of(request, reading=True)
    try:
        month = parse_month(request.GET.get("month", ""), field="month")
    except DomainError as error:
        return _province_page(request, area_code, error=error, status=400)
    content, filename = samples.province_return_file_sample(area_code, month)
    return attachment(content, filename, "text/csv; charset=utf-8")


@login_required
def province_zip(request):
    area_code = _province_of(request)
    try:
        month = parse_month(request.GET.get("month", ""), field="month")
        content, count = followups.bankfiles_zip(area_code, month)
        if not count:
            raise DomainError(
                f"Tháng {format_month(month)} chưa có tệp chuyển khoản nào của tỉnh: hãy xuất tệp trước.",
                fields={"month": "Chưa có tệp."},
            )
    except DomainError as error:
        return _province_page(request, area_code, error=error, status=400)
    return attachment(content, f"chuyen-khoan_{area_code}_{month:%Y%m}.zip", "application/zip")
