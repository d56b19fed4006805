"""The only door for views to fetch a review item: scoped to the user's area (404 outside)."""

from ansinh.accounts.scope import scoped_or_404
from ansinh.review.models import ReviewItem


def access_review_item(user, pk) -> ReviewItem:
    queryset = ReviewItem.objects.select_related("person", "commune", "entitlement")
    return scoped_or_404(user, queryset, pk, "trường hợp rà soát này")
