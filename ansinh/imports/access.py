"""The only door for pages to fetch an import batch or an uploaded file: inside the user's area.

A batch (and an upload) carries the area of the officer who brought the file in. A commune
officer sees their commune's imports; a provincial officer their province's and its communes';
the country level all. Outside the area the answer is 404, as for an id that does not exist.
"""

from django.db.models import Q
from django.http import Http404

from ansinh.accounts.scope import AreaScope, pk_or_404
from ansinh.imports.models import ImportBatch, ImportUpload


def area_filter(user, queryset):
    """The rows of `queryset` (with an `area_code`) inside the user's area."""
    scope = AreaScope.for_user(user)
    if scope.is_country:
        return queryset
    if scope.level == "commune":
        return queryset.filter(area_code=scope.commune_code)
    if scope.level == "province":
        communes = scope.communes().values("code")
        return queryset.filter(Q(area_code=scope.province_code) | Q(area_code__in=communes))
    return queryset.none()


def access_batch(user, pk) -> ImportBatch:
    batch = area_filter(user, ImportBatch.objects.all()).filter(pk=pk_or_404(pk)).first()
    if batch is None:
        raise Http404("Không tìm thấy lần nhập này trong địa bàn của bạn.")
    return batch


def access_upload(user, pk) -> ImportUpload:
    upload = (
        area_filter(user, ImportUpload.objects.select_related("template")).filter(pk=pk_or_404(pk)).first()
    )
    if upload is None:
        raise Http404("Không tìm thấy tệp tải lên này trong địa bàn của bạn.")
    return upload
