"""Reads of the monthly review for the pages: per commune counts, and one commune's items."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from ansinh.accounts.scope import AreaScope
from ansinh.review.models import ReviewItem, ReviewRun, ReviewStatus


def review_months(user) -> list[dt.date]:
    items = AreaScope.for_user(user).filter(ReviewItem.objects.all())
    return list(items.values_list("month", flat=True).distinct().order_by("-month")[:24])


def review_communes(user, month: dt.date) -> list[dict]:
    """[{commune_id, commune__name, total, open}] for the communes of the user's area."""
    items = AreaScope.for_user(user).filter(ReviewItem.objects.filter(month=month))
    return list(
        items.values("commune_id", "commune__name")
        .annotate(total=Count("id"), open=Count("id", filter=Q(status=ReviewStatus.OPEN)))
        .order_by("commune_id")
    )


def review_items(user, month: dt.date, commune_code: str) -> QuerySet[ReviewItem]:
    items = AreaScope.for_user(user).filter(ReviewItem.objects.filter(month=month, commune_id=commune_code))
    return items.select_related("person", "decision").order_by(
        "status", "reason", "person__name_folded", "id"
    )


def review_last_run(month: dt.date, area_code: str) -> ReviewRun | None:
    return ReviewRun.objects.filter(month=month, area_code=area_code).order_by("-started_at").first()
