"""The only door for views to fetch a dossier: scoped to the user's area (404 outside)."""

from django.http import Http404

from ansinh.accounts.scope import AreaScope
from ansinh.dossiers.models import Attachment, DeclaredDay, Dossier


def access_dossier(user, pk) -> Dossier:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None
    queryset = Dossier.objects.select_related("commune", "subject", "decision", "commune__province")
    dossier = AreaScope.for_user(user).filter(queryset).filter(pk=pk).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ này trong địa bàn của bạn.")
    return dossier


def access_declared_day(user, pk) -> DeclaredDay:
    """A province's declared day, for a user whose scope covers that province (404 otherwise)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None
    row = DeclaredDay.objects.select_related("province").filter(pk=pk).first()
    if row is None or not AreaScope.for_user(user).contains_province(row.province_id):
        raise Http404("Không tìm thấy ngày khai báo này trong địa bàn của bạn.")
    return row


def access_attachment(user, pk) -> Attachment:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None
    attachment = (
        AreaScope.for_user(user).filter(Attachment.objects.all(), "dossier__commune").filter(pk=pk).first()
    )
    if attachment is None:
        raise Http404("Không tìm thấy tệp này trong địa bàn của bạn.")
    return attachment
