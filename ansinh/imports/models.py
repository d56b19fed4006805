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
