"""Dossier pages: officers' list by deadline, desk/post receipt, a dossier with its checks,
workflow buttons, attachments and documents; the new commune's incoming transfers; and the
public online service (no account): file a form, follow it with code + personal ID."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ansinh.accounts.models import Role
from ansinh.accounts.scope import AreaScope
from ansinh.core.errors import DomainError
from ansinh.decisions.access import access_person_for_transfer
from ansinh.decisions.services import decision_prepare, handovers_pending_for
from ansinh.dossiers import forms, selectors, services
from ansinh.dossiers.access import access_attachment, access_declared_day, access_dossier
from ansinh.dossiers.documents import dossier_document_docx, dossier_document_pdf
from ansinh.dossiers.models import Form, Proposal, Status
from ansinh.dossiers.workflow import actions_for
from ansinh.web import downloads
from ansinh.web.forms import add_domain_error, button_submit, form_submit


def _submit(form, *, actor, channel):
    data = form.cleaned_data
    return services.dossier_submit(
        actor=actor,
        form=form.form_code,
        channel=channel,
        commune=data["commune"],
        benefit=data["benefit"],
        subject_personal_id=data["subject_personal_id"],
        subject_name=data["subject_name"],
        subject_birth_date=data["subject_birth_date"],
        applicant_name=data["applicant_name"],
        applicant_personal_id=data["applicant_personal_id"],
        applicant_relation=data["applicant_relation"],
        applicant_phone=data["applicant_phone"],
        applicant_email=data["applicant_email"],
        address=data["address"],
        form_data=form.form_data(),
        postmark_date=data.get("postmark_date"),
        uploads=data.get("attachments") or [],
    )


def _dossier_form(request, form_code: str, *, staff: bool) -> forms.DossierForm:
    """The receipt form, its commune list that of the province chosen (?tinh=NN), else that of
    the commune posted, else (at the desk) the officer's own."""
    province = request.GET.get("tinh", "").strip()
    if not (province.isdigit() and len(province) == 2):
        province = ""
    initial = {}
    if staff and not province and request.method == "GET" and request.user.commune_id:
        province = request.user.commune.province_id
        initial["xa"] = request.user.commune_id
    return forms.DossierForm(
        request.POST or None,
        request.FILES or None,
        form_code=form_code,
        staff=staff,
        province=province,
        initial=initial,
        scope=AreaScope.for_user(request.user) if staff else None,
    )


def _error_aliases(form: forms.DossierForm) -> dict[str, str]:
    """The service names the declared facts without "f_", and the commune once: beside the code
    typed, or else beside the select."""
    aliases = {name[2:]: name for name in form.fields if name.startswith("f_")}
    typed = (form.data.get("commune") or "").strip() if form.is_bound else ""
    aliases["commune"] = "commune" if typed else "xa"
    return aliases


def _form_page(request, template: str, form, form_code: str, *, status: int = 200):
    context = {"form": form, "form_label": Form(form_code).label, "form_code": form_code}
    return render(request, template, context, status=status)


# --- officers -------------------------------------------------------------------------------
@login_required
def dossier_list(request):
    bucket = request.GET.get("loai", "")
    counts = selectors.dossier_counts_for_user(request.user)
    context = {
        "dossiers": selectors.dossier_list_for_user(request.user, bucket=bucket)[:200],
        "buckets": [(key, label, counts[key]) for key, label in selectors.BUCKETS.items()],
        "bucket": bucket,
        "today": timezone.localdate(),
        "forms": Form.choices,
    }
    return render(request, "dossiers/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dossier_receive(request):
    form_code = request.GET.get("mau", "01")
    if form_code not in Form.values:
        raise Http404
    form = _dossier_form(request, form_code, staff=True)
    if request.method == "POST":
        done = form_submit(
            request,
            form,
            lambda data: _submit(form, actor=request.user, channel=data["channel"]),
            success=lambda dossier: f"Đã tiếp nhận hồ sơ, mã {dossier.code}.",
            redirect_to=_detail_url,
            aliases=_error_aliases(form),
        )
        if done:
            return done
    return _form_page(request, "dossiers/receive.html", form, form_code)


def _detail_url(dossier) -> str:
    return reverse("dossiers:detail", kwargs={"dossier_id": dossier.pk})


def _detail(request, dossier, *, form=None, status=200):
    withdraw_errors = []
    if form is not None and form.data.get("action") == "withdraw":
        # The reason for withdrawing has its own small form: its error goes there only.
        withdraw_errors = [e for errors in form.errors.values() for e in errors]
        form = None
    if form is None:
        # A refusal proposed: the officer's reason is offered for the chairman to confirm or edit.
        initial = {"reason": dossier.proposal_note} if dossier.proposed_outcome == Proposal.REFUSE else {}
        form = forms.TransitionForm(initial=initial)
    context = {
        "dossier": dossier,
        "facts": selectors.declared_facts(dossier),
        "checks": dossier.checks.order_by("id"),
        "events": dossier.events.order_by("id"),
        "attachments": dossier.attachments.order_by("id"),
        "actions": actions_for(dossier, request.user),
        "form": form,
        "attach_form": forms.AttachmentForm(),
        "decided": dossier.status in (Status.GRANTED, Status.REFUSED),
        "withdraw_errors": withdraw_errors,
    }
    return render(request, "dossiers/detail.html", context, status=status)


@login_required
def dossier_detail(request, dossier_id):
    return _detail(request, access_dossier(request.user, dossier_id))


@login_required
@require_POST
def dossier_move(request, dossier_id):
    dossier = access_dossier(request.user, dossier_id)
    form = forms.TransitionForm(request.POST)
    done = form_submit(
        request,
        form,
        # TransitionForm's fields are dossier_transition's arguments.
        lambda data: services.dossier_transition(
            actor=request.user, dossier=dossier, today=timezone.localdate(), **data
        ),
        success="Đã cập nhật hồ sơ.",
        redirect_to=_detail_url(dossier),
    )
    if done:
        return done
    dossier.refresh_from_db()
    return _detail(request, dossier, form=form, status=400)


@login_required
@require_POST
def dossier_recheck(request, dossier_id):
    dossier = access_dossier(request.user, dossier_id)
    return button_submit(
        request,
        lambda: services.dossier_checks_rerun(actor=request.user, dossier=dossier),
        redirect_to=_detail_url(dossier),
    )


@login_required
@require_POST
def dossier_attach(request, dossier_id):
    dossier = access_dossier(request.user, dossier_id)
    return button_submit(
        request,
        lambda: services.dossier_attach(
            actor=request.user, dossier=dossier, upload=request.FILES.get("file")
        ),
        success="Đã đính kèm tệp.",
        redirect_to=_detail_url(dossier),
    )


@login_required
def attachment_download(request, attachment_id):
    attachment = access_attachment(request.user, attachment_id)
    # FileResponse writes a Vietnamese name as RFC 5987 filename*= (browsers ignore the MIME
    # encoding a plain header gets) and closes the file when sent.
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"{attachment.pk}-{attachment.name}",
        content_type=attachment.content_type,
    )


@login_required
def dossier_document(request, dossier_id, fmt):
    dossier = access_dossier(request.user, dossier_id)
    try:
        if fmt == "pdf":
            body, ctype = dossier_document_pdf(dossier), downloads.PDF
        else:
            body, ctype = dossier_document_docx(dossier), downloads.DOCX
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    return downloads.attachment(body, f"{dossier.code}.{fmt}", ctype)


@login_required
def transfers_incoming(request):
    context = {"handovers": handovers_pending_for(AreaScope.for_user(request.user))}
    return render(request, "dossiers/transfers.html", context)


@login_required
@require_POST
def transfer_receive(request, person_id):
    """Step 2 of a transfer: the new commune prepares its decision for a person handed over."""
    person = access_person_for_transfer(request.user, person_id)
    try:
        decision = decision_prepare(
            actor=request.user,
            person=person,
            kind="transfer",
            benefit=request.POST.get("benefit", ""),
            target_commune=request.user.commune_id,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("dossiers:transfers")
    messages.success(request, "Đã lập dự thảo quyết định tiếp nhận. Chủ tịch UBND xã xem và ký.")
    return redirect("web:decision_detail", decision_id=decision.pk)


# --- the province's calendar ----------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def declared_days(request):
    """Substitute days off and compensatory working days of the province (provincial officers
    add and remove; others read their province's)."""
    can_edit = request.user.role == Role.PROVINCIAL_OFFICER
    form = forms.DeclaredDayForm(request.POST or None, initial={"province": request.user.province_id or ""})
    if request.method == "POST":
        done = form_submit(
            request,
            form,
            lambda data: services.declared_day_set(
                actor=request.user,
                province_code=data["province"],
                day=data["day"],
                is_working_day=data["kind"] == "worked",
                note=data["note"],
            ),
            success=lambda row: f"Đã khai báo ngày {row}.",
            redirect_to=reverse("dossiers:declared_days"),
        )
        if done:
            return done
    context = {"rows": selectors.declared_days_for_user(request.user), "form": form, "can_edit": can_edit}
    return render(request, "dossiers/declared_days.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def declared_day_remove(request, declared_day_id):
    row = access_declared_day(request.user, declared_day_id)
    return button_submit(
        request,
        lambda: services.declared_day_remove(actor=request.user, declared_day=row),
        success=f"Đã xóa ngày {row.day:%d/%m/%Y} khỏi lịch của tỉnh.",
        redirect_to=reverse("dossiers:declared_days"),
    )


# --- public online service -------------------------------------------------------------------
def public_index(request):
    return render(request, "dossiers/public_index.html", {"forms": Form.choices})


@require_http_methods(["GET", "POST"])
def public_file(request):
    form_code = request.GET.get("mau", "01")
    if form_code not in Form.values:
        raise Http404
    form = _dossier_form(request, form_code, staff=False)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = _submit(form, actor=None, channel="online")
        except DomainError as error:
            add_domain_error(form, error, _error_aliases(form))
        else:
            return render(request, "dossiers/public_filed.html", {"dossier": dossier})
    return _form_page(request, "dossiers/public_form.html", form, form_code)


@require_http_methods(["GET", "POST"])
def public_status(request):
    form = forms.LookupForm(request.POST or None)
    dossier = None
    not_found = False
    if request.method == "POST" and form.is_valid():
        dossier = services.dossier_public_find(form.cleaned_data["code"], form.cleaned_data["personal_id"])
        not_found = dossier is None
    return render(
        request, "dossiers/public_status.html", {"form": form, "dossier": dossier, "not_found": not_found}
    )
