"""Area scope: the ONE place that limits what an officer may see and change to their area.

Pages, API endpoints, exports and services all fetch through `AreaScope.for_user(user).filter(…)`
(or the `access_*` functions built on it), so a commune officer can never reach another
commune's records, whatever door they come through.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from ansinh.accounts.models import AreaLevel
from ansinh.areas.models import Commune

NONE = "none"


@dataclass(frozen=True)
class AreaScope:
    level: str  # "commune" / "province" / "country" / "none" (anonymous or inactive)
    province_code: str = ""
    commune_code: str = ""

    @classmethod
    def for_user(cls, user) -> "AreaScope":
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(NONE)
        if user.area_level == AreaLevel.COUNTRY:
            return cls(AreaLevel.COUNTRY)
        if user.area_level == AreaLevel.PROVINCE and user.province_id:
            return cls(AreaLevel.PROVINCE, province_code=user.province_id)
        if user.area_level == AreaLevel.COMMUNE and user.commune_id:
            province_code = user.province_id or Commune.objects.values_list("province_id", flat=True).get(
                code=user.commune_id
            )
            return cls(AreaLevel.COMMUNE, province_code=province_code, commune_code=user.commune_id)
        # An account whose area is missing sees nothing rather than everything.
        return cls(NONE)

    @property
    def area_code(self) -> str:
        """The code written on audit rows: commune (5 digits), province (2) or "" for the country."""
        if self.level == AreaLevel.COUNTRY:
            return ""
        return self.commune_code or self.province_code

    @property
    def is_country(self) -> bool:
        return self.level == AreaLevel.COUNTRY

    def filter(
        self, queryset: QuerySet, commune_field: str = "commune", *, by_code: bool = False
    ) -> QuerySet:
        """Keep only the rows whose commune is inside the scope.

        `commune_field` is a lookup path to a Commune foreign key ("commune", "person__commune");
        with `by_code=True` it names a plain column holding the 5-digit commune code
        (e.g. PaymentLine.commune_code).
        """
        if self.level == AreaLevel.COUNTRY:
            return queryset
        if self.level == AreaLevel.COMMUNE:
            return queryset.filter(**{commune_field: self.commune_code})
        if self.level == AreaLevel.PROVINCE:
            if by_code:
                codes = Commune.objects.filter(province_id=self.province_code).values("code")
                return queryset.filter(**{f"{commune_field}__in": codes})
            return queryset.filter(**{f"{commune_field}__province": self.province_code})
        return queryset.none()

    def communes(self) -> QuerySet:
        """The communes inside the scope (for choice lists)."""
        return self.filter(Commune.objects.all(), "code", by_code=True)

    def contains_commune(self, code) -> bool:
        code = getattr(code, "pk", code)
        if not code:
            return False
        if self.level == AreaLevel.COUNTRY:
            return True
        if self.level == AreaLevel.COMMUNE:
            return code == self.commune_code
        if self.level == AreaLevel.PROVINCE:
            return Commune.objects.filter(code=code, province_id=self.province_code).exists()
        return False

    def contains_province(self, code) -> bool:
        code = getattr(code, "pk", code)
        if self.level == AreaLevel.COUNTRY:
            return True
        if self.level == AreaLevel.PROVINCE:
            return code == self.province_code
        return False

    def contains_area(self, area_code: str) -> bool:
        """For an area code as the payroll takes it: 5 digits commune, 2 province, "" country."""
        if area_code == "":
            return self.is_country
        if len(area_code) == 2:
            return self.contains_province(area_code)
        return self.contains_commune(area_code)


READ_ONLY_MESSAGE = "Tài khoản thanh tra, kiểm toán chỉ được xem dữ liệu, không được thêm hoặc sửa."


def require_write(actor) -> AreaScope:
    """The area a signed-in user may change; refused for an anonymous user and for the read-only
    inspection and audit accounts (thanh tra, kiểm toán)."""
    from ansinh.accounts.roles import can_write
    from ansinh.core.errors import NotAllowed

    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Cần đăng nhập để thay đổi dữ liệu.")
    if not can_write(actor):
        raise NotAllowed(READ_ONLY_MESSAGE)
    return AreaScope.for_user(actor)


def pk_or_404(pk) -> int:
    """An id from a URL or a form: anything but an integer is a page that does not exist."""
    from django.http import Http404

    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None


def scoped_or_404(user, queryset: QuerySet, pk, what: str, commune_field: str = "commune"):
    """The row `pk` of `queryset` if its commune is inside the user's area; otherwise a 404 that
    reads exactly like an id that does not exist (“Không tìm thấy <what> trong địa bàn của bạn.”)."""
    from django.http import Http404

    found = AreaScope.for_user(user).filter(queryset.filter(pk=pk_or_404(pk)), commune_field).first()
    if found is None:
        raise Http404(f"Không tìm thấy {what} trong địa bàn của bạn.")
    return found
