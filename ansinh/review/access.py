"""The only door for views to fetch a review item: scoped to the user's area (404 outside)."""

from django.http import Http404

from ansinh.accounts.scope import AreaScope
from ansinh.review.models import ReviewItem


def access_review_item(user, pk) -> ReviewItem:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None
    queryset = ReviewItem.objects.select_related("person", "commune", "entitlement")
    item = AreaScope.for_user(user).filter(queryset).filter(pk=pk).first()
    if item is None:
        raise Http404("Không tìm thấy trường hợp rà soát này trong địa bàn của bạn.")
    return item
