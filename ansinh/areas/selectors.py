"""Reads of the administrative units for pages, APIs and other apps."""

from django.db.models import QuerySet

from ansinh.areas.models import Commune, Province
from ansinh.core.errors import InvalidInput


def province_list() -> QuerySet[Province]:
    """Today's 34 provinces and centrally-run cities, by code."""
    return Province.objects.order_by("code")


def _pad(code, width: int) -> str:
    # A spreadsheet drops leading zeros ("70" for "00070"): put them back for digit-only codes.
    text = str(code if code is not None else "").strip()
    return text.zfill(width) if text.isdigit() and len(text) <= width else text


def province_get(code) -> Province:
    padded = _pad(code, 2)
    try:
        return Province.objects.get(code=padded)
    except Province.DoesNotExist:
        raise InvalidInput.for_field(
            "province",
            f"Mã tỉnh «{code}» không tồn tại. Mã tỉnh gồm 2 chữ số theo danh mục từ 01/07/2025, ví dụ 01 (Hà Nội).",
        ) from None


def commune_list(province_code) -> QuerySet[Commune]:
    """The communes, wards and special zones of one province, by code."""
    province = province_get(province_code)
    return Commune.objects.filter(province=province).order_by("code")


def commune_get(code) -> Commune:
    """Today's commune by its 5-digit code; an unknown code is a wrong input, said in Vietnamese."""
    padded = _pad(code, 5)
    try:
        return Commune.objects.select_related("province").get(code=padded)
    except Commune.DoesNotExist:
        raise InvalidInput.for_field(
            "commune",
            f"Mã xã «{code}» không tồn tại. Mã xã gồm 5 chữ số theo danh mục từ 01/07/2025, "
            "ví dụ 00070 (Phường Hoàn Kiếm); hãy chọn xã từ danh sách.",
        ) from None
