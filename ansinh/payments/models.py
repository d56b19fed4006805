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
    # The payment cycle (ansinh.payments.lifecycle): who moved the payroll on, and when.
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    line_count = models.IntegerField(default=0)
    total_amount = models.BigIntegerField(default=0)
    arrears_amount = models.BigIntegerField(default=0)
    # Payees frozen by the check, and how many of them have the provider's result: the payroll is
    # reconciled when the two are equal (counted by each import, so no payee table is re-read).
    payee_count = models.IntegerField(default=0, db_default=0)
    result_count = models.IntegerField(default=0, db_default=0)

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


# Statuses of a line whose money did not reach the person: the month (or the difference) is owed
# again and may be paid by a later line. Every "paid once" rule reads this list.
NOT_LIVE = [LineStatus.FAILED.value, LineStatus.UNCOLLECTED.value, LineStatus.CANCELLED.value]


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
    # Empty only for a difference line (truy lĩnh chênh lệch) waiting for the next payroll of its
    # commune, which claims it (ansinh.payments.arrears).
    run = models.ForeignKey(
        PayrollRun, null=True, blank=True, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
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
        indexes = [
            # (run, person): a payroll's lines, and one payee's lines in it (reconciliation's
            # UPDATE … FROM joins on both).
            models.Index(fields=["run", "person"], name="payment_line_run_person"),
            models.Index(fields=["person", "month"]),
            # The few difference lines, found without reading a month's millions of regular ones.
            models.Index(
                fields=["run"], condition=models.Q(kind="difference"), name="payment_difference_run"
            ),
            # Failed or uncollected differences, which the next payroll issues again (payroll.py).
            models.Index(
                fields=["commune_code"],
                condition=models.Q(kind="difference", status__in=["failed", "uncollected"]),
                name="payment_difference_unpaid",
            ),
        ]
        constraints = [
            # Nothing paid twice: one live regular line per person, benefit and month. A failed or
            # uncollected line is not live: its month is owed again (Decree 335/2026 Art. 28,
            # carried forward as arrears), as is a cancelled one's.
            models.UniqueConstraint(
                fields=["person", "benefit", "month"],
                condition=models.Q(kind="regular") & ~models.Q(status__in=NOT_LIVE),
                name="payment_once_per_person_benefit_month",
            ),
            # A level difference is paid once per month and target level: re-running the arrears
            # computation adds nothing, a later second raise adds one more line.
            models.UniqueConstraint(
                fields=["person", "benefit", "month", "level"],
                condition=models.Q(kind="difference") & ~models.Q(status__in=NOT_LIVE),
                name="payment_difference_once_per_level",
            ),
            models.CheckConstraint(name="payment_amount_not_negative", condition=models.Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.benefit} {self.month:%m/%Y}: {self.amount}"


# --- The payment cycle: frozen payees, payment files, return files, exceptions, follow-ups ----
# (ansinh.payments.lifecycle, bankfile, provider, reconcile, funds). PaymentLine is the payroll's
# own table: the cycle keeps its data here and changes only PaymentLine.status, set-based.


class PaymentChannel(models.TextChoices):
    # Decree 335/2026 Art. 28: an account first, cash through a contracted provider otherwise.
    SSA = "ssa", "Tài khoản an sinh xã hội"
    BANK = "bank", "Tài khoản ngân hàng"
    CASH = "cash", "Tiền mặt qua đơn vị chi trả"


def registry_channel_sql(person: str) -> str:
    """SQL: the channel the registry gives the person row `person` now (Decree 335/2026 Art. 28:
    a social-security account, else a bank account, else cash). The check freezes it on the
    payees; the cashless indicator reads it for payrolls without frozen payees."""
    return (
        f"CASE WHEN {person}.social_security_account <> '' THEN 'ssa' "
        f"WHEN {person}.bank_account <> '' THEN 'bank' ELSE 'cash' END"
    )


class PayeeResult(models.TextChoices):
    PENDING = "", "Chưa có kết quả"
    PAID = "paid", "Đã chi trả"
    FAILED = "failed", "Chi trả không thành công"
    UNCOLLECTED = "uncollected", "Chưa nhận"


class PayrollPayee(models.Model):
    """One person of a payroll as it was checked: name, ID, village, channel and account, and the
    sum of their lines. Written once when the payroll leaves draft, so what is approved, exported
    and printed no longer follows later edits of the registry (the payroll is frozen)."""

    # No database-level foreign keys (as for the payment lines, docs/decisions.md): the check writes
    # millions of payees in one statement from the lines of runs it has locked; a deferred FK check
    # per row at commit cost a third of the check (issue 6). Deleting a run still cascades through
    # Django. The provider's answer is a PayeeOutcome.
    run = models.ForeignKey(
        PayrollRun, on_delete=models.CASCADE, related_name="payees", db_index=False, db_constraint=False
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    reference = models.CharField(max_length=32, help_text="mã chi trả: CCCCC-YYYYMM-person id")
    full_name = models.CharField(max_length=150)
    personal_id = models.CharField(max_length=12, blank=True, default="")
    village_name = models.CharField(max_length=150, blank=True, default="")
    address = models.CharField(max_length=255, blank=True, default="")
    channel = models.CharField(max_length=8, choices=PaymentChannel.choices)
    account_number = models.CharField(max_length=30, blank=True, default="")
    bank_name = models.CharField(max_length=100, blank=True, default="")
    line_count = models.IntegerField()
    amount = models.BigIntegerField()
    arrears_amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="payee_once_per_run"),
            models.CheckConstraint(name="payee_amount_not_negative", condition=models.Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.full_name}: {self.amount}"


class PayeeOutcome(models.Model):
    """The provider's answer for one payee (kết quả chi trả): paid, failed with a reason, or not
    collected. One row per payee, written once by reconciliation (a second answer is an exception).

    Kept apart from the payee, a narrow row inserted in one statement: rewriting millions of wide
    payee rows and their payment lines on each return file cost 75 × the COPY of the file (issue
    6). The payment lines take the result later: failed and uncollected ones at once (their months
    are owed again), paid ones when the payroll is closed (lifecycle.payroll_close)."""

    payee = models.OneToOneField(
        PayrollPayee, primary_key=True, on_delete=models.CASCADE, related_name="outcome", db_constraint=False
    )
    result = models.CharField(max_length=16, choices=PayeeResult.choices)
    reason = models.CharField(max_length=255, blank=True, default="")
    paid_on = models.DateField(null=True, blank=True)
    return_file = models.ForeignKey(
        "ReturnFile", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        constraints = [
            models.CheckConstraint(name="payee_outcome_has_result", condition=~models.Q(result="")),
        ]

    def __str__(self) -> str:
        return f"{self.payee_id}: {self.get_result_display()}"


class PaymentFileKind(models.TextChoices):
    BANK = "bank", "Tệp chuyển khoản (ngân hàng, tài khoản an sinh xã hội)"
    PROVIDER = "provider", "Danh sách chi trả tiền mặt (đơn vị chi trả)"


class PaymentFile(models.Model):
    """A payment file handed to the bank or the provider. Its bytes are rebuilt from the frozen
    payees on each download and checked against `checksum`, so nothing large is stored."""

    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="payment_files")
    kind = models.CharField(max_length=10, choices=PaymentFileKind.choices)
    commune_code = models.CharField(max_length=5)
    sequence = models.IntegerField(help_text="số thứ tự tệp của xã, tăng dần")
    filename = models.CharField(max_length=100)
    checksum = models.CharField(max_length=64, help_text="SHA-256 (hex) of the file's records")
    row_count = models.IntegerField()
    total_amount = models.BigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune_code", "sequence"], name="payment_file_sequence_unique"),
            models.UniqueConstraint(fields=["run", "kind"], name="payment_file_once_per_run_kind"),
        ]

    def __str__(self) -> str:
        return self.filename


class ReturnFile(models.Model):
    """A provider's return file (kết quả chi trả) for one month of one commune (`run` set) or of a
    whole province (`area_code` 2 digits): its lines are routed to the payrolls by their codes."""

    run = models.ForeignKey(
        PayrollRun, null=True, blank=True, on_delete=models.CASCADE, related_name="return_files"
    )
    area_code = models.CharField(max_length=5)
    month = models.DateField()
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    row_count = models.IntegerField()
    applied_count = models.IntegerField(default=0)
    paid_count = models.IntegerField(default=0)
    paid_amount = models.BigIntegerField(default=0)
    failed_count = models.IntegerField(default=0)
    failed_amount = models.BigIntegerField(default=0)
    uncollected_count = models.IntegerField(default=0)
    uncollected_amount = models.BigIntegerField(default=0)
    exception_count = models.IntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area_code", "month", "sha256"], name="return_file_once")
        ]

    def __str__(self) -> str:
        return f"{self.filename or 'Tệp kết quả'} ({self.area_code} {self.month:%m/%Y})"


class ExceptionKind(models.TextChoices):
    UNKNOWN = "unknown", "Mã chi trả không có trong danh sách"
    OTHER_PAYROLL = "other_payroll", "Thuộc tháng hoặc xã khác"
    DUPLICATE = "duplicate", "Trùng mã chi trả trong tệp"
    WRONG_AMOUNT = "wrong_amount", "Sai số tiền"
    WRONG_PERSON = "wrong_person", "Sai số định danh"
    ALREADY = "already", "Đã có kết quả từ tệp trước"
    MISSING = "missing", "Không có trong tệp kết quả"


class ReconciliationException(models.Model):
    """A return-file line that was not applied (or a payee the file left out), for the officer."""

    return_file = models.ForeignKey(ReturnFile, on_delete=models.CASCADE, related_name="exceptions")
    run = models.ForeignKey(
        PayrollRun, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=16, choices=ExceptionKind.choices)
    line_no = models.IntegerField(null=True, blank=True)
    reference = models.CharField(max_length=64, blank=True, default="")
    personal_id = models.CharField(max_length=32, blank=True, default="")
    amount = models.BigIntegerField(null=True, blank=True)
    expected_amount = models.BigIntegerField(null=True, blank=True)
    result = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["return_file", "kind"]), models.Index(fields=["run"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reference}"


class OverpaymentStatus(models.TextChoices):
    OPEN = "open", "Phải thu hồi"
    RECOVERED = "recovered", "Đã thu hồi"


class Overpayment(models.Model):
    """Money paid for a month after the beneficiary's death (Decree 335/2026 Art. 8: payment
    stops from the month after death): to be recovered."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    run = models.ForeignKey(PayrollRun, on_delete=models.PROTECT, related_name="overpayments")
    commune_code = models.CharField(max_length=5)
    benefit = models.CharField(max_length=32)
    month = models.DateField()
    amount = models.BigIntegerField()
    date_of_death = models.DateField()
    status = models.CharField(
        max_length=10, choices=OverpaymentStatus.choices, default=OverpaymentStatus.OPEN
    )
    detected_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "person", "benefit", "month"], name="overpayment_once"),
        ]

    def __str__(self) -> str:
        return f"Thu hồi {self.person_id} {self.month:%m/%Y}: {self.amount}"


class SuspensionProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Đề xuất tạm dừng"
    DECIDED = "decided", "Đã ra quyết định"
    DISMISSED = "dismissed", "Không tạm dừng"


class SuspensionProposal(models.Model):
    """Decree 335/2026 Art. 9(1)(a): not collected for 3 or more consecutive months → suspend.
    Raised by reconciliation; the commune turns it into a suspension decision (or dismisses it)."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    commune = models.ForeignKey("areas.Commune", on_delete=models.PROTECT, related_name="+")
    first_month = models.DateField()
    last_month = models.DateField()
    uncollected_amount = models.BigIntegerField()
    run = models.ForeignKey(PayrollRun, on_delete=models.PROTECT, related_name="suspension_proposals")
    status = models.CharField(
        max_length=10, choices=SuspensionProposalStatus.choices, default=SuspensionProposalStatus.PROPOSED
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="proposed"), name="suspension_proposal_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Đề xuất tạm dừng {self.person_id} {self.first_month:%m/%Y}–{self.last_month:%m/%Y}"


class FundsRequest(models.Model):
    """The commune's request for the month's funds (Decree 335/2026 Art. 28: withdrawn from the
    State Treasury and transferred to the provider by the 25th), by benefit and source."""

    run = models.OneToOneField(PayrollRun, on_delete=models.CASCADE, related_name="funds_request")
    rows = models.JSONField(help_text="[{benefit, source, person_count, amount}]")
    total_amount = models.BigIntegerField()
    due_on = models.DateField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Đề nghị cấp kinh phí {self.run_id}: {self.total_amount}"
