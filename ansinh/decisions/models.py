"""Decisions (quyết định) signed by the commune chairman, and the entitlement periods they make.

Payments follow decisions, never raw eligibility: a grant opens an Entitlement, an adjustment
closes it and opens the next, a stop closes it, a suspension pauses it, a transfer closes it in
the old commune and opens it in the new one from the month payment stopped.
"""

from django.conf import settings
from django.db import models


class Benefit(models.TextChoices):
    MONTHLY_ALLOWANCE = "monthly_allowance", "Trợ cấp xã hội hằng tháng"
    SOCIAL_PENSION = "social_pension", "Trợ cấp hưu trí xã hội"
    CARE_SUPPORT = "care_support", "Hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng"
    FUNERAL_SUPPORT = "funeral_support", "Hỗ trợ chi phí mai táng"


class DecisionKind(models.TextChoices):
    GRANT = "grant", "Trợ cấp"
    ADJUST = "adjust", "Điều chỉnh"
    SUSPEND = "suspend", "Tạm dừng"
    RESUME = "resume", "Tiếp tục"
    STOP = "stop", "Thôi hưởng"
    TRANSFER = "transfer", "Chuyển địa bàn"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SIGNED = "signed", "Đã ký"
    CANCELLED = "cancelled", "Đã hủy"


class Decision(models.Model):
    number = models.CharField(max_length=50, blank=True, default="")
    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    status = models.CharField(max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="decisions")
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="decisions")
    benefit = models.CharField(max_length=32, choices=Benefit.choices)
    category = models.CharField(max_length=32, blank=True, default="", help_text="e.g. 1, 5a, 6")
    coefficient = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    monthly_amount = models.BigIntegerField(
        null=True, blank=True, help_text="đồng, at the level in force when signed"
    )
    one_off_amount = models.BigIntegerField(null=True, blank=True, help_text="đồng, funeral support")
    effective_month = models.DateField(null=True, blank=True)
    event_date = models.DateField(null=True, blank=True, help_text="death, change of conditions, move")
    target_commune = models.ForeignKey(
        "areas.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="incoming_transfers"
    )
    reason = models.TextField(blank=True, default="")
    legal_basis = models.TextField(blank=True, default="")
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(max_length=150, blank=True, default="")
    signed_on = models.DateField(null=True, blank=True)
    # A decision signed on paper before the system (brought in by an import): no account signed
    # it here; `signer_name` and imports.PaperDecision say who did.
    signed_on_paper = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="decision_signed_has_signer",
                condition=~models.Q(status="signed")
                | (
                    (models.Q(signed_by__isnull=False) | models.Q(signed_on_paper=True))
                    & models.Q(signed_on__isnull=False, effective_month__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="decision_maker_is_not_checker",
                condition=models.Q(signed_by__isnull=True) | ~models.Q(signed_by=models.F("prepared_by")),
            ),
            models.UniqueConstraint(
                fields=["commune", "number"],
                condition=~models.Q(number=""),
                name="decision_number_unique_in_commune",
            ),
        ]

    def __str__(self) -> str:
        return f"QĐ {self.number or '(chưa số)'} {self.get_kind_display()}"

    @property
    def paper_number(self) -> str:
        """For a decision signed on paper before the system, the number its imported list gave (kept
        on the import's record, ansinh.imports.models.PaperDecision: a group decision covers many
        people, and Decision.number is unique in a commune); "" otherwise."""
        paper = getattr(self, "paper_record", None) if self.signed_on_paper else None
        return paper.number if paper is not None else ""


class Entitlement(models.Model):
    """A period during which a signed decision pays a person a monthly benefit.

    Months are first days; `end_month` is exclusive (the first month no longer paid), so a
    death on 10 Mar 2026 gives end_month = 1 Apr 2026 (Decree 335/2026 Art. 8). A suspended
    entitlement has `suspended_from`; the payroll skips those months until a review decides.
    """

    # Looked up by the (person, benefit) and (commune, start month) indexes below; a single-column
    # index on each (and a LIKE index on the commune code) only slowed every write of millions of
    # rows (imports, reconciliation's arrears).
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="entitlements", db_index=False
    )
    commune = models.ForeignKey(
        "areas.Commune", on_delete=models.PROTECT, related_name="entitlements", db_index=False
    )
    benefit = models.CharField(max_length=32, choices=Benefit.choices)
    category = models.CharField(max_length=32, blank=True, default="")
    coefficient = models.DecimalField(max_digits=5, decimal_places=2)
    start_month = models.DateField()
    end_month = models.DateField(null=True, blank=True)
    suspended_from = models.DateField(null=True, blank=True)
    # The earliest month that may still lack a payment line (a new grant, a resume, a payroll
    # line withdrawn). NULL means every month up to the commune's last payroll is covered, so the
    # monthly payroll only looks at months since that payroll and at rows marked here: it never
    # re-scans each entitlement's whole history. Whoever withdraws a line (cancelled, failed)
    # sets arrears_from = least(arrears_from, line.month) so the next payroll pays it again.
    arrears_from = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="opened_entitlements")
    closed_by = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="closed_entitlements"
    )

    class Meta:
        indexes = [
            models.Index(fields=["commune", "start_month"]),
            models.Index(fields=["person", "benefit"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="entitlement_ends_after_start",
                condition=models.Q(end_month__isnull=True) | models.Q(end_month__gte=models.F("start_month")),
            ),
            models.CheckConstraint(
                name="entitlement_coefficient_positive", condition=models.Q(coefficient__gt=0)
            ),
            # One open entitlement per person and benefit: an adjustment closes the old one first.
            # (The cat. 4 stacking of Decree 335 Art. 6 is one entitlement with the summed coefficient.)
            models.UniqueConstraint(
                fields=["person", "benefit"],
                condition=models.Q(end_month__isnull=True),
                name="entitlement_one_open_per_person_benefit",
            ),
        ]

    def __str__(self) -> str:
        end = f"–{self.end_month:%m/%Y}" if self.end_month else ""
        return f"{self.get_benefit_display()} {self.category} ×{self.coefficient} từ {self.start_month:%m/%Y}{end}"
