"""Emergency assistance (trợ giúp khẩn cấp), Decree 335/2026/NĐ-CP Ch. III Art. 12–14
("trợ giúp xã hội đột xuất" in Decree 20/2021 Ch. III).

An Event (a disaster, fire, crop failure, lean season or Tết round) touches communes and villages;
each affected household is registered (in the field, offline if need be, or from the registry)
with what happened to it; the law gives the support due for the event's date; the commune officer
proposes it, the commune chairman decides it; it is distributed from the commune's stock (rice,
goods, and cash as the item "tiền mặt"), which never goes below zero (a CHECK on StockBalance).
When the commune's resources are short it asks the province, then national reserves (Art. 13).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class EventKind(models.TextChoices):
    DISASTER = "disaster", "Thiên tai"
    FIRE = "fire", "Hỏa hoạn"
    CROP_FAILURE = "crop_failure", "Mất mùa"
    LEAN_SEASON = "lean_season", "Giáp hạt"
    TET = "tet", "Cứu đói dịp Tết"
    OTHER = "other", "Lý do bất khả kháng khác"


class DeadlineRule(models.Model):
    """The time the province gives its communes to get help to an affected household, in days
    from the event (calendar days: emergencies do not wait for working days)."""

    province = models.ForeignKey("areas.Province", on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    legal_basis = models.CharField(max_length=255, blank=True, default="")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "valid_from"], name="relief_deadline_one_per_day"),
            models.CheckConstraint(name="relief_deadline_days_positive", condition=Q(days__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.days} ngày từ {self.valid_from:%d/%m/%Y} (tỉnh {self.province_id})"


class Event(models.Model):
    province = models.ForeignKey("areas.Province", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    name = models.CharField(max_length=200)
    occurred_on = models.DateField()
    description = models.TextField(blank=True, default="")
    # Copied from the province's DeadlineRule when the event is recorded, so a later change of the
    # rule does not rewrite how past events are judged.
    deadline_days = models.PositiveSmallIntegerField()
    deadline_basis = models.CharField(max_length=255, blank=True, default="")
    # Months of rice this round gives (Art. 12(1): 1 at Tết, up to 3 after a disaster).
    rice_months = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(name="relief_event_rice_months_range", condition=Q(rice_months__lte=3)),
        ]

    def __str__(self) -> str:
        return self.name


class EventCommune(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="areas")
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "commune"], name="relief_event_commune_once")]

    def __str__(self) -> str:
        return f"Đợt {self.event_id}: xã {self.commune_id}"


class EventVillage(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="villages")
    village = models.ForeignKey("areas.Village", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "village"], name="relief_event_village_once")]

    def __str__(self) -> str:
        return f"Đợt {self.event_id}: thôn {self.village_id}"


class HouseDamage(models.TextChoices):
    # The names are the law's (ansinh.law.variables.household.HouseDamage).
    NONE = "none", "Không thiệt hại về nhà"
    COLLAPSED = "collapsed", "Nhà bị đổ, sập, trôi, cháy hoàn toàn, không còn nơi ở"
    RELOCATION = "relocation", "Phải di dời khẩn cấp do nguy cơ sạt lở, lũ, lụt"
    SEVERE_DAMAGE = "severe_damage", "Nhà bị hư hỏng nặng phải sửa chữa"


class AffectedHousehold(models.Model):
    """A household hit by the event. `client_uuid` is made by the phone that recorded it: the same
    entry sent twice (the answer lost, the queue replayed) is recorded once."""

    client_uuid = models.UUIDField(unique=True)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="households")
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "areas.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    head_name = models.CharField(max_length=150)
    head_personal_id = models.CharField(max_length=12, blank=True, default="")
    address = models.CharField(max_length=255, blank=True, default="")
    size = models.PositiveSmallIntegerField()
    house_damage = models.CharField(max_length=16, choices=HouseDamage.choices, default=HouseDamage.NONE)
    food_shortage = models.BooleanField(default=False)
    note = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField(null=True, blank=True, help_text="device time of the field entry")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commune_id", "head_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "household"],
                condition=Q(household__isnull=False),
                name="relief_household_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["event", "head_personal_id"],
                condition=~Q(head_personal_id=""),
                name="relief_head_once_per_event",
            ),
            models.CheckConstraint(name="relief_household_size_positive", condition=Q(size__gte=1)),
        ]

    def __str__(self) -> str:
        return f"Hộ {self.head_name}"


class Outcome(models.TextChoices):
    INJURED = "injured", "Bị thương nặng"
    KILLED = "killed", "Chết, mất tích"


class AffectedPerson(models.Model):
    affected = models.ForeignKey(AffectedHousehold, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    full_name = models.CharField(max_length=150)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    treatment_days = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_outcome_display().lower()})"


class SupportStatus(models.TextChoices):
    PROPOSED = "proposed", "Chờ Chủ tịch UBND xã quyết định"
    DECIDED = "decided", "Đã quyết định"
    REFUSED = "refused", "Không hỗ trợ"


class Support(models.Model):
    """The support proposed for one affected household, then decided by the commune chairman."""

    affected = models.OneToOneField(AffectedHousehold, on_delete=models.PROTECT, related_name="support")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="supports")
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=SupportStatus.choices, default=SupportStatus.PROPOSED)
    rice_kg = models.BigIntegerField(default=0)
    cash_amount = models.BigIntegerField(default=0)
    law_month = models.DateField(help_text="the month whose law computed the amounts")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_number = models.CharField(max_length=50, blank=True, default="")
    refusal_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="relief_support_not_negative", condition=Q(rice_kg__gte=0, cash_amount__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"Hỗ trợ hộ {self.affected_id}: {self.get_status_display()}"


class StockItem(models.Model):
    """Rice (kg), essential goods (units) and cash (đồng) held by a commune for relief."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    unit = models.CharField(max_length=20)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


CASH = "tien_mat"
RICE = "gao"


class LineKind(models.TextChoices):
    RICE = "rice", "Gạo cứu đói"
    HOUSING = "housing", "Hỗ trợ nhà ở"
    INJURED = "injured", "Hỗ trợ người bị thương nặng"
    FUNERAL = "funeral", "Hỗ trợ mai táng"
    GOODS = "goods", "Nhu yếu phẩm"


class SupportLine(models.Model):
    support = models.ForeignKey(Support, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=16, choices=LineKind.choices)
    person = models.ForeignKey(
        AffectedPerson, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()
    legal_basis = models.CharField(max_length=255, blank=True, default="")
    explanation = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(name="relief_line_positive", condition=Q(quantity__gt=0))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.quantity}"


class DistributionKind(models.TextChoices):
    CASH = "cash", "Tiền mặt"
    RICE = "rice", "Gạo"
    GOODS = "goods", "Hàng hóa"


def _photo_path(instance, filename: str) -> str:
    return f"relief/receipts/{instance.event_id}/{filename}"


class Distribution(models.Model):
    """What a household received, with its proof: signed on the list, optionally a photo."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="distributions")
    affected = models.ForeignKey(AffectedHousehold, on_delete=models.PROTECT, related_name="distributions")
    support = models.ForeignKey(Support, on_delete=models.PROTECT, related_name="distributions")
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=DistributionKind.choices)
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()
    received_on = models.DateField()
    receiver_name = models.CharField(max_length=150)
    signed = models.BooleanField(default=False, help_text="signed on the signature list")
    photo = models.FileField(upload_to=_photo_path, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [
            # No household is paid cash twice in one event.
            models.UniqueConstraint(
                fields=["event", "affected"],
                condition=Q(kind="cash"),
                name="relief_one_cash_payment_per_event",
            ),
            models.CheckConstraint(name="relief_distribution_positive", condition=Q(quantity__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} cho hộ {self.affected_id} ngày {self.received_on:%d/%m/%Y}"


class Source(models.TextChoices):
    LOCAL = "local", "Ngân sách, nguồn lực của xã"
    PROVINCE = "province", "Tỉnh hỗ trợ"
    NATIONAL_RESERVE = "national_reserve", "Dự trữ quốc gia"
    DONATION = "donation", "Ủng hộ của tổ chức, cá nhân"


class StockBalance(models.Model):
    """What a commune holds now. The CHECK makes a negative stock impossible whatever the path."""

    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "item"], name="relief_balance_once"),
            models.CheckConstraint(name="relief_stock_never_negative", condition=Q(quantity__gte=0)),
        ]

    def __str__(self) -> str:
        return f"Xã {self.commune_id}, mặt hàng {self.item_id}: {self.quantity}"


class StockMovement(models.Model):
    """Every receipt (+) and issue (−): the balance is their sum."""

    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices, blank=True, default="")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    distribution = models.OneToOneField(
        Distribution, null=True, blank=True, on_delete=models.PROTECT, related_name="movement"
    )
    donation = models.OneToOneField(
        "Donation", null=True, blank=True, on_delete=models.PROTECT, related_name="movement"
    )
    occurred_on = models.DateField()
    note = models.CharField(max_length=255, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        constraints = [models.CheckConstraint(name="relief_movement_not_zero", condition=~Q(quantity=0))]

    def __str__(self) -> str:
        return f"{self.quantity:+} (mặt hàng {self.item_id}, xã {self.commune_id})"


class RequestLevel(models.TextChoices):
    PROVINCE = "province", "Đề nghị tỉnh hỗ trợ"
    NATIONAL = "national", "Đề nghị xuất cấp dự trữ quốc gia"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "Chờ tỉnh xem xét"
    GRANTED = "granted", "Đã cấp"
    REFUSED = "refused", "Không cấp"


class ResourceRequest(models.Model):
    """Art. 13: what the commune cannot cover it asks of the province; what the province cannot
    cover it asks of the national reserves. The province records the answer."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="requests")
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=16, choices=RequestLevel.choices, default=RequestLevel.PROVINCE)
    rice_kg = models.BigIntegerField(default=0)
    cash_amount = models.BigIntegerField(default=0)
    reason = models.TextField(blank=True, default="")
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    granted_rice_kg = models.BigIntegerField(default=0)
    granted_cash = models.BigIntegerField(default=0)
    answer = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="relief_request_not_negative",
                condition=Q(rice_kg__gte=0, cash_amount__gte=0, granted_rice_kg__gte=0, granted_cash__gte=0),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.commune_id}): {self.get_status_display()}"


class DonorKind(models.TextChoices):
    ORGANISATION = "organisation", "Tổ chức, doanh nghiệp"
    INDIVIDUAL = "individual", "Cá nhân"


class DonorEntry(models.Model):
    """What a pledge and a receipt share: who gives what, for which event and commune."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="%(class)ss")
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="+")
    donor_name = models.CharField(max_length=200)
    donor_kind = models.CharField(max_length=16, choices=DonorKind.choices)
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()
    note = models.CharField(max_length=255, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Pledge(DonorEntry):
    """A promise of cash or goods for an event (xã hội hóa); receipts may settle it in parts."""

    pledged_on = models.DateField()

    class Meta:
        ordering = ["pledged_on", "id"]
        constraints = [models.CheckConstraint(name="relief_pledge_positive", condition=Q(quantity__gt=0))]

    def __str__(self) -> str:
        return f"{self.donor_name}: {self.quantity} (đăng ký)"


class Donation(DonorEntry):
    """Cash or goods received from an organisation or a person, into the commune's stock."""

    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    received_on = models.DateField()

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(name="relief_donation_positive", condition=Q(quantity__gt=0))]

    def __str__(self) -> str:
        return f"{self.donor_name}: {self.quantity} (đã nhận)"
