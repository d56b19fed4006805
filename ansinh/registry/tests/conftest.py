import pytest

from ansinh.accounts.models import Role
from ansinh.registry.tests.factories import make_commune, make_province, make_user


@pytest.fixture
def commune(db):
    return make_commune("00001", province="01", name="Xã Phúc Thịnh")


@pytest.fixture
def neighbour(db):
    """Another commune of the same province."""
    return make_commune("00002", province="01", name="Phường Hòa Bình")


@pytest.fixture
def far_commune(db):
    """A commune of another province."""
    return make_commune("20001", province=make_province("22"), name="Xã Bình An")


@pytest.fixture
def officer(commune):
    return make_user(commune=commune, username="canbo_xa")


@pytest.fixture
def auditor(commune):
    return make_user(commune=commune, role=Role.AUDITOR, username="thanhtra")


@pytest.fixture
def province_officer(commune):
    return make_user(province=commune.province, role=Role.PROVINCIAL_OFFICER, username="canbo_tinh")
