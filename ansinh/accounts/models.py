"""Officers' accounts: each has a role and an area (a commune, a province, or the country)."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", "Công chức văn hóa - xã hội cấp xã"
    COMMUNE_CHAIRMAN = "commune_chairman", "Chủ tịch UBND cấp xã"
    PROVINCIAL_OFFICER = "provincial_officer", "Cán bộ cấp tỉnh"
    AUDITOR = "auditor", "Thanh tra, kiểm toán"


class AreaLevel(models.TextChoices):
    COMMUNE = "commune", "Cấp xã"
    PROVINCE = "province", "Cấp tỉnh"
    COUNTRY = "country", "Toàn quốc"


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.COMMUNE_OFFICER)
    area_level = models.CharField(max_length=16, choices=AreaLevel.choices, default=AreaLevel.COMMUNE)
    province = models.ForeignKey(
        "areas.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    commune = models.ForeignKey(
        "areas.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="user_area_matches_level",
                condition=(
                    models.Q(area_level="commune", commune__isnull=False)
                    | models.Q(area_level="province", province__isnull=False, commune__isnull=True)
                    | models.Q(area_level="country", province__isnull=True, commune__isnull=True)
                ),
            )
        ]
