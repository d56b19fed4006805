"""Filters for official documents: dates written out the Vietnamese way, who a decision is for
(ansinh.documents.legal), amounts in "đồng"."""

import datetime as dt

from django import template

from ansinh.core.money import format_number
from ansinh.documents import legal

register = template.Library()


@register.filter
def vn_long_date(value) -> str:
    """05/10/2026 → "ngày 05 tháng 10 năm 2026"; 01/02/2027 → "ngày 01 tháng 02 năm 2027"."""
    if not isinstance(value, (dt.date, dt.datetime)):
        return "ngày … tháng … năm …"
    # Decree 30/2020 App. I: a leading zero for days below 10 and for months 1 and 2.
    day = f"{value.day:02d}"
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {day} tháng {month} năm {value.year}"


@register.filter
def decision_terms(decision) -> str:
    """Điều 1's "đối tượng quy định tại điểm a khoản 5 Điều 5 Nghị định 335/2026/NĐ-CP, hệ số 1,5"."""
    return legal.decision_terms(decision) if decision is not None else ""


@register.filter
def dong(amount) -> str:
    """540000 → "540.000 đồng" (documents write "đồng", not "đ")."""
    return legal.amount_words(amount)


@register.filter
def dong_per_month(amount) -> str:
    """540000 → "540.000 đồng/tháng"."""
    return legal.amount_words(amount, monthly=True)


@register.filter
def money(amount) -> str:
    """25110000 → "25.110.000" (a table's amount column, its unit "đồng" in the heading); 0 → "0"."""
    if amount is None or amount == "":
        return ""
    return format_number(amount)
