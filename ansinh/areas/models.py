"""Administrative units.

Since 1 July 2025 Vietnam has two levels: 34 provinces and about 3,321 communes (xã, phường,
đặc khu), with official codes. Before that there were 63 provinces, districts and communes;
those are kept as Legacy* tables with the succession from old communes to new ones, so an
address written the old way resolves to today's commune.
"""

from django.db import models


class DivisionType(models.TextChoices):
    PROVINCE = "tinh", "Tỉnh"
    CENTRAL_CITY = "thanh_pho_trung_uong", "Thành phố trực thuộc trung ương"
    COMMUNE = "xa", "Xã"
    WARD = "phuong", "Phường"
    SPECIAL_ZONE = "dac_khu", "Đặc khu"
    TOWNSHIP = "thi_tran", "Thị trấn"
    DISTRICT = "huyen", "Huyện"
    URBAN_DISTRICT = "quan", "Quận"
    TOWN = "thi_xa", "Thị xã"
    PROVINCIAL_CITY = "thanh_pho", "Thành phố thuộc tỉnh"


class Province(models.Model):
    """A province or centrally-run city in force since 1 July 2025 (tỉnh, thành phố)."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)
    division_type = models.CharField(max_length=32, choices=DivisionType.choices)
    codename = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune-level unit in force since 1 July 2025 (xã, phường, đặc khu).

    `is_especially_difficult` marks a commune of the ethnic-minority and mountainous areas with
    especially difficult conditions (vùng đồng bào dân tộc thiểu số và miền núi đặc biệt khó
    khăn): category 7 of Decree 335/2026 Art. 5 depends on it.
    """

    code = models.CharField(max_length=5, primary_key=True)
    name = models.CharField(max_length=100)
    division_type = models.CharField(max_length=32, choices=DivisionType.choices)
    codename = models.CharField(max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True, help_text="name without diacritics")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    is_especially_difficult = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A village or residential group under a commune (thôn, bản, ấp, tổ dân phố)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(max_length=100)
    is_especially_difficult = models.BooleanField(default=False)

    class Meta:
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="village_unique_name_in_commune")
        ]

    def __str__(self) -> str:
        return self.name


class LegacyProvince(models.Model):
    """One of the 63 provinces before 1 July 2025."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True)
    successor = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="predecessors")

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(models.Model):
    """A district before 1 July 2025 (huyện, quận, thị xã, thành phố thuộc tỉnh)."""

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True)
    province = models.ForeignKey(LegacyProvince, on_delete=models.PROTECT, related_name="districts")
    # Island districts without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) became
    # a special zone (đặc khu) whole: the district itself has a successor.
    successor = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="district_predecessors"
    )

    def __str__(self) -> str:
        return self.name


class LegacyCommune(models.Model):
    """A commune before 1 July 2025 (xã, phường, thị trấn)."""

    code = models.CharField(max_length=5, primary_key=True)
    name = models.CharField(max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True)
    district = models.ForeignKey(LegacyDistrict, on_delete=models.PROTECT, related_name="communes")
    successors = models.ManyToManyField(Commune, through="CommuneSuccession", related_name="predecessors")

    def __str__(self) -> str:
        return self.name


class CommuneSuccession(models.Model):
    """Old commune → new commune. An old commune split between several new ones has several
    rows; `is_whole` is false for each part, and a resolver must not guess between them."""

    legacy_commune = models.ForeignKey(LegacyCommune, on_delete=models.CASCADE)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE)
    is_whole = models.BooleanField(default=True)
    # Where the row comes from (a package and version, or a derivation rule): see areas/data/README.md.
    source = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["legacy_commune", "commune"], name="succession_unique_pair")
        ]

    def __str__(self) -> str:
        part = "" if self.is_whole else " (một phần)"
        return f"{self.legacy_commune_id} → {self.commune_id}{part}"
