"""Plans as data: a provincial plan, its phases and targets, the indicator catalogue, the
denominators the province fills, the monthly aggregates the dashboard reads, and the record of
periodic reports submitted.

An Indicator row is written from data/indicators.yaml by `plans_load` (the definition lives in
one place); how a computed one is counted is ansinh/plans/indicators.py under the same code.
"""

from django.conf import settings
from django.db import models


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", "Tính từ dữ liệu hệ thống"
    TABLE = "table", "Tử số từ hệ thống, mẫu số do tỉnh nhập"
    EXTERNAL = "external", "Tính từ phân hệ khác"
    NOT_HELD = "not_held", "Hệ thống chưa có dữ liệu"


class Direction(models.TextChoices):
    UP = "up", "Càng cao càng tốt"
    DOWN = "down", "Càng thấp càng tốt"


class Indicator(models.Model):
    code = models.CharField(max_length=48, primary_key=True)
    name = models.CharField(max_length=255)
    unit = models.CharField(max_length=16, default="percent")
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    source = models.CharField(max_length=16, choices=IndicatorSource.choices)
    numerator = models.TextField()
    denominator = models.TextField()
    denominator_kind = models.CharField(max_length=32, blank=True, default="")
    function = models.CharField(max_length=120, blank=True, default="", help_text="module.function")
    dimensions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    key = models.SlugField(max_length=64, unique=True)
    title = models.TextField()
    issuer = models.CharField(max_length=200)
    number = models.CharField(max_length=50, blank=True, default="")
    issued_on = models.DateField(null=True, blank=True)
    issued_year = models.PositiveSmallIntegerField(null=True, blank=True)
    province = models.ForeignKey("areas.Province", on_delete=models.PROTECT, related_name="plans")
    legacy_province = models.ForeignKey(
        "areas.LegacyProvince", null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    source_file = models.CharField(max_length=200, blank=True, default="")
    schedules = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["province_id", "key"]

    def __str__(self) -> str:
        return self.title


class PlanPhase(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=100)
    year_from = models.PositiveSmallIntegerField()
    year_to = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["plan", "year_from"]
        constraints = [
            models.CheckConstraint(
                name="phase_years_ordered", condition=models.Q(year_to__gte=models.F("year_from"))
            )
        ]

    def __str__(self) -> str:
        return self.name


class Comparator(models.TextChoices):
    AT_LEAST = "at_least", "Tối thiểu"
    AT_MOST = "at_most", "Tối đa"


class Target(models.Model):
    """One numeric target of a plan: an indicator, a value for a phase (or one year of it), and
    the sentence of the plan it comes from."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    phase = models.ForeignKey(PlanPhase, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    label = models.CharField(max_length=255, blank=True, default="")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="a single year inside the phase")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    value_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    comparator = models.CharField(max_length=10, choices=Comparator.choices, default=Comparator.AT_LEAST)
    unit = models.CharField(max_length=40, default="%")
    sentence = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "phase__year_from", "position"]

    def __str__(self) -> str:
        return f"{self.label or self.indicator_id}: {self.value}{self.unit}"


class DenominatorKind(models.TextChoices):
    POPULATION = "population", "Dân số"
    ELDERLY_POPULATION = "elderly_population", "Số người cao tuổi (từ đủ 60 tuổi)"
    DISABLED_PEOPLE = "disabled_people", "Số người khuyết tật"
    HOUSEHOLDS = "households", "Tổng số hộ dân"


class Denominator(models.Model):
    """A figure the province fills for a year: the population and the other totals an indicator
    divides by, for a province (2-digit code) or one commune (5 digits)."""

    area_code = models.CharField(max_length=5)
    kind = models.CharField(max_length=32, choices=DenominatorKind.choices)
    year = models.PositiveSmallIntegerField()
    value = models.BigIntegerField()
    source = models.CharField(max_length=255, blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area_code", "kind", "year"], name="denominator_one_per_area_kind_year"
            ),
            models.CheckConstraint(name="denominator_not_negative", condition=models.Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.area_code} năm {self.year}: {self.value}"


class MonthlyAggregate(models.Model):
    """Counts per commune and month for each computed indicator, refreshed set-based by
    `aggregates_refresh`. `dimension` is "" for the commune's total, else "sex", "age_group" or
    "category" with `grp` the group; `amount` carries the money paid (allowance coverage only)."""

    month = models.DateField()
    commune_code = models.CharField(max_length=5)
    province_code = models.CharField(max_length=2)
    indicator = models.CharField(max_length=48)
    dimension = models.CharField(max_length=16, blank=True, default="")
    grp = models.CharField(max_length=32, blank=True, default="")
    numerator = models.BigIntegerField(default=0)
    denominator = models.BigIntegerField(null=True, blank=True)
    amount = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["indicator", "dimension", "month", "province_code"], name="agg_ind_dim_month_prov"
            ),
            models.Index(fields=["commune_code", "month"], name="agg_commune_month"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "commune_code", "indicator", "dimension", "grp"],
                name="agg_one_row_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.commune_code} {self.month:%m/%Y} {self.dimension}={self.grp}"


class ReportSubmission(models.Model):
    """A unit (commune or province) has submitted its periodic report for a schedule and period."""

    schedule = models.CharField(max_length=40)
    area_code = models.CharField(max_length=5)
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    submitted_on = models.DateField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "area_code", "period_start", "period_end"],
                name="submission_once_per_period",
            ),
            models.CheckConstraint(
                name="submission_period_ordered", condition=models.Q(period_end__gte=models.F("period_start"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.area_code} {self.period_start}–{self.period_end}"
