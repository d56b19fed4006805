"""The only door for views and APIs to fetch a registry object: scoped to the user's area.

Outside the area the answer is 404, the same as for a record that does not exist, so an officer
cannot even learn that a person of another commune is registered.
"""

from ansinh.accounts.scope import scoped_or_404
from ansinh.registry.models import Household, Person


def access_person(user, pk) -> Person:
    queryset = Person.objects.select_related("commune", "commune__province", "village")
    return scoped_or_404(user, queryset, pk, "người này")


def access_household(user, pk) -> Household:
    queryset = Household.objects.select_related("commune", "village", "head")
    return scoped_or_404(user, queryset, pk, "hộ này")
