"""Glue between the law package and Django: run an assessment (FactsError → InvalidInput), and
prepare a decision from an assessment, so the coefficient, category and amount of a grant or an
adjustment come from the law for the decision's month, never from what someone typed."""

import datetime as dt
import re
from decimal import Decimal

from ansinh.core.errors import InvalidInput
from ansinh.core.months import current_month, format_month, month_start
from ansinh.decisions.services import decision_prepare
from ansinh.documents.legal import citation
from ansinh.law.assess import assess
from ansinh.law.errors import FactsError

# Decision benefit → the assessment's benefit code.
ASSESSED_BENEFIT = {
    "monthly_allowance": "monthly_social_allowance",
    "social_pension": "social_pension",
    "care_support": "care_support",
}
FROM_LAW_KINDS = ("grant", "adjust")


def _assess(facts: dict, month: dt.date):
    try:
        return assess(facts, month)
    except FactsError as error:
        raise InvalidInput(error.message, fields={error.field: error.message}) from None


def assessment_run(*, facts: dict, month: dt.date) -> list[dict]:
    return [result.as_dict() for result in _assess(facts, month)]


def decision_month(*, kind: str, event_date: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The month whose law sets the decision's amount: a grant pays from the month signed, an
    adjustment from the month the conditions changed (Decree 335/2026 Art. 8)."""
    if kind == "adjust" and event_date is not None:
        return month_start(event_date)
    return current_month(today)


def decision_prepare_from_assessment(
    *,
    actor,
    person,
    kind: str,
    benefit: str,
    facts: dict,
    event_date: dt.date | None = None,
    reason: str = "",
    target_commune=None,
    today: dt.date | None = None,
):
    """Prepare a grant or an adjustment whose coefficient, category and legal basis are what the
    law gives `facts` for the decision's month. InvalidInput names the field when the law gives
    nothing for that benefit; other kinds of decision carry no amount and go straight through."""
    if kind not in FROM_LAW_KINDS:
        return decision_prepare(
            actor=actor,
            person=person,
            kind=kind,
            benefit=benefit,
            event_date=event_date,
            target_commune=target_commune,
            reason=reason,
        )
    if benefit not in ASSESSED_BENEFIT:
        raise InvalidInput.for_field(
            "benefit",
            f"Chế độ “{benefit}” không lập quyết định hằng tháng: chọn trợ cấp xã hội, hưu trí xã hội hoặc hỗ trợ chăm sóc.",
        )
    month = decision_month(kind=kind, event_date=event_date, today=today)
    results = {r.benefit: r for r in _assess(facts, month)}
    result = results.get(ASSESSED_BENEFIT[benefit])
    if result is None:
        given = (
            ", ".join(r.benefit_name for r in results.values() if r.unit.startswith("đồng/tháng"))
            or "không có khoản hằng tháng nào"
        )
        message = (
            f"Theo luật, với các thông tin đã nhập, {person.full_name} không được hưởng chế độ này trong tháng "
            f"{format_month(month)} (luật cho: {given}). Kiểm tra lại thông tin hoặc chọn chế độ khác."
        )
        raise InvalidInput.for_field("benefit", message)
    coefficient = (
        result.coefficient if result.coefficient is not None else Decimal(1)
    )  # the pension: 1 × its level
    basis = decision_legal_basis(result)
    return decision_prepare(
        actor=actor,
        person=person,
        kind=kind,
        benefit=benefit,
        category=result.category,
        coefficient=coefficient,
        event_date=event_date,
        target_commune=target_commune,
        reason=reason.strip(),
        legal_basis=basis,
    )


def _basis_text(basis: dict) -> str:
    from ansinh.law.province_policies import format_legal_basis

    return format_legal_basis(basis)


# "Điều 6 khoản 1 điểm a, Nghị định 335/2026/NĐ-CP" as the assessment writes it.
_CITATION_RE = re.compile(
    r"Điều (?P<article>\d+)(?: khoản (?P<clause>\d+))?(?: điểm (?P<point>[a-zđ]+))?"
    r"(?P<comma>, (?=Nghị định|Nghị quyết|Luật|Quyết định|Thông tư))?"
)


def _citation_order(match: re.Match) -> str:
    parts = [f"điểm {match['point']}"] if match["point"] else []
    if match["clause"]:
        parts.append(f"khoản {match['clause']}")
    parts.append(f"Điều {match['article']}")
    return " ".join(parts) + (" " if match["comma"] else "")


def decision_legal_basis(result) -> str:
    """The decision's legal basis: the citation once, then why and how much, e.g. "điểm a khoản 1
    Điều 21 Luật Bảo hiểm xã hội 41/2024/QH15: người từ đủ 75 tuổi, …; mức 540.000 đồng theo Điều
    31 Nghị định 335/2026/NĐ-CP." The assessment's explanation ends its reason with " — <citation>"
    (for the calculator); here the citation leads instead, so it is taken out of the reason. No
    "Căn cứ" in front: the document and the decision page put their own label before it."""
    cited = _basis_text(result.legal_basis)
    reason = result.explanation.replace(f" — {cited}", "", 1) if cited else result.explanation
    reason = _CITATION_RE.sub(_citation_order, reason).rstrip(" .")
    lead = citation(result.legal_basis)
    return f"{lead}: {reason}." if lead else f"{reason}."
