"""Monthly payrolls and their lines, and the base levels the amounts are computed from."""

from django.conf import settings
from django.db import models


class LevelKind(models.TextChoices):
    STANDARD = "standard", "Mức chuẩn trợ giúp xã hội"
    SOCIAL_PENSION = "social_pension", "Mức trợ cấp hưu trí xã hội"


class BenefitLevel(models.Model):
    """A base level in force over a period, national (province empty) or a province's own.

    Written from the law's dated parameters (ansinh/law/parameters) by `levels_sync`, never by
    hand, so the payroll's SQL reads the same numbers the law package computes with.
    """

    kind = models.CharField(max_length=20, choices=LevelKind.choices)
    province_code = models.CharField(max_length=2, blank=True, default="")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="exclusive")
    amount = models.BigIntegerField()
    legal_basis = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "province_code", "valid_from"], name="level_unique_start"
            ),
            models.CheckConstraint(name="level_amount_positive", condition=models.Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.province_code or 'toàn quốc'} từ {self.valid_from}: {self.amount}"


class PayrollStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    CHECKED = "checked", "Đã kiểm tra"
    APPROVED = "approved", "Đã phê duyệt"
    SENT = "sent", "Đã gửi đơn vị chi trả"
    RECONCILED = "reconciled", "Đã đối soát"
    CLOSED = "closed", "Đã khóa sổ"


class PayrollRun(models.Model):
    """One commune's payment list for one month (danh sách chi trả)."""

    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="payrolls")
    month = models.DateField()
    status = models.CharField(max_length=16, choices=PayrollStatus.choices, default=PayrollStatus.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    line_count = models.IntegerField(default=0)
    total_amount = models.BigIntegerField(default=0)
    arrears_amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "month"], name="payroll_one_per_commune_month")
        ]

    def __str__(self) -> str:
        return f"Danh sách chi trả {self.commune_id} {self.month:%m/%Y}"


class LineKind(models.TextChoices):
    REGULAR = "regular", "Trợ cấp tháng"
    DIFFERENCE = "difference", "Truy lĩnh chênh lệch mức chuẩn"


class LineStatus(models.TextChoices):
    DUE = "due", "Chờ chi trả"
    PAID = "paid", "Đã chi trả"
    FAILED = "failed", "Chi trả không thành công"
    UNCOLLECTED = "uncollected", "Chưa nhận"
    CANCELLED = "cancelled", "Đã hủy"


class PaymentLine(models.Model):
    """What one person is paid for one benefit for one month, in one payroll.

    `month` is the month the money is for; `run.month` the month it is paid in. When they
    differ the line is arrears (truy lĩnh).
    """

    # The payroll writes millions of lines in one statement, each copied from an Entitlement row
    # (and its person) in that same statement, so person and entitlement carry no database-level
    # foreign key: a deferred FK check per line at commit would cost more than the insert itself
    # (see docs/decisions.md). Persons and entitlements are never deleted (PROTECT in Django).
    # Each column keeps exactly one index (Meta.indexes, the unique index), none duplicated.
    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="lines", db_index=False)
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="payment_lines",
        db_index=False,
        db_constraint=False,
    )
    entitlement = models.ForeignKey(
        "decisions.Entitlement",
        on_delete=models.PROTECT,
        related_name="payment_lines",
        db_index=False,
        db_constraint=False,
    )
    commune_code = models.CharField(max_length=5)
    benefit = models.CharField(max_length=32)
    category = models.CharField(max_length=32, blank=True, default="")
    month = models.DateField()
    kind = models.CharField(max_length=16, choices=LineKind.choices, default=LineKind.REGULAR)
    coefficient = models.DecimalField(max_digits=5, decimal_places=2)
    level = models.BigIntegerField()
    amount = models.BigIntegerField()
    is_arrears = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=LineStatus.choices, default=LineStatus.DUE)

    class Meta:
        indexes = [models.Index(fields=["run"]), models.Index(fields=["person", "month"])]
        constraints = [
            # Nothing paid twice: one live regular line per person, benefit and month.
            models.UniqueConstraint(
                fields=["person", "benefit", "month"],
                condition=models.Q(kind="regular") & ~models.Q(status__in=["failed", "cancelled"]),
                name="payment_once_per_person_benefit_month",
            ),
            models.CheckConstraint(name="payment_amount_not_negative", condition=models.Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.benefit} {self.month:%m/%Y}: {self.amount}"
