"""The decision (quyết định) and the refusal letter of a dossier, in the official layout
(documents/official_base.html), as PDF and DOCX. A granted dossier's decision is laid out as every
decision is (ansinh.documents.decision: documents/decision.html|docx), considering the dossier.
Provinces edit the templates through settings.ANSINH_DOCUMENT_TEMPLATES (same names:
dossiers/refusal.html, dossiers/refusal.docx; Form 04 after the commune forwarded it:
dossiers/admission.html|docx and dossiers/admission_refusal.html|docx, issued by the facility)."""

from ansinh.core.errors import Conflict
from ansinh.core.months import format_month
from ansinh.documents.decision import DOCX_TEMPLATE as DECISION_DOCX
from ansinh.documents.decision import HTML_TEMPLATE as DECISION_HTML
from ansinh.documents.decision import decision_document_context
from ansinh.documents.headers import commune_province_authority
from ansinh.documents.legal import amount_words, decision_terms
from ansinh.documents.render import docx_render, pdf_render
from ansinh.dossiers.models import Form, Status


def _by_facility(dossier) -> bool:
    """Form 04 decided by the facility (after the commune forwarded it)."""
    return (
        dossier.form == Form.FORM_04
        and dossier.forwarded_on is not None
        and dossier.status in (Status.GRANTED, Status.REFUSED)
    )


def _facility_context(dossier) -> dict:
    # Decree 335/2026 Art. 25: the facility head decides admission.
    commune = dossier.commune
    granted = dossier.status == Status.GRANTED
    facility = dossier.facility_name or dossier.form_data.get("facility_name") or "Cơ sở trợ giúp xã hội"
    date = dossier.decided_on
    return {
        "doc": {
            "issuer_parent": commune_province_authority(commune),
            "issuer": facility,
            "number": dossier.admission_number if granted else f"{dossier.code}/TB-CS",
            "place": commune.province.name,
            "date": date,
            "title": "Quyết định" if granted else "Thông báo",
            "subtitle": "Về việc tiếp nhận đối tượng vào cơ sở trợ giúp xã hội"
            if granted
            else "Về việc không tiếp nhận đối tượng vào cơ sở trợ giúp xã hội",
            "signer_capacity": "",
            "signer_title": "Giám đốc",
            "signer_name": dossier.admission_signer,
            "recipients": [dossier.applicant_name, f"UBND {commune.name}"],
        },
        "dossier": dossier,
        "decision": None,
        "received_on": dossier.received_on.strftime("%d/%m/%Y"),
        "forwarded_on": dossier.forwarded_on.strftime("%d/%m/%Y"),
        "admission_date": dossier.admission_date.strftime("%d/%m/%Y") if dossier.admission_date else "",
        "date_text": date.strftime("%d/%m/%Y") if date else "",
    }


def document_context(dossier) -> dict:
    if _by_facility(dossier):
        return _facility_context(dossier)
    commune = dossier.commune
    decision = dossier.decision
    if dossier.status == Status.REFUSED:
        number, date, signer = f"{dossier.code}/TB-UBND", dossier.decided_on, ""
        title = "Thông báo"
        subtitle = "Về việc không giải quyết hồ sơ đề nghị hưởng chính sách trợ giúp xã hội"
    elif dossier.status == Status.GRANTED:
        # Form 04: the commune forwards; the facility head decides admission (Decree 335/2026).
        raise Conflict(
            "Hồ sơ Mẫu 04 không có quyết định của xã: Thủ trưởng cơ sở trợ giúp xã hội quyết định tiếp nhận.",
            fields={"status": "Không có văn bản của xã."},
        )
    else:
        raise Conflict("Hồ sơ chưa được quyết định: chưa có văn bản.", fields={"status": "Chưa giải quyết."})
    # Decree 30/2020: no abbreviations in the body of an official document ("đồng", not "đ").
    amount = ""
    if decision is not None and decision.one_off_amount:
        amount = amount_words(decision.one_off_amount)
    elif decision is not None and decision.monthly_amount:
        amount = amount_words(decision.monthly_amount, monthly=True)
    return {
        "doc": {
            "issuer_parent": commune_province_authority(commune),
            "issuer": f"Ủy ban nhân dân {commune.name}",
            "number": number,
            "place": commune.name,
            "date": date,
            "title": title,
            "subtitle": subtitle,
            "signer_capacity": "TM. Ủy ban nhân dân",
            "signer_title": "Chủ tịch",
            "signer_name": signer,
            "recipients": [dossier.applicant_name, "Công chức văn hóa - xã hội"],
        },
        "dossier": dossier,
        "decision": decision,
        "amount": amount,
        "terms": decision_terms(decision) if decision is not None else "",
        "effective_month": format_month(decision.effective_month)
        if decision and decision.effective_month
        else "",
        "received_on": dossier.received_on.strftime("%d/%m/%Y"),
        "date_text": date.strftime("%d/%m/%Y") if date else "",
    }


def _template(dossier, extension: str) -> str:
    name = "refusal"  # a granted commune decision: _commune_decision
    if _by_facility(dossier):
        name = "admission" if dossier.status == Status.GRANTED else "admission_refusal"
    return f"dossiers/{name}.{extension}"


def _commune_decision(dossier):
    """A granted dossier's commune decision, laid out as every decision is (ansinh.documents.decision),
    considering the dossier; None for the other documents."""
    if _by_facility(dossier) or dossier.status != Status.GRANTED or dossier.decision is None:
        return None
    return decision_document_context(
        dossier.decision,
        considering_text=f"Xét hồ sơ số {dossier.code} tiếp nhận ngày {dossier.received_on:%d/%m/%Y} "
        f"của {dossier.applicant_name} và đề nghị của công chức văn hóa - xã hội;",
        recipients=["Như Điều 3", dossier.applicant_name, "Lưu: VT"],
    )


def dossier_document_pdf(dossier) -> bytes:
    shared = _commune_decision(dossier)
    if shared is not None:
        return pdf_render(DECISION_HTML, shared)
    return pdf_render(_template(dossier, "html"), document_context(dossier))


def dossier_document_docx(dossier) -> bytes:
    shared = _commune_decision(dossier)
    if shared is not None:
        return docx_render(DECISION_DOCX, shared)
    return docx_render(_template(dossier, "docx"), document_context(dossier))
