"""The only door for views and APIs to fetch a decision: scoped to the user's area (404 outside)."""

from django.http import Http404

from ansinh.accounts.scope import AreaScope, pk_or_404, scoped_or_404
from ansinh.decisions.models import Decision


def access_decision(user, pk) -> Decision:
    queryset = Decision.objects.select_related("person", "commune", "target_commune")
    return scoped_or_404(user, queryset, pk, "quyết định này")


def access_person_for_transfer(user, pk):
    """A person a transfer decision may be prepared for: one inside the user's area (the old
    commune stopping and handing over), or one the old commune has already handed over to a
    commune inside the user's area (the new commune taking them in, Decree 335/2026 Art. 8).
    Anyone else is a 404, exactly like an id that does not exist."""
    from ansinh.decisions.services import handovers_pending_for
    from ansinh.registry.access import access_person

    try:
        return access_person(user, pk)
    except Http404:
        pass
    pk = pk_or_404(pk)
    for handover in handovers_pending_for(AreaScope.for_user(user)):
        if handover.person_id == pk:
            return handover.person
    raise Http404("Không tìm thấy đối tượng này trong địa bàn của bạn.")
