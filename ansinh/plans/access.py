"""The only door for the plans pages to pick an area: the user's own by default, any area inside
their scope on request, a clear refusal outside it."""

from ansinh.accounts.scope import AreaScope
from ansinh.core.errors import NotAllowed
from ansinh.plans.indicators import area_condition
from ansinh.plans.selectors import area_label


def area_for_user(user, requested: str | None) -> str:
    """The area code a page shows: the requested one if the user may see it, else an error."""
    scope = AreaScope.for_user(user)
    if requested is None or requested.strip() == "" and not scope.is_country:
        return scope.area_code
    requested = requested.strip()
    area_condition(requested)  # unknown codes: InvalidInput naming the field
    if not scope.contains_area(requested):
        raise NotAllowed(
            f"Địa bàn “{area_label(requested)}” nằm ngoài phạm vi tài khoản của bạn: chọn tỉnh hoặc xã bạn phụ trách.",
            fields={"area": "Địa bàn nằm ngoài phạm vi của bạn."},
        )
    return requested
