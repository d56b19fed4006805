import pytest
from django.contrib.auth.models import AnonymousUser

from ansinh.accounts.models import Role
from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import Commune
from ansinh.registry.models import Person
from ansinh.registry.tests.factories import make_commune, make_person, make_province, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    home = make_commune("00001", province="01")
    neighbour = make_commune("00002", province="01")
    far = make_commune("20001", province=make_province("22"))
    return home, neighbour, far


def test_a_commune_user_has_a_commune_scope(areas):
    home, neighbour, far = areas
    scope = AreaScope.for_user(make_user(commune=home))
    assert (scope.level, scope.province_code, scope.commune_code, scope.area_code) == (
        "commune",
        "01",
        "00001",
        "00001",
    )
    assert scope.contains_commune("00001") and scope.contains_commune(home)
    assert not scope.contains_commune("00002")
    assert list(scope.communes().values_list("code", flat=True)) == ["00001"]


def test_a_province_user_covers_the_communes_of_the_province(areas):
    home, neighbour, far = areas
    scope = AreaScope.for_user(make_user(province=home.province, role=Role.PROVINCIAL_OFFICER))
    assert (scope.level, scope.area_code) == ("province", "01")
    assert scope.contains_commune("00002") and not scope.contains_commune("20001")
    assert list(scope.communes().values_list("code", flat=True)) == ["00001", "00002"]
    assert scope.contains_area("01") and not scope.contains_area("22") and not scope.contains_area("")


def test_a_country_user_covers_everything(areas):
    scope = AreaScope.for_user(make_user(country=True, role=Role.AUDITOR))
    assert (scope.level, scope.area_code) == ("country", "")
    assert scope.contains_commune("20001") and scope.contains_area("")


def test_filter_by_foreign_key_and_by_code_column(areas):
    home, neighbour, far = areas
    people = [make_person(commune=c) for c in (home, neighbour, far)]
    scope = AreaScope.for_user(make_user(province=home.province, role=Role.PROVINCIAL_OFFICER))
    assert list(scope.filter(Person.objects.order_by("id"))) == people[:2]
    assert list(scope.filter(Commune.objects.order_by("code"), "code", by_code=True)) == [home, neighbour]


def test_anonymous_and_inactive_users_see_nothing(areas):
    home = areas[0]
    make_person(commune=home)
    assert AreaScope.for_user(AnonymousUser()).filter(Person.objects.all()).count() == 0
    user = make_user(commune=home)
    user.is_active = False
    assert AreaScope.for_user(user).filter(Person.objects.all()).count() == 0
    assert not AreaScope.for_user(None).contains_commune("00001")
