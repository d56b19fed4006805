"""Cross-cutting tables: the audit trail."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change to a person, household, decision or payment: who, when, before, after.

    Written by services in the same transaction as the change (see ansinh.core.audit).
    `area_code` is the commune (or province) the record belongs to, so auditors see only
    their area's trail.
    """

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64)
    entity_type = models.CharField(max_length=64)
    entity_id = models.CharField(max_length=64)
    area_code = models.CharField(max_length=8, blank=True, default="", db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["entity_type", "entity_id"])]
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.entity_type}#{self.entity_id}"
