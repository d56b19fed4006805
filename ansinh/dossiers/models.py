"""Dossiers (hồ sơ): applications on Forms 01–04 of Decree 335/2026 Art. 7, their checks, the
moves of their workflow (who, when), attached documents, notifications sent, and the days a
province declares off or worked (for the working-day calendar of ansinh.core.workdays).
"""

from django.conf import settings
from django.db import models

from ansinh.registry.birth import PartialDate


class Form(models.TextChoices):
    # Decree 335/2026 Art. 7.
    FORM_01 = "01", "Mẫu 01 – Trợ cấp xã hội hằng tháng, trợ cấp hưu trí xã hội"
    FORM_02 = "02", "Mẫu 02 – Hỗ trợ kinh phí chăm sóc, nuôi dưỡng"
    FORM_03 = "03", "Mẫu 03 – Hỗ trợ chi phí mai táng"
    FORM_04 = "04", "Mẫu 04 – Tiếp nhận vào cơ sở trợ giúp xã hội"


class Channel(models.TextChoices):
    # Decree 335/2026 Art. 8: online, by post, or at any one-stop desk.
    DESK = "desk", "Nộp trực tiếp tại Bộ phận Một cửa"
    POST = "post", "Gửi qua bưu chính"
    ONLINE = "online", "Nộp trực tuyến"
    LINKED = "linked", "Liên thông (tự động mở khi ghi nhận người chết)"


class Status(models.TextChoices):
    RECEIVED = "received", "Đã tiếp nhận"
    CHECKING = "checking", "Đang thẩm định"
    PROPOSED = "proposed", "Đã trình Chủ tịch UBND xã"
    # Form 04: the commune has verified and forwarded; the facility (province) decides.
    FORWARDED = "forwarded", "Đã chuyển cơ sở trợ giúp xã hội"
    GRANTED = "granted", "Đã giải quyết – được hưởng"
    REFUSED = "refused", "Đã giải quyết – không được hưởng"
    WITHDRAWN = "withdrawn", "Đã rút hồ sơ"


class Action(models.TextChoices):
    """The moves of a dossier (ansinh.dossiers.workflow): the button on the page and the line
    in its history."""

    RECEIVE = "receive", "Tiếp nhận hồ sơ"
    START_CHECK = "start_check", "Bắt đầu thẩm định"
    PROPOSE = "propose", "Trình Chủ tịch UBND xã"
    RETURN = "return", "Trả lại để thẩm định lại"
    GRANT = "grant", "Quyết định cho hưởng"
    FORWARD = "forward", "Chuyển cơ sở trợ giúp xã hội"
    ADMIT = "admit", "Quyết định tiếp nhận vào cơ sở"
    REFUSE_ADMISSION = "refuse_admission", "Không tiếp nhận vào cơ sở"
    REFUSE = "refuse", "Từ chối"
    WITHDRAW = "withdraw", "Rút hồ sơ"


class Proposal(models.TextChoices):
    """What the commune officer proposes to the chairman."""

    GRANT = "grant", "Cho hưởng"
    REFUSE = "refuse", "Từ chối"


# Kept in Dossier.form_data beside the form's own fields (see Dossier.subject_birth).
BIRTH_PRECISION_KEY = "subject_birth_precision"


class Dossier(models.Model):
    code = models.CharField(max_length=24, unique=True)
    form = models.CharField(max_length=2, choices=Form.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="dossiers")
    benefit = models.CharField(max_length=32, help_text="decisions.Benefit requested")
    # The person the dossier is about (the applicant, the cared-for person, the deceased).
    subject = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    subject_personal_id = models.CharField(max_length=12)
    subject_name = models.CharField(max_length=150)
    subject_birth_date = models.DateField(null=True, blank=True)
    # Who filed it (the person themselves, a relative, whoever arranged a funeral).
    applicant_name = models.CharField(max_length=150)
    applicant_personal_id = models.CharField(max_length=12)
    applicant_relation = models.CharField(max_length=50, blank=True, default="")
    applicant_phone = models.CharField(max_length=15, blank=True, default="")
    applicant_email = models.CharField(max_length=254, blank=True, default="")
    address = models.CharField(max_length=255, blank=True, default="")
    form_data = models.JSONField(default=dict, blank=True, help_text="the form's own fields")
    received_on = models.DateField(help_text="for a dossier sent by post: the postmark date")
    postmark_date = models.DateField(null=True, blank=True)
    deadline = models.DateField()
    deadline_days = models.PositiveSmallIntegerField()
    deadline_basis = models.CharField(max_length=200)
    proposed_outcome = models.CharField(max_length=8, blank=True, default="", choices=Proposal.choices)
    proposal_note = models.TextField(blank=True, default="")
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    refusal_reason = models.TextField(blank=True, default="")
    # Form 04, two steps (Decree 335/2026 Art. 25): the commune's deadline, then the facility's,
    # counted from the day the commune forwards; the facility's admission.
    commune_deadline = models.DateField(null=True, blank=True)
    forwarded_on = models.DateField(null=True, blank=True)
    facility_deadline = models.DateField(null=True, blank=True)
    facility_name = models.CharField(max_length=200, blank=True, default="")
    admission_date = models.DateField(null=True, blank=True)
    admission_number = models.CharField(max_length=50, blank=True, default="")
    admission_signer = models.CharField(max_length=150, blank=True, default="")
    decided_on = models.DateField(null=True, blank=True)
    # Working days from receipt to decision, kept when decided so indicators are one SQL query.
    processing_days = models.PositiveSmallIntegerField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["commune", "status", "deadline"]),
            models.Index(fields=["commune", "received_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="dossier_decided_has_date",
                condition=~models.Q(status__in=["granted", "refused"]) | models.Q(decided_on__isnull=False),
            ),
            models.CheckConstraint(
                name="dossier_refused_has_reason",
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
            ),
            models.CheckConstraint(
                name="dossier_post_has_postmark",
                condition=~models.Q(channel="post") | models.Q(postmark_date__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Hồ sơ {self.code}"

    @property
    def is_open(self) -> bool:
        return self.status in (Status.RECEIVED, Status.CHECKING, Status.PROPOSED, Status.FORWARDED)

    @property
    def subject_birth(self) -> PartialDate | None:
        """The date of birth as filed, possibly partial: subject_birth_date holds its first day
        (1 January for a year, the 1st for a month-year) and form_data["subject_birth_precision"]
        ("year" / "month", absent for a full date) says which parts were given."""
        if self.subject_birth_date is None:
            return None
        day = self.subject_birth_date
        precision = (self.form_data or {}).get(BIRTH_PRECISION_KEY)
        if precision == "year":
            return PartialDate(day.year)
        if precision == "month":
            return PartialDate(day.year, day.month)
        return PartialDate(day.year, day.month, day.day)

    @property
    def step_deadline(self):
        """The deadline of the step the dossier is in (Form 04: the commune's, then the facility's)."""
        if self.status == Status.FORWARDED and self.facility_deadline:
            return self.facility_deadline
        if self.is_open and self.commune_deadline:
            return self.commune_deadline
        return self.deadline


class CheckSource(models.TextChoices):
    REGISTRY = "registry", "Cơ sở dữ liệu đối tượng của xã"
    POPULATION = "population", "Cơ sở dữ liệu quốc gia về dân cư"


class CheckKind(models.TextChoices):
    REGISTRY = "registry", "Đăng ký đối tượng tại xã"
    IDENTITY = "identity", "Họ tên theo số định danh"
    AGE = "age", "Ngày sinh, tuổi"
    RESIDENCE = "residence", "Nơi thường trú"
    HOUSEHOLD = "household", "Hộ gia đình"
    DEATH = "death", "Khai tử"


class CheckOutcome(models.TextChoices):
    PASSED = "passed", "Đạt"
    FAILED = "failed", "Không khớp"
    NOT_DONE = "not_done", "Chưa kiểm tra được"


class DossierCheck(models.Model):
    """One check on receipt (identity, age, residence, household, death, same benefit); a re-run
    adds rows, the latest of each kind counts."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="checks")
    source = models.CharField(max_length=16, choices=CheckSource.choices)
    kind = models.CharField(max_length=16, choices=CheckKind.choices)
    outcome = models.CharField(max_length=8, choices=CheckOutcome.choices)
    detail = models.TextField(blank=True, default="")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"


class DossierEvent(models.Model):
    """A move of the workflow: from which state to which, by whom (NULL: the citizen), when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    from_status = models.CharField(max_length=16, blank=True, default="", choices=Status.choices)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    note = models.TextField(blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} → {self.get_to_status_display()}"


class Attachment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=8)  # sms / email
    recipient = models.CharField(max_length=254)
    body = models.TextField()
    sender = models.CharField(max_length=100)
    sent = models.BooleanField(default=False)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}"


class DeclaredDay(models.Model):
    """A day a province declares off (nghỉ bù: is_working_day=False) or worked (làm bù:
    is_working_day=True), overriding the national calendar for deadlines in that province."""

    province = models.ForeignKey("areas.Province", on_delete=models.PROTECT, related_name="declared_days")
    day = models.DateField()
    is_working_day = models.BooleanField()
    note = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "day"], name="declared_day_unique")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} ({'làm bù' if self.is_working_day else 'nghỉ bù'})"
