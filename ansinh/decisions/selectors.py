"""Reads on decisions and entitlements."""

import datetime as dt

from django.db.models import Q, QuerySet

from ansinh.core.months import current_month
from ansinh.decisions.models import Decision, Entitlement


def decision_list_for_person(person) -> QuerySet:
    return (
        Decision.objects.filter(person=person)
        .select_related("commune", "target_commune", "prepared_by", "signed_by")
        .order_by("-created_at", "-id")
    )


def entitlement_list_for_person(person) -> QuerySet:
    return Entitlement.objects.filter(person=person).select_related("commune").order_by("-start_month", "-id")


def entitlement_active_for_person(person, *, month: dt.date | None = None) -> QuerySet:
    """Entitlements paying in `month` (default: this month): started, not ended, not suspended."""
    month = month or current_month()
    return (
        entitlement_list_for_person(person)
        .filter(start_month__lte=month)
        .filter(Q(end_month__isnull=True) | Q(end_month__gt=month))
        .filter(Q(suspended_from__isnull=True) | Q(suspended_from__gt=month))
    )
