"""Display filters for the Vietnamese UI: money, months, partial dates of birth."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.safestring import mark_safe

from ansinh.core.money import format_number, format_vnd
from ansinh.core.months import add_months, format_month
from ansinh.decisions.models import Benefit
from ansinh.registry.birth import PartialDate

register = template.Library()


@register.filter
def vnd(amount):
    """1350000 → '1.350.000 đ'; empty for None."""
    if amount is None or amount == "":
        return ""
    return format_vnd(int(amount))


@register.filter
def number(value):
    """1000000 → '1.000.000' (a count, not money); other values unchanged, None → ''."""
    if value is None or value == "":
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value)
    return value


@register.filter
def coef(value):
    """A coefficient as Vietnamese write it: Decimal('1.50') → '1,5', Decimal('2.00') → '2'."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    text = f"{number.normalize():f}"
    return text.replace(".", ",")


@register.filter
def month(value):
    """A month (a date on day 1) → '11/2026'."""
    if not isinstance(value, dt.date):
        return ""
    return format_month(value)


@register.filter
def month_before(value):
    """An exclusive end month → the last month included: 04/2026 → '03/2026'."""
    if not isinstance(value, dt.date):
        return ""
    return format_month(add_months(value, -1))


@register.filter
def benefit_label(value):
    """'monthly_allowance' → 'Trợ cấp xã hội hằng tháng' (the code itself if unknown)."""
    try:
        return Benefit(value).label
    except ValueError:
        return value


@register.filter
def dmy(value):
    """A date → '01/07/2025' whatever the active language."""
    if not isinstance(value, dt.date):
        return ""
    return value.strftime("%d/%m/%Y")


@register.filter
def birth(person):
    """A possibly partial date of birth: '12/03/1950', '03/1950' or '1950'."""
    if not getattr(person, "birth_year", None):
        return ""
    return PartialDate.of(person).display()


@register.filter
def category_label(code):
    """A decision's category as officers read it: the allowance's and the pension's groups by their
    code ("5a", "75+"), a care-support item (an internal code such as "household_carer") by what it
    is; "—" when there is none."""
    from ansinh.documents.legal import CARE_ITEMS

    if not code:
        return "—"
    if code in CARE_ITEMS:
        text = CARE_ITEMS[code][0]
        return text[0].upper() + text[1:]
    return code


@register.filter
def decision_number(decision):
    """The decision's number; for one signed on paper before the system, the paper decision's
    number the imported list gave (a group decision covers many people, so it is kept on the
    import's record, not in Decision.number); "(chưa số)" when there is none."""
    return decision.number or decision.paper_number or "(chưa số)"


@register.filter
def user_name(user):
    """Who did it: the account's full name, else its login, else "—" (no account recorded, as for
    an import from the command line or an account since removed)."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@register.filter
def household_label(household):
    """'Hộ Nguyễn Văn An' (by the head), or its code, rather than an internal number."""
    if household is None:
        return ""
    if household.code:
        return f"Hộ {household.code}"
    head = getattr(household, "head", None)
    if head is not None:
        return f"Hộ {head.full_name}"
    return f"Hộ chưa ghi chủ hộ (số {household.pk})"


@register.simple_tag(takes_context=True)
def nav_current(context, prefix):
    """aria-current for the nav link whose section the page is in."""
    request = context.get("request")
    if request is None:
        return ""
    path = request.path
    if (prefix == "/" and path == "/") or (prefix != "/" and path.startswith(prefix)):
        return mark_safe('aria-current="page"')
    return ""


@register.simple_tag
def user_area(user):
    """The area an officer works in, as the header shows it."""
    commune = getattr(user, "commune", None)
    if commune is not None:
        return f"{commune.name}, {commune.province.name}"
    province = getattr(user, "province", None)
    if province is not None:
        return province.name
    return "Toàn quốc"
