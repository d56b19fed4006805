"""Printable documents served under /van-ban/: a decision of any kind (PDF, DOCX) and a commune's
funds request (PDF). Each object is fetched through its app's access function, so an id outside
the user's area is a 404 exactly like one that does not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from ansinh.core.errors import DomainError
from ansinh.decisions.access import access_decision
from ansinh.documents.decision import decision_docx, decision_filename, decision_pdf
from ansinh.payments.access import access_payroll
from ansinh.web.downloads import DOCX, PDF, attachment


@login_required
def decision_document(request, decision_id, fmt):
    decision = access_decision(request.user, decision_id)
    if fmt == "pdf":
        return attachment(decision_pdf(decision), decision_filename(decision, "pdf"), PDF)
    return attachment(decision_docx(decision), decision_filename(decision, "docx"), DOCX)


@login_required
def funds_request_document(request, payroll_id):
    from ansinh.payments.funds import funds_request_pdf

    run = access_payroll(request.user, payroll_id)
    try:
        pdf = funds_request_pdf(run)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("payments:cycle", payroll_id=run.pk)
    return attachment(pdf, f"de-nghi-kinh-phi_{run.commune_id}_{run.month:%Y%m}.pdf", PDF)
