import pytest

from ansinh.accounts.models import Role
from ansinh.areas.models import Commune, Province
from ansinh.areas.tests.fixtures import _areas_session, areas_loaded  # noqa: F401, F811
from ansinh.registry.tests.factories import make_user


@pytest.fixture
def hanoi(areas_loaded):  # noqa: F811
    return Province.objects.get(code="01")


@pytest.fixture
def province_officer(hanoi):
    return make_user(province=hanoi, role=Role.PROVINCIAL_OFFICER, username="canbo_hanoi")


@pytest.fixture
def hong_ha(areas_loaded):  # noqa: F811
    return Commune.objects.get(code="00097")  # Phường Hồng Hà (old Phường Phúc Xá, Quận Ba Đình)


@pytest.fixture
def commune_officer(hong_ha):
    return make_user(commune=hong_ha, username="canbo_hongha")
