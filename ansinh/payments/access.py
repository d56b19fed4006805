"""The only door for views and APIs to fetch a payroll: scoped to the user's area (404 outside)."""

from django.http import Http404

from ansinh.accounts.scope import AreaScope
from ansinh.payments.models import PayrollRun


def access_payroll(user, pk) -> PayrollRun:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None
    run = AreaScope.for_user(user).filter(PayrollRun.objects.select_related("commune")).filter(pk=pk).first()
    if run is None:
        raise Http404("Không tìm thấy danh sách chi trả này trong địa bàn của bạn.")
    return run


def check_area(user, area_code: str) -> None:
    """An area code outside the user's area is answered like one that does not exist."""
    if not AreaScope.for_user(user).contains_area(area_code):
        raise Http404("Không tìm thấy địa bàn này trong địa bàn của bạn.")
