"""The only door for views and APIs to fetch a payroll: scoped to the user's area (404 outside)."""

from django.http import Http404

from ansinh.accounts.scope import AreaScope, scoped_or_404
from ansinh.payments.models import PayrollRun


def access_payroll(user, pk) -> PayrollRun:
    return scoped_or_404(user, PayrollRun.objects.select_related("commune"), pk, "danh sách chi trả này")


def check_area(user, area_code: str) -> None:
    """An area code outside the user's area is answered like one that does not exist."""
    if not AreaScope.for_user(user).contains_area(area_code):
        raise Http404("Không tìm thấy địa bàn này trong địa bàn của bạn.")
