"""Write the audit trail. Every service that changes a person, household, decision or payment
calls `audit_record` inside its transaction; batch jobs call `audit_bulk` once per batch."""

import datetime as dt
import decimal
import uuid

from django.db import models, transaction

from ansinh.core.models import AuditEvent


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of a row, JSON-ready (foreign keys as their ids)."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _plain(getattr(instance, name)) for name in names}


def changed_fields(before: dict, after: dict) -> dict:
    """Only the keys whose values differ, for a compact 'before/after' pair."""
    keys = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    return {"before": {k: before.get(k) for k in keys}, "after": {k: after.get(k) for k in keys}}


def audit_record(
    *,
    actor,
    action: str,
    entity: models.Model | None = None,
    entity_type: str | None = None,
    entity_id=None,
    area_code: str = "",
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        entity_type=entity_type or (entity._meta.label_lower if entity is not None else ""),
        entity_id=str(entity_id if entity_id is not None else getattr(entity, "pk", "")),
        area_code=area_code,
        before=before,
        after=after,
        note=note,
    )


def create_audited(model: type[models.Model], *, actor, action: str, area_code: str, **values):
    """Insert one row and the audit event of its creation ("after" = the new row), inside the
    caller's transaction."""
    row = model.objects.create(**values)
    audit_record(actor=actor, action=action, entity=row, area_code=area_code, after=snapshot(row))
    return row


def audit_bulk(
    *, actor, action: str, entity_type: str, rows: list[dict], area_code_key: str = "area_code"
) -> int:
    """One audit row per changed record, inserted in one statement (batch paths)."""
    events = [
        AuditEvent(
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            entity_type=entity_type,
            entity_id=str(row["entity_id"]),
            area_code=row.get(area_code_key, ""),
            before=row.get("before"),
            after=row.get("after"),
        )
        for row in rows
    ]
    AuditEvent.objects.bulk_create(events, batch_size=5000)
    return len(events)
