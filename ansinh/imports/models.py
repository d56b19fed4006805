"""Staging for spreadsheet imports: a batch per file, a row per data row, and saved mappings.

A file is validated into ImportRow (raw values as read, normalised values, errors) before anything
touches the registry; committing turns valid rows into registry rows in one transaction. Every
row ends as imported, merged into an existing person, or rejected with its reasons.
"""

from django.conf import settings
from django.db import models


class ImportKind(models.TextChoices):
    PERSONS = "persons", "Danh sách người"
    HOUSEHOLDS = "households", "Danh sách hộ gia đình"
    POVERTY = "poverty", "Danh sách hộ nghèo, cận nghèo"
    DISABILITIES = "disabilities", "Danh sách người khuyết tật"
    BENEFICIARIES = "beneficiaries", "Danh sách đối tượng đang hưởng"


class RowStatus(models.TextChoices):
    VALID = "valid", "Hợp lệ"
    ERROR = "error", "Có lỗi"
    DUPLICATE = "duplicate", "Nghi trùng"
    IMPORTED = "imported", "Đã nhập"
    MERGED = "merged", "Đã gộp vào người đã có"
    REJECTED = "rejected", "Loại bỏ"


class ImportTemplate(models.Model):
    """A column mapping saved under a name: {field: header as written in the file}."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    mapping = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One file brought in. The same file (same bytes, same kind) is one batch: importing it again
    finds this batch and changes nothing. A corrected error workbook is a batch of its own that
    `corrects` the original and updates only the original's rows it names."""

    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(max_length=255)
    file_hash = models.CharField(max_length=64)
    file_size = models.BigIntegerField(default=0)
    sheet_name = models.CharField(max_length=100, blank=True, default="")
    header_row = models.PositiveIntegerField(default=1)
    mapping = models.JSONField(default=dict)
    columns = models.JSONField(default=list)  # the header labels in the file's order
    template = models.ForeignKey(ImportTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area_code = models.CharField(max_length=8, blank=True, default="")
    data_rows = models.PositiveIntegerField(default=0)  # rows after the header, blank ones included
    blank_rows = models.PositiveIntegerField(default=0)
    updated_rows = models.PositiveIntegerField(default=0)  # for a correction: original rows updated
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "file_hash"], name="import_batch_one_per_file")
        ]

    def __str__(self) -> str:
        return f"Lần nhập #{self.pk} ({self.file_name})"


class ImportRow(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()  # the row number in the sheet, as the officer sees it
    # Personal ID, else folded name + birth + commune: how a row is recognised again.
    key = models.CharField(max_length=300, blank=True, default="", db_index=True)
    raw = models.JSONField(default=dict)  # {header: value as read}
    values = models.JSONField(default=dict)  # normalised values, by field
    status = models.CharField(max_length=16, choices=RowStatus.choices)
    errors = models.JSONField(default=list)  # [{column, value, message}]
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="import_row_unique_number")
        ]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return f"Dòng {self.row_number} ({self.status})"


class ImportUpload(models.Model):
    """A file uploaded in the web, between the upload and its validation: kept on disk under
    ANSINH_IMPORT_DIR so the officer can check the column mapping first. Validation (a background
    job) turns it into an ImportBatch; the upload then points at it."""

    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    file_size = models.BigIntegerField(default=0)
    file_hash = models.CharField(max_length=64)
    labels = models.JSONField(default=list)  # the header labels as written, in the file's order
    header_row = models.PositiveIntegerField(default=1)
    mapping = models.JSONField(default=dict)  # {field: label}, as suggested then as chosen
    row_estimate = models.PositiveIntegerField(default=0)  # for the progress bar
    is_correction = models.BooleanField(default=False)  # an error workbook carrying "Mã dòng nhập"
    template = models.ForeignKey(ImportTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=8, blank=True, default="")
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Tệp tải lên #{self.pk} ({self.file_name})"


class PaperDecision(models.Model):
    """A decision signed on paper before the system, as an imported list states it (number, date,
    signer's name as text). The Decision row it backs is `signed`, `signed_on_paper`, with
    `signer_name` = that name and no `signed_by` account. A group decision covers many people, so the
    number is kept here, not in Decision.number (unique per commune)."""

    decision = models.OneToOneField(
        "decisions.Decision", on_delete=models.CASCADE, related_name="paper_record"
    )
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="paper_decisions")
    row_number = models.PositiveIntegerField()
    number = models.CharField(max_length=50, blank=True, default="")
    signed_on = models.DateField(null=True, blank=True)  # None when the list does not say
    signer_name = models.CharField(max_length=150, blank=True, default="")
    paid_through = models.DateField(null=True, blank=True)  # last month paid outside the system

    def __str__(self) -> str:
        return f"QĐ giấy {self.number or '(không số)'}"
