"""The monthly review (rà soát hằng tháng): each month the law re-evaluates every active
beneficiary and raises a review item where the facts now call for a decision (a child turned 4,
an orphan turned 16 without schooling, a person reaching 75, a household no longer poor, a death,
an amount that differs from the law). Nothing changes a payment without a decision: an item is a
task for the commune officer, who prepares the decision from it."""

from django.conf import settings
from django.db import models


class ReviewReason(models.TextChoices):
    DEATH = "death", "Đã chết: thôi hưởng từ tháng sau tháng chết"
    CHILD_TURNED_4 = "child_turned_4", "Trẻ em đã đủ 4 tuổi: hệ số giảm"
    TURNED_16_NOT_STUDYING = "turned_16_not_studying", "Đủ 16 tuổi nhưng không (còn) đi học: thôi hưởng"
    TURNED_16_STUDYING = "turned_16_studying", "Đủ 16 tuổi, đang đi học: chuyển sang khoản 2 Điều 5"
    REACHED_ELDERLY_AGE = "reached_elderly_age", "Đã đủ tuổi hưởng mức cao hơn của người cao tuổi (75 tuổi)"
    AGE_LIMIT = "age_limit", "Đã hết tuổi của nhóm đối tượng"
    NOT_POOR = "household_not_poor", "Hộ không còn nghèo (cận nghèo) sau rà soát năm"
    HAS_PENSION = "has_pension", "Đã có lương hưu hoặc trợ cấp BHXH hằng tháng"
    NOT_ELIGIBLE = "not_eligible", "Theo dữ liệu hiện có không còn đủ điều kiện hưởng"
    DOUBLE_BENEFIT = (
        "double_benefit",
        "Đang hưởng cả trợ cấp xã hội hằng tháng và trợ cấp hưu trí xã hội: chỉ hưởng chế độ có mức cao "
        "hơn (khoản 3 Điều 22 Luật BHXH 2024), thôi hưởng chế độ này",
    )
    OTHER_BENEFIT_HIGHER = (
        "other_benefit_higher",
        "Đủ điều kiện chế độ kia (trợ cấp xã hội hằng tháng hoặc hưu trí xã hội) với mức cao hơn: thôi "
        "hưởng chế độ này và lập quyết định hưởng chế độ kia (khoản 3 Điều 22 Luật BHXH 2024)",
    )
    AMOUNT_DIFFERS = "amount_differs", "Hệ số, đối tượng hoặc số tiền khác với mức luật quy định"


class ReviewAction(models.TextChoices):
    ADJUST = "adjust", "Điều chỉnh"
    STOP = "stop", "Thôi hưởng"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Chờ xử lý"
    PREPARED = "prepared", "Đã lập dự thảo quyết định"
    DISMISSED = "dismissed", "Không cần quyết định"


class ReviewRun(models.Model):
    """One run of the review for a month over an area ("" = the country)."""

    month = models.DateField()
    area_code = models.CharField(max_length=5, blank=True, default="")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    reviewed = models.IntegerField(default=0, help_text="entitlements re-evaluated")
    item_count = models.IntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["month", "area_code"])]

    def __str__(self) -> str:
        return f"Rà soát {self.month:%m/%Y} {self.area_code or 'toàn quốc'}"


class ReviewItem(models.Model):
    """One entitlement that needs a decision this month, and why. Written set-based by the
    review (INSERT … SELECT from a COPY-filled temporary table), one row per month and entitlement."""

    month = models.DateField()
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="review_items")
    entitlement = models.ForeignKey("decisions.Entitlement", on_delete=models.CASCADE, related_name="+")
    benefit = models.CharField(max_length=32)
    reason = models.CharField(max_length=32, choices=ReviewReason.choices)
    action = models.CharField(max_length=16, choices=ReviewAction.choices)
    category = models.CharField(max_length=32, blank=True, default="")
    coefficient = models.DecimalField(max_digits=5, decimal_places=2)
    current_amount = models.BigIntegerField(help_text="đồng/month the entitlement pays this month")
    law_category = models.CharField(max_length=32, blank=True, default="")
    law_coefficient = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    law_amount = models.BigIntegerField(default=0, help_text="đồng/month the law gives this month")
    age = models.SmallIntegerField()
    event_date = models.DateField(null=True, blank=True)
    effective_month = models.DateField()
    status = models.CharField(max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "entitlement"], name="review_one_item_per_month_entitlement"
            )
        ]
        indexes = [models.Index(fields=["commune", "month", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_reason_display()} ({self.month:%m/%Y})"
