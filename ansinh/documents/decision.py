"""A commune chairman's decision (quyết định) on one person, printable as PDF and DOCX, whatever
its kind: grant, adjustment, suspension, resumption, stop, transfer, funeral support.

The text is built here once, as plain strings (the grounds "Căn cứ …", the articles "Điều 1. …"),
and laid out by documents/decision_base.html (which extends documents/official_base.html) and by
documents/decision.docx. Any decision document uses the same two templates with its own
`considering` line: a decision prepared from the person page considers the officer's proposal, a
dossier's decision considers the dossier ("Xét hồ sơ số … tiếp nhận ngày …"), see
`decision_document_context(decision, considering=…)`.

A draft prints with "DỰ THẢO" across it and no number or date; a cancelled decision prints
"ĐÃ HỦY". Provinces edit the templates through settings.ANSINH_DOCUMENT_TEMPLATES (same names).
"""

from ansinh.core.months import format_month
from ansinh.decisions.models import Benefit, DecisionKind, DecisionStatus
from ansinh.documents.headers import commune_authority, commune_province_authority
from ansinh.documents.legal import DECREE, SOCIAL_INSURANCE_LAW, amount_words, decision_terms
from ansinh.documents.render import docx_render, pdf_render
from ansinh.documents.templatetags.documents import vn_long_date

HTML_TEMPLATE = "documents/decision.html"
DOCX_TEMPLATE = "documents/decision.docx"

DECREE_GROUND = (
    "Căn cứ Nghị định số 335/2026/NĐ-CP ngày 21 tháng 8 năm 2026 của Chính phủ quy định chính sách "
    "trợ giúp xã hội;"
)
LAW_GROUND = "Căn cứ Luật Bảo hiểm xã hội số 41/2024/QH15 ngày 29 tháng 6 năm 2024;"
LOCAL_GOVERNMENT_GROUND = (
    "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;"
)

# "Về việc …" of each kind; {benefit} is the benefit's name in lower case.
SUBJECTS = {
    DecisionKind.GRANT: "Về việc {benefit}",
    DecisionKind.ADJUST: "Về việc điều chỉnh mức {benefit}",
    DecisionKind.SUSPEND: "Về việc tạm dừng chi trả {benefit}",
    DecisionKind.RESUME: "Về việc tiếp tục chi trả {benefit}",
    DecisionKind.STOP: "Về việc thôi hưởng {benefit}",
    DecisionKind.TRANSFER: "Về việc chuyển nơi hưởng {benefit}",
}


def _benefit_words(decision) -> str:
    try:
        label = Benefit(decision.benefit).label
    except ValueError:
        label = decision.benefit
    return label[0].lower() + label[1:] if label else ""


def _title(person) -> str:
    return "bà" if getattr(person, "sex", "") == "F" else "ông"


def _birth(person) -> str:
    if person.birth_day and person.birth_month:
        return f"sinh ngày {person.birth_day:02d}/{person.birth_month:02d}/{person.birth_year}"
    if person.birth_month:
        return f"sinh tháng {person.birth_month:02d}/{person.birth_year}"
    return f"sinh năm {person.birth_year}"


def _residence(person, commune) -> str:
    village = getattr(person.village, "name", "") if person.village_id else ""
    address = " ".join((person.address or "").split())
    place = commune.name
    if address and commune.name.lower() in address.lower():
        return address
    parts = [p for p in (address or village, place) if p]
    return ", ".join(parts)


def person_words(decision) -> str:
    """ "bà Nguyễn Thị Hoa, sinh năm 1946, số định danh cá nhân 040…, cư trú tại Tổ dân phố 3,
    Phường Thành Vinh"."""
    person = decision.person
    parts = [f"{_title(person)} {person.full_name}", _birth(person)]
    if person.personal_id:
        parts.append(f"số định danh cá nhân {person.personal_id}")
    parts.append(
        f"cư trú tại {_residence(person, person.commune if person.commune_id else decision.commune)}"
    )
    return ", ".join(parts)


def _month(value) -> str:
    return format_month(value) if value else ""


def _from_month(decision) -> str:
    """ ", kể từ tháng 11/2026" (a draft not yet signed: from the month the chairman signs)."""
    if decision.effective_month:
        return f", kể từ tháng {format_month(decision.effective_month)}"
    if decision.kind == DecisionKind.GRANT:
        return ", kể từ tháng ký quyết định"
    return ""


def _amount(decision) -> str:
    if decision.one_off_amount:
        return amount_words(decision.one_off_amount)
    if decision.monthly_amount:
        return amount_words(decision.monthly_amount, monthly=True)
    return ""


def _reason(decision) -> str:
    reason = " ".join((decision.reason or "").split()).rstrip(".")
    return f" Lý do: {reason}." if reason else ""


def legal_basis_words(decision) -> str:
    """The decision's recorded legal basis, without a "Căn cứ" of its own (older drafts wrote it,
    and the document puts its own label in front)."""
    text = " ".join((decision.legal_basis or "").split())
    while text.lower().startswith("căn cứ"):
        text = text[len("căn cứ") :].lstrip(" :")
    return text


def article_one(decision) -> str:
    """Điều 1's text for the decision's kind."""
    benefit = _benefit_words(decision)
    who = person_words(decision)
    terms = decision_terms(decision)
    terms = f", {terms}" if terms else ""
    amount = _amount(decision)
    reason = _reason(decision)
    since = _from_month(decision)
    if decision.benefit == Benefit.FUNERAL_SUPPORT:
        death = f", đã chết ngày {decision.event_date:%d/%m/%Y}" if decision.event_date else ""
        return (
            f"Hỗ trợ chi phí mai táng đối với {who}{death}. Mức hỗ trợ: {amount or '……'}, chi trả một lần "
            f"cho cơ quan, tổ chức, hộ gia đình hoặc cá nhân trực tiếp tổ chức mai táng.{reason}"
        )
    kind = decision.kind
    if kind == DecisionKind.GRANT:
        return f"{Benefit(decision.benefit).label} đối với {who}{terms}. Mức hưởng: {amount or '……'}{since}.{reason}"
    if kind == DecisionKind.ADJUST:
        return (
            f"Điều chỉnh mức {benefit} đối với {who}{terms}. Mức hưởng mới: {amount or '……'}{since}.{reason}"
        )
    if kind == DecisionKind.SUSPEND:
        return f"Tạm dừng chi trả {benefit} đối với {who}{since}.{reason}"
    if kind == DecisionKind.RESUME:
        return f"Tiếp tục chi trả {benefit} đối với {who}{terms}. Mức hưởng: {amount or '……'}{since}.{reason}"
    if kind == DecisionKind.STOP:
        return f"Thôi hưởng {benefit} đối với {who}{since}.{reason}"
    if kind == DecisionKind.TRANSFER:
        target = decision.target_commune
        if target is not None and target.pk != decision.commune_id:
            return (
                f"Dừng chi trả {benefit} tại {decision.commune.name} đối với {who}{since}, do chuyển đến cư "
                f"trú tại {target.name}, {target.province.name}; chuyển hồ sơ đến Ủy ban nhân dân "
                f"{target.name} để tiếp tục chi trả.{reason}"
            )
        return (
            f"Tiếp nhận và chi trả {benefit} tại {decision.commune.name} đối với {who}, chuyển đến từ nơi "
            f"cư trú cũ{terms}. Mức hưởng: {amount or '……'}{since}.{reason}"
        )
    return f"{DecisionKind(kind).label} {benefit} đối với {who}{since}.{reason}"


def articles(decision) -> list[dict]:
    """[{"label": "Điều 1.", "text": …}, …]: what the chairman decides, who carries it out."""
    items = [{"label": "Điều 1.", "text": article_one(decision)}]
    basis = legal_basis_words(decision)
    if basis:
        items.append({"label": "", "text": f"Căn cứ tính: {basis.rstrip('.')}."})
    items.append({"label": "Điều 2.", "text": "Quyết định có hiệu lực kể từ ngày ký."})
    payer = "Đơn vị chi trả" if decision.benefit != Benefit.FUNERAL_SUPPORT else "Bộ phận kế toán"
    person = decision.person
    items.append(
        {
            "label": "Điều 3.",
            "text": (
                f"Công chức văn hóa - xã hội, {payer.lower()}, các cơ quan, đơn vị có liên quan và "
                f"{_title(person)} {person.full_name} chịu trách nhiệm thi hành Quyết định này."
            ),
        }
    )
    return items


def grounds(decision) -> list[str]:
    """The "Căn cứ …" lines, from the law the decision applies."""
    lines = [LOCAL_GOVERNMENT_GROUND]
    if decision.benefit == Benefit.SOCIAL_PENSION:
        lines.append(LAW_GROUND)
    lines.append(DECREE_GROUND)
    return lines


def considering(decision) -> str:
    """The "Xét …" line of a decision prepared from the person page (a dossier's decision passes
    its own: "Xét hồ sơ số … tiếp nhận ngày …")."""
    return "Xét đề nghị của công chức văn hóa - xã hội."


def decision_document_context(decision, *, considering_text: str | None = None, recipients=None) -> dict:
    """The context of documents/decision.html and documents/decision.docx for a Decision."""
    commune = decision.commune
    draft = decision.status == DecisionStatus.DRAFT
    cancelled = decision.status == DecisionStatus.CANCELLED
    signed = decision.status == DecisionStatus.SIGNED
    date = decision.signed_on if signed else None
    subject = SUBJECTS.get(decision.kind, "Về việc {benefit}").format(benefit=_benefit_words(decision))
    if decision.benefit == Benefit.FUNERAL_SUPPORT:
        subject = "Về việc hỗ trợ chi phí mai táng"
    person = decision.person
    recipient_list = recipients or [
        "Như Điều 3",
        f"{_title(person).capitalize()} {person.full_name}",
    ]
    if decision.kind == DecisionKind.TRANSFER and decision.target_commune_id not in (None, commune.pk):
        recipient_list.append(f"UBND {decision.target_commune.name}")
    if decision.signer_name:
        signer_name = decision.signer_name
    elif decision.signed_by_id:
        signer_name = decision.signed_by.get_full_name() or ""
    else:
        signer_name = ""
    return {
        "doc": {
            "issuer_parent": commune_province_authority(commune),
            "issuer": commune_authority(commune),
            "number": decision.number if decision.number and not draft else "",
            "place": commune.name,
            "date": date,
            "title": "Quyết định",
            "subtitle": subject,
            "signer_capacity": "TM. Ủy ban nhân dân",
            "signer_title": "Chủ tịch",
            "signer_name": signer_name,
            "recipients": recipient_list,
        },
        "decision": decision,
        "draft": draft,
        "cancelled": cancelled,
        "chairman_of": f"Chủ tịch Ủy ban nhân dân {commune.name}".upper(),
        "grounds": grounds(decision),
        "considering": considering(decision) if considering_text is None else considering_text,
        "articles": articles(decision),
        "number_text": decision.number if decision.number and not draft else "……/QĐ-UBND",
        "date_text": vn_long_date(date),
        "effective_month": _month(decision.effective_month),
        "amount": _amount(decision),
        # What a province's own template may want besides the ready-made articles.
        "decree": DECREE,
        "social_insurance_law": SOCIAL_INSURANCE_LAW,
    }


def decision_filename(decision, extension: str) -> str:
    number = (decision.number or "").replace("/", "-").replace(" ", "")
    stem = (
        f"quyet-dinh_{number}"
        if number and decision.status != DecisionStatus.DRAFT
        else f"du-thao_{decision.pk}"
    )
    return f"{stem}.{extension}"


def decision_pdf(decision, **context_options) -> bytes:
    return pdf_render(HTML_TEMPLATE, decision_document_context(decision, **context_options))


def decision_docx(decision, **context_options) -> bytes:
    return docx_render(DOCX_TEMPLATE, decision_document_context(decision, **context_options))
