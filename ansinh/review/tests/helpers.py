"""A review item of a given entitlement, for tests outside this app (area scoping)."""

import datetime as dt

from django.utils import timezone

from ansinh.review.models import ReviewItem


def review_item_of(entitlement, month: dt.date = dt.date(2026, 11, 1)) -> ReviewItem:
    return ReviewItem.objects.create(
        month=month,
        commune_id=entitlement.commune_id,
        person_id=entitlement.person_id,
        entitlement=entitlement,
        benefit=entitlement.benefit,
        reason="amount_differs",
        action="adjust",
        category=entitlement.category,
        coefficient=entitlement.coefficient,
        current_amount=810_000,
        law_category=entitlement.category,
        law_coefficient=entitlement.coefficient,
        law_amount=810_000,
        age=70,
        effective_month=month,
        created_at=timezone.now(),
    )
