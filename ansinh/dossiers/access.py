"""The only door for views to fetch a dossier: scoped to the user's area (404 outside)."""

from django.http import Http404

from ansinh.accounts.scope import AreaScope, pk_or_404, scoped_or_404
from ansinh.dossiers.models import Attachment, DeclaredDay, Dossier


def access_dossier(user, pk) -> Dossier:
    queryset = Dossier.objects.select_related("commune", "subject", "decision", "commune__province")
    return scoped_or_404(user, queryset, pk, "hồ sơ này")


def access_declared_day(user, pk) -> DeclaredDay:
    """A province's declared day, for a user whose scope covers that province (404 otherwise)."""
    row = DeclaredDay.objects.select_related("province").filter(pk=pk_or_404(pk)).first()
    if row is None or not AreaScope.for_user(user).contains_province(row.province_id):
        raise Http404("Không tìm thấy ngày khai báo này trong địa bàn của bạn.")
    return row


def access_attachment(user, pk) -> Attachment:
    return scoped_or_404(user, Attachment.objects.all(), pk, "tệp này", "dossier__commune")
