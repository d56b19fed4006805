"""The review queue of duplicate candidates and the record of each merge (for undo)."""

from django.conf import settings
from django.db import models


class CandidateStatus(models.TextChoices):
    PENDING = "pending", "Chờ xem xét"
    CONFIRMED = "confirmed", "Đã xác nhận trùng"
    REJECTED = "rejected", "Không phải trùng"


class DuplicateCandidate(models.Model):
    """A pair of registry persons that may be the same person. The person links carry no
    database constraint: after a merge the merged person's row is gone, and its id must stay
    here so an undo brings the pair back as it was."""

    left = models.ForeignKey(
        "registry.Person", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    right = models.ForeignKey(
        "registry.Person", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    score = models.FloatField()
    reasons = models.TextField(blank=True, default="")
    status = models.CharField(max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="dedup_candidate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="dedup_candidate_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id} ({self.score:.2f})"


class MergeRecord(models.Model):
    """One merge: the survivor, the merged person's id, and the full before-state (both persons
    and every row that pointed at the merged person) so `merge_undo` restores it exactly."""

    survivor = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    merged_person_id = models.BigIntegerField()
    candidate = models.ForeignKey(
        DuplicateCandidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges"
    )
    field_choices = models.JSONField(default=dict, blank=True)
    before = models.JSONField()
    after = models.JSONField(default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Gộp {self.merged_person_id} vào {self.survivor_id}"
