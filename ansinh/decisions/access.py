"""The only door for views and APIs to fetch a decision: scoped to the user's area (404 outside)."""

from django.http import Http404

from ansinh.accounts.scope import AreaScope
from ansinh.decisions.models import Decision


def access_decision(user, pk) -> Decision:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None
    queryset = Decision.objects.select_related("person", "commune", "target_commune")
    decision = AreaScope.for_user(user).filter(queryset).filter(pk=pk).first()
    if decision is None:
        raise Http404("Không tìm thấy quyết định này trong địa bàn của bạn.")
    return decision
