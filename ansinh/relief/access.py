"""The only door for views to fetch a relief object: scoped to the user's area (404 outside,
exactly as for an id that does not exist). An event is reachable by whoever has one of its
communes in their area; a household, its support and a request by the commune they belong to."""

from django.http import Http404

from ansinh.accounts.scope import AreaScope
from ansinh.relief.models import AffectedHousehold, Event, ResourceRequest


def _scoped(user, queryset, pk, what: str, commune_field: str = "commune"):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None
    found = AreaScope.for_user(user).filter(queryset.filter(pk=pk), commune_field).first()
    if found is None:
        raise Http404(f"Không tìm thấy {what} trong địa bàn của bạn.")
    return found


def access_event(user, pk) -> Event:
    # An event spans communes: filter through them, then fetch the one row (no duplicates).
    visible = _scoped(user, Event.objects.only("pk"), pk, "đợt cứu trợ này", "areas__commune")
    return Event.objects.select_related("province", "created_by").get(pk=visible.pk)


def access_affected(user, pk) -> AffectedHousehold:
    queryset = AffectedHousehold.objects.select_related("event", "commune", "village", "household")
    return _scoped(user, queryset, pk, "hộ này")


def access_request(user, pk) -> ResourceRequest:
    queryset = ResourceRequest.objects.select_related("event", "commune", "requested_by", "decided_by")
    return _scoped(user, queryset, pk, "đề nghị này")
