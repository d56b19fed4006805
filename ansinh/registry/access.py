"""The only door for views and APIs to fetch a registry object: scoped to the user's area.

Outside the area the answer is 404, the same as for a record that does not exist, so an officer
cannot even learn that a person of another commune is registered.
"""

from django.http import Http404

from ansinh.accounts.scope import AreaScope
from ansinh.registry.models import Household, Person


def _pk(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404("Không tìm thấy.") from None


def access_person(user, pk) -> Person:
    queryset = Person.objects.select_related("commune", "commune__province", "village")
    person = AreaScope.for_user(user).filter(queryset).filter(pk=_pk(pk)).first()
    if person is None:
        raise Http404("Không tìm thấy người này trong địa bàn của bạn.")
    return person


def access_household(user, pk) -> Household:
    queryset = Household.objects.select_related("commune", "village", "head")
    household = AreaScope.for_user(user).filter(queryset).filter(pk=_pk(pk)).first()
    if household is None:
        raise Http404("Không tìm thấy hộ này trong địa bàn của bạn.")
    return household
