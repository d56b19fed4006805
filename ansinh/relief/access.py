"""The only door for views to fetch a relief object: scoped to the user's area (404 outside,
exactly as for an id that does not exist). An event is reachable by whoever has one of its
communes in their area; a household, its support and a request by the commune they belong to."""

from ansinh.accounts.scope import scoped_or_404
from ansinh.relief.models import AffectedHousehold, Event, ResourceRequest


def access_event(user, pk) -> Event:
    # An event spans communes: filter through them, then fetch the one row (no duplicates).
    visible = scoped_or_404(user, Event.objects.only("pk"), pk, "đợt cứu trợ này", "areas__commune")
    return Event.objects.select_related("province", "created_by").get(pk=visible.pk)


def access_affected(user, pk) -> AffectedHousehold:
    queryset = AffectedHousehold.objects.select_related("event", "commune", "village", "household")
    return scoped_or_404(user, queryset, pk, "hộ này")


def access_request(user, pk) -> ResourceRequest:
    queryset = ResourceRequest.objects.select_related("event", "commune", "requested_by", "decided_by")
    return scoped_or_404(user, queryset, pk, "đề nghị này")
