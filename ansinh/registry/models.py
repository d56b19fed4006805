"""The registry: people, households and the facts the law looks at.

Facts carry the period they were true for (valid_from / valid_to, or the year for poverty
status), so a later change adds a row instead of erasing what was true before. Plain field
edits on Person and Household are kept in the audit trail (before/after).
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import models


class Sex(models.TextChoices):
    MALE = "M", "Nam"
    FEMALE = "F", "Nữ"


class Person(models.Model):
    """A person known to the system (công dân), linked to the national population database by
    the 12-digit personal identification number (số định danh cá nhân)."""

    personal_id = models.CharField(max_length=12, unique=True, null=True, blank=True)
    full_name = models.CharField(max_length=150)
    # Kept by services: lower case, no diacritics, so "nguyen van an" finds "Nguyễn Văn An".
    name_folded = models.CharField(max_length=150)
    # Date of birth may be partial: year only, or month and year (ngày sinh không đầy đủ).
    birth_year = models.PositiveSmallIntegerField()
    birth_month = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(max_length=50, blank=True, default="Kinh")
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="residents")
    village = models.ForeignKey(
        "areas.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="residents"
    )
    address = models.CharField(max_length=255, blank=True, default="")
    phone = models.CharField(max_length=15, blank=True, default="")
    bank_account = models.CharField(max_length=30, blank=True, default="")
    bank_name = models.CharField(max_length=100, blank=True, default="")
    social_security_account = models.CharField(max_length=30, blank=True, default="")
    date_of_death = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["commune", "name_folded"]),
            GinIndex(fields=["name_folded"], name="person_name_trgm", opclasses=["gin_trgm_ops"]),
            # The few deceased: reconciliation looks for payments after death among them only.
            models.Index(
                fields=["id"], condition=models.Q(date_of_death__isnull=False), name="person_deceased"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="person_personal_id_12_digits",
                condition=models.Q(personal_id__isnull=True) | models.Q(personal_id__regex=r"^[0-9]{12}$"),
            ),
            models.CheckConstraint(
                name="person_birth_month_range",
                condition=models.Q(birth_month__isnull=True)
                | models.Q(birth_month__gte=1, birth_month__lte=12),
            ),
            models.CheckConstraint(
                name="person_birth_day_needs_month",
                condition=models.Q(birth_day__isnull=True)
                | models.Q(birth_month__isnull=False, birth_day__gte=1, birth_day__lte=31),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Household(models.Model):
    """A household (hộ gia đình) as recorded by the commune."""

    code = models.CharField(max_length=30, blank=True, default="", db_index=True)
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="households")
    village = models.ForeignKey(
        "areas.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="households"
    )
    address = models.CharField(max_length=255, blank=True, default="")
    head = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.code or f"Hộ #{self.pk}"


class Relationship(models.TextChoices):
    HEAD = "head", "Chủ hộ"
    SPOUSE = "spouse", "Vợ/chồng"
    CHILD = "child", "Con"
    PARENT = "parent", "Cha/mẹ"
    GRANDCHILD = "grandchild", "Cháu"
    GRANDPARENT = "grandparent", "Ông/bà"
    SIBLING = "sibling", "Anh/chị/em"
    OTHER = "other", "Khác"


class HouseholdMember(models.Model):
    """Membership over time: leaving a household closes the row, it does not delete it."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            # A person is in at most one household at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(valid_to__isnull=True),
                name="member_one_current_household",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ∈ hộ {self.household_id} ({self.relationship})"


class PovertyStatus(models.TextChoices):
    POOR = "poor", "Hộ nghèo"
    NEAR_POOR = "near_poor", "Hộ cận nghèo"
    NONE = "none", "Không thuộc hộ nghèo, cận nghèo"


class HouseholdPoverty(models.Model):
    """The household's status from the yearly poverty review (rà soát hộ nghèo, cận nghèo)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="poverty_statuses")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=PovertyStatus.choices)
    certificate_number = models.CharField(max_length=50, blank=True, default="")
    standard = models.CharField(
        max_length=50, blank=True, default="", help_text="e.g. Nghị định 07/2021/NĐ-CP"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="poverty_one_status_per_year")
        ]

    def __str__(self) -> str:
        return f"Hộ {self.household_id} năm {self.year}: {self.get_status_display()}"


class DisabilityType(models.TextChoices):
    """Dạng tật, Law on Persons with Disabilities 2010 Art. 3."""

    MOBILITY = "mobility", "Khuyết tật vận động"
    HEARING_SPEECH = "hearing_speech", "Khuyết tật nghe, nói"
    VISUAL = "visual", "Khuyết tật nhìn"
    MENTAL = "mental", "Khuyết tật thần kinh, tâm thần"
    INTELLECTUAL = "intellectual", "Khuyết tật trí tuệ"
    OTHER = "other", "Khuyết tật khác"


class DisabilityLevel(models.TextChoices):
    MILD = "mild", "Khuyết tật nhẹ"
    SEVERE = "severe", "Khuyết tật nặng"
    ESPECIALLY_SEVERE = "especially_severe", "Khuyết tật đặc biệt nặng"


class DisabilityDetermination(models.Model):
    """A determination of disability (xác định mức độ khuyết tật); a later one supersedes, the
    earlier stays on record."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disabilities")
    disability_type = models.CharField(max_length=20, choices=DisabilityType.choices)
    level = models.CharField(max_length=20, choices=DisabilityLevel.choices)
    determined_on = models.DateField()
    determining_body = models.CharField(max_length=200, blank=True, default="")
    certificate_number = models.CharField(max_length=50, blank=True, default="")

    class Meta:
        ordering = ["person", "-determined_on"]

    def __str__(self) -> str:
        return f"{self.get_disability_type_display()}, {self.get_level_display()}"


class IncomeKind(models.TextChoices):
    PENSION = "pension", "Lương hưu"
    SOCIAL_INSURANCE = "social_insurance", "Trợ cấp BHXH hằng tháng"
    SURVIVOR = "survivor", "Trợ cấp tuất hằng tháng"
    WAGE = "wage", "Tiền lương, tiền công"


class IncomeStatus(models.Model):
    """A pension, monthly social-insurance benefit, survivor benefit or wage, over a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="incomes")
    kind = models.CharField(max_length=20, choices=IncomeKind.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    monthly_amount = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} từ {self.valid_from:%d/%m/%Y}"


class SchoolingStatus(models.Model):
    """Studying at a general, continuing, vocational or first-degree university level, over a period
    (Decree 335/2026 Art. 5(2): a child turning 16 keeps the allowance while studying)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="schooling")
    institution = models.CharField(max_length=200, blank=True, default="")
    level = models.CharField(max_length=50, blank=True, default="")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.institution} từ {self.valid_from:%d/%m/%Y}"


class Residence(models.Model):
    """Where a person lived, over time (nơi cư trú). Person.commune/village/address hold the
    current place; each move closes the current row and opens a new one, so category rules that
    depend on the place (cat. 7: especially difficult areas) can look back."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences")
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "areas.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(max_length=255, blank=True, default="")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(valid_to__isnull=True), name="residence_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ở xã {self.commune_id}"
